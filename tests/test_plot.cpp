// nnfs::plot: matplotlib's 'brg' colours, the SVG's structure (one circle per row, in the
// right place and colour), well-formed XML, safe file replacement and input validation; the
// decision regions (rects by grid cell, merged runs, classify's result checked) and the
// training curves (each value at the pixel its axis gives).
#include "nnfs/plot/plot.hpp"

#include "nnfs/datasets/spiral.hpp"
#include "nnfs/model/history.hpp"
#include "nnfs/random_state.hpp"

#include "nnfs_catch.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

// ------------------------------------------------------------------ a small XML reader

struct Tag {
  std::string name;                          // "svg", "circle", "/g" for a closing tag
  std::map<std::string, std::string> attrs;  // raw (still escaped) values
  bool self_closing = false;
  std::string text;  // character data up to the next tag
};

/// Splits an XML document into tags; returns false (with a reason) when the document is not
/// well-formed: unbalanced or mismatched tags, a raw '<' or bad '&' in text or attributes,
/// duplicate attributes, anything but one root element.
bool parse_xml(const std::string& doc, std::vector<Tag>& tags, std::string& why) {
  const auto entity_ok = [](const std::string& s) {
    for (std::size_t p = s.find('&'); p != std::string::npos; p = s.find('&', p + 1)) {
      const std::size_t semi = s.find(';', p);
      if (semi == std::string::npos) return false;
      const std::string e = s.substr(p + 1, semi - p - 1);
      if (e != "amp" && e != "lt" && e != "gt" && e != "quot" && e != "apos" &&
          !(e.size() > 1 && e[0] == '#'))
        return false;
    }
    return true;
  };
  std::vector<std::string> open;
  int roots = 0;
  std::size_t i = 0;
  while (i < doc.size()) {
    const std::size_t lt = doc.find('<', i);
    const std::string between = doc.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
    if (!entity_ok(between)) return why = "bad '&' in text: " + between, false;
    if (open.empty() && between.find_first_not_of(" \t\r\n") != std::string::npos)
      return why = "text outside the root element", false;
    if (!tags.empty()) tags.back().text += between;
    if (lt == std::string::npos) break;
    if (doc.compare(lt, 5, "<?xml") == 0 || doc.compare(lt, 9, "<!DOCTYPE") == 0) {
      if (roots > 0 || !open.empty()) return why = "prolog after the root", false;
      i = doc.find('>', lt) + 1;
      continue;
    }
    // Find the end of the tag, skipping quoted attribute values.
    std::size_t j = lt + 1;
    char quote = 0;
    for (; j < doc.size(); ++j) {
      const char ch = doc[j];
      if (quote != 0) {
        if (ch == quote) quote = 0;
        else if (ch == '<') return why = "'<' inside an attribute value", false;
      } else if (ch == '"' || ch == '\'') {
        quote = ch;
      } else if (ch == '<') {
        return why = "'<' inside a tag", false;
      } else if (ch == '>') {
        break;
      }
    }
    if (j >= doc.size()) return why = "unterminated tag", false;
    std::string body = doc.substr(lt + 1, j - lt - 1);
    Tag tag;
    if (!body.empty() && body.back() == '/') {
      tag.self_closing = true;
      body.pop_back();
    }
    std::istringstream in(body);
    in >> tag.name;
    std::string rest;
    std::getline(in, rest, '\0');
    for (std::size_t p = 0;;) {
      p = rest.find_first_not_of(" \t\r\n", p);
      if (p == std::string::npos) break;
      const std::size_t eq = rest.find('=', p);
      if (eq == std::string::npos || eq + 1 >= rest.size() ||
          (rest[eq + 1] != '"' && rest[eq + 1] != '\''))
        return why = "malformed attribute in <" + body + ">", false;
      const std::size_t close = rest.find(rest[eq + 1], eq + 2);
      if (close == std::string::npos) return why = "unterminated attribute value", false;
      const std::string key = rest.substr(p, eq - p);
      const std::string value = rest.substr(eq + 2, close - eq - 2);
      if (!entity_ok(value)) return why = "bad '&' in attribute " + key, false;
      if (!tag.attrs.emplace(key, value).second) return why = "duplicate attribute " + key, false;
      p = close + 1;
    }
    if (tag.name.empty()) return why = "empty tag name", false;
    if (tag.name[0] == '/') {
      if (open.empty() || open.back() != tag.name.substr(1))
        return why = "</" + tag.name.substr(1) + "> does not close the open element", false;
      open.pop_back();
    } else {
      if (open.empty() && ++roots > 1) return why = "more than one root element", false;
      if (!tag.self_closing) open.push_back(tag.name);
    }
    tags.push_back(tag);
    i = j + 1;
  }
  if (!open.empty()) return why = "<" + open.back() + "> is never closed", false;
  if (roots != 1) return why = "no root element", false;
  return true;
}

std::vector<Tag> parse_or_fail(const std::string& svg) {
  std::vector<Tag> tags;
  std::string why;
  const bool ok = parse_xml(svg, tags, why);
  INFO("XML problem: " << why);
  REQUIRE(ok);
  REQUIRE(tags.front().name == "svg");
  return tags;
}

/// The tags inside <g class="name"> ... </g>.
std::vector<Tag> group(const std::vector<Tag>& tags, const std::string& name) {
  std::vector<Tag> out;
  int depth = 0;
  for (const Tag& t : tags) {
    if (depth == 0) {
      const auto cls = t.attrs.find("class");
      if (t.name == "g" && cls != t.attrs.end() && cls->second == name) depth = 1;
      continue;
    }
    if (t.name == "g") ++depth;
    if (t.name == "/g" && --depth == 0) break;
    out.push_back(t);
  }
  return out;
}

const Tag* find_class(const std::vector<Tag>& tags, const std::string& cls) {
  for (const Tag& t : tags) {
    const auto it = t.attrs.find("class");
    if (it != t.attrs.end() && it->second == cls) return &t;
  }
  return nullptr;
}

