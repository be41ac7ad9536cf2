// nnfs/optimizers/optimizer.hpp — what every optimizer shares (book chapter 10): learning-rate decay and
// the step counter.
//
// An optimizer moves each parameter against its gradient. Large steps help early in training
// and overshoot late, so the learning rate may decay with the number of steps taken:
//     lr_t = lr · 1/(1 + decay·t),   t = completed training steps
// computed in double exactly as the book writes it, so the printed learning rates are the book's.
//
// One training step is pre_update_params(), update_params(layer) for every trainable layer,
// post_update_params(); step(layers...) does all three. The counter t advances once per step,
// not once per layer: Adam's bias correction must use the same t for every layer of a step.
//
// An optimizer trains parameters, not layer types: update_params(layer) takes any object whose
// parameters() lists its trainable matrices (nnfs/parameter.hpp) — a Dense, or a layer of your
// own — and applies the update rule, update(parameter), to each.
//
// The concrete optimizers (sgd.hpp, adagrad.hpp, rmsprop.hpp, adam.hpp) derive from
// Optimizer<Self> and define update(const Parameter<T>&). The base needs the derived class as a
// template argument because update is a template (one per scalar type), and templates cannot
// be virtual.
//
// Bit-exactness with NumPy assumes no FMA contraction (-ffp-contract=off on FMA targets; see
// the README): every product and sum of the update rules is rounded separately, as NumPy does.
#pragma once

#include "nnfs/detail/fp.hpp"
#include "nnfs/detail/hyper_parameter.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace nnfs {

namespace detail {

/// True for x in [0, 1): a decay factor (momentum, ρ, β) that forgets old gradients.
inline bool is_unit_fraction(double x) { return x >= 0.0 && x < 1.0; }

}  // namespace detail

template <class Derived>
class Optimizer {
 public:
  double learning_rate() const { return learning_rate_; }
  /// The learning rate the next update uses: lr_t after pre_update_params(), lr before any.
  double current_learning_rate() const { return current_learning_rate_; }
  double decay() const { return decay_; }
  /// Completed training steps (post_update_params() calls).
  std::int64_t iterations() const { return iterations_; }

  /// Call once per training step, before updating any layer.
  void pre_update_params() {
    if (decay_ != 0.0) {
      // The book's order: lr * (1. / (1. + decay * iterations)). rounded() keeps the product
      // from being fused into the sum, so the printed rates stay exact whatever the target.
      const double decay_t = detail::rounded(decay_ * static_cast<double>(iterations_));
      current_learning_rate_ = learning_rate_ * (1.0 / (1.0 + decay_t));
    }
  }

  /// Call once per training step, after updating every layer.
  void post_update_params() { ++iterations_; }

  /// Puts the optimizer back where a saved one was (a model file with optimizer state): its
  /// step counter and the learning rate of its last step. Throws std::invalid_argument for a
  /// negative count or a rate that is not finite and ≥ 0.
  void restore_state(std::int64_t iterations, double current_learning_rate) {
    detail::require(iterations >= 0, name_, "restored iterations must be >= 0", static_cast<double>(iterations));
    detail::require(current_learning_rate >= 0.0 && std::isfinite(current_learning_rate), name_,
                    "restored current learning rate must be finite and >= 0", current_learning_rate);
    iterations_ = iterations;
    current_learning_rate_ = current_learning_rate;
  }

  /// Updates every parameter of `layer` (anything with a parameters() list: a Dense, a layer of
  /// your own) by this optimizer's rule. Call between pre_update_params() and
  /// post_update_params(). Checks the gradients first (check_gradients) and changes nothing
  /// when they are wrong.
  template <class Layer>
  void update_params(Layer& layer) {
    const auto params = layer.parameters();
    check_gradients(params);
    for (const auto& p : params) static_cast<Derived&>(*this).update(p);
  }

  /// One training step over all trainable layers: pre_update_params(), update_params(layer)
  /// for each, post_update_params(). Every layer's gradients are checked before any is updated,
  /// so a step either happens completely or not at all.
  template <class... Layers>
  void step(Layers&... layers) {
    static_assert(sizeof...(Layers) > 0, "Optimizer::step: pass the layers to update");
    (check_gradients(layers.parameters()), ...);
    pre_update_params();
    (update_params(layers), ...);
    post_update_params();
  }

