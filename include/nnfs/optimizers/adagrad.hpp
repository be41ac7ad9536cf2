// nnfs/optimizers/adagrad.hpp — Adagrad: a learning rate per parameter (book chapter 10).
//
// Parameters whose gradients have been large take smaller steps from then on, so rarely
// updated parameters catch up with frequently updated ones:
//     c ← c + g²,   θ ← θ − lr·g / (√c + ε)
// c (the layer's weight_cache / bias_cache) only grows, so learning slows down over time;
// ε keeps the division finite while c is still zero.
//
// For float layers every operation is rounded to float with the constants rounded to float
// first, in the book's order ((−lr·g) / (√c + ε)), exactly as NumPy evaluates it.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/optimizers/optimizer.hpp"

#include <cmath>

namespace nnfs {

class Adagrad : public Optimizer<Adagrad> {
 public:
  /// The book's Optimizer_Adagrad(learning_rate=1., decay=0., epsilon=1e-7).
  explicit Adagrad(double learning_rate = 1.0, double decay = 0.0, double epsilon = 1e-7)
      : Optimizer("Adagrad", learning_rate, decay), epsilon_(epsilon) {
    detail::require(epsilon > 0.0 && std::isfinite(epsilon), "Adagrad", "epsilon must be finite and > 0", epsilon);
    applied_in_scalar_type("epsilon", epsilon);
  }

  double epsilon() const { return epsilon_; }

  /// c ← c + g², θ ← θ − lr·g / (√c + ε) (c: p.cache). Use update_params(layer) (from
  /// Optimizer), which checks the gradients first.
  template <class T>
  void update(const Parameter<T>& p) {
    apply(*p.value, *p.gradient, *p.cache);
  }

 private:
  template <class T>
  void apply(Matrix<T>& param, const Matrix<T>& grad, Matrix<T>& cache) const {
    ensure_state(cache, param);
    cache.array() += grad.array().square();
    param.array() += (as<T>(-current_learning_rate()) * grad.array()) /
                     (cache.array().unaryExpr(exact_sqrt<T>{}) + as<T>(epsilon_));
  }

  double epsilon_;
};


NNFS_COMPILED_INSTANCE(void Adagrad::update(const Parameter<float>&))
NNFS_COMPILED_INSTANCE(void Adagrad::update(const Parameter<double>&))

}  // namespace nnfs
