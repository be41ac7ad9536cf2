// nnfs/layer.hpp — what a layer is to a Model (book chapter 18).
//
// The layers of the walk (Dense, ReLU, Dropout, Softmax, Sigmoid, Linear) are plain classes with
// forward/backward templates, so each can be used on its own with any Eigen expression. A Model
// keeps a list of them of different types; Layer<T> is the small run-time interface it sees,
// and LayerOf<L> wraps one concrete layer in it. Nothing here computes anything: every call goes
// straight to the wrapped layer.
//
// Shapes: inputs N×in → output N×out; backward takes ∂L/∂output (N×out) → dinputs (N×in).
// Inputs are passed as Eigen::Ref<const Matrix<T>>, so a block of consecutive rows of a
// row-major matrix (a mini-batch) reaches the layer without a copy.
#pragma once

#include "nnfs/dense.hpp"
#include "nnfs/dropout.hpp"
#include "nnfs/linear.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/relu.hpp"
#include "nnfs/sigmoid.hpp"
#include "nnfs/softmax.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

/// The kinds of layer a Model can hold (and a model file can name).
enum class LayerKind { dense, relu, dropout, softmax, sigmoid, linear };

inline const char* to_string(LayerKind kind) {
  switch (kind) {
    case LayerKind::dense: return "Dense";
    case LayerKind::relu: return "ReLU";
    case LayerKind::dropout: return "Dropout";
    case LayerKind::softmax: return "Softmax";
    case LayerKind::sigmoid: return "Sigmoid";
    case LayerKind::linear: return "Linear";
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
};

namespace detail {

template <class L>
struct layer_traits;  // defined for every layer a Model accepts

template <class T>
struct layer_traits<Dense<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::dense;
};
template <class T>
struct layer_traits<ReLU<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::relu;
};
template <class T>
struct layer_traits<Dropout<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::dropout;
};
template <class T>
struct layer_traits<Softmax<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::softmax;
};
template <class T>
struct layer_traits<Sigmoid<T>> {
  using scalar = T;
  static constexpr LayerKind kind = LayerKind::sigmoid;
};
template <class T>
struct layer_traits<Linear<T>> {
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
/// layers stay the book's objects (model.layer<Dense<float>>(0).weights).
template <class L>
class LayerOf final : public Layer<typename detail::layer_traits<L>::scalar> {
 public:
  using T = typename detail::layer_traits<L>::scalar;
  using Input = typename Layer<T>::Input;

  explicit LayerOf(L l) : layer(std::move(l)) {}

  LayerKind kind() const override { return detail::layer_traits<L>::kind; }

  const Matrix<T>& forward(const Input& inputs, bool training) override {
    if constexpr (std::is_same_v<L, Dropout<T>>)
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
    if constexpr (std::is_same_v<L, Dense<T>>) {
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
    else
      return to_string(kind());
  }

  L layer;
};

}  // namespace nnfs
