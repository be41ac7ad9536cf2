// nnfs/layers/relu.hpp — Activation_ReLU: the rectified linear unit (book chapter 4).
//
//     output = max(0, inputs),   N×k → N×k, element by element
//     dinputs = dvalues where inputs > 0, else 0   (the derivative of max(0, x) is 1 or 0)
//
// ReLU is what lets stacked Dense layers bend: without a non-linearity between them, any stack
// of Dense layers collapses to a single linear map. The NaN rule is NumPy's np.maximum(0, x):
// a NaN input stays NaN (garbage is not hidden as 0), and −0 becomes 0.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>
#include <type_traits>

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
    // (x <= 0) ? 0 : x — false for NaN, so NaN passes through as np.maximum does. A plain loop
    // over contiguous buffers, which compilers vectorize (a compare and a blend; Eigen's
    // unaryExpr with a lambda would run element by element), and for a matrix input one pass
    // that both keeps the copy and writes the output. Same results in both numerics.
    // A contiguous T input (a matrix, a block of rows, a Ref, a Map) is read in place when no
    // buffer can move under it: it is a whole Matrix<T> (if it is this layer's own output or
    // inputs(), that one keeps its shape), or both buffers already have its shape.
    const T* in = contiguous(inputs);
    if (in != nullptr && (std::is_same_v<D, Matrix<T>> || (same_shape(inputs, inputs_) && same_shape(inputs, output)))) {
      inputs_.resize(inputs.rows(), inputs.cols());
      output.resize(inputs.rows(), inputs.cols());
      T* kept = inputs_.data();
      T* out = output.data();
      for (Index i = 0; i < inputs_.size(); ++i) {
        const T x = in[i];
        kept[i] = x;
        out[i] = x <= T(0) ? T(0) : x;
      }
    } else {
      // Kept before output changes: the expression may read either, e.g.
      // relu.forward(relu.output.topRows(5)).
      detail::assign_evaluated(inputs_, inputs);
      output.resize(inputs_.rows(), inputs_.cols());
      const T* x = inputs_.data();
      T* out = output.data();
      for (Index i = 0; i < inputs_.size(); ++i) out[i] = x[i] <= T(0) ? T(0) : x[i];
    }
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
    const T* dv = contiguous(dvalues);
    if (dv != nullptr && (std::is_same_v<D, Matrix<T>> || same_shape(dvalues, dinputs))) {
      // The same rule as a loop over the contiguous buffers, which compilers vectorize.
      dinputs.resize(inputs_.rows(), inputs_.cols());
      const T* x = inputs_.data();
      T* out = dinputs.data();
      for (Index i = 0; i < inputs_.size(); ++i) {
        const T gradient = dv[i];  // read unconditionally: a plain vector load, not a masked one
        out[i] = !(x[i] <= T(0)) ? gradient : T(0);
      }
    } else {
      dinputs = inputs_.binaryExpr(dvalues.template cast<T>(), [](T x, T d) { return !(x <= T(0)) ? d : T(0); });
    }
    return dinputs;
  }

  /// The inputs of the last forward pass.
  const Matrix<T>& inputs() const { return inputs_; }

  Matrix<T> output;   ///< N × k, valid after forward()
  Matrix<T> dinputs;  ///< N × k, valid after backward()

 private:
  // x's elements as one contiguous row-major array of T, or nullptr when they are not.
  template <class D>
  static const T* contiguous(const Eigen::MatrixBase<D>& x) {
    constexpr auto flags = Eigen::internal::traits<D>::Flags;
    if constexpr (std::is_same_v<typename D::Scalar, T> && (flags & Eigen::DirectAccessBit) != 0 &&
                  (flags & Eigen::RowMajorBit) != 0) {
      const D& m = x.derived();
      if (m.innerStride() == 1 && (m.rows() <= 1 || m.outerStride() == m.cols())) return m.data();
    }
    return nullptr;
  }

  template <class D>
  static bool same_shape(const Eigen::MatrixBase<D>& x, const Matrix<T>& m) {
    return x.rows() == m.rows() && x.cols() == m.cols();
  }

  Matrix<T> inputs_;
};

NNFS_COMPILED_INSTANCE(class ReLU<float>)
NNFS_COMPILED_INSTANCE(class ReLU<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& ReLU<float>::forward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& ReLU<float>::backward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& ReLU<double>::forward(const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& ReLU<double>::backward(const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
