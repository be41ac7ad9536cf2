// nnfs/io/model_file.hpp — a whole Model in one file (book chapters 21–22: model.save and
// Model.load): architecture, hyper-parameters, parameters and, optionally, the optimizer's state.
//
//     model.save("model.nnfs");                          // parameters, no optimizer state
//     model.save("model.nnfs", /*include_optimizer_state=*/true);
//     auto loaded = nnfs::Model<float>::load("model.nnfs");   // predict/evaluate as the saved one
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
// Layers and losses of your own (docs/extending.md) are written under the name they were
// registered with (register_layer, register_loss): `layer LeakyReLU alpha=0.1` with the layer's
// settings() as keys, and one array `layer<i>.<name>` per parameter in its parameters() list
// (their optimizer state is not saved). Loading such a file needs the same registration in the
// loading program: a kind it does not know is an error naming the kind.
#pragma once

#include "nnfs/metrics/accuracy.hpp"
#include "nnfs/optimizers/adagrad.hpp"
#include "nnfs/optimizers/adam.hpp"
#include "nnfs/losses/binary_crossentropy.hpp"
#include "nnfs/losses/categorical_crossentropy.hpp"
#include "nnfs/layers/dense.hpp"
#include "nnfs/detail/crc32.hpp"
#include "nnfs/detail/file.hpp"
#include "nnfs/detail/kind_name.hpp"
#include "nnfs/model/parts.hpp"
#include "nnfs/layers/dropout.hpp"
#include "nnfs/layers/layer.hpp"
#include "nnfs/layers/identity.hpp"
#include "nnfs/losses/mean_absolute_error.hpp"
#include "nnfs/losses/mean_squared_error.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/model/model.hpp"
#include "nnfs/layers/regularization.hpp"
#include "nnfs/layers/relu.hpp"
#include "nnfs/optimizers/rmsprop.hpp"
#include "nnfs/optimizers/sgd.hpp"
#include "nnfs/layers/sigmoid.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace nnfs {
namespace detail {

static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4, "model files need IEEE-754 float");
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

/// The Dense-layer fields of a model file (the array names' suffixes).
enum class ModelFileField { weights, biases, weight_momentums, weight_cache, bias_momentums, bias_cache };

inline const char* to_string(ModelFileField f) {
  switch (f) {
    case ModelFileField::weights: return "weights";
    case ModelFileField::biases: return "biases";
    case ModelFileField::weight_momentums: return "weight_momentums";
    case ModelFileField::weight_cache: return "weight_cache";
    case ModelFileField::bias_momentums: return "bias_momentums";
    case ModelFileField::bias_cache: return "bias_cache";
  }
  return "?";
}

inline constexpr ModelFileField model_file_fields[] = {
    ModelFileField::weights,      ModelFileField::biases,         ModelFileField::weight_momentums,
    ModelFileField::weight_cache, ModelFileField::bias_momentums, ModelFileField::bias_cache};

/// Whether an optimizer of `kind` (SGD: with `momentum`) keeps the state array `field`.
inline bool optimizer_keeps(OptimizerKind kind, double momentum, ModelFileField field) {
  const bool momentums = field == ModelFileField::weight_momentums || field == ModelFileField::bias_momentums;
  const bool cache = field == ModelFileField::weight_cache || field == ModelFileField::bias_cache;
  switch (kind) {
    case OptimizerKind::sgd: return momentums && momentum != 0.0;
    case OptimizerKind::adagrad:
    case OptimizerKind::rmsprop: return cache;
    case OptimizerKind::adam: return momentums || cache;
  }
  return false;
}

template <class T>
Matrix<T>& dense_field(Dense<T>& d, ModelFileField f) {
  switch (f) {
    case ModelFileField::weights: return d.weights;
    case ModelFileField::biases: return d.biases;
    case ModelFileField::weight_momentums: return d.weight_momentums;
    case ModelFileField::weight_cache: return d.weight_cache;
    case ModelFileField::bias_momentums: return d.bias_momentums;
    case ModelFileField::bias_cache: return d.bias_cache;
  }
  return d.weights;
}

inline const char* optimizer_setting_names(OptimizerKind kind, std::size_t i) {
  static const char* const sgd[] = {"momentum"};
  static const char* const adagrad[] = {"epsilon"};
  static const char* const rmsprop[] = {"epsilon", "rho"};
  static const char* const adam[] = {"epsilon", "beta_1", "beta_2"};
  switch (kind) {
    case OptimizerKind::sgd: return i < 1 ? sgd[i] : nullptr;
    case OptimizerKind::adagrad: return i < 1 ? adagrad[i] : nullptr;
    case OptimizerKind::rmsprop: return i < 2 ? rmsprop[i] : nullptr;
    case OptimizerKind::adam: return i < 3 ? adam[i] : nullptr;
  }
  return nullptr;
}

inline const char* accuracy_file_name(AccuracyKind k) {
  switch (k) {
    case AccuracyKind::categorical: return "categorical";
    case AccuracyKind::binary: return "binary";
    case AccuracyKind::regression: return "regression";
  }
  return "?";
}

