// nnfs/model/optimizer_part.hpp — a Model's optimizer behind a run-time interface
// (ModelOptimizer<T>), and the registry of optimizer kinds (nnfs/model/parts.hpp).
//
// An optimizer, the book's or your own (docs/extending.md): pre_update_params(), update(p) for
// a Parameter<T>, post_update_params(), learning_rate(), current_learning_rate(), decay(),
// iterations() and restore_state(iterations, current_learning_rate) — what deriving from
// nnfs::Optimizer gives — and optionally check_gradients(params).
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <cstdint>
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
class ModelOptimizer {
 public:
  virtual ~ModelOptimizer() = default;
  /// The kind's name in the registry: "SGD", ..., or the name an optimizer of your own was
  /// registered under (its C++ type name while it is not registered).
  virtual std::string name() const = 0;
  /// The wrapped class, to find its kind in the registry.
  virtual std::type_index type() const = 0;
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
  /// Its settings as its kind gives them, learning_rate and decay first:
  /// SGD: momentum; Adagrad: epsilon; RMSprop: epsilon, rho; Adam: epsilon, beta_1, beta_2.
  virtual Settings settings() const = 0;
};

// An optimizer: pre_update_params(), post_update_params(), restore_state(iterations, lr).
template <class O, class = void>
struct is_model_optimizer : std::false_type {};
template <class O>
struct is_model_optimizer<O, std::void_t<decltype(std::declval<O&>().pre_update_params()),
                                         decltype(std::declval<O&>().post_update_params()),
                                         decltype(std::declval<O&>().restore_state(std::int64_t{}, 0.0))>>
    : std::true_type {};

template <class O, class T, class = void>
struct has_check_gradients : std::false_type {};
template <class O, class T>
struct has_check_gradients<O, T, std::void_t<decltype(std::declval<const O&>().check_gradients(
                                     std::declval<const std::vector<Parameter<T>>&>()))>> : std::true_type {};

}  // namespace detail

/// An optimizer kind: its name in model files and summaries, its class, the keys of its
/// settings after learning_rate and decay, how to make one from its settings (all of them,
/// learning_rate and decay first) and get them back, and which optimizer state it keeps per
/// parameter (momentums, cache) so that a file holds exactly that state.
template <class T>
struct OptimizerKindInfo {
  std::string name;
  std::type_index type;
  std::function<std::unique_ptr<detail::ModelOptimizer<T>>(const Settings&)> make;
  bool builtin = false;
  std::vector<std::string> keys;
  std::function<Settings(const detail::ModelOptimizer<T>&)> settings;
  /// (momentums, cache) for these settings; unset: none.
  std::function<std::pair<bool, bool>(const Settings&)> keeps;
  /// Said after "<name> keeps no <array>" in a file's error (SGD: when it keeps momentums).
  std::string keeps_note;
};

template <class T>
using OptimizerRegistry = detail::KindRegistry<OptimizerKindInfo<T>>;

namespace detail {
/// Adds the book's optimizers to `registry` (nnfs/model/kinds.hpp); with their factories only when `Factories`.
template <class T, bool Factories>
void register_builtin_optimizers(OptimizerRegistry<T>& registry);
}  // namespace detail

/// Every optimizer kind for Model<T>: the book's, then the ones registered with register_optimizer.
template <class T>
OptimizerRegistry<T>& optimizer_registry() {
  return detail::seeded_registry<OptimizerRegistry<T>>(detail::register_builtin_optimizers<T, false>);
}

/// The optimizer kind called `name` (or of class `type`), or nullptr.
template <class T>
const OptimizerKindInfo<T>* find_optimizer_kind(std::string_view name) {
  return optimizer_registry<T>().find(name);
}
template <class T>
const OptimizerKindInfo<T>* find_optimizer_kind(std::type_index type) {
  return optimizer_registry<T>().find(type);
}

