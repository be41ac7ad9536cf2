// nnfs/print/print.hpp — print Eigen data exactly as NumPy 1.24's print(array) and print(scalar).
//
// The example programs must print what the book's NumPy code prints, byte for byte. This header
// re-implements numpy.core.arrayprint (floatmode 'maxprec', sign '-', legacy off): digits,
// scientific switch, alignment, wrapping and '...' summarization. Digits come from NumPy's own
// algorithm (Dragon4 with its cut-off and rounding rules), not printf or {fmt}: in rare cases
// (powers of two given extra digits) NumPy's last digit is not the correctly rounded one.
//
//   fmt::print("{}\n", nnfs::np(m));   // print(m)
//   std::cout << nnfs::np(v, opts);    // with np.printoptions(**opts): print(v)
//   nnfs::repr(loss)                   // print(np.float32(loss)), or print(x) of a float
//
// Vectors at compile time print 1-D, everything else 2-D; np1()/np2() force either. Printing
// copies its input (not a hot path), so an ArrayPrint may outlive the expression it came from.
#pragma once

#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

/// numpy.set_printoptions, per call. Defaults are NumPy's.
struct PrintOptions {
  int precision = 8;       ///< at most this many fractional digits (mantissa digits in 1e±NN form)
  Index threshold = 1000;  ///< summarize with '...' when the element count exceeds this
  Index edgeitems = 3;     ///< rows/columns kept at each end when summarizing (>= 1)
  int linewidth = 75;      ///< wrap rows that would exceed this many characters
  bool suppress = false;   ///< no scientific notation for small values or a wide range
                           ///< (it still applies from 1e8 up)
};

namespace detail {
namespace arrayprint {

template <class T>
inline constexpr bool is_printable_float_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

template <class T>
inline constexpr bool is_printable_v = is_printable_float_v<T> || std::is_integral_v<T>;

// Unsigned arbitrary-precision integer, little-endian 32-bit words with no leading zero word:
// just the operations exact digit generation needs (a double's exact value spans ~1100 bits).
class BigUint {
 public:
  BigUint() = default;
  explicit BigUint(std::uint64_t v) {
    if (v != 0) words_.push_back(static_cast<std::uint32_t>(v));
    if ((v >> 32) != 0) words_.push_back(static_cast<std::uint32_t>(v >> 32));
  }

  void shift_left(unsigned bits) {
    if (words_.empty() || bits == 0) return;
    const unsigned word_shift = bits / 32;
    const unsigned bit_shift = bits % 32;
    if (bit_shift != 0) {
      std::uint32_t carry = 0;
      for (auto& w : words_) {
        const std::uint32_t next = w >> (32 - bit_shift);
        w = (w << bit_shift) | carry;
        carry = next;
      }
      if (carry != 0) words_.push_back(carry);
    }
    words_.insert(words_.begin(), word_shift, 0u);
  }

  void multiply(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (auto& w : words_) {
      const std::uint64_t p = static_cast<std::uint64_t>(w) * m + carry;
      w = static_cast<std::uint32_t>(p);
      carry = p >> 32;
    }
    if (carry != 0) words_.push_back(static_cast<std::uint32_t>(carry));
    trim();
  }

  void multiply_pow10(int n) {
    for (; n >= 9; n -= 9) multiply(1000000000u);
    static constexpr std::uint32_t pow10[9] = {1,      10,      100,      1000,     10000,
                                               100000, 1000000, 10000000, 100000000};
    if (n > 0) multiply(pow10[n]);
  }

  BigUint& operator+=(const BigUint& o) {
    if (o.words_.size() > words_.size()) words_.resize(o.words_.size(), 0u);
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < words_.size(); ++i) {
      const std::uint64_t s = carry + words_[i] + (i < o.words_.size() ? o.words_[i] : 0u);
      words_[i] = static_cast<std::uint32_t>(s);
      carry = s >> 32;
    }
    if (carry != 0) words_.push_back(static_cast<std::uint32_t>(carry));
    return *this;
  }

