// nnfs/losses/binary_crossentropy.hpp — Loss_BinaryCrossentropy (book chapter 16).
//
// Each of the k outputs is a probability p of "yes" and each target t is 0 or 1:
//     sample loss  L_i = mean_j −( t_ij·log(p_ij) + (1 − t_ij)·log(1 − p_ij) )
//     dinputs      = −( t/p − (1 − t)/(1 − p) ) / k / N
// p is clipped to [1e−7, 1 − 1e−7] in both, so neither log(0) nor a division by 0 can happen.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/losses/loss.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>
#include <string>

namespace nnfs {

template <class T>
class BinaryCrossentropy : public Loss<T, BinaryCrossentropy<T>> {
  using Base = Loss<T, BinaryCrossentropy<T>>;

  static_assert(std::is_floating_point_v<T>, "BinaryCrossentropy<T> needs a floating-point scalar");

 public:
  using Base::dinputs;

  static T clip_min() { return static_cast<T>(1e-7); }
  static T clip_max() { return static_cast<T>(1.0 - 1e-7); }

  /// Per-sample losses, N×k predictions and targets → N.
  template <class D, class DT>
  const Vector<T>& forward(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
    check(y_pred, y_true);
    clipped_ = y_pred.template cast<T>().cwiseMax(clip_min()).cwiseMin(clip_max());
    log_p_ = clipped_;
    log_1mp_ = (T(1) - clipped_.array()).matrix();
    ops::log_inplace(log_p_);
    ops::log_inplace(log_1mp_);
    // −(t·log p + (1 − t)·log(1 − p)), element-wise in the book's order
    elementwise_.array() = -(y_true.template cast<T>().array() * log_p_.array() +
                             (T(1) - y_true.template cast<T>().array()) * log_1mp_.array());
    ops::row_means(elementwise_, sample_losses_);
    return sample_losses_;
  }

  /// dinputs = −(t/p − (1 − t)/(1 − p)) / k / N with p = clip(dvalues).
  template <class D, class DT>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Eigen::MatrixBase<DT>& y_true) {
    check(dvalues, y_true);
    clipped_ = dvalues.template cast<T>().cwiseMax(clip_min()).cwiseMin(clip_max());
    const T outputs = static_cast<T>(dvalues.cols());
    const T samples = static_cast<T>(dvalues.rows());
    dinputs.array() = -(y_true.template cast<T>().array() / clipped_.array() -
                        (T(1) - y_true.template cast<T>().array()) / (T(1) - clipped_.array())) /
                      outputs;
    dinputs /= samples;
    return dinputs;
  }

 private:
  using Base::sample_losses_;

  template <class D, class DT>
  static void check(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
    detail::check_loss_targets("BinaryCrossentropy", y_pred, y_true);
    for (Index i = 0; i < y_true.rows(); ++i)
      for (Index j = 0; j < y_true.cols(); ++j) {
        const double t = static_cast<double>(y_true(i, j));
        if (!(t >= 0.0 && t <= 1.0))
          throw std::invalid_argument("BinaryCrossentropy: target (" + std::to_string(i) + ", " +
                                      std::to_string(j) + ") = " + std::to_string(t) + " is not in [0, 1]");
      }
  }

  Matrix<T> clipped_, log_p_, log_1mp_, elementwise_;
};

NNFS_COMPILED_INSTANCE(class BinaryCrossentropy<float>)
NNFS_COMPILED_INSTANCE(class BinaryCrossentropy<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Vector<float>& BinaryCrossentropy<float>::forward(const Eigen::MatrixBase<Matrix<float>>&, const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& BinaryCrossentropy<float>::backward(const Eigen::MatrixBase<Matrix<float>>&, const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Vector<double>& BinaryCrossentropy<double>::forward(const Eigen::MatrixBase<Matrix<double>>&, const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& BinaryCrossentropy<double>::backward(const Eigen::MatrixBase<Matrix<double>>&, const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
