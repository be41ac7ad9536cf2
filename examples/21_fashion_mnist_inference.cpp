// 21 — Inference (book chapter 22): load the saved model and say what an image shows.
//
//     21_fashion_mnist_inference [model] [image.png | test_index | data_dir] [data_dir] [--invert]
//
// model defaults to fashion_mnist.model (written by 20_fashion_mnist). What it classifies:
//   image.png   any 28×28 PNG (converted to gray); --invert turns a dark-on-light photo into the
//               data set's light-on-dark (the book's 255 − image);
//   test_index  that image of the Fashion-MNIST test set (0..9999), with its label;
//   data_dir    (or nothing) the first ten test images, with their labels.
// Each prediction names the likeliest classes with their confidences. Whenever the test set is
// at hand, the program ends with the model's accuracy over all of it. The test set is looked for
// as 20_fashion_mnist does (the data_dir argument, $NNFS_FASHION_MNIST, ./fashion_mnist_images,
// /usr/share/datasets/fashion-mnist; see docs/fashion-mnist.md).
#include "example_main.hpp"
#include "fashion_mnist_data.hpp"

#include <nnfs/io/fashion_mnist.hpp>
#include <nnfs/io/png.hpp>
#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char* label_name(nnfs::Index label) {
  return nnfs::io::fashion_mnist_labels.at(static_cast<std::size_t>(label));
}

/// "Sneaker (confidence 0.912); then Sandal (0.051), Ankle boot (0.020)": the three likeliest
/// classes of one row of softmax outputs.
std::string describe(const nnfs::Matrix<float>& confidences, nnfs::Index row) {
  std::array<nnfs::Index, 10> order{};
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<nnfs::Index>(k);
  const auto confidence = [&](nnfs::Index k) { return static_cast<double>(confidences(row, k)); };
  std::stable_sort(order.begin(), order.end(),
                   [&](nnfs::Index a, nnfs::Index b) { return confidence(a) > confidence(b); });
  return fmt::format("{} (confidence {:.3f}); then {} ({:.3f}), {} ({:.3f})", label_name(order[0]),
                     confidence(order[0]), label_name(order[1]), confidence(order[1]), label_name(order[2]),
                     confidence(order[2]));
}

/// The test half of the data in `dir`, from either layout (the book's folders or IDX files).
nnfs::datasets::Dataset<float> load_test_set(const std::filesystem::path& dir) {
  if (std::filesystem::is_directory(dir / "test")) return nnfs::io::load_mnist_dataset<float>("test", dir);
  return nnfs::io::load_fashion_mnist_idx<float>(dir, "test");
}

void print_test_accuracy(nnfs::Model<float>& model, const nnfs::datasets::Dataset<float>& test) {
  const nnfs::Evaluation e = model.evaluate(test.X, test.y, /*batch_size=*/0, /*print=*/false);
  fmt::print("accuracy over the {} test images: {:.4f} (loss {:.3f})\n", test.X.rows(), e.accuracy, e.loss);
}

bool is_index(const std::string& text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int run(int argc, char** argv) {
  std::vector<std::string> positional;
  bool invert = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--invert") {
      invert = true;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() > 3) {
    fmt::print(stderr, "usage: {} [model] [image.png | test_index | data_dir] [data_dir] [--invert]\n", argv[0]);
    return 2;
  }
  const std::string model_path = !positional.empty() ? positional[0] : "fashion_mnist.model";
  const std::string target = positional.size() > 1 ? positional[1] : "";
  std::optional<std::string> data_arg;
  if (positional.size() > 2) {
    data_arg = positional[2];
  } else if (!target.empty() && std::filesystem::is_directory(target)) {
    data_arg = target;
  }

  if (!std::filesystem::exists(model_path)) {
    fmt::print("No model at '{}': train and save one first with 20_fashion_mnist.\n", model_path);
    return 0;
  }
  nnfs::Model<float> model = nnfs::Model<float>::load(model_path);

  const bool image_mode = !target.empty() && !is_index(target) && !std::filesystem::is_directory(target);
  if (image_mode) {
    if (!std::filesystem::exists(target)) {
      fmt::print("No image at '{}'. Give a 28x28 PNG, an index into the test set, or the data folder.\n", target);
      return 0;
    }
    const nnfs::io::GrayImage image = nnfs::io::read_gray_png(target);
    if (static_cast<nnfs::Index>(image.pixels.size()) != model.input_width())
      throw std::invalid_argument(fmt::format("{} is {}x{} ({} pixels) but the model takes {} pixels (28x28)",
                                              target, image.width, image.height, image.pixels.size(),
                                              model.input_width()));
    nnfs::Matrix<float> x(1, model.input_width());
    for (nnfs::Index j = 0; j < x.cols(); ++j) {
      const auto pixel = image.pixels[static_cast<std::size_t>(j)];
      x(0, j) = nnfs::io::scale_pixel<float>(invert ? static_cast<std::uint8_t>(255 - pixel) : pixel);
    }
    fmt::print("{}\n", describe(model.predict(x), 0));
  }

  // Everything else (and the accuracy after an image) needs the test set.
  std::vector<std::string> tried;
  const auto found = example::find_fashion_mnist(data_arg, tried);
  if (!found) {
    if (image_mode) return 0;  // the image was all that was asked for
    example::print_how_to_get_fashion_mnist(tried, argv[0]);
    return 0;
  }
  const nnfs::datasets::Dataset<float> test = load_test_set(*found);

  if (!image_mode) {
    nnfs::Index first = 0;
    nnfs::Index count = std::min<nnfs::Index>(10, test.X.rows());
    if (is_index(target)) {
      first = std::stol(target);
      if (first >= test.X.rows())
        throw std::out_of_range(fmt::format("test image {} asked for, but the test set in {} has {} images (0..{})",
                                            first, found->string(), test.X.rows(), test.X.rows() - 1));
      count = 1;
    }
    const nnfs::Matrix<float>& confidences = model.predict(test.X.middleRows(first, count));
    for (nnfs::Index i = 0; i < count; ++i)
      fmt::print("test image {}: {}; label {}\n", first + i, describe(confidences, i), label_name(test.y(first + i)));
  }
  print_test_accuracy(model, test);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
