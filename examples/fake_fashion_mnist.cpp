// A small stand-in for Fashion-MNIST in the book's layout, so that the Fashion-MNIST examples
// (20, 21) can run without the real download (their CTest tests use it):
//
//     fake_fashion_mnist <dir> [train_per_class] [test_per_class]     (defaults 30, 10)
//
// writes <dir>/train/<label>/<nnnn>.png and <dir>/test/<label>/<nnnn>.png, 28×28 gray. Each
// class is a light horizontal band at its own height (rows 2·label + 4 … 2·label + 7) over
// random dark noise, so a network can learn it in a couple of epochs. Deterministic (seed 0).
#include "example_args.hpp"
#include "example_main.hpp"

#include <nnfs/io/png.hpp>
#include <nnfs/random_state.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace {

int run(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} <dir> [train_per_class] [test_per_class]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const long per_class[2] = {example::positive_arg(argc, argv, 2, 30, "train_per_class"),
                             example::positive_arg(argc, argv, 3, 10, "test_per_class")};
  nnfs::RandomState rng(0);
  const char* sets[2] = {"train", "test"};
  for (int s = 0; s < 2; ++s)
    for (int label = 0; label < 10; ++label) {
      const auto folder = dir / sets[s] / std::to_string(label);
      std::filesystem::create_directories(folder);
      for (long k = 0; k < per_class[s]; ++k) {
        std::vector<std::uint8_t> pixels(28 * 28);
        for (int r = 0; r < 28; ++r)
          for (int c = 0; c < 28; ++c) {
            const bool band = r >= 2 * label + 4 && r < 2 * label + 8 && c >= 4 && c < 24;
            const double noise = rng.random_sample();
            pixels[static_cast<std::size_t>(r * 28 + c)] =
                static_cast<std::uint8_t>(band ? 160 + noise * 95 : noise * 60);
          }
        nnfs::io::write_gray_png(folder / fmt::format("{:04}.png", k), 28, 28, pixels);
      }
    }
  fmt::print("wrote {} training and {} test images to {}\n", 10 * per_class[0], 10 * per_class[1], dir.string());
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
