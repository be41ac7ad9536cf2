// nnfs/callbacks.hpp — watching (and stopping) Model::train, as Keras callbacks do.
//
// Model::train calls every callback at these points:
//     on_train_begin(info)   once, before the first epoch
//     on_epoch_begin(epoch)  epochs are numbered from 1, as the book prints them
//     on_batch_end(batch)    after each optimizer step (full-batch training: one per epoch)
//     on_epoch_end(record)   with the epoch's History::Record (validation figures included when
//                            validation ran after this epoch)
//     on_train_end(history)  once, also when a callback stopped training
// Any callback can end training with request_stop(reason): the model finishes the current batch
// and epoch, then stops. Built in:
//     BookLog        the book's lines (chapter 18 for full-batch training, 19–22 for mini-batches)
//     ProgressBar    a Keras-style bar, redrawn in place only on a terminal
//     EarlyStopping  stops when a monitored figure has not improved for `patience` epochs
// The History of every run is returned by Model::train (and can be written as CSV).
#pragma once

#include "nnfs/history.hpp"
#include "nnfs/print.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

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
  virtual void on_train_end(const History& /*history*/) {}

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
  }

 protected:
  Callback() = default;
  Callback(const Callback&) = default;
  Callback& operator=(const Callback&) = default;

 private:
  bool stop_requested_ = false;
  std::string stop_reason_;
};

namespace detail {
inline bool is_terminal(std::FILE* stream) {
#if defined(_WIN32)
  return _isatty(_fileno(stream)) != 0;
#else
  return isatty(fileno(stream)) != 0;
#endif
}
}  // namespace detail

/// The book's progress lines, as its Python f-strings print them.
///
/// Full-batch training (chapter 18), every print_every epochs and after training:
///     epoch: 100, acc: 0.716, loss: 0.726 (data_loss: 0.666, reg_loss: 0.060), lr: 0.04975371909050202
///     validation, acc: 0.773, loss: 0.562
/// Mini-batch training (chapters 19–22), for every epoch:
///     epoch: 1
///     step: 0, acc: 0.102, loss: 2.303 (data_loss: 2.303, reg_loss: 0.000), lr: 0.001
///     ...   (every print_every steps and the last step)
///     training, acc: 0.812, loss: 0.521 (data_loss: 0.521, reg_loss: 0.000), lr: 0.000680...
///     validation, acc: 0.843, loss: 0.442
/// The learning rate is printed as Python's repr() of the float.
class BookLog : public Callback {
 public:
  explicit BookLog(std::FILE* stream = stdout) : stream_(stream) {}

  void on_train_begin(const TrainingInfo& info) override { info_ = info; }

  void on_epoch_begin(std::size_t epoch) override {
    if (!full_batch()) fmt::print(stream_, "epoch: {}\n", epoch);
  }

  void on_batch_end(const BatchInfo& b) override {
    if (full_batch()) {
      if (b.epoch % info_.print_every == 0) print_figures(fmt::format("epoch: {}", b.epoch), b.accuracy, b.loss,
                                                           b.data_loss, b.regularization_loss, b.learning_rate);
      return;
    }
    if (b.step % info_.print_every == 0 || b.step + 1 == b.steps)
      print_figures(fmt::format("step: {}", b.step), b.accuracy, b.loss, b.data_loss, b.regularization_loss,
                    b.learning_rate);
  }

  void on_epoch_end(const History::Record& r) override {
    if (full_batch()) return;
    print_figures("training", r.accuracy, r.loss, r.data_loss, r.regularization_loss, r.learning_rate);
    print_validation(r);
  }

  void on_train_end(const History& history) override {
    if (full_batch() && !history.empty()) print_validation(history.records.back());
  }

 private:
  bool full_batch() const { return info_.batch_size == 0; }

  void print_figures(const std::string& head, double acc, double loss, double data_loss, double reg_loss,
                     double lr) const {
    fmt::print(stream_, "{}, acc: {:.3f}, loss: {:.3f} (data_loss: {:.3f}, reg_loss: {:.3f}), lr: {}\n", head, acc,
               loss, data_loss, reg_loss, repr(lr));
  }

  void print_validation(const History::Record& r) const {
    if (r.validation_loss && r.validation_accuracy)
      fmt::print(stream_, "validation, acc: {:.3f}, loss: {:.3f}\n", *r.validation_accuracy, *r.validation_loss);
  }

  std::FILE* stream_;
  TrainingInfo info_;
};

/// A Keras-style progress bar:
///     epoch 3/10  [==============>               ] 234/469  acc 0.853  loss 0.412  lr 0.00095
/// On a terminal the line is redrawn in place (at most ~10 times a second) and completed with
/// the epoch's figures and time; anywhere else (a file, a pipe, CI logs) only the completed line
/// of each epoch is written, so logs stay readable.
class ProgressBar : public Callback {
 public:
  explicit ProgressBar(std::FILE* stream = stderr, int width = 30)
      : stream_(stream), width_(width < 5 ? 5 : width), interactive_(detail::is_terminal(stream)) {}

  /// Forces the in-place mode on or off (tests; terminals that isatty() does not recognise).
  void set_interactive(bool on) { interactive_ = on; }
  bool interactive() const { return interactive_; }

