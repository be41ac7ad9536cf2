// nnfs/model/kinds.hpp — the book's kinds, one registration line each: the first entries of the
// registries of layers, losses, accuracies and optimizers (nnfs/layers/layer.hpp,
// nnfs/model/parts.hpp). Each line is the call a kind of your own makes through
// register_layer, register_loss, register_accuracy or register_optimizer; the built-ins add
// what the model file reader checks before it makes anything (SettingRule, LayerFileRules).
// Adding a built-in kind: its header, and one line here.
//
// A kind's factory (what a model file's reader makes it with) compiles all of its code: a
// layer's forward and backward, an optimizer's update. So the registries start with the book's
// kinds without factories (Factories = false), and a program compiles only the kinds it uses;
// nnfs/io/model_file.hpp, which can meet any kind in a file, adds the factories first
// (add_builtin_factories).
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/layers/dense.hpp"
#include "nnfs/layers/dropout.hpp"
#include "nnfs/layers/identity.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/layers/regularization.hpp"
#include "nnfs/layers/relu.hpp"
#include "nnfs/layers/sigmoid.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/losses/binary_crossentropy.hpp"
#include "nnfs/losses/categorical_crossentropy.hpp"
#include "nnfs/losses/mean_absolute_error.hpp"
#include "nnfs/losses/mean_squared_error.hpp"
#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/optimizers/adagrad.hpp"
#include "nnfs/optimizers/adam.hpp"
#include "nnfs/optimizers/rmsprop.hpp"
#include "nnfs/optimizers/sgd.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

/// Rules for a kind without settings or parameters that keeps the width it is given.
inline LayerFileRules plain_layer_rules(const std::string& name) {
  return LayerFileRules{{},
                        [name](const Settings&) { return name; },
                        [](const Settings&) { return std::optional<std::pair<Index, Index>>(); },
                        [](const Settings&) { return std::vector<ParameterShape>(); }};
}

inline LayerFileRules dense_rules() {
  const auto size = [](const Settings& s, const char* key) { return static_cast<Index>(setting(s, key)); };
  return LayerFileRules{
      {{"inputs", SettingCheck::positive_integer},
       {"neurons", SettingCheck::positive_integer},
       {"weight_l1", SettingCheck::non_negative},
       {"weight_l2", SettingCheck::non_negative},
       {"bias_l1", SettingCheck::non_negative},
       {"bias_l2", SettingCheck::non_negative}},
      [size](const Settings& s) { return fmt::format("Dense({}, {})", size(s, "inputs"), size(s, "neurons")); },
      [size](const Settings& s) {
        return std::optional<std::pair<Index, Index>>(std::pair(size(s, "inputs"), size(s, "neurons")));
      },
      [size](const Settings& s) {
        return std::vector<ParameterShape>{{"weights", size(s, "inputs"), size(s, "neurons"), "weight"},
                                           {"biases", 1, size(s, "neurons"), "bias"}};
      }};
}

/// `make` when Factories, else nullptr (the kind is added without its factory).
template <bool Factories, class Make>
auto factory(Make make) {
  if constexpr (Factories)
    return make;
  else
    return nullptr;
}

inline Regularization regularization_of(const Settings& s) {
  return Regularization{setting(s, "weight_l1"), setting(s, "weight_l2"), setting(s, "bias_l1"), setting(s, "bias_l2")};
}

