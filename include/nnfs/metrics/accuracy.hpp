// nnfs/metrics/accuracy.hpp — accuracy of classifiers and regressors (book chapters 5, 16, 17, 21, 22).
//
//     classification (ch. 5)  prediction_i = argmax_j ŷ_ij   (first index on ties, like np.argmax)
//                             accuracy     = mean_i [prediction_i == y_i]
//     binary (ch. 16)         prediction_ij = [ŷ_ij > 0.5]    (the book's `(output > 0.5) * 1`)
//                             accuracy      = mean_ij [prediction_ij == y_ij]
//     regression (ch. 17)     precision = std(y_train) / 250  (population std, computed once)
//                             accuracy  = mean_ij [|ŷ_ij − y_ij| < precision]
//
// Every accuracy is a double, as np.mean of a boolean array is. The free functions take the
// network's outputs (probabilities); the classes CategoricalAccuracy and RegressionAccuracy are
// the book's Accuracy_Categorical / Accuracy_Regression (chapter 21): they take *predictions*
// (what the output layer's predictions() makes: argmax for softmax, [x > 0.5] for sigmoid, x
// itself for a linear output) and accumulate over the batches of a pass (chapter 22).
//
// NaN: a NaN output or prediction never counts as right, except in argmax (a NaN is the maximum
// there, as in np.argmax). NumPy itself agrees for ==, < and |·|; it differs for binary_accuracy,
// where `(nan > 0.5) * 1` is 0 and so matches a 0 target: here it does not.
#pragma once

#include "nnfs/detail/fp.hpp"
#include "nnfs/ops/reference.hpp"
#include "nnfs/types.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace nnfs {

/// The first index of the maximum of row i; a NaN counts as the maximum (np.argmax's rule).
template <class D>
Index argmax_of_row(const Eigen::MatrixBase<D>& m, Index i) {
  Index best = 0;
  for (Index j = 1; j < m.cols(); ++j) {
    const auto current = m(i, best);
    if (current != current) break;  // a NaN already found wins
    const auto candidate = m(i, j);
    if (candidate > current || candidate != candidate) best = j;
  }
  return best;
}

/// Row-wise argmax into `out` (N×C → N), reusing its storage.
template <class D>
void argmax_rows(const Eigen::MatrixBase<D>& m, Labels& out) {
  if (m.cols() == 0) throw std::invalid_argument("argmax_rows: matrix of shape " + shape_str(m) + " has no columns");
  out.resize(m.rows());
  for (Index i = 0; i < m.rows(); ++i) out(i) = static_cast<Labels::Scalar>(argmax_of_row(m, i));
}

/// Row-wise argmax (allocating convenience form).
template <class D>
Labels argmax_rows(const Eigen::MatrixBase<D>& m) {
  Labels out;
  argmax_rows(m, out);
  return out;
}

/// Fraction of samples whose argmax equals the sparse label. Labels are compared as they are;
/// an out-of-range label simply never matches, but a length mismatch or an empty batch throws.
template <class D>
double accuracy(const Eigen::MatrixBase<D>& y_pred, const Labels& y_true) {
  if (y_pred.rows() == 0 || y_pred.cols() == 0)
    throw std::invalid_argument("accuracy: empty batch (predictions of shape " + shape_str(y_pred) + ")");
  if (y_true.size() != y_pred.rows())
    throw std::invalid_argument("accuracy: " + std::to_string(y_true.size()) + " labels for a batch of " +
                                std::to_string(y_pred.rows()) + " samples (predictions " + shape_str(y_pred) +
                                ")");
  Index correct = 0;
  for (Index i = 0; i < y_pred.rows(); ++i)
    if (argmax_of_row(y_pred, i) == static_cast<Index>(y_true(i))) ++correct;
  return static_cast<double>(correct) / static_cast<double>(y_pred.rows());
}

/// Accuracy against one-hot targets (N×C): each target row is turned into its class index.
template <class D, class DT>
double accuracy(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
  if (y_true.rows() != y_pred.rows() || y_true.cols() != y_pred.cols())
    throw std::invalid_argument("accuracy: one-hot targets of shape " + shape_str(y_true) +
                                " do not match predictions " + shape_str(y_pred));
  return accuracy(y_pred, argmax_rows(y_true));
}

namespace detail {

/// Throws std::invalid_argument unless `pred` is non-empty and `target` has its shape.
template <class DP, class DT>
void require_same_nonempty_shape(const char* who, const Eigen::MatrixBase<DP>& pred,
                                 const Eigen::MatrixBase<DT>& target) {
  if (pred.size() == 0) throw std::invalid_argument(std::string(who) + ": empty batch (shape " + shape_str(pred) + ")");
  if (pred.rows() != target.rows() || pred.cols() != target.cols())
    throw std::invalid_argument(std::string(who) + ": targets of shape " + shape_str(target) +
                                " do not match predictions " + shape_str(pred));
}

/// The scalar type np.std computes in: float32 for float32 input, float64 for everything else.
template <class Scalar>
using std_scalar_t = std::conditional_t<std::is_same_v<Scalar, float>, float, double>;

}  // namespace detail