namespace detail {

template <class T, class O>
class OptimizerOf final : public ModelOptimizer<T> {
 public:
  explicit OptimizerOf(O o) : optimizer(std::move(o)) {}
  std::type_index type() const override { return typeid(O); }
  std::string name() const override {
    const OptimizerKindInfo<T>* k = find_optimizer_kind<T>(std::type_index(typeid(O)));
    return k != nullptr ? k->name : std::string(typeid(O).name());
  }
  void pre_update_params() override { optimizer.pre_update_params(); }
  void check_gradients(const std::vector<Parameter<T>>& params) const override {
    if constexpr (has_check_gradients<O, T>::value) optimizer.check_gradients(params);
  }
  void update(const Parameter<T>& p) override { optimizer.update(p); }
  void post_update_params() override { optimizer.post_update_params(); }
  double learning_rate() const override { return optimizer.learning_rate(); }
  double current_learning_rate() const override { return optimizer.current_learning_rate(); }
  double decay() const override { return optimizer.decay(); }
  std::int64_t iterations() const override { return optimizer.iterations(); }
  void restore_state(std::int64_t iterations, double current_learning_rate) override {
    optimizer.restore_state(iterations, current_learning_rate);
  }
  Settings settings() const override {
    const OptimizerKindInfo<T>* k = find_optimizer_kind<T>(std::type_index(typeid(O)));
    Settings s = {{"learning_rate", learning_rate()}, {"decay", decay()}};
    if (k != nullptr && k->settings)
      for (auto& kv : k->settings(*this)) s.push_back(std::move(kv));
    return s;
  }

  O optimizer;
};

/// Adds optimizer class O to `registry` as kind `name`: `keys` are its settings after
/// learning_rate and decay, `make(settings)` builds an O from all of them, `settings(o)` gives
/// those after learning_rate and decay, `keeps(settings)` the state it keeps per parameter.
/// make = nullptr adds the kind without its factory: then none of O's code is compiled here.
template <class T, class O, class Make>
void add_optimizer_kind(OptimizerRegistry<T>& registry, const std::string& name, std::vector<std::string> keys,
                        Make make, std::function<Settings(const O&)> settings = {}, bool builtin = false,
                        std::function<std::pair<bool, bool>(const Settings&)> keeps = {},
                        std::string keeps_note = {}) {
  OptimizerKindInfo<T> info{name,
                            std::type_index(typeid(O)),
                            {},
                            builtin,
                            std::move(keys),
                            {},
                            std::move(keeps),
                            std::move(keeps_note)};
  if constexpr (!std::is_null_pointer_v<Make>)
    info.make = [make](const Settings& s) -> std::unique_ptr<ModelOptimizer<T>> {
      return std::make_unique<OptimizerOf<T, O>>(make(s));
    };
  if (settings)
    info.settings = [settings](const ModelOptimizer<T>& o) {
      const auto* of = dynamic_cast<const OptimizerOf<T, O>*>(&o);
      return of != nullptr ? settings(of->optimizer) : Settings{};
    };
  registry.add("register_optimizer", "optimizer", std::move(info));
}

}  // namespace detail

/// Registers an optimizer class of your own, for Model<T>, under `name`, the name model files
/// use for it. `keys` name its settings after learning_rate and decay; `make(settings)` builds
/// one from all of them (nnfs::setting(s, "learning_rate"), ...); `settings(o)` gives the
/// values of `keys` for o. Its own state per parameter is not saved; iterations and
/// current_learning_rate are (save(path, true)). Registering the same class under the same
/// name again does nothing. Throws std::invalid_argument for a name that is not letters,
/// digits and '_', a name of the book's optimizers, or a name or class already registered.
template <class T, class O, class Make>
void register_optimizer(const std::string& name, std::vector<std::string> keys, Make make,
                        std::function<Settings(const O&)> settings = {}) {
  static_assert(detail::is_model_optimizer<O>::value,
                "register_optimizer: O must be an optimizer (pre_update_params, update, post_update_params, ...)");
  static_assert(!std::is_null_pointer_v<Make>, "register_optimizer: make must build an O from its settings");
  detail::add_optimizer_kind<T, O>(optimizer_registry<T>(), name, std::move(keys), make, std::move(settings));
}

NNFS_COMPILED_INSTANCE(class detail::ModelOptimizer<float>)
NNFS_COMPILED_INSTANCE(class detail::ModelOptimizer<double>)

}  // namespace nnfs
