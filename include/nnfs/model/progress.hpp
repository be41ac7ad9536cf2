// nnfs/model/progress.hpp — the callbacks that show a run's progress: BookLog (the book's
// lines) and ProgressBar (a Keras-style bar).
#pragma once

#include "nnfs/model/callback.hpp"
#include "nnfs/model/history.hpp"
#include "nnfs/print/repr.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <string>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

namespace nnfs {

namespace detail {
inline std::FILE* require_stream(std::FILE* stream, const char* who) {
  if (stream == nullptr)
    throw std::invalid_argument(std::string(who) + ": the output stream is null (pass stdout, stderr or an open file)");
  return stream;
}

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
  explicit BookLog(std::FILE* stream = stdout) : stream_(detail::require_stream(stream, "BookLog")) {}

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

  void on_warning(const std::string& message) override { fmt::print(stream_, "warning: {}\n", message); }

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

/// A Keras-style progress bar.
///
/// Mini-batch training: one bar per epoch, over its steps, completed with the epoch's figures:
///     epoch 3/10  [==============>               ] 234/469  acc 0.853  loss 0.412  lr 0.00095  ETA 2.1s
///     epoch 3/10  [==============================] 469/469  acc 0.861  loss 0.398  val_acc 0.85  val_loss 0.41  lr 0.00095  4.30s
/// Full-batch training (the book's chapter 18: thousands of one-step epochs): one bar over the
/// epochs, with the latest figures, the time left, and the validation figures when training ends.
/// On a terminal the bar is redrawn in place (at most ~10 times a second). Anywhere else (a file,
/// a pipe, CI logs) it writes plain lines only: one per epoch for mini-batches, and one per tenth
/// of the run plus the final one for full-batch training, so logs stay short.
/// Attaching a ProgressBar leaves the book's lines out unless TrainOptions::book_log asks for them.
class ProgressBar : public Callback {
 public:
  explicit ProgressBar(std::FILE* stream = stderr, int width = 30)
      : stream_(detail::require_stream(stream, "ProgressBar")),
        width_(width < 5 ? 5 : width),
        interactive_(detail::is_terminal(stream)) {}

  /// Forces the in-place mode on or off (tests; terminals that isatty() does not recognise).
  void set_interactive(bool on) { interactive_ = on; }
  bool interactive() const { return interactive_; }

  bool draws_progress() const override { return true; }

  void on_train_begin(const TrainingInfo& info) override {
    info_ = info;
    train_start_ = Clock::now();
    last_draw_ = Clock::time_point{};
    open_line_ = false;
  }

  void on_epoch_begin(std::size_t epoch) override {
    epoch_ = epoch;
    epoch_start_ = Clock::now();
  }

  void on_batch_end(const BatchInfo& b) override {
    if (!interactive_ || full_batch() || !due(b.step + 1 == b.steps)) return;
    const double left = seconds_since(epoch_start_) / static_cast<double>(b.step + 1) *
                        static_cast<double>(b.steps - b.step - 1);
    redraw(fmt::format("{}  acc {:.3f}  loss {:.3f}  lr {:.3g}  ETA {}", bar("epoch", epoch_, b.step + 1, b.steps),
                       b.accuracy, b.loss, b.learning_rate, duration_str(left)));
  }

  void on_epoch_end(const History::Record& r) override {
    if (full_batch()) {
      if (r.epoch == info_.epochs) return;  // on_train_end draws the final line, validation included
      const double left = seconds_since(train_start_) / static_cast<double>(r.epoch) *
                          static_cast<double>(info_.epochs - r.epoch);
      const std::string line = epochs_line(r) + "  ETA " + duration_str(left);
      if (interactive_) {
        if (due(false)) redraw(line);
      } else if (r.epoch % plain_stride() == 0) {
        fmt::print(stream_, "{}\n", line);
      }
      std::fflush(stream_);
      return;
    }
    finish(fmt::format("{}  acc {:.3f}  loss {:.3f}{}  lr {:.3g}  {}",
                       bar("epoch", epoch_, info_.steps_per_epoch, info_.steps_per_epoch), r.accuracy, r.loss,
                       validation_str(r), r.learning_rate, duration_str(seconds_since(epoch_start_))));
  }

