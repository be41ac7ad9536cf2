// nnfs/layers/layer.hpp — what a layer is to a Model (book chapter 18).
//
// The layers of the walk (Dense, ReLU, Dropout, Softmax, Sigmoid, Linear) are plain classes with
// forward/backward templates, so each can be used on its own with any Eigen expression. A Model
// keeps a list of them of different types; Layer<T> is the small run-time interface it sees,
// and LayerOf<L> wraps one concrete layer in it. Nothing here computes anything: every call goes
// straight to the wrapped layer.
//
// A layer, the book's or your own (docs/extending.md), is any class with the same shape:
//     const Matrix<T>& forward(const Eigen::Ref<const Matrix<T>>& inputs);   // or a template
//     const Matrix<T>& backward(const Matrix<T>& dvalues);
//     Matrix<T> output, dinputs;
// and optionally parameters() (then every optimizer trains it, nnfs/parameter.hpp),
// regularization_loss(), backward_parameters(dvalues), output_width(Index), input_width(),
// settings() (the numbers a model file keeps) and describe() (its line in Model::summary());
// Dense and Dropout use these too. Every kind is an entry of one registry (layer_registry<T>()): its name in model
// files and summaries, its class, and the factory that builds it again from its settings.
// The book's kinds are registered in nnfs/model/kinds.hpp (one line each), a kind of your own
// by register_layer<L>("Name", make) — the same call. This header includes none of the layers.
//
// Shapes: inputs N×in → output N×out; backward takes ∂L/∂output (N×out) → dinputs (N×in).
// Inputs are passed as Eigen::Ref<const Matrix<T>>, so a block of consecutive rows of a
// row-major matrix (a mini-batch) reaches the layer without a copy.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace nnfs {

/// A layer's settings as summary() shows them and a model file keeps them on its layer line
/// (`layer LeakyReLU alpha=0.1`): names and numbers, in order.
using Settings = std::vector<std::pair<std::string, double>>;

/// The value of `key` in `settings`; throws std::invalid_argument naming the key when it is absent.
inline double setting(const Settings& settings, std::string_view key) {
  for (const auto& [name, value] : settings)
    if (name == key) return value;
  std::string known;
  for (const auto& kv : settings) known += (known.empty() ? "" : ", ") + kv.first;
  throw std::invalid_argument("setting '" + std::string(key) + "' is missing (given: " +
                              (known.empty() ? std::string("none") : known) + ")");
}

template <class L>
class LayerOf;

template <class T>
class Layer {
 public:
  using Input = Eigen::Ref<const Matrix<T>>;

  virtual ~Layer() = default;
  Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  /// training = false switches Dropout off (the identity); the other layers ignore it.
  virtual const Matrix<T>& forward(const Input& inputs, bool training) = 0;
  /// ∂L/∂output → ∂L/∂inputs. dvalues are always another layer's or the loss's buffer, a whole
  /// matrix, so the layers take their fast paths on them.
  virtual const Matrix<T>& backward(const Matrix<T>& dvalues) = 0;
  /// backward() for the first layer with parameters, whose dinputs nobody reads: a layer with
  /// backward_parameters (Dense) computes only its parameters' gradients, the others backward().
  virtual void backward_parameters(const Matrix<T>& dvalues) { backward(dvalues); }
  virtual const Matrix<T>& output() const = 0;
  virtual const Matrix<T>& dinputs() const = 0;
  /// The width of this layer's output for inputs `input_width` wide; throws
  /// std::invalid_argument when the layer cannot take that width (a Dense of another size).
  /// A negative width means "not known yet" and is passed on.
  virtual Index output_width(Index input_width) const = 0;
  /// The width of inputs the layer takes (Dense: its inputs), −1 when it takes any width.
  virtual Index input_width() const { return -1; }
  /// Appends this layer's trainable parameters (its parameters() list) to `out`; most layers
  /// have none. The Model collects them once, in finalize(), and hands them to the optimizer.
  virtual void parameters(std::vector<Parameter<T>>& out) { (void)out; }
  /// Whether the layer has trainable parameters.
  virtual bool has_parameters() const { return false; }
  /// Σ of its parameters' sizes (Dense: weights + biases).
  virtual Index parameter_count() { return 0; }
  /// The layer's regularization penalty (Dense::regularization_loss), 0 for layers without one.
  virtual double regularization_loss() { return 0.0; }
  /// One line for Model::summary(): the kind and its settings, e.g. "Dense(2, 512, weight L2 0.0005)".
  virtual std::string describe() const = 0;
  /// The kind's name in the registry: "Dense", ..., or the name a layer of your own was
  /// registered under (its C++ type name while it is not registered).
  virtual std::string name() const = 0;
  /// Its settings() (what a model file keeps); empty for a layer without.
  virtual Settings settings() const { return {}; }
  /// The wrapped class, to find the layer's kind in the registry.
  virtual std::type_index type() const = 0;
  /// A copy of this layer (parameters, settings and buffers), for Model::predictor(). Throws
  /// std::logic_error for a layer of your own whose class cannot be copied.
  virtual std::unique_ptr<Layer<T>> clone() const = 0;

