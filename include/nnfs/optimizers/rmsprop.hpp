// nnfs/optimizers/rmsprop.hpp — RMSprop: Adagrad with a cache that forgets (book chapter 10).
//
// Adagrad's cache only grows, which eventually stalls learning. RMSprop keeps a moving
// average of squared gradients instead, so the per-parameter step size follows the recent
// gradient scale:
//     c ← ρ·c + (1−ρ)·g²,   θ ← θ − lr·g / (√c + ε)
// c is the layer's weight_cache / bias_cache; ρ (rho) sets how fast old gradients are forgotten.
//
// For float layers every operation is rounded to float with the constants rounded to float
// first (1−ρ is computed in double, then rounded), in the book's order, as NumPy evaluates it.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/optimizers/optimizer.hpp"

#include <cmath>

namespace nnfs {

class RMSprop : public Optimizer<RMSprop> {
 public:
  /// The book's Optimizer_RMSprop(learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9).
  explicit RMSprop(double learning_rate = 0.001, double decay = 0.0, double epsilon = 1e-7, double rho = 0.9)
      : Optimizer("RMSprop", learning_rate, decay), epsilon_(epsilon), rho_(rho) {
    detail::require(epsilon > 0.0 && std::isfinite(epsilon), "RMSprop", "epsilon must be finite and > 0", epsilon);
    applied_in_scalar_type("epsilon", epsilon);
    detail::require(detail::is_unit_fraction(rho), "RMSprop", "rho must be in [0, 1)", rho);
  }

  double epsilon() const { return epsilon_; }
  double rho() const { return rho_; }

  /// c ← ρ·c + (1−ρ)·g², θ ← θ − lr·g / (√c + ε) (c: p.cache). Use update_params(layer)
  /// (from Optimizer), which checks the gradients first.
  template <class T>
  void update(const Parameter<T>& p) {
    apply(*p.value, *p.gradient, *p.cache);
  }

 private:
  template <class T>
  void apply(Matrix<T>& param, const Matrix<T>& grad, Matrix<T>& cache) const {
    ensure_state(cache, param);
    cache.array() = as<T>(rho_) * cache.array() + as<T>(1.0 - rho_) * grad.array().square();
    param.array() += (as<T>(-current_learning_rate()) * grad.array()) /
                     (cache.array().unaryExpr(exact_sqrt<T>{}) + as<T>(epsilon_));
  }

  double epsilon_;
  double rho_;
};


NNFS_COMPILED_INSTANCE(void RMSprop::update(const Parameter<float>&))
NNFS_COMPILED_INSTANCE(void RMSprop::update(const Parameter<double>&))

}  // namespace nnfs
