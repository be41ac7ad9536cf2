// nnfs/layers/layer.hpp — what a layer is to a Model (book chapter 18).
//
// The layers of the walk (Dense, ReLU, Dropout, Softmax, Sigmoid, Linear) are plain classes with
// forward/backward templates, so each can be used on its own with any Eigen expression. A Model
// keeps a list of them of different types; Layer<T> is the small run-time interface it sees,
// and LayerOf<L> wraps one concrete layer in it. Nothing here computes anything: every call goes
// straight to the wrapped layer.
//
// A layer of your own is any class with the same shape (docs/extending.md):
//     const Matrix<T>& forward(const Eigen::Ref<const Matrix<T>>& inputs);   // or a template
//     const Matrix<T>& backward(const Matrix<T>& dvalues);
//     Matrix<T> output, dinputs;
// and optionally parameters() (then every optimizer trains it, nnfs/parameter.hpp),
// regularization_loss(), output_width(Index), settings() (the numbers a model file keeps) and
// describe() (its line in Model::summary()). register_layer<L>("Name", make) gives it the name
// model files use, and the factory that builds it again from its settings when a file is loaded.
//
// Shapes: inputs N×in → output N×out; backward takes ∂L/∂output (N×out) → dinputs (N×in).
// Inputs are passed as Eigen::Ref<const Matrix<T>>, so a block of consecutive rows of a
// row-major matrix (a mini-batch) reaches the layer without a copy.
#pragma once

#include "nnfs/layers/dense.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/layers/dropout.hpp"
#include "nnfs/layers/identity.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/layers/relu.hpp"
#include "nnfs/layers/sigmoid.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

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

/// The kinds of layer a Model can hold (and a model file can name): the book's six, and
/// `custom` for a layer of your own (its name is the one it was registered under).
enum class LayerKind { dense, relu, dropout, softmax, sigmoid, linear, custom };

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

inline const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::dense: return "Dense";
    case LayerKind::relu: return "ReLU";
    case LayerKind::dropout: return "Dropout";
    case LayerKind::softmax: return "Softmax";
    case LayerKind::sigmoid: return "Sigmoid";
    case LayerKind::linear: return "Linear";
    case LayerKind::custom: return "custom";
  }
  return "?";
}

template <class T>
class Layer {
 public:
  using Input = Eigen::Ref<const Matrix<T>>;

  virtual ~Layer() = default;
  Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  virtual LayerKind kind() const = 0;
  /// training = false switches Dropout off (the identity); the other layers ignore it.
  virtual const Matrix<T>& forward(const Input& inputs, bool training) = 0;
  /// ∂L/∂output → ∂L/∂inputs. dvalues are always another layer's or the loss's buffer, a whole
  /// matrix, so the layers take their fast paths on them.
  virtual const Matrix<T>& backward(const Matrix<T>& dvalues) = 0;
  /// backward() for the first layer with parameters, whose dinputs nobody reads: a Dense
  /// computes only dweights and dbiases (Dense::backward_parameters), the others backward().
  virtual void backward_parameters(const Matrix<T>& dvalues) { backward(dvalues); }
  virtual const Matrix<T>& output() const = 0;
  virtual const Matrix<T>& dinputs() const = 0;
  /// The width of this layer's output for inputs `input_width` wide; throws
  /// std::invalid_argument when the layer cannot take that width (a Dense of another size).
  /// A negative width means "not known yet" and is passed on.
  virtual Index output_width(Index input_width) const = 0;
  /// Appends this layer's trainable parameters (its parameters() list) to `out`; most layers
  /// have none. The Model collects them once, in finalize(), and hands them to the optimizer.
  virtual void parameters(std::vector<Parameter<T>>& out) { (void)out; }
  /// Whether the layer has trainable parameters.
  virtual bool has_parameters() const { return false; }
  /// Σ of its parameters' sizes (Dense: weights + biases).
  virtual Index parameter_count() { return 0; }
  /// The layer's regularization penalty (Dense::regularization_loss), 0 for layers without one.
  virtual double regularization_loss() { return 0.0; }
  /// The wrapped Dense when this layer is one, else nullptr (get_parameters, model files).
  virtual Dense<T>* dense() { return nullptr; }
  /// Dropout's rate; 0 for the other kinds.
  virtual double dropout_rate() const { return 0.0; }
  /// One line for Model::summary(): the type and its settings, e.g. "Dense(2, 512, L2 5e-04)".
  virtual std::string describe() const { return to_string(kind()); }
  /// The kind's name: "Dense", ..., or the name a layer of your own was registered under
  /// (its C++ type name while it is not registered).
  virtual std::string name() const { return to_string(kind()); }
  /// A layer of your own: its settings() (what a model file keeps); empty for the others.
  virtual Settings settings() const { return {}; }
  /// The wrapped class, to find a layer of your own in the registry.
  virtual std::type_index type() const = 0;
  /// A copy of this layer (parameters, settings and buffers), for Model::predictor(). Throws
  /// std::logic_error for a layer of your own whose class cannot be copied.
  virtual std::unique_ptr<Layer<T>> clone() const = 0;
};