  /// Whether the wrapped layer is an L.
  template <class L>
  bool is() const {
    return type() == std::type_index(typeid(L));
  }
  /// The wrapped layer when it is an L, else nullptr.
  template <class L>
  L* as() {
    auto* l = dynamic_cast<LayerOf<L>*>(this);
    return l != nullptr ? &l->layer : nullptr;
  }
  template <class L>
  const L* as() const {
    const auto* l = dynamic_cast<const LayerOf<L>*>(this);
    return l != nullptr ? &l->layer : nullptr;
  }
};

/// One parameter of a layer kind as a model file holds it: its name and shape, and the name
/// its optimizer state is saved under (`<state>_momentums`, `<state>_cache`).
struct ParameterShape {
  std::string name;
  Index rows = 0;
  Index cols = 0;
  std::string state;
};

/// What a model file's reader knows of a kind before making it, so that it checks a file's
/// header and arrays before anything is allocated, with messages in the kind's own terms.
/// A layer of your own has none: its keys are any key=value, its arrays are checked against
/// the layer once made, and its optimizer state is not saved.
struct LayerFileRules {
  /// The keys of its `layer` line, each checked as the header is read, in this order.
  std::vector<SettingRule> keys;
  /// How error messages name one with these settings: "Dense(2, 512)".
  std::function<std::string(const Settings&)> label;
  /// The (inputs, outputs) widths it fixes; nullopt: it passes its input width on.
  std::function<std::optional<std::pair<Index, Index>>(const Settings&)> widths;
  /// Its parameters, in its parameters() order.
  std::function<std::vector<ParameterShape>(const Settings&)> parameters;
};

/// A layer kind: its name in model files and summaries, its class, how to build one from the
/// settings a file holds, and (the book's kinds) what the file reader may check beforehand.
template <class T>
struct LayerKindInfo {
  std::string name;
  std::type_index type;
  std::function<std::unique_ptr<Layer<T>>(const Settings&)> make;
  bool builtin = false;
  std::optional<LayerFileRules> file;
};

template <class T>
using LayerRegistry = detail::KindRegistry<LayerKindInfo<T>>;

namespace detail {

/// Adds the book's layers to `registry` (nnfs/model/kinds.hpp, which nnfs/model/model.hpp
/// includes): the registry's first entries; with their factories only when `Factories`.
template <class T, bool Factories>
void register_builtin_layers(LayerRegistry<T>& registry);

}  // namespace detail

/// Every layer kind for Model<T>: the book's, then the ones registered with register_layer.
template <class T>
LayerRegistry<T>& layer_registry() {
  return detail::seeded_registry<LayerRegistry<T>>(detail::register_builtin_layers<T, false>);
}

/// The layer kind called `name`, or nullptr.
template <class T>
const LayerKindInfo<T>* find_layer_kind(std::string_view name) {
  return layer_registry<T>().find(name);
}

/// The layer kind of class `type`, or nullptr.
template <class T>
const LayerKindInfo<T>* find_layer_kind(std::type_index type) {
  return layer_registry<T>().find(type);
}