double num(const Tag& t, const std::string& attr) {
  const auto it = t.attrs.find(attr);
  REQUIRE(it != t.attrs.end());
  return std::strtod(it->second.c_str(), nullptr);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A fresh scratch directory for file tests.
fs::path scratch_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("nnfs_test_plot_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

nnfs::Matrix<double> small_points() {
  nnfs::Matrix<double> X(5, 2);
  X << 0.0, 0.0,  //
      1.0, 2.0,   //
      -1.0, 0.5,  //
      0.25, -2.0, //
      0.5, 1.0;
  return X;
}

nnfs::Labels small_labels() {
  nnfs::Labels y(5);
  y << 0, 1, 2, 1, 0;
  return y;
}

}  // namespace

// ------------------------------------------------------------------ the colormap

TEST_CASE("brg reproduces matplotlib's colormap", "[plot]") {
  using nnfs::plot::brg;
  using nnfs::plot::class_colour;
  using nnfs::plot::to_hex;
  // matplotlib: _brg_data = ((0,0,1), (1,0,0), (0,1,0)) sampled into 256 entries at i/255;
  // a value v picks entry floor(256 v). Entry i in 8 bits: (2i, 0, 255-2i) for i <= 127,
  // (510-2i, 2i-255, 0) above. These are matplotlib.colors.to_hex(cm.brg(v)) by hand.
  REQUIRE(to_hex(brg(0.0)) == "#0000ff");
  REQUIRE(to_hex(brg(1.0)) == "#00ff00");
  REQUIRE(to_hex(brg(0.5)) == "#fe0100");   // entry 128, not pure red
  REQUIRE(to_hex(brg(0.25)) == "#80007f");  // entry 64
  REQUIRE(to_hex(brg(0.75)) == "#7e8100");  // entry 192
  REQUIRE(to_hex(brg(0.499)) == "#fe0001"); // entry 127
  REQUIRE(to_hex(brg(-0.5)) == "#0000ff");  // under: the first colour
  REQUIRE(to_hex(brg(7.0)) == "#00ff00");   // over: the last colour
  REQUIRE_THROWS_AS(brg(std::nan("")), std::invalid_argument);

  // c=y with labels 0..k-1: matplotlib normalizes to c/(k-1).
  REQUIRE(to_hex(class_colour(0, 1)) == "#0000ff");
  REQUIRE(to_hex(class_colour(0, 2)) == "#0000ff");
  REQUIRE(to_hex(class_colour(1, 2)) == "#00ff00");
  REQUIRE(to_hex(class_colour(0, 3)) == "#0000ff");
  REQUIRE(to_hex(class_colour(1, 3)) == "#fe0100");
  REQUIRE(to_hex(class_colour(2, 3)) == "#00ff00");
  REQUIRE(to_hex(class_colour(1, 4)) == "#aa0055");  // 1/3 -> entry 85
  REQUIRE(to_hex(class_colour(2, 4)) == "#aa5500");  // 2/3 -> entry 170
  REQUIRE(to_hex(class_colour(3, 5)) == "#7e8100");  // 3/4 -> entry 192
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, class_colour(3, 3), "class_colour", "c=3",
                           "k=3");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, class_colour(-1, 3), "c=-1");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, class_colour(0, 0), "k=0");
}

// ------------------------------------------------------------------ the SVG

TEST_CASE("scatter_svg_string draws one circle per row, placed and coloured by class", "[plot]") {
  const nnfs::Matrix<double> X = small_points();
  const nnfs::Labels y = small_labels();
  nnfs::plot::ScatterOptions opt;
  opt.title = "points";
  const std::string svg = nnfs::plot::scatter_svg_string(X, y, opt);
  const std::vector<Tag> tags = parse_or_fail(svg);
  REQUIRE(tags.front().attrs.at("width") == "640");
  REQUIRE(tags.front().attrs.at("height") == "480");

  const Tag* frame = find_class(tags, "frame");
  REQUIRE(frame != nullptr);
  const double fx = num(*frame, "x");
  const double fy = num(*frame, "y");
  const double fw = num(*frame, "width");
  const double fh = num(*frame, "height");

  const std::vector<Tag> points = group(tags, "points");
  REQUIRE(points.size() == 5);
  // Limits are the data range plus 5% on each side: x in [-1, 1] -> [-1.1, 1.1],
  // y in [-2, 2] -> [-2.2, 2.2]; SVG's y grows downwards.
  const char* fills[] = {"#0000ff", "#fe0100", "#00ff00"};
  for (nnfs::Index i = 0; i < 5; ++i) {
    const Tag& c = points[static_cast<std::size_t>(i)];
    INFO("row " << i);
    REQUIRE(c.name == "circle");
    REQUIRE(c.self_closing);
    REQUIRE(c.attrs.at("class") == "c" + std::to_string(y(i)));
    REQUIRE(c.attrs.at("fill") == fills[y(i)]);
    REQUIRE(num(c, "r") == 3.0);
    const double want_x = fx + (X(i, 0) + 1.1) / 2.2 * fw;
    const double want_y = fy + (2.2 - X(i, 1)) / 4.4 * fh;
    REQUIRE_THAT(num(c, "cx"), WithinAbs(want_x, 0.0051));  // written with 2 decimals
    REQUIRE_THAT(num(c, "cy"), WithinAbs(want_y, 0.0051));
  }

  // Legend: one entry per class, same colours.
  const std::vector<Tag> legend = group(tags, "legend");
  int legend_circles = 0;
  for (const Tag& t : legend)
    if (t.name == "circle") REQUIRE(t.attrs.at("fill") == fills[legend_circles++]);
  REQUIRE(legend_circles == 3);
  REQUIRE(svg.find(">class 2<") != std::string::npos);

  // Deterministic: the same input gives the same bytes.
  REQUIRE(nnfs::plot::scatter_svg_string(X, y, opt) == svg);
}

TEST_CASE("scatter ticks are nice numbers inside the axis range", "[plot]") {
  // x from 0 to 1: limits [-0.05, 1.05], ticks every 0.2; y from -2 to 2: every 1 (or 0.5).
  nnfs::Matrix<float> X(3, 2);
  X << 0.0f, -2.0f,  //
      0.5f, 0.0f,    //
      1.0f, 2.0f;
  const std::vector<Tag> tags = parse_or_fail(nnfs::plot::scatter_svg_string(X));
  std::vector<std::string> x_labels;
  std::vector<std::string> y_labels;
  for (const Tag& t : tags) {
    const auto cls = t.attrs.find("class");
    if (cls == t.attrs.end()) continue;
    if (cls->second == "xtick") x_labels.push_back(t.text);
    if (cls->second == "ytick") y_labels.push_back(t.text);
  }
  REQUIRE(x_labels == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
  // matplotlib writes negative ticks with U+2212 MINUS SIGN.
  REQUIRE(y_labels ==
          std::vector<std::string>{"\u22122.0", "\u22121.5", "\u22121.0", "\u22120.5", "0.0",
                                   "0.5", "1.0", "1.5", "2.0"});

  // A quarter step gets two decimals; a single point gets a widened, non-empty range.
  nnfs::Matrix<double> one(1, 2);
  one << 3.0, 0.0;
  const std::string svg = nnfs::plot::scatter_svg_string(one);
  const std::vector<Tag> single = parse_or_fail(svg);
  REQUIRE(group(single, "points").size() == 1);
  REQUIRE(svg.find("class=\"xtick\"") != std::string::npos);
  REQUIRE(svg.find("class=\"ytick\"") != std::string::npos);
}

TEST_CASE("scatter without labels uses one colour and no legend", "[plot]") {
  const nnfs::Matrix<double> X = small_points();
  const std::vector<Tag> tags = parse_or_fail(nnfs::plot::scatter_svg_string(X));
  const std::vector<Tag> points = group(tags, "points");
  REQUIRE(points.size() == 5);
  for (const Tag& c : points) REQUIRE(c.attrs.at("fill") == "#1f77b4");  // matplotlib's C0
  REQUIRE(group(tags, "legend").empty());
}

TEST_CASE("scatter of spiral_data: 300 points, 100 per class colour", "[plot]") {
  nnfs::RandomState rng(0);
  const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3, rng);
  const std::vector<Tag> tags = parse_or_fail(nnfs::plot::scatter_svg_string(X, y));
  std::map<std::string, int> per_fill;
  for (const Tag& c : group(tags, "points")) ++per_fill[c.attrs.at("fill")];
  REQUIRE(per_fill.size() == 3);
  REQUIRE(per_fill["#0000ff"] == 100);
  REQUIRE(per_fill["#fe0100"] == 100);
  REQUIRE(per_fill["#00ff00"] == 100);
}

