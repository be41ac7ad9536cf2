// 03 — A layer of 3 neurons, every multiplication written out.
//
// Each neuron has its own weights (one per input) and its own bias; all see the same inputs:
//     output_n = Σ_i x_i·w_n,i + b_n      for n = 0, 1, 2
#include "example_main.hpp"

#include <nnfs/print/print.hpp>

#include <fmt/core.h>

namespace {

int run() {
  const double inputs[4] = {2.1, 1.7, 3.3, 0.8};
  const double weights[3][4] = {{0.5, -0.2, 0.9, -0.3},  // neuron 0
                                {0.7, 0.4, -0.6, 0.8},   // neuron 1
                                {-0.1, 0.6, 0.2, -0.7}}; // neuron 2
  const double biases[3] = {1.5, 2.2, 0.9};

  const double outputs[3] = {
      inputs[0] * weights[0][0] + inputs[1] * weights[0][1] + inputs[2] * weights[0][2] +
          inputs[3] * weights[0][3] + biases[0],
      inputs[0] * weights[1][0] + inputs[1] * weights[1][1] + inputs[2] * weights[1][2] +
          inputs[3] * weights[1][3] + biases[1],
      inputs[0] * weights[2][0] + inputs[1] * weights[2][1] + inputs[2] * weights[2][2] +
          inputs[3] * weights[2][3] + biases[2],
  };
  // Printed like a Python list: [4.94, 3.01, 1.81] up to binary rounding.
  fmt::print("[{}, {}, {}]\n", nnfs::repr(outputs[0]), nnfs::repr(outputs[1]), nnfs::repr(outputs[2]));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
