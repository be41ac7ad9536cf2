// nnfs/print/print.hpp — print Eigen data exactly as NumPy 1.24's print(array) and print(scalar).
//
// The example programs must print what the book's NumPy code prints, byte for byte. This header
// re-implements numpy.core.arrayprint (floatmode 'maxprec', sign '-', legacy off) in three
// pieces: nnfs/print/dragon4.hpp (NumPy's digits of one float), nnfs/print/repr.hpp (one
// number, as print(x) shows it) and nnfs/print/array.hpp (scientific switch, alignment,
// wrapping and '...' summarization); this header is the public face: np(), repr() and {fmt}.
//
//   fmt::print("{}\n", nnfs::np(m));   // print(m)
//   std::cout << nnfs::np(v, opts);    // with np.printoptions(**opts): print(v)
//   nnfs::repr(loss)                   // print(np.float32(loss)), or print(x) of a float
//
// Vectors at compile time print 1-D, everything else 2-D; np1()/np2() force either. Printing
// copies its input (not a hot path), so an ArrayPrint may outlive the expression it came from.
#pragma once

#include "nnfs/print/array.hpp"
#include "nnfs/print/repr.hpp"  // IWYU pragma: export
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

/// An owning snapshot of an array, printed as NumPy prints it. Made by np(), np1() and np2().
template <class T>
class ArrayPrint {
  static_assert(detail::is_printable_v<T>,
                "nnfs::np prints float, double, integer and bool arrays");

 public:
  using Scalar = T;

  /// `values` holds the elements; a 1-D array (rank 1) is stored as a single row.
  ArrayPrint(Matrix<T> values, int rank, const PrintOptions& opts)
      : data_(std::move(values)), ndim_(rank), options_(opts) {
    if (ndim_ != 1 && ndim_ != 2)
      throw std::invalid_argument("nnfs::np: an array prints as 1-D or 2-D, got ndim " +
                                  std::to_string(ndim_));
    if (ndim_ == 1 && data_.rows() != 1)
      throw std::invalid_argument("nnfs::np: a 1-D array is stored as one row, got " +
                                  shape_str(data_));
    if (options_.precision < 0)
      throw std::invalid_argument("nnfs::np: precision must be >= 0, got " +
                                  std::to_string(options_.precision));
    if (options_.edgeitems < 1)
      throw std::invalid_argument("nnfs::np: edgeitems must be >= 1, got " +
                                  std::to_string(options_.edgeitems));
  }

  const Matrix<T>& data() const { return data_; }
  int ndim() const { return ndim_; }
  const PrintOptions& options() const { return options_; }

  /// What NumPy's str(array) gives.
  std::string str() const {
    if (data_.size() == 0) return "[]";
    const bool summarize = data_.size() > options_.threshold;
    const detail::AxisView rows =
        detail::axis_view(ndim_ == 1 ? 1 : data_.rows(), summarize, options_.edgeitems);
    const detail::AxisView cols = detail::axis_view(data_.cols(), summarize, options_.edgeitems);
    // Notation and padding are decided from the displayed elements only, as in NumPy.
    std::vector<T> shown;
    for (Index r : rows.indices)
      for (Index c : cols.indices) shown.push_back(data_(r, c));
    if constexpr (std::is_same_v<T, bool>) {
      return detail::format_array(data_, ndim_, rows, cols, detail::BoolFormat{}, options_);
    } else if constexpr (std::is_integral_v<T>) {
      return detail::format_array(data_, ndim_, rows, cols, detail::IntFormat<T>(shown), options_);
    } else {
      return detail::format_array(data_, ndim_, rows, cols,
                                  detail::FloatFormat<T>(shown, options_), options_);
    }
  }

 private:
  Matrix<T> data_;
  int ndim_;
  PrintOptions options_;
};

/// Force 1-D: the elements of x in row-major order, printed like a NumPy 1-D array.
template <class Derived>
ArrayPrint<typename Derived::Scalar> np1(const Eigen::DenseBase<Derived>& x,
                                         const PrintOptions& options = {}) {
  using S = typename Derived::Scalar;
  // Evaluate first (products have no coefficient access), then read the row-major storage
  // (a copy even when x is already a Matrix<S>: printing is not on a hot path).
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization)
  const Matrix<S> m = x.derived();
  Matrix<S> flat = Eigen::Map<const Matrix<S>>(m.data(), 1, m.size());
  return ArrayPrint<S>(std::move(flat), 1, options);
}

/// Force 2-D: x with its shape, printed like a NumPy 2-D array ([[...]]).
template <class Derived>
ArrayPrint<typename Derived::Scalar> np2(const Eigen::DenseBase<Derived>& x,
                                         const PrintOptions& options = {}) {
  Matrix<typename Derived::Scalar> copy = x.derived();
  return ArrayPrint<typename Derived::Scalar>(std::move(copy), 2, options);
}

/// x printed as NumPy prints the corresponding array: 1-D when x is a vector at compile time
/// (Vector, RowVector, Labels, m.row(i), m.col(j)), 2-D otherwise (a Matrix with one row too,
/// like NumPy's (1, n) biases; use np2() for a RowVector that stands for such an array).
template <class Derived>
ArrayPrint<typename Derived::Scalar> np(const Eigen::DenseBase<Derived>& x,
                                        const PrintOptions& options = {}) {
  if constexpr (Derived::RowsAtCompileTime == 1 || Derived::ColsAtCompileTime == 1)
    return np1(x, options);
  else
    return np2(x, options);
}

template <class T>
std::string to_string(const ArrayPrint<T>& a) {
  return a.str();
}

template <class T>
std::ostream& operator<<(std::ostream& os, const ArrayPrint<T>& a) {
  return os << a.str();
}

}  // namespace nnfs

/// fmt::format("{}", nnfs::np(m)). The spec must be empty: options travel in PrintOptions.
template <class T>
struct fmt::formatter<nnfs::ArrayPrint<T>> {
  template <class ParseContext>
  constexpr auto parse(ParseContext& ctx) -> decltype(ctx.begin()) {
    auto it = ctx.begin();
    if (it != ctx.end() && *it != '}')
      throw fmt::format_error("nnfs::np() takes no format spec; pass nnfs::PrintOptions instead");
    return it;
  }

  template <class FormatContext>
  auto format(const nnfs::ArrayPrint<T>& a, FormatContext& ctx) const -> decltype(ctx.out()) {
    const std::string s = a.str();
    return fmt::format_to(ctx.out(), "{}", s);
  }
};