/// The names of the layer kinds registered with register_layer, in registration order (the
/// book's are not listed).
template <class T>
std::vector<std::string> registered_layer_names() {
  std::vector<std::string> names;
  for (const LayerKindInfo<T>& k : layer_registry<T>().kinds())
    if (!k.builtin) names.push_back(k.name);
  return names;
}

namespace detail {

// A layer: `output` and `dinputs` matrices of one scalar, forward(inputs) and backward(dvalues)
// on matrices of that scalar.
template <class L, class = void>
struct layer_traits {};
template <class L>
struct layer_traits<
    L, std::void_t<typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar,
                   decltype(std::declval<L&>().forward(std::declval<const Eigen::Ref<const Matrix<
                                                           typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar>>&>())),
                   decltype(std::declval<L&>().backward(
                       std::declval<const Matrix<typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar>&>())),
                   decltype(std::declval<L&>().dinputs)>> {
  using scalar = typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar;
};

#define NNFS_DETAIL_HAS(trait, expr)        \
  template <class L, class = void>           \
  struct trait : std::false_type {};         \
  template <class L>                         \
  struct trait<L, std::void_t<decltype(expr)>> : std::true_type {}

// The optional members of a layer (the header comment): whether L has each.
NNFS_DETAIL_HAS(has_parameters, std::declval<L&>().parameters());
NNFS_DETAIL_HAS(has_regularization_loss, std::declval<L&>().regularization_loss());
NNFS_DETAIL_HAS(has_output_width, std::declval<const L&>().output_width(Index{}));
NNFS_DETAIL_HAS(has_input_width, std::declval<const L&>().input_width());
NNFS_DETAIL_HAS(has_settings, std::declval<const L&>().settings());
NNFS_DETAIL_HAS(has_describe, std::declval<const L&>().describe());
NNFS_DETAIL_HAS(has_backward_parameters,
                std::declval<L&>().backward_parameters(std::declval<const Matrix<typename layer_traits<L>::scalar>&>()));
#undef NNFS_DETAIL_HAS

// forward(inputs, training): Dropout, and layers of your own that behave differently in training.
template <class L, class Input, class = void>
struct has_training_forward : std::false_type {};
template <class L, class Input>
struct has_training_forward<L, Input, std::void_t<decltype(std::declval<L&>().forward(std::declval<const Input&>(), true))>>
    : std::true_type {};

template <class L, class = void>
struct is_model_layer : std::false_type {};
template <class L>
struct is_model_layer<L, std::void_t<typename layer_traits<L>::scalar>> : std::true_type {};

}  // namespace detail

/// A concrete layer L (Dense<T>, ReLU<T>, …) as a Layer<T>. `layer` is public: the model's
/// layers stay the book's objects (model.layer_as<Dense<float>>(0).weights).
template <class L>
class LayerOf final : public Layer<typename detail::layer_traits<L>::scalar> {
 public:
  using T = typename detail::layer_traits<L>::scalar;
  using Input = typename Layer<T>::Input;

  explicit LayerOf(L l) : layer(std::move(l)) {}

  std::type_index type() const override { return typeid(L); }

  const Matrix<T>& forward(const Input& inputs, bool training) override {
    if constexpr (detail::has_training_forward<L, Input>::value)
      return layer.forward(inputs, training);
    else
      return layer.forward(inputs);
  }

  const Matrix<T>& backward(const Matrix<T>& dvalues) override { return layer.backward(dvalues); }
  void backward_parameters(const Matrix<T>& dvalues) override {
    if constexpr (detail::has_backward_parameters<L>::value)
      layer.backward_parameters(dvalues);
    else
      layer.backward(dvalues);
  }
  const Matrix<T>& output() const override { return layer.output; }
  const Matrix<T>& dinputs() const override { return layer.dinputs; }

  Index output_width(Index input_width) const override {
    if constexpr (detail::has_output_width<L>::value)
      return layer.output_width(input_width);
    else
      return input_width;
  }

  Index input_width() const override {
    if constexpr (detail::has_input_width<L>::value)
      return layer.input_width();
    else
      return -1;
  }

  void parameters(std::vector<Parameter<T>>& out) override {
    if constexpr (detail::has_parameters<L>::value)
      for (const Parameter<T>& p : layer.parameters()) out.push_back(p);
  }