/// A registered layer kind of your own: its name in model files, its class, and how to build
/// one from the settings a file holds.
template <class T>
struct LayerKindInfo {
  std::string name;
  std::type_index type;
  std::function<std::unique_ptr<Layer<T>>(const Settings&)> make;
};

namespace detail {

/// The registered layer kinds of your own, per scalar type (register_layer). The book's kinds
/// are built in: their names are taken.
template <class T>
std::vector<LayerKindInfo<T>>& layer_registry() {
  static std::vector<LayerKindInfo<T>> registry;
  return registry;
}

inline bool is_builtin_layer_name(std::string_view name) {
  for (const LayerKind k : {LayerKind::dense, LayerKind::relu, LayerKind::dropout, LayerKind::softmax,
                            LayerKind::sigmoid, LayerKind::linear})
    if (name == to_string(k)) return true;
  return false;
}


}  // namespace detail

/// The registered layer kind called `name`, or nullptr.
template <class T>
const LayerKindInfo<T>* find_layer_kind(std::string_view name) {
  for (const LayerKindInfo<T>& k : detail::layer_registry<T>())
    if (k.name == name) return &k;
  return nullptr;
}

/// The registered layer kind of class `type`, or nullptr.
template <class T>
const LayerKindInfo<T>* find_layer_kind(std::type_index type) {
  for (const LayerKindInfo<T>& k : detail::layer_registry<T>())
    if (k.type == type) return &k;
  return nullptr;
}

/// The names of the registered layer kinds of your own, in registration order.
template <class T>
std::vector<std::string> registered_layer_names() {
  std::vector<std::string> names;
  for (const LayerKindInfo<T>& k : detail::layer_registry<T>()) names.push_back(k.name);
  return names;
}

namespace detail {

template <class L>
struct builtin_layer_traits {};  // specialized for the book's layers

template <class T>
struct builtin_layer_traits<Dense<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::dense;
};
template <class T>
struct builtin_layer_traits<ReLU<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::relu;
};
template <class T>
struct builtin_layer_traits<Dropout<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::dropout;
};
template <class T>
struct builtin_layer_traits<Softmax<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::softmax;
};
template <class T>
struct builtin_layer_traits<Sigmoid<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::sigmoid;
};
template <class T>
struct builtin_layer_traits<Linear<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::linear;
};

/// Whether L lists trainable parameters (L::parameters(), as Dense).
template <class L, class = void>
struct has_parameters : std::false_type {};
template <class L>
struct has_parameters<L, std::void_t<decltype(std::declval<L&>().parameters())>> : std::true_type {};

/// Whether L has a regularization penalty (L::regularization_loss(), as Dense).
template <class L, class = void>
struct has_regularization_loss : std::false_type {};
template <class L>
struct has_regularization_loss<L, std::void_t<decltype(std::declval<L&>().regularization_loss())>> : std::true_type {};

