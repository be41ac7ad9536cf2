// nnfs/losses/loss.hpp — what every loss shares (the book's Loss class): the data loss is the mean of
// the per-sample losses, and targets must match the predictions sample for sample.
#pragma once

#include "nnfs/ops/kernels.hpp"
#include "nnfs/types.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

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
