// 10 — Categorical cross-entropy (book chapter 5): how wrong are the probabilities?
//
//     L = mean_i −log(ŷ_i,true class)
//
// Targets can be class indices (one integer per sample) or one-hot rows; both pick the
// probability the network gave to the right class. A confident right answer costs little
// (−log 0.98 ≈ 0.02), a hesitant one more (−log 0.5 ≈ 0.69).
#include "example_main.hpp"

#include <nnfs/losses/categorical_crossentropy.hpp>
#include <nnfs/print/print.hpp>

#include <fmt/core.h>

namespace {

int run() {
  nnfs::CategoricalCrossentropy<double> loss_function;

  // The book: class indices.
  nnfs::Matrix<double> softmax_outputs(3, 3);
  softmax_outputs << 0.7, 0.1, 0.2, 0.1, 0.5, 0.4, 0.02, 0.9, 0.08;
  nnfs::Labels class_targets(3);
  class_targets << 0, 1, 1;
  fmt::print("loss (class indices): {}\n", nnfs::repr(loss_function.calculate(softmax_outputs, class_targets)));

  // The walk: one-hot targets.
  softmax_outputs << 0.7, 0.1, 0.2, 0.1, 0.5, 0.4, 0.02, 0.0, 0.98;
  nnfs::Matrix<int> one_hot(3, 3);
  one_hot << 1, 0, 0, 0, 1, 0, 0, 0, 1;
  fmt::print("loss (one-hot): {}\n", nnfs::repr(loss_function.calculate(softmax_outputs, one_hot)));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