template <class L, class = void>
struct is_builtin_layer : std::false_type {};
template <class L>
struct is_builtin_layer<L, std::void_t<decltype(builtin_layer_traits<L>::kind)>> : std::true_type {};

// A layer of your own: `output` and `dinputs` matrices of one scalar, forward(inputs) and
// backward(dvalues) on matrices of that scalar.
template <class L, class = void>
struct user_layer_traits {};
template <class L>
struct user_layer_traits<
    L, std::void_t<typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar,
                   decltype(std::declval<L&>().forward(std::declval<const Eigen::Ref<const Matrix<
                                                           typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar>>&>())),
                   decltype(std::declval<L&>().backward(
                       std::declval<const Matrix<typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar>&>())),
                   decltype(std::declval<L&>().dinputs)>> {
  using scalar = typename std::decay_t<decltype(std::declval<L&>().output)>::Scalar;
  static constexpr LayerKind kind = LayerKind::custom;
};

/// What a Model knows of a layer class: its scalar and its kind.
template <class L, bool = is_builtin_layer<L>::value>
struct layer_traits : builtin_layer_traits<L> {};
template <class L>
struct layer_traits<L, false> : user_layer_traits<L> {};

#define NNFS_DETAIL_HAS(trait, expr)        \
  template <class L, class = void>           \
  struct trait : std::false_type {};         \
  template <class L>                         \
  struct trait<L, std::void_t<decltype(expr)>> : std::true_type {}

NNFS_DETAIL_HAS(has_output_width, std::declval<const L&>().output_width(Index{}));
NNFS_DETAIL_HAS(has_settings, std::declval<const L&>().settings());
NNFS_DETAIL_HAS(has_describe, std::declval<const L&>().describe());
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
struct is_model_layer<L, std::void_t<decltype(layer_traits<L>::kind)>> : std::true_type {};

inline std::string regularization_str(const Regularization& r) {
  std::string s;
  const auto add = [&](const char* name, double v) {
    if (v > 0) s += fmt::format(", {} {:g}", name, v);
  };
  add("weight L1", r.weight_l1);
  add("weight L2", r.weight_l2);
  add("bias L1", r.bias_l1);
  add("bias L2", r.bias_l2);
  return s;
}

}  // namespace detail

/// A concrete layer L (Dense<T>, ReLU<T>, …) as a Layer<T>. `layer` is public: the model's
/// layers stay the book's objects (model.layer_as<Dense<float>>(0).weights).
template <class L>
class LayerOf final : public Layer<typename detail::layer_traits<L>::scalar> {
 public:
  using T = typename detail::layer_traits<L>::scalar;
  using Input = typename Layer<T>::Input;

  explicit LayerOf(L l) : layer(std::move(l)) {}

  LayerKind kind() const override { return detail::layer_traits<L>::kind; }
  std::type_index type() const override { return typeid(L); }

  const Matrix<T>& forward(const Input& inputs, bool training) override {
    if constexpr (detail::has_training_forward<L, Input>::value)
      return layer.forward(inputs, training);
    else
      return layer.forward(inputs);
  }

  const Matrix<T>& backward(const Matrix<T>& dvalues) override { return layer.backward(dvalues); }
  void backward_parameters(const Matrix<T>& dvalues) override {
    if constexpr (std::is_same_v<L, Dense<T>>)
      layer.backward_parameters(dvalues);
    else
      layer.backward(dvalues);
  }
  const Matrix<T>& output() const override { return layer.output; }
  const Matrix<T>& dinputs() const override { return layer.dinputs; }

