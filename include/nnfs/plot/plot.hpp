// nnfs/plot/plot.hpp — the pictures a learner wants to look at, as self-contained SVG files:
// a scatter plot of 2-D data, the decision regions of a trained classifier, training curves.
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
//
// What a trained network makes of the plane (matplotlib: contourf of its predictions over a
// mesh grid with alpha=0.3, the scatter on top):
//     nnfs::plot::decision_regions_svg("regions.svg",
//         [&](const nnfs::Matrix<float>& P) { return scores_of(P); }, X, y);
// classify runs once, on every grid point as one batch, and returns labels or scores.
//
// Loss, accuracy and learning rate per epoch, from a History (Keras's history.history):
//     nnfs::plot::training_curves_svg("curves.svg", history);
//
// The output depends only on the inputs (no dates, no locale), so it can be compared or diffed.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/model/history.hpp"
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
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
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

/// How a decision-region plot looks: everything a scatter plot has, plus the grid.
struct DecisionRegionsOptions : ScatterOptions {
  /// Grid cells across the axes box (1..2000). Rows follow in proportion (square cells)
  /// unless grid_rows is set. The SVG has one rect per run of equal class in a grid row.
  int grid_columns = 200;
  int grid_rows = 0;
  /// How strongly a region shows its class colour, blended over white (matplotlib's
  /// contourf(..., alpha=0.3)); the points on top are drawn in full colour.
  double region_alpha = 0.3;
};

/// How training curves look. The panels are stacked and share the epoch axis: loss, accuracy
/// and (unless learning_rate is false) the learning rate.
struct TrainingCurvesOptions {
  int width = 640;
  /// 0: 160 px per panel plus the margins.
  int height = 0;
  std::string title;
  bool learning_rate = true;
};

/// matplotlib's colour cycle (tab10), first three: training, validation, data loss.
inline constexpr Rgb cycle_colours[3] = {
    {0x1f, 0x77, 0xb4}, {0xff, 0x7f, 0x0e}, {0x2c, 0xa0, 0x2c}};

/// c blended over white with opacity alpha (how a translucent fill looks on white): each
/// channel 255 − alpha·(255 − v), rounded. alpha is clamped to [0, 1]; NaN throws
/// std::invalid_argument.
inline Rgb tint(Rgb c, double alpha) {
  if (std::isnan(alpha)) throw std::invalid_argument("nnfs::plot::tint: alpha is NaN");
  alpha = std::clamp(alpha, 0.0, 1.0);
  const auto channel = [alpha](std::uint8_t v) {
    return static_cast<std::uint8_t>(std::lround(255.0 - alpha * (255.0 - v)));
  };
  return {channel(c.r), channel(c.g), channel(c.b)};
}

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
/// most `max_bins` intervals over [lo, hi] (matplotlib's MaxNLocator steps). With `integer`,
/// only whole-number steps (MaxNLocator(integer=True), for epochs).
inline Axis nice_axis(double lo, double hi, int max_bins, bool integer = false) {
  Axis axis{lo, hi, {}, {}};
  const double raw = integer ? std::max(1.0, (hi - lo) / max_bins) : (hi - lo) / max_bins;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double mantissa = 10.0;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (integer && m == 2.5 && magnitude < 10.0) continue;  // 2.5 is not a whole step
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

// ------------------------------------------------------------------ SVG building blocks

/// An axes box in the picture and the data ranges it shows. SVG's y axis points down:
///     px = left + (x − x.lo)/(x.hi − x.lo)·width,   py = top + (y.hi − y)/(y.hi − y.lo)·height
struct Frame {
  double left = 0.0;
  double top = 0.0;
  double width = 0.0;
  double height = 0.0;
  Axis x;
  Axis y;
  double px(double v) const { return left + (v - x.lo) / (x.hi - x.lo) * width; }
  double py(double v) const { return top + (y.hi - v) / (y.hi - y.lo) * height; }
};

/// Ticks for an axis box of `pixels` length: at most 9 intervals, fewer on small plots —
/// matplotlib allows one x tick per three label heights (≈ 42 px at 10 pt), one y tick per two
/// (≈ 28 px).
inline int x_bins(double pixels) { return std::clamp(static_cast<int>(pixels / 42.0), 2, 9); }
inline int y_bins(double pixels) { return std::clamp(static_cast<int>(pixels / 28.0), 2, 9); }

/// The XML prolog, the <svg> element, its <title> and a white background.
inline void begin_svg(std::string& svg, int width, int height, const std::string& escaped_title) {
  svg += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
  svg += "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
         "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n";
  svg += fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" "
                     "height=\"{1}\" viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Arial, "
                     "sans-serif\">\n",
                     width, height);
  svg += fmt::format("<title>{}</title>\n", escaped_title);
  svg += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", width, height);
}

