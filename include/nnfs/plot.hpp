// nnfs/plot.hpp — a scatter plot of 2-D data as a self-contained SVG file.
//
// The book looks at its data with matplotlib:
//     plt.scatter(X[:, 0], X[:, 1], c=y, cmap='brg'); plt.show()
// The C++ counterpart writes an SVG (any browser shows it, no plotting library needed):
//     nnfs::plot::scatter_svg("spiral.svg", X, y, {.title = "spiral_data(100, 3)"});   // C++20
//     nnfs::plot::ScatterOptions opt; opt.title = "spiral_data(100, 3)";               // C++17
//     nnfs::plot::scatter_svg("spiral.svg", X, y, opt);
// Colours follow matplotlib: with labels, class c of k is brg(c / (k − 1)) — the same colours
// as `c=y, cmap='brg'` when the labels run 0..k−1 — and without labels every point is
// matplotlib's default blue (C0). Axis limits are the data range plus matplotlib's 5% margins,
// with "nice" ticks (steps of 1, 2, 2.5 or 5 × 10^n, as matplotlib's MaxNLocator picks).
// The output depends only on the inputs (no dates, no locale), so it can be compared or diffed.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace nnfs::plot {

/// An sRGB colour with 8-bit channels.
struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
};

/// "#rrggbb", as matplotlib.colors.to_hex writes it.
inline std::string to_hex(Rgb c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

/// matplotlib's 'brg' colormap at v ∈ [0, 1]: blue (0,0,1) → red (1,0,0) → green (0,1,0),
/// linear in between. matplotlib samples it into a 256-entry table, entry i at x = i/255, and
/// looks v up as entry ⌊256·v⌋ (v = 1 → entry 255). In 8-bit channels entry i is exactly
///     i ≤ 127:  (2i, 0, 255 − 2i)          i ≥ 128:  (510 − 2i, 2i − 255, 0)
/// so brg(0.5) is #fe0100, not #ff0000. Values outside [0, 1] take the end colours, as
/// matplotlib's default under/over colours do. Throws std::invalid_argument for NaN.
inline Rgb brg(double v) {
  if (std::isnan(v)) throw std::invalid_argument("nnfs::plot::brg: value is NaN");
  const double scaled = std::clamp(v, 0.0, 1.0) * 256.0;
  const int i = std::min(static_cast<int>(scaled), 255);
  if (i <= 127)
    return {static_cast<std::uint8_t>(2 * i), 0, static_cast<std::uint8_t>(255 - 2 * i)};
  return {static_cast<std::uint8_t>(510 - 2 * i), static_cast<std::uint8_t>(2 * i - 255), 0};
}

/// The colour of class c among k classes: brg(c / (k − 1)); a single class is blue.
inline Rgb class_colour(std::int64_t c, std::int64_t k) {
  if (k <= 0 || c < 0 || c >= k)
    throw std::invalid_argument(
        fmt::format("nnfs::plot::class_colour: need 0 <= c < k (got c={}, k={})", c, k));
  return k == 1 ? brg(0.0) : brg(static_cast<double>(c) / static_cast<double>(k - 1));
}

/// matplotlib's default colour for unlabelled points ('C0' of the tab10 cycle).
inline constexpr Rgb default_point_colour{0x1f, 0x77, 0xb4};

/// How the plot looks. Sizes are in SVG pixels (matplotlib's default figure is 640×480).
struct ScatterOptions {
  int width = 640;
  int height = 480;
  std::string title;
  std::string x_label;
  std::string y_label;
  double point_radius = 3.0;
  /// Number of classes k for the colours; 0 means max(y) + 1. Set it to keep colours stable
  /// when a plot shows only some of the classes.
  std::int64_t classes = 0;
  /// Legend entries ("class 0", "class 1", ... unless class_names is given). Drawn for at
  /// most max_legend_entries classes.
  bool legend = true;
  std::vector<std::string> class_names;
};

inline constexpr std::int64_t max_legend_entries = 20;

namespace detail {

/// Text for XML character data and attribute values.
inline std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even when escaped: drop them.
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
        out += ch;
    }
  }
  return out;
}

/// An axis: its limits and tick positions with their labels.
struct Axis {
  double lo = 0.0;
  double hi = 1.0;
  std::vector<double> ticks;
  std::vector<std::string> labels;
};

/// Data range [min, max] widened by matplotlib's default 5% margins on each side; a zero
/// range is widened around the value (as matplotlib's nonsingular() does).
inline void padded_limits(double min, double max, double& lo, double& hi) {
  if (max - min == 0.0) {
    const double half = min == 0.0 ? 0.05 : 0.05 * std::abs(min);
    min -= half;
    max += half;
  }
  const double margin = 0.05 * (max - min);
  lo = min - margin;
  hi = max + margin;
}

