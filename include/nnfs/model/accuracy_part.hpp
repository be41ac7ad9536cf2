// nnfs/model/accuracy_part.hpp — a Model's accuracy behind a run-time interface
// (ModelAccuracy<T>), and the registry of accuracy kinds (nnfs/model/parts.hpp).
//
// An accuracy, the book's or your own: init(y) (learns from the training targets, or nothing),
// calculate(predictions, y) for class-index predictions (Labels) and for value predictions (a
// matrix), against labels or a target matrix, new_pass() and calculate_accumulated() (derive
// from nnfs::Accuracy for the last two). One class may be several kinds: CategoricalAccuracy is
// "categorical" and "binary", told apart by the kind's `matches`.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/loss_part.hpp"
#include "nnfs/types.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

template <class T>
class ModelAccuracy {
 public:
  virtual ~ModelAccuracy() = default;
  /// The kind's name in the registry ("categorical", "binary", "regression", or yours).
  virtual std::string name() const = 0;
  /// How Model::summary() shows it: "CategoricalAccuracy", "CategoricalAccuracy(binary)", ...
  virtual std::string describe() const = 0;
  /// The wrapped class, to find its kind in the registry.
  virtual std::type_index type() const = 0;
  /// Whether init() learns from the training targets (RegressionAccuracy's precision): the
  /// model calls it only then.
  virtual bool learns_from_targets() const = 0;
  /// Learns what it needs from the training targets (RegressionAccuracy: the precision, once).
  virtual void init(const Eigen::Ref<const Matrix<T>>& y) = 0;
  /// Class-index predictions (a softmax output's argmax) against the batch's targets.
  virtual double calculate(const Labels& predictions, const BatchTargets<T>& y) = 0;
  /// Value predictions (sigmoid 0/1 outputs, regression outputs).
  virtual double calculate(const Matrix<T>& predictions, const BatchTargets<T>& y) = 0;
  virtual void new_pass() = 0;
  virtual double calculate_accumulated() const = 0;
  /// Its precision once initialised (RegressionAccuracy), else 0.
  virtual double precision() const { return 0.0; }
};

// An accuracy: init(y), new_pass(), calculate_accumulated().
template <class A, class = void>
struct is_model_accuracy : std::false_type {};
template <class A>
struct is_model_accuracy<A, std::void_t<decltype(std::declval<A&>().init(std::declval<const Matrix<double>&>())),
                                        decltype(std::declval<A&>().new_pass()),
                                        decltype(std::declval<const A&>().calculate_accumulated())>>
    : std::true_type {};

// initialised() and precision(): an accuracy that learns a precision from the targets.
template <class A, class = void>
struct has_precision : std::false_type {};
template <class A>
struct has_precision<A, std::void_t<decltype(std::declval<const A&>().initialised()),
                                    decltype(std::declval<const A&>().precision())>> : std::true_type {};

}  // namespace detail

/// An accuracy kind: its name in model files, its class (and, when one class is several kinds,
/// which objects it covers), how summary() shows it, how to make one from the settings a file
/// holds, the settings to save and the keys its file line may hold.
template <class T>
struct AccuracyKindInfo {
  std::string name;
  std::type_index type;
  std::function<std::unique_ptr<detail::ModelAccuracy<T>>(const Settings&)> make;
  bool builtin = false;
  std::string summary;
  std::function<bool(const detail::ModelAccuracy<T>&)> matches;  // unset: every object of the class
  std::function<Settings(const detail::ModelAccuracy<T>&)> settings;  // unset: none
  std::vector<SettingRule> keys;  // all optional
};

template <class T>
using AccuracyRegistry = detail::KindRegistry<AccuracyKindInfo<T>>;

namespace detail {
/// Adds the book's accuracies to `registry` (nnfs/model/kinds.hpp); with their factories only when `Factories`.
template <class T, bool Factories>
void register_builtin_accuracies(AccuracyRegistry<T>& registry);
}  // namespace detail

/// Every accuracy kind for Model<T>: the book's, then the ones registered with register_accuracy.
template <class T>
AccuracyRegistry<T>& accuracy_registry() {
  return detail::seeded_registry<AccuracyRegistry<T>>(detail::register_builtin_accuracies<T, false>);
}