/// The title above an axes box (nothing for an empty title).
inline void draw_title(std::string& svg, const Frame& f, const std::string& escaped_title) {
  if (escaped_title.empty()) return;
  svg += fmt::format("<text class=\"title\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"14\" "
                     "text-anchor=\"middle\">{}</text>\n",
                     f.left + f.width / 2, f.top - 14.0, escaped_title);
}

/// The frame, ticks pointing out (matplotlib's default), tick labels and axis labels.
inline void draw_axes(std::string& svg, const Frame& f, const std::string& x_label,
                      const std::string& y_label) {
  const double bottom = f.top + f.height;
  svg += "<g class=\"axes\" stroke=\"#000000\" stroke-width=\"0.8\">\n";
  svg += fmt::format("<rect class=\"frame\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" "
                     "height=\"{:.2f}\" fill=\"none\"/>\n",
                     f.left, f.top, f.width, f.height);
  for (const double t : f.x.ticks)
    svg += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{0:.2f}\" y2=\"{2:.2f}\"/>\n",
                       f.px(t), bottom, bottom + 5.0);
  for (const double t : f.y.ticks)
    svg += fmt::format("<line x1=\"{0:.2f}\" y1=\"{1:.2f}\" x2=\"{2:.2f}\" y2=\"{1:.2f}\"/>\n",
                       f.left, f.py(t), f.left - 5.0);
  svg += "</g>\n<g class=\"tick-labels\" font-size=\"10\" fill=\"#000000\">\n";
  for (std::size_t k = 0; k < f.x.ticks.size(); ++k)
    svg += fmt::format("<text class=\"xtick\" x=\"{:.2f}\" y=\"{:.2f}\" "
                       "text-anchor=\"middle\">{}</text>\n",
                       f.px(f.x.ticks[k]), bottom + 18.0, f.x.labels[k]);
  for (std::size_t k = 0; k < f.y.ticks.size(); ++k)
    svg += fmt::format("<text class=\"ytick\" x=\"{:.2f}\" y=\"{:.2f}\" "
                       "text-anchor=\"end\">{}</text>\n",
                       f.left - 8.0, f.py(f.y.ticks[k]) + 3.5, f.y.labels[k]);
  svg += "</g>\n";
  if (!x_label.empty())
    svg += fmt::format("<text class=\"xlabel\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"12\" "
                       "text-anchor=\"middle\">{}</text>\n",
                       f.left + f.width / 2, bottom + 40.0, xml_escape(x_label));
  if (!y_label.empty()) {
    const double lx = 18.0;
    const double ly = f.top + f.height / 2;
    svg += fmt::format(
        "<text class=\"ylabel\" x=\"{0:.2f}\" y=\"{1:.2f}\" font-size=\"12\" "
        "text-anchor=\"middle\" transform=\"rotate(-90 {0:.2f} {1:.2f})\">{2}</text>\n",
        lx, ly, xml_escape(y_label));
  }
}

/// One legend row: a dot (classes) or a line sample (curves), and its text.
struct LegendEntry {
  std::string cls;  // class attribute of the sample ("c0", "loss-training")
  std::string colour;
  std::string label;  // not yet escaped
  bool line = false;  // a line sample instead of a dot
  std::string dash;   // stroke-dasharray of a line sample, "" for solid
  bool dot = false;   // a dot on the line sample (a line drawn with markers)
};

