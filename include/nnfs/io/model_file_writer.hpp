// nnfs/io/model_file_writer.hpp — what a model file made from a Model holds
// (model_file_contents; the format is nnfs/io/model_file_format.hpp). Every layer, loss,
// accuracy and optimizer is written under its registry name with the settings its kind gives
// (nnfs/model/kinds.hpp); nothing here knows one kind from another.
#pragma once

#include "nnfs/detail/kind_name.hpp"
#include "nnfs/io/model_file_format.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/model.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

/// Whether `value` passes `check` (the reader's rule for a key).
inline bool setting_passes(SettingCheck check, double value) {
  switch (check) {
    case SettingCheck::number: return std::isfinite(value);
    case SettingCheck::positive_integer: return std::isfinite(value) && value >= 1 && value == std::floor(value);
    case SettingCheck::non_negative: return std::isfinite(value) && value >= 0.0;
    case SettingCheck::fraction: return std::isfinite(value) && value >= 0.0 && value < 1.0;
  }
  return false;
}

inline const char* setting_rule_text(SettingCheck check) {
  switch (check) {
    case SettingCheck::number: return "a finite number";
    case SettingCheck::positive_integer: return "a positive integer";
    case SettingCheck::non_negative: return "a finite number >= 0";
    case SettingCheck::fraction: return "a number in [0, 1)";
  }
  return "?";
}

/// " key=value ..." for `settings`, each a kind name with a finite value (and, with `rules`,
/// passing its rule); throws std::invalid_argument "Model::save: <what> has setting ...".
inline std::string model_file_settings(const std::string& what, const Settings& settings,
                                       const std::vector<SettingRule>* rules = nullptr) {
  std::string line;
  for (const auto& [key, value] : settings) {
    if (!is_kind_name(key) || !std::isfinite(value))
      throw std::invalid_argument(fmt::format("Model::save: {} has setting '{}' = {}: settings are finite numbers "
                                              "under names of letters, digits and '_'",
                                              what, key, value));
    if (rules != nullptr)
      for (const SettingRule& r : *rules)
        if (r.key == key && !setting_passes(r.check, value))
          throw std::invalid_argument(fmt::format("Model::save: {} has setting '{}' = {}, which must be {}: the file "
                                                  "could not be loaded",
                                                  what, key, value, setting_rule_text(r.check)));
    line += fmt::format(" {}={}", key, value);
  }
  return line;
}

/// One array of a model file from a parameter's matrix; throws std::invalid_argument when it
/// could not be loaded back (empty, NaN or infinite values).
template <class T>
ModelFileArray model_file_array(std::size_t layer, const std::string& field, const Matrix<T>& m) {
  if (m.size() == 0 || !m.allFinite())
    throw std::invalid_argument(fmt::format(
        "Model::save: layer {} {} is empty or holds NaN or infinite values: the file could not be loaded", layer,
        field));
  ModelFileArray a;
  a.name = fmt::format("layer{}.{}", layer, field);
  a.rows = m.rows();
  a.cols = m.cols();
  a.values.assign(m.data(), m.data() + m.size());
  return a;
}

