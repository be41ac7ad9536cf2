// nnfs/io/model_file_header.hpp — the header of a model file, read line by line against the
// registries of kinds (the format: nnfs/io/model_file_format.hpp; the grammar of its lines:
// nnfs/io/model_file_lines.hpp). Every kind is looked up by its name; a kind with file rules
// (the book's layers, nnfs/model/kinds.hpp) has its keys checked as its line is read, and its
// array lines must name its parameters. What the lines say together (widths, shapes, the
// payload) is checked by nnfs/io/model_file_reader.hpp. Every failure throws
// std::runtime_error("<what>: ...").
#pragma once

#include "nnfs/detail/kind_name.hpp"
#include "nnfs/io/model_file_format.hpp"
#include "nnfs/io/model_file_lines.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

template <class T>
struct ModelFileLayer {
  const LayerKindInfo<T>* kind = nullptr;
  Settings settings;
  ModelFileLine line;
  // A kind with file rules: its parameters and how messages name it, worked out once from the
  // settings (every array line and check reads them).
  std::vector<ParameterShape> shapes;
  std::string label;
};

struct ModelFileArraySpec {
  std::string name;
  std::size_t layer = 0;
  std::string field;
  std::uint64_t rows = 0;
  std::uint64_t cols = 0;
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;
  ModelFileLine line;
};

/// A model file's header, parsed and checked line by line.
template <class T>
struct ModelFileHeader {
  bool big_endian = false;
  bool float64 = false;
  std::vector<ModelFileLayer<T>> layers;
  const LossKindInfo<T>* loss = nullptr;
  const AccuracyKindInfo<T>* accuracy = nullptr;
  Settings accuracy_settings;
  std::unique_ptr<ModelOptimizer<T>> optimizer;  // made (so checked), state restored
  std::string optimizer_name;
  std::pair<bool, bool> optimizer_keeps{false, false};  // (momentums, cache)
  std::string optimizer_keeps_note;
  bool optimizer_state = false;
  ModelFileLine optimizer_line;
  std::vector<ModelFileArraySpec> arrays;
  std::uint64_t payload = 0;
  std::size_t header_bytes = 0;  // through "end\n"
};

/// Reads a model file's header for a Model<T>: each line's grammar, and the kinds it names.
template <class T>
class ModelFileHeaderReader : public ModelFileLines {
 public:
  using ModelFileLines::ModelFileLines;

  /// The header, checked: magic, version, byte order, the scalar (float64 for a
  /// Model<double>), and the grammar of every line.
  ModelFileHeader<T> read_header() {
    constexpr bool want_float64 = std::is_same_v<T, double>;
    ModelFileHeader<T> h;
    check_magic();
    split_lines();
    std::size_t i = 1;
    // byte-order
    {
      const ModelFileLine& l = expect(i++, "byte-order", "'byte-order little' or 'byte-order big'");
      const auto t = tokens(l);
      if (t.size() != 2 || (t[1] != "little" && t[1] != "big"))
        fail_line(l, "expected 'byte-order little' or 'byte-order big'");
      h.big_endian = t[1] == "big";
    }
    // scalar
    {
      const ModelFileLine& l = expect(i++, "scalar", "'scalar float32' or 'scalar float64'");
      const auto t = tokens(l);
      if (t.size() != 2 || (t[1] != "float32" && t[1] != "float64"))
        fail_line(l, "expected 'scalar float32' or 'scalar float64'");
      h.float64 = t[1] == "float64";
      if (h.float64 != want_float64)
        fail(fmt::format("the file holds {} parameters, but this is a Model<{}> ({}): load it with nnfs::Model<{}>",
                         t[1], want_float64 ? "double" : "float", want_float64 ? "float64" : "float32",
                         h.float64 ? "double" : "float"));
    }
    // layers
    while (i < lines_.size() && first_token(lines_[i].text) == "layer")
      h.layers.push_back(parse_layer(lines_[i++]));
    if (h.layers.empty()) {
      if (i < lines_.size()) fail_line(lines_[i], "expected a 'layer' line: a model file holds at least one layer");
      fail("the header has no layers");
    }
    parse_loss(expect(i++, "loss", "a 'loss' line after the layers"), h);
    parse_accuracy(expect(i++, "accuracy", "an 'accuracy' line after the loss"), h);
    parse_optimizer(expect(i++, "optimizer", "an 'optimizer' line after the accuracy"), h);
    while (i < lines_.size() && first_token(lines_[i].text) == "array") h.arrays.push_back(parse_array(lines_[i++], h));
    {
      const ModelFileLine& l = expect(i++, "payload", "a 'payload <bytes>' line after the arrays");
      const auto t = tokens(l);
      if (t.size() != 2) fail_line(l, "expected 'payload <bytes>'");
      h.payload = unsigned_number(l, "payload", t[1]);
    }
    // split_lines() stopped at the "end" line, so it is the last one.
    if (i != lines_.size() - 1) fail_line(lines_[i], "expected 'end' after the payload line");
    h.header_bytes = header_bytes_;
    return h;
  }