/// What a file made from `model` holds. Throws std::logic_error for a model without layers and
/// std::invalid_argument for one that could not be loaded back (no Dense layer, widths that do
/// not chain, non-finite parameters, biases that are not 1×neurons).
template <class T>
ModelFileContents model_file_contents(const Model<T>& model, bool include_optimizer_state) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "model files hold float32 or float64");
  if (model.size() == 0) throw std::logic_error("Model::save: the model has no layers");
  ModelFileContents c;
  c.float64 = std::is_same_v<T, double>;
  const detail::ModelOptimizer<T>* optimizer = model.optimizer();
  const bool state = include_optimizer_state && optimizer != nullptr;
  const double momentum =
      optimizer != nullptr && optimizer->kind() == OptimizerKind::sgd ? optimizer->settings().at(0) : 0.0;

  Index width = -1;
  for (std::size_t i = 0; i < model.size(); ++i) {
    // Layer::dense() is not const; it is only read here.
    Layer<T>& layer = const_cast<Layer<T>&>(model.layer(i));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    try {
      width = layer.output_width(width);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("Model::save: layer {} ({}): {}", i, layer.describe(), e.what()));
    }
    switch (layer.kind()) {
      case LayerKind::dense: {
        Dense<T>& d = *layer.dense();
        const Regularization& r = d.regularization;
        r.validate("Model::save");
        if (d.weights.size() == 0 || d.biases.rows() != 1 || d.biases.cols() != d.weights.cols())
          throw std::invalid_argument(fmt::format("Model::save: layer {} has weights {} and biases {} (biases must be 1{}n_neurons)",
                                                  i, shape_str(d.weights), shape_str(d.biases), "\u00d7"));
        c.items.push_back(fmt::format("layer Dense inputs={} neurons={} weight_l1={} weight_l2={} bias_l1={} bias_l2={}",
                                      d.n_inputs(), d.n_neurons(), r.weight_l1, r.weight_l2, r.bias_l1, r.bias_l2));
        for (const ModelFileField f : model_file_fields) {
          const bool parameter = f == ModelFileField::weights || f == ModelFileField::biases;
          if (!parameter && !(state && optimizer_keeps(optimizer->kind(), momentum, f))) continue;
          const Matrix<T>& m = dense_field(d, f);
          const bool of_weights = f == ModelFileField::weights || f == ModelFileField::weight_momentums ||
                                  f == ModelFileField::weight_cache;
          const Matrix<T>& shape_of = of_weights ? d.weights : d.biases;
          // State of another shape belongs to replaced parameters: the optimizer would start it
          // over, and so does the loaded model.
          if (!parameter && (m.rows() != shape_of.rows() || m.cols() != shape_of.cols())) continue;
          if (!m.allFinite())
            throw std::invalid_argument(fmt::format(
                "Model::save: layer {} {} hold NaN or infinite values: the file could not be loaded", i, to_string(f)));
          ModelFileArray a;
          a.name = fmt::format("layer{}.{}", i, to_string(f));
          a.rows = m.rows();
          a.cols = m.cols();
          a.values.assign(m.data(), m.data() + m.size());
          c.arrays.push_back(std::move(a));
        }
        break;
      }
      case LayerKind::dropout:
        c.items.push_back(fmt::format("layer Dropout rate={}", layer.dropout_rate()));
        break;
      case LayerKind::custom: {
        if (find_layer_kind<T>(layer.type()) == nullptr)
          throw std::invalid_argument(fmt::format(
              "Model::save: layer {} ({}) is a layer of your own that is not registered: call "
              "nnfs::register_layer<...>(\"Name\", make) before saving",
              i, layer.describe()));
        std::string line = fmt::format("layer {}", layer.name());
        for (const auto& [key, value] : layer.settings()) {
          if (!is_kind_name(key) || !std::isfinite(value))
            throw std::invalid_argument(fmt::format("Model::save: layer {} ({}) has setting '{}' = {}: settings are "
                                                    "finite numbers under names of letters, digits and '_'",
                                                    i, layer.name(), key, value));
          line += fmt::format(" {}={}", key, value);
        }
        c.items.push_back(std::move(line));
        std::vector<Parameter<T>> params;
        layer.parameters(params);
        for (const Parameter<T>& p : params) {
          if (!is_kind_name(p.name))
            throw std::invalid_argument(fmt::format("Model::save: layer {} ({}) has a parameter named '{}': parameter "
                                                    "names are letters, digits and '_'",
                                                    i, layer.name(), p.name));
          if (p.value->size() == 0 || !p.value->allFinite())
            throw std::invalid_argument(fmt::format(
                "Model::save: layer {} {} is empty or holds NaN or infinite values: the file could not be loaded", i,
                p.name));
          ModelFileArray a;
          a.name = fmt::format("layer{}.{}", i, p.name);
          a.rows = p.value->rows();
          a.cols = p.value->cols();
          a.values.assign(p.value->data(), p.value->data() + p.value->size());
          c.arrays.push_back(std::move(a));
        }
        break;
      }
      default:
        c.items.push_back(fmt::format("layer {}", to_string(layer.kind())));
        break;
    }
  }

  if (model.input_width() < 0)
    throw std::invalid_argument("Model::save: the model has no Dense layer (a model file holds at least one)");

  if (model.loss() != nullptr && model.loss()->kind() == LossKind::custom &&
      find_loss_kind<T>(model.loss()->type()) == nullptr)
    throw std::invalid_argument(fmt::format("Model::save: the loss {} is a loss of your own that is not registered: "
                                            "call nnfs::register_loss<...>(\"Name\") before saving",
                                            model.loss()->name()));
  c.items.push_back(model.loss() ? fmt::format("loss {}", model.loss()->name()) : std::string("loss none"));

  if (const detail::ModelAccuracy<T>* a = model.accuracy()) {
    std::string line = fmt::format("accuracy {}", accuracy_file_name(a->kind()));
    const auto* regression = dynamic_cast<const detail::AccuracyAdapter<T, RegressionAccuracy>*>(a);
    if (regression != nullptr && regression->accuracy.initialised()) {
      const double p = regression->accuracy.precision();
      if (!(p >= 0.0) || !std::isfinite(p))
        throw std::invalid_argument(fmt::format("Model::save: the regression accuracy's precision is {}", p));
      line += fmt::format(" precision={}", p);
    }
    c.items.push_back(std::move(line));
  } else {
    c.items.emplace_back("accuracy none");
  }

  if (optimizer != nullptr) {
    std::string line = fmt::format("optimizer {} learning_rate={} decay={}", to_string(optimizer->kind()),
                                   optimizer->learning_rate(), optimizer->decay());
    const std::vector<double> settings = optimizer->settings();
    for (std::size_t k = 0; k < settings.size(); ++k)
      line += fmt::format(" {}={}", optimizer_setting_names(optimizer->kind(), k), settings[k]);
    if (state)
      line += fmt::format(" iterations={} current_learning_rate={}", optimizer->iterations(),
                          optimizer->current_learning_rate());
    c.items.push_back(std::move(line));
  } else {
    c.items.emplace_back("optimizer none");
  }
  return c;
}

