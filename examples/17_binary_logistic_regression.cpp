// 17 — Binary logistic regression (book chapter 16).
//
// Two spiral classes, one sigmoid output: p = σ(z) is the probability of class 1, trained with
// binary cross-entropy −(y·log p + (1 − y)·log(1 − p)); a prediction is 1 where p > 0.5.
//   spiral(100, 2) → Dense(2, 64, L2 5e-4) → ReLU → Dense(64, 1) → Sigmoid → BCE, Adam(decay=5e-7)
//
// usage: 17_binary_logistic_regression [--epochs N]   (the book's 10 001 without it; shorter runs are for the sanitizers)
#include "example_args.hpp"
#include "example_main.hpp"
#include "training_log.hpp"

#include <nnfs/nnfs.hpp>

namespace {

int run(int argc, char** argv) {
  const long epochs = example::epochs_option(argc, argv, 10001);
  nnfs::init();
  const auto [X, labels] = nnfs::datasets::spiral_data<float>(100, 2);
  const nnfs::Matrix<float> y = labels.cast<float>();  // y.reshape(-1, 1): one target column

  nnfs::Dense<float> dense1(2, 64, {0.0, 5e-4, 0.0, 5e-4});
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(64, 1);
  nnfs::Sigmoid<float> activation2;
  nnfs::BinaryCrossentropy<float> loss_function;
  nnfs::Adam optimizer(0.001, 5e-7);

  for (long epoch = 0; epoch < epochs; ++epoch) {
    dense1.forward(X);
    activation1.forward(dense1.output);
    dense2.forward(activation1.output);
    activation2.forward(dense2.output);
    const float data_loss = loss_function.calculate(activation2.output, y);
    nnfs::check_finite<float>(epoch, data_loss, {{"dense1", dense1.output}, {"dense2", dense2.output}});
    const double regularization_loss = dense1.regularization_loss() + dense2.regularization_loss();
    const double accuracy = nnfs::binary_accuracy(activation2.output, y);
    if (epoch % 100 == 0)
      example::print_epoch(epoch, accuracy, data_loss + regularization_loss, data_loss, regularization_loss,
                           optimizer.current_learning_rate());

    loss_function.backward(activation2.output, y);
    activation2.backward(loss_function.dinputs);
    dense2.backward(activation2.dinputs);
    activation1.backward(dense2.dinputs);
    dense1.backward(activation1.dinputs);
    optimizer.step(dense1, dense2);
  }

  const auto [X_test, labels_test] = nnfs::datasets::spiral_data<float>(100, 2);
  const nnfs::Matrix<float> y_test = labels_test.cast<float>();
  dense1.forward(X_test);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  activation2.forward(dense2.output);
  const float loss = loss_function.calculate(activation2.output, y_test);
  example::print_validation(nnfs::binary_accuracy(activation2.output, y_test), loss);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
