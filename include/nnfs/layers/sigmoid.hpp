// nnfs/layers/sigmoid.hpp — Activation_Sigmoid (book chapter 16): one independent probability per output.
//
//     output  = σ(x) = 1 / (1 + e^(−x))          N×k → N×k
//     dinputs = dvalues ⊙ (1 − σ) ⊙ σ            (σ' = σ·(1 − σ))
// Used for binary logistic regression, where each output answers its own yes/no question.
// For x = −1000, e^1000 overflows to +inf and σ = 1/inf = 0, which is the right limit.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>

namespace nnfs {

template <class T>
class Sigmoid {
  static_assert(std::is_floating_point_v<T>, "Sigmoid<T> needs a floating-point scalar");

 public:
  /// output = 1 / (1 + exp(−inputs)), element-wise.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs) {
    if (inputs.rows() == 0 || inputs.cols() == 0)
      throw std::invalid_argument("Sigmoid::forward: empty input of shape " + shape_str(inputs));
    // The inputs may be (part of) output itself: evaluated before output changes shape.
    detail::assign_evaluated(output, inputs);
    output = -output;              // exact: −(x as T) is (−x) as T
    ops::exp_inplace(output);  // e^(−x), correctly rounded in book mode
    output.array() = T(1) / (T(1) + output.array());
    return output;
  }

  /// dinputs = dvalues ⊙ (1 − output) ⊙ output, in the book's order.
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues) {
    if (output.size() == 0)
      throw std::logic_error("Sigmoid::backward: called before forward (no output to differentiate)");
    if (dvalues.rows() != output.rows() || dvalues.cols() != output.cols())
      throw std::invalid_argument("Sigmoid::backward: dvalues of shape " + shape_str(dvalues) +
                                  " do not match the output " + shape_str(output));
    dinputs.array() = (dvalues.template cast<T>().array() * (T(1) - output.array())) * output.array();
    return dinputs;
  }

  /// Predictions for binary outputs: 1 where σ > 0.5, else 0 (the book's (output > 0.5) * 1).
  Matrix<T> predictions() const { return (output.array() > T(0.5)).template cast<T>(); }

  Matrix<T> output;   ///< N × k, valid after forward()
  Matrix<T> dinputs;  ///< N × k, valid after backward()
};

NNFS_COMPILED_INSTANCE(class Sigmoid<float>)
NNFS_COMPILED_INSTANCE(class Sigmoid<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& Sigmoid<float>::forward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& Sigmoid<float>::backward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Sigmoid<double>::forward(const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Sigmoid<double>::backward(const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
