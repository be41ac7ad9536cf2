// nnfs/losses/categorical_crossentropy.hpp — Loss_CategoricalCrossentropy (book chapter 5).
//
// For predicted probabilities ŷ (N×C, rows summing to 1) and the true classes:
//     sample loss  L_i = −log(ŷ_i,y_i)              with sparse labels y (N integers in [0, C))
//     sample loss  L_i = −log(Σ_j ŷ_ij · t_ij)       with one-hot targets t (N×C, one 1 per row)
//     loss         L   = mean_i L_i                  (`calculate`)
// Predictions are clipped to [1e−7, 1 − 1e−7] first: log(0) would be −inf, and clipping both
// ends keeps a perfectly confident prediction from pulling the mean the other way. A
// prediction of exactly 0 for the true class therefore costs −log(1e−7) ≈ 16.118.
//
// Backward (chapter 9), with t the one-hot targets and ŷ = dvalues the predictions:
//     dinputs = −t / ŷ / N,   N×C → N×C
// (the mean over N samples divides every gradient by N). Where t is 0 the gradient is 0, also
// for ŷ = 0, where −0/0 would give NaN.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/losses/loss.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>
#include <string>

namespace nnfs {

template <class T>
class CategoricalCrossentropy : public Loss<T, CategoricalCrossentropy<T>> {
  using Base = Loss<T, CategoricalCrossentropy<T>>;

  static_assert(std::is_floating_point_v<T>, "CategoricalCrossentropy<T> needs a floating-point scalar");

 public:
  using Base::dinputs;

  /// The clipping bounds, as NumPy applies them to a T array: np.clip(ŷ, 1e-7, 1 - 1e-7)
  /// rounds both Python floats to T (for float, 1 − 1e−7 becomes 0.99999988).
  static T clip_min() { return static_cast<T>(1e-7); }
  static T clip_max() { return static_cast<T>(1.0 - 1e-7); }

  /// Per-sample losses with sparse labels: L_i = −log(clip(ŷ_i,y_i)), N×C, N → N.
  template <class D>
  const Vector<T>& forward(const Eigen::MatrixBase<D>& y_pred, const Labels& y_true) {
    check_predictions(y_pred);
    if (y_true.size() != y_pred.rows())
      throw std::invalid_argument("CategoricalCrossentropy: " + std::to_string(y_true.size()) +
                                  " labels for a batch of " + std::to_string(y_pred.rows()) +
                                  " samples (predictions " + shape_str(y_pred) + ")");
    sample_losses_.resize(y_pred.rows());
    for (Index i = 0; i < y_pred.rows(); ++i) {
      const auto label = static_cast<Index>(y_true(i));
      check_label(label, i, y_pred);
      sample_losses_(i) = clip(static_cast<T>(y_pred(i, label)));
    }
    ops::negative_log_inplace(sample_losses_);
    return sample_losses_;
  }

  /// Per-sample losses with one-hot targets: L_i = −log(Σ_j clip(ŷ_ij)·t_ij), N×C, N×C → N.
  template <class D, class DT>
  const Vector<T>& forward(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
    check_predictions(y_pred);
    if (y_true.rows() != y_pred.rows() || y_true.cols() != y_pred.cols())
      throw std::invalid_argument("CategoricalCrossentropy: one-hot targets of shape " + shape_str(y_true) +
                                  " do not match predictions " + shape_str(y_pred));
    check_one_hot("CategoricalCrossentropy", y_true);
    sample_losses_.resize(y_pred.rows());
    for (Index i = 0; i < y_pred.rows(); ++i) {
      // Σ_j clip(ŷ_ij)·t_ij summed the way np.sum(..., axis=1) does (pairwise; for C < 8
      // that is left to right). With exact 0/1 targets the sum is the one selected value.
      T acc = T(0);
      for (Index j = 0; j < y_pred.cols(); ++j)
        acc += clip(static_cast<T>(y_pred(i, j))) * static_cast<T>(y_true(i, j));
      sample_losses_(i) = acc;
    }
    ops::negative_log_inplace(sample_losses_);
    return sample_losses_;
  }

  /// dinputs = −t / ŷ / N for sparse labels (t = one-hot of the labels), N×C → N×C.
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Labels& y_true) {
    check_backward(dvalues, y_true.size());
    const T samples = static_cast<T>(dvalues.rows());
    dinputs.setConstant(dvalues.rows(), dvalues.cols(), T(-0.0));
    for (Index i = 0; i < dvalues.rows(); ++i) {
      const auto label = static_cast<Index>(y_true(i));
      check_label(label, i, dvalues);
      dinputs(i, label) = (T(-1) / static_cast<T>(dvalues(i, label))) / samples;
    }
    return dinputs;
  }