TEST_CASE("scatter options: fixed class count, class names, escaped text", "[plot]") {
  const nnfs::Matrix<double> X = small_points();
  nnfs::Labels y(5);
  y << 0, 0, 1, 1, 0;
  nnfs::plot::ScatterOptions opt;
  opt.title = "a < b & \"c\" > 'd'";
  opt.x_label = "x & y";
  opt.y_label = "<y>";
  opt.classes = 3;  // class 1 of 3 is the middle colour even though class 2 is absent
  opt.class_names = {"zero", "one", "two & more"};
  opt.point_radius = 2.5;
  opt.width = 800;
  opt.height = 600;
  const std::string svg = nnfs::plot::scatter_svg_string(X, y, opt);
  const std::vector<Tag> tags = parse_or_fail(svg);
  REQUIRE(tags.front().attrs.at("width") == "800");
  REQUIRE(svg.find("a < b") == std::string::npos);
  REQUIRE(svg.find("a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;") != std::string::npos);
  REQUIRE(svg.find(">x &amp; y<") != std::string::npos);
  REQUIRE(svg.find(">&lt;y&gt;<") != std::string::npos);
  REQUIRE(svg.find(">two &amp; more<") != std::string::npos);
  const std::vector<Tag> points = group(tags, "points");
  REQUIRE(points.size() == 5);
  REQUIRE(points[2].attrs.at("fill") == "#fe0100");
  REQUIRE(points[0].attrs.at("fill") == "#0000ff");
  REQUIRE(num(points[0], "r") == 2.5);
}

TEST_CASE("scatter rejects bad input, naming the problem", "[plot]") {
  using nnfs::plot::scatter_svg_string;
  const nnfs::Matrix<double> X = small_points();
  const nnfs::Labels y = small_labels();

  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(nnfs::Matrix<double>(4, 3)),
                           "scatter_svg_string", "2 columns", "4\u00d73");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(nnfs::Matrix<double>(0, 2)),
                           "no rows", "0\u00d72");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, nnfs::Labels(4)),
                           "4 labels", "5 rows");
  nnfs::Labels negative = y;
  negative(3) = -2;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, negative), "y(3) = -2",
                           "negative");
  nnfs::Matrix<double> bad = X;
  bad(2, 1) = std::numeric_limits<double>::quiet_NaN();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(bad, y), "X(2, 1)",
                           "not finite");
  bad(2, 1) = std::numeric_limits<double>::infinity();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(bad), "X(2, 1)", "inf");
  bad(2, 1) = std::numeric_limits<double>::max();
  bad(1, 1) = -std::numeric_limits<double>::max();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(bad), "too large");

  nnfs::plot::ScatterOptions opt;
  opt.classes = 2;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, y, opt), "y(2) = 2",
                           "classes = 2");
  opt = {};
  opt.class_names = {"a", "b"};
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, y, opt),
                           "2 class_names for 3 classes");
  opt = {};
  opt.width = 0;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, y, opt), "0\u00d7480");
  opt = {};
  opt.point_radius = -1.0;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, y, opt), "point_radius",
                           "-1");
  opt.point_radius = std::numeric_limits<double>::quiet_NaN();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, y, opt), "point_radius");
  opt = {};
  opt.classes = -1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, scatter_svg_string(X, y, opt), "classes",
                           "-1");
}

// ------------------------------------------------------------------ writing files

TEST_CASE("scatter_svg writes the same text as scatter_svg_string", "[plot]") {
  const fs::path dir = scratch_dir("write");
  const nnfs::Matrix<double> X = small_points();
  const nnfs::Labels y = small_labels();
  const fs::path path = dir / "plot.svg";
  nnfs::plot::scatter_svg(path, X, y);
  REQUIRE(read_file(path) == nnfs::plot::scatter_svg_string(X, y));
  // Replacing an existing file works and leaves no temporary behind.
  nnfs::plot::scatter_svg(path.string(), X);
  REQUIRE(read_file(path) == nnfs::plot::scatter_svg_string(X));
  REQUIRE(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("a failed scatter_svg write throws and leaves the existing file intact", "[plot]") {
  const fs::path dir = scratch_dir("fail");
  const nnfs::Matrix<double> X = small_points();
  const nnfs::Labels y = small_labels();
  const fs::path existing = dir / "keep.svg";
  {
    std::ofstream(existing) << "old contents";
  }

  SECTION("the target is a directory") {
    const fs::path target = dir / "a_directory";
    fs::create_directory(target);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::plot::scatter_svg(target, X, y),
                             "scatter_svg", target.string(), "directory");
    REQUIRE(fs::is_directory(target));
  }
  SECTION("the directory does not exist") {
    const fs::path target = dir / "missing" / "plot.svg";
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::plot::scatter_svg(target, X, y),
                             "scatter_svg", target.string(), "No such file or directory");
  }
  SECTION("a parent of the target is a file") {
    const fs::path target = existing / "plot.svg";
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::plot::scatter_svg(target, X, y),
                             "scatter_svg", target.string(), "Not a directory");
  }
  SECTION("bad data never touches the existing file") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                             nnfs::plot::scatter_svg(existing, nnfs::Matrix<double>(3, 1)),
                             "2 columns");
  }
  SECTION("an empty path") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::plot::scatter_svg(fs::path(), X),
                             "empty path");
  }
  // Whatever failed, the other file is untouched and no temporary file is left.
  REQUIRE(read_file(existing) == "old contents");
  for (const auto& entry : fs::directory_iterator(dir))
    REQUIRE(entry.path().filename().string().find(".tmp") == std::string::npos);
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ decision regions

