// nnfs/print/repr.hpp — what Python prints for print(x) of one number: NumPy's float32 scalars,
// Python floats, integers and bools (nnfs::repr).
//
//   nnfs::repr(loss)   // print(np.float32(loss)), or print(x) of a float
#pragma once

#include "nnfs/print/dragon4.hpp"

#include <cmath>
#include <string>
#include <type_traits>

namespace nnfs {

namespace detail {

template <class T>
std::string nonfinite_str(T x) {
  if (std::isnan(x)) return "nan";
  return x < 0 ? "-inf" : "inf";
}

/// Python's str() of a NumPy float32 scalar, or of a Python float / float64.
template <class T>
std::string scalar_str(T x) {
  if (!std::isfinite(x)) return nonfinite_str(x);
  // NumPy compares in double, so float32(1e-4) (just below 1e-4) prints as 1e-04.
  const double a = std::fabs(static_cast<double>(x));
  if (a == 0 || (a >= 1e-4 && a < 1e16))
    return format_positional(x, -1, -1, Trim::leave_one_zero, -1, -1);
  return format_scientific(x, -1, -1, Trim::dpt_zeros, -1, -1);
}

template <class T>
std::string int_str(T x) {
  if constexpr (std::is_signed_v<T>)
    return std::to_string(static_cast<long long>(x));
  else
    return std::to_string(static_cast<unsigned long long>(x));
}

}  // namespace detail

/// What Python prints for print(x): a NumPy float32 scalar for float ("1.0986104", "1e-07"),
/// a Python float for double ("0.34", "100.0", "1.5e+16"), the digits for integers, True/False.
template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
std::string repr(T x) {
  if constexpr (std::is_same_v<T, bool>) {
    return x ? "True" : "False";
  } else if constexpr (std::is_integral_v<T>) {
    return detail::int_str(x);
  } else {
    static_assert(detail::is_printable_float_v<T>, "nnfs::repr: float or double");
    return detail::scalar_str(x);
  }
}

}  // namespace nnfs