  bool has_parameters() const override { return detail::has_parameters<L>::value; }

  Index parameter_count() override {
    Index count = 0;
    if constexpr (detail::has_parameters<L>::value)
      for (const Parameter<T>& p : layer.parameters()) count += p.value->size();
    return count;
  }

  double regularization_loss() override {
    if constexpr (detail::has_regularization_loss<L>::value)
      return layer.regularization_loss();
    else
      return 0.0;
  }

  /// L::describe(), or the name and the settings: "LeakyReLU(alpha 0.1)", "ReLU".
  std::string describe() const override {
    if constexpr (detail::has_describe<L>::value) {
      return layer.describe();
    } else {
      std::string s = name();
      const Settings values = settings();
      for (std::size_t i = 0; i < values.size(); ++i)
        s += fmt::format("{}{} {:g}", i == 0 ? "(" : ", ", values[i].first, values[i].second);
      return values.empty() ? s : s + ")";
    }
  }

  std::unique_ptr<Layer<T>> clone() const override {
    if constexpr (std::is_copy_constructible_v<L>)
      return std::make_unique<LayerOf<L>>(layer);
    else
      throw std::logic_error(fmt::format(
          "Model::predictor: layer {} cannot be copied (its class has no copy constructor); give each thread "
          "a Model of its own instead (Model::load)",
          name()));
  }

  std::string name() const override {
    const LayerKindInfo<T>* k = find_layer_kind<T>(std::type_index(typeid(L)));
    return k != nullptr ? k->name : std::string(typeid(L).name());
  }

  Settings settings() const override {
    if constexpr (detail::has_settings<L>::value)
      return layer.settings();
    else
      return {};
  }

  L layer;
};

namespace detail {

/// Adds layer class L to `registry` as kind `name` (register_layer for the registry of every
/// layer kind; nnfs/model/kinds.hpp for the book's, with `builtin` and their `file` rules).
/// make = nullptr adds the kind without its factory: then none of L's code is compiled here.
template <class L, class Make>
void add_layer_kind(LayerRegistry<typename layer_traits<L>::scalar>& registry, const std::string& name, Make make,
                    bool builtin = false, std::optional<LayerFileRules> file = std::nullopt) {
  using T = typename layer_traits<L>::scalar;
  LayerKindInfo<T> info{name, std::type_index(typeid(L)), {}, builtin, std::move(file)};
  if constexpr (!std::is_null_pointer_v<Make>)
    info.make = [make](const Settings& s) -> std::unique_ptr<Layer<T>> { return std::make_unique<LayerOf<L>>(make(s)); };
  registry.add("register_layer", "layer", std::move(info));
}

}  // namespace detail

/// Registers a layer class of your own under `name`, the name model files and summaries use
/// for it; `make(settings)` builds one from the settings a file holds (what L::settings()
/// returned when it was saved; nnfs::setting(settings, "alpha") reads one). Register once,
/// before saving or loading, for the scalar your Model uses:
///     nnfs::register_layer<LeakyReLU<float>>("LeakyReLU",
///         [](const nnfs::Settings& s) { return LeakyReLU<float>(nnfs::setting(s, "alpha")); });
/// Registering the same class under the same name again does nothing. Throws
/// std::invalid_argument for a name that is not letters, digits and '_', a name of the book's
/// layers, or a name or class already registered otherwise. The book's layers are entries
/// of the same registry, added the same way (nnfs/model/kinds.hpp).
template <class L, class Make>
void register_layer(const std::string& name, Make make) {
  static_assert(detail::is_model_layer<L>::value,
                "register_layer: L must be a layer of your own (output, dinputs, forward, backward)");
  static_assert(!std::is_null_pointer_v<Make>, "register_layer: make must build an L from its settings");
  detail::add_layer_kind<L>(layer_registry<typename detail::layer_traits<L>::scalar>(), name, make);
}

/// register_layer for a layer without settings: a loaded one is L().
template <class L>
void register_layer(const std::string& name) {
  register_layer<L>(name, [](const Settings&) { return L(); });
}

NNFS_COMPILED_INSTANCE(class Layer<float>)
NNFS_COMPILED_INSTANCE(class Layer<double>)

}  // namespace nnfs