template <class T, bool Factories>
void register_builtin_layers(LayerRegistry<T>& r) {
  // A loaded Dense starts from zeros, its parameters then come from the file (no random draws).
  add_layer_kind<Dense<T>>(r, "Dense", factory<Factories>([](const Settings& s) {
    const auto in = static_cast<Index>(setting(s, "inputs"));
    const auto out = static_cast<Index>(setting(s, "neurons"));
    return Dense<T>(Matrix<T>::Zero(in, out), Matrix<T>::Zero(1, out), regularization_of(s));
  }), true, dense_rules());
  add_layer_kind<ReLU<T>>(r, "ReLU", factory<Factories>([](const Settings&) { return ReLU<T>(); }), true,
                          plain_layer_rules("ReLU"));
  // Dropout keeps its width and has no parameters, like the plain kinds, but its line holds a rate.
  LayerFileRules dropout_rules = plain_layer_rules("Dropout");
  dropout_rules.keys = {{"rate", SettingCheck::fraction}};
  add_layer_kind<Dropout<T>>(r, "Dropout",
                             factory<Factories>([](const Settings& s) { return Dropout<T>(setting(s, "rate")); }),
                             true, std::move(dropout_rules));
  add_layer_kind<Softmax<T>>(r, "Softmax", factory<Factories>([](const Settings&) { return Softmax<T>(); }), true,
                             plain_layer_rules("Softmax"));
  add_layer_kind<Sigmoid<T>>(r, "Sigmoid", factory<Factories>([](const Settings&) { return Sigmoid<T>(); }), true,
                             plain_layer_rules("Sigmoid"));
  add_layer_kind<Linear<T>>(r, "Linear", factory<Factories>([](const Settings&) { return Linear<T>(); }), true,
                            plain_layer_rules("Linear"));
}

template <class T, bool Factories>
void register_builtin_losses(LossRegistry<T>& r) {
  add_loss_kind<CategoricalCrossentropy<T>, Factories>(r, "CategoricalCrossentropy", true);
  add_loss_kind<BinaryCrossentropy<T>, Factories>(r, "BinaryCrossentropy", true);
  add_loss_kind<MeanSquaredError<T>, Factories>(r, "MeanSquaredError", true);
  add_loss_kind<MeanAbsoluteError<T>, Factories>(r, "MeanAbsoluteError", true);
}

template <class T, bool Factories>
void register_builtin_accuracies(AccuracyRegistry<T>& r) {
  add_accuracy_kind<T, CategoricalAccuracy>(
      r, "categorical", factory<Factories>([](const Settings&) { return CategoricalAccuracy(false); }), true,
      "CategoricalAccuracy", [](const CategoricalAccuracy& a) { return !a.binary(); });
  add_accuracy_kind<T, CategoricalAccuracy>(
      r, "binary", factory<Factories>([](const Settings&) { return CategoricalAccuracy(true); }), true,
      "CategoricalAccuracy(binary)", [](const CategoricalAccuracy& a) { return a.binary(); });
  // The precision learnt from the training targets is kept, once there is one.
  add_accuracy_kind<T, RegressionAccuracy>(
      r, "regression",
      factory<Factories>([](const Settings& s) {
        RegressionAccuracy a;
        if (!s.empty()) a.set_precision(setting(s, "precision"));
        return a;
      }),
      true, "RegressionAccuracy", {},
      [](const RegressionAccuracy& a) {
        return a.initialised() ? Settings{{"precision", a.precision()}} : Settings{};
      },
      {{"precision", SettingCheck::non_negative}});
}

template <class T, bool Factories>
void register_builtin_optimizers(OptimizerRegistry<T>& r) {
  const auto get = [](const Settings& s, const char* key) { return setting(s, key); };
  const auto lr_decay = [get](const Settings& s) { return std::pair(get(s, "learning_rate"), get(s, "decay")); };
  add_optimizer_kind<T, SGD>(
      r, "SGD", {"momentum"},
      factory<Factories>(
          [=](const Settings& s) { return SGD(lr_decay(s).first, lr_decay(s).second, get(s, "momentum")); }),
      [](const SGD& o) { return Settings{{"momentum", o.momentum()}}; }, true,
      [get](const Settings& s) { return std::pair(get(s, "momentum") != 0.0, false); },
      " (SGD keeps momentums only with momentum > 0)");
  add_optimizer_kind<T, Adagrad>(
      r, "Adagrad", {"epsilon"},
      factory<Factories>(
          [=](const Settings& s) { return Adagrad(lr_decay(s).first, lr_decay(s).second, get(s, "epsilon")); }),
      [](const Adagrad& o) { return Settings{{"epsilon", o.epsilon()}}; }, true,
      [](const Settings&) { return std::pair(false, true); });
  add_optimizer_kind<T, RMSprop>(
      r, "RMSprop", {"epsilon", "rho"},
      factory<Factories>([=](const Settings& s) {
        return RMSprop(lr_decay(s).first, lr_decay(s).second, get(s, "epsilon"), get(s, "rho"));
      }),
      [](const RMSprop& o) { return Settings{{"epsilon", o.epsilon()}, {"rho", o.rho()}}; }, true,
      [](const Settings&) { return std::pair(false, true); });
  add_optimizer_kind<T, Adam>(
      r, "Adam", {"epsilon", "beta_1", "beta_2"},
      factory<Factories>([=](const Settings& s) {
        return Adam(lr_decay(s).first, lr_decay(s).second, get(s, "epsilon"), get(s, "beta_1"), get(s, "beta_2"));
      }),
      [](const Adam& o) { return Settings{{"epsilon", o.epsilon()}, {"beta_1", o.beta_1()}, {"beta_2", o.beta_2()}}; },
      true, [](const Settings&) { return std::pair(true, true); });
}