/// What a file made from `model` holds. Throws std::logic_error for a model without layers and
/// std::invalid_argument for one that could not be loaded back (no Dense layer, widths that do
/// not chain, non-finite parameters, a kind that is not registered, settings a file cannot hold).
template <class T>
ModelFileContents model_file_contents(const Model<T>& model, bool include_optimizer_state) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "model files hold float32 or float64");
  if (model.size() == 0) throw std::logic_error("Model::save: the model has no layers");
  ModelFileContents c;
  c.float64 = std::is_same_v<T, double>;
  const ModelOptimizer<T>* optimizer = model.optimizer();
  const bool state = include_optimizer_state && optimizer != nullptr;
  std::pair<bool, bool> keeps{false, false};  // (momentums, cache) the optimizer keeps
  if (optimizer != nullptr) {
    const OptimizerKindInfo<T>* kind = find_optimizer_kind<T>(optimizer->type());
    if (kind == nullptr)
      throw std::invalid_argument(fmt::format("Model::save: the optimizer {} is an optimizer of your own that is not "
                                              "registered: call nnfs::register_optimizer<...>(\"Name\", ...) before "
                                              "saving",
                                              optimizer->name()));
    if (kind->keeps) keeps = kind->keeps(optimizer->settings());
  }

  Index width = -1;
  for (std::size_t i = 0; i < model.size(); ++i) {
    // Layer::parameters() is not const; the parameters are only read here.
    Layer<T>& layer = const_cast<Layer<T>&>(model.layer(i));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    try {
      width = layer.output_width(width);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("Model::save: layer {} ({}): {}", i, layer.describe(), e.what()));
    }
    const LayerKindInfo<T>* kind = find_layer_kind<T>(layer.type());
    if (kind == nullptr)
      throw std::invalid_argument(fmt::format(
          "Model::save: layer {} ({}) is a layer of your own that is not registered: call "
          "nnfs::register_layer<...>(\"Name\", make) before saving",
          i, layer.describe()));
    const Settings settings = layer.settings();
    c.items.push_back("layer " + kind->name +
                      model_file_settings(fmt::format("layer {} ({})", i, kind->name), settings,
                                          kind->file ? &kind->file->keys : nullptr));
    std::vector<Parameter<T>> params;
    layer.parameters(params);
    std::vector<ParameterShape> shapes;
    if (kind->file) shapes = kind->file->parameters(settings);
    for (std::size_t p = 0; p < params.size(); ++p) {
      if (!is_kind_name(params[p].name))
        throw std::invalid_argument(fmt::format("Model::save: layer {} ({}) has a parameter named '{}': parameter "
                                                "names are letters, digits and '_'",
                                                i, kind->name, params[p].name));
      const Matrix<T>& m = *params[p].value;
      if (kind->file && (p >= shapes.size() || shapes[p].name != params[p].name || m.rows() != shapes[p].rows ||
                         m.cols() != shapes[p].cols))
        throw std::invalid_argument(fmt::format("Model::save: layer {} ({}) has {} of shape {}, which its settings do "
                                                "not give: the file could not be loaded",
                                                i, layer.describe(), params[p].name, shape_str(m)));
      c.arrays.push_back(model_file_array<T>(i, std::string(params[p].name), m));
    }
    // The optimizer's state, for the kinds whose file rules name it. State of another shape
    // belongs to replaced parameters: the optimizer would start it over, and so does the
    // loaded model.
    if (!state || !kind->file) continue;
    for (std::size_t p = 0; p < params.size(); ++p) {
      const Matrix<T>& value = *params[p].value;
      const std::pair<bool, const Matrix<T>*> slots[] = {{keeps.first, params[p].momentums},
                                                         {keeps.second, params[p].cache}};
      for (std::size_t s = 0; s < 2; ++s) {
        const Matrix<T>* m = slots[s].second;
        if (!slots[s].first || m == nullptr || m->rows() != value.rows() || m->cols() != value.cols()) continue;
        const std::string field =
            s == 0 ? model_file_momentums(shapes[p].state) : model_file_cache(shapes[p].state);
        if (!m->allFinite())
          throw std::invalid_argument(fmt::format(
              "Model::save: layer {} {} hold NaN or infinite values: the file could not be loaded", i, field));
        c.arrays.push_back(model_file_array<T>(i, field, *m));
      }
    }
  }
  if (model.input_width() < 0)
    throw std::invalid_argument("Model::save: no layer of the model fixes its input width (a Dense does); a model file holds the "
                                "input width");

  if (const ModelLoss<T>* loss = model.loss()) {
    const LossKindInfo<T>* kind = find_loss_kind<T>(loss->type());
    if (kind == nullptr)
      throw std::invalid_argument(fmt::format("Model::save: the loss {} is a loss of your own that is not registered: "
                                              "call nnfs::register_loss<...>(\"Name\") before saving",
                                              loss->name()));
    c.items.push_back("loss " + kind->name);
  } else {
    c.items.emplace_back("loss none");
  }

  if (const ModelAccuracy<T>* a = model.accuracy()) {
    const AccuracyKindInfo<T>* kind = find_accuracy_kind<T>(*a);
    if (kind == nullptr)
      throw std::invalid_argument(fmt::format("Model::save: the accuracy {} is an accuracy of your own that is not "
                                              "registered: call nnfs::register_accuracy<...>(\"Name\") before saving",
                                              a->name()));
    c.items.push_back("accuracy " + kind->name +
                      model_file_settings("the accuracy " + kind->name, kind->settings ? kind->settings(*a) : Settings{},
                                          &kind->keys));
  } else {
    c.items.emplace_back("accuracy none");
  }

  if (optimizer != nullptr) {
    std::string line = "optimizer " + optimizer->name() + model_file_settings("the optimizer " + optimizer->name(),
                                                                              optimizer->settings());
    if (state)
      line += fmt::format(" iterations={} current_learning_rate={}", optimizer->iterations(),
                          optimizer->current_learning_rate());
    c.items.push_back(std::move(line));
  } else {
    c.items.emplace_back("optimizer none");
  }
  return c;
}

}  // namespace detail
}  // namespace nnfs
