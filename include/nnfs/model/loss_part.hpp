// nnfs/model/loss_part.hpp — a Model's loss behind a run-time interface (ModelLoss<T>), and the
// registry of loss kinds (nnfs/model/parts.hpp).
//
// A loss, the book's or your own (docs/extending.md): a `dinputs` matrix of one scalar,
// forward(y_pred, y_true) giving the sample losses (a Vector of that scalar) and
// backward(dvalues, y_true) giving ∂L/∂y_pred, y_true a target matrix. A loss that also takes
// class labels (nnfs::Labels) says so with `static constexpr bool accepts_labels = true`
// (CategoricalCrossentropy): the model then passes labels straight through.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/ops/kernels.hpp"
#include "nnfs/types.hpp"

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

template <class T>
class ModelLoss {
 public:
  virtual ~ModelLoss() = default;
  /// The kind's name in the registry: "CategoricalCrossentropy", ..., or the name a loss of
  /// your own was registered under (its C++ type name while it is not registered).
  virtual std::string name() const = 0;
  /// The wrapped class, to find its kind in the registry.
  virtual std::type_index type() const = 0;
  /// Whether it takes class labels as targets (CategoricalCrossentropy); the model turns labels
  /// into one column of values for the others.
  virtual bool takes_labels() const = 0;
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

template <class L, class = void>
struct loss_traits {};
template <class L>
struct loss_traits<
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
};

template <class L, class = void>
struct is_model_loss : std::false_type {};
template <class L>
struct is_model_loss<L, std::void_t<typename loss_traits<L>::scalar>> : std::true_type {};

// A loss that takes class labels as targets says so: static constexpr bool accepts_labels = true
// (CategoricalCrossentropy), with forward(y_pred, labels) and backward(dvalues, labels).
template <class L, class = void>
struct takes_labels : std::false_type {};
template <class L>
struct takes_labels<L, std::void_t<decltype(L::accepts_labels)>> : std::bool_constant<L::accepts_labels> {};

}  // namespace detail

/// A loss kind: its name in model files and summaries, its class, and how to make one.
template <class T>
struct LossKindInfo {
  std::string name;
  std::type_index type;
  std::function<std::unique_ptr<detail::ModelLoss<T>>()> make;
  bool builtin = false;
};

template <class T>
using LossRegistry = detail::KindRegistry<LossKindInfo<T>>;

namespace detail {
/// Adds the book's losses to `registry` (nnfs/model/kinds.hpp); with their factories only when `Factories`.
template <class T, bool Factories>
void register_builtin_losses(LossRegistry<T>& registry);
}  // namespace detail

/// Every loss kind for Model<T>: the book's, then the ones registered with register_loss.
template <class T>
LossRegistry<T>& loss_registry() {
  return detail::seeded_registry<LossRegistry<T>>(detail::register_builtin_losses<T, false>);
}

/// The loss kind called `name` (or of class `type`), or nullptr.
template <class T>
const LossKindInfo<T>* find_loss_kind(std::string_view name) {
  return loss_registry<T>().find(name);
}
template <class T>
const LossKindInfo<T>* find_loss_kind(std::type_index type) {
  return loss_registry<T>().find(type);
}

namespace detail {

template <class L>
class LossOf final : public ModelLoss<typename loss_traits<L>::scalar> {
 public:
  using T = typename loss_traits<L>::scalar;
  explicit LossOf(L l) : loss(std::move(l)) {}

  std::type_index type() const override { return typeid(L); }
  std::string name() const override {
    const LossKindInfo<T>* k = find_loss_kind<T>(std::type_index(typeid(L)));
    return k != nullptr ? k->name : std::string(typeid(L).name());
  }
  bool takes_labels() const override { return detail::takes_labels<L>::value; }

  T calculate(const Matrix<T>& output, const BatchTargets<T>& y) override {
    if (y.sparse()) {
      if constexpr (detail::takes_labels<L>::value) return this->record(loss.forward(output, *y.labels));
      throw std::logic_error("model loss: labels reached a loss that takes a target matrix");  // the model converts
    }
    return this->record(loss.forward(output, y.matrix()));
  }

  const Matrix<T>& backward(const Matrix<T>& output, const BatchTargets<T>& y) override {
    if (y.sparse()) {
      if constexpr (detail::takes_labels<L>::value) return loss.backward(output, *y.labels);
      throw std::logic_error("model loss: labels reached a loss that takes a target matrix");
    }
    return loss.backward(output, y.matrix());
  }

  L loss;
};

/// Adds loss class L to `registry` as kind `name`; a loaded model's loss is L(). Without
/// `Factory` the kind has no factory, and none of L's code is compiled here.
template <class L, bool Factory = true>
void add_loss_kind(LossRegistry<typename loss_traits<L>::scalar>& registry, const std::string& name,
                   bool builtin = false) {
  using T = typename loss_traits<L>::scalar;
  LossKindInfo<T> info{name, std::type_index(typeid(L)), {}, builtin};
  if constexpr (Factory)
    info.make = []() -> std::unique_ptr<ModelLoss<T>> { return std::make_unique<LossOf<L>>(L()); };
  registry.add("register_loss", "loss", std::move(info));
}

}  // namespace detail

/// Registers a loss class of your own under `name`, the name model files use for it; a loaded
/// model's loss is L(). Registering the same class under the same name again does nothing.
/// Throws std::invalid_argument for a name that is not letters, digits and '_', a name of the
/// book's losses, or a name or class already registered otherwise.
template <class L>
void register_loss(const std::string& name) {
  static_assert(detail::is_model_loss<L>::value,
                "register_loss: L must be a loss of your own (dinputs, forward(y_pred, y_true), backward)");
  detail::add_loss_kind<L>(loss_registry<typename detail::loss_traits<L>::scalar>(), name);
}

NNFS_COMPILED_INSTANCE(class detail::ModelLoss<float>)
NNFS_COMPILED_INSTANCE(class detail::ModelLoss<double>)

}  // namespace nnfs
