// nnfs/io/npy.hpp — NumPy's .npy files: load what numpy.save writes, save what numpy.load reads.
//
//     nnfs::save_npy("X.npy", X);                         // Matrix<float> → '<f4', shape (rows, cols)
//     nnfs::save_npy("y.npy", y);                         // Labels        → '<i4', shape (n,)
//     auto X = nnfs::load_npy<float>("X.npy");            // any numeric dtype → Matrix<float>
//     auto y = nnfs::load_npy_array("y.npy").to_labels(); // any integer dtype → Labels
//
// Writing produces the bytes numpy.save (NumPy 1.24) produces for the same array, header
// padding included, so files can be compared or hashed against NumPy's. Reading accepts format
// versions 1.0, 2.0 and 3.0, little- and big-endian float32/float64, integers of 1 to 8 bytes and
// bools, in C or Fortran order; object arrays (pickles), strings, complex numbers and structured
// dtypes are refused. The parser takes untrusted input: every malformed, truncated or oversized
// file is a std::runtime_error that names the file and what is wrong, never a crash, an
// out-of-bounds read or an allocation larger than the file.
//
// Format reference: numpy/lib/format.py. A file is
//     "\x93NUMPY" major minor | header length (uint16 LE in 1.0, uint32 LE in 2.0/3.0) |
//     header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//             padded with spaces and one '\n' so that the data starts at a multiple of 64 |
//     data: the elements, shape-product × itemsize bytes, in C (row-major) or Fortran order.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/detail/shape.hpp"
#include "nnfs/types.hpp"

#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

namespace detail {

static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4, ".npy float32 needs IEEE-754 float");
static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8, ".npy float64 needs IEEE-754 double");