  void on_warning(const std::string& message) override {
    if (open_line_) fmt::print(stream_, "\r\x1b[K");  // the bar is drawn again after the warning
    open_line_ = false;
    fmt::print(stream_, "warning: {}\n", message);
    std::fflush(stream_);
  }

  void on_train_end(const History& history) override {
    if (full_batch() && !history.empty()) {
      const History::Record& r = history.records.back();
      finish(epochs_line(r) + validation_str(r) + "  " + duration_str(seconds_since(train_start_)));
    }
  }

 private:
  using Clock = std::chrono::steady_clock;

  bool full_batch() const { return info_.batch_size == 0; }

  // Plain output of a full-batch run: a line every tenth of the epochs.
  std::size_t plain_stride() const { return std::max<std::size_t>(1, (info_.epochs + 9) / 10); }

  // Whether to redraw now: always for a final state, else at most every 100 ms.
  bool due(bool final_state) {
    const auto now = Clock::now();
    if (!final_state && now - last_draw_ < std::chrono::milliseconds(100)) return false;
    last_draw_ = now;
    return true;
  }

  void redraw(const std::string& line) {
    fmt::print(stream_, "\r{}\x1b[K", line);
    open_line_ = true;
    std::fflush(stream_);
  }

  // A completed line: over the bar on a terminal, a plain line elsewhere.
  void finish(const std::string& line) {
    if (interactive_)
      fmt::print(stream_, "\r{}\x1b[K\n", line);
    else
      fmt::print(stream_, "{}\n", line);
    open_line_ = false;
    std::fflush(stream_);
  }

  std::string epochs_line(const History::Record& r) const {
    return fmt::format("{}  acc {:.3f}  loss {:.3f}  lr {:.3g}", bar("epochs", r.epoch, r.epoch, info_.epochs),
                       r.accuracy, r.loss, r.learning_rate);
  }

  static std::string validation_str(const History::Record& r) {
    if (!r.validation_accuracy || !r.validation_loss) return {};
    return fmt::format("  val_acc {:.3f}  val_loss {:.3f}", *r.validation_accuracy, *r.validation_loss);
  }

  // "epoch 3/10  [=====>    ] 234/469" (mini-batch) or "epochs  [=====>    ] 600/1000" (full batch).
  std::string bar(const char* what, std::size_t epoch, std::size_t done, std::size_t total) const {
    const auto w = static_cast<std::size_t>(width_);
    const std::size_t filled = total == 0 ? w : done * w / total;
    std::string s = full_batch() ? fmt::format("{}  [", what) : fmt::format("{} {}/{}  [", what, epoch, info_.epochs);
    for (std::size_t i = 0; i < w; ++i) s += i < filled ? '=' : (i == filled ? '>' : ' ');
    return s + fmt::format("] {}/{}", done, total);
  }

  static double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

  /// "0.42s", "12.3s", "4m05s", "2h07m".
  static std::string duration_str(double seconds) {
    if (!(seconds >= 0.0) || !std::isfinite(seconds)) return "?";
    if (seconds < 10.0) return fmt::format("{:.2f}s", seconds);
    if (seconds < 60.0) return fmt::format("{:.1f}s", seconds);
    const auto s = std::llround(seconds);
    if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  }

  std::FILE* stream_;
  int width_;
  bool interactive_;
  bool open_line_ = false;  // a bar is drawn without its newline
  TrainingInfo info_;
  std::size_t epoch_ = 0;
  Clock::time_point train_start_{};
  Clock::time_point epoch_start_{};
  Clock::time_point last_draw_{};
};

}  // namespace nnfs