  /// Requires *this >= o.
  BigUint& operator-=(const BigUint& o) {
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < words_.size(); ++i) {
      const std::uint64_t sub = (i < o.words_.size() ? o.words_[i] : 0u) + borrow;
      const std::uint64_t cur = words_[i];
      borrow = cur < sub ? 1 : 0;
      words_[i] = static_cast<std::uint32_t>((borrow << 32) + cur - sub);
    }
    trim();
    return *this;
  }

  /// Replaces *this by *this mod d and returns the quotient, which the caller keeps below 10.
  unsigned divide_digit(const BigUint& d) {
    unsigned q = 0;
    while (compare(*this, d) >= 0) {
      *this -= d;
      ++q;
    }
    return q;
  }

  friend int compare(const BigUint& a, const BigUint& b) {
    if (a.words_.size() != b.words_.size()) return a.words_.size() < b.words_.size() ? -1 : 1;
    for (std::size_t i = a.words_.size(); i-- > 0;)
      if (a.words_[i] != b.words_[i]) return a.words_[i] < b.words_[i] ? -1 : 1;
    return 0;
  }

 private:
  void trim() {
    while (!words_.empty() && words_.back() == 0) words_.pop_back();
  }
  std::vector<std::uint32_t> words_;
};

/// A finite binary float as mantissa × 2^exponent.
struct FloatBits {
  std::uint64_t mantissa = 0;
  int exponent = 0;
  bool unequal_margins = false;  // a power of two: the float below is half as far as the one above
  bool negative = false;
};

template <class T>
FloatBits float_bits(T x) {
  static_assert(is_printable_float_v<T> && std::numeric_limits<T>::is_iec559);
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  constexpr int total_bits = static_cast<int>(sizeof(T)) * 8;
  constexpr int fraction_bits = std::numeric_limits<T>::digits - 1;
  constexpr int bias = std::numeric_limits<T>::max_exponent - 1;
  Bits bits{};
  std::memcpy(&bits, &x, sizeof bits);
  FloatBits f;
  f.negative = (bits >> (total_bits - 1)) != 0;
  const std::uint64_t fraction = bits & ((Bits{1} << fraction_bits) - 1);
  const int biased = static_cast<int>((bits >> fraction_bits) &
                                      ((Bits{1} << (total_bits - 1 - fraction_bits)) - 1));
  if (biased == 0) {
    f.mantissa = fraction;
    f.exponent = 1 - bias - fraction_bits;
  } else {
    f.mantissa = fraction | (std::uint64_t{1} << fraction_bits);
    f.exponent = biased - bias - fraction_bits;
    f.unequal_margins = fraction == 0 && biased != 1;
  }
  return f;
}

enum class Cutoff { total_length, fraction_length };

/// How trailing zeros are treated: NumPy's trim='k', '.', '0' and '-'.
enum class Trim { keep, zeros, leave_one_zero, dpt_zeros };

struct Digits {
  std::string digits;  // never empty
  int exponent = 0;    // the power of ten of the first digit
};

