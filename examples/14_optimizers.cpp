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
// Then two pictures go to the working directory: decision_regions.svg, the class the trained
// network picks at every point of the plane (the training data on top), and
// training_curves.svg, the printed loss, accuracy and learning rate against the epoch.
//
// usage: 14_optimizers [adam|sgd|sgd-momentum|adagrad|rmsprop] [--fast] [--epochs N]
//        --fast keeps the fast numerics (no book rounding) and is what the timing on stderr is for;
//        --epochs N stops after N epochs instead of the book's 10 001 (the sanitizer builds'
//        short runs, whose first lines are the full run's).
#include "example_args.hpp"
#include "example_main.hpp"
#include "spiral_training.hpp"

#include <nnfs/plot/plot.hpp>

#include <fmt/core.h>

#include <exception>
#include <string>

namespace {

int run(int argc, char** argv) {
  std::string name = "adam";
  bool fast = false;
  example::SpiralTraining config;  // spiral(100, 3), no regularization, no dropout
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--fast") {
      fast = true;
    } else if (arg == "--epochs" && i + 1 < argc) {
      ++i;
      config.epochs = example::positive_arg(argc, argv, i, config.epochs, "epochs");
    } else if (arg == "adam" || arg == "sgd" || arg == "sgd-momentum" || arg == "adagrad" || arg == "rmsprop") {
      name = arg;
    } else {
      fmt::print(stderr, "usage: {} [adam|sgd|sgd-momentum|adagrad|rmsprop] [--fast] [--epochs N]\n", argv[0]);
      return 2;
    }
  }
  nnfs::init();
  if (fast) nnfs::set_numerics(nnfs::Numerics::fast);

  const auto train = [&]() -> example::SpiralRun {
    if (name == "sgd") {
      nnfs::SGD optimizer;
      return example::train_spiral(config, optimizer);
    } else if (name == "sgd-momentum") {
      nnfs::SGD optimizer(1.0, 1e-3, 0.9);
      return example::train_spiral(config, optimizer);
    } else if (name == "adagrad") {
      nnfs::Adagrad optimizer(1.0, 1e-4);
      return example::train_spiral(config, optimizer);
    } else if (name == "rmsprop") {
      nnfs::RMSprop optimizer(0.02, 1e-5, 1e-7, 0.999);
      return example::train_spiral(config, optimizer);
    }
    nnfs::Adam optimizer(0.05, 5e-7);
    return example::train_spiral(config, optimizer);
  };
  example::SpiralRun run = train();

  try {
    // matplotlib: contourf over a mesh grid of predictions, then the scatter. The network
    // classifies the whole grid (about 200 × 170 points) as one batch.
    nnfs::plot::DecisionRegionsOptions regions;
    regions.title = fmt::format("{}: decision regions after {} epochs", name, config.epochs);
    nnfs::plot::decision_regions_svg(
        "decision_regions.svg", [&run](const nnfs::Matrix<float>& points) { return run.scores(points); },
        run.X, run.y, regions);

    nnfs::plot::TrainingCurvesOptions curves;
    curves.title = fmt::format("{} on spiral_data(100, 3)", name);
    nnfs::plot::training_curves_svg("training_curves.svg", run.history, curves);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