namespace {

/// The rects of the regions group, in document order.
struct Cell {
  double x, y, w, h;
  std::string fill;
};

std::vector<Cell> region_rects(const std::vector<Tag>& tags) {
  std::vector<Cell> out;
  for (const Tag& t : group(tags, "regions")) {
    REQUIRE(t.name == "rect");
    out.push_back(
        {num(t, "x"), num(t, "y"), num(t, "width"), num(t, "height"), t.attrs.at("fill")});
  }
  return out;
}

/// Position of the first <g class="name"> among the tags (tags.size() when absent).
std::size_t group_position(const std::vector<Tag>& tags, const std::string& name) {
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const auto cls = tags[i].attrs.find("class");
    if (tags[i].name == "g" && cls != tags[i].attrs.end() && cls->second == name) return i;
  }
  return tags.size();
}

/// Grid rows of the rects: the y of each distinct row, in order.
std::vector<double> row_tops(const std::vector<Cell>& cells) {
  std::vector<double> tops;
  for (const Cell& c : cells)
    if (tops.empty() || c.y != tops.back()) tops.push_back(c.y);
  return tops;
}

// Class colours at alpha 0.3 over white: 255 − 0.3·(255 − c), rounded, per channel.
//   blue #0000ff → (178.5, 178.5, 255) → #b3b3ff
//   brg(0.5) #fe0100 → (254.7, 178.8, 178.5) → #ffb3b3
//   green #00ff00 → #b3ffb3
const char* const blue_tint = "#b3b3ff";
const char* const red_tint = "#ffb3b3";
const char* const green_tint = "#b3ffb3";

/// Points with x in [−1, 3] and y in [−1, 1]: limits x [−1.2, 3.2], y [−1.1, 1.1].
nnfs::Matrix<double> wide_points() {
  nnfs::Matrix<double> X(4, 2);
  X << -1.0, -1.0,  //
      3.0, 1.0,     //
      0.5, 0.0,     //
      -0.5, 0.5;
  return X;
}

}  // namespace

TEST_CASE("tint blends a colour over white as alpha does", "[plot]") {
  using nnfs::plot::tint;
  using nnfs::plot::to_hex;
  REQUIRE(to_hex(tint(nnfs::plot::brg(0.0), 0.3)) == blue_tint);
  REQUIRE(to_hex(tint(nnfs::plot::brg(0.5), 0.3)) == red_tint);
  REQUIRE(to_hex(tint(nnfs::plot::brg(1.0), 0.3)) == green_tint);
  REQUIRE(to_hex(tint(nnfs::plot::brg(0.5), 1.0)) == "#fe0100");
  REQUIRE(to_hex(tint({0x1f, 0x77, 0xb4}, 0.5)) == "#8fbbda");  // (143, 187, 217.5 → 218)
  REQUIRE(to_hex(tint({0x1f, 0x77, 0xb4}, 2.0)) == "#1f77b4");   // clamped to 1
  REQUIRE(to_hex(tint({0x1f, 0x77, 0xb4}, -1.0)) == "#ffffff");  // clamped to 0
  REQUIRE_THROWS_AS(tint({0, 0, 0}, std::nan("")), std::invalid_argument);
}

TEMPLATE_TEST_CASE("decision regions switch colour exactly at the cell containing x = 0",
                   "[plot]", float, double) {
  const nnfs::Matrix<TestType> X = wide_points().cast<TestType>();
  nnfs::Labels y(4);
  y << 0, 1, 1, 0;
  nnfs::plot::DecisionRegionsOptions opt;
  opt.grid_columns = 7;
  int calls = 0;
  nnfs::Matrix<TestType> seen;
  const auto classify = [&](const nnfs::Matrix<TestType>& P) {
    ++calls;
    seen = P;
    nnfs::Labels out(P.rows());
    for (nnfs::Index i = 0; i < P.rows(); ++i) out(i) = P(i, 0) > 0 ? 1 : 0;
    return out;
  };
  const std::string svg = nnfs::plot::decision_regions_svg_string(classify, X, y, opt);
  REQUIRE(calls == 1);
  const std::vector<Tag> tags = parse_or_fail(svg);
  const Tag* frame = find_class(tags, "frame");
  REQUIRE(frame != nullptr);
  const double fx = num(*frame, "x"), fy = num(*frame, "y");
  const double fw = num(*frame, "width"), fh = num(*frame, "height");

  // The grid: 7 columns over x ∈ [−1.2, 3.2] (cells 4.4/7 wide), rows in proportion to the
  // box, centres from the top-left cell, left to right.
  const int rows = static_cast<int>(std::lround(7.0 * fh / fw));
  REQUIRE(rows > 1);
  REQUIRE(seen.rows() == 7 * rows);
  REQUIRE(seen.cols() == 2);
  const double tol = std::is_same_v<TestType, float> ? 1e-6 : 1e-12;
  REQUIRE_THAT(static_cast<double>(seen(0, 0)), WithinAbs(-1.2 + 0.5 * 4.4 / 7, tol));
  REQUIRE_THAT(static_cast<double>(seen(0, 1)), WithinAbs(1.1 - 0.5 * 2.2 / rows, tol));
  REQUIRE_THAT(static_cast<double>(seen(1, 0)), WithinAbs(-1.2 + 1.5 * 4.4 / 7, tol));
  REQUIRE_THAT(static_cast<double>(seen(7, 1)), WithinAbs(1.1 - 1.5 * 2.2 / rows, tol));

  // x = 0 lies in column ⌊1.2 / (4.4/7)⌋ = 1, whose centre (−0.257) is left of 0: that cell is
  // class 0 and the colour switches at its right edge, fx + 2/7 of the width.
  const std::vector<Cell> cells = region_rects(tags);
  REQUIRE(cells.size() == static_cast<std::size_t>(2 * rows));  // two runs per row
  const double boundary = fx + fw * 2.0 / 7.0;
  for (std::size_t i = 0; i < cells.size(); i += 2) {
    const Cell& a = cells[i];
    const Cell& b = cells[i + 1];
    INFO("row " << i / 2);
    REQUIRE(a.fill == blue_tint);   // class 0 of 2
    REQUIRE(b.fill == green_tint);  // class 1 of 2
    REQUIRE_THAT(a.x, WithinAbs(fx, 0.0051));
    REQUIRE_THAT(a.x + a.w, WithinAbs(boundary, 0.0051));
    REQUIRE(b.x == a.x + a.w);  // shared edge, no hairline gap
    REQUIRE_THAT(b.x + b.w, WithinAbs(fx + fw, 0.0051));
    REQUIRE(a.y == b.y);
    REQUIRE(a.h == b.h);
  }
  // The rows tile the box from top to bottom.
  const std::vector<double> tops = row_tops(cells);
  REQUIRE(tops.size() == static_cast<std::size_t>(rows));
  REQUIRE_THAT(tops.front(), WithinAbs(fy, 0.0051));
  for (std::size_t r = 1; r < tops.size(); ++r)
    REQUIRE_THAT(tops[r], WithinAbs(fy + fh * static_cast<double>(r) / rows, 0.0051));
  REQUIRE_THAT(cells.back().y + cells.back().h, WithinAbs(fy + fh, 0.0051));

  // Drawn in order: regions, then the axes over them, then the points in full colour.
  const std::size_t regions_at = group_position(tags, "regions");
  const std::size_t axes_at = group_position(tags, "axes");
  const std::size_t points_at = group_position(tags, "points");
  REQUIRE(regions_at < axes_at);
  REQUIRE(axes_at < points_at);
  REQUIRE(points_at < tags.size());
  const std::vector<Tag> points = group(tags, "points");
  REQUIRE(points.size() == 4);
  REQUIRE(points[0].attrs.at("fill") == "#0000ff");
  REQUIRE(points[1].attrs.at("fill") == "#00ff00");
  // The points sit exactly where the scatter plot puts them.
  const std::vector<Tag> scatter =
      group(parse_or_fail(nnfs::plot::scatter_svg_string(X, y)), "points");
  REQUIRE(scatter.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) REQUIRE(points[i].attrs == scatter[i].attrs);

  REQUIRE(nnfs::plot::decision_regions_svg_string(classify, X, y, opt) == svg);
  REQUIRE(calls == 2);
}

