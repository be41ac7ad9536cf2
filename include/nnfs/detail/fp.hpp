// nnfs/detail/fp.hpp — forcing a floating-point value to be rounded where NumPy rounds it, and
// a fast check that a matrix holds only finite values.
#pragma once

#include "nnfs/types.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace nnfs::detail {

/// Returns x after forcing it to be rounded to T and stored. NumPy rounds every intermediate
/// result (a product, then a sum); a compiler allowed to contract `a * b + c` into one fused
/// multiply-add (GCC does with -ffp-contract=fast, its GNU-mode default, on FMA hardware)
/// would skip that rounding and change the last bit. Reading back a volatile cannot be fused.
/// Used only where a bit-exact NumPy stream depends on it (random draws, datasets).
template <class T>
T rounded(T x) {
  volatile T stored = x;
  return stored;
}

/// The index of the first row of m holding a non-finite value (NaN, ±inf), or −1 when every
/// element is finite: what error messages name (the user's sample index). The same answer as
/// Eigen's allFinite() row by row, which computes x − x == x − x element by element; this tests
/// the exponent bits (all ones only for inf and NaN) with an integer OR that compilers vectorize,
/// a row at a time with an early exit, so checking a 60 000 × 784 training set costs a fraction of
/// one epoch.
template <class T>
Index first_non_finite_row(const Eigen::Ref<const Matrix<T>>& m) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "first_non_finite_row: float or double");
  using Bits = std::conditional_t<std::is_same_v<T, float>, std::uint32_t, std::uint64_t>;
  constexpr Bits exponent = std::is_same_v<T, float> ? Bits(0x7f800000U) : Bits(0x7ff0000000000000ULL);
  for (Index i = 0; i < m.rows(); ++i) {
    const T* row = m.data() + i * m.outerStride();
    Bits bad = 0;
    for (Index j = 0; j < m.cols(); ++j) {
      Bits b;
      std::memcpy(&b, row + j, sizeof b);
      bad |= static_cast<Bits>((b & exponent) == exponent);
    }
    if (bad != 0) return i;
  }
  return -1;
}

/// Whether every element of m is finite (no NaN, no ±inf).
template <class T>
bool all_finite(const Eigen::Ref<const Matrix<T>>& m) {
  return first_non_finite_row<T>(m) < 0;
}

}  // namespace nnfs::detail