/// A legend box 92 px wide at (x, y), one 16 px row per entry.
inline void draw_legend(std::string& svg, double x, double y,
                        const std::vector<LegendEntry>& entries) {
  svg += "<g class=\"legend\" font-size=\"10\">\n";
  svg += fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"92\" height=\"{:.2f}\" "
                     "fill=\"#ffffff\" stroke=\"#cccccc\"/>\n",
                     x, y, 8.0 + 16.0 * static_cast<double>(entries.size()));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double row_y = y + 12.0 + 16.0 * static_cast<double>(i);
    if (e.line)
      svg += fmt::format("<line class=\"{}\" x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" "
                         "y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"1.5\"{}/>\n",
                         e.cls, x + 4.0, row_y, x + 20.0, row_y, e.colour,
                         e.dash.empty() ? "" : " stroke-dasharray=\"" + e.dash + "\"");
    if (e.line && e.dot)
      svg += fmt::format(
          "<circle class=\"{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3.00\" fill=\"{}\"/>\n", e.cls,
          x + 12.0, row_y, e.colour);
    if (!e.line)
      svg += fmt::format(
          "<circle class=\"{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4.00\" fill=\"{}\"/>\n", e.cls,
          x + 12.0, row_y, e.colour);
    svg += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\">{}</text>\n",
                       x + 22.0 + (e.line ? 4.0 : 0.0), row_y + 3.5, xml_escape(e.label));
  }
  svg += "</g>\n";
}

// ------------------------------------------------------------------ scatter plots

/// A checked scatter plot, laid out: its class count, whether it has a legend, its axes box.
struct ScatterLayout {
  std::int64_t classes = 1;
  bool show_legend = false;
  Frame frame;
};

/// Checks X, y and the options and lays the plot out.
template <class Derived>
ScatterLayout layout_scatter(const char* function, const Eigen::MatrixBase<Derived>& X,
                             const Labels* y, const ScatterOptions& options) {
  ScatterLayout layout;
  layout.classes = check_inputs(function, X, y, options);
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

  layout.show_legend = y != nullptr && options.legend && layout.classes <= max_legend_entries;

  // Layout: the axes box inside fixed margins (room for the title, tick labels, axis labels
  // and, on the right, the legend).
  Frame& f = layout.frame;
  f.left = options.y_label.empty() ? 60.0 : 78.0;
  const double right = layout.show_legend ? 120.0 : 24.0;
  f.top = options.title.empty() ? 24.0 : 44.0;
  const double bottom = options.x_label.empty() ? 40.0 : 58.0;
  f.width = std::max(40.0, options.width - f.left - right);
  f.height = std::max(40.0, options.height - f.top - bottom);

  double x_lo = 0.0, x_hi = 0.0, y_lo = 0.0, y_hi = 0.0;
  padded_limits(min_x, max_x, x_lo, x_hi);
  padded_limits(min_y, max_y, y_lo, y_hi);
  f.x = nice_axis(x_lo, x_hi, x_bins(f.width));
  f.y = nice_axis(y_lo, y_hi, y_bins(f.height));
  return layout;
}

/// The points, in row order (later rows on top, as matplotlib draws them), and the legend.
template <class Derived>
void draw_points_and_legend(std::string& svg, const ScatterLayout& layout,
                            const Eigen::MatrixBase<Derived>& X, const Labels* y,
                            const ScatterOptions& options) {
  const Frame& f = layout.frame;
  const std::int64_t classes = layout.classes;
  // Class colours, computed once (for any sensible number of classes).
  std::vector<std::string> fills(
      static_cast<std::size_t>(y != nullptr && classes <= 4096 ? classes : 0));
  for (std::size_t c = 0; c < fills.size(); ++c)
    fills[c] = to_hex(class_colour(static_cast<std::int64_t>(c), classes));
  svg += "<g class=\"points\" stroke=\"none\">\n";
  const std::string radius = fmt::format("{:.2f}", options.point_radius);
  for (Index i = 0; i < X.rows(); ++i) {
    const double cx = f.px(static_cast<double>(X(i, 0)));
    const double cy = f.py(static_cast<double>(X(i, 1)));
    if (y == nullptr) {
      svg += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n", cx, cy,
                         radius, to_hex(default_point_colour));
    } else {
      const std::int64_t c = (*y)(i);
      const std::string fill = static_cast<std::size_t>(c) < fills.size()
                                   ? fills[static_cast<std::size_t>(c)]
                                   : to_hex(class_colour(c, classes));
      svg += fmt::format(
          "<circle class=\"c{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n", c, cx, cy,
          radius, fill);
    }
  }
  svg += "</g>\n";

  if (layout.show_legend) {
    std::vector<LegendEntry> entries;
    for (std::int64_t c = 0; c < classes; ++c)
      entries.push_back({fmt::format("c{}", c), to_hex(class_colour(c, classes)),
                         options.class_names.empty()
                             ? fmt::format("class {}", c)
                             : options.class_names[static_cast<std::size_t>(c)],
                         false, "", false});
    draw_legend(svg, f.left + f.width + 16.0, f.top + 4.0, entries);
  }
}