/// np.std(y) (population, ddof=0) of all elements, computed exactly as NumPy 1.24's _var/_std:
///     mean = S(Σy / n);  var = S(Σ S((y − mean)²) / n);  std = sqrt(var)   (in S)
/// where S = float for float input and double otherwise (ints, double): NumPy does *not* widen
/// float32 to float64 here — the sums accumulate in float32 (numpy_sum), the two divisions are
/// float32 divisions (= the double quotient rounded to float) and the sqrt is float32's.
/// Elements are taken in row-major (C) order. The same in both numerics modes (it runs once per
/// training set). Throws std::invalid_argument on an empty y.
template <class D>
detail::std_scalar_t<typename D::Scalar> numpy_std(const Eigen::MatrixBase<D>& y) {
  using S = detail::std_scalar_t<typename D::Scalar>;
  if (y.size() == 0) throw std::invalid_argument("numpy_std: empty array (shape " + shape_str(y) + ")");
  // y in row-major storage, whatever it is (a copy when it is already a Matrix<S>: once per set)
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  const Matrix<S> a = y.template cast<S>();
  const Index n = a.size();
  const auto nd = static_cast<double>(n);
  const auto mean = static_cast<S>(static_cast<double>(ops::reference::numpy_sum(a.data(), n)) / nd);
  Matrix<S> squares(a.rows(), a.cols());
  for (Index i = 0; i < n; ++i) {
    const S d = a.data()[i] - mean;
    squares.data()[i] = detail::rounded<S>(d * d);  // stored, as NumPy stores x*x before summing
  }
  const auto var = static_cast<S>(static_cast<double>(ops::reference::numpy_sum(squares.data(), n)) / nd);
  return std::sqrt(var);
}

/// The book's regression precision, np.std(y) / 250. The quotient is a float64 even for float32
/// y (NumPy 1.24: np.float32 / int → np.float64), i.e. double(numpy_std(y)) / 250.
template <class D>
double regression_precision(const Eigen::MatrixBase<D>& y) {
  return static_cast<double>(numpy_std(y)) / 250.0;
}

/// Binary (sigmoid) accuracy: the fraction of the N·k outputs whose [ŷ > 0.5] equals the target
/// (0/1, any arithmetic type; an nnfs::Labels column works for k = 1). 0.5 itself is a 0; a NaN
/// output is wrong whatever the target. Throws std::invalid_argument on an empty batch or when
/// the shapes differ (the book reshapes y to (-1, 1) so that they agree).
template <class DP, class DT>
double binary_accuracy(const Eigen::MatrixBase<DP>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
  detail::require_same_nonempty_shape("binary_accuracy", y_pred, y_true);
  Index correct = 0;
  for (Index i = 0; i < y_pred.rows(); ++i)
    for (Index j = 0; j < y_pred.cols(); ++j) {
      const auto out = static_cast<double>(y_pred(i, j));  // exact for float and double
      if (std::isnan(out)) continue;                        // wrong whatever the target
      if (static_cast<double>(y_true(i, j)) == (out > 0.5 ? 1.0 : 0.0)) ++correct;
    }
  return static_cast<double>(correct) / static_cast<double>(y_pred.size());
}

/// What the book's Accuracy base class (chapter 22) adds to every accuracy: calculate() also
/// accumulates its hits and the number of compared elements, so the accuracy of a whole pass is
///     calculate_accumulated() = Σ hits / Σ compared     (= the accuracy of the concatenated batches)
/// The book counts len(comparisons), i.e. rows; here every element counts, which is the same for
/// the book's one-column outputs and stays a fraction for k > 1.
class Accuracy {
 public:
  /// The accuracy over every batch since construction or the last new_pass(). Throws
  /// std::logic_error when nothing has been accumulated (the book divides 0 by 0).
  double calculate_accumulated() const {
    if (count_ == 0)
      throw std::logic_error("calculate_accumulated: nothing accumulated since the last new_pass()");
    return static_cast<double>(correct_) / static_cast<double>(count_);
  }
  /// Starts a new pass (epoch or validation run): forgets the accumulated counts.
  void new_pass() { correct_ = count_ = 0; }
  Index accumulated_correct() const { return correct_; }
  Index accumulated_count() const { return count_; }

 protected:
  ~Accuracy() = default;
  /// Adds one batch and returns its accuracy.
  double record(Index correct, Index count) {
    correct_ += correct;
    count_ += count;
    return static_cast<double>(correct) / static_cast<double>(count);
  }

 private:
  Index correct_ = 0;
  Index count_ = 0;
};

/// The book's Accuracy_Categorical(binary=...): predictions == y.
///   binary = false (softmax): predictions are class indices, one column (N×1, e.g. nnfs::Labels);
///                             y is one column of class indices or N×C one-hot rows (C ≥ 2), which
///                             are turned into indices by argmax (the book's "2-D y" rule).
///   binary = true  (sigmoid): predictions are N×k 0/1 values and y has the same shape.
/// Values are compared as numbers (1 == 1.0); a NaN never matches.
class CategoricalAccuracy : public Accuracy {
 public:
  explicit CategoricalAccuracy(bool binary = false) : binary_(binary) {}
  bool binary() const { return binary_; }

