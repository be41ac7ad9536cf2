// nnfs/losses/loss.hpp — what every loss shares (the book's Loss class): the data loss is the mean of
// the per-sample losses, and targets must match the predictions sample for sample.
//
// A loss derives from Loss<T, Self> and defines forward(y_pred, y_true), which fills
// sample_losses_ (N) and returns it, and backward(dvalues, y_true), which fills dinputs (N×k):
//     calculate(y_pred, y_true) = mean_i forward(y_pred, y_true)_i      (the book's Loss.calculate)
#pragma once

#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace nnfs {

template <class T, class Self>
class Loss {
 public:
  /// The data loss: the mean of the per-sample losses (np.mean, in T). y_true is whatever the
  /// loss's forward() takes (class labels or a target matrix).
  template <class D, class Y>
  T calculate(const Eigen::MatrixBase<D>& y_pred, const Y& y_true) {
    return ops::mean(static_cast<Self&>(*this).forward(y_pred, y_true));
  }

  /// Per-sample losses of the last forward().
  const Vector<T>& sample_losses() const { return sample_losses_; }

  Matrix<T> dinputs;  ///< ∂L/∂y_pred (N × k), valid after backward()

 protected:
  Vector<T> sample_losses_;
};

}  // namespace nnfs

namespace nnfs::detail {

/// Throws unless y_pred is a non-empty N×k batch and y_true has the same shape.
template <class D, class DT>
void check_loss_targets(const char* who, const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
  if (y_pred.rows() == 0 || y_pred.cols() == 0)
    throw std::invalid_argument(std::string(who) + ": empty batch (predictions of shape " + shape_str(y_pred) + ")");
  if (y_true.rows() != y_pred.rows() || y_true.cols() != y_pred.cols())
    throw std::invalid_argument(std::string(who) + ": targets of shape " + shape_str(y_true) +
                                " do not match predictions " + shape_str(y_pred));
}

/// Throws unless every target is finite (NaN targets would silently poison the mean).
template <class DT>
void check_finite_targets(const char* who, const Eigen::MatrixBase<DT>& y_true) {
  for (Index i = 0; i < y_true.rows(); ++i)
    for (Index j = 0; j < y_true.cols(); ++j)
      if (!std::isfinite(static_cast<double>(y_true(i, j))))
        throw std::invalid_argument(std::string(who) + ": target (" + std::to_string(i) + ", " + std::to_string(j) +
                                    ") is not finite");
}

}  // namespace nnfs::detail