template <class Derived>
std::string render(const char* function, const Eigen::MatrixBase<Derived>& X, const Labels* y,
                   const ScatterOptions& options) {
  const ScatterLayout layout = layout_scatter(function, X, y, options);
  std::string svg;
  svg.reserve(static_cast<std::size_t>(X.rows()) * 80 + 4096);
  const std::string title = xml_escape(options.title);
  begin_svg(svg, options.width, options.height, title.empty() ? "scatter plot" : title);
  draw_title(svg, layout.frame, title);
  draw_axes(svg, layout.frame, options.x_label, options.y_label);
  draw_points_and_legend(svg, layout, X, y, options);
  svg += "</svg>\n";
  return svg;
}

// ------------------------------------------------------------------ decision regions

/// v rounded to hundredths: rect edges are written with 2 decimals, and adjacent rects must
/// share their edges exactly (no hairline gaps).
inline double round2(double v) { return std::round(v * 100.0) / 100.0; }

/// The class of every grid point from what classify returned: labels (an integer vector of m
/// entries) or scores (m × k, floating point; the argmax of each row, the first on ties; one
/// column is a probability of class 1, as the book's binary output: class = score > 0.5).
/// Sets `score_columns` to k for scores (2 for one column), 0 for labels.
template <class Result, class Grid>
std::vector<std::int64_t> grid_classes(const char* function, const Result& result,
                                       const Grid& grid, std::int64_t& score_columns) {
  using R = std::decay_t<Result>;
  static_assert(std::is_base_of_v<Eigen::DenseBase<R>, R>,
                "classify must return nnfs::Labels (or another integer Eigen vector) or an "
                "Eigen matrix of scores, one row per grid point");
  using S = typename R::Scalar;
  static_assert(std::is_integral_v<S> || std::is_floating_point_v<S>,
                "classify must return integer labels or floating-point scores");
  const typename R::PlainObject values = result;  // evaluates expressions once // NOLINT(performance-unnecessary-copy-initialization): `result` may be an expression; a copy of a plain object is one pass
  const Index m = grid.rows();
  const auto point = [&](Index i) {
    return fmt::format("grid point {} at ({}, {})", i, static_cast<double>(grid(i, 0)),
                       static_cast<double>(grid(i, 1)));
  };
  std::vector<std::int64_t> classes(static_cast<std::size_t>(m));
  if constexpr (std::is_integral_v<S>) {
    score_columns = 0;
    if (values.size() != m || (values.rows() != 1 && values.cols() != 1))
      throw std::invalid_argument(fmt::format(
          "{}: classify returned labels of shape {} for the {} grid points (expected {} labels "
          "or a {}×k matrix of scores)",
          function, shape_str(values), shape_str(grid), m, m));
    for (Index i = 0; i < m; ++i) {
      const auto label = static_cast<std::int64_t>(values(i));
      if (label < 0)
        throw std::invalid_argument(fmt::format("{}: classify returned label {} (negative) for {}",
                                                function, label, point(i)));
      classes[static_cast<std::size_t>(i)] = label;
    }
  } else {
    if (values.rows() != m || values.cols() < 1)
      throw std::invalid_argument(fmt::format(
          "{}: classify returned scores of shape {} for the {} grid points (expected {} labels "
          "or a {}×k matrix of scores)",
          function, shape_str(values), shape_str(grid), m, m));
    const Index k = values.cols();
    score_columns = k == 1 ? 2 : static_cast<std::int64_t>(k);
    for (Index i = 0; i < m; ++i) {
      Index best = 0;
      for (Index j = 0; j < k; ++j) {
        const auto v = static_cast<double>(values(i, j));
        if (!std::isfinite(v))
          throw std::invalid_argument(fmt::format(
              "{}: classify returned a non-finite score ({}) in column {} for {}", function, v, j,
              point(i)));
        if (v > static_cast<double>(values(i, best))) best = j;
      }
      const bool above_half = static_cast<double>(values(i, 0)) > 0.5;
      classes[static_cast<std::size_t>(i)] =
          k == 1 ? (above_half ? 1 : 0) : static_cast<std::int64_t>(best);
    }
  }
  return classes;
}

