// nnfs/model/options.hpp — what Model::train, evaluate and predict are given and give back:
// the targets (labels or a matrix), validation data, every training option, an evaluation.
#pragma once

#include "nnfs/model/callbacks.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {

/// The targets a model trains on: class labels (N) or an N×k matrix (one-hot rows, binary
/// targets, regression values). Refers to the caller's object, which must outlive the call.
template <class T>
class Targets {
 public:
  Targets(const Labels& labels) : labels_(&labels) {}      // NOLINT(google-explicit-constructor)
  Targets(const Matrix<T>& matrix) : matrix_(&matrix) {}   // NOLINT(google-explicit-constructor)

  bool sparse() const { return labels_ != nullptr; }
  const Labels& labels() const { return *labels_; }
  const Matrix<T>& matrix() const { return *matrix_; }
  Index samples() const { return sparse() ? labels_->size() : matrix_->rows(); }
  std::string shape() const { return sparse() ? fmt::format("{} labels", labels_->size()) : shape_str(*matrix_); }

 private:
  const Labels* labels_ = nullptr;
  const Matrix<T>* matrix_ = nullptr;
};

/// Validation data for Model::train (the book's validation_data=(X_test, y_test)).
template <class T>
struct Validation {
  Validation(const Matrix<T>& X_, Targets<T> y_) : X(&X_), y(y_) {}
  const Matrix<T>* X;
  Targets<T> y;
};

/// Everything Model::train can be told. The defaults are the book's.
template <class T>
struct TrainOptions {
  std::size_t epochs = 1;
  std::size_t batch_size = 0;   ///< 0: the whole training set in one batch (the book's None)
  std::size_t print_every = 1;  ///< in epochs for full-batch training, in steps for mini-batches
  std::optional<Validation<T>> validation;
  bool shuffle = false;            ///< reshuffle the samples before every epoch
  RandomState* rng = nullptr;      ///< for shuffle; nullptr: nnfs::default_random_state()
  /// Print the book's lines (nnfs::BookLog) on `log`. Unset: yes, unless one of the callbacks
  /// draws progress itself (a ProgressBar), so the two never interleave on one terminal.
  std::optional<bool> book_log;
  std::FILE* log = stdout;  ///< nullptr: no book lines
  std::vector<Callback*> callbacks;  ///< called after the BookLog, in this order; not owned
  /// Warn (through the callbacks' on_warning, and in History::warnings) when the loss has not
  /// improved by 0.1% for this many epochs while it is still above 90% of the first epoch's
  /// (nnfs::StallWarning(n, 1e-3, 0.1): a run that never learned). Unset: a tenth of the epochs,
  /// at least 3; 0: never.
  std::optional<std::size_t> stall_warning;
};

/// What Model::evaluate measured: the accumulated loss (without regularization, as the book's
/// evaluate) and accuracy over all batches.
struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
};

namespace detail {
/// A flag that a move hands over and clears in the source.
class ResetOnMove {
 public:
  ResetOnMove() = default;
  ResetOnMove(bool v) : value_(v) {}  // NOLINT(google-explicit-constructor)
  ResetOnMove(ResetOnMove&& other) noexcept : value_(std::exchange(other.value_, false)) {}
  ResetOnMove& operator=(ResetOnMove&& other) noexcept {
    value_ = std::exchange(other.value_, false);
    return *this;
  }
  ResetOnMove(const ResetOnMove&) = delete;
  ResetOnMove& operator=(const ResetOnMove&) = delete;
  ~ResetOnMove() = default;
  operator bool() const { return value_; }  // NOLINT(google-explicit-constructor)

 private:
  bool value_ = false;
};
}  // namespace detail

}  // namespace nnfs
