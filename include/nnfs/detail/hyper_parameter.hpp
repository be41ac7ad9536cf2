// nnfs/detail/hyper_parameter.hpp — checking the numbers a user sets (learning rates, epsilon,
// regularization strengths) where they are used: in the scalar type of the parameters they
// apply to. A hyper-parameter is given as a double, but the update rules round it to T first
// (as NumPy rounds a Python float applied to a float32 array); an epsilon of 1e-50 is positive
// as a double and exactly 0 as a float, and 1/(√v + 0) then turns the weights into 0/0.
#pragma once

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace nnfs::detail {

/// Shortest round-trip decimal of x ("1e-07", "0.9", "nan"), for error messages.
inline std::string number_str(double x) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, result.ptr);
}

/// Shortest round-trip decimal of x in its own type (the smallest float is "1e-45").
template <class T>
std::string shortest_str(T x) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, result.ptr);
}

/// Throws std::invalid_argument("<who>: <what>, got <value>") unless ok.
inline void require(bool ok, const char* who, const char* what, double value) {
  if (!ok) throw std::invalid_argument(std::string(who) + ": " + what + ", got " + number_str(value));
}

template <class T>
constexpr const char* scalar_name() {
  return std::is_same_v<T, float> ? "float" : (std::is_same_v<T, double> ? "double" : "the scalar type");
}

/// Throws std::invalid_argument when `value` (a non-zero finite double) does not survive being
/// rounded to T: it becomes 0, or ±infinity. `what` names it ("epsilon"), `who` the user of it.
template <class T>
void require_in_scalar_type(const char* who, const char* what, double value) {
  if (value == 0.0 || !std::isfinite(value)) return;  // the constructors' own checks cover these
  const T t = static_cast<T>(value);
  if (t != T(0) && std::isfinite(t)) return;
  const bool under = t == T(0);
  throw std::invalid_argument(
      std::string(who) + ": " + what + " " + number_str(value) + (under ? " rounds to 0" : " overflows to infinity") +
      " in " + scalar_name<T>() + ", the type of the parameters it is applied to (" +
      (under ? "smallest positive " : "largest ") + scalar_name<T>() + ": " +
      shortest_str<T>(under ? std::numeric_limits<T>::denorm_min() : std::numeric_limits<T>::max()) +
      "); choose a value " + scalar_name<T>() + " can hold, or use double");
}

}  // namespace nnfs::detail