inline bool host_is_little_endian() noexcept {
  const std::uint16_t probe = 1;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

/// A descr string decoded: kind 'f' (float), 'i' (signed), 'u' (unsigned) or 'b' (bool),
/// the item size in bytes, and whether the data is big-endian ('=' and '|' mean the host's
/// order, as in NumPy).
struct NpyDtype {
  char kind = 0;
  std::size_t size = 0;
  bool big_endian = false;
};

/// Decodes a supported descr; false for anything else (the caller names it in its message).
inline bool npy_decode_descr(std::string_view descr, NpyDtype& out) noexcept {
  if (descr.size() != 3) return false;
  const char order = descr[0];
  const char kind = descr[1];
  const char digit = descr[2];
  if (order != '<' && order != '>' && order != '=' && order != '|') return false;
  if (digit != '1' && digit != '2' && digit != '4' && digit != '8') return false;
  const auto size = static_cast<std::size_t>(digit - '0');
  switch (kind) {
    case 'f':
      if (size != 4 && size != 8) return false;  // float16 and long double are not supported
      break;
    case 'i':
    case 'u':
      break;
    case 'b':
      if (size != 1) return false;
      break;
    default:
      return false;
  }
  out.kind = kind;
  out.size = size;
  out.big_endian = order == '>' || ((order == '=' || order == '|') && !host_is_little_endian());
  return true;
}

/// Why a descr is refused, for messages: object arrays and the other families NumPy has.
inline std::string npy_unsupported_descr(std::string_view descr) {
  std::string why;
  if (descr.size() >= 2) {
    switch (descr[1]) {
      case 'O': why = "object arrays (pickled Python objects) cannot be loaded"; break;
      case 'U': case 'S': case 'a': why = "string arrays are not numeric"; break;
      case 'c': why = "complex numbers are not supported"; break;
      case 'V': why = "void/structured dtypes are not supported"; break;
      case 'M': case 'm': why = "datetime/timedelta arrays are not supported"; break;
      case 'f': why = "only float32 and float64 are supported"; break;
      default: break;
    }
  }
  if (why.empty()) why = "not a supported numeric dtype";
  return fmt::format("unsupported dtype '{}': {} (supported: float32/float64, signed and unsigned "
                     "integers of 1, 2, 4 or 8 bytes, and bool, in either byte order)",
                     descr, why);
}

/// A shape as Python prints a tuple: "()", "(5,)", "(2, 3)".
inline std::string npy_shape_str(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// Product of the dimensions, or false when a dimension is negative or the product does not
/// fit in an int64 (a hostile header can claim 2^62 × 2^62 elements).
inline bool npy_element_count(const std::vector<std::int64_t>& shape, std::int64_t& count) noexcept {
  return shape_element_count(shape, count);
}

/// Data bytes of `count` elements of `itemsize` bytes, or false when that overflows int64.
inline bool npy_byte_count(std::int64_t count, std::size_t itemsize, std::int64_t& bytes) noexcept {
  const auto size = static_cast<std::int64_t>(itemsize);
  if (count > std::numeric_limits<std::int64_t>::max() / size) return false;
  bytes = count * size;
  return true;
}

/// One element of type S read from unaligned bytes, byte-swapped when the data's order is not
/// the host's. Bools read as 0/1 (any non-zero byte is true, as NumPy reads them).
template <class S>
S npy_load(const char* p, bool swap) noexcept {
  if constexpr (std::is_same_v<S, bool>) {
    return static_cast<unsigned char>(*p) != 0;
  } else {
    unsigned char b[sizeof(S)];
    std::memcpy(b, p, sizeof(S));
    if (swap) std::reverse(b, b + sizeof(S));
    S v;
    std::memcpy(&v, b, sizeof(S));
    return v;
  }
}

/// Appends `v` in little-endian byte order.
template <class S>
void npy_store_le(char* p, S v) noexcept {
  if constexpr (std::is_same_v<S, bool>) {
    *p = v ? 1 : 0;
  } else {
    unsigned char b[sizeof(S)];
    std::memcpy(b, &v, sizeof(S));
    if (!host_is_little_endian()) std::reverse(b, b + sizeof(S));
    std::memcpy(p, b, sizeof(S));
  }
}

template <class S>
struct NpyTag {
  using type = S;
};

/// Calls f(NpyTag<S>{}) with S the C++ type of the dtype's elements.
template <class F>
void npy_visit(const NpyDtype& t, F&& f) {
  switch (t.kind) {
    case 'f':
      if (t.size == 4) return f(NpyTag<float>{});
      return f(NpyTag<double>{});
    case 'i':
      if (t.size == 1) return f(NpyTag<std::int8_t>{});
      if (t.size == 2) return f(NpyTag<std::int16_t>{});
      if (t.size == 4) return f(NpyTag<std::int32_t>{});
      return f(NpyTag<std::int64_t>{});
    case 'u':
      if (t.size == 1) return f(NpyTag<std::uint8_t>{});
      if (t.size == 2) return f(NpyTag<std::uint16_t>{});
      if (t.size == 4) return f(NpyTag<std::uint32_t>{});
      return f(NpyTag<std::uint64_t>{});
    default:
      return f(NpyTag<bool>{});
  }
}

/// The descr numpy.save writes for an element type ('<' for multi-byte types: nnfs always
/// writes little-endian, whatever the host).
template <class S>
constexpr const char* npy_descr_of() {
  if constexpr (std::is_same_v<S, bool>) return "|b1";
  else if constexpr (std::is_same_v<S, float>) return "<f4";
  else if constexpr (std::is_same_v<S, double>) return "<f8";
  else if constexpr (std::is_integral_v<S> && std::is_signed_v<S> && sizeof(S) == 1) return "|i1";
  else if constexpr (std::is_integral_v<S> && std::is_signed_v<S> && sizeof(S) == 2) return "<i2";
  else if constexpr (std::is_integral_v<S> && std::is_signed_v<S> && sizeof(S) == 4) return "<i4";
  else if constexpr (std::is_integral_v<S> && std::is_signed_v<S> && sizeof(S) == 8) return "<i8";
  else if constexpr (std::is_integral_v<S> && std::is_unsigned_v<S> && sizeof(S) == 1) return "|u1";
  else if constexpr (std::is_integral_v<S> && std::is_unsigned_v<S> && sizeof(S) == 2) return "<u2";
  else if constexpr (std::is_integral_v<S> && std::is_unsigned_v<S> && sizeof(S) == 4) return "<u4";
  else if constexpr (std::is_integral_v<S> && std::is_unsigned_v<S> && sizeof(S) == 8) return "<u8";
  else static_assert(sizeof(S) == 0, "no .npy dtype for this scalar type (use float, double, bool or a fixed-size integer)");
}

/// Whether integer (or bool) `v` is representable as integer type T.
template <class T, class S>
bool npy_fits(S v) noexcept {
  if constexpr (std::is_same_v<S, bool>) {
    return true;
  } else if constexpr (std::is_signed_v<S>) {
    if (v < 0) {
      if constexpr (std::is_signed_v<T>)
        return static_cast<std::int64_t>(v) >= static_cast<std::int64_t>(std::numeric_limits<T>::min());
      else
        return false;
    }
    return static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  } else {
    return static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  }
}

/// A dtype's name for messages: "float32 '<f4'".
inline std::string npy_dtype_name(const NpyDtype& t, std::string_view descr) {
  const char* family = t.kind == 'f' ? "float" : t.kind == 'i' ? "int" : t.kind == 'u' ? "uint" : "bool";
  if (t.kind == 'b') return fmt::format("bool '{}'", descr);
  return fmt::format("{}{} '{}'", family, t.size * 8, descr);
}

/// A header or data excerpt for messages: printable ASCII kept, everything else escaped, cut
/// after `limit` characters.
inline std::string npy_escape(std::string_view s, std::size_t limit = 80) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += fmt::format("\\x{:02x}", static_cast<unsigned>(c));
  }
  if (s.size() > limit) out += "...";
  return out;
}

