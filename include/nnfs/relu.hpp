// nnfs/relu.hpp — Activation_ReLU: the rectified linear unit (book chapter 4).
//
//     output = max(0, inputs),   N×k → N×k, element by element
//     dinputs = dvalues where inputs > 0, else 0   (the derivative of max(0, x) is 1 or 0)
//
// ReLU is what lets stacked Dense layers bend: without a non-linearity between them, any stack
// of Dense layers collapses to a single linear map. The NaN rule is NumPy's np.maximum(0, x):
// a NaN input stays NaN (garbage is not hidden as 0), and −0 becomes 0.
#pragma once

#include "nnfs/types.hpp"

#include <stdexcept>

namespace nnfs {

template <class T>
class ReLU {
  static_assert(std::is_floating_point_v<T>, "ReLU<T> needs a floating-point scalar");

 public:
  /// output = max(0, inputs), N×k → N×k. Keeps a copy of the inputs for backpropagation.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs) {
    if (inputs.rows() == 0 || inputs.cols() == 0)
      throw std::invalid_argument("ReLU::forward: empty input of shape " + shape_str(inputs));
    inputs_ = inputs.template cast<T>();
    // (x <= 0) ? 0 : x — false for NaN, so NaN passes through as np.maximum does.
    output = inputs_.unaryExpr([](T x) { return x <= T(0) ? T(0) : x; });
    return output;
  }

  /// dinputs = dvalues ⊙ [inputs > 0], N×k → N×k (as the book: zero where inputs <= 0).
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues) {
    if (inputs_.size() == 0)
      throw std::logic_error("ReLU::backward: called before forward (no inputs to differentiate)");
    if (dvalues.rows() != inputs_.rows() || dvalues.cols() != inputs_.cols())
      throw std::invalid_argument("ReLU::backward: dvalues of shape " + shape_str(dvalues) +
                                  " do not match the forward inputs " + shape_str(inputs_));
    // Branch-free (the sign pattern of a hidden layer is random, so a branch mispredicts half the
    // time); !(x <= 0) keeps the gradient where the input is NaN, as the book's mask does.
    dinputs = inputs_.binaryExpr(dvalues.template cast<T>(), [](T x, T d) { return !(x <= T(0)) ? d : T(0); });
    return dinputs;
  }

  /// The inputs of the last forward pass.
  const Matrix<T>& inputs() const { return inputs_; }

  Matrix<T> output;   ///< N × k, valid after forward()
  Matrix<T> dinputs;  ///< N × k, valid after backward()

 private:
  Matrix<T> inputs_;
};

}  // namespace nnfs
