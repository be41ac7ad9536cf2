// nnfs/model/parts.hpp — the loss, accuracy and optimizer of a Model behind small
// run-time interfaces (as nnfs/layer.hpp does for layers). Each wrapper only forwards to the
// book's class, adding what the book's chapter 22 base classes add: the loss and accuracy
// accumulate over the batches of a pass (new_pass / calculate_accumulated).
#pragma once

#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/optimizers/adagrad.hpp"
#include "nnfs/optimizers/adam.hpp"
#include "nnfs/losses/binary_crossentropy.hpp"
#include "nnfs/losses/categorical_crossentropy.hpp"
#include "nnfs/ops/kernels.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/losses/mean_absolute_error.hpp"
#include "nnfs/losses/mean_squared_error.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/optimizers/rmsprop.hpp"
#include "nnfs/optimizers/sgd.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace nnfs {

/// The book's losses, and `custom` for a loss of your own (named as it was registered).
enum class LossKind { categorical_crossentropy, binary_crossentropy, mean_squared_error, mean_absolute_error, custom };
enum class AccuracyKind { categorical, binary, regression };
enum class OptimizerKind { sgd, adagrad, rmsprop, adam };

inline const char* to_string(LossKind k) {
  switch (k) {
    case LossKind::categorical_crossentropy: return "CategoricalCrossentropy";
    case LossKind::binary_crossentropy: return "BinaryCrossentropy";
    case LossKind::mean_squared_error: return "MeanSquaredError";
    case LossKind::mean_absolute_error: return "MeanAbsoluteError";
    case LossKind::custom: return "custom";
  }
  return "?";
}
inline const char* to_string(AccuracyKind k) {
  switch (k) {
    case AccuracyKind::categorical: return "CategoricalAccuracy";
    case AccuracyKind::binary: return "CategoricalAccuracy(binary)";
    case AccuracyKind::regression: return "RegressionAccuracy";
  }
  return "?";
}
inline const char* to_string(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::sgd: return "SGD";
    case OptimizerKind::adagrad: return "Adagrad";
    case OptimizerKind::rmsprop: return "RMSprop";
    case OptimizerKind::adam: return "Adam";
  }
  return "?";
}

/// The targets of one batch: class labels (N), or an N×k matrix (one-hot rows, binary targets,
/// regression values). `matrix` views rows of the caller's matrix (or of a model buffer).
template <class T>
struct BatchTargets {
  const Labels* labels = nullptr;
  const T* data = nullptr;
  Index rows = 0;
  Index cols = 0;

  bool sparse() const { return labels != nullptr; }
  Eigen::Map<const Matrix<T>> matrix() const { return Eigen::Map<const Matrix<T>>(data, rows, cols); }
  Index samples() const { return sparse() ? labels->size() : rows; }
};

namespace detail {

// ------------------------------------------------------------------------------------ loss

template <class T>
class ModelLoss {
 public:
  virtual ~ModelLoss() = default;
  virtual LossKind kind() const = 0;
  /// The kind's name: "CategoricalCrossentropy", ..., or the name a loss of your own was
  /// registered under (its C++ type name while it is not registered).
  virtual std::string name() const { return to_string(kind()); }
  /// The wrapped class, to find a loss of your own in the registry.
  virtual std::type_index type() const = 0;
  /// The batch's data loss: mean of the sample losses (np.mean, in T). Also adds np.sum of the
  /// sample losses and their count to the pass's totals.
  virtual T calculate(const Matrix<T>& output, const BatchTargets<T>& y) = 0;
  /// ∂L/∂output, N×k.
  virtual const Matrix<T>& backward(const Matrix<T>& output, const BatchTargets<T>& y) = 0;

  void new_pass() {
    accumulated_sum_ = 0.0;
    accumulated_count_ = 0;
  }
  /// Σ sample losses / Σ samples over the pass, in double as the book's Python scalars.
  double calculate_accumulated() const {
    if (accumulated_count_ == 0)
      throw std::logic_error("Model loss: calculate_accumulated with nothing accumulated since new_pass()");
    return accumulated_sum_ / static_cast<double>(accumulated_count_);
  }

 protected:
  T record(const Vector<T>& sample_losses) {
    accumulated_sum_ += static_cast<double>(kernels::numpy_sum(sample_losses.data(), sample_losses.size()));
    accumulated_count_ += sample_losses.size();
    return kernels::mean(sample_losses);
  }