/// The strict parser of the header dict. Accepts what Python's literal_eval would accept for
/// the three keys and nothing else: the keys in any order, each once; whitespace anywhere
/// between tokens; an optional trailing comma in the dict and in the shape tuple; 'single' or
/// "double" quotes without escapes; True/False; non-negative decimal dims (with Python 2's
/// trailing 'L' in format versions 1.0/2.0, as NumPy's own reader allows).
class NpyHeaderParser {
 public:
  NpyHeaderParser(std::string_view text, std::string_view what, bool allow_long_suffix)
      : s_(text), what_(what), allow_long_suffix_(allow_long_suffix) {}

  void parse(std::string& descr, std::vector<std::int64_t>& shape, bool& fortran_order) {
    bool have_descr = false, have_order = false, have_shape = false;
    skip_ws();
    expect('{', "a dict '{...}'");
    skip_ws();
    while (!peek('}')) {
      const std::string key = string_literal("a key");
      skip_ws();
      expect(':', "':' after a key");
      skip_ws();
      const auto once = [&](bool& seen) {
        if (seen) fail(fmt::format("key '{}' appears twice", key));
        seen = true;
      };
      if (key == "descr") {
        once(have_descr);
        if (peek('['))
          fail(fmt::format("unsupported dtype {}: structured dtypes (a list of fields) are not supported",
                           npy_escape(s_.substr(pos_), 60)));
        descr = string_literal("the descr string");
      } else if (key == "fortran_order") {
        once(have_order);
        fortran_order = boolean();
      } else if (key == "shape") {
        once(have_shape);
        shape = tuple();
      } else {
        fail(fmt::format("unexpected key '{}' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')",
                         npy_escape(key)));
      }
      skip_ws();
      if (eat(',')) {
        skip_ws();
        continue;
      }
      if (!peek('}')) fail("expected ',' or '}' after a value");
    }
    ++pos_;  // '}'
    skip_ws();
    if (pos_ != s_.size()) fail("unexpected text after the closing '}'");
    if (!have_descr || !have_order || !have_shape)
      fail(fmt::format("missing key{}{}{}", have_descr ? "" : " 'descr'", have_order ? "" : " 'fortran_order'",
                       have_shape ? "" : " 'shape'"));
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error(fmt::format("{}: malformed .npy header: {} (at offset {} of the header '{}')", what_,
                                         why, pos_, npy_escape(s_, 120)));
  }
  static bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }
  void skip_ws() noexcept {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  bool peek(char c) const noexcept { return pos_ < s_.size() && s_[pos_] == c; }
  bool eat(char c) noexcept {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  void expect(char c, const char* what) {
    if (!eat(c)) fail(std::string("expected ") + what);
  }
  bool eat_word(std::string_view w) noexcept {
    if (s_.substr(pos_, w.size()) != w) return false;
    const std::size_t end = pos_ + w.size();
    // "Trueish" is not True
    if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) != 0 || s_[end] == '_')) return false;
    pos_ = end;
    return true;
  }
  std::string string_literal(const char* what) {
    if (!peek('\'') && !peek('"')) fail(std::string("expected ") + what + " in quotes");
    const char quote = s_[pos_++];
    const std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\') fail("escape sequences in strings are not supported");
      if (s_[pos_] == '\n') fail("unterminated string");
      ++pos_;
    }
    if (pos_ == s_.size()) fail("unterminated string");
    return std::string(s_.substr(start, pos_++ - start));
  }
  bool boolean() {
    if (eat_word("True")) return true;
    if (eat_word("False")) return false;
    fail("fortran_order must be True or False");
  }
  std::int64_t dimension() {
    if (pos_ >= s_.size() || std::isdigit(static_cast<unsigned char>(s_[pos_])) == 0)
      fail("a shape dimension must be a non-negative integer");
    const std::size_t start = pos_;
    std::int64_t v = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])) != 0) {
      const int digit = s_[pos_] - '0';
      if (v > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
        fail("a shape dimension does not fit in a 64-bit integer");
      v = v * 10 + digit;
      ++pos_;
    }
    if (pos_ - start > 1 && s_[start] == '0') fail("a shape dimension has a leading zero");
    if (allow_long_suffix_ && (peek('L') || peek('l'))) ++pos_;
    return v;
  }
  std::vector<std::int64_t> tuple() {
    expect('(', "the shape to be a tuple '(...)'");
    std::vector<std::int64_t> dims;
    skip_ws();
    if (eat(')')) return dims;
    for (;;) {
      dims.push_back(dimension());
      skip_ws();
      if (eat(')')) {
        // "(5)" is the integer 5 in Python, not a tuple
        if (dims.size() == 1) fail("a 1-D shape needs a trailing comma, as in (5,)");
        return dims;
      }
      expect(',', "',' or ')' in the shape");
      skip_ws();
      if (eat(')')) return dims;
    }
  }

  std::string_view s_;
  std::string_view what_;
  bool allow_long_suffix_;
  std::size_t pos_ = 0;
};

}  // namespace detail