// ------------------------------------------------------------------------------ reading

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

using ModelFileOptimizer = std::variant<SGD, Adagrad, RMSprop, Adam>;

struct ModelFileLine {
  std::size_t number = 0;
  std::string_view text;
};

struct ModelFileLayer {
  LayerKind kind = LayerKind::relu;
  std::string custom_name;  // a registered layer of your own: its name and settings
  Settings settings;
  std::int64_t inputs = 0;
  std::int64_t neurons = 0;
  Regularization regularization;
  double rate = 0.0;
  ModelFileLine line;
};

struct ModelFileArraySpec {
  std::string name;
  std::size_t layer = 0;
  ModelFileField field = ModelFileField::weights;
  std::string custom_field;  // a parameter of a layer of your own
  std::uint64_t rows = 0;
  std::uint64_t cols = 0;
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;
  ModelFileLine line;
};

/// A model file's header, parsed and checked line by line.
struct ModelFileHeader {
  bool big_endian = false;
  bool float64 = false;
  std::vector<ModelFileLayer> layers;
  std::optional<LossKind> loss;
  std::string custom_loss;  // LossKind::custom: the registered name
  std::optional<AccuracyKind> accuracy;
  std::optional<double> precision;
  std::optional<ModelFileOptimizer> optimizer;  // constructed (so checked), state restored
  OptimizerKind optimizer_kind = OptimizerKind::sgd;
  double momentum = 0.0;
  bool optimizer_state = false;
  ModelFileLine optimizer_line;
  std::vector<ModelFileArraySpec> arrays;
  std::uint64_t payload = 0;
  std::size_t header_bytes = 0;  // through "end\n"
};

/// Reads and checks a model file's bytes; every failure throws std::runtime_error("<what>: ...").
class ModelFileReader {
 public:
  ModelFileReader(std::string_view bytes, std::string_view what) : bytes_(bytes), what_(what) {}

