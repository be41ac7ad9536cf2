// nnfs/io/model_file_format.hpp — a whole Model in one file (book chapters 21–22: model.save and
// Model.load): architecture, hyper-parameters, parameters and, optionally, the optimizer's state.
//
// This header is the format: its layout, constants, byte order, CRC and encoding. The writer
// (model_file_writer.hpp) and the reader (model_file_lines.hpp, model_file_reader.hpp) name every
// kind through the registries (nnfs/model/kinds.hpp); nnfs/io/model_file.hpp puts them together.
//
// The format (version 1) is a UTF-8 text header, one item per line, so that `head -c 600
// model.nnfs` shows what the file holds, then the binary payload and a CRC-32:
//
//     nnfs-model 1
//     byte-order little                       (or big: the payload's byte order)
//     scalar float32                          (or float64: Model<float> / Model<double>)
//     layer Dense inputs=2 neurons=512 weight_l1=0 weight_l2=0.0005 bias_l1=0 bias_l2=0.0005
//     layer ReLU                              (ReLU, Softmax, Sigmoid, Linear: no keys)
//     layer Dropout rate=0.1
//     ...
//     loss CategoricalCrossentropy            (BinaryCrossentropy, MeanSquaredError,
//                                              MeanAbsoluteError, or none)
//     accuracy categorical                    (binary, regression [precision=<p>], or none)
//     optimizer Adam learning_rate=0.05 decay=5e-05 epsilon=1e-07 beta_1=0.9 beta_2=0.999
//               [iterations=<n> current_learning_rate=<lr>]   (one line; only with state)
//                                             (SGD: momentum; Adagrad: epsilon;
//                                              RMSprop: epsilon rho; or none)
//     array layer0.weights float32 2 512 offset=0 bytes=4096
//     array layer0.biases float32 1 512 offset=4096 bytes=2048
//     array layer0.weight_momentums ...       (optimizer state: only with state)
//     ...
//     payload <bytes>
//     end
//
// then zero bytes up to the next multiple of 8 (the payload starts 8-byte aligned), the payload
// (each array row-major, in the stated byte order, at the stated offset from the payload's
// start; offsets are multiples of 8), and a 4-byte little-endian CRC-32 (zlib's) of everything
// before it. Numbers in the header: integers in decimal, doubles in the shortest form that reads
// back to the same double ({fmt}'s "{}", read with std::from_chars).
//
// Optimizer state: `iterations` and `current_learning_rate` on the optimizer line, and per Dense
// layer the arrays the optimizer keeps (SGD with momentum: weight_/bias_momentums; Adagrad and
// RMSprop: weight_/bias_cache; Adam: all four), each only when the layer has it.
//
// A model file holds at least one Dense layer, and every Dense layer's weights and biases.
//
// Loading checks everything before building anything, and throws std::runtime_error naming the
// file and what is wrong (with the line number and text for a header line): not a model file,
// a newer format version, a float64 file given to Model<float> (or the reverse), bad grammar
// (unknown kinds, missing/duplicate/unknown keys, values out of range), widths that do not
// chain, arrays that do not match the layers (names, types, shapes, offsets, overlaps), a
// truncated or over-long file, a CRC mismatch, non-finite values. The checks run in that order
// (the header's grammar, then the file's size and CRC-32, then the arrays against the layers,
// then the values). The header is capped at 1 MiB and 65 536 lines, and nothing is allocated
// beyond what the file's own size can hold.
//
// A loaded Dropout layer draws its masks from nnfs::default_random_state(), like a new one.
//
// Every kind is written under its name in its registry (the book's and those registered with
// register_layer, register_loss, register_accuracy, register_optimizer): `layer LeakyReLU
// alpha=0.1` with the layer's settings() as keys, and one array `layer<i>.<name>` per parameter
// in its parameters() list (the optimizer state of a layer of your own is not saved). Loading
// such a file needs the same registration in the loading program: a kind it does not know is an
// error naming the kind.
#pragma once

#include "nnfs/detail/crc32.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nnfs {
namespace detail {

static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4, "model files need IEEE-754 float");
static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8, "model files need IEEE-754 double");

static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8, "model files need IEEE-754 double");

inline constexpr unsigned model_file_version = 1;
inline constexpr std::size_t model_file_max_header_bytes = std::size_t{1} << 20;  // 1 MiB
inline constexpr std::size_t model_file_max_header_lines = std::size_t{1} << 16;

// ------------------------------------------------------------------------------ byte order

inline bool host_is_big_endian() noexcept {
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 0;
}

/// Writes v at p in the given byte order (big_endian or little), whatever the host's.
template <class S>
void store_scalar(char* p, S v, bool big_endian) noexcept {
  static_assert(std::is_arithmetic_v<S>, "store_scalar: arithmetic types only");
  unsigned char b[sizeof(S)];
  std::memcpy(b, &v, sizeof(S));
  if (big_endian != host_is_big_endian()) std::reverse(b, b + sizeof(S));
  std::memcpy(p, b, sizeof(S));
}

