// nnfs/optimizers/sgd.hpp — stochastic gradient descent, optionally with momentum (book chapter 10).
//
// Plain SGD steps each parameter against its gradient:
//     θ ← θ − lr·g
// With momentum μ, the step keeps a fraction of the previous step, so the parameters roll
// through small local minima and noisy gradients instead of stopping or zig-zagging:
//     m ← μ·m − lr·g,   θ ← θ + m
// m (the layer's weight_momentums / bias_momentums) is the previous update itself.
//
// For float layers every operation is rounded to float with the constants rounded to float
// first, exactly as NumPy evaluates the book's code on float32 arrays.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/optimizers/optimizer.hpp"

namespace nnfs {

class SGD : public Optimizer<SGD> {
 public:
  /// The book's Optimizer_SGD(learning_rate=1., decay=0., momentum=0.).
  explicit SGD(double learning_rate = 1.0, double decay = 0.0, double momentum = 0.0)
      : Optimizer("SGD", learning_rate, decay), momentum_(momentum) {
    detail::require(detail::is_unit_fraction(momentum), "SGD", "momentum must be in [0, 1)", momentum);
  }

  double momentum() const { return momentum_; }

  /// θ ← θ − lr·g, or with momentum m ← μ·m − lr·g, θ ← θ + m (m: p.momentums). Use
  /// update_params(layer) (from Optimizer), which checks the gradients first.
  template <class T>
  void update(const Parameter<T>& p) {
    if (momentum_ != 0.0)
      update_with_momentum(*p.value, *p.gradient, *p.momentums);
    else
      p.value->array() += as<T>(-current_learning_rate()) * p.gradient->array();
  }

 private:
  template <class T>
  void update_with_momentum(Matrix<T>& param, const Matrix<T>& grad, Matrix<T>& momentums) const {
    ensure_state(momentums, param);
    momentums.array() = as<T>(momentum_) * momentums.array() - as<T>(current_learning_rate()) * grad.array();
    param.array() += momentums.array();
  }

  double momentum_;
};


NNFS_COMPILED_INSTANCE(void SGD::update(const Parameter<float>&))
NNFS_COMPILED_INSTANCE(void SGD::update(const Parameter<double>&))

}  // namespace nnfs