  Index output_width(Index input_width) const override {
    if constexpr (detail::has_output_width<L>::value) {
      return layer.output_width(input_width);
    } else if constexpr (std::is_same_v<L, Dense<T>>) {
      if (input_width >= 0 && input_width != layer.n_inputs())
        throw std::invalid_argument(fmt::format(
            "Dense layer with weights {} takes {} inputs, but the layer before it gives {}",
            shape_str(layer.weights), layer.n_inputs(), input_width));
      return layer.n_neurons();
    } else {
      return input_width;
    }
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

  Dense<T>* dense() override {
    if constexpr (std::is_same_v<L, Dense<T>>)
      return &layer;
    else
      return nullptr;
  }

  double dropout_rate() const override {
    if constexpr (std::is_same_v<L, Dropout<T>>)
      return layer.rate();
    else
      return 0.0;
  }

  std::string describe() const override {
    if constexpr (std::is_same_v<L, Dense<T>>)
      return fmt::format("Dense({}, {}{})", layer.n_inputs(), layer.n_neurons(),
                         detail::regularization_str(layer.regularization));
    else if constexpr (std::is_same_v<L, Dropout<T>>)
      return fmt::format("Dropout({:g})", layer.rate());
    else if constexpr (detail::has_describe<L>::value)
      return layer.describe();
    else if constexpr (detail::layer_traits<L>::kind == LayerKind::custom) {
      std::string s = name();
      const Settings values = settings();
      for (std::size_t i = 0; i < values.size(); ++i)
        s += fmt::format("{}{} {:g}", i == 0 ? "(" : ", ", values[i].first, values[i].second);
      return values.empty() ? s : s + ")";
    } else
      return to_string(kind());
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
    if constexpr (detail::layer_traits<L>::kind == LayerKind::custom) {
      const LayerKindInfo<T>* k = find_layer_kind<T>(std::type_index(typeid(L)));
      return k != nullptr ? k->name : std::string(typeid(L).name());
    } else {
      return to_string(kind());
    }
  }

  Settings settings() const override {
    if constexpr (detail::has_settings<L>::value)
      return layer.settings();
    else
      return {};
  }

  L layer;
};

/// Registers a layer class of your own under `name`, the name model files use for it;
/// `make(settings)` builds one from the settings a file holds (what L::settings() returned when
/// it was saved; nnfs::setting(settings, "alpha") reads one). Register once, before saving or
/// loading, for the scalar your Model uses:
///     nnfs::register_layer<LeakyReLU<float>>("LeakyReLU",
///         [](const nnfs::Settings& s) { return LeakyReLU<float>(nnfs::setting(s, "alpha")); });
/// Registering the same class under the same name again does nothing. Throws
/// std::invalid_argument for a name that is not letters, digits and '_', a name of the book's
/// layers, or a name or class already registered otherwise.
template <class L, class Make>
void register_layer(const std::string& name, Make make) {
  static_assert(detail::is_model_layer<L>::value && !detail::is_builtin_layer<L>::value,
                "register_layer: L must be a layer of your own (output, dinputs, forward, backward)");
  using T = typename detail::layer_traits<L>::scalar;
  if (!detail::is_kind_name(name))
    throw std::invalid_argument("register_layer: '" + name +
                                "' is not a kind name (letters, digits and '_', not starting with a digit)");
  if (detail::is_builtin_layer_name(name))
    throw std::invalid_argument("register_layer: '" + name + "' is the name of a built-in layer");
  const LayerKindInfo<T>* by_name = find_layer_kind<T>(name);
  const LayerKindInfo<T>* by_type = find_layer_kind<T>(std::type_index(typeid(L)));
  if (by_name != nullptr && by_name == by_type) return;
  if (by_name != nullptr) throw std::invalid_argument("register_layer: '" + name + "' is registered for another class");
  if (by_type != nullptr)
    throw std::invalid_argument("register_layer: this class is already registered as '" + by_type->name + "'");
  detail::layer_registry<T>().push_back(LayerKindInfo<T>{
      name, std::type_index(typeid(L)),
      [make](const Settings& s) -> std::unique_ptr<Layer<T>> { return std::make_unique<LayerOf<L>>(make(s)); }});
}

/// register_layer for a layer without settings: a loaded one is L().
template <class L>
void register_layer(const std::string& name) {
  register_layer<L>(name, [](const Settings&) { return L(); });
}

}  // namespace nnfs
