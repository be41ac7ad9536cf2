// nnfs/print/print.hpp against NumPy 1.24: every expected string below was printed by NumPy itself
// (tests/golden/gen_print.py writes tests/data/print_arrays.txt and print_scalars.txt).
#include "nnfs/print/print.hpp"

#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct PrintCase {
  std::string name;
  std::string dtype;
  std::vector<nnfs::Index> shape;
  nnfs::PrintOptions options;
  std::vector<std::string> values;
  std::string expected;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> words_after(const std::string& line, const std::string& key) {
  if (line.compare(0, key.size(), key) != 0 ||
      (line.size() > key.size() && line[key.size()] != ' '))
    throw std::runtime_error("print_arrays.txt: expected '" + key + "', got '" + line + "'");
  std::istringstream in(line.substr(key.size()));
  std::vector<std::string> words;
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

std::vector<PrintCase> read_cases() {
  const std::vector<std::string> lines = split_lines(nnfs_test::read_text("print_arrays.txt"));
  std::vector<PrintCase> cases;
  std::size_t i = 0;
  const auto next = [&]() -> const std::string& {
    if (i >= lines.size()) throw std::runtime_error("print_arrays.txt: unexpected end of file");
    return lines[i++];
  };
  while (i < lines.size()) {
    const std::string& head = next();
    if (head.empty() || head[0] == '#') continue;
    PrintCase c;
    c.name = words_after(head, "case").at(0);
    c.dtype = words_after(next(), "dtype").at(0);
    for (const auto& w : words_after(next(), "shape")) c.shape.push_back(std::stoll(w));
    const std::vector<std::string> o = words_after(next(), "options");
    c.options.precision = std::stoi(o.at(0));
    c.options.threshold = std::stoll(o.at(1));
    c.options.edgeitems = std::stoll(o.at(2));
    c.options.linewidth = std::stoi(o.at(3));
    c.options.suppress = o.at(4) == "1";
    c.values = words_after(next(), "values");
    const int n = std::stoi(words_after(next(), "expected").at(0));
    for (int k = 0; k < n; ++k) c.expected += (k ? "\n" : "") + next();
    words_after(next(), "end");
    cases.push_back(c);
  }
  return cases;
}

template <class T>
T parse_value(const std::string& s) {
  if constexpr (std::is_same_v<T, float>) {
    return std::strtof(s.c_str(), nullptr);
  } else if constexpr (std::is_same_v<T, double>) {
    return std::strtod(s.c_str(), nullptr);
  } else if constexpr (std::is_same_v<T, bool>) {
    return s == "True";
  } else {
    return static_cast<T>(std::stoll(s));
  }
}

template <class T>
nnfs::Matrix<T> case_matrix(const PrintCase& c) {
  const nnfs::Index rows = c.shape.size() == 1 ? 1 : c.shape[0];
  const nnfs::Index cols = c.shape.back();
  REQUIRE(static_cast<nnfs::Index>(c.values.size()) == rows * cols);
  nnfs::Matrix<T> m(rows, cols);
  for (nnfs::Index k = 0; k < m.size(); ++k)
    m(k / cols, k % cols) = parse_value<T>(c.values[static_cast<std::size_t>(k)]);
  return m;
}

// Prints the case through every entry point that must give NumPy's string.
template <class T>
void check_case(const PrintCase& c) {
  const nnfs::Matrix<T> m = case_matrix<T>(c);
  const nnfs::PrintOptions& o = c.options;
  INFO("case " << c.name << " (" << c.dtype << ")\nexpected:\n" << c.expected);
  if (c.shape.size() == 1) {
    const nnfs::RowVector<T> row = m;
    const Eigen::Matrix<T, Eigen::Dynamic, 1> col = m.transpose();
    const Eigen::Array<T, Eigen::Dynamic, 1> arr = col.array();
    {
      const std::string got = nnfs::np(col, o).str();
      INFO("np(column vector) gave:\n" << got);
      CHECK(got == c.expected);
    }
    {
      const std::string got = nnfs::np(row, o).str();
      INFO("np(RowVector) gave:\n" << got);
      CHECK(got == c.expected);
    }
    CHECK(nnfs::np(arr, o).str() == c.expected);
    CHECK(nnfs::np1(m, o).str() == c.expected);
  } else {
    const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> col_major = m;
    {
      const std::string got = nnfs::np(m, o).str();
      INFO("np(Matrix) gave:\n" << got);
      CHECK(got == c.expected);
    }
    CHECK(nnfs::np(col_major, o).str() == c.expected);
    CHECK(nnfs::np2(col_major.array(), o).str() == c.expected);
    if (c.shape[0] == 1) {
      // A (1, n) NumPy array, e.g. the book's biases: a RowVector needs np2 to print as one.
      const nnfs::RowVector<T> row = m;
      CHECK(nnfs::np2(row, o).str() == c.expected);
    }
  }
}

const PrintCase& find_case(const std::vector<PrintCase>& cases, const std::string& name) {
  for (const auto& c : cases)
    if (c.name == name) return c;
  throw std::runtime_error("no case " + name + " in print_arrays.txt");
}

}  // namespace

TEST_CASE("np() prints every golden array exactly as NumPy's str(array)", "[print]") {
  const std::vector<PrintCase> cases = read_cases();
  REQUIRE(cases.size() >= 150);
  for (const auto& c : cases) {
    if (c.dtype == "float32") {
      check_case<float>(c);
    } else if (c.dtype == "float64") {
      check_case<double>(c);
    } else if (c.dtype == "int32") {
      check_case<std::int32_t>(c);
    } else if (c.dtype == "int64") {
      check_case<std::int64_t>(c);
    } else if (c.dtype == "uint8") {
      check_case<std::uint8_t>(c);
    } else {
      INFO("case " << c.name << " has dtype " << c.dtype);
      REQUIRE(c.dtype == "bool");
      check_case<bool>(c);
    }
  }
}

