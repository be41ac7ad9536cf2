// nnfs/io/model_file_reader.hpp — reads and checks a model file's header and arrays against the
// registries of kinds (the format: nnfs/io/model_file_format.hpp; the grammar of its lines:
// nnfs/io/model_file_lines.hpp). Every kind is looked up by its name; a kind with file rules
// (the book's layers, nnfs/model/kinds.hpp) has its keys, widths and arrays checked before
// anything is made, a layer of your own once made from its settings. Every failure throws
// std::runtime_error("<what>: ...").
#pragma once

#include "nnfs/detail/crc32.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/io/model_file_format.hpp"
#include "nnfs/io/model_file_lines.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
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

/// Reads and checks a model file's bytes for a Model<T>.
template <class T>
class ModelFileReader : public ModelFileLines {
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


  /// The file's size against the header's payload, then the CRC-32.
  void check_size_and_crc(const ModelFileHeader<T>& h) const {
    const std::uint64_t size = bytes_.size();
    const std::uint64_t start = align8(h.header_bytes);
    const std::uint64_t after = size - h.header_bytes;
    const std::uint64_t want = h.payload > size ? size + 1 : (start - h.header_bytes) + h.payload + 4;
    if (after < want)
      fail(fmt::format("truncated: the header promises {} payload bytes and a 4-byte CRC-32 ({} bytes with the "
                       "padding), but the file has {} after the header",
                       h.payload, (start - h.header_bytes) + h.payload + 4, after));
    if (after > want)
      fail(fmt::format("{} unexpected bytes after the CRC-32: the header promises {} payload bytes ({} bytes after "
                       "the header with the padding and the CRC-32), the file has {}",
                       after - want, h.payload, want, after));
    const std::uint32_t stored = load_scalar<std::uint32_t>(bytes_.data() + bytes_.size() - 4, false);
    const std::uint32_t computed = crc32(bytes_.data(), bytes_.size() - 4);
    if (stored != computed)
      fail(fmt::format("corrupted: the CRC-32 of the file's {} bytes is 0x{:08x}, but the file records 0x{:08x}",
                       bytes_.size() - 4, computed, stored));
  }

  /// Widths that chain and arrays that match the layers: every parameter of every layer with
  /// file rules, state arrays only as the optimizer keeps them, all inside the payload, 8-byte
  /// aligned and not overlapping. (A layer of your own: its arrays once it is made.)
  void check_structure(const ModelFileHeader<T>& h) const {
    const auto fixes_width = [](const ModelFileLayer<T>& l) {
      return l.kind->file && l.kind->file->widths(l.settings).has_value();
    };
    if (std::none_of(h.layers.begin(), h.layers.end(), fixes_width))
      fail("the model has no Dense layer (a model file holds at least one)");
    Index width = -1;
    std::size_t from = 0;
    for (std::size_t i = 0; i < h.layers.size(); ++i) {
      const ModelFileLayer<T>& l = h.layers[i];
      if (!l.kind->file) {
        width = -1;  // it may change the width: finalize() checks
        continue;
      }
      const auto widths = l.kind->file->widths(l.settings);
      if (!widths) continue;
      if (width >= 0 && widths->first != width)
        fail_line(l.line, fmt::format("layer {} {} takes {} inputs, but layer {} before it gives {}", i,
                                      l.kind->file->label(l.settings), widths->first, from, width));
      width = widths->second;
      from = i;
    }
    const std::uint64_t item = h.float64 ? 8 : 4;
    // Each layer's parameters and label, worked out once (not again for each of its arrays).
    std::vector<std::vector<ParameterShape>> shapes_of(h.layers.size());
    std::vector<std::string> label_of(h.layers.size());
    for (std::size_t i = 0; i < h.layers.size(); ++i) {
      const ModelFileLayer<T>& l = h.layers[i];
      if (!l.kind->file) continue;
      shapes_of[i] = l.kind->file->parameters(l.settings);
      label_of[i] = l.kind->file->label(l.settings);
    }
    std::map<std::pair<std::size_t, std::string>, const ModelFileArraySpec*> seen;
    for (const ModelFileArraySpec& a : h.arrays) {
      if (a.layer >= h.layers.size())
        fail_line(a.line, fmt::format("array {} names layer {}, but the model has {} layers (0 to {})", a.name, a.layer,
                                      h.layers.size(), h.layers.size() - 1));
      const ModelFileLayer<T>& l = h.layers[a.layer];
      if (!l.kind->file) {
        check_placement(h, a, item);  // names and shapes: against the layer once made
        continue;
      }
      const std::vector<ParameterShape>& shapes = shapes_of[a.layer];
      const std::string& label = label_of[a.layer];
      if (shapes.empty())
        fail_line(a.line, fmt::format("array {}: layer {} is {}, which has no parameters", a.name, a.layer, label));
      const ParameterShape* shape = nullptr;
      int slot = -1;  // 0 the parameter, 1 its momentums, 2 its cache
      for (const ParameterShape& p : shapes) {
        if (a.field == p.name) slot = 0;
        else if (a.field == model_file_momentums(p.state)) slot = 1;
        else if (a.field == model_file_cache(p.state)) slot = 2;
        if (slot >= 0) {
          shape = &p;
          break;
        }
      }
      if (shape == nullptr) {
        std::string fields;
        for (const ParameterShape& p : shapes)
          fields += (fields.empty() ? "" : ", ") + p.name + ", " + model_file_momentums(p.state) + ", " +
                    model_file_cache(p.state);
        fail_line(a.line, fmt::format("array {}: layer {} is {}, whose arrays are {}", a.name, a.layer, label, fields));
      }
      if (slot > 0) {
        if (!h.optimizer)
          fail_line(a.line, fmt::format("array {} is optimizer state, but the file has no optimizer", a.name));
        if (!h.optimizer_state)
          fail_line(a.line, fmt::format("array {} is optimizer state, but the optimizer line (line {}) has no "
                                        "iterations= and current_learning_rate=",
                                        a.name, h.optimizer_line.number));
        if (!(slot == 1 ? h.optimizer_keeps.first : h.optimizer_keeps.second))
          fail_line(a.line, fmt::format("array {}: {} keeps no {}{}", a.name, h.optimizer_name, a.field,
                                        h.optimizer_keeps_note));
      }
      const auto key = std::pair(a.layer, a.field);
      if (seen.count(key) != 0)
        fail_line(a.line, fmt::format("duplicate array {} (also on line {})", a.name, seen[key]->line.number));
      seen[key] = &a;
      const auto want_rows = static_cast<std::uint64_t>(shape->rows);
      const auto want_cols = static_cast<std::uint64_t>(shape->cols);
      if (a.rows != want_rows || a.cols != want_cols)
        fail_line(a.line, fmt::format("{} has shape {}{}{} but layer {} is {}, whose {} are {}{}{}", a.name, a.rows,
                                      "\u00d7", a.cols, a.layer, label, shape->name, want_rows, "\u00d7", want_cols));
      check_placement(h, a, item);
    }
    for (std::size_t i = 0; i < h.layers.size(); ++i) {
      const ModelFileLayer<T>& l = h.layers[i];
      if (!l.kind->file) continue;
      for (const ParameterShape& p : shapes_of[i])
        if (seen.count(std::pair(i, p.name)) == 0)
          fail(fmt::format("missing array layer{}.{}: layer {} (line {}) is {}", i, p.name, i, l.line.number,
                           label_of[i]));
    }
    check_overlaps(h);
  }