/// Gives the book's kinds of Model<T> their factories, once: what a model file's reader makes
/// them with (nnfs/io/model_file.hpp calls it before reading).
template <class T>
void add_builtin_factories() {
  static const bool added = [] {
    register_builtin_layers<T, true>(layer_registry<T>());
    register_builtin_losses<T, true>(loss_registry<T>());
    register_builtin_accuracies<T, true>(accuracy_registry<T>());
    register_builtin_optimizers<T, true>(optimizer_registry<T>());
    return true;
  }();
  (void)added;
}

}  // namespace detail

// The book's kinds as the model holds them, built once in the compiled mode.
NNFS_COMPILED_INSTANCE(class LayerOf<Dense<float>>)
NNFS_COMPILED_INSTANCE(class LayerOf<ReLU<float>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Dropout<float>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Softmax<float>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Sigmoid<float>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Identity<float>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<CategoricalCrossentropy<float>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<BinaryCrossentropy<float>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<MeanSquaredError<float>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<MeanAbsoluteError<float>>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<float, SGD>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<float, Adagrad>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<float, RMSprop>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<float, Adam>)
NNFS_COMPILED_INSTANCE(class detail::AccuracyOf<float, CategoricalAccuracy>)
NNFS_COMPILED_INSTANCE(class detail::AccuracyOf<float, RegressionAccuracy>)
NNFS_COMPILED_INSTANCE(void detail::register_builtin_layers<float, false>(LayerRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_layers<float, true>(LayerRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_losses<float, false>(LossRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_losses<float, true>(LossRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_accuracies<float, false>(AccuracyRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_accuracies<float, true>(AccuracyRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_optimizers<float, false>(OptimizerRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_optimizers<float, true>(OptimizerRegistry<float>&))
NNFS_COMPILED_INSTANCE(void detail::add_builtin_factories<float>())
NNFS_COMPILED_INSTANCE(class LayerOf<Dense<double>>)
NNFS_COMPILED_INSTANCE(class LayerOf<ReLU<double>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Dropout<double>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Softmax<double>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Sigmoid<double>>)
NNFS_COMPILED_INSTANCE(class LayerOf<Identity<double>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<CategoricalCrossentropy<double>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<BinaryCrossentropy<double>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<MeanSquaredError<double>>)
NNFS_COMPILED_INSTANCE(class detail::LossOf<MeanAbsoluteError<double>>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<double, SGD>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<double, Adagrad>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<double, RMSprop>)
NNFS_COMPILED_INSTANCE(class detail::OptimizerOf<double, Adam>)
NNFS_COMPILED_INSTANCE(class detail::AccuracyOf<double, CategoricalAccuracy>)
NNFS_COMPILED_INSTANCE(class detail::AccuracyOf<double, RegressionAccuracy>)
NNFS_COMPILED_INSTANCE(void detail::register_builtin_layers<double, false>(LayerRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_layers<double, true>(LayerRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_losses<double, false>(LossRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_losses<double, true>(LossRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_accuracies<double, false>(AccuracyRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_accuracies<double, true>(AccuracyRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_optimizers<double, false>(OptimizerRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::register_builtin_optimizers<double, true>(OptimizerRegistry<double>&))
NNFS_COMPILED_INSTANCE(void detail::add_builtin_factories<double>())

}  // namespace nnfs
