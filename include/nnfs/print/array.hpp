// nnfs/print/array.hpp — NumPy's array formatting (numpy.core.arrayprint, floatmode 'maxprec',
// sign '-', legacy off): the print options, the choice of notation, element widths and
// precision, '...' summarization and line wrapping. nnfs/print/print.hpp puts it behind np().
#pragma once

#include "nnfs/print/dragon4.hpp"
#include "nnfs/print/repr.hpp"
#include "nnfs/types.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <type_traits>
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

template <class T>
inline constexpr bool is_printable_v = is_printable_float_v<T> || std::is_integral_v<T>;

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

}  // namespace detail

}  // namespace nnfs
