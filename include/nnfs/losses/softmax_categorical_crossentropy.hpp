// nnfs/losses/softmax_categorical_crossentropy.hpp — Activation_Softmax_Loss_CategoricalCrossentropy
// (book chapter 9): softmax and cross-entropy as one step, for a much simpler backward pass.
//
// Chaining the two derivatives, the Jacobian of softmax and −t/ŷ of the loss, collapses to
//     dinputs = (ŷ − t) / N,   N×C → N×C
// where ŷ is the softmax output and t the one-hot targets: subtract 1 at each sample's true class
// and divide by the number of samples. No C×C Jacobian, no division by a probability.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/losses/categorical_crossentropy.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>
#include <string>

namespace nnfs {

template <class T>
class SoftmaxCategoricalCrossentropy {
 public:
  /// output = softmax(inputs); returns the mean cross-entropy against y_true (labels or one-hot).
  template <class D, class Y>
  T forward(const Eigen::MatrixBase<D>& inputs, const Y& y_true) {
    activation.forward(inputs);
    return loss.calculate(activation.output, y_true);
  }

  /// dinputs = (dvalues − onehot(y_true)) / N, where dvalues is the softmax output (the book passes
  /// loss_activation.output), N×C → N×C.
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Labels& y_true) {
    check(dvalues, y_true.size());
    dinputs = dvalues.template cast<T>();
    for (Index i = 0; i < dinputs.rows(); ++i) {
      const auto label = static_cast<Index>(y_true(i));
      if (label < 0 || label >= dinputs.cols())
        throw std::out_of_range("SoftmaxCategoricalCrossentropy::backward: label " + std::to_string(label) +
                                " of sample " + std::to_string(i) + " is outside [0, " +
                                std::to_string(dinputs.cols()) + ")");
      dinputs(i, label) -= T(1);
    }
    dinputs /= static_cast<T>(dinputs.rows());  // the book divides (not × 1/N): same rounding
    return dinputs;
  }

  /// One-hot targets are turned into class indices first (argmax), as the book does.
  template <class D, class DT>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues, const Eigen::MatrixBase<DT>& y_true) {
    if (y_true.rows() != dvalues.rows() || y_true.cols() != dvalues.cols())
      throw std::invalid_argument("SoftmaxCategoricalCrossentropy::backward: one-hot targets of shape " +
                                  shape_str(y_true) + " do not match dvalues " + shape_str(dvalues));
    argmax_rows(y_true, labels_);
    return backward(dvalues, labels_);
  }

  /// The softmax output of the last forward (the book's loss_activation.output).
  const Matrix<T>& output() const { return activation.output; }

  Softmax<T> activation;
  CategoricalCrossentropy<T> loss;
  Matrix<T> dinputs;  ///< N × C, valid after backward()

 private:
  template <class D>
  static void check(const Eigen::MatrixBase<D>& dvalues, Index labels) {
    if (dvalues.rows() == 0 || dvalues.cols() == 0)
      throw std::invalid_argument("SoftmaxCategoricalCrossentropy::backward: empty batch (dvalues of shape " +
                                  shape_str(dvalues) + ")");
    if (labels != dvalues.rows())
      throw std::invalid_argument("SoftmaxCategoricalCrossentropy::backward: " + std::to_string(labels) +
                                  " labels for dvalues " + shape_str(dvalues));
  }

  Labels labels_;
};

NNFS_COMPILED_INSTANCE(class SoftmaxCategoricalCrossentropy<float>)
NNFS_COMPILED_INSTANCE(class SoftmaxCategoricalCrossentropy<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& SoftmaxCategoricalCrossentropy<float>::backward(const Eigen::MatrixBase<Matrix<float>>&, const Labels&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& SoftmaxCategoricalCrossentropy<double>::backward(const Eigen::MatrixBase<Matrix<double>>&, const Labels&))

}  // namespace nnfs