// NumPy's Dragon4 in "unique" mode: digits of |x| until they identify x among its neighbours,
// but never past `cutoff_max` digits and never stopping before `cutoff_min` digits (either < 0:
// no limit); counted from the first digit (total_length) or from the decimal point
// (fraction_length). The last digit is rounded the way NumPy rounds it, which is what makes
// the output identical.
inline Digits dragon4(const FloatBits& f, Cutoff mode, int cutoff_max, int cutoff_min) {
  Digits out;
  if (f.mantissa == 0) {
    out.digits = "0";
    return out;
  }
  // value = v/s; margin_low/s and margin_high/s are half the gaps to the neighbouring floats.
  const bool even = f.mantissa % 2 == 0;
  const unsigned extra = f.unequal_margins ? 2u : 1u;
  BigUint v(f.mantissa), s(1), margin_low(1);
  if (f.exponent > 0) {
    v.shift_left(static_cast<unsigned>(f.exponent) + extra);
    s.shift_left(extra);
    margin_low.shift_left(static_cast<unsigned>(f.exponent));
  } else {
    v.shift_left(extra);
    s.shift_left(static_cast<unsigned>(-f.exponent) + extra);
  }
  BigUint margin_high = margin_low;
  if (f.unequal_margins) margin_high.shift_left(1);

  // NumPy's estimate of floor(log10(x)) + 1 (exact or one too low, fixed up below); the same
  // double arithmetic, so the same decisions.
  int mantissa_bit = 63;
  while (((f.mantissa >> mantissa_bit) & 1u) == 0) --mantissa_bit;
  int k = static_cast<int>(std::ceil(
      static_cast<double>(mantissa_bit + f.exponent) * 0.30102999566398119521373889472449 - 0.69));
  if (cutoff_max >= 0 && mode == Cutoff::fraction_length && k <= -cutoff_max) k = 1 - cutoff_max;
  if (k > 0) {
    s.multiply_pow10(k);
  } else if (k < 0) {
    v.multiply_pow10(-k);
    margin_low.multiply_pow10(-k);
    margin_high.multiply_pow10(-k);
  }
  if (compare(v, s) >= 0) {
    ++k;
  } else {
    v.multiply(10);
    margin_low.multiply(10);
    margin_high.multiply(10);
  }

  int max_exponent = k - 100000;  // unique digits end long before this
  if (cutoff_max >= 0)
    max_exponent =
        std::max(max_exponent, mode == Cutoff::total_length ? k - cutoff_max : -cutoff_max);
  int min_exponent = k;
  if (cutoff_min >= 0)
    min_exponent =
        std::min(min_exponent, mode == Cutoff::total_length ? k - cutoff_min : -cutoff_min);
  out.exponent = k - 1;

  bool low = false;
  bool high = false;
  unsigned digit = 0;
  BigUint upper;
  for (;;) {
    --k;
    digit = v.divide_digit(s);
    upper = v;
    upper += margin_high;
    const int cmp_low = compare(v, margin_low);
    const int cmp_high = compare(upper, s);
    // On an even mantissa the interval's ends round to x itself (round-half-even), so count.
    low = even ? cmp_low <= 0 : cmp_low < 0;
    high = even ? cmp_high >= 0 : cmp_high > 0;
    if (((low || high) && k <= min_exponent) || k == max_exponent) break;
    out.digits.push_back(static_cast<char>('0' + digit));
    v.multiply(10);
    margin_low.multiply(10);
    margin_high.multiply(10);
  }

  bool round_down = low;
  if (low == high) {  // both roundings are unique (or neither is): take the nearer, ties to even
    v.shift_left(1);
    const int c = compare(v, s);
    round_down = c < 0 || (c == 0 && digit % 2 == 0);
  }
  if (round_down) {
    out.digits.push_back(static_cast<char>('0' + digit));
  } else if (digit < 9) {
    out.digits.push_back(static_cast<char>('0' + digit + 1));
  } else {
    while (!out.digits.empty() && out.digits.back() == '9') out.digits.pop_back();
    if (out.digits.empty()) {
      out.digits = "1";
      ++out.exponent;
    } else {
      ++out.digits.back();
    }
  }
  return out;
}

inline std::string spaces(int n) {
  return std::string(static_cast<std::size_t>(std::max(n, 0)), ' ');
}