/// One NumPy array as a .npy file holds it: the dtype descr, the shape, the memory order and
/// the raw element bytes exactly as in the file. `data` must hold size() × itemsize() bytes.
struct NpyArray {
  std::string descr;                // e.g. "<f4", ">f8", "|u1", "|b1"
  std::vector<std::int64_t> shape;  // () for a scalar, (n,) for 1-D, (rows, cols) for 2-D, ...
  bool fortran_order = false;       // true: data is column-major (Fortran order)
  std::string data;                 // raw element bytes, in the byte order descr names

  /// Number of elements: the product of the shape (1 for a 0-D array). Throws
  /// std::invalid_argument when a dimension is negative or the product overflows int64.
  std::int64_t size() const {
    std::int64_t n = 0;
    if (!detail::npy_element_count(shape, n))
      throw std::invalid_argument(
          fmt::format("NpyArray: shape {} has a negative dimension or too many elements", detail::npy_shape_str(shape)));
    return n;
  }

  /// Bytes per element. Throws std::invalid_argument for an unsupported descr.
  std::size_t itemsize() const { return dtype("NpyArray::itemsize").size; }

  /// Number of dimensions.
  std::size_t ndim() const noexcept { return shape.size(); }

  /// The array as a row-major matrix: shape (r, c) → r×c, (n,) → 1×n, () → 1×1, whatever the
  /// file's byte order and memory order. Floats convert as NumPy's astype does (float64 →
  /// float32 rounds to nearest); integers and bools convert to floating-point T freely; for
  /// an integer T, float data is refused and every value must fit in T.
  /// Throws std::invalid_argument for 3-D and higher arrays (naming the shape), for float data
  /// with an integer T, or when the array is inconsistent (unsupported descr, data size not
  /// matching the shape); std::out_of_range naming the index and value when an integer does
  /// not fit in an integer T.
  template <class T>
  Matrix<T> to_matrix() const {
    static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, "to_matrix<T>: T must be a number type");
    static constexpr const char* fn = "NpyArray::to_matrix";
    const detail::NpyDtype t = checked(fn);
    if (shape.size() > 2)
      throw std::invalid_argument(fmt::format("{}: cannot make a matrix of an array of shape {} ({} dimensions); "
                                              "only 0-D, 1-D and 2-D arrays are matrices",
                                              fn, detail::npy_shape_str(shape), shape.size()));
    if (std::is_integral_v<T> && t.kind == 'f')
      throw std::invalid_argument(fmt::format("{}: cannot convert {} values to an integer type", fn,
                                              detail::npy_dtype_name(t, descr)));
    const Index rows = shape.size() == 2 ? static_cast<Index>(shape[0]) : 1;
    const Index cols = shape.size() == 2 ? static_cast<Index>(shape[1]) : shape.size() == 1 ? static_cast<Index>(shape[0]) : 1;
    Matrix<T> out(rows, cols);
    convert_into(t, out.data(), rows, cols, fn);
    return out;
  }

  /// The array as sparse labels: a 1-D (n,) array, or an (n, 1) or (1, n) one, of integers
  /// (any size, either signedness, either byte order) or bools.
  /// Throws std::invalid_argument for float data or any other shape (naming it), or when the
  /// array is inconsistent; std::out_of_range naming the index and value when a value does not
  /// fit in an int32.
  Labels to_labels() const {
    static constexpr const char* fn = "NpyArray::to_labels";
    const detail::NpyDtype t = checked(fn);
    const bool ok_shape = shape.size() == 1 || (shape.size() == 2 && (shape[0] == 1 || shape[1] == 1));
    if (!ok_shape)
      throw std::invalid_argument(fmt::format(
          "{}: labels must be a 1-D array (n,) or a column (n, 1) or row (1, n), got shape {}", fn,
          detail::npy_shape_str(shape)));
    if (t.kind == 'f')
      throw std::invalid_argument(fmt::format("{}: labels must be integers, got {} values", fn,
                                              detail::npy_dtype_name(t, descr)));
    const auto n = static_cast<Index>(size());
    Labels y(n);
    // a column or a row is the same sequence in either memory order
    convert_into(t, y.data(), n, 1, fn);
    return y;
  }

  /// The matrix as a 2-D array of shape (rows, cols) in C order, little-endian: float → '<f4',
  /// double → '<f8', int32 → '<i4' (and the other fixed-size integers and bool likewise).
  /// Accepts any Eigen expression; it is evaluated once.
  template <class Derived>
  static NpyArray from(const Eigen::MatrixBase<Derived>& m) {
    using S = typename Derived::Scalar;
    NpyArray a;
    a.descr = detail::npy_descr_of<S>();
    a.shape = {static_cast<std::int64_t>(m.rows()), static_cast<std::int64_t>(m.cols())};
    // Ref: a row-major matrix with contiguous rows is used in place; anything else is
    // evaluated into a row-major temporary.
    const Eigen::Ref<const Matrix<S>> r(m.derived());
    a.data.resize(static_cast<std::size_t>(r.rows() * r.cols()) * sizeof(S));
    char* p = a.data.data();
    for (Index i = 0; i < r.rows(); ++i)
      for (Index j = 0; j < r.cols(); ++j, p += sizeof(S)) detail::npy_store_le<S>(p, r(i, j));
    return a;
  }

  /// Labels as a 1-D '<i4' array of shape (n,), as NumPy stores a label vector.
  static NpyArray from_labels(const Labels& labels) {
    NpyArray a;
    a.descr = detail::npy_descr_of<std::int32_t>();
    a.shape = {static_cast<std::int64_t>(labels.size())};
    a.data.resize(static_cast<std::size_t>(labels.size()) * sizeof(std::int32_t));
    for (Index i = 0; i < labels.size(); ++i)
      detail::npy_store_le<std::int32_t>(a.data.data() + static_cast<std::size_t>(i) * 4, labels(i));
    return a;
  }

  friend bool operator==(const NpyArray& a, const NpyArray& b) {
    return a.descr == b.descr && a.shape == b.shape && a.fortran_order == b.fortran_order && a.data == b.data;
  }
  friend bool operator!=(const NpyArray& a, const NpyArray& b) { return !(a == b); }

 private:
  detail::NpyDtype dtype(const char* fn) const {
    detail::NpyDtype t;
    if (!detail::npy_decode_descr(descr, t))
      throw std::invalid_argument(fmt::format("{}: {}", fn, detail::npy_unsupported_descr(descr)));
    return t;
  }

  /// The dtype, after checking that data holds exactly the bytes the shape needs.
  detail::NpyDtype checked(const char* fn) const {
    const detail::NpyDtype t = dtype(fn);
    std::int64_t count = 0, bytes = 0;
    if (!detail::npy_element_count(shape, count) || !detail::npy_byte_count(count, t.size, bytes))
      throw std::invalid_argument(fmt::format("{}: shape {} has a negative dimension or too many elements", fn,
                                              detail::npy_shape_str(shape)));
    if (static_cast<std::uint64_t>(bytes) != data.size())
      throw std::invalid_argument(fmt::format("{}: shape {} of {} needs {} bytes of data, the array holds {}", fn,
                                              detail::npy_shape_str(shape), descr, bytes, data.size()));
    return t;
  }

  /// Converts every element into out (row-major rows × cols), reading C or Fortran order.
  template <class T>
  void convert_into(const detail::NpyDtype& t, T* out, Index rows, Index cols, const char* fn) const {
    const bool swap = t.big_endian == detail::host_is_little_endian();
    const bool transpose = fortran_order && rows > 1 && cols > 1;
    detail::npy_visit(t, [&](auto tag) {
      using S = typename decltype(tag)::type;
      const char* base = data.data();
      const std::size_t item = t.size;
      const auto put = [&](Index k_out, std::size_t k_file) {
        const S v = detail::npy_load<S>(base + k_file * item, swap);
        if constexpr (std::is_floating_point_v<T>) {
          out[k_out] = static_cast<T>(v);
        } else if constexpr (std::is_floating_point_v<S>) {
          (void)k_out;  // refused before the conversion starts (to_matrix, to_labels)
          (void)k_file;
        } else {
          if (!detail::npy_fits<T>(v))
            throw std::out_of_range(fmt::format("{}: value {} at index {} does not fit in a {}-bit {} integer", fn,
                                                static_cast<std::conditional_t<std::is_signed_v<S>, long long, unsigned long long>>(v),
                                                k_file, sizeof(T) * 8, std::is_signed_v<T> ? "signed" : "unsigned"));
          out[k_out] = static_cast<T>(v);  // NOLINT(bugprone-signed-char-misuse): an int8 value, signed on purpose
        }
      };
      if (!transpose) {
        // Same element sequence in the file and in the row-major output.
        if constexpr (std::is_same_v<S, T>) {
          if (!swap) {
            if (!data.empty()) std::memcpy(out, base, data.size());
            return;
          }
        }
        const Index n = rows * cols;
        for (Index k = 0; k < n; ++k) put(k, static_cast<std::size_t>(k));
      } else {
        for (Index i = 0; i < rows; ++i)
          for (Index j = 0; j < cols; ++j) put(i * cols + j, static_cast<std::size_t>(j * rows + i));
      }
    });
  }
};

