// 06 — A batch of samples through two layers.
//
// A batch stacks samples as rows, so one matrix product handles them all. With the walk's
// weights written neurons × inputs, each layer computes
//     layer1 = X · W1ᵀ + b1,        (4×4)·(4×3) + (1×3) → 4×3
//     layer2 = layer1 · W2ᵀ + b2,   (4×3)·(3×3) + (1×3) → 4×3
// The batch is the walk's sample followed by the book's three chapter-2 samples. From example
// 08 on, nnfs::Dense stores weights as inputs × neurons, which saves the transposes.
#include "example_main.hpp"

#include <nnfs/print/print.hpp>
#include <nnfs/types.hpp>

#include <fmt/core.h>

namespace {

int run() {
  nnfs::Matrix<double> inputs(4, 4);
  inputs << 2.1, 1.7, 3.3, 0.8,  //
      1, 2, 3, 2.5,              //
      2.0, 5.0, -1.0, 2,         //
      -1.5, 2.7, 3.3, -0.8;
  nnfs::Matrix<double> weights(3, 4);
  weights << 0.5, -0.2, 0.9, -0.3, 0.7, 0.4, -0.6, 0.8, -0.1, 0.6, 0.2, -0.7;
  nnfs::RowVector<double> biases(3);
  biases << 1.5, 2.2, 0.9;
  nnfs::Matrix<double> weights2(3, 3);
  weights2 << 0.3, -0.4, 0.6, 0.2, 0.5, -0.3, 0.8, -0.1, 0.4;
  nnfs::RowVector<double> biases2(3);
  biases2 << 0.7, 1.2, -0.5;

  nnfs::Matrix<double> layer1_outputs = inputs * weights.transpose();
  layer1_outputs.rowwise() += biases;
  nnfs::Matrix<double> layer2_outputs = layer1_outputs * weights2.transpose();
  layer2_outputs.rowwise() += biases2;

  fmt::print("Layer 1 outputs:\n{}\n", nnfs::np(layer1_outputs));
  fmt::print("\nLayer 2 outputs:\n{}\n", nnfs::np(layer2_outputs));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