template <class Classify, class Derived>
std::string render_regions(const char* function, Classify&& classify,
                           const Eigen::MatrixBase<Derived>& X, const Labels& y,
                           const DecisionRegionsOptions& options) {
  using Scalar = typename Derived::Scalar;
  using T = std::conditional_t<std::is_floating_point_v<Scalar>, Scalar, double>;
  // Everything about X, y and the scatter options is checked before classify runs.
  const ScatterLayout first = layout_scatter(function, X, &y, options);
  if (options.grid_columns < 1 || options.grid_columns > 2000 || options.grid_rows < 0 ||
      options.grid_rows > 2000)
    throw std::invalid_argument(fmt::format(
        "{}: grid_columns must be within 1..2000 and grid_rows within 0..2000 (got {} and {})",
        function, options.grid_columns, options.grid_rows));
  if (!(options.region_alpha > 0.0 && options.region_alpha <= 1.0))
    throw std::invalid_argument(fmt::format("{}: region_alpha must be in (0, 1] (got {})",
                                            function, options.region_alpha));
  const Index cols = options.grid_columns;
  const Index rows =
      options.grid_rows > 0
          ? options.grid_rows
          : std::clamp<Index>(std::lround(static_cast<double>(cols) * first.frame.height /
                                          first.frame.width),
                              1, 2000);

  // Cell centres, row by row from the top, left to right: one batch for classify.
  const Frame& g = first.frame;
  Matrix<T> grid(rows * cols, 2);
  for (Index r = 0; r < rows; ++r)
    for (Index c = 0; c < cols; ++c) {
      grid(r * cols + c, 0) = static_cast<T>(
          g.x.lo + (static_cast<double>(c) + 0.5) / static_cast<double>(cols) * (g.x.hi - g.x.lo));
      grid(r * cols + c, 1) = static_cast<T>(
          g.y.hi - (static_cast<double>(r) + 0.5) / static_cast<double>(rows) * (g.y.hi - g.y.lo));
    }
  std::int64_t score_columns = 0;
  const std::vector<std::int64_t> predicted =
      grid_classes(function, std::invoke(std::forward<Classify>(classify), std::as_const(grid)),
                   grid, score_columns);

  // The class count: given, or enough for the labels, the predictions and the score columns.
  std::int64_t classes = options.classes;
  if (classes > 0) {
    for (std::size_t i = 0; i < predicted.size(); ++i)
      if (predicted[i] >= classes)
        throw std::invalid_argument(fmt::format(
            "{}: classify returned class {} for grid point {}, not below classes = {}", function,
            predicted[i], i, classes));
  } else {
    classes = std::max(first.classes, score_columns);
    for (const std::int64_t c : predicted) classes = std::max(classes, c + 1);
  }
  ScatterOptions scatter = options;
  scatter.classes = classes;
  const ScatterLayout layout = layout_scatter(function, X, &y, scatter);
  const Frame& f = layout.frame;

  std::string svg;
  svg.reserve(static_cast<std::size_t>(X.rows()) * 80 + static_cast<std::size_t>(rows) * 600 +
              4096);
  const std::string title = xml_escape(options.title);
  begin_svg(svg, options.width, options.height, title.empty() ? "decision regions" : title);
  draw_title(svg, f, title);

  // One rect per run of equal class in a grid row, in the class colour's tint.
  std::vector<std::string> tints(static_cast<std::size_t>(std::min<std::int64_t>(classes, 4096)));
  for (std::size_t c = 0; c < tints.size(); ++c)
    tints[c] =
        to_hex(tint(class_colour(static_cast<std::int64_t>(c), classes), options.region_alpha));
  const auto tint_of = [&](std::int64_t c) {
    return static_cast<std::size_t>(c) < tints.size()
               ? tints[static_cast<std::size_t>(c)]
               : to_hex(tint(class_colour(c, classes), options.region_alpha));
  };
  const auto x_edge = [&](Index c) {
    return round2(f.left + f.width * static_cast<double>(c) / static_cast<double>(cols));
  };
  const auto y_edge = [&](Index r) {
    return round2(f.top + f.height * static_cast<double>(r) / static_cast<double>(rows));
  };
  svg += "<g class=\"regions\" stroke=\"none\" shape-rendering=\"crispEdges\">\n";
  for (Index r = 0; r < rows; ++r) {
    const double y0 = y_edge(r);
    const double y1 = y_edge(r + 1);
    for (Index c = 0; c < cols;) {
      const std::int64_t cls = predicted[static_cast<std::size_t>(r * cols + c)];
      Index end = c + 1;
      while (end < cols && predicted[static_cast<std::size_t>(r * cols + end)] == cls) ++end;
      const double x0 = x_edge(c);
      const double x1 = x_edge(end);
      svg += fmt::format(
          "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>\n", x0,
          y0, x1 - x0, y1 - y0, tint_of(cls));
      c = end;
    }
  }
  svg += "</g>\n";

  draw_axes(svg, f, options.x_label, options.y_label);
  draw_points_and_legend(svg, layout, X, &y, scatter);
  svg += "</svg>\n";
  return svg;
}

