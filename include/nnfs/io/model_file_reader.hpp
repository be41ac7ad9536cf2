// nnfs/io/model_file_reader.hpp — reads and checks a model file for a Model<T>: its header
// (nnfs/io/model_file_header.hpp), then what the lines say together — the file's size and
// CRC-32, widths that chain, arrays that match the layers' parameters and lie inside the
// payload — and the arrays themselves. A layer of your own has its arrays checked once made
// from its settings (nnfs/io/model_file.hpp). Every failure throws std::runtime_error("<what>: ...").
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/detail/crc32.hpp"
#include "nnfs/io/model_file_format.hpp"
#include "nnfs/io/model_file_header.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {
namespace detail {

/// Reads and checks a model file's bytes for a Model<T>.
template <class T>
class ModelFileReader : public ModelFileHeaderReader<T> {
  using Base = ModelFileHeaderReader<T>;
  using Base::bytes_;
  using Base::fail;
  using Base::fail_line;

 public:
  using Base::Base;

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
      const std::vector<ParameterShape>& shapes = l.shapes;
      const std::string& label = l.label;
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
      // parse_array let through only the fields of this layer's parameters.
      if (shape == nullptr) throw std::logic_error("model file reader: array " + a.name + " was not checked");
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
      for (const ParameterShape& p : l.shapes)
        if (seen.count(std::pair(i, p.name)) == 0)
          fail(fmt::format("missing array layer{}.{}: layer {} (line {}) is {}", i, p.name, i, l.line.number, l.label));
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
};


NNFS_COMPILED_INSTANCE(class ModelFileReader<float>)
NNFS_COMPILED_INSTANCE(class ModelFileReader<double>)
}  // namespace detail
}  // namespace nnfs
