// 11 — The full forward pass with loss and accuracy (book chapter 5).
//
//   X (N×2) → Dense(2, n) → ReLU → Dense(n, classes) → Softmax → probabilities (N×classes)
//   loss = mean −log(probability of the true class); accuracy = mean(argmax == y)
//
// With random weights the network guesses: every class gets ≈ 1/classes, the loss is
// ≈ log(classes) and the accuracy ≈ 1/classes. After nnfs::init() this prints the book's
// numbers exactly. Training (the next chapters) is what moves them.
//
// usage: 11_full_forward_pass [samples=100] [classes=3] [neurons=3]
//        (the walk's 5-class variant: 11_full_forward_pass 100 5 5)
#include "example_args.hpp"
#include "example_main.hpp"

#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <exception>

namespace {

int run(int argc, char** argv) {
  const long samples = example::positive_arg(argc, argv, 1, 100, "samples");
  const long classes = example::positive_arg(argc, argv, 2, 3, "classes");
  const long neurons = example::positive_arg(argc, argv, 3, 3, "neurons");
  try {
    nnfs::init();  // seed 0 and the book's float32 rules, as nnfs.init() in Python

    const auto [X, y] = nnfs::datasets::spiral_data<float>(samples, classes);

    nnfs::Dense<float> dense1(2, neurons);
    nnfs::ReLU<float> activation1;
    nnfs::Dense<float> dense2(neurons, classes);
    nnfs::Softmax<float> activation2;
    nnfs::CategoricalCrossentropy<float> loss_function;

    dense1.forward(X);
    activation1.forward(dense1.output);
    dense2.forward(activation1.output);
    activation2.forward(dense2.output);

    fmt::print("{}\n", nnfs::np(activation2.output.topRows(5)));

    const float loss = loss_function.calculate(activation2.output, y);
    const double accuracy = nnfs::accuracy(activation2.output, y);
    fmt::print("loss: {}\n", nnfs::repr(loss));
    fmt::print("acc: {}\n", nnfs::repr(accuracy));
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