// ------------------------------------------------------------------ training curves

/// One line of a panel: a value per History record, NaN where there is none.
struct Series {
  std::string cls;    // "loss-training"
  std::string label;  // the legend's text
  Rgb colour;
  std::vector<double> values;
  bool markers = false;  // a dot at every value (drawn only for up to 100 values)
  std::string dash;      // stroke-dasharray, "" for solid
};

struct Panel {
  std::string name;  // the group's class is "panel-<name>"
  std::string y_label;
  std::vector<Series> series;
};

inline std::string render_curves(const char* function, const History& history,
                                 const TrainingCurvesOptions& options) {
  if (history.empty())
    throw std::invalid_argument(
        fmt::format("{}: the history has no records: nothing to plot", function));
  const std::vector<History::Record>& records = history.records;
  for (std::size_t i = 1; i < records.size(); ++i)
    if (records[i].epoch <= records[i - 1].epoch)
      throw std::invalid_argument(fmt::format(
          "{}: epochs must increase, but record {} has epoch {} after epoch {}", function, i,
          records[i].epoch, records[i - 1].epoch));

  const auto column = [&](auto get) {
    std::vector<double> v;
    v.reserve(records.size());
    for (const History::Record& r : records) v.push_back(get(r));
    return v;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto present = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return !std::isnan(x); });
  };

  std::vector<Panel> panels;
  {
    Panel loss{"loss", "loss", {}};
    loss.series.push_back(
        {"loss-training", "training", cycle_colours[0],
         column([](const History::Record& r) { return r.loss; }), false, ""});
    const bool regularized = std::any_of(records.begin(), records.end(), [](const auto& r) {
      return std::isfinite(r.regularization_loss) && r.regularization_loss != 0.0;
    });
    if (regularized)
      loss.series.push_back(
          {"loss-data", "data loss", cycle_colours[2],
           column([](const History::Record& r) { return r.data_loss; }), false, "5 3"});
    std::vector<double> validation = column(
        [nan](const History::Record& r) { return r.validation_loss.value_or(nan); });
    if (present(validation))
      loss.series.push_back(
          {"loss-validation", "validation", cycle_colours[1], std::move(validation), true, ""});
    panels.push_back(std::move(loss));
  }
  {
    Panel accuracy{"accuracy", "accuracy", {}};
    accuracy.series.push_back(
        {"accuracy-training", "training", cycle_colours[0],
         column([](const History::Record& r) { return r.accuracy; }), false, ""});
    std::vector<double> validation = column(
        [nan](const History::Record& r) { return r.validation_accuracy.value_or(nan); });
    if (present(validation))
      accuracy.series.push_back({"accuracy-validation", "validation", cycle_colours[1],
                                 std::move(validation), true, ""});
    panels.push_back(std::move(accuracy));
  }
  if (options.learning_rate) {
    Panel rate{"learning-rate", "learning rate", {}};
    rate.series.push_back({"learning-rate", "learning rate", cycle_colours[0],
                           column([](const History::Record& r) { return r.learning_rate; }),
                           false, ""});
    panels.push_back(std::move(rate));
  }

  // Layout: panels stacked, each with its tick labels; the epoch label under the last one.
  const double left = 78.0;
  const double right = 120.0;
  const double top = options.title.empty() ? 24.0 : 44.0;
  const double bottom = 58.0;
  const double gap = 36.0;
  const auto n_panels = static_cast<double>(panels.size());
  const int height = options.height > 0
                         ? options.height
                         : static_cast<int>(top + bottom + gap * (n_panels - 1) + 160.0 * n_panels);
  const double panel_h = (height - top - bottom - gap * (n_panels - 1)) / n_panels;
  const double plot_w = options.width - left - right;
  if (options.width < 320 || options.width > 100000 || height > 100000 || panel_h < 60.0)
    throw std::invalid_argument(fmt::format(
        "{}: width must be within 320..100000 px and height leave at least 60 px per panel "
        "(got {}×{} for {} panels)",
        function, options.width, options.height, panels.size()));

  double x_lo = 0.0, x_hi = 0.0;
  padded_limits(static_cast<double>(records.front().epoch),
                static_cast<double>(records.back().epoch), x_lo, x_hi);
  const Axis x_axis = nice_axis(x_lo, x_hi, x_bins(plot_w), true);

  std::string svg;
  svg.reserve(records.size() * 40 * panels.size() + 8192);
  const std::string title = xml_escape(options.title);
  begin_svg(svg, options.width, height, title.empty() ? "training curves" : title);

  for (std::size_t p = 0; p < panels.size(); ++p) {
    const Panel& panel = panels[p];
    Frame f;
    f.left = left;
    f.top = top + static_cast<double>(p) * (panel_h + gap);
    f.width = plot_w;
    f.height = panel_h;
    f.x = x_axis;
    // y limits: the finite values of all the panel's lines, plus 5% margins.
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const Series& s : panel.series)
      for (const double v : s.values)
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
    const bool any = lo <= hi;
    if (!any) {
      lo = 0.0;
      hi = 1.0;
    }
    if (!std::isfinite((hi - lo) * 1.2) || !std::isfinite(std::abs(lo) * 1.2) ||
        !std::isfinite(std::abs(hi) * 1.2))
      throw std::invalid_argument(fmt::format("{}: {} values too large to plot ([{}, {}])",
                                              function, panel.y_label, lo, hi));
    double y_lo = 0.0, y_hi = 0.0;
    padded_limits(lo, hi, y_lo, y_hi);
    f.y = nice_axis(y_lo, y_hi, y_bins(panel_h));

    svg += fmt::format("<g class=\"panel-{}\">\n", panel.name);
    if (p == 0) draw_title(svg, f, title);
    draw_axes(svg, f, p + 1 == panels.size() ? "epoch" : "", panel.y_label);
    if (!any)
      svg += fmt::format("<text class=\"note\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"10\" "
                         "text-anchor=\"middle\" fill=\"#666666\">no finite values</text>\n",
                         f.left + f.width / 2, f.top + f.height / 2);

    // Lines through the finite values; a NaN or infinite value breaks the line, and a finite
    // value alone between breaks is drawn as a dot.
    svg += "<g class=\"lines\" fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\">\n";
    for (const Series& s : panel.series) {
      const std::string colour = to_hex(s.colour);
      const std::string dash =
          s.dash.empty() ? std::string() : " stroke-dasharray=\"" + s.dash + "\"";
      std::vector<std::size_t> dots;
      for (std::size_t i = 0; i < s.values.size();) {
        if (!std::isfinite(s.values[i])) {
          ++i;
          continue;
        }
        std::size_t end = i;
        while (end < s.values.size() && std::isfinite(s.values[end])) ++end;
        if (end - i == 1) {
          dots.push_back(i);
        } else {
          std::string points;
          for (std::size_t k = i; k < end; ++k)
            points += fmt::format("{}{:.2f},{:.2f}", k == i ? "" : " ",
                                  f.px(static_cast<double>(records[k].epoch)), f.py(s.values[k]));
          svg += fmt::format("<polyline class=\"{}\" stroke=\"{}\"{} points=\"{}\"/>\n", s.cls,
                             colour, dash, points);
        }
        i = end;
      }
      if (s.markers && s.values.size() <= 100) {
        dots.clear();
        for (std::size_t i = 0; i < s.values.size(); ++i)
          if (std::isfinite(s.values[i])) dots.push_back(i);
      }
      for (const std::size_t i : dots)
        svg += fmt::format(
            "<circle class=\"{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3.00\" fill=\"{}\" "
            "stroke=\"none\"/>\n",
            s.cls, f.px(static_cast<double>(records[i].epoch)), f.py(s.values[i]), colour);
    }
    svg += "</g>\n";
    if (panel.series.size() > 1) {
      std::vector<LegendEntry> entries;
      for (const Series& s : panel.series)
        entries.push_back({s.cls, to_hex(s.colour), s.label, true, s.dash, s.markers});
      draw_legend(svg, f.left + f.width + 16.0, f.top + 4.0, entries);
    }
    svg += "</g>\n";
  }
  svg += "</svg>\n";
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