TEST_CASE("decision regions merge runs, scores pick the argmax (the first on ties)", "[plot]") {
  // x in [−1, 1] → limits [−1.1, 1.1]: with 11 columns the centres are −1.0, −0.8, ..., 1.0.
  nnfs::Matrix<double> X(3, 2);
  X << -1.0, -1.0,  //
      1.0, 1.0,     //
      0.0, 0.3;
  nnfs::Labels y(3);
  y << 0, 2, 1;
  nnfs::plot::DecisionRegionsOptions opt;
  opt.grid_columns = 11;
  opt.grid_rows = 6;  // centres at y = 1.1 − (r + 0.5)·2.2/6: three above 0, three below
  // Above y = 0: stripes x < −0.5 → 0, |x| < 0.5 → 1, x > 0.5 → 2 (runs of 3, 5, 3 cells).
  // Below: scores (0.2, 0.7, 0.7) everywhere, a tie the first index (1) wins: one run.
  const auto classify = [](const nnfs::Matrix<double>& P) {
    nnfs::Matrix<double> scores(P.rows(), 3);
    for (nnfs::Index i = 0; i < P.rows(); ++i) {
      if (P(i, 1) < 0) {
        scores.row(i) << 0.2, 0.7, 0.7;
      } else {
        const int c = P(i, 0) < -0.5 ? 0 : P(i, 0) < 0.5 ? 1 : 2;
        scores.row(i) << -5.0, -5.0, -5.0;
        scores(i, c) = 3.0;
      }
    }
    return scores;
  };
  const std::vector<Tag> tags =
      parse_or_fail(nnfs::plot::decision_regions_svg_string(classify, X, y, opt));
  const std::vector<Cell> cells = region_rects(tags);
  REQUIRE(cells.size() == 3 * 3 + 3 * 1);
  const Tag* frame = find_class(tags, "frame");
  const double fx = num(*frame, "x"), fw = num(*frame, "width");
  for (int r = 0; r < 3; ++r) {
    const Cell* row = &cells[3 * static_cast<std::size_t>(r)];
    REQUIRE(row[0].fill == blue_tint);
    REQUIRE(row[1].fill == red_tint);
    REQUIRE(row[2].fill == green_tint);
    REQUIRE_THAT(row[0].w, WithinAbs(fw * 3 / 11, 0.011));
    REQUIRE_THAT(row[1].x, WithinAbs(fx + fw * 3 / 11, 0.0051));
    REQUIRE_THAT(row[1].w, WithinAbs(fw * 5 / 11, 0.011));
    REQUIRE_THAT(row[2].x, WithinAbs(fx + fw * 8 / 11, 0.0051));
  }
  for (std::size_t i = 9; i < 12; ++i) {
    REQUIRE(cells[i].fill == red_tint);
    REQUIRE_THAT(cells[i].x, WithinAbs(fx, 0.0051));
    REQUIRE_THAT(cells[i].w, WithinAbs(fw, 0.011));
  }
  REQUIRE(row_tops(cells).size() == 6);
}

TEST_CASE("decision regions: one score column is the probability of class 1", "[plot]") {
  const nnfs::Matrix<double> X = wide_points();
  nnfs::Labels y(4);
  y << 0, 1, 1, 0;
  nnfs::plot::DecisionRegionsOptions opt;
  opt.grid_columns = 7;
  opt.grid_rows = 2;
  // Sigmoid-like output: 0.9 right of x = 0, exactly 0.5 (not above: class 0) left of it.
  const auto classify = [](const nnfs::Matrix<double>& P) {
    nnfs::Matrix<double> p(P.rows(), 1);
    for (nnfs::Index i = 0; i < P.rows(); ++i) p(i, 0) = P(i, 0) > 0 ? 0.9 : 0.5;
    return p;
  };
  const std::vector<Cell> cells =
      region_rects(parse_or_fail(nnfs::plot::decision_regions_svg_string(classify, X, y, opt)));
  REQUIRE(cells.size() == 4);
  REQUIRE(cells[0].fill == blue_tint);
  REQUIRE(cells[1].fill == green_tint);
}

