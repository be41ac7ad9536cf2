// nnfs/print/dragon4.hpp — NumPy's digit generation for one float: Dragon4 in "unique" mode and
// numpy.format_float_positional / format_float_scientific built on it.
//
// Digits come from NumPy's own algorithm (Dragon4 with its cut-off and rounding rules), not
// printf or {fmt}: in rare cases (powers of two given extra digits) NumPy's last digit is not
// the correctly rounded one, and the book's output must match NumPy's byte for byte.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace nnfs::detail {

template <class T>
inline constexpr bool is_printable_float_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

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

// The step both formats share once the digits are written (`frac` of them after the point):
// the point itself unless trim is '-', then a '0' after a bare point for trim '.', or zeros up
// to min_digits for trim 'k'.
inline void pad_fraction(std::string& s, int& frac, Trim trim, int min_digits) {
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
  pad_fraction(s, frac, trim, min_digits);
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
  pad_fraction(s, frac, trim, min_digits);
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

}  // namespace nnfs::detail
