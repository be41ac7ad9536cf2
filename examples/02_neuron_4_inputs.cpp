// 02 — A neuron with 4 inputs: one more weight, the same sum.
//
//     output = Σ_i x_i·w_i + bias
//
// The printed value is what double arithmetic gives (as Python prints it): 0.96 − 1.2 + 1.05 +
// 0.99 + 1.4 = 3.2 exactly on paper, 3.1999999999999997 in binary floating point.
#include "example_main.hpp"

#include <nnfs/print/print.hpp>

#include <fmt/core.h>

namespace {

int run() {
  const double inputs[] = {3.2, 1.5, 2.1, 0.9};
  const double weights[] = {0.3, -0.8, 0.5, 1.1};
  const double bias = 1.4;

  const double output =
      inputs[0] * weights[0] + inputs[1] * weights[1] + inputs[2] * weights[2] + inputs[3] * weights[3] + bias;
  fmt::print("{}\n", nnfs::repr(output));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
