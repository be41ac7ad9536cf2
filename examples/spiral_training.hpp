// The training loop of the book's chapters 10-15 on the spiral data, shared by examples 14-16:
//
//   spiral(samples, 3) → Dense(2, 64[, L2]) → ReLU [→ Dropout] → Dense(64, 3) → softmax + CCE
//
// Every epoch: forward pass, loss and accuracy (a line every 100 epochs), backward pass in
// reverse order, one optimizer step over both layers. After training, a new spiral (drawn only
// now, as in the book) is the validation set; dropout is not used there.
//
// train_spiral returns what the run leaves behind — the training data, the trained layers and
// every printed line as a History record — for pictures like 14_optimizers draws.
#pragma once

#include "training_log.hpp"

#include <nnfs/model/history.hpp>
#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <utility>

namespace example {

struct SpiralTraining {
  long samples = 100;                     // per class
  nnfs::Regularization regularization{};  // of the first Dense layer
  std::optional<double> dropout_rate;     // a Dropout layer after the ReLU when set
  long epochs = 10001;
};

/// A finished run: its training data, its trained layers, and its History (one record per
/// printed epoch; the validation figures, measured once after training, on the last one).
struct SpiralRun {
  nnfs::Matrix<float> X;
  nnfs::Labels y;
  nnfs::Dense<float> dense1;
  nnfs::Dense<float> dense2;
  nnfs::History history;

  /// The trained network's class scores for a batch of points (one row each; no dropout).
  nnfs::Matrix<float> scores(const nnfs::Matrix<float>& points) {
    nnfs::ReLU<float> relu;
    dense1.forward(points);
    relu.forward(dense1.output);
    return dense2.forward(relu.output);
  }
};

template <class Optimizer>
SpiralRun train_spiral(const SpiralTraining& config, Optimizer& optimizer) {
  const auto [X, y] = nnfs::datasets::spiral_data<float>(config.samples, 3);
  nnfs::History history;

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
      nnfs::History::Record record;
      record.epoch = static_cast<std::size_t>(epoch);
      record.data_loss = data_loss;
      record.accuracy = accuracy;
      record.learning_rate = optimizer.current_learning_rate();
      if (split_loss) {
        const double regularization_loss = dense1.regularization_loss() + dense2.regularization_loss();
        print_epoch(epoch, accuracy, data_loss + regularization_loss, data_loss, regularization_loss,
                    optimizer.current_learning_rate());
        record.regularization_loss = regularization_loss;
      } else {
        print_epoch(epoch, accuracy, data_loss, optimizer.current_learning_rate());
      }
      record.loss = record.data_loss + record.regularization_loss;
      history.records.push_back(record);
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
  const double validation_accuracy = nnfs::accuracy(loss_activation.output(), y_test);
  print_validation(validation_accuracy, loss);
  if (!history.empty()) {
    history.records.back().validation_loss = loss;
    history.records.back().validation_accuracy = validation_accuracy;
  }

  fmt::print(stderr, "trained {} epochs in {:.1f} ms ({} numerics)\n", config.epochs,
             std::chrono::duration<double, std::milli>(elapsed).count(), nnfs::book_mode() ? "book" : "fast");
  return SpiralRun{X, y, std::move(dense1), std::move(dense2), std::move(history)};
}

}  // namespace example
