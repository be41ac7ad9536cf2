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
// The header's format and its parser are in nnfs/io/npy_header.hpp.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/io/npy_header.hpp"
#include "nnfs/types.hpp"

#include <Eigen/Core>
#include <fmt/format.h>

#include <algorithm>
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

  std::string out = detail::npy_header_bytes(array.descr, array.shape, array.fortran_order, array.data.size());
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
  const std::size_t offset = detail::npy_parse_header(bytes, what, a.descr, a.shape, a.fortran_order);
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
  const std::size_t offset =
      detail::npy_parse_header(bytes, path.string(), a.descr, a.shape, a.fortran_order);
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