/// Reads an S stored at p (any alignment) in the given byte order.
template <class S>
S load_scalar(const char* p, bool big_endian) noexcept {
  static_assert(std::is_arithmetic_v<S>, "load_scalar: arithmetic types only");
  unsigned char b[sizeof(S)];
  std::memcpy(b, p, sizeof(S));
  if (big_endian != host_is_big_endian()) std::reverse(b, b + sizeof(S));
  S v;
  std::memcpy(&v, b, sizeof(S));
  return v;
}

inline std::uint64_t align8(std::uint64_t n) noexcept { return (n + 7u) & ~std::uint64_t{7}; }

// ------------------------------------------------------------------------------ writing

/// One array of a model file: its name (layer<i>.<field>), shape and row-major values (as
/// doubles: exact for float32 and float64 files).
struct ModelFileArray {
  std::string name;
  Index rows = 0;
  Index cols = 0;
  std::vector<double> values;
};

/// A model file's content before encoding: the item lines between "scalar" and the first
/// "array" line ("layer ...", "loss ...", "accuracy ...", "optimizer ..."), and the arrays.
/// model_file_contents() makes it from a Model; tests and the fuzz corpus generator edit it.
struct ModelFileContents {
  unsigned version = model_file_version;
  bool big_endian = false;
  bool float64 = false;
  std::vector<std::string> items;
  std::vector<ModelFileArray> arrays;
};

/// A model file in two parts: the header text (through "end\n") and the payload bytes.
struct ModelFileImage {
  std::string header;
  std::string payload;
};

/// The header and payload of `c`: array lines with their offsets (8-byte aligned), the
/// payload line, the arrays encoded in c's byte order and scalar type.
inline ModelFileImage model_file_image(const ModelFileContents& c) {
  ModelFileImage image;
  image.header = fmt::format("nnfs-model {}\nbyte-order {}\nscalar {}\n", c.version, c.big_endian ? "big" : "little",
                             c.float64 ? "float64" : "float32");
  for (const std::string& item : c.items) image.header += item + '\n';
  const std::size_t item_size = c.float64 ? 8 : 4;
  for (const ModelFileArray& a : c.arrays) {
    if (a.rows < 0 || a.cols < 0 || static_cast<std::size_t>(a.rows) * static_cast<std::size_t>(a.cols) != a.values.size())
      throw std::invalid_argument(fmt::format("model_file_image: array {} has {} values for shape {}", a.name,
                                              a.values.size(), shape_str(a.rows, a.cols)));
    const std::size_t offset = image.payload.size();
    const std::size_t bytes = a.values.size() * item_size;
    image.header += fmt::format("array {} {} {} {} offset={} bytes={}\n", a.name, c.float64 ? "float64" : "float32",
                                a.rows, a.cols, offset, bytes);
    image.payload.resize(offset + bytes);
    char* p = image.payload.data() + offset;
    for (std::size_t k = 0; k < a.values.size(); ++k) {
      if (c.float64)
        store_scalar<double>(p + 8 * k, a.values[k], c.big_endian);
      else
        store_scalar<float>(p + 4 * k, static_cast<float>(a.values[k]), c.big_endian);
    }
    image.payload.resize(static_cast<std::size_t>(align8(image.payload.size())), '\0');
  }
  image.header += fmt::format("payload {}\nend\n", image.payload.size());
  return image;
}

/// The file's bytes: header, zero padding to a multiple of 8, payload, CRC-32 of all that
/// (4 bytes, little-endian).
inline std::string model_file_assemble(const ModelFileImage& image) {
  std::string out = image.header;
  out.resize(static_cast<std::size_t>(align8(out.size())), '\0');
  out += image.payload;
  char crc[4];
  store_scalar<std::uint32_t>(crc, crc32(out), false);
  out.append(crc, 4);
  return out;
}

inline std::string model_file_bytes(const ModelFileContents& c) { return model_file_assemble(model_file_image(c)); }

/// The arrays of a layer's optimizer state: `<state>_momentums` and `<state>_cache` for a
/// parameter whose state name is `state` (Dense's weights: weight_momentums, weight_cache).
inline std::string model_file_momentums(const std::string& state) { return state + "_momentums"; }
inline std::string model_file_cache(const std::string& state) { return state + "_cache"; }

/// `s` in single quotes for an error message: printable ASCII as it is, other bytes as \xNN,
/// at most `limit` bytes.
inline std::string model_file_quote(std::string_view s, std::size_t limit = 100) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const auto ch = static_cast<unsigned char>(s[i]);
    if (ch >= 0x20 && ch < 0x7f)
      out += static_cast<char>(ch);
    else
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(ch));
  }
  if (s.size() > limit) out += "...";
  return out + "'";
}

}  // namespace detail
}  // namespace nnfs