  void on_train_begin(const TrainingInfo& info) override {
    info_ = info;
    last_draw_ = Clock::time_point{};
  }

  void on_epoch_begin(std::size_t epoch) override {
    epoch_ = epoch;
    epoch_start_ = Clock::now();
  }

  void on_batch_end(const BatchInfo& b) override {
    if (!interactive_) return;
    const auto now = Clock::now();
    if (b.step + 1 != b.steps && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    fmt::print(stream_, "\r{}  acc {:.3f}  loss {:.3f}  lr {:.3g}\x1b[K", bar(b.step + 1, b.steps), b.accuracy,
               b.loss, b.learning_rate);
    std::fflush(stream_);
  }

  void on_epoch_end(const History::Record& r) override {
    const double seconds = std::chrono::duration<double>(Clock::now() - epoch_start_).count();
    std::string line = fmt::format("{}  acc {:.3f}  loss {:.3f}", bar(info_.steps_per_epoch, info_.steps_per_epoch),
                                   r.accuracy, r.loss);
    if (r.validation_accuracy && r.validation_loss)
      line += fmt::format("  val_acc {:.3f}  val_loss {:.3f}", *r.validation_accuracy, *r.validation_loss);
    line += fmt::format("  lr {:.3g}  {:.2f}s", r.learning_rate, seconds);
    if (interactive_)
      fmt::print(stream_, "\r{}\x1b[K\n", line);
    else if (info_.batch_size != 0 || r.epoch % info_.print_every == 0 || r.epoch == info_.epochs)
      fmt::print(stream_, "{}\n", line);  // full-batch runs have thousands of epochs: every print_every
    std::fflush(stream_);
  }

 private:
  using Clock = std::chrono::steady_clock;

  std::string bar(std::size_t done, std::size_t total) const {
    const auto w = static_cast<std::size_t>(width_);
    const std::size_t filled = total == 0 ? w : done * w / total;
    std::string s = fmt::format("epoch {}/{}  [", epoch_, info_.epochs);
    for (std::size_t i = 0; i < w; ++i) s += i < filled ? '=' : (i == filled ? '>' : ' ');
    return s + fmt::format("] {}/{}", done, total);
  }

  std::FILE* stream_;
  int width_;
  bool interactive_;
  TrainingInfo info_;
  std::size_t epoch_ = 0;
  Clock::time_point epoch_start_{};
  Clock::time_point last_draw_{};
};

/// Stops training when `monitor` has not improved by more than `min_delta` for `patience`
/// epochs in a row. monitor: "loss", "data_loss", "accuracy", "validation_loss" or
/// "validation_accuracy"; losses must go down, accuracies up.
class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(std::string monitor = "validation_loss", std::size_t patience = 5, double min_delta = 0.0)
      : monitor_(std::move(monitor)), patience_(patience), min_delta_(min_delta) {
    if (monitor_ != "loss" && monitor_ != "data_loss" && monitor_ != "accuracy" && monitor_ != "validation_loss" &&
        monitor_ != "validation_accuracy")
      throw std::invalid_argument("EarlyStopping: unknown monitor '" + monitor_ +
                                  "' (loss, data_loss, accuracy, validation_loss, validation_accuracy)");
    if (patience_ == 0) throw std::invalid_argument("EarlyStopping: patience must be >= 1, got 0");
    if (!(min_delta_ >= 0.0) || !std::isfinite(min_delta_))
      throw std::invalid_argument("EarlyStopping: min_delta must be finite and >= 0, got " + std::to_string(min_delta));
  }

  void on_train_begin(const TrainingInfo& info) override {
    if (monitor_.rfind("validation_", 0) == 0 && !(info.validation && info.validate_each_epoch))
      throw std::invalid_argument("EarlyStopping: monitors " + monitor_ +
                                  " but this run does not validate after every epoch (give validation data and "
                                  "train with mini-batches, or monitor loss/accuracy)");
    best_.reset();
    best_epoch_ = 0;
    wait_ = 0;
  }

  void on_epoch_end(const History::Record& r) override {
    const double value = pick(r);
    const bool higher_is_better = monitor_.find("accuracy") != std::string::npos;
    const bool improved = !best_ || (higher_is_better ? value > *best_ + min_delta_ : value < *best_ - min_delta_);
    if (improved) {
      best_ = value;
      best_epoch_ = r.epoch;
      wait_ = 0;
      return;
    }
    if (++wait_ >= patience_)
      request_stop(fmt::format("EarlyStopping: {} has not improved for {} epochs (best {} at epoch {})", monitor_,
                               wait_, *best_, best_epoch_));
  }

  std::optional<double> best() const { return best_; }
  std::size_t best_epoch() const { return best_epoch_; }

 private:
  double pick(const History::Record& r) const {
    if (monitor_ == "loss") return r.loss;
    if (monitor_ == "data_loss") return r.data_loss;
    if (monitor_ == "accuracy") return r.accuracy;
    const auto& v = monitor_ == "validation_loss" ? r.validation_loss : r.validation_accuracy;
    return v ? *v : std::numeric_limits<double>::quiet_NaN();
  }

  std::string monitor_;
  std::size_t patience_;
  double min_delta_;
  std::optional<double> best_;
  std::size_t best_epoch_ = 0;
  std::size_t wait_ = 0;
};

}  // namespace nnfs
