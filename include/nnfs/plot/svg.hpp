// nnfs/plot/svg.hpp — what every plot of nnfs/plot/ shares: matplotlib's colours (brg, tab10,
// tints), "nice" axes with matplotlib's margins and ticks, and the SVG building blocks (the
// document, title, axes, legend).
//
// The output depends only on the inputs (no dates, no locale), so it can be compared or diffed.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
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

}  // namespace nnfs::plot

namespace nnfs::detail {

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
struct PlotAxis {
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
inline PlotAxis nice_axis(double lo, double hi, int max_bins, bool integer = false) {
  PlotAxis axis{lo, hi, {}, {}};
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

// ------------------------------------------------------------------ SVG building blocks

/// An axes box in the picture and the data ranges it shows. SVG's y axis points down:
///     px = left + (x − x.lo)/(x.hi − x.lo)·width,   py = top + (y.hi − y)/(y.hi − y.lo)·height
struct PlotFrame {
  double left = 0.0;
  double top = 0.0;
  double width = 0.0;
  double height = 0.0;
  PlotAxis x;
  PlotAxis y;
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
inline void draw_title(std::string& svg, const PlotFrame& f, const std::string& escaped_title) {
  if (escaped_title.empty()) return;
  svg += fmt::format("<text class=\"title\" x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"14\" "
                     "text-anchor=\"middle\">{}</text>\n",
                     f.left + f.width / 2, f.top - 14.0, escaped_title);
}

/// The frame, ticks pointing out (matplotlib's default), tick labels and axis labels.
inline void draw_axes(std::string& svg, const PlotFrame& f, const std::string& x_label,
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

}  // namespace nnfs::detail
