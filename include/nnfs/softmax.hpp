// nnfs/softmax.hpp — Activation_Softmax: scores to probabilities (book chapter 4).
//
// For each sample (row) i and class j:
//     output(i,j) = exp(x(i,j) − max_k x(i,k)) / Σ_k exp(x(i,k) − max_k x(i,k)),   N×C → N×C
// Subtracting the row maximum changes nothing mathematically (it cancels in the ratio) but keeps
// every exponent ≤ 0, so exp never overflows: rows of ±1000 still give finite probabilities.
// Each row sums to 1 (up to rounding).
#pragma once

#include "nnfs/kernels.hpp"
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
    inputs_ = inputs.template cast<T>();
    kernels::row_max(inputs_, row_stat_);              // N×1
    output = inputs_.colwise() - row_stat_;            // shift: every exponent ≤ 0
    kernels::exp_inplace(output);                      // unnormalized probabilities
    kernels::row_sums(output, row_stat_);              // N×1
    output.array().colwise() /= row_stat_.array();     // normalize each row
    return output;
  }

  /// The inputs of the last forward pass.
  const Matrix<T>& inputs() const { return inputs_; }

  Matrix<T> output;  ///< N × C, valid after forward()

 private:
  Matrix<T> inputs_;
  Vector<T> row_stat_;  // row maxima, then row sums: one buffer, reused
};

}  // namespace nnfs