  /// An array's byte count against its shape, its alignment and its place in the payload.
  void check_placement(const ModelFileHeader<T>& h, const ModelFileArraySpec& a, std::uint64_t item) const {
    // rows·cols·item may overflow for a (huge) declared layer: compared by division first.
    if (a.rows > std::numeric_limits<std::uint64_t>::max() / a.cols / item ||
        a.rows * a.cols * item != a.bytes)
      fail_line(a.line, fmt::format("{}: {}{}{} {} values take {} bytes, the line says bytes={}", a.name, a.rows,
                                    "\u00d7", a.cols, h.float64 ? "float64" : "float32",
                                    a.rows > std::numeric_limits<std::uint64_t>::max() / a.cols / item
                                        ? std::string("more than 2^64")
                                        : std::to_string(a.rows * a.cols * item),
                                    a.bytes));
    if (a.offset % 8 != 0)
      fail_line(a.line, fmt::format("{}: offset {} is not a multiple of 8", a.name, a.offset));
    if (a.bytes > h.payload || a.offset > h.payload - a.bytes)
      fail_line(a.line, fmt::format("{}: {} bytes at offset {} go beyond the {}-byte payload", a.name, a.bytes,
                                    a.offset, h.payload));
  }

  /// No two arrays share payload bytes.
  void check_overlaps(const ModelFileHeader<T>& h) const {
    std::vector<const ModelFileArraySpec*> by_offset;
    for (const ModelFileArraySpec& a : h.arrays) by_offset.push_back(&a);
    std::sort(by_offset.begin(), by_offset.end(),
              [](const ModelFileArraySpec* x, const ModelFileArraySpec* y) { return x->offset < y->offset; });
    for (std::size_t k = 1; k < by_offset.size(); ++k) {
      const ModelFileArraySpec& a = *by_offset[k - 1];
      const ModelFileArraySpec& b = *by_offset[k];
      if (a.offset + a.bytes > b.offset)
        fail(fmt::format("arrays {} (line {}: bytes {} to {}) and {} (line {}: from byte {}) overlap in the payload",
                         a.name, a.line.number, a.offset, a.offset + a.bytes, b.name, b.line.number, b.offset));
    }
  }

  [[noreturn]] void fail_at(const ModelFileLine& l, const std::string& message) const { fail_line(l, message); }

  /// Array `a` decoded from the payload; throws when it holds a NaN or an infinity.
  Matrix<T> read_array(const ModelFileHeader<T>& h, const ModelFileArraySpec& a) const {
    Matrix<T> m(static_cast<Index>(a.rows), static_cast<Index>(a.cols));
    const char* p = bytes_.data() + align8(h.header_bytes) + a.offset;
    for (Index k = 0; k < m.size(); ++k) {
      const T v = load_scalar<T>(p + static_cast<std::size_t>(k) * sizeof(T), h.big_endian);
      if (!std::isfinite(v))
        fail_line(a.line, fmt::format("{} holds {} at row {}, column {}: parameters must be finite", a.name,
                                      static_cast<double>(v), k / m.cols(), k % m.cols()));
      m.data()[k] = v;
    }
    return m;
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
      const ModelFileLayer<T>& layer = h.layers[a.layer];
      const std::vector<ParameterShape> shapes = layer.kind->file->parameters(layer.settings);
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
