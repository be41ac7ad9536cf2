// nnfs/plot/training_curves.hpp — loss, accuracy and learning rate per epoch from a History
// (Keras's history.history), as an SVG file:
//
//     nnfs::plot::training_curves_svg("curves.svg", history);
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/model/history.hpp"
#include "nnfs/plot/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nnfs::plot {

/// How training curves look. The panels are stacked and share the epoch axis: loss, accuracy
/// and (unless learning_rate is false) the learning rate.
struct TrainingCurvesOptions {
  int width = 640;
  /// 0: 160 px per panel plus the margins.
  int height = 0;
  std::string title;
  bool learning_rate = true;
};

}  // namespace nnfs::plot

namespace nnfs::detail {

/// One line of a panel: a value per History record, NaN where there is none.
struct CurveSeries {
  std::string cls;    // "loss-training"
  std::string label;  // the legend's text
  plot::Rgb colour;
  std::vector<double> values;
  bool markers = false;  // a dot at every value (drawn only for up to 100 values)
  std::string dash;      // stroke-dasharray, "" for solid
};

struct CurvePanel {
  std::string name;  // the group's class is "panel-<name>"
  std::string y_label;
  std::vector<CurveSeries> series;
};

inline std::string render_curves(const char* function, const History& history,
                                 const plot::TrainingCurvesOptions& options) {
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

  std::vector<CurvePanel> panels;
  {
    CurvePanel loss{"loss", "loss", {}};
    loss.series.push_back(
        {"loss-training", "training", plot::cycle_colours[0],
         column([](const History::Record& r) { return r.loss; }), false, ""});
    const bool regularized = std::any_of(records.begin(), records.end(), [](const auto& r) {
      return std::isfinite(r.regularization_loss) && r.regularization_loss != 0.0;
    });
    if (regularized)
      loss.series.push_back(
          {"loss-data", "data loss", plot::cycle_colours[2],
           column([](const History::Record& r) { return r.data_loss; }), false, "5 3"});
    std::vector<double> validation = column(
        [nan](const History::Record& r) { return r.validation_loss.value_or(nan); });
    if (present(validation))
      loss.series.push_back(
          {"loss-validation", "validation", plot::cycle_colours[1], std::move(validation), true,
           ""});
    panels.push_back(std::move(loss));
  }
  {
    CurvePanel accuracy{"accuracy", "accuracy", {}};
    accuracy.series.push_back(
        {"accuracy-training", "training", plot::cycle_colours[0],
         column([](const History::Record& r) { return r.accuracy; }), false, ""});
    std::vector<double> validation = column(
        [nan](const History::Record& r) { return r.validation_accuracy.value_or(nan); });
    if (present(validation))
      accuracy.series.push_back({"accuracy-validation", "validation", plot::cycle_colours[1],
                                 std::move(validation), true, ""});
    panels.push_back(std::move(accuracy));
  }
  if (options.learning_rate) {
    CurvePanel rate{"learning-rate", "learning rate", {}};
    rate.series.push_back({"learning-rate", "learning rate", plot::cycle_colours[0],
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
  const PlotAxis x_axis = nice_axis(x_lo, x_hi, x_bins(plot_w), true);

  std::string svg;
  svg.reserve(records.size() * 40 * panels.size() + 8192);
  const std::string title = xml_escape(options.title);
  begin_svg(svg, options.width, height, title.empty() ? "training curves" : title);

  for (std::size_t p = 0; p < panels.size(); ++p) {
    const CurvePanel& panel = panels[p];
    PlotFrame f;
    f.left = left;
    f.top = top + static_cast<double>(p) * (panel_h + gap);
    f.width = plot_w;
    f.height = panel_h;
    f.x = x_axis;
    // y limits: the finite values of all the panel's lines, plus 5% margins.
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const CurveSeries& s : panel.series)
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
    for (const CurveSeries& s : panel.series) {
      const std::string colour = plot::to_hex(s.colour);
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
      for (const CurveSeries& s : panel.series)
        entries.push_back({s.cls, plot::to_hex(s.colour), s.label, true, s.dash, s.markers});
      draw_legend(svg, f.left + f.width + 16.0, f.top + 4.0, entries);
    }
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace nnfs::detail

namespace nnfs::plot {

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
