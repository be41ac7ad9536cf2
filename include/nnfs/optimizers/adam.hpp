// nnfs/optimizers/adam.hpp — Adam: RMSprop with momentum (book chapter 10).
//
// Adam keeps two moving averages per parameter: of the gradients (momentum, as SGD's) and of
// their squares (the cache, as RMSprop's), and steps along the first scaled by the second:
//     m ← β1·m + (1−β1)·g,          v ← β2·v + (1−β2)·g²
//     m̂ = m / (1−β1^t),             v̂ = v / (1−β2^t)
//     θ ← θ − lr·m̂ / (√v̂ + ε)
// m and v start at zero, which biases them towards zero in the first steps; dividing by
// 1−β^t (t = iterations()+1, the step being taken) removes that bias and fades out as t grows.
// Every layer of one training step uses the same t. m and v are the layer's weight_momentums /
// bias_momentums and weight_cache / bias_cache.
//
// For float layers every operation is rounded to float with the constants rounded to float
// first, in the book's order: 1−β and 1−β^t are computed in double and then rounded, and the
// step is ((−lr·m̂) / (√v̂ + ε)), exactly as NumPy evaluates the book's code on float32 arrays.
// The fast numerics do exactly these operations in one vectorized pass over the four arrays
// (ops::fast::adam_update): the same bits, faster.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/optimizers/optimizer.hpp"

#include <cmath>

namespace nnfs {

class Adam : public Optimizer<Adam> {
 public:
  /// The book's Optimizer_Adam(learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999).
  explicit Adam(double learning_rate = 0.001, double decay = 0.0, double epsilon = 1e-7, double beta_1 = 0.9,
                double beta_2 = 0.999)
      : Optimizer("Adam", learning_rate, decay), epsilon_(epsilon), beta_1_(beta_1), beta_2_(beta_2) {
    detail::require(epsilon > 0.0 && std::isfinite(epsilon), "Adam", "epsilon must be finite and > 0", epsilon);
    applied_in_scalar_type("epsilon", epsilon);
    detail::require(detail::is_unit_fraction(beta_1), "Adam", "beta_1 must be in [0, 1)", beta_1);
    detail::require(detail::is_unit_fraction(beta_2), "Adam", "beta_2 must be in [0, 1)", beta_2);
  }

  double epsilon() const { return epsilon_; }
  double beta_1() const { return beta_1_; }
  double beta_2() const { return beta_2_; }

  /// Adam's rule with m = p.momentums, v = p.cache and t = iterations() + 1. Use
  /// update_params(layer) (from Optimizer), which checks the gradients first.
  template <class T>
  void update(const Parameter<T>& p) {
    apply(*p.value, *p.gradient, *p.momentums, *p.cache);
  }

 private:
  template <class T>
  void apply(Matrix<T>& param, const Matrix<T>& grad, Matrix<T>& m, Matrix<T>& v) const {
    ensure_state(m, param);
    ensure_state(v, param);
    // Python's beta ** (iterations + 1) is C's pow() on doubles.
    const double t = static_cast<double>(iterations() + 1);
    const T m_correction = as<T>(1.0 - std::pow(beta_1_, t));
    const T v_correction = as<T>(1.0 - std::pow(beta_2_, t));
    // m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  θ ← θ + (−lr·m̂) / (√v̂ + ε)
    ops::adam_update(param, grad, m, v, as<T>(beta_1_), as<T>(1.0 - beta_1_), as<T>(beta_2_), as<T>(1.0 - beta_2_),
                     m_correction, v_correction, as<T>(-current_learning_rate()), as<T>(epsilon_));
  }

  double epsilon_;
  double beta_1_;
  double beta_2_;
};


NNFS_COMPILED_INSTANCE(void Adam::update(const Parameter<float>&))
NNFS_COMPILED_INSTANCE(void Adam::update(const Parameter<double>&))

}  // namespace nnfs