 private:
  /// The names of the kinds in `registry`, ", "-separated.
  template <class Registry>
  static std::string known(const Registry& registry) {
    std::string s;
    for (const auto& k : registry.kinds()) s += (s.empty() ? "" : ", ") + k.name;
    return s;
  }

  ModelFileLayer<T> parse_layer(const ModelFileLine& l) const {
    const auto t = tokens(l);
    if (t.size() < 2) fail_line(l, "expected 'layer <kind> [key=value ...]'");
    ModelFileLayer<T> layer;
    layer.line = l;
    layer.kind = find_layer_kind<T>(t[1]);
    if (layer.kind == nullptr)
      fail_line(l, fmt::format("unknown layer kind {} (known: {}; a layer of your own must be registered with "
                               "nnfs::register_layer in the program that loads the file)",
                               model_file_quote(t[1]), known(layer_registry<T>())));
    if (layer.kind->file) {
      std::vector<std::string_view> required;
      for (const SettingRule& r : layer.kind->file->keys) required.emplace_back(r.key);
      const Keys k = keys(l, t, 2, required);
      for (const SettingRule& r : layer.kind->file->keys) layer.settings.emplace_back(r.key, checked_setting(l, k, r));
      layer.shapes = layer.kind->file->parameters(layer.settings);
      layer.label = layer.kind->file->label(layer.settings);
      return layer;
    }
    for (std::size_t w = 2; w < t.size(); ++w) {
      const std::size_t eq = t[w].find('=');
      if (eq == std::string_view::npos) fail_line(l, fmt::format("expected key=value, got {}", model_file_quote(t[w])));
      const std::string_view key = t[w].substr(0, eq);
      for (const auto& kv : layer.settings)
        if (kv.first == key) fail_line(l, fmt::format("duplicate key {}", model_file_quote(key)));
      layer.settings.emplace_back(std::string(key), finite_number(l, key, t[w].substr(eq + 1)));
    }
    return layer;
  }

  void parse_loss(const ModelFileLine& l, ModelFileHeader<T>& h) const {
    const auto t = tokens(l);
    if (t.size() != 2) fail_line(l, "expected 'loss <name>' or 'loss none'");
    if (t[1] == "none") return;
    h.loss = find_loss_kind<T>(t[1]);
    if (h.loss == nullptr)
      fail_line(l, fmt::format("unknown loss {} (known: {}, none; a loss of your own must be registered with "
                               "nnfs::register_loss in the program that loads the file)",
                               model_file_quote(t[1]), known(loss_registry<T>())));
  }

  void parse_accuracy(const ModelFileLine& l, ModelFileHeader<T>& h) const {
    const auto t = tokens(l);
    if (t.size() < 2) fail_line(l, "expected 'accuracy <kind>' or 'accuracy none'");
    if (t[1] == "none") {
      keys(l, t, 2, {});
      return;
    }
    h.accuracy = find_accuracy_kind<T>(t[1]);
    if (h.accuracy == nullptr)
      fail_line(l, fmt::format("unknown accuracy {} (known: {}, none; an accuracy of your own must be registered "
                               "with nnfs::register_accuracy in the program that loads the file)",
                               model_file_quote(t[1]), known(accuracy_registry<T>())));
    std::vector<std::string_view> optional;
    for (const SettingRule& r : h.accuracy->keys) optional.emplace_back(r.key);
    const Keys k = keys(l, t, 2, {}, optional);
    for (const SettingRule& r : h.accuracy->keys)
      if (k.get(r.key)) h.accuracy_settings.emplace_back(r.key, checked_setting(l, k, r));
  }