/// Ticks at multiples of a "nice" step: the smallest of {1, 2, 2.5, 5, 10} × 10^n giving at
/// most `max_bins` intervals over [lo, hi] (matplotlib's MaxNLocator steps).
inline Axis nice_axis(double lo, double hi, int max_bins) {
  Axis axis{lo, hi, {}, {}};
  const double raw = (hi - lo) / max_bins;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double mantissa = 10.0;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw * (1.0 - 1e-9)) {
      mantissa = m;
      break;
    }
  }
  const double step = mantissa * magnitude;
  // Decimals that show every tick exactly: those of the step, one more for 2.5.
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)) +
                                       (mantissa == 2.5 ? 1 : 0));
  const double first = std::ceil(lo / step - 1e-9);
  const double last = std::floor(hi / step + 1e-9);
  for (double k = first; k <= last && axis.ticks.size() <= static_cast<std::size_t>(max_bins) + 1;
       k += 1.0) {
    double value = k * step;
    if (std::abs(value) < step * 1e-9) value = 0.0;  // no "-0.00"
    axis.ticks.push_back(value);
    std::string label = fmt::format("{:.{}f}", std::abs(value), decimals);
    // matplotlib writes negative ticks with a true minus sign (U+2212).
    axis.labels.push_back(value < 0.0 ? "\u2212" + label : label);
  }
  return axis;
}

/// Checks the inputs and the options; `function` names the caller in messages.
template <class Derived>
std::int64_t check_inputs(const char* function, const Eigen::MatrixBase<Derived>& X,
                          const Labels* y, const ScatterOptions& options) {
  if (X.cols() != 2)
    throw std::invalid_argument(
        fmt::format("{}: X must have 2 columns (x, y), got shape {}", function, shape_str(X)));
  if (X.rows() == 0)
    throw std::invalid_argument(
        fmt::format("{}: X has no rows (shape {}): nothing to plot", function, shape_str(X)));
  for (Index i = 0; i < X.rows(); ++i)
    for (Index j = 0; j < 2; ++j) {
      const auto v = static_cast<double>(X(i, j));
      if (!std::isfinite(v))
        throw std::invalid_argument(
            fmt::format("{}: X({}, {}) is not finite ({})", function, i, j, v));
    }
  if (options.width < 160 || options.height < 120 || options.width > 100000 ||
      options.height > 100000)
    throw std::invalid_argument(fmt::format(
        "{}: width × height must be within 160×120 .. 100000×100000 px (got {}×{})", function,
        options.width, options.height));
  if (!(options.point_radius > 0.0) || !std::isfinite(options.point_radius))
    throw std::invalid_argument(fmt::format("{}: point_radius must be positive and finite (got {})",
                                            function, options.point_radius));
  if (options.classes < 0)
    throw std::invalid_argument(
        fmt::format("{}: classes must be >= 0 (got {})", function, options.classes));
  if (y == nullptr) return 1;
  if (y->size() != X.rows())
    throw std::invalid_argument(fmt::format("{}: y has {} labels for {} rows of X", function,
                                            y->size(), X.rows()));
  std::int64_t max_label = 0;
  for (Index i = 0; i < y->size(); ++i) {
    const std::int64_t label = (*y)(i);
    if (label < 0)
      throw std::invalid_argument(
          fmt::format("{}: label y({}) = {} is negative", function, i, label));
    if (options.classes > 0 && label >= options.classes)
      throw std::invalid_argument(fmt::format("{}: label y({}) = {} is not below classes = {}",
                                              function, i, label, options.classes));
    max_label = std::max(max_label, label);
  }
  const std::int64_t classes = options.classes > 0 ? options.classes : max_label + 1;
  if (!options.class_names.empty() &&
      static_cast<std::int64_t>(options.class_names.size()) < classes)
    throw std::invalid_argument(fmt::format("{}: {} class_names for {} classes", function,
                                            options.class_names.size(), classes));
  return classes;
}

