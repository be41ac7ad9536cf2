// nnfs/io/model_file.hpp — a whole Model in one file (book chapters 21–22: model.save and
// Model.load): architecture, hyper-parameters, parameters and, optionally, the optimizer's state.
//
//     nnfs::save_model(model, "model.nnfs");             // parameters, no optimizer state
//     model.save("model.nnfs", /*include_optimizer_state=*/true);   // the same, as the book writes it
//     auto loaded = nnfs::load_model<float>("model.nnfs");           // or nnfs::Model<float>::load(...)
//
// The format: nnfs/io/model_file_format.hpp. The writer (model_file_writer.hpp) and the reader
// (model_file_reader.hpp) name every kind through the registries (nnfs/model/kinds.hpp), so a
// layer, loss, accuracy or optimizer of your own is saved and loaded once registered. Saving and
// loading live here, in the io layer, above the model: nnfs/model/model.hpp declares Model's
// save, load, to_bytes and from_bytes, and this header defines them (include it, or
// nnfs/nnfs.hpp, to call them).
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/file.hpp"
#include "nnfs/io/model_file_format.hpp"
#include "nnfs/io/model_file_lines.hpp"
#include "nnfs/io/model_file_reader.hpp"
#include "nnfs/io/model_file_writer.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/kinds.hpp"
#include "nnfs/model/model.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

template <class T>
std::string model_to_bytes(const Model<T>& model, bool include_optimizer_state) {
  return model_file_bytes(model_file_contents(model, include_optimizer_state));
}

/// The layer made from a file's layer line, its parameters and their state filled from the
/// file's arrays (arrays[k] belongs to h.arrays[k]).
template <class T>
std::unique_ptr<Layer<T>> model_file_layer(const ModelFileReader<T>& reader, const ModelFileHeader<T>& h,
                                           std::size_t i, std::vector<Matrix<T>>& arrays) {
  const ModelFileLayer<T>& l = h.layers[i];
  const std::string& name = l.kind->name;
  std::unique_ptr<Layer<T>> layer;
  try {
    layer = l.kind->make(l.settings);
  } catch (const std::exception& e) {
    reader.fail_at(l.line, fmt::format("{} could not be made from these settings: {}", name, e.what()));
  }
  std::vector<Parameter<T>> params;
  layer->parameters(params);
  std::vector<bool> filled(params.size(), false);
  for (std::size_t k = 0; k < h.arrays.size(); ++k) {
    const ModelFileArraySpec& a = h.arrays[k];
    if (a.layer != i) continue;
    Matrix<T>* target = nullptr;
    const Matrix<T>* shape_of = nullptr;
    // The parameters' file rules, kept for the loop (a reference into a temporary would dangle).
    const std::vector<ParameterShape> shapes =
        l.kind->file ? l.kind->file->parameters(l.settings) : std::vector<ParameterShape>{};
    for (std::size_t p = 0; p < params.size() && target == nullptr; ++p) {
      shape_of = params[p].value;
      if (a.field == params[p].name) {
        if (filled[p]) reader.fail_at(a.line, fmt::format("duplicate array {}", a.name));
        filled[p] = true;
        target = params[p].value;
      } else if (p < shapes.size()) {
        // Optimizer state (checked against the optimizer by check_structure).
        const std::string& state = shapes[p].state;
        if (a.field == model_file_momentums(state)) target = params[p].momentums;
        if (a.field == model_file_cache(state)) target = params[p].cache;
      }
    }
    if (target == nullptr)
      reader.fail_at(a.line, fmt::format("{}: layer {} ({}) has no parameter '{}'", a.name, i, name, a.field));
    if (static_cast<std::uint64_t>(shape_of->rows()) != a.rows || static_cast<std::uint64_t>(shape_of->cols()) != a.cols)
      reader.fail_at(a.line, fmt::format("{} has shape {}{}{} but layer {} ({}) has {} of shape {}", a.name, a.rows,
                                         "\u00d7", a.cols, i, name, a.field, shape_str(*shape_of)));
    *target = std::move(arrays[k]);
  }
  for (std::size_t p = 0; p < params.size(); ++p)
    if (!filled[p]) reader.fail_at(l.line, fmt::format("missing array layer{}.{}: layer {} is {}", i, params[p].name, i, name));
  return layer;
}

template <class T>
Model<T> model_from_bytes(std::string_view bytes, std::string_view what) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "model files hold float32 or float64");
  add_builtin_factories<T>();  // a file may hold any of the book's kinds, also those this program never adds
  ModelFileReader<T> reader(bytes, what);
  ModelFileHeader<T> h = reader.read_header();
  reader.check_size_and_crc(h);
  reader.check_structure(h);
  std::vector<Matrix<T>> arrays;
  arrays.reserve(h.arrays.size());
  for (const ModelFileArraySpec& a : h.arrays) arrays.push_back(reader.read_array(h, a));
  std::vector<std::unique_ptr<Layer<T>>> layers;
  for (std::size_t i = 0; i < h.layers.size(); ++i) layers.push_back(model_file_layer(reader, h, i, arrays));

  // Everything is checked and made: build.
  Model<T> model;
  for (auto& layer : layers) model.add_layer(std::move(layer));
  if (h.loss != nullptr) model.set_loss(h.loss->make());
  if (h.accuracy != nullptr) model.set_accuracy(h.accuracy->make(h.accuracy_settings));
  if (h.optimizer) model.set_optimizer(std::move(h.optimizer));
  model.finalize();
  return model;
}

}  // namespace detail

/// Writes the whole model to `path` (Model::save; the format: nnfs/io/model_file_format.hpp).
template <class T>
void save_model(const Model<T>& model, const std::filesystem::path& path, bool include_optimizer_state = false) {
  detail::write_file_replacing("Model::save", path, detail::model_to_bytes(model, include_optimizer_state));
}

/// The Model<T> saved to `path` (Model::load).
template <class T>
Model<T> load_model(const std::filesystem::path& path) {
  const std::string bytes = detail::read_file_bytes("Model::load", path);
  return detail::model_from_bytes<T>(bytes, fmt::format("Model::load: '{}'", path.string()));
}

namespace detail {

/// Model's members for files (Model::save, load, to_bytes, from_bytes; nnfs/model/fwd.hpp).
template <class T>
struct ModelFileIO {
  static void save(const Model<T>& model, const std::filesystem::path& path, bool include_optimizer_state) {
    save_model(model, path, include_optimizer_state);
  }
  static Model<T> load(const std::filesystem::path& path) { return load_model<T>(path); }
  static std::string to_bytes(const Model<T>& model, bool include_optimizer_state) {
    return model_to_bytes(model, include_optimizer_state);
  }
  static Model<T> from_bytes(std::string_view bytes, std::string_view what) { return model_from_bytes<T>(bytes, what); }
};

NNFS_COMPILED_INSTANCE(struct ModelFileIO<float>)
NNFS_COMPILED_INSTANCE(struct ModelFileIO<double>)
}  // namespace detail

}  // namespace nnfs