namespace detail {

/// Parses the prefix and header of a .npy file into `out` (all but data); returns the offset
/// of the data. Throws std::runtime_error starting with `what`.
inline std::size_t npy_parse_header(std::string_view bytes, std::string_view what, NpyArray& out) {
  static constexpr std::string_view magic("\x93NUMPY", 6);
  if (bytes.empty()) throw std::runtime_error(fmt::format("{}: not a .npy file: it is empty", what));
  const std::size_t k = std::min(bytes.size(), magic.size());
  if (bytes.substr(0, k) != magic.substr(0, k)) {
    const std::string_view head = bytes.substr(0, 4);
    const bool zip = head == std::string_view("PK\x03\x04", 4) || head == std::string_view("PK\x05\x06", 4);
    throw std::runtime_error(fmt::format("{}: not a .npy file: bad magic string, expected '\\x93NUMPY', found '{}'{}",
                                         what, npy_escape(bytes.substr(0, 6)),
                                         zip ? " (this is a zip archive, an .npz? load it with load_npz)" : ""));
  }
  if (bytes.size() < 8)
    throw std::runtime_error(fmt::format(
        "{}: truncated: the file has {} bytes, the magic string and format version alone take 8", what, bytes.size()));
  const auto major = static_cast<unsigned char>(bytes[6]);
  const auto minor = static_cast<unsigned char>(bytes[7]);
  if (!((major == 1 || major == 2 || major == 3) && minor == 0))
    throw std::runtime_error(fmt::format(
        "{}: unsupported .npy format version {}.{} (versions 1.0, 2.0 and 3.0 are supported)", what, major, minor));
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + len_bytes)
    throw std::runtime_error(fmt::format("{}: truncated: the file ends inside the header length ({} bytes)", what,
                                         bytes.size()));
  std::uint64_t header_len = 0;
  for (std::size_t i = 0; i < len_bytes; ++i)
    header_len |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
  const std::size_t header_start = 8 + len_bytes;
  if (header_len > bytes.size() - header_start)
    throw std::runtime_error(fmt::format("{}: truncated header: the header length says {} bytes, the file has {} after "
                                         "the prefix",
                                         what, header_len, bytes.size() - header_start));
  const std::string_view header = bytes.substr(header_start, static_cast<std::size_t>(header_len));
  NpyHeaderParser(header, what, major <= 2).parse(out.descr, out.shape, out.fortran_order);

