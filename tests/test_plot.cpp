// nnfs::plot: matplotlib's 'brg' colours, the SVG's structure (one circle per row, in the
// right place and colour), well-formed XML, safe file replacement and input validation.
#include "nnfs/plot.hpp"

#include "nnfs/datasets/spiral.hpp"
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
