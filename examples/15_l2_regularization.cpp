// 15 — L2 regularization (book chapter 14).
//
// The first layer's weights and biases pay a penalty λ·Σθ² (λ = 5e-4) added to the loss, and
// 2λθ added to their gradients: large weights now have to earn their size. The progress lines
// show the data loss and the regularization loss apart; the validation loss is what improves.
//
// usage: 15_l2_regularization [--epochs N]   (the book's 10 001 without it; shorter runs are for the sanitizers)
#include "example_args.hpp"
#include "example_main.hpp"
#include "spiral_training.hpp"

namespace {

int run(int argc, char** argv) {
  nnfs::init();
  example::SpiralTraining config;
  config.epochs = example::epochs_option(argc, argv, config.epochs);
  config.regularization = {0.0, 5e-4, 0.0, 5e-4};  // weight_l1, weight_l2, bias_l1, bias_l2
  nnfs::Adam optimizer(0.02, 5e-7);
  example::train_spiral(config, optimizer);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
