// The training loop of the book's chapters 10-15 on the spiral data, shared by examples 14-16:
//
//   spiral(samples, 3) → Dense(2, 64[, L2]) → ReLU [→ Dropout] → Dense(64, 3) → softmax + CCE
//
// Every epoch: forward pass, loss and accuracy (a line every 100 epochs), backward pass in
// reverse order, one optimizer step over both layers. After training, a new spiral (drawn only
// now, as in the book) is the validation set; dropout is not used there.
#pragma once

#include "training_log.hpp"

#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <chrono>
#include <optional>

namespace example {

struct SpiralTraining {
  long samples = 100;                     // per class
  nnfs::Regularization regularization{};  // of the first Dense layer
  std::optional<double> dropout_rate;     // a Dropout layer after the ReLU when set
  long epochs = 10001;
};

template <class Optimizer>
void train_spiral(const SpiralTraining& config, Optimizer& optimizer) {
  const auto [X, y] = nnfs::datasets::spiral_data<float>(config.samples, 3);

  nnfs::Dense<float> dense1(2, 64, config.regularization);
  nnfs::ReLU<float> activation1;
  std::optional<nnfs::Dropout<float>> dropout1;
  if (config.dropout_rate) dropout1.emplace(*config.dropout_rate);
  nnfs::Dense<float> dense2(64, 3);
  nnfs::SoftmaxCategoricalCrossentropy<float> loss_activation;
  const bool split_loss = config.regularization.any();

  const auto start = std::chrono::steady_clock::now();
  for (long epoch = 0; epoch < config.epochs; ++epoch) {
    dense1.forward(X);
    activation1.forward(dense1.output);
    const nnfs::Matrix<float>& hidden = dropout1 ? dropout1->forward(activation1.output) : activation1.output;
    dense2.forward(hidden);
    const float data_loss = loss_activation.forward(dense2.output, y);
    nnfs::check_finite<float>(epoch, data_loss, {{"dense1", dense1.output}, {"dense2", dense2.output}});
    const double accuracy = nnfs::accuracy(loss_activation.output(), y);

    if (epoch % 100 == 0) {
      if (split_loss) {
        const double regularization_loss = dense1.regularization_loss() + dense2.regularization_loss();
        print_epoch(epoch, accuracy, data_loss + regularization_loss, data_loss, regularization_loss,
                    optimizer.current_learning_rate());
      } else {
        print_epoch(epoch, accuracy, data_loss, optimizer.current_learning_rate());
      }
    }

    loss_activation.backward(loss_activation.output(), y);
    dense2.backward(loss_activation.dinputs);
    const nnfs::Matrix<float>& dhidden = dropout1 ? dropout1->backward(dense2.dinputs) : dense2.dinputs;
    activation1.backward(dhidden);
    dense1.backward(activation1.dinputs);

    optimizer.step(dense1, dense2);  // pre_update_params, update both layers, post_update_params
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;

  const auto [X_test, y_test] = nnfs::datasets::spiral_data<float>(100, 3);
  dense1.forward(X_test);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  const float loss = loss_activation.forward(dense2.output, y_test);
  print_validation(nnfs::accuracy(loss_activation.output(), y_test), loss);

  fmt::print(stderr, "trained {} epochs in {:.1f} ms ({} numerics)\n", config.epochs,
             std::chrono::duration<double, std::milli>(elapsed).count(), nnfs::book_mode() ? "book" : "fast");
}

}  // namespace example
