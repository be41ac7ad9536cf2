// 18 — Regression (book chapter 17): fitting y = sin(2πx).
//
// A linear output and mean squared error; "accuracy" counts predictions within std(y)/250 of
// the target. Weights start at 0.1·randn (the book's chapter 17 change), which this deeper net
// needs to get going.
//   sine_data(1000) → Dense(1, 64) → ReLU → Dense(64, 64) → ReLU → Dense(64, 1) → Linear → MSE,
//   Adam(0.005, decay=1e-3)
//
// usage: 18_regression [--epochs N]   (the book's 10 001 without it; shorter runs are for the sanitizers)
#include "example_args.hpp"
#include "example_main.hpp"
#include "training_log.hpp"

#include <nnfs/nnfs.hpp>

namespace {

int run(int argc, char** argv) {
  const long epochs = example::epochs_option(argc, argv, 10001);
  nnfs::init();
  const auto [X, y] = nnfs::datasets::sine_data<float>();

  nnfs::Dense<float> dense1(1, 64, {}, 0.1);
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(64, 64, {}, 0.1);
  nnfs::ReLU<float> activation2;
  nnfs::Dense<float> dense3(64, 1, {}, 0.1);
  nnfs::Linear<float> activation3;
  nnfs::MeanSquaredError<float> loss_function;
  nnfs::Adam optimizer(0.005, 1e-3);
  nnfs::RegressionAccuracy accuracy;
  accuracy.init(y);  // precision = std(y) / 250, once, from the training targets

  for (long epoch = 0; epoch < epochs; ++epoch) {
    dense1.forward(X);
    activation1.forward(dense1.output);
    dense2.forward(activation1.output);
    activation2.forward(dense2.output);
    dense3.forward(activation2.output);
    activation3.forward(dense3.output);
    const float data_loss = loss_function.calculate(activation3.output, y);
    nnfs::check_finite<float>(epoch, data_loss,
                              {{"dense1", dense1.output}, {"dense2", dense2.output}, {"dense3", dense3.output}});
    const double regularization_loss =
        dense1.regularization_loss() + dense2.regularization_loss() + dense3.regularization_loss();
    if (epoch % 100 == 0)
      example::print_epoch(epoch, accuracy.calculate(activation3.output, y), data_loss + regularization_loss,
                           data_loss, regularization_loss, optimizer.current_learning_rate());

    loss_function.backward(activation3.output, y);
    activation3.backward(loss_function.dinputs);
    dense3.backward(activation3.dinputs);
    activation2.backward(dense3.dinputs);
    dense2.backward(activation2.dinputs);
    activation1.backward(dense2.dinputs);
    dense1.backward(activation1.dinputs);
    optimizer.step(dense1, dense2, dense3);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