 private:
  double accumulated_sum_ = 0.0;
  Index accumulated_count_ = 0;
};

template <class L>
struct builtin_loss_traits {};  // specialized for the book's losses
template <class T>
struct builtin_loss_traits<CategoricalCrossentropy<T>> {
  using scalar = T;
  static constexpr LossKind kind = LossKind::categorical_crossentropy;
};
template <class T>
struct builtin_loss_traits<BinaryCrossentropy<T>> {
  using scalar = T;
  static constexpr LossKind kind = LossKind::binary_crossentropy;
};
template <class T>
struct builtin_loss_traits<MeanSquaredError<T>> {
  using scalar = T;
  static constexpr LossKind kind = LossKind::mean_squared_error;
};
template <class T>
struct builtin_loss_traits<MeanAbsoluteError<T>> {
  using scalar = T;
  static constexpr LossKind kind = LossKind::mean_absolute_error;
};

template <class L, class = void>
struct is_builtin_loss : std::false_type {};
template <class L>
struct is_builtin_loss<L, std::void_t<decltype(builtin_loss_traits<L>::kind)>> : std::true_type {};

// A loss of your own: a `dinputs` matrix of one scalar, forward(y_pred, y_true) giving the sample
// losses (a Vector of that scalar) and backward(dvalues, y_true) giving ∂L/∂y_pred.
template <class L, class = void>
struct user_loss_traits {};
template <class L>
struct user_loss_traits<
    L, std::void_t<typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar,
                   decltype(static_cast<const Vector<typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar>&>(
                       std::declval<L&>().forward(
                           std::declval<const Matrix<typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar>&>(),
                           std::declval<const Eigen::Map<const Matrix<
                               typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar>>&>()))),
                   decltype(std::declval<L&>().backward(
                       std::declval<const Matrix<typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar>&>(),
                       std::declval<const Eigen::Map<const Matrix<
                           typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar>>&>()))>> {
  using scalar = typename std::decay_t<decltype(std::declval<L&>().dinputs)>::Scalar;
  static constexpr LossKind kind = LossKind::custom;
};

/// What a Model knows of a loss class: its scalar and its kind.
template <class L, bool = is_builtin_loss<L>::value>
struct loss_traits : builtin_loss_traits<L> {};
template <class L>
struct loss_traits<L, false> : user_loss_traits<L> {};

template <class L, class = void>
struct is_model_loss : std::false_type {};
template <class L>
struct is_model_loss<L, std::void_t<decltype(loss_traits<L>::kind)>> : std::true_type {};

}  // namespace detail

/// A registered loss kind of your own: its name in model files, its class, and how to make one.
template <class T>
struct LossKindInfo {
  std::string name;
  std::type_index type;
  std::function<std::unique_ptr<detail::ModelLoss<T>>()> make;
};

namespace detail {
template <class T>
std::vector<LossKindInfo<T>>& loss_registry() {
  static std::vector<LossKindInfo<T>> registry;
  return registry;
}
}  // namespace detail

/// The registered loss kind called `name` (or of class `type`), or nullptr.
template <class T>
const LossKindInfo<T>* find_loss_kind(std::string_view name) {
  for (const LossKindInfo<T>& k : detail::loss_registry<T>())
    if (k.name == name) return &k;
  return nullptr;
}
template <class T>
const LossKindInfo<T>* find_loss_kind(std::type_index type) {
  for (const LossKindInfo<T>& k : detail::loss_registry<T>())
    if (k.type == type) return &k;
  return nullptr;
}

namespace detail {

template <class L>
class LossOf final : public ModelLoss<typename loss_traits<L>::scalar> {
 public:
  using T = typename loss_traits<L>::scalar;
  explicit LossOf(L l) : loss(std::move(l)) {}

  LossKind kind() const override { return loss_traits<L>::kind; }
  std::type_index type() const override { return typeid(L); }
  std::string name() const override {
    if constexpr (loss_traits<L>::kind == LossKind::custom) {
      const LossKindInfo<T>* k = find_loss_kind<T>(std::type_index(typeid(L)));
      return k != nullptr ? k->name : std::string(typeid(L).name());
    } else {
      return to_string(kind());
    }
  }

