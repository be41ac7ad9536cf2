// nnfs/layers/softmax.hpp — Activation_Softmax: scores to probabilities (book chapter 4).
//
// For each sample (row) i and class j:
//     output(i,j) = exp(x(i,j) − max_k x(i,k)) / Σ_k exp(x(i,k) − max_k x(i,k)),   N×C → N×C
// Subtracting the row maximum changes nothing mathematically (it cancels in the ratio) but keeps
// every exponent ≤ 0, so exp never overflows: rows of ±1000 still give finite probabilities.
// Each row sums to 1 (up to rounding).
//
// Backward: the Jacobian of one row s = softmax(x) is J = diag(s) − s·sᵀ (C×C), so
//     dinputs_i = J_i · dvalues_i,   (N×C) → N×C
// The book builds J for every sample; the fast numerics use J·d = s ⊙ (d − (s·d)), which needs
// no C×C matrix (ops::softmax_backward). When softmax feeds categorical cross-entropy,
// SoftmaxCategoricalCrossentropy (softmax_categorical_crossentropy.hpp) skips the Jacobian.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>

namespace nnfs {

template <class T>
class Softmax {
  static_assert(std::is_floating_point_v<T>, "Softmax<T> needs a floating-point scalar");

 public:
  /// output = exp(x − rowmax) / rowsum(exp(x − rowmax)), N×C → N×C.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs) {
    if (inputs.rows() == 0 || inputs.cols() == 0)
      throw std::invalid_argument("Softmax::forward: empty input of shape " + shape_str(inputs));
    // Kept before anything changes shape: the inputs may be (part of) output or inputs().
    detail::assign_evaluated(inputs_, inputs);
    ops::row_max(inputs_, row_stat_);               // N×1
    output = inputs_.colwise() - row_stat_;         // shift: every exponent ≤ 0
    ops::exp_inplace(output);                       // unnormalized probabilities
    ops::row_sums(output, row_stat_);               // N×1
    output.array().colwise() /= row_stat_.array();  // normalize each row
    return output;
  }

  /// dinputs_i = (diag(s_i) − s_i·s_iᵀ) · dvalues_i for every sample i, N×C → N×C.
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues) {
    if (output.size() == 0)
      throw std::logic_error("Softmax::backward: called before forward (no output to differentiate)");
    if (dvalues.rows() != output.rows() || dvalues.cols() != output.cols())
      throw std::invalid_argument("Softmax::backward: dvalues of shape " + shape_str(dvalues) +
                                  " do not match the output " + shape_str(output));
    ops::softmax_backward(dinputs, output, dvalues, scratch_);  // J·d row by row
    return dinputs;
  }

  /// The inputs of the last forward pass.
  const Matrix<T>& inputs() const { return inputs_; }

  Matrix<T> output;   ///< N × C, valid after forward()
  Matrix<T> dinputs;  ///< N × C, valid after backward()

 private:
  Matrix<T> inputs_;
  Vector<T> row_stat_;  // row maxima, then row sums: one buffer
  ops::SoftmaxScratch<T> scratch_;
};

NNFS_COMPILED_INSTANCE(class Softmax<float>)
NNFS_COMPILED_INSTANCE(class Softmax<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& Softmax<float>::forward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& Softmax<float>::backward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Softmax<double>::forward(const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Softmax<double>::backward(const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
