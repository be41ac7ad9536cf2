// nnfs/model/summary.hpp — Model::summary(): a table of the layers, their output shapes and
// parameter counts, then the loss, optimizer and accuracy, each named by its registry kind:
//     #  layer                      output     params
//     0  Dense(2, 512, weight L2 0.0005, bias L2 0.0005)   (N, 512)   1536
//     ...
//     total parameters: 3075
//     loss: CategoricalCrossentropy (with Softmax: combined backward), optimizer: Adam(...), accuracy: ...
#pragma once

#include "nnfs/model/fwd.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnfs {
namespace detail {

/// "Adam(learning_rate 0.05, decay 5e-05, epsilon 1e-07, beta_1 0.9, beta_2 0.999)": the
/// optimizer's kind and settings.
template <class T>
std::string optimizer_description(const ModelOptimizer<T>* optimizer) {
  if (optimizer == nullptr) return "(none)";
  std::string s = optimizer->name();
  const Settings settings = optimizer->settings();
  for (std::size_t i = 0; i < settings.size(); ++i)
    s += fmt::format("{}{} {:g}", i == 0 ? "(" : ", ", settings[i].first, settings[i].second);
  return settings.empty() ? s : s + ")";
}

/// Model::summary() (a friend of Model<T>).
template <class T>
struct ModelSummary {
  static std::string summary(const Model<T>& model) {
    std::vector<std::string> names;
    std::vector<std::string> shapes;
    std::vector<Index> params;
    Index width = -1;
    for (const auto& l : model.layers_) {
      names.push_back(l->describe());
      try {
        width = l->output_width(width);
      } catch (const std::invalid_argument&) {
        width = -2;  // inconsistent: shown as "?" (finalize() says why)
      }
      shapes.push_back(width >= 0 ? fmt::format("(N, {})", width) : std::string("(N, ?)"));
      params.push_back(l->parameter_count());
    }
    std::size_t name_w = 5;
    std::size_t shape_w = 6;
    for (std::size_t i = 0; i < names.size(); ++i) {
      name_w = std::max(name_w, names[i].size());
      shape_w = std::max(shape_w, shapes[i].size());
    }
    std::string s = fmt::format("{:>3}  {:<{}}  {:<{}}  {:>10}\n", "#", "layer", name_w, "output", shape_w, "params");
    for (std::size_t i = 0; i < names.size(); ++i)
      s += fmt::format("{:>3}  {:<{}}  {:<{}}  {:>10}\n", i, names[i], name_w, shapes[i], shape_w, params[i]);
    s += fmt::format("total parameters: {}\n", model.parameter_count());
    s += fmt::format("loss: {}{}, optimizer: {}, accuracy: {}\n", model.loss_ ? model.loss_->name() : "(none)",
                     model.combined_ && model.finalized_ ? " (combined with Softmax in backward)" : "", optimizer_description(model.optimizer_.get()),
                     model.accuracy_ ? model.accuracy_->describe() : "(none)");
    return s;
  }
};

}  // namespace detail
}  // namespace nnfs