TEST_CASE("decision regions: the class count covers labels, predictions and score columns",
          "[plot]") {
  const nnfs::Matrix<double> X = small_points();
  nnfs::Labels y(5);
  y << 0, 1, 0, 1, 0;  // two classes in the data ...
  nnfs::plot::DecisionRegionsOptions opt;
  opt.grid_columns = 4;
  opt.grid_rows = 3;
  const auto all_two = [](const nnfs::Matrix<double>& P) {
    return nnfs::Labels(nnfs::Labels::Constant(P.rows(), 2));  // ... a third predicted
  };
  std::vector<Tag> tags =
      parse_or_fail(nnfs::plot::decision_regions_svg_string(all_two, X, y, opt));
  // Three classes: class 1 is brg(0.5) for the points too, class 2 green everywhere.
  REQUIRE(group(tags, "points")[1].attrs.at("fill") == "#fe0100");
  for (const Cell& c : region_rects(tags)) REQUIRE(c.fill == green_tint);
  REQUIRE(region_rects(tags).size() == 3);

  // Five score columns make five classes even if only class 0 is ever predicted.
  const auto five = [](const nnfs::Matrix<double>& P) {
    return nnfs::Matrix<double>(nnfs::Matrix<double>::Zero(P.rows(), 5));
  };
  tags = parse_or_fail(nnfs::plot::decision_regions_svg_string(five, X, y, opt));
  REQUIRE(group(tags, "points")[1].attrs.at("fill") == "#80007f");  // class 1 of 5: brg(0.25)
  int legend_entries = 0;
  for (const Tag& t : group(tags, "legend")) legend_entries += t.name == "circle";
  REQUIRE(legend_entries == 5);
}

TEST_CASE("decision regions of a spiral: one call, few rects, a small file", "[plot]") {
  nnfs::RandomState rng(0);
  const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3, rng);
  // The angle decides: three sectors (a classifier that got the spiral wrong, but a pattern).
  const auto sectors = [](const nnfs::Matrix<float>& P) {
    const double pi = 3.14159265358979323846;
    nnfs::Labels out(P.rows());
    for (nnfs::Index i = 0; i < P.rows(); ++i) {
      const double a = std::atan2(static_cast<double>(P(i, 1)), static_cast<double>(P(i, 0)));
      out(i) = static_cast<std::int32_t>(std::floor((a + pi) / (2 * pi) * 3.0)) % 3;
    }
    return out;
  };
  const std::string svg = nnfs::plot::decision_regions_svg_string(sectors, X, y);
  const std::vector<Tag> tags = parse_or_fail(svg);
  const std::vector<Cell> cells = region_rects(tags);
  const std::size_t rows = row_tops(cells).size();
  // Default: 200 columns, rows in proportion; each row crosses at most 3 sector borders.
  REQUIRE(rows > 100);
  REQUIRE(cells.size() >= rows);
  REQUIRE(cells.size() <= 4 * rows);
  REQUIRE(svg.size() < 100000);
  REQUIRE(group(tags, "points").size() == 300);
}

TEST_CASE("decision regions reject bad input and bad classify results", "[plot]") {
  using nnfs::plot::decision_regions_svg_string;
  const nnfs::Matrix<double> X = small_points();
  const nnfs::Labels y = small_labels();
  nnfs::plot::DecisionRegionsOptions opt;
  opt.grid_columns = 10;
  opt.grid_rows = 5;  // 50 grid points
  int calls = 0;
  const auto labels_of_size = [&](nnfs::Index n, std::int32_t value) {
    return [&calls, n, value](const nnfs::Matrix<double>&) {
      ++calls;
      return nnfs::Labels(nnfs::Labels::Constant(n, value));
    };
  };
  const auto scores_of_shape = [&](nnfs::Index r, nnfs::Index c, double value) {
    return [&calls, r, c, value](const nnfs::Matrix<double>&) {
      ++calls;
      return nnfs::Matrix<double>(nnfs::Matrix<double>::Constant(r, c, value));
    };
  };

  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(49, 0), X, y, opt),
                           "decision_regions_svg_string", "49\u00d71", "50\u00d72", "50 labels");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(scores_of_shape(51, 3, 0.0), X, y, opt),
                           "scores of shape 51\u00d73", "50\u00d72");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(scores_of_shape(50, 0, 0.0), X, y, opt),
                           "50\u00d70");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, -1), X, y, opt),
                           "label -1", "negative", "grid point 0");
  NNFS_REQUIRE_THROWS_WITH(
      std::invalid_argument,
      decision_regions_svg_string(scores_of_shape(50, 3, std::nan("")), X, y, opt), "non-finite",
      "grid point 0");
  NNFS_REQUIRE_THROWS_WITH(
      std::invalid_argument,
      decision_regions_svg_string(
          scores_of_shape(50, 2, std::numeric_limits<double>::infinity()), X, y, opt),
      "non-finite", "inf");
  nnfs::plot::DecisionRegionsOptions three = opt;
  three.classes = 3;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, 3), X, y, three),
                           "class 3", "classes = 3");
  REQUIRE(calls == 7);

  // Bad data or options are refused before classify runs.
  calls = 0;
  NNFS_REQUIRE_THROWS_WITH(
      std::invalid_argument,
      decision_regions_svg_string(labels_of_size(0, 0), nnfs::Matrix<double>(0, 2),
                                  nnfs::Labels(0), opt),
      "no rows", "0\u00d72");
  nnfs::Matrix<double> bad = X;
  bad(4, 0) = std::numeric_limits<double>::quiet_NaN();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, 0), bad, y, opt),
                           "X(4, 0)", "not finite");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, 0), X,
                                                       nnfs::Labels(4), opt),
                           "4 labels", "5 rows");
  nnfs::plot::DecisionRegionsOptions grid = opt;
  grid.grid_columns = 0;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, 0), X, y, grid),
                           "grid_columns", "got 0");
  grid = opt;
  grid.grid_rows = -2;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, 0), X, y, grid), "-2");
  grid = opt;
  grid.region_alpha = 0.0;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           decision_regions_svg_string(labels_of_size(50, 0), X, y, grid),
                           "region_alpha");
  REQUIRE(calls == 0);
}

TEST_CASE("decision_regions_svg writes the same text as the string variant", "[plot]") {
  const fs::path dir = scratch_dir("regions");
  const nnfs::Matrix<double> X = small_points();
  const nnfs::Labels y = small_labels();
  const auto by_x = [](const nnfs::Matrix<double>& P) {
    nnfs::Labels out(P.rows());
    for (nnfs::Index i = 0; i < P.rows(); ++i) out(i) = P(i, 0) < 0 ? 0 : P(i, 0) < 0.5 ? 1 : 2;
    return out;
  };
  nnfs::plot::DecisionRegionsOptions opt;
  opt.title = "x & y";
  const fs::path path = dir / "regions.svg";
  nnfs::plot::decision_regions_svg(path, by_x, X, y, opt);
  const std::string text = read_file(path);
  REQUIRE(text == nnfs::plot::decision_regions_svg_string(by_x, X, y, opt));
  REQUIRE(text.find(">x &amp; y<") != std::string::npos);
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           nnfs::plot::decision_regions_svg(dir / "no" / "r.svg", by_x, X, y),
                           "decision_regions_svg", "No such file or directory");
  fs::remove_all(dir);
}

// ------------------------------------------------------------------ training curves

