// nnfs/layers/identity.hpp — Activation_Linear (book chapter 17): the identity, for regression outputs.
//
//     output = inputs,   dinputs = dvalues
// It exists so that a regression network has the same shape (layer, activation, layer, ...) as
// a classifier, and so that "no activation" is an explicit choice.
//
// The class is nnfs::Identity<T>, a name that says what it does ("linear" also describes a
// Dense layer). nnfs::Linear<T> is the same class under the book's name, and "Linear" is the
// name model files, summary() and error messages use, as the book's Activation_Linear.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>

namespace nnfs {

template <class T>
class Identity {
  static_assert(std::is_floating_point_v<T>, "Identity<T> (Linear<T>) needs a floating-point scalar");

 public:
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs) {
    if (inputs.rows() == 0 || inputs.cols() == 0)
      throw std::invalid_argument("Linear::forward: empty input of shape " + shape_str(inputs));
    detail::assign_evaluated(output, inputs);  // the inputs may be (part of) output itself
    return output;
  }

  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues) {
    if (output.size() == 0) throw std::logic_error("Linear::backward: called before forward");
    if (dvalues.rows() != output.rows() || dvalues.cols() != output.cols())
      throw std::invalid_argument("Linear::backward: dvalues of shape " + shape_str(dvalues) +
                                  " do not match the output " + shape_str(output));
    dinputs = dvalues.template cast<T>();
    return dinputs;
  }

  /// Regression predictions are the outputs themselves.
  const Matrix<T>& predictions() const { return output; }

  Matrix<T> output;   ///< N × k, valid after forward()
  Matrix<T> dinputs;  ///< N × k, valid after backward()
};

/// The book's name for the identity activation (Activation_Linear).
template <class T>
using Linear = Identity<T>;

NNFS_COMPILED_INSTANCE(class Identity<float>)
NNFS_COMPILED_INSTANCE(class Identity<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& Identity<float>::forward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& Identity<float>::backward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Identity<double>::forward(const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Identity<double>::backward(const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