  /// Nothing to learn from the targets (the book's init is `pass`); here so a model can call
  /// init on any accuracy.
  template <class D>
  void init(const Eigen::MatrixBase<D>& /*y*/, bool /*reinit*/ = false) {}

  /// Accuracy of one batch, also accumulated. Throws std::invalid_argument on an empty batch,
  /// on a non-binary prediction with more than one column, or when the sample counts (binary:
  /// the shapes) differ.
  template <class DP, class DT>
  double calculate(const Eigen::MatrixBase<DP>& predictions, const Eigen::MatrixBase<DT>& y) {
    if (binary_) {
      detail::require_same_nonempty_shape("CategoricalAccuracy", predictions, y);
    } else {
      if (predictions.size() == 0)
        throw std::invalid_argument("CategoricalAccuracy: empty batch (shape " + shape_str(predictions) + ")");
      if (predictions.cols() != 1)
        throw std::invalid_argument("CategoricalAccuracy: predictions of shape " + shape_str(predictions) +
                                    " are not one column of class indices (binary=false; use binary=true for "
                                    "per-output 0/1 predictions)");
      if (y.rows() != predictions.rows() || y.cols() == 0)
        throw std::invalid_argument("CategoricalAccuracy: targets of shape " + shape_str(y) + " for " +
                                    std::to_string(predictions.rows()) + " predictions (shape " +
                                    shape_str(predictions) + ")");
    }
    Index correct = 0;
    for (Index i = 0; i < predictions.rows(); ++i)
      for (Index j = 0; j < predictions.cols(); ++j) {
        const double target = (binary_ || y.cols() == 1) ? static_cast<double>(y(i, j))
                                                         : static_cast<double>(argmax_of_row(y, i));
        if (static_cast<double>(predictions(i, j)) == target) ++correct;
      }
    return record(correct, predictions.size());
  }

 private:
  bool binary_;
};

/// The book's Accuracy_Regression: a prediction is right when it is within `precision` of the
/// target, precision = np.std(y) / 250 taken once from the training targets:
///     accuracy = mean_ij [|ŷ_ij − y_ij| < precision]
/// The difference is computed in the common type C of the two scalar types (double for
/// integers) and compared with C(precision): for float data NumPy 1.24 does the same (the
/// float64 precision meets a float32 array and is rounded to float32 by value-based casting).
/// A NaN prediction is wrong. Constant targets give precision 0, so nothing is ever right.
class RegressionAccuracy : public Accuracy {
 public:
  /// precision = regression_precision(y), only the first time unless `reinit` (as the book's
  /// init(y, reinit=False)). Throws std::invalid_argument on an empty y.
  template <class D>
  void init(const Eigen::MatrixBase<D>& y, bool reinit = false) {
    if (initialised_ && !reinit) return;
    precision_ = regression_precision(y);
    initialised_ = true;
  }

  bool initialised() const { return initialised_; }

  /// Sets the precision directly (a model loaded from a file keeps its training precision).
  /// Throws std::invalid_argument unless p is finite and ≥ 0.
  void set_precision(double p) {
    if (!(p >= 0.0) || !std::isfinite(p))
      throw std::invalid_argument("RegressionAccuracy::set_precision: precision must be finite and >= 0, got " +
                                  std::to_string(p));
    precision_ = p;
    initialised_ = true;
  }

  /// Throws std::logic_error before init().
  double precision() const {
    require_initialised("precision");
    return precision_;
  }

  /// Accuracy of one batch, also accumulated. Throws std::logic_error before init(), and
  /// std::invalid_argument on an empty batch or when the shapes differ.
  template <class DP, class DT>
  double calculate(const Eigen::MatrixBase<DP>& predictions, const Eigen::MatrixBase<DT>& y) {
    require_initialised("calculate");
    detail::require_same_nonempty_shape("RegressionAccuracy", predictions, y);
    using Common = std::common_type_t<typename DP::Scalar, typename DT::Scalar>;
    using C = std::conditional_t<std::is_floating_point_v<Common>, Common, double>;
    const auto precision = static_cast<C>(precision_);
    Index correct = 0;
    for (Index i = 0; i < predictions.rows(); ++i)
      for (Index j = 0; j < predictions.cols(); ++j)
        if (std::abs(static_cast<C>(predictions(i, j)) - static_cast<C>(y(i, j))) < precision) ++correct;
    return record(correct, predictions.size());
  }

 private:
  void require_initialised(const char* what) const {
    if (!initialised_)
      throw std::logic_error(std::string("RegressionAccuracy::") + what +
                             ": precision not initialised; call init(y_train) first");
  }

  double precision_ = 0.0;
  bool initialised_ = false;
};

}  // namespace nnfs