// numpy.format_float_positional(x, precision, unique=True, fractional=True, trim, sign=False,
// pad_left, pad_right, min_digits), with -1 for None.
template <class T>
std::string format_positional(T x, int precision, int min_digits, Trim trim, int pad_left,
                              int pad_right) {
  const FloatBits f = float_bits(x);
  const Digits d = dragon4(f, Cutoff::fraction_length, precision, min_digits);
  const int n = static_cast<int>(d.digits.size());
  std::string s = f.negative ? "-" : "";
  int whole = 1;
  int frac = 0;
  if (d.exponent >= 0) {
    whole = d.exponent + 1;
    if (n <= whole) {
      s += d.digits;
      s += std::string(static_cast<std::size_t>(whole - n), '0');
    } else {
      s.append(d.digits, 0, static_cast<std::size_t>(whole));
      s += '.';
      s.append(d.digits, static_cast<std::size_t>(whole), std::string::npos);
      frac = n - whole;
    }
  } else {
    const int zeros = -(d.exponent + 1);
    s += "0.";
    s += std::string(static_cast<std::size_t>(zeros), '0');
    s += d.digits;
    frac = zeros + n;
  }
  if (trim != Trim::dpt_zeros && frac == 0) s += '.';
  const int wanted = std::max(min_digits, 0);
  if (trim == Trim::leave_one_zero) {
    if (frac == 0) {
      s += '0';
      ++frac;
    }
  } else if (trim == Trim::keep && wanted > frac) {
    s += std::string(static_cast<std::size_t>(wanted - frac), '0');
    frac = wanted;
  }
  if (trim != Trim::keep && frac > 0) {
    while (s.back() == '0') {
      s.pop_back();
      --frac;
    }
    if (s.back() == '.') {
      if (trim == Trim::leave_one_zero) {
        s += '0';
        ++frac;
      } else if (trim == Trim::dpt_zeros) {
        s.pop_back();
      }
    }
  }
  if (pad_right >= frac) {
    if (trim == Trim::dpt_zeros && frac == 0) s += ' ';
    s += spaces(pad_right - frac);
  }
  const int left = whole + (f.negative ? 1 : 0);
  if (pad_left > left) s.insert(0, spaces(pad_left - left));
  return s;
}

// numpy.format_float_scientific(x, precision, unique=True, trim, sign=False, pad_left,
// exp_digits, min_digits), with -1 for None.
template <class T>
std::string format_scientific(T x, int precision, int min_digits, Trim trim, int pad_left,
                              int exp_digits) {
  const FloatBits f = float_bits(x);
  const Digits d = dragon4(f, Cutoff::total_length, precision < 0 ? -1 : precision + 1,
                           min_digits < 0 ? -1 : min_digits + 1);
  std::string s = spaces(pad_left - (f.negative ? 2 : 1));
  if (f.negative) s += '-';
  s += d.digits[0];
  int frac = static_cast<int>(d.digits.size()) - 1;
  if (frac > 0) {
    s += '.';
    s.append(d.digits, 1, std::string::npos);
  }
  if (trim != Trim::dpt_zeros && frac == 0) s += '.';
  const int wanted = std::max(min_digits, 0);
  if (trim == Trim::leave_one_zero) {
    if (frac == 0) {
      s += '0';
      ++frac;
    }
  } else if (trim == Trim::keep && wanted > frac) {
    s += std::string(static_cast<std::size_t>(wanted - frac), '0');
    frac = wanted;
  }
  if (trim != Trim::keep && frac > 0) {
    while (s.back() == '0') s.pop_back();
    if (trim == Trim::leave_one_zero && s.back() == '.') s += '0';
  }
  s += 'e';
  s += d.exponent < 0 ? '-' : '+';
  const std::string e = std::to_string(std::abs(d.exponent));
  const int width = exp_digits < 0 ? 2 : std::min(exp_digits, 5);
  s += std::string(static_cast<std::size_t>(std::max(width - static_cast<int>(e.size()), 0)), '0');
  s += e;
  return s;
}

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