  /// Throws unless backward() has filled every gradient of `params` (a list of Parameter<T>)
  /// with its parameter's shape: std::logic_error when one is missing, std::invalid_argument
  /// when shapes differ or a parameter has no optimizer-state slots. The message lists every
  /// gradient and parameter shape ("dweights 0×0, dbiases 0×0 for weights 2×3, biases 1×3").
  template <class Params>
  void check_gradients(const Params& params) const {
    for (const auto& p : params) {
      check_in_scalar_type(p);  // the same T for every parameter of a layer: once is enough
      break;
    }
    bool missing = false;
    bool mismatched = false;
    for (const auto& p : params) {
      if (p.value == nullptr || p.gradient == nullptr || p.momentums == nullptr || p.cache == nullptr)
        throw std::invalid_argument(std::string(name_) + "::update_params: parameter '" + std::string(p.name) +
                                    "' lacks its value, gradient or optimizer-state matrices");
      if (p.gradient->size() == 0) missing = true;
      if (p.gradient->rows() != p.value->rows() || p.gradient->cols() != p.value->cols()) mismatched = true;
    }
    if (!missing && !mismatched) return;
    const auto shapes = [&] {
      std::string grads;
      std::string values;
      for (const auto& p : params) {
        const char* sep = grads.empty() ? "" : ", ";
        grads += sep + ("d" + std::string(p.name)) + " " + shape_str(*p.gradient);
        values += sep + std::string(p.name) + " " + shape_str(*p.value);
      }
      return grads + " for " + values;
    };
    if (missing)
      throw std::logic_error(std::string(name_) + "::update_params: the layer has no gradients yet (" + shapes() +
                             "): call backward() before updating it");
    throw std::invalid_argument(std::string(name_) + "::update_params: gradient shapes do not match the parameters (" +
                                shapes() + ")");
  }

 protected:
  Optimizer(const char* name, double learning_rate, double decay)
      : name_(name), learning_rate_(learning_rate), current_learning_rate_(learning_rate), decay_(decay) {
    detail::require(learning_rate >= 0.0 && std::isfinite(learning_rate), name, "learning_rate must be finite and >= 0",
                    learning_rate);
    detail::require(decay >= 0.0 && std::isfinite(decay), name, "decay must be finite and >= 0", decay);
  }

  /// A hyper-parameter the update rule applies in the parameters' type T (epsilon): checked in
  /// that type before every update, where T is known (check_gradients), with the learning rate.
  void applied_in_scalar_type(const char* what, double value) {
    if (applied_count_ == applied_.size()) throw std::logic_error("Optimizer: too many typed hyper-parameters");
    applied_[applied_count_++] = Applied{what, value};
  }

  /// Makes `state` a zero matrix shaped like `param` unless it already has that shape. State
  /// of the right shape is this optimizer's memory of earlier steps and is kept; state of
  /// another shape cannot belong to these parameters (they were replaced), so it starts over.
  /// Only the first update of a layer (or of new shapes) allocates.
  template <class T>
  static void ensure_state(Matrix<T>& state, const Matrix<T>& param) {
    if (state.rows() != param.rows() || state.cols() != param.cols()) state.setZero(param.rows(), param.cols());
  }

  /// The update rule's constants are Python floats applied to T arrays: NumPy rounds them to
  /// T first, and so do we.
  template <class T>
  static T as(double x) {
    return static_cast<T>(x);
  }

  /// Element-wise √x, correctly rounded. (Eigen's vectorized float sqrt is an approximation
  /// under its default EIGEN_FAST_MATH; NumPy's is exact.)
  template <class T>
  struct exact_sqrt {
    T operator()(T x) const { return std::sqrt(x); }
  };

 private:
  // The learning rate of the next step and every applied_in_scalar_type() value, as T.
  template <class T>
  void check_in_scalar_type(const Parameter<T>&) const {
    detail::require_in_scalar_type<T>(name_, "learning rate", current_learning_rate_);
    for (std::size_t i = 0; i < applied_count_; ++i)
      detail::require_in_scalar_type<T>(name_, applied_[i].what, applied_[i].value);
  }

  struct Applied {
    const char* what = "";
    double value = 0.0;
  };
  std::array<Applied, 2> applied_{};
  std::size_t applied_count_ = 0;
  const char* name_;
  double learning_rate_;
  double current_learning_rate_;
  double decay_;
  std::int64_t iterations_ = 0;
};

}  // namespace nnfs