  /// The header, checked: magic, version, byte order, the scalar (float64 for a
  /// Model<double>), and the grammar of every line.
  ModelFileHeader read_header(bool want_float64) {
    ModelFileHeader h;
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
      h.layers.push_back(parse_layer(lines_[i++], h.float64));
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
  void check_size_and_crc(const ModelFileHeader& h) const {
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

  /// Widths that chain and arrays that match the layers: one weights and one biases array per
  /// Dense layer, state arrays only as the optimizer keeps them, all inside the payload,
  /// 8-byte aligned and not overlapping.
  void check_structure(const ModelFileHeader& h) const {
    if (std::none_of(h.layers.begin(), h.layers.end(), [](const ModelFileLayer& l) { return l.kind == LayerKind::dense; }))
      fail("the model has no Dense layer (a model file holds at least one)");
    std::int64_t width = -1;
    std::size_t from = 0;
    for (std::size_t i = 0; i < h.layers.size(); ++i) {
      const ModelFileLayer& l = h.layers[i];
      if (l.kind == LayerKind::custom) width = -1;  // it may change the width: finalize() checks
      if (l.kind != LayerKind::dense) continue;
      if (width >= 0 && l.inputs != width)
        fail_line(l.line, fmt::format("layer {} Dense({}, {}) takes {} inputs, but layer {} before it gives {}", i,
                                      l.inputs, l.neurons, l.inputs, from, width));
      width = l.neurons;
      from = i;
    }
    const std::uint64_t item = h.float64 ? 8 : 4;
    std::vector<const ModelFileArraySpec*> seen(h.layers.size() * 6, nullptr);
    for (const ModelFileArraySpec& a : h.arrays) {
      if (a.layer >= h.layers.size())
        fail_line(a.line, fmt::format("array {} names layer {}, but the model has {} layers (0 to {})", a.name, a.layer,
                                      h.layers.size(), h.layers.size() - 1));
      const ModelFileLayer& l = h.layers[a.layer];
      if (l.kind == LayerKind::custom) {
        check_placement(h, a, item);  // names and shapes: against the layer once made
        continue;
      }
      if (l.kind != LayerKind::dense)
        fail_line(a.line, fmt::format("array {}: layer {} is {}, which has no parameters", a.name, a.layer,
                                      to_string(l.kind)));
      const bool parameter = a.field == ModelFileField::weights || a.field == ModelFileField::biases;
      if (!parameter) {
        if (!h.optimizer)
          fail_line(a.line, fmt::format("array {} is optimizer state, but the file has no optimizer", a.name));
        if (!h.optimizer_state)
          fail_line(a.line, fmt::format("array {} is optimizer state, but the optimizer line (line {}) has no "
                                        "iterations= and current_learning_rate=",
                                        a.name, h.optimizer_line.number));
        if (!optimizer_keeps(h.optimizer_kind, h.momentum, a.field))
          fail_line(a.line, fmt::format("array {}: {} keeps no {}{}", a.name, to_string(h.optimizer_kind),
                                        to_string(a.field),
                                        h.optimizer_kind == OptimizerKind::sgd ? " (SGD keeps momentums only with "
                                                                                 "momentum > 0)"
                                                                               : ""));
      }
      const std::size_t slot = a.layer * 6 + static_cast<std::size_t>(a.field);
      if (seen[slot] != nullptr)
        fail_line(a.line, fmt::format("duplicate array {} (also on line {})", a.name, seen[slot]->line.number));
      seen[slot] = &a;
      const bool of_weights = a.field == ModelFileField::weights || a.field == ModelFileField::weight_momentums ||
                              a.field == ModelFileField::weight_cache;
      const auto want_rows = static_cast<std::uint64_t>(of_weights ? l.inputs : 1);
      const auto want_cols = static_cast<std::uint64_t>(l.neurons);
      if (a.rows != want_rows || a.cols != want_cols)
        fail_line(a.line, fmt::format("{} has shape {}{}{} but layer {} is Dense({}, {}), whose {} are {}{}{}", a.name,
                                      a.rows, "\u00d7", a.cols, a.layer, l.inputs, l.neurons,
                                      of_weights ? "weights" : "biases", want_rows, "\u00d7", want_cols));
      check_placement(h, a, item);
    }
    for (std::size_t i = 0; i < h.layers.size(); ++i) {
      if (h.layers[i].kind != LayerKind::dense) continue;
      for (const ModelFileField f : {ModelFileField::weights, ModelFileField::biases})
        if (seen[i * 6 + static_cast<std::size_t>(f)] == nullptr)
          fail(fmt::format("missing array layer{}.{}: layer {} (line {}) is Dense({}, {})", i, to_string(f), i,
                           h.layers[i].line.number, h.layers[i].inputs, h.layers[i].neurons));
    }
    check_overlaps(h);
  }

  /// An array's byte count against its shape, its alignment and its place in the payload.
  void check_placement(const ModelFileHeader& h, const ModelFileArraySpec& a, std::uint64_t item) const {
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
  void check_overlaps(const ModelFileHeader& h) const {
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
  template <class T>
  Matrix<T> read_array(const ModelFileHeader& h, const ModelFileArraySpec& a) const {
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
  [[noreturn]] void fail(const std::string& message) const {
    throw std::runtime_error(fmt::format("{}: {}", what_, message));
  }

  [[noreturn]] void fail_line(const ModelFileLine& l, const std::string& message) const {
    std::string hint;
    if (!l.text.empty() && l.text.back() == '\r') hint = " (the line ends with a carriage return: was the file converted to CRLF text?)";
    fail(fmt::format("line {} {}: {}{}", l.number, model_file_quote(l.text), message, hint));
  }

  void check_magic() const {
    constexpr std::string_view magic = "nnfs-model ";
    if (bytes_.empty()) fail("empty file (0 bytes): not an nnfs model file");
    if (bytes_.size() < magic.size() && magic.substr(0, bytes_.size()) == bytes_)
      fail(fmt::format("truncated: only {} bytes, the start of an nnfs model file's first line", bytes_.size()));
    if (bytes_.substr(0, magic.size()) != magic) {
      std::string kind;
      if (bytes_.substr(0, 6) == "\x93NUMPY")
        kind = " (it is a NumPy .npy file: read it with nnfs::load_npy)";
      else if (bytes_.substr(0, 4) == std::string_view("PK\x03\x04", 4))
        kind = " (it is a ZIP archive, e.g. a NumPy .npz file)";
      else if (bytes_.substr(0, 2) == "\x1f\x8b")
        kind = " (it is gzip-compressed)";
      fail(fmt::format("not an nnfs model file: it starts with {}, not 'nnfs-model'{}", model_file_quote(bytes_, 16),
                       kind));
    }
    // The version, before anything else: a newer file may be laid out differently.
    const std::size_t end = bytes_.find('\n');
    if (end == std::string_view::npos && bytes_.size() < 64)
      fail(fmt::format("truncated: the file ends inside its first line {}", model_file_quote(bytes_)));
    const std::string_view version = bytes_.substr(magic.size(), std::min<std::size_t>(end, 64) - magic.size());
    unsigned v = 0;
    const auto r = std::from_chars(version.data(), version.data() + version.size(), v);
    if (r.ec != std::errc() || r.ptr != version.data() + version.size() || version.empty() ||
        (version.size() > 1 && version[0] == '0') || end == std::string_view::npos)
      fail(fmt::format("line 1 {}: expected 'nnfs-model <version>'", model_file_quote(bytes_.substr(0, std::min<std::size_t>(end, 64)))));
    if (v > model_file_version)
      fail(fmt::format("file format version {} is newer than this nnfs reads ({})", v, model_file_version));
    if (v != model_file_version) fail(fmt::format("unknown file format version {} (this nnfs reads {})", v, model_file_version));
  }

  void split_lines() {
    const std::size_t limit = std::min(bytes_.size(), model_file_max_header_bytes);
    std::size_t pos = 0;
    while (true) {
      const std::size_t nl = bytes_.substr(0, limit).find('\n', pos);
      if (nl == std::string_view::npos) {
        if (limit == bytes_.size())
          fail(fmt::format("truncated: the header stops after {} lines ({} bytes) without its 'end' line", lines_.size(),
                           bytes_.size()));
        fail(fmt::format("no 'end' line in the first {} bytes: the header is longer than nnfs reads (or this is not a "
                         "model file)",
                         model_file_max_header_bytes));
      }
      if (lines_.size() == model_file_max_header_lines)
        fail(fmt::format("the header has more than {} lines", model_file_max_header_lines));
      lines_.push_back(ModelFileLine{lines_.size() + 1, bytes_.substr(pos, nl - pos)});
      pos = nl + 1;
      if (lines_.back().text == "end") break;
    }
    header_bytes_ = pos;
  }

  static std::string_view first_token(std::string_view line) { return line.substr(0, line.find(' ')); }

  /// The line's space-separated words; an empty word (two spaces, a leading or trailing space)
  /// is an error.
  std::vector<std::string_view> tokens(const ModelFileLine& l) const {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (true) {
      const std::size_t sp = l.text.find(' ', pos);
      const std::string_view t = l.text.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
      if (t.empty()) fail_line(l, "words must be separated by single spaces");
      out.push_back(t);
      if (sp == std::string_view::npos) break;
      pos = sp + 1;
    }
    return out;
  }

  const ModelFileLine& expect(std::size_t i, std::string_view keyword, const char* expected) const {
    if (first_token(lines_[i].text) != keyword) fail_line(lines_[i], fmt::format("expected {}", expected));
    return lines_[i];
  }

  /// key=value words from t[first...]: every key in `required` or `optional`, none twice, all
  /// of `required` present.
  struct Keys {
    std::vector<std::pair<std::string_view, std::string_view>> items;
    std::optional<std::string_view> get(std::string_view key) const {
      for (const auto& [k, v] : items)
        if (k == key) return v;
      return std::nullopt;
    }
  };

  Keys keys(const ModelFileLine& l, const std::vector<std::string_view>& t, std::size_t first,
            const std::vector<std::string_view>& required, const std::vector<std::string_view>& optional = {}) const {
    Keys out;
    const auto known = [&](std::string_view k) {
      return std::find(required.begin(), required.end(), k) != required.end() ||
             std::find(optional.begin(), optional.end(), k) != optional.end();
    };
    const auto expected_keys = [&] {
      std::string s;
      for (const auto& k : required) s += (s.empty() ? "" : ", ") + std::string(k);
      for (const auto& k : optional) s += (s.empty() ? "" : ", ") + std::string(k);
      return s.empty() ? std::string("none") : s;
    };
    for (std::size_t k = first; k < t.size(); ++k) {
      const std::size_t eq = t[k].find('=');
      if (eq == std::string_view::npos)
        fail_line(l, fmt::format("expected key=value, got {} (keys: {})", model_file_quote(t[k]), expected_keys()));
      const std::string_view key = t[k].substr(0, eq);
      if (!known(key)) fail_line(l, fmt::format("unknown key {} (keys: {})", model_file_quote(key), expected_keys()));
      if (out.get(key)) fail_line(l, fmt::format("duplicate key {}", model_file_quote(key)));
      out.items.emplace_back(key, t[k].substr(eq + 1));
    }
    for (const auto& k : required)
      if (!out.get(k)) fail_line(l, fmt::format("missing key '{}'", k));
    return out;
  }

  double finite_number(const ModelFileLine& l, std::string_view key, std::string_view text) const {
    double v = 0.0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec == std::errc::result_out_of_range || (r.ec == std::errc() && r.ptr == text.data() + text.size() && !std::isfinite(v)))
      fail_line(l, fmt::format("{} must be a finite number, got {}", key, model_file_quote(text)));
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
      fail_line(l, fmt::format("{} must be a number, got {}", key, model_file_quote(text)));
    return v;
  }

  double non_negative(const ModelFileLine& l, const Keys& k, std::string_view key) const {
    const double v = finite_number(l, key, *k.get(key));
    if (!(v >= 0.0)) fail_line(l, fmt::format("{} must be >= 0, got {}", key, *k.get(key)));
    return v;
  }

  std::int64_t integer(const ModelFileLine& l, std::string_view key, std::string_view text) const {
    std::int64_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
      fail_line(l, fmt::format("{} must be an integer, got {}", key, model_file_quote(text)));
    return v;
  }

  std::uint64_t unsigned_number(const ModelFileLine& l, std::string_view key, std::string_view text) const {
    std::uint64_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
      fail_line(l, fmt::format("{} must be a non-negative integer, got {}", key, model_file_quote(text)));
    return v;
  }

  ModelFileLayer parse_layer(const ModelFileLine& l, bool float64) const {
    const auto t = tokens(l);
    if (t.size() < 2) fail_line(l, "expected 'layer <kind> [key=value ...]'");
    ModelFileLayer layer;
    layer.line = l;
    const std::string_view kind = t[1];
    if (kind == "Dense") {
      const Keys k = keys(l, t, 2, {"inputs", "neurons", "weight_l1", "weight_l2", "bias_l1", "bias_l2"});
      for (const std::string_view key : {"inputs", "neurons"}) {
        const std::int64_t n = integer(l, key, *k.get(key));
        if (n < 1) fail_line(l, fmt::format("{} must be a positive integer, got {}", key, n));
        (key == "inputs" ? layer.inputs : layer.neurons) = n;
      }
      layer.kind = LayerKind::dense;
      layer.regularization.weight_l1 = non_negative(l, k, "weight_l1");
      layer.regularization.weight_l2 = non_negative(l, k, "weight_l2");
      layer.regularization.bias_l1 = non_negative(l, k, "bias_l1");
      layer.regularization.bias_l2 = non_negative(l, k, "bias_l2");
    } else if (kind == "Dropout") {
      const Keys k = keys(l, t, 2, {"rate"});
      layer.kind = LayerKind::dropout;
      layer.rate = finite_number(l, "rate", *k.get("rate"));
      if (!(layer.rate >= 0.0 && layer.rate < 1.0))
        fail_line(l, fmt::format("rate must be in [0, 1), got {}", *k.get("rate")));
    } else {
      bool found = false;
      for (const LayerKind candidate : {LayerKind::relu, LayerKind::softmax, LayerKind::sigmoid, LayerKind::linear})
        if (kind == to_string(candidate)) {
          layer.kind = candidate;
          found = true;
        }
      if (found) {
        keys(l, t, 2, {});
        return layer;
      }
      const std::vector<std::string> registered =
          float64 ? registered_layer_names<double>() : registered_layer_names<float>();
      if (std::find(registered.begin(), registered.end(), kind) == registered.end()) {
        std::string known = "Dense, ReLU, Dropout, Softmax, Sigmoid, Linear";
        for (const std::string& name : registered) known += ", " + name;
        fail_line(l, fmt::format("unknown layer kind {} (known: {}; a layer of your own must be registered with "
                                 "nnfs::register_layer in the program that loads the file)",
                                 model_file_quote(kind), known));
      }
      layer.kind = LayerKind::custom;
      layer.custom_name = std::string(kind);
      for (std::size_t w = 2; w < t.size(); ++w) {
        const std::size_t eq = t[w].find('=');
        if (eq == std::string_view::npos) fail_line(l, fmt::format("expected key=value, got {}", model_file_quote(t[w])));
        const std::string_view key = t[w].substr(0, eq);
        for (const auto& kv : layer.settings)
          if (kv.first == key) fail_line(l, fmt::format("duplicate key {}", model_file_quote(key)));
        layer.settings.emplace_back(std::string(key), finite_number(l, key, t[w].substr(eq + 1)));
      }
    }
    return layer;
  }

  void parse_loss(const ModelFileLine& l, ModelFileHeader& h) const {
    const auto t = tokens(l);
    if (t.size() != 2) fail_line(l, "expected 'loss <name>' or 'loss none'");
    if (t[1] == "none") return;
    for (const LossKind k : {LossKind::categorical_crossentropy, LossKind::binary_crossentropy,
                             LossKind::mean_squared_error, LossKind::mean_absolute_error})
      if (t[1] == to_string(k)) h.loss = k;
    if (!h.loss && (h.float64 ? find_loss_kind<double>(t[1]) != nullptr : find_loss_kind<float>(t[1]) != nullptr)) {
      h.loss = LossKind::custom;
      h.custom_loss = std::string(t[1]);
    }
    if (!h.loss) {
      std::string known = "CategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError, MeanAbsoluteError";
      const auto add_registered = [&](const auto& registry) {
        for (const auto& k : registry) known += ", " + k.name;
      };
      if (h.float64)
        add_registered(loss_registry<double>());
      else
        add_registered(loss_registry<float>());
      fail_line(l, fmt::format("unknown loss {} (known: {}, none; a loss of your own must be registered with "
                               "nnfs::register_loss in the program that loads the file)",
                               model_file_quote(t[1]), known));
    }
  }

  void parse_accuracy(const ModelFileLine& l, ModelFileHeader& h) const {
    const auto t = tokens(l);
    if (t.size() < 2) fail_line(l, "expected 'accuracy <kind>' or 'accuracy none'");
    if (t[1] == "none") {
      keys(l, t, 2, {});
      return;
    }
    for (const AccuracyKind k : {AccuracyKind::categorical, AccuracyKind::binary, AccuracyKind::regression})
      if (t[1] == accuracy_file_name(k)) h.accuracy = k;
    if (!h.accuracy)
      fail_line(l, fmt::format("unknown accuracy {} (known: categorical, binary, regression, none)",
                               model_file_quote(t[1])));
    if (*h.accuracy != AccuracyKind::regression) {
      keys(l, t, 2, {});
      return;
    }
    const Keys k = keys(l, t, 2, {}, {"precision"});
    if (k.get("precision")) h.precision = non_negative(l, k, "precision");
  }

  void parse_optimizer(const ModelFileLine& l, ModelFileHeader& h) const {
    const auto t = tokens(l);
    if (t.size() < 2) fail_line(l, "expected 'optimizer <name> key=value ...' or 'optimizer none'");
    h.optimizer_line = l;
    if (t[1] == "none") {
      keys(l, t, 2, {});
      return;
    }
    bool found = false;
    for (const OptimizerKind k : {OptimizerKind::sgd, OptimizerKind::adagrad, OptimizerKind::rmsprop, OptimizerKind::adam})
      if (t[1] == to_string(k)) {
        h.optimizer_kind = k;
        found = true;
      }
    if (!found)
      fail_line(l, fmt::format("unknown optimizer {} (known: SGD, Adagrad, RMSprop, Adam, none)", model_file_quote(t[1])));
    std::vector<std::string_view> required = {"learning_rate", "decay"};
    for (std::size_t s = 0; optimizer_setting_names(h.optimizer_kind, s) != nullptr; ++s)
      required.emplace_back(optimizer_setting_names(h.optimizer_kind, s));
    const Keys k = keys(l, t, 2, required, {"iterations", "current_learning_rate"});
    std::vector<double> v;
    v.reserve(required.size());
    for (const std::string_view key : required) v.push_back(finite_number(l, key, *k.get(key)));
    // The optimizer's own constructor checks the ranges (and names the rule that failed).
    try {
      switch (h.optimizer_kind) {
        case OptimizerKind::sgd:
          h.optimizer = SGD(v[0], v[1], v[2]);
          h.momentum = v[2];
          break;
        case OptimizerKind::adagrad: h.optimizer = Adagrad(v[0], v[1], v[2]); break;
        case OptimizerKind::rmsprop: h.optimizer = RMSprop(v[0], v[1], v[2], v[3]); break;
        case OptimizerKind::adam: h.optimizer = Adam(v[0], v[1], v[2], v[3], v[4]); break;
      }
    } catch (const std::invalid_argument& e) {
      fail_line(l, e.what());
    }
    const auto iterations = k.get("iterations");
    const auto current = k.get("current_learning_rate");
    if (iterations.has_value() != current.has_value())
      fail_line(l, "iterations= and current_learning_rate= (the optimizer's state) go together");
    if (!iterations) return;
    h.optimizer_state = true;
    const std::int64_t n = integer(l, "iterations", *iterations);
    const double lr = finite_number(l, "current_learning_rate", *current);
    try {
      std::visit([&](auto& o) { o.restore_state(n, lr); }, *h.optimizer);
    } catch (const std::invalid_argument& e) {
      fail_line(l, e.what());
    }
  }

  ModelFileArraySpec parse_array(const ModelFileLine& l, const ModelFileHeader& h) const {
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
    const bool ok = prefixed && index.size() <= 9 &&
              std::all_of(index.begin(), index.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
              (index.size() == 1 || index[0] != '0');
    bool field_ok = false;
    if (ok) {
      (void)std::from_chars(index.data(), index.data() + index.size(), a.layer);
      if (a.layer < h.layers.size() && h.layers[a.layer].kind == LayerKind::custom &&
          is_kind_name(name.substr(dot + 1))) {
        a.custom_field = std::string(name.substr(dot + 1));
        field_ok = true;
      }
      for (const ModelFileField f : model_file_fields)
        if (name.substr(dot + 1) == to_string(f)) {
          a.field = f;
          field_ok = true;
        }
    }
    if (!ok || !field_ok)
      fail_line(l, fmt::format("array name {} is not layer<i>.<field> with a field among weights, biases, "
                               "weight_momentums, weight_cache, bias_momentums, bias_cache",
                               model_file_quote(name)));
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

  std::string_view bytes_;
  std::string_view what_;
  std::vector<ModelFileLine> lines_;
  std::size_t header_bytes_ = 0;
};

// ------------------------------------------------------------------------------ Model's members

template <class T>
std::string model_to_bytes(const Model<T>& model, bool include_optimizer_state) {
  return model_file_bytes(model_file_contents(model, include_optimizer_state));
}

template <class T>
Model<T> model_from_bytes(std::string_view bytes, std::string_view what) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "model files hold float32 or float64");
  ModelFileReader reader(bytes, what);
  ModelFileHeader h = reader.read_header(std::is_same_v<T, double>);
  reader.check_size_and_crc(h);
  reader.check_structure(h);
  std::vector<Matrix<T>> arrays;
  arrays.reserve(h.arrays.size());
  for (const ModelFileArraySpec& a : h.arrays) arrays.push_back(reader.read_array<T>(h, a));

  // Layers of your own: made from their settings, their parameters matched with the arrays.
  std::vector<std::unique_ptr<Layer<T>>> custom(h.layers.size());
  for (std::size_t i = 0; i < h.layers.size(); ++i) {
    const ModelFileLayer& l = h.layers[i];
    if (l.kind != LayerKind::custom) continue;
    try {
      custom[i] = find_layer_kind<T>(l.custom_name)->make(l.settings);
    } catch (const std::exception& e) {
      reader.fail_at(l.line, fmt::format("{} could not be made from these settings: {}", l.custom_name, e.what()));
    }
    std::vector<Parameter<T>> params;
    custom[i]->parameters(params);
    std::vector<bool> filled(params.size(), false);
    for (std::size_t k = 0; k < h.arrays.size(); ++k) {
      const ModelFileArraySpec& a = h.arrays[k];
      if (a.layer != i) continue;
      std::size_t p = 0;
      while (p < params.size() && params[p].name != a.custom_field) ++p;
      if (p == params.size())
        reader.fail_at(a.line, fmt::format("{}: layer {} ({}) has no parameter '{}'", a.name, i, l.custom_name,
                                           a.custom_field));
      if (filled[p]) reader.fail_at(a.line, fmt::format("duplicate array {}", a.name));
      const Matrix<T>& want = *params[p].value;
      if (static_cast<std::uint64_t>(want.rows()) != a.rows || static_cast<std::uint64_t>(want.cols()) != a.cols)
        reader.fail_at(a.line, fmt::format("{} has shape {}{}{} but layer {} ({}) has {} of shape {}", a.name, a.rows,
                                           "\u00d7", a.cols, i, l.custom_name, a.custom_field, shape_str(want)));
      *params[p].value = std::move(arrays[k]);
      filled[p] = true;
    }
    for (std::size_t p = 0; p < params.size(); ++p)
      if (!filled[p])
        reader.fail_at(l.line, fmt::format("missing array layer{}.{}: layer {} is {}", i, params[p].name, i,
                                           l.custom_name));
  }

  // Everything is checked: build. Nothing below throws on what the file holds.
  std::vector<Matrix<T>*> slots(h.layers.size() * 6, nullptr);  // (layer, field) → its array
  for (std::size_t k = 0; k < h.arrays.size(); ++k)
    slots[h.arrays[k].layer * 6 + static_cast<std::size_t>(h.arrays[k].field)] = &arrays[k];
  const auto array_of = [&](std::size_t layer, ModelFileField f) {
    return slots[layer * 6 + static_cast<std::size_t>(f)];
  };
  Model<T> model;
  for (std::size_t i = 0; i < h.layers.size(); ++i) {
    const ModelFileLayer& l = h.layers[i];
    switch (l.kind) {
      case LayerKind::dense: {
        Dense<T> d(*array_of(i, ModelFileField::weights), *array_of(i, ModelFileField::biases), l.regularization);
        for (const ModelFileField f : model_file_fields)
          if (f != ModelFileField::weights && f != ModelFileField::biases)
            if (Matrix<T>* m = array_of(i, f)) dense_field(d, f) = std::move(*m);
        model.add(std::move(d));
        break;
      }
      case LayerKind::relu: model.add(ReLU<T>()); break;
      case LayerKind::dropout: model.add(Dropout<T>(l.rate)); break;
      case LayerKind::softmax: model.add(Softmax<T>()); break;
      case LayerKind::sigmoid: model.add(Sigmoid<T>()); break;
      case LayerKind::linear: model.add(Linear<T>()); break;
      case LayerKind::custom: model.add_layer(std::move(custom[i])); break;
    }
  }
  if (h.loss) {
    switch (*h.loss) {
      case LossKind::categorical_crossentropy: model.set(CategoricalCrossentropy<T>()); break;
      case LossKind::binary_crossentropy: model.set(BinaryCrossentropy<T>()); break;
      case LossKind::mean_squared_error: model.set(MeanSquaredError<T>()); break;
      case LossKind::mean_absolute_error: model.set(MeanAbsoluteError<T>()); break;
      case LossKind::custom: model.set_loss(find_loss_kind<T>(h.custom_loss)->make()); break;
    }
  }
  if (h.accuracy) {
    if (*h.accuracy == AccuracyKind::regression) {
      RegressionAccuracy a;
      if (h.precision) a.set_precision(*h.precision);
      model.set(a);
    } else {
      model.set(CategoricalAccuracy(*h.accuracy == AccuracyKind::binary));
    }
  }
  if (h.optimizer) std::visit([&](auto& o) { model.set(std::move(o)); }, *h.optimizer);
  model.finalize();
  return model;
}

template <class T>
void model_save(const Model<T>& model, const std::filesystem::path& path, bool include_optimizer_state) {
  write_file_replacing("Model::save", path, model_to_bytes(model, include_optimizer_state));
}

template <class T>
Model<T> model_load(const std::filesystem::path& path) {
  const std::string bytes = read_file_bytes("Model::load", path);
  return model_from_bytes<T>(bytes, fmt::format("Model::load: '{}'", path.string()));
}

}  // namespace detail
}  // namespace nnfs