TEST_CASE("repr() prints scalars as Python prints NumPy float32, float and int scalars",
          "[print]") {
  const std::vector<std::string> lines = split_lines(nnfs_test::read_text("print_scalars.txt"));
  int checked = 0;
  for (const auto& line : lines) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> w = words_after(line, "scalar");
    REQUIRE(w.size() == 3);
    const std::string& dtype = w[0];
    const std::string& input = w[1];
    const std::string& expected = w[2];
    std::string got;
    if (dtype == "float32")
      got = nnfs::repr(std::strtof(input.c_str(), nullptr));
    else if (dtype == "float64")
      got = nnfs::repr(std::strtod(input.c_str(), nullptr));
    else if (dtype == "int64")
      got = nnfs::repr(static_cast<std::int64_t>(std::stoll(input)));
    else {
      INFO("unknown dtype in line: " << line);
      REQUIRE(dtype == "bool");
      got = nnfs::repr(input == "True");
    }
    INFO(dtype << " " << input << ": expected " << expected << ", got " << got);
    CHECK(got == expected);
    ++checked;
  }
  REQUIRE(checked >= 250);
  // The book's figures, spelled out (they are also among the golden lines above).
  CHECK(nnfs::repr(1.0986104f) == "1.0986104");
  CHECK(nnfs::repr(0.34) == "0.34");
  CHECK(nnfs::repr(1e-07) == "1e-07");
  CHECK(nnfs::repr(100.0) == "100.0");
  CHECK(nnfs::repr(std::uint8_t{200}) == "200");
}

TEST_CASE("an ArrayPrint goes through fmt, operator<< and to_string alike", "[print]") {
  const std::vector<PrintCase> cases = read_cases();
  const PrintCase& c = find_case(cases, "book_ch2_batch_layer");
  const nnfs::Matrix<double> m = case_matrix<double>(c);
  const std::string expected = c.expected;  // [[ 4.8    1.21   2.385] ...

  CHECK(fmt::format("{}", nnfs::np(m)) == expected);
  CHECK(fmt::format("out:\n{}\n", nnfs::np(m)) == "out:\n" + expected + "\n");
  CHECK(nnfs::to_string(nnfs::np(m)) == expected);
  std::ostringstream os;
  os << nnfs::np(m) << '|';
  CHECK(os.str() == expected + "|");

  SECTION("a format spec is an error: options travel in PrintOptions") {
    REQUIRE_THROWS_AS(fmt::format(fmt::runtime("{:>10}"), nnfs::np(m)), fmt::format_error);
    NNFS_REQUIRE_THROWS_WITH(fmt::format_error, fmt::format(fmt::runtime("{:x}"), nnfs::np(m)),
                             "PrintOptions");
  }
  SECTION("options apply per call") {
    nnfs::PrintOptions o;
    o.precision = 1;
    CHECK(fmt::format("{}", nnfs::np(m, o)) ==
          "[[ 4.8  1.2  2.4]\n [ 8.9 -1.8  0.2]\n [ 1.4  1.1  0. ]]");
    CHECK(fmt::format("{}", nnfs::np(m)) == expected);
  }
}

TEST_CASE("np() picks 1-D or 2-D from the compile-time shape", "[print]") {
  const std::vector<PrintCase> cases = read_cases();
  const PrintCase& first5 = find_case(cases, "book_ch3_dense1_output_first5");
  const nnfs::Matrix<float> all =
      case_matrix<float>(find_case(cases, "book_ch3_dense1_output_all"));
  // The book's print(dense1.output[:5]), from an expression.
  CHECK(nnfs::np(all.topRows(5)).str() == first5.expected);
  // A row or column of a matrix is 1-D, as m[1] and m[:, 1] are in NumPy.
  const nnfs::Matrix<float> m5 = case_matrix<float>(first5);
  CHECK(nnfs::np(m5.row(1)).str() == "[-1.0475188e-04  1.1395361e-04 -4.7983500e-05]");
  CHECK(nnfs::np(m5.row(1)).ndim() == 1);
  CHECK(nnfs::np(m5.col(0)).ndim() == 1);
  // A dynamic matrix with one row stays 2-D; np1 flattens it, np2 keeps a vector 2-D.
  const nnfs::Matrix<float> one_row = m5.topRows(1);
  CHECK(nnfs::np(one_row).str() == "[[0. 0. 0.]]");
  CHECK(nnfs::np1(one_row).str() == "[0. 0. 0.]");
  CHECK(nnfs::np2(nnfs::RowVector<float>(one_row)).str() == "[[0. 0. 0.]]");
  CHECK(nnfs::np2(nnfs::Vector<float>(one_row.transpose())).str() == "[[0.]\n [0.]\n [0.]]");
  // np1 flattens row-major, whatever the storage order.
  const Eigen::MatrixXd col_major = (Eigen::MatrixXd(2, 2) << 1, 2, 3, 4).finished();
  CHECK(nnfs::np1(col_major).str() == "[1. 2. 3. 4.]");
  CHECK(nnfs::np(col_major * col_major).str() == "[[ 7. 10.]\n [15. 22.]]");
  nnfs::Labels y(4);
  y << 0, 1, 2, 10;
  CHECK(nnfs::np(y).str() == "[ 0  1  2 10]");
}

TEST_CASE("np() rejects options NumPy would not print sensibly with", "[print]") {
  const Eigen::VectorXf v = Eigen::VectorXf::Zero(3);
  nnfs::PrintOptions o;
  o.precision = -1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::np(v, o), "precision", "-1");
  o = {};
  o.edgeitems = 0;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::np(v, o), "edgeitems", "0");
}