  T calculate(const Matrix<T>& output, const BatchTargets<T>& y) override {
    if (y.sparse()) {
      if constexpr (std::is_same_v<L, CategoricalCrossentropy<T>>) return this->record(loss.forward(output, *y.labels));
      throw std::logic_error("model loss: labels reached a loss that takes a target matrix");  // the model converts
    }
    return this->record(loss.forward(output, y.matrix()));
  }

  const Matrix<T>& backward(const Matrix<T>& output, const BatchTargets<T>& y) override {
    if (y.sparse()) {
      if constexpr (std::is_same_v<L, CategoricalCrossentropy<T>>) return loss.backward(output, *y.labels);
      throw std::logic_error("model loss: labels reached a loss that takes a target matrix");
    }
    return loss.backward(output, y.matrix());
  }

  L loss;
};

// -------------------------------------------------------------------------------- accuracy

template <class T>
class ModelAccuracy {
 public:
  virtual ~ModelAccuracy() = default;
  virtual AccuracyKind kind() const = 0;
  /// Learns what it needs from the training targets (RegressionAccuracy: the precision, once).
  virtual void init(const Eigen::Ref<const Matrix<T>>& y) = 0;
  /// Class-index predictions (a softmax output's argmax) against the batch's targets.
  virtual double calculate(const Labels& predictions, const BatchTargets<T>& y) = 0;
  /// Value predictions (sigmoid 0/1 outputs, regression outputs).
  virtual double calculate(const Matrix<T>& predictions, const BatchTargets<T>& y) = 0;
  virtual void new_pass() = 0;
  virtual double calculate_accumulated() const = 0;
  /// RegressionAccuracy's precision (0 for the others).
  virtual double precision() const { return 0.0; }
  virtual void set_precision(double) {}
};

template <class T, class A>
class AccuracyAdapter final : public ModelAccuracy<T> {
 public:
  explicit AccuracyAdapter(A a) : accuracy(std::move(a)) {}

  AccuracyKind kind() const override {
    if constexpr (std::is_same_v<A, RegressionAccuracy>)
      return AccuracyKind::regression;
    else
      return accuracy.binary() ? AccuracyKind::binary : AccuracyKind::categorical;
  }

  void init(const Eigen::Ref<const Matrix<T>>& y) override { accuracy.init(y); }

  double calculate(const Labels& predictions, const BatchTargets<T>& y) override {
    if (y.sparse()) return accuracy.calculate(predictions, *y.labels);
    return accuracy.calculate(predictions, y.matrix());
  }

  double calculate(const Matrix<T>& predictions, const BatchTargets<T>& y) override {
    if (y.sparse()) return accuracy.calculate(predictions, *y.labels);
    return accuracy.calculate(predictions, y.matrix());
  }

  void new_pass() override { accuracy.new_pass(); }
  double calculate_accumulated() const override { return accuracy.calculate_accumulated(); }

  double precision() const override {
    if constexpr (std::is_same_v<A, RegressionAccuracy>)
      return accuracy.initialised() ? accuracy.precision() : 0.0;
    else
      return 0.0;
  }

  void set_precision(double p) override {
    if constexpr (std::is_same_v<A, RegressionAccuracy>) accuracy.set_precision(p);
  }

