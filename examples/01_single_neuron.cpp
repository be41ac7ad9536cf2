// 01 — A single neuron with 3 inputs (book chapter 2).
//
//     output = x0·w0 + x1·w1 + x2·w2 + bias
//
// A neuron weighs each input, adds them up and adds its bias. Nothing more.
#include "example_main.hpp"

#include <nnfs/print/print.hpp>

#include <fmt/core.h>

namespace {

int run() {
  const double inputs[] = {2.5, 1.8, 0.7};
  const double weights[] = {0.6, -0.4, 1.2};
  const double bias = 0.8;

  const double output = inputs[0] * weights[0] + inputs[1] * weights[1] + inputs[2] * weights[2] + bias;
  fmt::print("{}\n", nnfs::repr(output));  // 1.5 − 0.72 + 0.84 + 0.8 = 2.42
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
