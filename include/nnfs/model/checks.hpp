// nnfs/model/checks.hpp — what Model checks before it trains, evaluates or predicts: a model
// that is ready, data of the right shape and finite, class targets in range, batch sizes that
// fit, and data that is (part of) the model's own buffers (then it works on a copy).
#pragma once

#include "nnfs/detail/fp.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/fwd.hpp"
#include "nnfs/model/options.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>

namespace nnfs {
namespace detail {

/// Model's checks (a friend of Model<T>; nnfs/model/model.hpp).
template <class T>
struct ModelChecks {
  static void require_layers(const Model<T>& model, const char* where) {
    if (model.layers_.empty()) throw std::logic_error(std::string(where) + ": the model has no layers");
  }

  static void require_ready(const Model<T>& model, const char* where, bool training) {
    require_layers(model, where);
    if (!model.finalized_) throw std::logic_error(std::string(where) + ": call finalize() after add() and set()");
    if (!model.loss_) throw std::logic_error(std::string(where) + ": no loss set (model.set(loss, ...))");
    if (training && !model.optimizer_) throw std::logic_error(std::string(where) + ": no optimizer set (model.set(..., optimizer, ...))");
  }

  static void check_width(const Model<T>& model, const char* where, const Eigen::Ref<const Matrix<T>>& X) {
    const Index want = model.input_width();
    if (want >= 0 && X.cols() != want)
      throw std::invalid_argument(fmt::format("{}: X has shape {} but the model takes {} inputs per sample", where,
                                              shape_str(X), want));
  }

  static void check_data(const Model<T>& model, const char* where, const Eigen::Ref<const Matrix<T>>& X, const Targets<T>& y) {
    if (X.rows() == 0) throw std::invalid_argument(fmt::format("{}: empty X (shape {})", where, shape_str(X)));
    check_width(model, where, X);
    if (y.samples() != X.rows())
      throw std::invalid_argument(fmt::format("{}: X has {} samples (shape {}) but the targets have {} ({})", where,
                                              X.rows(), shape_str(X), y.samples(), y.shape()));
    if (y.sparse() && model.loss_ && !model.loss_->takes_labels()) {
      // The book reshapes such labels into one column (y.reshape(-1, 1)); so do we (below).
      const Index out = model.output_width();
      if (out >= 0 && out != 1)
        throw std::invalid_argument(fmt::format(
            "{}: {} needs a target matrix matching the outputs (N, {}); labels can only stand for one output column",
            where, model.loss_->name(), out));
    }
    if (!y.sparse()) {
      const Index bad = detail::first_non_finite_row<T>(y.matrix());
      if (bad >= 0)
        throw std::invalid_argument(fmt::format("{}: the target matrix {} holds NaN or infinite values (sample {})",
                                                where, shape_str(y.matrix()), bad));
    }
    if (model.loss_ && model.loss_->takes_labels()) check_classes(model, where, y);
    check_finite_inputs(where, X);
  }

  // Class targets are checked over the whole data set before any batch is formed, so that an
  // error names the sample in the user's data: the loss sees a mini-batch, possibly shuffled,
  // and could only name a row of that batch.
  static void check_classes(const Model<T>& model, const char* where, const Targets<T>& y) {
    const Index classes = model.output_width();
    if (y.sparse()) {
      const Labels& labels = y.labels();
      for (Index i = 0; i < labels.size(); ++i)
        if (labels(i) < 0 || (classes >= 0 && labels(i) >= classes))
          throw std::out_of_range(fmt::format(
              "{}: label {} of sample {} is outside [0, {}) (CategoricalCrossentropy takes the index of one of the "
              "model's {} outputs)",
              where, labels(i), i, classes, classes));
      return;
    }
    const Matrix<T>& t = y.matrix();
    for (Index i = 0; i < t.rows(); ++i) {
      Index ones = 0;
      for (Index j = 0; j < t.cols(); ++j) {
        if (t(i, j) == T(1)) {
          ++ones;
        } else if (t(i, j) != T(0)) {
          throw std::invalid_argument(fmt::format(
              "{}: the target row of sample {} is not one-hot (entry {} is {}); CategoricalCrossentropy takes rows of "
              "zeros with a single 1",
              where, i, j, static_cast<double>(t(i, j))));
        }
      }
      if (ones != 1)
        throw std::invalid_argument(fmt::format(
            "{}: the target row of sample {} is not one-hot ({} entries equal 1); CategoricalCrossentropy takes rows of "
            "zeros with a single 1",
            where, i, ones));
    }
  }

  // The one contract for inputs, in train, evaluate and predict alike: every value finite.
  static void check_finite_inputs(const char* where, const Eigen::Ref<const Matrix<T>>& X) {
    const Index bad = detail::first_non_finite_row<T>(X);
    if (bad >= 0)
      throw std::invalid_argument(
          fmt::format("{}: X {} holds NaN or infinite values (sample {})", where, shape_str(X), bad));
  }

  // Rows per batch for a batch size the user gave (0: all n rows at once). A size_t that does
  // not fit the signed index (a negative number converted) is refused, not wrapped.
  static Index batch_rows(const char* where, std::size_t batch_size, Index n) {
    if (batch_size > static_cast<std::size_t>(std::numeric_limits<Index>::max()))
      throw std::invalid_argument(fmt::format(
          "{}: batch_size {} is too large (a negative number converted to an unsigned size?); give 0 for the whole "
          "set or a positive count",
          where, batch_size));
    return batch_size == 0 ? n : std::min<Index>(static_cast<Index>(batch_size), n);
  }

  /// Whether X is (part of) a buffer that this model writes while it trains, evaluates or
  /// predicts: a layer's output or dinputs, or one of the model's own.
  static bool owns(const Model<T>& model, const Eigen::Ref<const Matrix<T>>& X) {
    for (const auto& l : model.layers_)
      if (shares_memory(X, l->output()) || shares_memory(X, l->dinputs())) return true;
    for (const Matrix<T>* m : {&model.batch_X_, &model.batch_targets_, &model.all_targets_, &model.value_predictions_, &model.predictions_out_})
      if (shares_memory(X, *m)) return true;
    return false;
  }
  static bool owns(const Model<T>& model, const Eigen::Ref<const Matrix<T>>& X, const Targets<T>& y) {
    if (owns(model, X)) return true;
    if (y.sparse()) return &y.labels() == &model.class_predictions_ || &y.labels() == &model.batch_labels_;
    return owns(model, y.matrix());
  }

  /// A copy of data that is (part of) the model's own buffers.
  struct DataCopy {
    DataCopy(const Eigen::Ref<const Matrix<T>>& X_, const Targets<T>& y_) : X(X_), sparse(y_.sparse()) {
      if (sparse)
        labels = y_.labels();
      else
        matrix = y_.matrix();
    }
    Targets<T> y() const { return sparse ? Targets<T>(labels) : Targets<T>(matrix); }
    Matrix<T> X;
    bool sparse;
    Labels labels;
    Matrix<T> matrix;
  };

  static bool shares_memory(const Eigen::Ref<const Matrix<T>>& X, const Matrix<T>& m) {
    if (X.size() == 0 || m.size() == 0) return false;
    const std::less<const T*> before;
    const T* first = X.data();
    const T* last = first + (X.rows() - 1) * X.outerStride() + X.cols();
    return before(first, m.data() + m.size()) && before(m.data(), last);
  }
};

}  // namespace detail
}  // namespace nnfs
