// 14 — Training with an optimizer (book chapters 10-11).
//
// Gradient descent moves every parameter against its gradient; the optimizers differ in how:
//   sgd           θ ← θ − lr·g                                   SGD()
//   sgd-momentum  u ← μ·u − lr·g, θ ← θ + u                      SGD(decay=1e-3, momentum=0.9)
//   adagrad       c ← c + g², θ ← θ − lr·g/(√c + ε)              Adagrad(decay=1e-4)
//   rmsprop       c ← ρ·c + (1−ρ)·g², θ ← θ − lr·g/(√c + ε)      RMSprop(0.02, decay=1e-5, rho=0.999)
//   adam          momentum + RMSprop cache, bias-corrected        Adam(0.05, decay=5e-7)  (default)
// with the learning rate decayed as lr/(1 + decay·step). After 10 001 epochs on spiral(100, 3)
// the model is validated on a new spiral (chapter 11).
//
// usage: 14_optimizers [adam|sgd|sgd-momentum|adagrad|rmsprop] [--fast]
//        --fast keeps the fast numerics (no book rounding) and is what the timing on stderr is for.
#include "spiral_training.hpp"

#include <fmt/core.h>

#include <string>

int main(int argc, char** argv) {
  std::string name = "adam";
  bool fast = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--fast") {
      fast = true;
    } else if (arg == "adam" || arg == "sgd" || arg == "sgd-momentum" || arg == "adagrad" || arg == "rmsprop") {
      name = arg;
    } else {
      fmt::print(stderr, "usage: {} [adam|sgd|sgd-momentum|adagrad|rmsprop] [--fast]\n", argv[0]);
      return 2;
    }
  }
  nnfs::init();
  if (fast) nnfs::set_numerics(nnfs::Numerics::fast);

  const example::SpiralTraining config;  // spiral(100, 3), no regularization, no dropout
  if (name == "sgd") {
    nnfs::SGD optimizer;
    example::train_spiral(config, optimizer);
  } else if (name == "sgd-momentum") {
    nnfs::SGD optimizer(1.0, 1e-3, 0.9);
    example::train_spiral(config, optimizer);
  } else if (name == "adagrad") {
    nnfs::Adagrad optimizer(1.0, 1e-4);
    example::train_spiral(config, optimizer);
  } else if (name == "rmsprop") {
    nnfs::RMSprop optimizer(0.02, 1e-5, 1e-7, 0.999);
    example::train_spiral(config, optimizer);
  } else {
    nnfs::Adam optimizer(0.05, 5e-7);
    example::train_spiral(config, optimizer);
  }
}
