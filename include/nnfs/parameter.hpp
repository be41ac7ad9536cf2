// nnfs/parameter.hpp — a trainable parameter as an optimizer sees it (book chapter 10).
//
// An optimizer does not need to know which layer it trains: it needs, for each parameter, the
// values θ, the gradient g = ∂L/∂θ that backward() computed (same shape as θ), and somewhere to
// keep its memory of earlier steps for that parameter (SGD's momentums, Adagrad's and RMSprop's
// cache, Adam's both). A layer with parameters exposes them as a list:
//
//     std::array<Parameter<T>, 2> parameters() {
//       return {parameter("weights", weights, dweights, weight_momentums, weight_cache),
//               parameter("biases", biases, dbiases, bias_momentums, bias_cache)};
//     }
//
// and every optimizer (SGD, Adagrad, RMSprop, Adam) can then train it: optimizer.update_params(layer)
// or optimizer.step(layer1, layer2, ...). The state lives with the layer, where the book keeps it
// (layer.weight_cache ...); a layer of your own can hold one OptimizerState<T> per parameter.
//
// The pointers are views: the layer owns the matrices, and must outlive the list.
#pragma once

#include "nnfs/types.hpp"

#include <string_view>

namespace nnfs {

/// The per-parameter memory an optimizer keeps, shaped like the parameter once the optimizer
/// has updated it (empty until then).
template <class T>
struct OptimizerState {
  Matrix<T> momentums;  ///< SGD with momentum: the last update; Adam: the gradients' moving average
  Matrix<T> cache;      ///< Adagrad: Σg²; RMSprop and Adam: the squared gradients' moving average
};

/// One trainable parameter: a name ("weights": error messages call its gradient "dweights"),
/// its values, its gradient and the optimizer's state slots. All four matrices belong to the layer.
template <class T>
struct Parameter {
  std::string_view name;
  Matrix<T>* value = nullptr;
  Matrix<T>* gradient = nullptr;
  Matrix<T>* momentums = nullptr;
  Matrix<T>* cache = nullptr;
};

/// A Parameter viewing a layer's matrices.
template <class T>
Parameter<T> parameter(std::string_view name, Matrix<T>& value, Matrix<T>& gradient, Matrix<T>& momentums,
                       Matrix<T>& cache) {
  return Parameter<T>{name, &value, &gradient, &momentums, &cache};
}

/// A Parameter whose optimizer state is kept in one OptimizerState.
template <class T>
Parameter<T> parameter(std::string_view name, Matrix<T>& value, Matrix<T>& gradient, OptimizerState<T>& state) {
  return parameter(name, value, gradient, state.momentums, state.cache);
}

}  // namespace nnfs
