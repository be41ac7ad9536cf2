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
// The book builds J for every sample; the fast path uses J·d = s ⊙ (d − (s·d)), which needs no
// C×C matrix. When softmax feeds categorical cross-entropy, SoftmaxCategoricalCrossentropy
// (softmax_categorical_crossentropy.hpp) skips the Jacobian altogether.
#pragma once

#include "nnfs/ops/kernels.hpp"
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
    kernels::row_max(inputs_, row_stat_);              // N×1
    output = inputs_.colwise() - row_stat_;            // shift: every exponent ≤ 0
    kernels::exp_inplace(output);                      // unnormalized probabilities
    kernels::row_sums(output, row_stat_);              // N×1
    output.array().colwise() /= row_stat_.array();     // normalize each row
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
    const Index classes = output.cols();
    dinputs.resize(output.rows(), classes);
    if (book_mode()) {
      // The book's loop: J = diagflat(s) − np.dot(s, sᵀ) in T (products via the double dot,
      // rounded once), then np.dot(J, d) accumulated in double and rounded once.
      // Each row of dinputs is finished in row_out_ before it is stored: dvalues may be dinputs
      // itself (backward(softmax.dinputs)), and row i of it is read for every r.
      jacobian_.resize(classes, classes);
      row_out_.resize(classes);
      for (Index i = 0; i < output.rows(); ++i) {
        for (Index r = 0; r < classes; ++r)
          for (Index c = 0; c < classes; ++c) {
            const T outer = static_cast<T>(static_cast<double>(output(i, r)) * static_cast<double>(output(i, c)));
            jacobian_(r, c) = (r == c ? output(i, r) : T(0)) - outer;
          }
        for (Index r = 0; r < classes; ++r) {
          double acc = 0.0;
          for (Index c = 0; c < classes; ++c)
            acc += static_cast<double>(jacobian_(r, c)) * static_cast<double>(dvalues(i, c));
          row_out_(r) = static_cast<T>(acc);
        }
        dinputs.row(i) = row_out_.transpose();
      }
    } else {
      // J·d = s ⊙ (d − s·d): row dot products, no C×C matrix.
      row_stat_.noalias() = (output.array() * dvalues.template cast<T>().array()).rowwise().sum().matrix();
      dinputs.array() = output.array() * (dvalues.template cast<T>().array().colwise() - row_stat_.array());
    }
    return dinputs;
  }

  /// The inputs of the last forward pass.
  const Matrix<T>& inputs() const { return inputs_; }

  Matrix<T> output;   ///< N × C, valid after forward()
  Matrix<T> dinputs;  ///< N × C, valid after backward()

 private:
  Matrix<T> inputs_;
  Vector<T> row_stat_;  // row maxima, then row sums (forward) or s·d (backward): one buffer
  Matrix<T> jacobian_;  // C×C, book path only
  Vector<T> row_out_;   // one row of dinputs, book path only
};

}  // namespace nnfs