template <class Derived>
std::string render(const char* function, const Eigen::MatrixBase<Derived>& X, const Labels* y,
                   const ScatterOptions& options) {
  const std::int64_t classes = check_inputs(function, X, y, options);
  const Index n = X.rows();

  double min_x = static_cast<double>(X(0, 0));
  double max_x = min_x;
  double min_y = static_cast<double>(X(0, 1));
  double max_y = min_y;
  for (Index i = 1; i < n; ++i) {
    min_x = std::min(min_x, static_cast<double>(X(i, 0)));
    max_x = std::max(max_x, static_cast<double>(X(i, 0)));
    min_y = std::min(min_y, static_cast<double>(X(i, 1)));
    max_y = std::max(max_y, static_cast<double>(X(i, 1)));
  }
  // Finite data can still span more than a double holds once the margins are added.
  if (!std::isfinite((max_x - min_x) * 1.2) || !std::isfinite((max_y - min_y) * 1.2) ||
      !std::isfinite(std::abs(min_x) * 1.2) || !std::isfinite(std::abs(max_x) * 1.2) ||
      !std::isfinite(std::abs(min_y) * 1.2) || !std::isfinite(std::abs(max_y) * 1.2))
    throw std::invalid_argument(fmt::format(
        "{}: coordinates too large to plot (x in [{}, {}], y in [{}, {}])", function, min_x,
        max_x, min_y, max_y));

  const bool show_legend = y != nullptr && options.legend && classes <= max_legend_entries;
  const auto label_of = [&](std::int64_t c) {
    return options.class_names.empty() ? fmt::format("class {}", c)
                                       : options.class_names[static_cast<std::size_t>(c)];
  };

  // Layout: the axes box inside fixed margins (room for the title, tick labels, axis labels
  // and, on the right, the legend).
  const double left = options.y_label.empty() ? 60.0 : 78.0;
  const double right = show_legend ? 120.0 : 24.0;
  const double top = options.title.empty() ? 24.0 : 44.0;
  const double bottom = options.x_label.empty() ? 40.0 : 58.0;
  const double plot_w = std::max(40.0, options.width - left - right);
  const double plot_h = std::max(40.0, options.height - top - bottom);

  double x_lo = 0.0, x_hi = 0.0, y_lo = 0.0, y_hi = 0.0;
  padded_limits(min_x, max_x, x_lo, x_hi);
  padded_limits(min_y, max_y, y_lo, y_hi);
  // At most 9 intervals, fewer on small plots: matplotlib allows one x tick per three label
  // heights (≈ 42 px at 10 pt) and one y tick per two (≈ 28 px).
  const Axis x_axis = nice_axis(x_lo, x_hi, std::clamp(static_cast<int>(plot_w / 42.0), 2, 9));
  const Axis y_axis = nice_axis(y_lo, y_hi, std::clamp(static_cast<int>(plot_h / 28.0), 2, 9));
  // Data → pixels: px = left + (x − x_lo)/(x_hi − x_lo)·w, py = top + (y_hi − y)/(y_hi − y_lo)·h
  // (SVG's y axis points down).
  const auto px = [&](double v) { return left + (v - x_lo) / (x_hi - x_lo) * plot_w; };
  const auto py = [&](double v) { return top + (y_hi - v) / (y_hi - y_lo) * plot_h; };

  std::string svg;
  svg.reserve(static_cast<std::size_t>(n) * 80 + 4096);
  const auto out = [&svg](const std::string& s) { svg += s; };
  out("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
  out("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n");
  out(fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" "
                  "height=\"{1}\" viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Arial, "
                  "sans-serif\">\n",
                  options.width, options.height));
  const std::string title = xml_escape(options.title);
  out(fmt::format("<title>{}</title>\n", title.empty() ? "scatter plot" : title));
  out(fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", options.width,
                  options.height));
  if (!title.empty())
    out(fmt::format("<text class=\"title\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"14\" "
                    "text-anchor=\"middle\">{}</text>\n",
                    left + plot_w / 2, top - 14.0, title));

  // Axes: the frame, ticks pointing out (matplotlib's default), tick labels, axis labels.
  out("<g class=\"axes\" stroke=\"#000000\" stroke-width=\"0.8\">\n");
  out(fmt::format("<rect class=\"frame\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" "
                  "height=\"{:.2f}\" fill=\"none\"/>\n",
                  left, top, plot_w, plot_h));
  for (const double t : x_axis.ticks)
    out(fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\"/>\n", px(t),
                    top + plot_h, top + plot_h + 5.0));
  for (const double t : y_axis.ticks)
    out(fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{2:.2f}\" y2=\"{1:.2f}\"/>\n", left,
                    py(t), left - 5.0));
  out("</g>\n<g class=\"tick-labels\" font-size=\"10\" fill=\"#000000\">\n");
  for (std::size_t k = 0; k < x_axis.ticks.size(); ++k)
    out(fmt::format("<text class=\"xtick\" x=\"{:.2f}\" y=\"{:.2f}\" "
                    "text-anchor=\"middle\">{}</text>\n",
                    px(x_axis.ticks[k]), top + plot_h + 18.0, x_axis.labels[k]));
  for (std::size_t k = 0; k < y_axis.ticks.size(); ++k)
    out(fmt::format("<text class=\"ytick\" x=\"{:.2f}\" y=\"{:.2f}\" "
                    "text-anchor=\"end\">{}</text>\n",
                    left - 8.0, py(y_axis.ticks[k]) + 3.5, y_axis.labels[k]));
  out("</g>\n");
  if (!options.x_label.empty())
    out(fmt::format("<text class=\"xlabel\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"12\" "
                    "text-anchor=\"middle\">{}</text>\n",
                    left + plot_w / 2, top + plot_h + 40.0, xml_escape(options.x_label)));
  if (!options.y_label.empty()) {
    const double lx = 18.0;
    const double ly = top + plot_h / 2;
    out(fmt::format("<text class=\"ylabel\" x=\"{0:.2f}\" y=\"{1:.2f}\" font-size=\"12\" "
                    "text-anchor=\"middle\" transform=\"rotate(-90 {0:.2f} {1:.2f})\">{2}</text>\n",
                    lx, ly, xml_escape(options.y_label)));
  }

  // The points, in row order (later rows on top, as matplotlib draws them).
  // Class colours, computed once (for any sensible number of classes).
  std::vector<std::string> fills(
      static_cast<std::size_t>(y != nullptr && classes <= 4096 ? classes : 0));
  for (std::size_t c = 0; c < fills.size(); ++c)
    fills[c] = to_hex(class_colour(static_cast<std::int64_t>(c), classes));
  out("<g class=\"points\" stroke=\"none\">\n");
  const std::string radius = fmt::format("{:.2f}", options.point_radius);
  for (Index i = 0; i < n; ++i) {
    const double cx = px(static_cast<double>(X(i, 0)));
    const double cy = py(static_cast<double>(X(i, 1)));
    if (y == nullptr) {
      out(fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n", cx, cy,
                      radius, to_hex(default_point_colour)));
    } else {
      const std::int64_t c = (*y)(i);
      const std::string fill = static_cast<std::size_t>(c) < fills.size()
                                   ? fills[static_cast<std::size_t>(c)]
                                   : to_hex(class_colour(c, classes));
      out(fmt::format("<circle class=\"c{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n",
                      c, cx, cy, radius, fill));
    }
  }
  out("</g>\n");

  if (show_legend) {
    const double lx = left + plot_w + 16.0;
    const double ly = top + 4.0;
    const auto rows = static_cast<double>(classes);
    out("<g class=\"legend\" font-size=\"10\">\n");
    out(fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"92\" height=\"{:.2f}\" "
                    "fill=\"#ffffff\" stroke=\"#cccccc\"/>\n",
                    lx, ly, 8.0 + 16.0 * rows));
    for (std::int64_t c = 0; c < classes; ++c) {
      const double row_y = ly + 12.0 + 16.0 * static_cast<double>(c);
      out(fmt::format(
          "<circle class=\"c{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4.00\" fill=\"{}\"/>\n", c,
          lx + 12.0, row_y, to_hex(class_colour(c, classes))));
      out(fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n", lx + 22.0, row_y + 3.5,
                      xml_escape(label_of(c))));
    }
    out("</g>\n");
  }
  out("</svg>\n");
  return svg;
}

}  // namespace detail