// ------------------------------------------------------------------ decision regions

/// The SVG text of a classifier's decision regions with the data on top (matplotlib:
/// contourf(xx, yy, predictions, alpha=0.3, cmap='brg') then scatter(X[:,0], X[:,1], c=y)).
///
/// The axes box is the scatter plot's (X's range plus 5% margins), divided into
/// options.grid_columns columns and rows in proportion. `classify` is called once with the
/// M×2 matrix of all cell centres (nnfs::Matrix<T>, T = X's scalar, double for integer X;
/// rows from the top row of cells, left to right) and returns either
///   - M labels (nnfs::Labels or any integer Eigen vector), each ≥ 0, or
///   - an M×k matrix of scores (floating point, all finite): the class is the argmax of each
///     row, the first column on ties; a single column is the probability of class 1 (class 1
///     where the score is > 0.5), as a sigmoid output is read in the book.
/// Each cell gets a light tint of its class colour (region_alpha over white), with equal
/// neighbours in a row merged into one rect; the points follow in full colour, then the
/// legend. The class count is options.classes, or else enough for y, the predictions and the
/// score columns, so regions and points share their colours.
/// Throws std::invalid_argument for bad X, y or options (as scatter_svg_string), a result of
/// the wrong size, a negative or (with options.classes) too large label, a non-finite score.
template <class Classify, class Derived>
std::string decision_regions_svg_string(Classify&& classify, const Eigen::MatrixBase<Derived>& X,
                                        const Labels& y,
                                        const DecisionRegionsOptions& options = {}) {
  return detail::render_regions("nnfs::plot::decision_regions_svg_string",
                                std::forward<Classify>(classify), X, y, options);
}

