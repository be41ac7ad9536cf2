// nnfs/io/npy_header.hpp — the .npy prefix and header dict: dtype descrs and shapes, the strict
// parser of the header, and the header numpy.save writes (nnfs/io/npy.hpp holds the arrays).
//
// Format reference: numpy/lib/format.py. A file is
//     "\x93NUMPY" major minor | header length (uint16 LE in 1.0, uint32 LE in 2.0/3.0) |
//     header: a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//             padded with spaces and one '\n' so that the data starts at a multiple of 64 |
//     data: the elements, shape-product × itemsize bytes, in C (row-major) or Fortran order.
#pragma once

#include "nnfs/detail/shape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nnfs::detail {

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

/// Parses the prefix and header of a .npy file into descr, shape and fortran_order; returns the
/// offset of the data, after checking that the rest of `bytes` is exactly the data the header
/// describes. Throws std::runtime_error starting with `what`.
inline std::size_t npy_parse_header(std::string_view bytes, std::string_view what, std::string& descr,
                                    std::vector<std::int64_t>& shape, bool& fortran_order) {
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
  NpyHeaderParser(header, what, major <= 2).parse(descr, shape, fortran_order);

  NpyDtype t;
  if (!npy_decode_descr(descr, t)) throw std::runtime_error(fmt::format("{}: {}", what, npy_unsupported_descr(descr)));
  std::int64_t count = 0, need = 0;
  if (!npy_element_count(shape, count) || !npy_byte_count(count, t.size, need))
    throw std::runtime_error(fmt::format("{}: shape {} has too many elements", what, npy_shape_str(shape)));
  const std::size_t data_start = header_start + static_cast<std::size_t>(header_len);
  const std::size_t have = bytes.size() - data_start;
  if (static_cast<std::uint64_t>(need) != have)
    throw std::runtime_error(fmt::format("{}: {}: header says shape {} of {} = {} bytes, file has {}", what,
                                         static_cast<std::uint64_t>(need) > have ? "truncated" : "trailing bytes",
                                         npy_shape_str(shape), descr, need, have));
  return data_start;
}

/// The prefix and header numpy.save (NumPy 1.24) writes before `data_bytes` bytes of data of
/// this descr, shape and order: format version 1.0 (2.0 when the header exceeds 65535 bytes),
/// the dict with sorted keys, NumPy's 21-character growth-axis spare space, and padding with
/// spaces and a final '\n' to a multiple of 64 bytes. The arguments are not checked (npy_bytes
/// checks them); the returned string has room reserved for the data.
inline std::string npy_header_bytes(const std::string& descr, const std::vector<std::int64_t>& shape,
                                    bool fortran_order, std::size_t data_bytes) {
  // numpy/lib/format.py, _write_array_header: keys sorted, values repr'd, then spare space so
  // that the growth axis (the first, or the last in Fortran order) can grow in place.
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", descr,
                                   fortran_order ? "True" : "False", npy_shape_str(shape));
  static constexpr std::size_t growth_axis_max_digits = 21;
  if (!shape.empty()) {
    const std::string growth = std::to_string(fortran_order ? shape.back() : shape.front());
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
  out.reserve(8 + len_bytes + total + data_bytes);
  out.append("\x93NUMPY", 6);
  out.push_back(static_cast<char>(major));
  out.push_back('\0');
  for (std::size_t i = 0; i < len_bytes; ++i) out.push_back(static_cast<char>((total >> (8 * i)) & 0xFF));
  out += header;
  out.append(total - header.size() - 1, ' ');
  out.push_back('\n');
  return out;
}

}  // namespace nnfs::detail