namespace {

nnfs::History two_epochs() {
  nnfs::History h;
  nnfs::History::Record r;
  r.epoch = 1;
  r.loss = r.data_loss = 1.0;
  r.accuracy = 0.5;
  r.learning_rate = 0.1;
  h.records.push_back(r);
  r.epoch = 2;
  r.loss = r.data_loss = 0.5;
  r.accuracy = 0.75;
  r.learning_rate = 0.05;
  h.records.push_back(r);
  return h;
}

/// The points of a polyline as (x, y) pairs.
std::vector<std::pair<double, double>> polyline_points(const Tag& t) {
  std::vector<std::pair<double, double>> out;
  std::istringstream in(t.attrs.at("points"));
  std::string pair;
  while (in >> pair) {
    const std::size_t comma = pair.find(',');
    REQUIRE(comma != std::string::npos);
    out.emplace_back(std::strtod(pair.substr(0, comma).c_str(), nullptr),
                     std::strtod(pair.substr(comma + 1).c_str(), nullptr));
  }
  return out;
}

std::vector<const Tag*> with_class(const std::vector<Tag>& tags, const std::string& name,
                                   const std::string& cls) {
  std::vector<const Tag*> out;
  for (const Tag& t : tags) {
    const auto it = t.attrs.find("class");
    if (t.name == name && it != t.attrs.end() && it->second == cls) out.push_back(&t);
  }
  return out;
}

std::vector<std::string> tick_texts(const std::vector<Tag>& tags, const std::string& cls) {
  std::vector<std::string> out;
  for (const Tag& t : tags) {
    const auto it = t.attrs.find("class");
    if (it != t.attrs.end() && it->second == cls) out.push_back(t.text);
  }
  return out;
}

}  // namespace

TEST_CASE("History::csv writes a hand-made history, empty fields for what was not measured",
          "[plot]") {
  nnfs::History h = two_epochs();
  h.records[1].validation_loss = 0.625;
  h.records[1].validation_accuracy = 0.7;
  h.records[0].regularization_loss = 0.25;
  h.records[0].loss = 1.25;
  REQUIRE(h.csv() ==
          "epoch,loss,data_loss,regularization_loss,accuracy,learning_rate,validation_loss,"
          "validation_accuracy\n"
          "1,1.25,1,0.25,0.5,0.1,,\n"
          "2,0.5,0.5,0,0.75,0.05,0.625,0.7\n");
}

TEST_CASE("training curves put each value where the axes say", "[plot]") {
  const nnfs::History h = two_epochs();
  const std::string svg = nnfs::plot::training_curves_svg_string(h);
  const std::vector<Tag> tags = parse_or_fail(svg);
  // Three stacked panels of 160 px, 36 px apart, between a 24 px top and a 58 px bottom
  // margin; 78 px left (tick labels, axis label) and 120 px right (legend) of 640.
  REQUIRE(tags.front().attrs.at("width") == "640");
  REQUIRE(tags.front().attrs.at("height") == std::to_string(24 + 3 * 160 + 2 * 36 + 58));

  const std::vector<Tag> loss = group(tags, "panel-loss");
  const Tag* frame = find_class(loss, "frame");
  REQUIRE(frame != nullptr);
  REQUIRE(num(*frame, "x") == 78.0);
  REQUIRE(num(*frame, "y") == 24.0);
  REQUIRE(num(*frame, "width") == 442.0);
  REQUIRE(num(*frame, "height") == 160.0);

  // Epochs 1..2 → x limits [0.95, 2.05]; loss 0.5..1.0 → y limits [0.475, 1.025].
  //   epoch 1: 78 + 0.05/1.1 · 442 = 98.09      loss 1.0: 24 + 0.025/0.55 · 160 = 31.27
  //   epoch 2: 78 + 1.05/1.1 · 442 = 499.91     loss 0.5: 24 + 0.525/0.55 · 160 = 176.73
  const std::vector<const Tag*> lines = with_class(loss, "polyline", "loss-training");
  REQUIRE(lines.size() == 1);
  const auto points = polyline_points(*lines[0]);
  REQUIRE(points.size() == 2);
  REQUIRE_THAT(points[0].first, WithinAbs(98.09, 0.0051));
  REQUIRE_THAT(points[0].second, WithinAbs(31.27, 0.0051));
  REQUIRE_THAT(points[1].first, WithinAbs(499.91, 0.0051));
  REQUIRE_THAT(points[1].second, WithinAbs(176.73, 0.0051));
  REQUIRE(lines[0]->attrs.at("stroke") == "#1f77b4");

  // Accuracy, the second panel: top 24 + 160 + 36 = 220; 0.5..0.75 → [0.4875, 0.7625].
  //   0.5: 220 + 0.2625/0.275 · 160 = 372.73     0.75: 220 + 0.0125/0.275 · 160 = 227.27
  const std::vector<Tag> accuracy = group(tags, "panel-accuracy");
  REQUIRE(num(*find_class(accuracy, "frame"), "y") == 220.0);
  const auto acc = polyline_points(*with_class(accuracy, "polyline", "accuracy-training").at(0));
  REQUIRE(acc.size() == 2);
  REQUIRE_THAT(acc[0].second, WithinAbs(372.73, 0.0051));
  REQUIRE_THAT(acc[1].second, WithinAbs(227.27, 0.0051));

  // Learning rate, the third: 0.1 → 0.05.
  const std::vector<Tag> rate = group(tags, "panel-learning-rate");
  REQUIRE(num(*find_class(rate, "frame"), "y") == 416.0);
  REQUIRE(with_class(rate, "polyline", "learning-rate").size() == 1);

  // Whole epochs only; axis labels; one line per panel, so no legends and no validation.
  REQUIRE(tick_texts(loss, "xtick") == std::vector<std::string>{"1", "2"});
  // y ticks: at most 160/28 → 5 intervals over 0.55, so steps of 0.2.
  REQUIRE(tick_texts(loss, "ytick") == std::vector<std::string>{"0.6", "0.8", "1.0"});
  REQUIRE(tick_texts(loss, "ylabel") == std::vector<std::string>{"loss"});
  REQUIRE(tick_texts(rate, "xlabel") == std::vector<std::string>{"epoch"});
  REQUIRE(tick_texts(loss, "xlabel").empty());
  REQUIRE(group(tags, "legend").empty());
  REQUIRE(svg.find("validation") == std::string::npos);
  REQUIRE(nnfs::plot::training_curves_svg_string(h) == svg);
}

