// 16 — Dropout (book chapter 15).
//
// During training a Dropout(0.1) layer after the ReLU zeroes a random 10% of the hidden units
// each epoch (and scales the rest by 1/0.9), so no unit can rely on any other. With 1000 samples
// per class and L2 on the first layer, training accuracy drops but validation holds up.
#include "example_main.hpp"
#include "spiral_training.hpp"

namespace {

int run() {
  nnfs::init();
  example::SpiralTraining config;
  config.samples = 1000;
  config.regularization = {0.0, 5e-4, 0.0, 5e-4};
  config.dropout_rate = 0.1;
  nnfs::Adam optimizer(0.05, 5e-5);
  example::train_spiral(config, optimizer);
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
