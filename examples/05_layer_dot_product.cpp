// 05 — The same layer as one matrix–vector product.
//
//     outputs = W · x + b,   (3×4)·(4) + (3) → (3)
//
// Each output is the dot product of one neuron's weight row with the inputs: exactly the inner
// loop of example 04, done by Eigen. Printed like NumPy prints an array.
#include "example_main.hpp"

#include <nnfs/print/print.hpp>
#include <nnfs/types.hpp>

#include <Eigen/Core>
#include <fmt/core.h>

namespace {

int run() {
  Eigen::Vector4d inputs(2.1, 1.7, 3.3, 0.8);
  nnfs::Matrix<double> weights(3, 4);
  weights << 0.5, -0.2, 0.9, -0.3,  //
      0.7, 0.4, -0.6, 0.8,          //
      -0.1, 0.6, 0.2, -0.7;
  const Eigen::Vector3d biases(1.5, 2.2, 0.9);

  const Eigen::Vector3d layer_outputs = weights * inputs + biases;
  fmt::print("{}\n", nnfs::np(layer_outputs));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