// FloatingFormat of arrayprint.py: decides notation and padding from the displayed elements.
template <class T>
class FloatFormat {
 public:
  FloatFormat(const std::vector<T>& shown, const PrintOptions& opt) : precision_(opt.precision) {
    std::vector<T> finite;
    for (T x : shown)
      if (std::isfinite(x)) finite.push_back(x);

    bool any_nonzero = false;
    T max_val = 0;
    T min_val = 0;
    for (T x : finite) {
      if (x == 0) continue;
      const T a = std::fabs(x);
      if (!any_nonzero || a > max_val) max_val = a;
      if (!any_nonzero || a < min_val) min_val = a;
      any_nonzero = true;
    }
    if (any_nonzero) {
      // As NumPy evaluates it: the comparison with 1e-4 in double, the ratio in T.
      const T ratio = max_val / min_val;
      exp_ = static_cast<double>(max_val) >= 1e8 ||
             (!opt.suppress && (static_cast<double>(min_val) < 1e-4 || ratio > T(1000)));
    }

    if (finite.empty()) {
      pad_left_ = 0;
      pad_right_ = 0;
    } else if (exp_) {
      int int_len = 0;
      int frac_len = 0;
      int exp_len = 0;
      for (T x : finite) {
        const std::string s = format_scientific(x, precision_, -1, Trim::zeros, -1, -1);
        const std::size_t e = s.find('e');
        const std::size_t dot = s.find('.');
        int_len = std::max(int_len, static_cast<int>(dot));
        frac_len = std::max(frac_len, static_cast<int>(e - dot - 1));
        exp_len = std::max(exp_len, static_cast<int>(s.size() - e - 1));
      }
      exp_size_ = exp_len - 1;
      precision_ = frac_len;
      min_digits_ = frac_len;
      pad_left_ = int_len;
      pad_right_ = exp_size_ + 2 + precision_;
    } else {
      int int_len = 0;
      int frac_len = 0;
      for (T x : finite) {
        const std::string s = format_positional(x, precision_, -1, Trim::zeros, -1, -1);
        const std::size_t dot = s.find('.');
        int_len = std::max(int_len, static_cast<int>(dot));
        frac_len = std::max(frac_len, static_cast<int>(s.size() - dot - 1));
      }
      pad_left_ = int_len;
      pad_right_ = frac_len;
    }

    if (finite.size() != shown.size()) {
      bool neginf = false;
      for (T x : shown) neginf = neginf || (std::isinf(x) && x < 0);
      const int offset = pad_right_ + 1;
      pad_left_ = std::max({pad_left_, 3 - offset, 3 + (neginf ? 1 : 0) - offset});
    }
  }

  std::string operator()(T x) const {
    if (!std::isfinite(x)) {
      const std::string s = nonfinite_str(x);
      return spaces(pad_left_ + pad_right_ + 1 - static_cast<int>(s.size())) + s;
    }
    if (exp_)
      return format_scientific(x, precision_, min_digits_, Trim::keep, pad_left_, exp_size_);
    return format_positional(x, precision_, 0, Trim::zeros, pad_left_, pad_right_);
  }

 private:
  bool exp_ = false;
  int precision_;
  int min_digits_ = 0;
  int pad_left_ = 0;
  int pad_right_ = 0;
  int exp_size_ = -1;
};

template <class T>
std::string int_str(T x) {
  if constexpr (std::is_signed_v<T>)
    return std::to_string(static_cast<long long>(x));
  else
    return std::to_string(static_cast<unsigned long long>(x));
}

// IntegerFormat: right-aligned to the widest of the displayed min and max.
template <class T>
class IntFormat {
 public:
  explicit IntFormat(const std::vector<T>& shown) {
    if (shown.empty()) return;
    const auto [lo, hi] = std::minmax_element(shown.begin(), shown.end());
    width_ = static_cast<int>(std::max(int_str(*lo).size(), int_str(*hi).size()));
  }
  std::string operator()(T x) const {
    const std::string s = int_str(x);
    return spaces(width_ - static_cast<int>(s.size())) + s;
  }

 private:
  int width_ = 0;
};

// BoolFormat: " True" so that it lines up with "False".
class BoolFormat {
 public:
  std::string operator()(bool x) const { return x ? " True" : "False"; }
};

// The innermost level of _formatArray: words joined by ' ', a line broken before a word that
// would reach past width - 1 (room for the ']'), continuation lines indented by `indent`.
inline std::string format_row(const std::vector<std::string>& words, std::size_t indent,
                              int width) {
  const long long elem_width = static_cast<long long>(width) - 1;
  std::string s;
  std::string line(indent, ' ');
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto len = static_cast<long long>(line.size()) + static_cast<long long>(words[i].size());
    if (len > elem_width && line.size() > indent) {
      line.erase(line.find_last_not_of(' ') + 1);
      s += line;
      s += '\n';
      line.assign(indent, ' ');
    }
    line += words[i];
    if (i + 1 < words.size()) line += ' ';
  }
  s += line;
  return "[" + s.substr(indent) + "]";
}