/// The SVG text of a scatter plot of X's two columns, coloured by class (matplotlib's
/// `plt.scatter(X[:,0], X[:,1], c=y, cmap='brg')`). X: n×2 of any real scalar, n ≥ 1, finite;
/// y: one label ≥ 0 per row. Throws std::invalid_argument for anything else.
template <class Derived>
std::string scatter_svg_string(const Eigen::MatrixBase<Derived>& X, const Labels& y,
                               const ScatterOptions& options = {}) {
  return detail::render("nnfs::plot::scatter_svg_string", X, &y, options);
}

/// The SVG text of a scatter plot of X's two columns, all points in one colour.
template <class Derived>
std::string scatter_svg_string(const Eigen::MatrixBase<Derived>& X,
                               const ScatterOptions& options = {}) {
  return detail::render("nnfs::plot::scatter_svg_string", X, nullptr, options);
}

/// Writes the labelled scatter plot to `path` (replacing it only once the new file is
/// complete). Throws std::invalid_argument for bad data, std::runtime_error if writing fails.
template <class Derived>
void scatter_svg(const std::filesystem::path& path, const Eigen::MatrixBase<Derived>& X,
                 const Labels& y, const ScatterOptions& options = {}) {
  nnfs::detail::write_file_replacing("nnfs::plot::scatter_svg", path,
                               detail::render("nnfs::plot::scatter_svg", X, &y, options));
}

/// Writes the unlabelled scatter plot to `path`.
template <class Derived>
void scatter_svg(const std::filesystem::path& path, const Eigen::MatrixBase<Derived>& X,
                 const ScatterOptions& options = {}) {
  nnfs::detail::write_file_replacing("nnfs::plot::scatter_svg", path,
                               detail::render("nnfs::plot::scatter_svg", X, nullptr, options));
}

}  // namespace nnfs::plot
