// nnfs/losses/mean_squared_error.hpp — Loss_MeanSquaredError (book chapter 17), for regression.
//
//     sample loss  L_i = mean_j (t_ij − p_ij)²
//     dinputs      = −2·(t − p) / k / N
// Squaring punishes large errors much more than small ones.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/losses/loss.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

namespace nnfs {

template <class T>
class MeanSquaredError : public Loss<T, MeanSquaredError<T>> {
  using Base = Loss<T, MeanSquaredError<T>>;

  static_assert(std::is_floating_point_v<T>, "MeanSquaredError<T> needs a floating-point scalar");

 public:
  using Base::dinputs;

  /// Per-sample losses, N×k predictions and targets → N.
  template <class D, class DT>
  const Vector<T>& forward(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
    detail::check_loss_targets("MeanSquaredError", y_pred, y_true);
    detail::check_finite_targets("MeanSquaredError", y_true);
    elementwise_ = (y_true.template cast<T>() - y_pred.template cast<T>()).array().square().matrix();
    ops::row_means(elementwise_, sample_losses_);
    return sample_losses_;
  }

  /// dinputs = −2·(t − p) / k / N.
  template <class D, class DT>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Eigen::MatrixBase<DT>& y_true) {
    detail::check_loss_targets("MeanSquaredError", dvalues, y_true);
    detail::check_finite_targets("MeanSquaredError", y_true);
    const T outputs = static_cast<T>(dvalues.cols());
    dinputs.array() = T(-2) * (y_true.template cast<T>() - dvalues.template cast<T>()).array() / outputs;
    dinputs /= static_cast<T>(dvalues.rows());
    return dinputs;
  }

 private:
  using Base::sample_losses_;

  Matrix<T> elementwise_;
};

NNFS_COMPILED_INSTANCE(class MeanSquaredError<float>)
NNFS_COMPILED_INSTANCE(class MeanSquaredError<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Vector<float>& MeanSquaredError<float>::forward(const Eigen::MatrixBase<Matrix<float>>&, const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& MeanSquaredError<float>::backward(const Eigen::MatrixBase<Matrix<float>>&, const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Vector<double>& MeanSquaredError<double>::forward(const Eigen::MatrixBase<Matrix<double>>&, const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& MeanSquaredError<double>::backward(const Eigen::MatrixBase<Matrix<double>>&, const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