  NpyDtype t;
  if (!npy_decode_descr(out.descr, t)) throw std::runtime_error(fmt::format("{}: {}", what, npy_unsupported_descr(out.descr)));
  std::int64_t count = 0, need = 0;
  if (!npy_element_count(out.shape, count) || !npy_byte_count(count, t.size, need))
    throw std::runtime_error(fmt::format("{}: shape {} has too many elements", what, npy_shape_str(out.shape)));
  const std::size_t data_start = header_start + static_cast<std::size_t>(header_len);
  const std::size_t have = bytes.size() - data_start;
  if (static_cast<std::uint64_t>(need) != have)
    throw std::runtime_error(fmt::format("{}: {}: header says shape {} of {} = {} bytes, file has {}", what,
                                         static_cast<std::uint64_t>(need) > have ? "truncated" : "trailing bytes",
                                         npy_shape_str(out.shape), out.descr, need, have));
  return data_start;
}

}  // namespace detail

/// The bytes of a .npy file holding `array`, exactly as numpy.save (NumPy 1.24) writes them:
/// format version 1.0 (2.0 when the header exceeds 65535 bytes), the header dict with sorted
/// keys, NumPy's 21-character growth-axis spare space, and padding with spaces and a final
/// '\n' to a multiple of 64 bytes.
/// Throws std::invalid_argument when the array is inconsistent: unsupported descr, negative
/// dimension, or data whose size does not match the shape.
inline std::string npy_bytes(const NpyArray& array) {
  static constexpr const char* fn = "npy_bytes";
  detail::NpyDtype t;
  if (!detail::npy_decode_descr(array.descr, t))
    throw std::invalid_argument(fmt::format("{}: {}", fn, detail::npy_unsupported_descr(array.descr)));
  std::int64_t count = 0, need = 0;
  if (!detail::npy_element_count(array.shape, count) || !detail::npy_byte_count(count, t.size, need))
    throw std::invalid_argument(fmt::format("{}: shape {} has a negative dimension or too many elements", fn,
                                            detail::npy_shape_str(array.shape)));
  if (static_cast<std::uint64_t>(need) != array.data.size())
    throw std::invalid_argument(fmt::format("{}: shape {} of {} needs {} bytes of data, the array holds {}", fn,
                                            detail::npy_shape_str(array.shape), array.descr, need, array.data.size()));

  // numpy/lib/format.py, _write_array_header: keys sorted, values repr'd, then spare space so
  // that the growth axis (the first, or the last in Fortran order) can grow in place.
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", array.descr,
                                   array.fortran_order ? "True" : "False", detail::npy_shape_str(array.shape));
  static constexpr std::size_t growth_axis_max_digits = 21;
  if (!array.shape.empty()) {
    const std::string growth = std::to_string(array.fortran_order ? array.shape.back() : array.shape.front());
    if (growth.size() < growth_axis_max_digits) header.append(growth_axis_max_digits - growth.size(), ' ');
  }
  // _wrap_header: hlen counts the final '\n'; padlen = 64 − (magic+version+length+hlen) % 64,
  // which is 64 (never 0) when already aligned.
  static constexpr std::size_t array_align = 64;
  const auto wrap = [&](std::size_t len_bytes) {
    const std::size_t hlen = header.size() + 1;
    const std::size_t padlen = array_align - ((8 + len_bytes + hlen) % array_align);
    return hlen + padlen;
  };
  std::size_t len_bytes = 2;
  unsigned char major = 1;
  std::size_t total = wrap(2);
  if (total > 0xFFFF) {
    len_bytes = 4;
    major = 2;
    total = wrap(4);
  }
  std::string out;
  out.reserve(8 + len_bytes + total + array.data.size());
  out.append("\x93NUMPY", 6);
  out.push_back(static_cast<char>(major));
  out.push_back('\0');
  for (std::size_t i = 0; i < len_bytes; ++i) out.push_back(static_cast<char>((total >> (8 * i)) & 0xFF));
  out += header;
  out.append(total - header.size() - 1, ' ');
  out.push_back('\n');
  out += array.data;
  return out;
}

