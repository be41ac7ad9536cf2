// 15 — L2 regularization (book chapter 14).
//
// The first layer's weights and biases pay a penalty λ·Σθ² (λ = 5e-4) added to the loss, and
// 2λθ added to their gradients: large weights now have to earn their size. The progress lines
// show the data loss and the regularization loss apart; the validation loss is what improves.
#include "example_main.hpp"
#include "spiral_training.hpp"

namespace {

int run() {
  nnfs::init();
  example::SpiralTraining config;
  config.regularization = {0.0, 5e-4, 0.0, 5e-4};  // weight_l1, weight_l2, bias_l1, bias_l2
  nnfs::Adam optimizer(0.02, 5e-7);
  example::train_spiral(config, optimizer);
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
