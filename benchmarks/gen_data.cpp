// nnfs_bench_data DIR — writes the data and initial weights every implementation reads, so that
// all of them train the same network on the same samples and can be held to the same final loss.
//
//   W1  w1_X.npy (300×2), w1_y.npy (300): the book's spiral_data(100, 3) after nnfs.init();
//       w1_W1.npy (2×64), w1_W2.npy (64×3): 0.01·randn drawn next, as the book's Layer_Dense
//       does — i.e. exactly the chapter 10 program's data and weights.
//   W2  w2_X.npy (60000×784): uniform [0, 1) floats (like pixel intensities), RandomState(5);
//       w2_y.npy (60000): the labels of a random linear "teacher", argmax_j ((x − 0.5)·T)_j with
//       T = randn(784×10), so the network has something to learn and a run that skips work
//       ends with a visibly different loss; w2_W1/W2/W3.npy (784×128, 128×128, 128×10):
//       0.01·randn, drawn after T from the same generator.
#include "common.hpp"

#include <nnfs/nnfs.hpp>

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::filesystem::create_directories(dir);

  // W1: the chapter 10 program's own draws.
  nnfs::init(0);
  const auto spiral = nnfs::datasets::spiral_data<float>(100, 3);
  const nnfs::Dense<float> d1(2, bench::w1_hidden);
  const nnfs::Dense<float> d2(bench::w1_hidden, bench::w1_classes);
  bench::save(dir + "/w1_X.npy", spiral.X);
  bench::save(dir + "/w1_y.npy", bench::LabelsI(spiral.y));
  bench::save(dir + "/w1_W1.npy", d1.weights);
  bench::save(dir + "/w1_W2.npy", d2.weights);

  // W2: random inputs, teacher labels, 0.01·randn weights.
  nnfs::RandomState rng(5);
  const bench::MatrixF X = rng.random_sample<float>(bench::w2_samples, bench::w2_inputs);
  const Eigen::MatrixXd teacher = rng.randn<double>(bench::w2_inputs, bench::w2_classes);
  const Eigen::MatrixXd logits = (X.cast<double>().array() - 0.5).matrix() * teacher;
  bench::LabelsI y(bench::w2_samples);
  std::vector<long> counts(bench::w2_classes, 0);
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    Eigen::Index best = 0;
    logits.row(i).maxCoeff(&best);
    y(i) = static_cast<std::int32_t>(best);
    ++counts[static_cast<std::size_t>(best)];
  }
  const nnfs::Dense<float> l1(bench::w2_inputs, bench::w2_hidden, rng);
  const nnfs::Dense<float> l2(bench::w2_hidden, bench::w2_hidden, rng);
  const nnfs::Dense<float> l3(bench::w2_hidden, bench::w2_classes, rng);
  bench::save(dir + "/w2_X.npy", X);
  bench::save(dir + "/w2_y.npy", y);
  bench::save(dir + "/w2_W1.npy", l1.weights);
  bench::save(dir + "/w2_W2.npy", l2.weights);
  bench::save(dir + "/w2_W3.npy", l3.weights);

  std::printf("wrote %s: W1 spiral 300x2, W2 %ldx%ld, W2 class counts", dir.c_str(), bench::w2_samples,
              bench::w2_inputs);
  for (const long c : counts) std::printf(" %ld", c);
  std::printf("\n");
}