/// Parses the bytes of a .npy file (format 1.0, 2.0 or 3.0). `what` names the source in every
/// message (a file path, or "npy data").
/// Throws std::runtime_error, its message starting with `what`, for: a bad magic string, an
/// unsupported version, a truncated prefix or header, a malformed header dict, an unsupported
/// descr (object, string, complex, structured...), a shape whose byte count overflows, or data
/// that is shorter or longer than the shape needs.
inline NpyArray parse_npy(std::string_view bytes, std::string_view what = "npy data") {
  NpyArray a;
  const std::size_t offset = detail::npy_parse_header(bytes, what, a);
  a.data.assign(bytes.data() + offset, bytes.size() - offset);
  return a;
}

/// Writes `array` to `path` as numpy.save would (see npy_bytes), through a temporary file
/// renamed over `path`: a failed save leaves an existing file untouched.
/// Throws std::invalid_argument for an inconsistent array, std::runtime_error naming the path
/// when the file cannot be written (missing directory, path is a directory, disk full...).
inline void save_npy(const std::filesystem::path& path, const NpyArray& array) {
  detail::write_file_replacing("save_npy", path, npy_bytes(array));
}

/// Saves a matrix (any Eigen expression) as a 2-D array of shape (rows, cols); see
/// NpyArray::from for the dtypes and save_npy(path, NpyArray) for the exceptions.
template <class Derived>
void save_npy(const std::filesystem::path& path, const Eigen::MatrixBase<Derived>& m) {
  save_npy(path, NpyArray::from(m));
}

