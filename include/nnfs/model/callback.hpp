// nnfs/model/callback.hpp — the Callback interface Model::train calls (as Keras callbacks are
// called), with the run and step figures it passes; nnfs/model/callbacks.hpp has the overview
// and the built-in callbacks.
#pragma once

#include "nnfs/model/history.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {

/// What a training run will do, given to on_train_begin.
struct TrainingInfo {
  std::size_t epochs = 0;
  std::size_t steps_per_epoch = 0;
  std::size_t batch_size = 0;  // 0: the whole training set is one batch (the book's batch_size=None)
  std::size_t samples = 0;
  std::size_t print_every = 1;
  bool validation = false;     // validation data was given
  bool validate_each_epoch = false;  // mini-batch training validates after every epoch; full-batch after the last
};

/// One optimizer step's figures (the book's "step:" line), given to on_batch_end.
struct BatchInfo {
  std::size_t epoch = 0;  // 1-based
  std::size_t step = 0;   // 0-based within the epoch, as the book prints it
  std::size_t steps = 0;  // steps in this epoch
  double accuracy = 0.0;
  double loss = 0.0;
  double data_loss = 0.0;
  double regularization_loss = 0.0;
  double learning_rate = 0.0;  // the rate this step used
};

class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_train_begin(const TrainingInfo& /*info*/) {}
  virtual void on_epoch_begin(std::size_t /*epoch*/) {}
  virtual void on_batch_end(const BatchInfo& /*batch*/) {}
  virtual void on_epoch_end(const History::Record& /*record*/) {}
  virtual void on_warning(const std::string& /*message*/) {}
  virtual void on_train_end(const History& /*history*/) {}

  /// True for a callback that shows the run's progress itself (ProgressBar): Model::train then
  /// leaves the book's lines out by default, so the two never interleave on one terminal.
  virtual bool draws_progress() const { return false; }

  /// Asks the model to stop after the current batch (Keras's model.stop_training = True).
  void request_stop(std::string reason = {}) {
    stop_requested_ = true;
    stop_reason_ = std::move(reason);
  }
  bool stop_requested() const { return stop_requested_; }
  const std::string& stop_reason() const { return stop_reason_; }
  /// Called by the model at the start of every run, so a callback object can be reused.
  void reset_stop() {
    stop_requested_ = false;
    stop_reason_.clear();
    warnings_.clear();
  }

  /// Raises a warning: at the end of the epoch the model passes it to every callback's
  /// on_warning (BookLog and ProgressBar print it) and records it in History::warnings.
  void warn(std::string message) { warnings_.push_back(std::move(message)); }
  /// The warnings raised since the last call, handed over to the model.
  std::vector<std::string> take_warnings() { return std::exchange(warnings_, {}); }

 protected:
  Callback() = default;
  Callback(const Callback&) = default;
  Callback& operator=(const Callback&) = default;

 private:
  bool stop_requested_ = false;
  std::string stop_reason_;
  std::vector<std::string> warnings_;
};

}  // namespace nnfs