/// The accuracy kind called `name`, or nullptr.
template <class T>
const AccuracyKindInfo<T>* find_accuracy_kind(std::string_view name) {
  return accuracy_registry<T>().find(name);
}

/// The kind of accuracy `a`, or nullptr when its class is not registered.
template <class T>
const AccuracyKindInfo<T>* find_accuracy_kind(const detail::ModelAccuracy<T>& a) {
  for (const AccuracyKindInfo<T>& k : accuracy_registry<T>().kinds())
    if (k.type == a.type() && (!k.matches || k.matches(a))) return &k;
  return nullptr;
}

namespace detail {

template <class T, class A>
class AccuracyOf final : public ModelAccuracy<T> {
 public:
  explicit AccuracyOf(A a) : accuracy(std::move(a)) {}

  std::type_index type() const override { return typeid(A); }
  std::string name() const override {
    const AccuracyKindInfo<T>* k = find_accuracy_kind<T>(*this);
    return k != nullptr ? k->name : std::string(typeid(A).name());
  }
  std::string describe() const override {
    const AccuracyKindInfo<T>* k = find_accuracy_kind<T>(*this);
    return k == nullptr ? std::string(typeid(A).name()) : k->summary.empty() ? k->name : k->summary;
  }
  bool learns_from_targets() const override { return has_precision<A>::value; }

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
    if constexpr (has_precision<A>::value)
      return accuracy.initialised() ? accuracy.precision() : 0.0;
    else
      return 0.0;
  }

  A accuracy;
};

/// Adds accuracy class A to `registry` as kind `name`: `make(settings)` builds an A,
/// `settings(a)` gives what a file keeps (optional keys `keys`), `matches(a)` tells this kind's
/// objects from other kinds of the same class. make = nullptr adds the kind without its
/// factory: then none of A's code is compiled here.
template <class T, class A, class Make>
void add_accuracy_kind(AccuracyRegistry<T>& registry, const std::string& name, Make make, bool builtin = false,
                       std::string summary = {}, std::function<bool(const A&)> matches = {},
                       std::function<Settings(const A&)> settings = {}, std::vector<SettingRule> keys = {}) {
  AccuracyKindInfo<T> info{name,
                           std::type_index(typeid(A)),
                           {},
                           builtin,
                           std::move(summary),
                           {},
                           {},
                           std::move(keys)};
  if constexpr (!std::is_null_pointer_v<Make>)
    info.make = [make](const Settings& s) -> std::unique_ptr<ModelAccuracy<T>> {
      return std::make_unique<AccuracyOf<T, A>>(make(s));
    };
  if (matches)
    info.matches = [matches](const ModelAccuracy<T>& a) {
      const auto* of = dynamic_cast<const AccuracyOf<T, A>*>(&a);
      return of != nullptr && matches(of->accuracy);
    };
  if (settings)
    info.settings = [settings](const ModelAccuracy<T>& a) {
      const auto* of = dynamic_cast<const AccuracyOf<T, A>*>(&a);
      return of != nullptr ? settings(of->accuracy) : Settings{};
    };
  registry.add("register_accuracy", "accuracy", std::move(info));
}

}  // namespace detail

/// Registers an accuracy class of your own, for Model<T>, under `name`, the name model files
/// use for it; a loaded model's accuracy is A(). Registering the same class under the same name
/// again does nothing. Throws std::invalid_argument for a name that is not letters, digits and
/// '_', a name of the book's accuracies, or a name or class already registered otherwise.
template <class T, class A>
void register_accuracy(const std::string& name) {
  static_assert(detail::is_model_accuracy<A>::value,
                "register_accuracy: A must be an accuracy (init(y), calculate, new_pass, calculate_accumulated)");
  detail::add_accuracy_kind<T, A>(accuracy_registry<T>(), name, [](const Settings&) { return A(); });
}

NNFS_COMPILED_INSTANCE(class detail::ModelAccuracy<float>)
NNFS_COMPILED_INSTANCE(class detail::ModelAccuracy<double>)

}  // namespace nnfs