/// Saves labels as a 1-D '<i4' array of shape (n,); exceptions as save_npy(path, NpyArray).
inline void save_npy(const std::filesystem::path& path, const Labels& labels) {
  save_npy(path, NpyArray::from_labels(labels));
}

/// Reads and parses a .npy file. Throws std::runtime_error when it cannot be read (naming the
/// path and the reason) or is not a valid, supported .npy file (message starting with the
/// path; see parse_npy).
inline NpyArray load_npy_array(const std::filesystem::path& path) {
  std::string bytes = detail::read_file_bytes("load_npy", path);
  NpyArray a;
  const std::size_t offset = detail::npy_parse_header(bytes, path.string(), a);
  // reuse the buffer: the data is most of the file
  bytes.erase(0, offset);
  a.data = std::move(bytes);
  return a;
}

/// Loads a .npy file as a Matrix<T> (see NpyArray::to_matrix for shapes and conversions).
/// Throws what load_npy_array throws, and what to_matrix throws with the path added.
template <class T>
Matrix<T> load_npy(const std::filesystem::path& path) {
  const NpyArray a = load_npy_array(path);
  try {
    return a.to_matrix<T>();
  } catch (const std::out_of_range& e) {
    throw std::out_of_range(fmt::format("load_npy: '{}': {}", path.string(), e.what()));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("load_npy: '{}': {}", path.string(), e.what()));
  }
}

/// Loads a .npy file of labels (see NpyArray::to_labels). Throws what load_npy_array throws,
/// and what to_labels throws with the path added.
inline Labels load_npy_labels(const std::filesystem::path& path) {
  const NpyArray a = load_npy_array(path);
  try {
    return a.to_labels();
  } catch (const std::out_of_range& e) {
    throw std::out_of_range(fmt::format("load_npy_labels: '{}': {}", path.string(), e.what()));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("load_npy_labels: '{}': {}", path.string(), e.what()));
  }
}

}  // namespace nnfs
