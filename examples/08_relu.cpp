// 08 — ReLU (book chapter 4): max(0, x), first on a list, then on a Dense layer's output
// for the spiral data.
//
// usage: 08_relu [samples=100] [classes=3] [neurons=3]   (the walk's variant: 08_relu 100 5 5)
#include "example_args.hpp"
#include "example_main.hpp"

#include <nnfs/datasets.hpp>
#include <nnfs/init.hpp>
#include <nnfs/layers/dense.hpp>
#include <nnfs/print/print.hpp>
#include <nnfs/layers/relu.hpp>

#include <fmt/core.h>

namespace {

int run(int argc, char** argv) {
  const long samples = example::positive_arg(argc, argv, 1, 100, "samples");
  const long classes = example::positive_arg(argc, argv, 2, 3, "classes");
  const long neurons = example::positive_arg(argc, argv, 3, 3, "neurons");

  // output = max(0, inputs), element by element
  nnfs::Matrix<double> inputs(1, 8);
  inputs << 0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100;
  nnfs::ReLU<double> relu_demo;
  relu_demo.forward(inputs);
  fmt::print("{}\n", nnfs::np1(relu_demo.output));

  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<float>(samples, classes);
  nnfs::Dense<float> dense1(2, neurons);
  nnfs::ReLU<float> activation1;
  dense1.forward(X);
  activation1.forward(dense1.output);
  fmt::print("{}\n", nnfs::np(activation1.output.topRows(5)));
  (void)y;
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