/// The indices shown along an axis of length n, and where the '...' goes (npos: nowhere).
struct AxisView {
  std::vector<Index> indices;
  std::size_t ellipsis_at = std::string::npos;
};

inline AxisView axis_view(Index n, bool summarize, Index edge) {
  AxisView a;
  if (summarize && edge < n - edge) {  // n > 2 * edge, without overflow for huge edgeitems
    for (Index i = 0; i < edge; ++i) a.indices.push_back(i);
    for (Index i = n - edge; i < n; ++i) a.indices.push_back(i);
    a.ellipsis_at = static_cast<std::size_t>(edge);
  } else {
    for (Index i = 0; i < n; ++i) a.indices.push_back(i);
  }
  return a;
}

template <class T, class ElementFormat>
std::string format_array(const Matrix<T>& m, int ndim, const AxisView& rows, const AxisView& cols,
                         const ElementFormat& element, const PrintOptions& opt) {
  const auto row_words = [&](Index r) {
    std::vector<std::string> words;
    for (std::size_t j = 0; j < cols.indices.size(); ++j) {
      if (j == cols.ellipsis_at) words.emplace_back("...");
      words.push_back(element(m(r, cols.indices[j])));
    }
    return words;
  };
  if (ndim == 1) return format_row(row_words(0), 1, opt.linewidth);

  // Rows are nested one level deeper: one more space of indent, one less column for the ']'.
  std::string s;
  for (std::size_t i = 0; i < rows.indices.size(); ++i) {
    if (i == rows.ellipsis_at) s += " ...\n";
    s += ' ';
    s += format_row(row_words(rows.indices[i]), 2, opt.linewidth - 1);
    if (i + 1 < rows.indices.size()) s += '\n';
  }
  return "[" + s.substr(1) + "]";
}

}  // namespace arrayprint
}  // namespace detail

/// An owning snapshot of an array, printed as NumPy prints it. Made by np(), np1() and np2().
template <class T>
class ArrayPrint {
  static_assert(detail::arrayprint::is_printable_v<T>,
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
    namespace ap = detail::arrayprint;
    if (data_.size() == 0) return "[]";
    const bool summarize = data_.size() > options_.threshold;
    const ap::AxisView rows =
        ap::axis_view(ndim_ == 1 ? 1 : data_.rows(), summarize, options_.edgeitems);
    const ap::AxisView cols = ap::axis_view(data_.cols(), summarize, options_.edgeitems);
    // Notation and padding are decided from the displayed elements only, as in NumPy.
    std::vector<T> shown;
    for (Index r : rows.indices)
      for (Index c : cols.indices) shown.push_back(data_(r, c));
    if constexpr (std::is_same_v<T, bool>) {
      return ap::format_array(data_, ndim_, rows, cols, ap::BoolFormat{}, options_);
    } else if constexpr (std::is_integral_v<T>) {
      return ap::format_array(data_, ndim_, rows, cols, ap::IntFormat<T>(shown), options_);
    } else {
      return ap::format_array(data_, ndim_, rows, cols, ap::FloatFormat<T>(shown, options_),
                              options_);
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

/// What Python prints for print(x): a NumPy float32 scalar for float ("1.0986104", "1e-07"),
/// a Python float for double ("0.34", "100.0", "1.5e+16"), the digits for integers, True/False.
template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
std::string repr(T x) {
  if constexpr (std::is_same_v<T, bool>) {
    return x ? "True" : "False";
  } else if constexpr (std::is_integral_v<T>) {
    return detail::arrayprint::int_str(x);
  } else {
    static_assert(detail::arrayprint::is_printable_float_v<T>, "nnfs::repr: float or double");
    return detail::arrayprint::scalar_str(x);
  }
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