/// Writes the decision-region plot to `path` (replacing it only once the new file is
/// complete). Throws std::invalid_argument as decision_regions_svg_string, std::runtime_error
/// if writing fails.
template <class Classify, class Derived>
void decision_regions_svg(const std::filesystem::path& path, Classify&& classify,
                          const Eigen::MatrixBase<Derived>& X, const Labels& y,
                          const DecisionRegionsOptions& options = {}) {
  nnfs::detail::write_file_replacing(
      "nnfs::plot::decision_regions_svg", path,
      detail::render_regions("nnfs::plot::decision_regions_svg", std::forward<Classify>(classify),
                             X, y, options));
}

// ------------------------------------------------------------------ training curves

/// The SVG text of a run's training curves, one panel above the other, sharing the epoch axis:
///   loss           training loss (blue); the data loss (green, dashed) when some record has a
///                  non-zero regularization loss; validation loss (orange, with dots) if any
///   accuracy       training and validation accuracy
///   learning rate  the optimizer's current learning rate (unless options.learning_rate is false)
/// Each panel's y axis spans its finite values plus 5% margins (matplotlib's autoscaling).
/// Values that are NaN or infinite (a diverged run) or absent (no validation that epoch) are
/// skipped: the line breaks there, a lone value between gaps is drawn as a dot, and a panel
/// with no finite value at all says so. Throws std::invalid_argument for an empty history,
/// epochs that do not increase, or a size that leaves less than 60 px per panel.
inline std::string training_curves_svg_string(const History& history,
                                              const TrainingCurvesOptions& options = {}) {
  return detail::render_curves("nnfs::plot::training_curves_svg_string", history, options);
}

/// Writes the training curves to `path` (replacing it only once the new file is complete).
inline void training_curves_svg(const std::filesystem::path& path, const History& history,
                                const TrainingCurvesOptions& options = {}) {
  nnfs::detail::write_file_replacing(
      "nnfs::plot::training_curves_svg", path,
      detail::render_curves("nnfs::plot::training_curves_svg", history, options));
}

}  // namespace nnfs::plot
