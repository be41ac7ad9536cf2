// nnfs/plot/scatter.hpp — a scatter plot of 2-D data as an SVG file, coloured by class
// (matplotlib's plt.scatter(X[:, 0], X[:, 1], c=y, cmap='brg')).
//
//     nnfs::plot::scatter_svg("spiral.svg", X, y, {.title = "spiral_data(100, 3)"});   // C++20
//     nnfs::plot::ScatterOptions opt; opt.title = "spiral_data(100, 3)";               // C++17
//     nnfs::plot::scatter_svg("spiral.svg", X, y, opt);
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/plot/svg.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnfs::plot {

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

}  // namespace nnfs::plot

namespace nnfs::detail {

template <class Derived>
std::int64_t check_scatter_inputs(const char* function, const Eigen::MatrixBase<Derived>& X,
                                  const Labels* y, const plot::ScatterOptions& options) {
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

// ------------------------------------------------------------------ scatter plots

/// A checked scatter plot, laid out: its class count, whether it has a legend, its axes box.
struct ScatterLayout {
  std::int64_t classes = 1;
  bool show_legend = false;
  PlotFrame frame;
};

/// Checks X, y and the options and lays the plot out.
template <class Derived>
ScatterLayout layout_scatter(const char* function, const Eigen::MatrixBase<Derived>& X,
                             const Labels* y, const plot::ScatterOptions& options) {
  ScatterLayout layout;
  layout.classes = check_scatter_inputs(function, X, y, options);
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

  layout.show_legend = y != nullptr && options.legend && layout.classes <= plot::max_legend_entries;

  // Layout: the axes box inside fixed margins (room for the title, tick labels, axis labels
  // and, on the right, the legend).
  PlotFrame& f = layout.frame;
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
                            const plot::ScatterOptions& options) {
  const PlotFrame& f = layout.frame;
  const std::int64_t classes = layout.classes;
  // Class colours, computed once (for any sensible number of classes).
  std::vector<std::string> fills(
      static_cast<std::size_t>(y != nullptr && classes <= 4096 ? classes : 0));
  for (std::size_t c = 0; c < fills.size(); ++c)
    fills[c] = plot::to_hex(plot::class_colour(static_cast<std::int64_t>(c), classes));
  svg += "<g class=\"points\" stroke=\"none\">\n";
  const std::string radius = fmt::format("{:.2f}", options.point_radius);
  for (Index i = 0; i < X.rows(); ++i) {
    const double cx = f.px(static_cast<double>(X(i, 0)));
    const double cy = f.py(static_cast<double>(X(i, 1)));
    if (y == nullptr) {
      svg += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n", cx, cy,
                         radius, plot::to_hex(plot::default_point_colour));
    } else {
      const std::int64_t c = (*y)(i);
      const std::string fill = static_cast<std::size_t>(c) < fills.size()
                                   ? fills[static_cast<std::size_t>(c)]
                                   : plot::to_hex(plot::class_colour(c, classes));
      svg += fmt::format(
          "<circle class=\"c{}\" cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{}\" fill=\"{}\"/>\n", c, cx, cy,
          radius, fill);
    }
  }
  svg += "</g>\n";

  if (layout.show_legend) {
    std::vector<LegendEntry> entries;
    for (std::int64_t c = 0; c < classes; ++c)
      entries.push_back({fmt::format("c{}", c), plot::to_hex(plot::class_colour(c, classes)),
                         options.class_names.empty()
                             ? fmt::format("class {}", c)
                             : options.class_names[static_cast<std::size_t>(c)],
                         false, "", false});
    draw_legend(svg, f.left + f.width + 16.0, f.top + 4.0, entries);
  }
}

template <class Derived>
std::string render_scatter(const char* function, const Eigen::MatrixBase<Derived>& X,
                           const Labels* y, const plot::ScatterOptions& options) {
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

}  // namespace nnfs::detail

namespace nnfs::plot {

/// The SVG text of a scatter plot of X's two columns, coloured by class (matplotlib's
/// `plt.scatter(X[:,0], X[:,1], c=y, cmap='brg')`). X: n×2 of any real scalar, n ≥ 1, finite;
/// y: one label ≥ 0 per row. Throws std::invalid_argument for anything else.
template <class Derived>
std::string scatter_svg_string(const Eigen::MatrixBase<Derived>& X, const Labels& y,
                               const ScatterOptions& options = {}) {
  return detail::render_scatter("nnfs::plot::scatter_svg_string", X, &y, options);
}

/// The SVG text of a scatter plot of X's two columns, all points in one colour.
template <class Derived>
std::string scatter_svg_string(const Eigen::MatrixBase<Derived>& X,
                               const ScatterOptions& options = {}) {
  return detail::render_scatter("nnfs::plot::scatter_svg_string", X, nullptr, options);
}

/// Writes the labelled scatter plot to `path` (replacing it only once the new file is
/// complete). Throws std::invalid_argument for bad data, std::runtime_error if writing fails.
template <class Derived>
void scatter_svg(const std::filesystem::path& path, const Eigen::MatrixBase<Derived>& X,
                 const Labels& y, const ScatterOptions& options = {}) {
  nnfs::detail::write_file_replacing(
      "nnfs::plot::scatter_svg", path,
      detail::render_scatter("nnfs::plot::scatter_svg", X, &y, options));
}

/// Writes the unlabelled scatter plot to `path`.
template <class Derived>
void scatter_svg(const std::filesystem::path& path, const Eigen::MatrixBase<Derived>& X,
                 const ScatterOptions& options = {}) {
  nnfs::detail::write_file_replacing(
      "nnfs::plot::scatter_svg", path,
      detail::render_scatter("nnfs::plot::scatter_svg", X, nullptr, options));
}

}  // namespace nnfs::plot
