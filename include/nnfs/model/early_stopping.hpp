// nnfs/model/early_stopping.hpp — the callbacks that watch the loss: StallWarning (warns when a
// run stops learning) and EarlyStopping (stops it when a monitored figure stops improving).
#pragma once

#include "nnfs/model/callback.hpp"
#include "nnfs/model/history.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace nnfs {

/// Warns once when the training loss has not improved by at least `min_relative` (0.1% by
/// default) of its best value for `window` epochs in a row — the sign of a learning rate far
/// too high or too low, or of data the model cannot learn from (Adam(1e6) on the spiral data
/// stalls at ln 3 ≈ 1.099). With `learned` > 0 it stays quiet once the loss has fallen below
/// (1 − learned) × the first epoch's loss: a run that learned and then levels off (or, with
/// dropout, wanders around a plateau) is normal. Model::train attaches StallWarning(window,
/// 1e-3, 0.1) by default (TrainOptions::stall_warning); it only warns, it never stops training
/// (EarlyStopping does that).
class StallWarning : public Callback {
 public:
  explicit StallWarning(std::size_t window, double min_relative = 1e-3, double learned = 0.0)
      : window_(window), min_relative_(min_relative), learned_(learned) {
    if (window_ == 0) throw std::invalid_argument("StallWarning: window must be >= 1 epoch, got 0");
    if (!(min_relative_ >= 0.0) || !std::isfinite(min_relative_))
      throw std::invalid_argument("StallWarning: min_relative must be finite and >= 0, got " +
                                  std::to_string(min_relative));
    if (!(learned_ >= 0.0 && learned_ < 1.0))
      throw std::invalid_argument("StallWarning: learned must be in [0, 1), got " + std::to_string(learned));
  }

  void on_train_begin(const TrainingInfo& /*info*/) override {
    best_.reset();
    first_.reset();
    best_epoch_ = 0;
    warned_ = false;
  }

  void on_epoch_end(const History::Record& r) override {
    if (warned_) return;
    if (!first_) first_ = r.loss;
    if (!best_ || r.loss < *best_ - min_relative_ * std::abs(*best_)) {
      best_ = r.loss;
      best_epoch_ = r.epoch;
      if (learned_ > 0.0 && *best_ < (1.0 - learned_) * *first_) warned_ = true;  // it learned: stay quiet
      return;
    }
    if (r.epoch - best_epoch_ >= window_) {
      warned_ = true;
      warn(fmt::format("the loss has not improved for {} epochs (best {:.3f} at epoch {}, now {:.3f} at epoch {}): "
                       "the learning rate (now {:.3g}) may be far too high or too low, or the data not learnable",
                       r.epoch - best_epoch_, *best_, best_epoch_, r.loss, r.epoch, r.learning_rate));
    }
  }

  std::size_t window() const { return window_; }

 private:
  std::size_t window_;
  double min_relative_;
  double learned_;
  std::optional<double> best_;
  std::optional<double> first_;
  std::size_t best_epoch_ = 0;
  bool warned_ = false;
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