  void parse_optimizer(const ModelFileLine& l, ModelFileHeader<T>& h) const {
    const auto t = tokens(l);
    if (t.size() < 2) fail_line(l, "expected 'optimizer <name> key=value ...' or 'optimizer none'");
    h.optimizer_line = l;
    if (t[1] == "none") {
      keys(l, t, 2, {});
      return;
    }
    const OptimizerKindInfo<T>* kind = find_optimizer_kind<T>(t[1]);
    if (kind == nullptr)
      fail_line(l, fmt::format("unknown optimizer {} (known: {}, none; an optimizer of your own must be registered "
                               "with nnfs::register_optimizer in the program that loads the file)",
                               model_file_quote(t[1]), known(optimizer_registry<T>())));
    std::vector<std::string_view> required = {"learning_rate", "decay"};
    for (const std::string& key : kind->keys) required.emplace_back(key);
    const Keys k = keys(l, t, 2, required, {"iterations", "current_learning_rate"});
    Settings settings;
    for (const std::string_view key : required) settings.emplace_back(key, finite_number(l, key, *k.get(key)));
    // The optimizer's own constructor checks the ranges (and names the rule that failed).
    try {
      h.optimizer = kind->make(settings);
    } catch (const std::invalid_argument& e) {
      fail_line(l, e.what());
    }
    h.optimizer_name = kind->name;
    if (kind->keeps) h.optimizer_keeps = kind->keeps(settings);
    h.optimizer_keeps_note = kind->keeps_note;
    const auto iterations = k.get("iterations");
    const auto current = k.get("current_learning_rate");
    if (iterations.has_value() != current.has_value())
      fail_line(l, "iterations= and current_learning_rate= (the optimizer's state) go together");
    if (!iterations) return;
    h.optimizer_state = true;
    const std::int64_t n = integer(l, "iterations", *iterations);
    const double lr = finite_number(l, "current_learning_rate", *current);
    try {
      h.optimizer->restore_state(n, lr);
    } catch (const std::invalid_argument& e) {
      fail_line(l, e.what());
    }
  }

  ModelFileArraySpec parse_array(const ModelFileLine& l, const ModelFileHeader<T>& h) const {
    const auto t = tokens(l);
    if (t.size() != 7)
      fail_line(l, "expected 'array layer<i>.<field> <float32|float64> <rows> <cols> offset=<n> bytes=<n>'");
    ModelFileArraySpec a;
    a.line = l;
    a.name = std::string(t[1]);
    // layer<i>.<field>
    const std::string_view name = t[1];
    const std::size_t dot = name.find('.');
    const bool prefixed = dot != std::string_view::npos && dot > 5 && name.substr(0, 5) == "layer";
    const std::string_view index = prefixed ? name.substr(5, dot - 5) : std::string_view();
    bool ok = prefixed && index.size() <= 9 &&
              std::all_of(index.begin(), index.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
              (index.size() == 1 || index[0] != '0') && is_kind_name(name.substr(dot + 1));
    if (ok) {
      (void)std::from_chars(index.data(), index.data() + index.size(), a.layer);
      a.field = std::string(name.substr(dot + 1));
    }
    // A layer with file rules and parameters names its arrays; the others are checked later
    // (a layer of your own once made, a layer without parameters by check_structure).
    std::string fields;
    if (ok && a.layer < h.layers.size() && h.layers[a.layer].kind->file) {
      const std::vector<ParameterShape>& shapes = h.layers[a.layer].shapes;
      std::vector<std::string> names;
      names.reserve(3 * shapes.size());  // each parameter, then its two optimizer-state arrays
      for (const ParameterShape& p : shapes) names.push_back(p.name);
      for (const ParameterShape& p : shapes) {
        names.push_back(model_file_momentums(p.state));
        names.push_back(model_file_cache(p.state));
      }
      for (const std::string& n : names) fields += (fields.empty() ? "" : ", ") + n;
      if (!names.empty() && std::find(names.begin(), names.end(), a.field) == names.end()) ok = false;
    }
    if (!ok)
      fail_line(l, fmt::format("array name {} is not layer<i>.<field> with a field among {}", model_file_quote(name),
                               fields.empty() ? std::string("letters, digits and '_'") : fields));
    if (t[2] != "float32" && t[2] != "float64")
      fail_line(l, fmt::format("{}: unknown element type {} (float32 or float64)", a.name, model_file_quote(t[2])));
    if ((t[2] == "float64") != h.float64)
      fail_line(l, fmt::format("{} is {}, but the file's scalar is {}", a.name, t[2], h.float64 ? "float64" : "float32"));
    a.rows = unsigned_number(l, "rows", t[3]);
    a.cols = unsigned_number(l, "cols", t[4]);
    if (a.rows == 0 || a.cols == 0)
      fail_line(l, fmt::format("{} has no elements (shape {}{}{})", a.name, a.rows, "\u00d7", a.cols));
    const Keys k = keys(l, t, 5, {"offset", "bytes"});
    a.offset = unsigned_number(l, "offset", *k.get("offset"));
    a.bytes = unsigned_number(l, "bytes", *k.get("bytes"));
    return a;
  }
};

}  // namespace detail
}  // namespace nnfs
