// nnfs/model/parameter_pairs.hpp — Model::get_parameters / set_parameters, the book's chapter 21:
// one (weights, biases) pair per layer with parameters, in order. The layers are found by what
// they list (Layer::parameters(): "weights", then "biases"), not by their class, so a layer of
// your own with weights and biases takes part like Dense.
#pragma once

#include "nnfs/layers/layer.hpp"
#include "nnfs/model/fwd.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

/// Model's get_parameters and set_parameters (a friend of Model<T>).
template <class T>
struct ModelParameterPairs {
  using Pairs = std::vector<std::pair<Matrix<T>, Matrix<T>>>;

  /// A layer with parameters, its index in the model and its weights and biases.
  struct Entry {
    std::size_t layer;
    Matrix<T>* weights;
    Matrix<T>* biases;
  };

  /// Every layer with parameters; throws std::logic_error for one whose parameters are not
  /// (weights, biases): a pair cannot hold them.
  static std::vector<Entry> entries(const Model<T>& model, const char* where) {
    std::vector<Entry> out;
    std::vector<Parameter<T>> params;
    for (std::size_t i = 0; i < model.layers_.size(); ++i) {
      Layer<T>& l = *model.layers_[i];
      if (!l.has_parameters()) continue;
      params.clear();
      l.parameters(params);
      if (params.size() != 2 || params[0].name != "weights" || params[1].name != "biases") {
        std::string names;
        for (const Parameter<T>& p : params) names += (names.empty() ? "" : ", ") + std::string(p.name);
        throw std::logic_error(fmt::format(
            "{}: layer {} ({}) has the parameters [{}]; (weights, biases) pairs hold only layers with weights and "
            "biases (save such a model with Model::save)",
            where, i, l.describe(), names));
      }
      out.push_back(Entry{i, params[0].value, params[1].value});
    }
    return out;
  }

  static Pairs get(const Model<T>& model) {
    Pairs p;
    for (const Entry& e : entries(model, "Model::get_parameters")) p.emplace_back(*e.weights, *e.biases);
    return p;
  }

  static void set(const Model<T>& model, const Pairs& p) {
    const std::vector<Entry> layers = entries(model, "Model::set_parameters");
    if (p.size() != layers.size())
      throw std::invalid_argument(fmt::format(
          "Model::set_parameters: {} (weights, biases) pairs for a model with {} layers with parameters", p.size(),
          layers.size()));
    // Everything is checked before anything changes.
    for (std::size_t i = 0; i < p.size(); ++i) {
      const auto& [w, b] = p[i];
      const Entry& e = layers[i];
      if (w.rows() != e.weights->rows() || w.cols() != e.weights->cols() || b.rows() != e.biases->rows() ||
          b.cols() != e.biases->cols())
        throw std::invalid_argument(fmt::format(
            "Model::set_parameters: pair {}: layer {} ({}) has weights {} and biases {}, given weights {} and biases {}",
            i, e.layer, model.layers_[e.layer]->describe(), shape_str(*e.weights), shape_str(*e.biases), shape_str(w),
            shape_str(b)));
      if (!w.allFinite() || !b.allFinite())
        throw std::invalid_argument(
            fmt::format("Model::set_parameters: pair {}: layer {} given non-finite values", i, e.layer));
    }
    for (std::size_t i = 0; i < p.size(); ++i) {
      *layers[i].weights = p[i].first;
      *layers[i].biases = p[i].second;
    }
  }
};

}  // namespace detail
}  // namespace nnfs