TEST_CASE("training curves: validation dots, breaks at non-finite values, data loss", "[plot]") {
  nnfs::History h;
  for (std::size_t e = 1; e <= 5; ++e) {
    nnfs::History::Record r;
    r.epoch = e * 10;
    r.data_loss = 1.0 / static_cast<double>(e);
    r.regularization_loss = 0.1;
    r.loss = r.data_loss + r.regularization_loss;
    r.accuracy = 0.2 * static_cast<double>(e);
    r.learning_rate = 0.01;
    if (e % 2 == 0) {
      r.validation_loss = 1.0;
      r.validation_accuracy = 0.5;
    }
    h.records.push_back(r);
  }
  h.records[2].loss = std::numeric_limits<double>::quiet_NaN();  // epoch 30: a gap
  h.records[4].accuracy = std::numeric_limits<double>::infinity();
  const std::string svg = nnfs::plot::training_curves_svg_string(h);
  const std::vector<Tag> tags = parse_or_fail(svg);
  const std::vector<Tag> loss = group(tags, "panel-loss");

  // Training loss: a line through epochs 10, 20, then a line through 40, 50.
  const std::vector<const Tag*> lines = with_class(loss, "polyline", "loss-training");
  REQUIRE(lines.size() == 2);
  REQUIRE(polyline_points(*lines[0]).size() == 2);
  REQUIRE(polyline_points(*lines[1]).size() == 2);
  // Data loss, dashed, one unbroken line.
  const std::vector<const Tag*> data = with_class(loss, "polyline", "loss-data");
  REQUIRE(data.size() == 1);
  REQUIRE(polyline_points(*data[0]).size() == 5);
  REQUIRE(data[0]->attrs.at("stroke-dasharray") == "5 3");
  // Validation at epochs 20 and 40 only: two dots in C1 orange, no line between gaps.
  REQUIRE(with_class(loss, "polyline", "loss-validation").empty());
  const std::vector<const Tag*> dots = with_class(loss, "circle", "loss-validation");
  REQUIRE(dots.size() == 3);  // two on the plot, one in the legend
  REQUIRE(dots[0]->attrs.at("fill") == "#ff7f0e");
  REQUIRE(num(*dots[0], "cx") < num(*dots[1], "cx"));

  // Accuracy: the infinite last value leaves epochs 10..40 as one line; the y limits come from
  // the finite values only (0.2..0.8 → ticks within [0.17, 0.83]).
  const std::vector<Tag> accuracy = group(tags, "panel-accuracy");
  const std::vector<const Tag*> acc = with_class(accuracy, "polyline", "accuracy-training");
  REQUIRE(acc.size() == 1);
  REQUIRE(polyline_points(*acc[0]).size() == 4);
  for (const std::string& t : tick_texts(accuracy, "ytick")) {
    const double v = std::strtod(t.c_str(), nullptr);
    REQUIRE(v >= 0.17);
    REQUIRE(v <= 0.83);
  }

  // Legends name the lines of each panel with multiple lines.
  std::vector<std::string> legend_texts;
  for (const Tag& t : group(loss, "legend"))
    if (t.name == "text") legend_texts.push_back(t.text);
  REQUIRE(legend_texts == std::vector<std::string>{"training", "data loss", "validation"});
  REQUIRE(tick_texts(loss, "xtick") ==
          std::vector<std::string>{"10", "15", "20", "25", "30", "35", "40", "45", "50"});
}

TEST_CASE("training curves: a lone value is a dot, a panel of NaN says so, options", "[plot]") {
  nnfs::History h;
  nnfs::History::Record r;
  r.epoch = 1;
  r.loss = 0.7;
  r.accuracy = std::numeric_limits<double>::quiet_NaN();
  h.records.push_back(r);
  nnfs::plot::TrainingCurvesOptions opt;
  opt.learning_rate = false;
  opt.title = "run <1> & \"2\"";
  const std::string svg = nnfs::plot::training_curves_svg_string(h, opt);
  const std::vector<Tag> tags = parse_or_fail(svg);
  REQUIRE(tags.front().attrs.at("height") == std::to_string(44 + 2 * 160 + 36 + 58));
  REQUIRE(group(tags, "panel-learning-rate").empty());
  REQUIRE(svg.find("run &lt;1&gt; &amp; &quot;2&quot;") != std::string::npos);
  const std::vector<Tag> loss = group(tags, "panel-loss");
  REQUIRE(with_class(loss, "polyline", "loss-training").empty());
  REQUIRE(with_class(loss, "circle", "loss-training").size() == 1);
  REQUIRE(tick_texts(loss, "xtick") == std::vector<std::string>{"1"});
  REQUIRE(find_class(loss, "note") == nullptr);
  const std::vector<Tag> accuracy = group(tags, "panel-accuracy");
  const Tag* note = find_class(accuracy, "note");
  REQUIRE(note != nullptr);
  REQUIRE(note->text == "no finite values");

  opt = {};
  opt.width = 800;
  opt.height = 900;
  const std::vector<Tag> big = parse_or_fail(nnfs::plot::training_curves_svg_string(h, opt));
  REQUIRE(big.front().attrs.at("width") == "800");
  REQUIRE(big.front().attrs.at("height") == "900");
  // (900 − 24 − 58 − 2·36) / 3 = 248.67 px per panel.
  REQUIRE_THAT(num(*find_class(group(big, "panel-accuracy"), "frame"), "height"),
               WithinAbs(248.67, 0.0051));
}

TEST_CASE("training curves reject an empty history, unordered epochs, tiny sizes", "[plot]") {
  using nnfs::plot::training_curves_svg_string;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, training_curves_svg_string(nnfs::History{}),
                           "training_curves_svg_string", "no records");
  nnfs::History h = two_epochs();
  h.records[1].epoch = 1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, training_curves_svg_string(h),
                           "record 1 has epoch 1 after epoch 1");
  h = two_epochs();
  nnfs::plot::TrainingCurvesOptions opt;
  opt.height = 300;  // < 60 px per panel for three panels
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, training_curves_svg_string(h, opt), "60 px",
                           "640\u00d7300");
  opt = {};
  opt.width = 100;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, training_curves_svg_string(h, opt), "width");
  h.records[0].loss = std::numeric_limits<double>::max();
  h.records[1].loss = -std::numeric_limits<double>::max();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, training_curves_svg_string(h), "loss",
                           "too large");
}

TEST_CASE("training_curves_svg writes the same text as the string variant", "[plot]") {
  const fs::path dir = scratch_dir("curves");
  const nnfs::History h = two_epochs();
  const fs::path path = dir / "curves.svg";
  nnfs::plot::training_curves_svg(path, h);
  REQUIRE(read_file(path) == nnfs::plot::training_curves_svg_string(h));
  REQUIRE(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::plot::training_curves_svg(fs::path(), h),
                           "training_curves_svg", "empty path");
  fs::remove_all(dir);
}
