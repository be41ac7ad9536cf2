// nnfs/losses/mean_absolute_error.hpp — Loss_MeanAbsoluteError (book chapter 17), for regression.
//
//     sample loss  L_i = mean_j |t_ij − p_ij|
//     dinputs      = sign(p − t) / k / N
// Every error counts in proportion to its size; the gradient has a constant magnitude.
// Note: the book's Loss_MeanAbsoluteError.backward writes np.sign(y_true − dvalues), the
// opposite sign, which makes gradient descent *increase* the loss (tests/test_gradient_check.cpp
// proves the sign). nnfs uses the correct derivative.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/losses/loss.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

namespace nnfs {

template <class T>
class MeanAbsoluteError : public Loss<T, MeanAbsoluteError<T>> {
  using Base = Loss<T, MeanAbsoluteError<T>>;

  static_assert(std::is_floating_point_v<T>, "MeanAbsoluteError<T> needs a floating-point scalar");

 public:
  using Base::dinputs;

  /// Per-sample losses, N×k predictions and targets → N.
  template <class D, class DT>
  const Vector<T>& forward(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
    detail::check_loss_targets("MeanAbsoluteError", y_pred, y_true);
    detail::check_finite_targets("MeanAbsoluteError", y_true);
    elementwise_ = (y_true.template cast<T>() - y_pred.template cast<T>()).cwiseAbs();
    ops::row_means(elementwise_, sample_losses_);
    return sample_losses_;
  }

  /// dinputs = sign(p − t) / k / N (np.sign: 0 where t == p).
  template <class D, class DT>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Eigen::MatrixBase<DT>& y_true) {
    detail::check_loss_targets("MeanAbsoluteError", dvalues, y_true);
    detail::check_finite_targets("MeanAbsoluteError", y_true);
    const T outputs = static_cast<T>(dvalues.cols());
    dinputs.array() = (dvalues.template cast<T>() - y_true.template cast<T>()).array().sign() / outputs;
    dinputs /= static_cast<T>(dvalues.rows());
    return dinputs;
  }

 private:
  using Base::sample_losses_;

  Matrix<T> elementwise_;
};

NNFS_COMPILED_INSTANCE(class MeanAbsoluteError<float>)
NNFS_COMPILED_INSTANCE(class MeanAbsoluteError<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Vector<float>& MeanAbsoluteError<float>::forward(const Eigen::MatrixBase<Matrix<float>>&, const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& MeanAbsoluteError<float>::backward(const Eigen::MatrixBase<Matrix<float>>&, const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Vector<double>& MeanAbsoluteError<double>::forward(const Eigen::MatrixBase<Matrix<double>>&, const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& MeanAbsoluteError<double>::backward(const Eigen::MatrixBase<Matrix<double>>&, const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
