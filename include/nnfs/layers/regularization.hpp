// nnfs/layers/regularization.hpp — L1 and L2 regularization of a layer's parameters (book chapter 14).
//
// Large weights let a network memorise its training data. Regularization adds a penalty on
// their size to the loss:
//     L_reg = λ1w·Σ|W| + λ2w·ΣW² + λ1b·Σ|b| + λ2b·Σb²
// and its gradient to the parameters' gradients in backward:
//     ∂L_reg/∂W = λ1w·sign(W) + 2·λ2w·W        (sign(0) counted as +1, as the book does)
// and likewise for the biases. The penalty is reported apart from the data loss.
#pragma once

#include "nnfs/detail/hyper_parameter.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/types.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace nnfs {

/// Regularization strengths of one Dense layer, in the book's order:
/// Layer_Dense(n_inputs, n_neurons, weight_regularizer_l1, weight_regularizer_l2,
///             bias_regularizer_l1, bias_regularizer_l2).
/// E.g. the book's `weight_regularizer_l2=5e-4, bias_regularizer_l2=5e-4` is {0, 5e-4, 0, 5e-4}.
struct Regularization {
  double weight_l1 = 0.0;
  double weight_l2 = 0.0;
  double bias_l1 = 0.0;
  double bias_l2 = 0.0;

  bool any() const { return weight_l1 > 0 || weight_l2 > 0 || bias_l1 > 0 || bias_l2 > 0; }

  /// Throws std::invalid_argument unless every strength is finite and ≥ 0.
  void validate(const char* where) const {
    const double values[4] = {weight_l1, weight_l2, bias_l1, bias_l2};
    const char* names[4] = {"weight_l1", "weight_l2", "bias_l1", "bias_l2"};
    for (int i = 0; i < 4; ++i)
      if (!(values[i] >= 0.0) || !std::isfinite(values[i]))
        throw std::invalid_argument(std::string(where) + ": regularization " + names[i] +
                                    " must be finite and >= 0, got " + std::to_string(values[i]));
  }

  /// validate(), then each strength as the gradients apply it: rounded to the parameters' type T
  /// (λ1 as T, 2·λ2 as T). A strength that rounds to 0 there (1e-50 in float) would silently
  /// switch regularization off; one that overflows would make every gradient infinite.
  template <class T>
  void validate_in(const char* where) const {
    validate(where);
    detail::require_in_scalar_type<T>(where, "regularization weight_l1", weight_l1);
    detail::require_in_scalar_type<T>(where, "regularization 2·weight_l2", 2.0 * weight_l2);
    detail::require_in_scalar_type<T>(where, "regularization bias_l1", bias_l1);
    detail::require_in_scalar_type<T>(where, "regularization 2·bias_l2", 2.0 * bias_l2);
  }
};

namespace detail {

/// grad += λ1·sign(param) + 2·λ2·param, each term rounded as NumPy rounds it for a T array:
/// λ1·dL1 is T(λ1)·(±1), and `2 * λ2 * param` is T(2·λ2)·param.
template <class T>
void add_regularization_gradient(Matrix<T>& grad, const Matrix<T>& param, double l1, double l2) {
  if (l1 > 0) {
    const T a = static_cast<T>(l1);
    grad.array() += param.array().unaryExpr([a](T p) { return p < T(0) ? -a : a; });
  }
  if (l2 > 0) grad.array() += static_cast<T>(2.0 * l2) * param.array();
}

/// λ1·Σ|p| + λ2·Σp² for one parameter tensor, summed as the book's Loss.regularization_loss does
/// (each λ·np.sum(...) is a Python float times a T scalar, i.e. double).
template <class T>
double regularization_penalty(const Matrix<T>& param, double l1, double l2, Matrix<T>& scratch) {
  double total = 0.0;
  if (l1 > 0) {
    scratch = param.cwiseAbs();
    total += l1 * static_cast<double>(ops::sum(scratch));
  }
  if (l2 > 0) {
    scratch = param.cwiseProduct(param);
    total += l2 * static_cast<double>(ops::sum(scratch));
  }
  return total;
}

}  // namespace detail
}  // namespace nnfs