  A accuracy;
};

template <class A>
struct is_model_accuracy : std::bool_constant<std::is_same_v<A, CategoricalAccuracy> ||
                                              std::is_same_v<A, RegressionAccuracy>> {};

// ------------------------------------------------------------------------------- optimizer

template <class T>
class ModelOptimizer {
 public:
  virtual ~ModelOptimizer() = default;
  virtual OptimizerKind kind() const = 0;
  virtual void pre_update_params() = 0;
  /// Throws unless every gradient of `params` is there with its parameter's shape.
  virtual void check_gradients(const std::vector<Parameter<T>>& params) const = 0;
  /// The update rule on one parameter (between pre_ and post_update_params).
  virtual void update(const Parameter<T>& p) = 0;
  virtual void post_update_params() = 0;
  virtual double learning_rate() const = 0;
  virtual double current_learning_rate() const = 0;
  virtual double decay() const = 0;
  virtual std::int64_t iterations() const = 0;
  virtual void restore_state(std::int64_t iterations, double current_learning_rate) = 0;
  /// The optimizer's other settings, in its constructor's order after (learning_rate, decay):
  /// SGD: momentum; Adagrad: epsilon; RMSprop: epsilon, rho; Adam: epsilon, beta_1, beta_2.
  virtual std::vector<double> settings() const = 0;
};

template <class O>
struct optimizer_traits;
template <>
struct optimizer_traits<SGD> {
  static constexpr OptimizerKind kind = OptimizerKind::sgd;
  static std::vector<double> settings(const SGD& o) { return {o.momentum()}; }
};
template <>
struct optimizer_traits<Adagrad> {
  static constexpr OptimizerKind kind = OptimizerKind::adagrad;
  static std::vector<double> settings(const Adagrad& o) { return {o.epsilon()}; }
};
template <>
struct optimizer_traits<RMSprop> {
  static constexpr OptimizerKind kind = OptimizerKind::rmsprop;
  static std::vector<double> settings(const RMSprop& o) { return {o.epsilon(), o.rho()}; }
};
template <>
struct optimizer_traits<Adam> {
  static constexpr OptimizerKind kind = OptimizerKind::adam;
  static std::vector<double> settings(const Adam& o) { return {o.epsilon(), o.beta_1(), o.beta_2()}; }
};

template <class O, class = void>
struct is_model_optimizer : std::false_type {};
template <class O>
struct is_model_optimizer<O, std::void_t<decltype(optimizer_traits<O>::kind)>> : std::true_type {};

template <class T, class O>
class OptimizerOf final : public ModelOptimizer<T> {
 public:
  explicit OptimizerOf(O o) : optimizer(std::move(o)) {}
  OptimizerKind kind() const override { return optimizer_traits<O>::kind; }
  void pre_update_params() override { optimizer.pre_update_params(); }
  void check_gradients(const std::vector<Parameter<T>>& params) const override { optimizer.check_gradients(params); }
  void update(const Parameter<T>& p) override { optimizer.update(p); }
  void post_update_params() override { optimizer.post_update_params(); }
  double learning_rate() const override { return optimizer.learning_rate(); }
  double current_learning_rate() const override { return optimizer.current_learning_rate(); }
  double decay() const override { return optimizer.decay(); }
  std::int64_t iterations() const override { return optimizer.iterations(); }
  void restore_state(std::int64_t iterations, double current_learning_rate) override {
    optimizer.restore_state(iterations, current_learning_rate);
  }
  std::vector<double> settings() const override { return optimizer_traits<O>::settings(optimizer); }

  O optimizer;
};

}  // namespace detail

/// Registers a loss class of your own under `name`, the name model files use for it; a loaded
/// model's loss is L(). Registering the same class under the same name again does nothing.
/// Throws std::invalid_argument for a name that is not letters, digits and '_', a name of the
/// book's losses, or a name or class already registered otherwise.
template <class L>
void register_loss(const std::string& name) {
  static_assert(detail::is_model_loss<L>::value && !detail::is_builtin_loss<L>::value,
                "register_loss: L must be a loss of your own (dinputs, forward(y_pred, y_true), backward)");
  using T = typename detail::loss_traits<L>::scalar;
  if (!detail::is_kind_name(name))
    throw std::invalid_argument("register_loss: '" + name +
                                "' is not a kind name (letters, digits and '_', not starting with a digit)");
  for (const LossKind k : {LossKind::categorical_crossentropy, LossKind::binary_crossentropy,
                           LossKind::mean_squared_error, LossKind::mean_absolute_error})
    if (name == to_string(k)) throw std::invalid_argument("register_loss: '" + name + "' is the name of a built-in loss");
  const LossKindInfo<T>* by_name = find_loss_kind<T>(name);
  const LossKindInfo<T>* by_type = find_loss_kind<T>(std::type_index(typeid(L)));
  if (by_name != nullptr && by_name == by_type) return;
  if (by_name != nullptr) throw std::invalid_argument("register_loss: '" + name + "' is registered for another class");
  if (by_type != nullptr)
    throw std::invalid_argument("register_loss: this class is already registered as '" + by_type->name + "'");
  detail::loss_registry<T>().push_back(LossKindInfo<T>{
      name, std::type_index(typeid(L)),
      []() -> std::unique_ptr<detail::ModelLoss<T>> { return std::make_unique<detail::LossOf<L>>(L()); }});
}

}  // namespace nnfs
