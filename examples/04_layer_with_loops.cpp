// 04 — The same layer with loops: the outer loop picks a neuron (its weights and bias), the
// inner loop accumulates inputs × weights. Adding neurons or inputs now only changes the data.
#include "example_main.hpp"

#include <nnfs/print/print.hpp>

#include <fmt/core.h>

#include <string>
#include <vector>

namespace {

int run() {
  const std::vector<double> inputs = {2.1, 1.7, 3.3, 0.8};
  const std::vector<std::vector<double>> weights = {
      {0.5, -0.2, 0.9, -0.3}, {0.7, 0.4, -0.6, 0.8}, {-0.1, 0.6, 0.2, -0.7}};
  const std::vector<double> biases = {1.5, 2.2, 0.9};

  std::vector<double> layer_outputs;
  for (std::size_t n = 0; n < weights.size(); ++n) {  // each neuron
    double neuron_output = 0.0;
    for (std::size_t i = 0; i < inputs.size(); ++i)  // each input of that neuron
      neuron_output += inputs[i] * weights[n][i];
    neuron_output += biases[n];
    layer_outputs.push_back(neuron_output);
  }

  std::string text = "[";
  for (std::size_t n = 0; n < layer_outputs.size(); ++n)
    text += (n ? ", " : "") + nnfs::repr(layer_outputs[n]);
  fmt::print("{}]\n", text);
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