  /// dinputs = −t / ŷ / N for one-hot targets t (N×C).
  template <class D, class DT>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Eigen::MatrixBase<DT>& y_true) {
    check_predictions(dvalues);
    if (y_true.rows() != dvalues.rows() || y_true.cols() != dvalues.cols())
      throw std::invalid_argument("CategoricalCrossentropy::backward: one-hot targets of shape " + shape_str(y_true) +
                                  " do not match dvalues " + shape_str(dvalues));
    check_one_hot("CategoricalCrossentropy::backward", y_true);
    const T samples = static_cast<T>(dvalues.rows());
    dinputs.resize(dvalues.rows(), dvalues.cols());
    for (Index i = 0; i < dvalues.rows(); ++i)
      for (Index j = 0; j < dvalues.cols(); ++j) {
        const T t = static_cast<T>(y_true(i, j));
        dinputs(i, j) = t == T(0) ? T(-0.0) : (-t / static_cast<T>(dvalues(i, j))) / samples;
      }
    return dinputs;
  }

 private:
  using Base::sample_losses_;

  /// Every row of t must hold exactly one 1 and zeros elsewhere: anything else is not a
  /// distribution over classes, and the loss and gradient would be silently wrong.
  template <class DT>
  static void check_one_hot(const char* where, const Eigen::MatrixBase<DT>& y_true) {
    for (Index i = 0; i < y_true.rows(); ++i) {
      Index ones = 0;
      for (Index j = 0; j < y_true.cols(); ++j) {
        const auto t = y_true(i, j);
        if (t == 1) {
          ++ones;
        } else if (t != 0) {
          throw std::invalid_argument(std::string(where) + ": target row " + std::to_string(i) +
                                      " is not one-hot (entry " + std::to_string(j) + " is " +
                                      std::to_string(static_cast<double>(t)) + ")");
        }
      }
      if (ones != 1)
        throw std::invalid_argument(std::string(where) + ": target row " + std::to_string(i) +
                                    " is not one-hot (" + std::to_string(ones) + " entries equal 1)");
    }
  }

  static T clip(T p) { return p < clip_min() ? clip_min() : (p > clip_max() ? clip_max() : p); }

  template <class D>
  static void check_label(Index label, Index sample, const Eigen::MatrixBase<D>& y_pred) {
    // Runs once per sample: the test stays inline, the message is built out of line.
    if (label < 0 || label >= y_pred.cols()) throw_bad_label(label, sample, y_pred.rows(), y_pred.cols());
  }

  [[noreturn]] static void throw_bad_label(Index label, Index sample, Index rows, Index cols) {
    throw std::out_of_range("CategoricalCrossentropy: label " + std::to_string(label) + " of sample " +
                            std::to_string(sample) + " is outside [0, " + std::to_string(cols) +
                            ") for predictions " + shape_str(rows, cols));
  }

  template <class D>
  static void check_backward(const Eigen::MatrixBase<D>& dvalues, Index labels) {
    check_predictions(dvalues);
    if (labels != dvalues.rows())
      throw std::invalid_argument("CategoricalCrossentropy::backward: " + std::to_string(labels) +
                                  " labels do not match dvalues " + shape_str(dvalues));
  }

  template <class D>
  static void check_predictions(const Eigen::MatrixBase<D>& y_pred) {
    if (y_pred.rows() == 0 || y_pred.cols() == 0)
      throw std::invalid_argument("CategoricalCrossentropy: empty batch (predictions of shape " +
                                  shape_str(y_pred) + ")");
  }

 public:
  /// A Model passes class labels to it as they are (nnfs/model/loss_part.hpp).
  static constexpr bool accepts_labels = true;
};

NNFS_COMPILED_INSTANCE(class CategoricalCrossentropy<float>)
NNFS_COMPILED_INSTANCE(class CategoricalCrossentropy<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Vector<float>& CategoricalCrossentropy<float>::forward(const Eigen::MatrixBase<Matrix<float>>&, const Labels&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& CategoricalCrossentropy<float>::backward(const Eigen::MatrixBase<Matrix<float>>&, const Labels&))
NNFS_COMPILED_INSTANCE(const Vector<double>& CategoricalCrossentropy<double>::forward(const Eigen::MatrixBase<Matrix<double>>&, const Labels&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& CategoricalCrossentropy<double>::backward(const Eigen::MatrixBase<Matrix<double>>&, const Labels&))

}  // namespace nnfs
