// 09 — Softmax (book chapter 4): scores to probabilities, row by row.
//
//     softmax(x)_j = exp(x_j − max x) / Σ_k exp(x_k − max x)
//
// Every row of the result is positive and sums to 1; subtracting the row maximum first keeps
// exp from overflowing without changing the result.
#include "example_main.hpp"

#include <nnfs/print/print.hpp>
#include <nnfs/layers/softmax.hpp>

#include <fmt/core.h>

namespace {

int run() {
  nnfs::Matrix<double> inputs(3, 4);
  inputs << 1, 2, 3, 2.5,  //
      2, 5, -1, 2,         //
      -1.5, 2.7, 3.3, -0.8;
  nnfs::Softmax<double> softmax;
  softmax.forward(inputs);
  fmt::print("{}\n", nnfs::np(softmax.output));
  const nnfs::Vector<double> row_sums = softmax.output.rowwise().sum();
  fmt::print("{}\n", nnfs::np(row_sums));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
