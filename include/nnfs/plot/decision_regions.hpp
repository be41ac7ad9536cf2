// nnfs/plot/decision_regions.hpp — what a trained classifier makes of the plane, as an SVG
// file: matplotlib's contourf of its predictions over a mesh grid (alpha=0.3), the scatter on top.
//
//     nnfs::plot::decision_regions_svg("regions.svg",
//         [&](const nnfs::Matrix<float>& P) { return scores_of(P); }, X, y);
// classify runs once, on every grid point as one batch, and returns labels or scores.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/plot/scatter.hpp"
#include "nnfs/plot/svg.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs::plot {

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

}  // namespace nnfs::plot

namespace nnfs::detail {

/// v rounded to hundredths: rect edges are written with 2 decimals, and adjacent rects must
/// share their edges exactly (no hairline gaps).
inline double round_to_hundredths(double v) { return std::round(v * 100.0) / 100.0; }

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
                           const plot::DecisionRegionsOptions& options) {
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
  const PlotFrame& g = first.frame;
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
  plot::ScatterOptions scatter = options;
  scatter.classes = classes;
  const ScatterLayout layout = layout_scatter(function, X, &y, scatter);
  const PlotFrame& f = layout.frame;

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
        plot::to_hex(plot::tint(plot::class_colour(static_cast<std::int64_t>(c), classes),
                                options.region_alpha));
  const auto tint_of = [&](std::int64_t c) {
    return static_cast<std::size_t>(c) < tints.size()
               ? tints[static_cast<std::size_t>(c)]
               : plot::to_hex(plot::tint(plot::class_colour(c, classes), options.region_alpha));
  };
  const auto x_edge = [&](Index c) {
    return round_to_hundredths(f.left +
                               f.width * static_cast<double>(c) / static_cast<double>(cols));
  };
  const auto y_edge = [&](Index r) {
    return round_to_hundredths(f.top +
                               f.height * static_cast<double>(r) / static_cast<double>(rows));
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

}  // namespace nnfs::detail

namespace nnfs::plot {

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

}  // namespace nnfs::plot
