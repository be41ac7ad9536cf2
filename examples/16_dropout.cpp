// 16 — Dropout (book chapter 15).
//
// During training a Dropout(0.1) layer after the ReLU zeroes a random 10% of the hidden units
// each epoch (and scales the rest by 1/0.9), so no unit can rely on any other. With 1000 samples
// per class and L2 on the first layer, training accuracy drops but validation holds up.
//
// usage: 16_dropout [--epochs N]   (the book's 10 001 without it; shorter runs are for the sanitizers)
#include "example_args.hpp"
#include "example_main.hpp"
#include "spiral_training.hpp"

namespace {

int run(int argc, char** argv) {
  nnfs::init();
  example::SpiralTraining config;
  config.epochs = example::epochs_option(argc, argv, config.epochs);
  config.samples = 1000;
  config.regularization = {0.0, 5e-4, 0.0, 5e-4};
  config.dropout_rate = 0.1;
  nnfs::Adam optimizer(0.05, 5e-5);
  example::train_spiral(config, optimizer);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
