// .npy files (nnfs/io/npy.hpp) against NumPy's own: the golden files in tests/data/npy/ were written
// by numpy.save (tests/golden/gen_npy.py), and every expected value here is computed from the
// same formula the script used, or taken from NumPy's bytes — never from our own output.
#include "nnfs_catch.hpp"
#include "temp_dir.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/io/npy.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace {

using nnfs_test::same_bits;

namespace fs = std::filesystem;
using nnfs::Index;
using nnfs::Labels;
using nnfs::Matrix;
using nnfs::NpyArray;

std::string npy_path(const std::string& name) { return nnfs_test::data_path("npy/" + name); }
std::string npy_file(const std::string& name) { return nnfs_test::read_text("npy/" + name); }

// ------------------------------------------------------------------ independent byte builders
template <std::size_t N>
struct UInt;
template <>
struct UInt<1> {
  using type = std::uint8_t;
};
template <>
struct UInt<2> {
  using type = std::uint16_t;
};
template <>
struct UInt<4> {
  using type = std::uint32_t;
};
template <>
struct UInt<8> {
  using type = std::uint64_t;
};

/// The element bytes NumPy stores for `values`: little-endian, or big-endian when `big`
/// (built with shifts, so it does not depend on the host's byte order).
template <class S>
std::string bytes_of(const std::vector<S>& values, bool big = false) {
  std::string out;
  for (const S v : values) {
    typename UInt<sizeof(S)>::type u;
    std::memcpy(&u, &v, sizeof(S));
    for (std::size_t b = 0; b < sizeof(S); ++b) {
      const std::size_t shift = 8 * (big ? sizeof(S) - 1 - b : b);
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(u) >> shift) & 0xFF));
    }
  }
  return out;
}

NpyArray arr(std::string descr, std::vector<std::int64_t> shape, bool fortran, std::string data) {
  NpyArray a;
  a.descr = std::move(descr);
  a.shape = std::move(shape);
  a.fortran_order = fortran;
  a.data = std::move(data);
  return a;
}

/// A .npy file with a hand-written header (as gen_npy.py's raw_npy): no padding applied.
std::string raw_npy(const std::string& header, const std::string& data, int major = 1) {
  std::string out("\x93NUMPY", 6);
  out.push_back(static_cast<char>(major));
  out.push_back('\0');
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  for (std::size_t i = 0; i < len_bytes; ++i) out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xFF));
  return out + header + data;
}

// ------------------------------------------------------------------ the formulas of gen_npy.py
template <class F>
auto values(int n, F f) {
  std::vector<decltype(f(0))> v;
  v.reserve(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) v.push_back(f(k));
  return v;
}
// F4_2x3 = arange(6, f4).reshape(2, 3) * f4(0.25) - f4(1)
float f4_2x3(int k) { return static_cast<float>(k) * 0.25f - 1.0f; }
// F8_3x4 = arange(12, f8).reshape(3, 4) / 3 - 1
double f8_3x4(int k) { return static_cast<double>(k) / 3.0 - 1.0; }
// F4_3x4_F = asfortranarray(arange(12, f4).reshape(3, 4) * f4(0.5)), element (i, j) = (4i + j) / 2
float f4_3x4(int i, int j) { return static_cast<float>(4 * i + j) * 0.5f; }
// F4_1D = arange(5, f4) * f4(1.5) - f4(2)
float f4_1d(int k) { return static_cast<float>(k) * 1.5f - 2.0f; }
// W_100x10 = arange(1000, f8).reshape(100, 10) % 7 * 0.5
double w_100x10(int k) { return static_cast<double>(k % 7) * 0.5; }

template <class T, class F>
Matrix<T> matrix(Index rows, Index cols, F f) {
  Matrix<T> m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = static_cast<T>(f(static_cast<int>(i * cols + j)));
  return m;
}

/// Every file numpy.save wrote unmodified, with the array built independently from its formula.
std::vector<std::pair<std::string, NpyArray>> numpy_saved() {
  std::vector<float> fortran;  // column-major: (i, j) at j * 3 + i
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 3; ++i) fortran.push_back(f4_3x4(i, j));
  Matrix<bool> evens(2, 3);
  for (Index i = 0; i < 2; ++i)
    for (Index j = 0; j < 3; ++j) evens(i, j) = (3 * i + j) % 2 == 0;
  Labels y7(7);
  for (Index k = 0; k < 7; ++k) y7(k) = static_cast<std::int32_t>(5 * k % 3);
  Matrix<std::int32_t> column(4, 1);
  for (Index i = 0; i < 4; ++i) column(i, 0) = static_cast<std::int32_t>(2 * i);
  std::vector<std::int64_t> aligned_shape{2};
  for (int i = 0; i < 12; ++i) aligned_shape.push_back(1);
  aligned_shape.push_back(100);
  return {
      {"f4_2x3.npy", NpyArray::from(matrix<float>(2, 3, f4_2x3))},
      {"f8_3x4.npy", NpyArray::from(matrix<double>(3, 4, f8_3x4))},
      {"f8_3x4_as_f4.npy", NpyArray::from(matrix<double>(3, 4, f8_3x4).cast<float>())},
      {"f8_big_3x4.npy", arr(">f8", {3, 4}, false, bytes_of(values(12, f8_3x4), true))},
      {"f4_big_2x3.npy", arr(">f4", {2, 3}, false, bytes_of(values(6, f4_2x3), true))},
      {"f4_fortran_3x4.npy", arr("<f4", {3, 4}, true, bytes_of(fortran))},
      {"f4_1d_5.npy", arr("<f4", {5}, false, bytes_of(values(5, f4_1d)))},
      {"f8_0d.npy", arr("<f8", {}, false, bytes_of(std::vector<double>{2.5}))},
      {"f4_3d_2x3x4.npy", arr("<f4", {2, 3, 4}, false, bytes_of(values(24, [](int k) { return static_cast<float>(k); })))},
      {"f4_empty_0x3.npy", NpyArray::from(Matrix<float>(0, 3))},
      {"f8_empty_0.npy", arr("<f8", {0}, false, "")},
      {"i4_labels_7.npy", NpyArray::from_labels(y7)},
      {"u1_labels_6.npy", arr("|u1", {6}, false, bytes_of(values(6, [](int k) { return static_cast<std::uint8_t>(k % 4); })))},
      {"i8_labels_5.npy", arr("<i8", {5}, false, bytes_of(values(5, [](int k) { return std::int64_t{2} * k - 3; })))},
      {"i2_big_labels_4.npy", arr(">i2", {4}, false, bytes_of(values(4, [](int k) { return static_cast<std::int16_t>(k - 2); }), true))},
      {"i1_labels_6.npy", arr("|i1", {6}, false, bytes_of(values(6, [](int k) { return static_cast<std::int8_t>(k - 3); })))},
      {"u8_labels_3.npy", arr("<u8", {3}, false, bytes_of(std::vector<std::uint64_t>{0, 7, 2147483647}))},
      {"i4_column_4x1.npy", NpyArray::from(column)},
      {"i8_out_of_range_4.npy",
       arr("<i8", {4}, false, bytes_of(std::vector<std::int64_t>{0, 1, 2147483648LL, -2147483649LL}))},
      {"b1_2x3.npy", NpyArray::from(evens)},
      {"f8_100x10.npy", NpyArray::from(matrix<double>(100, 10, w_100x10))},
      {"f4_aligned_header_14d.npy",
       arr("<f4", aligned_shape, false, bytes_of(values(200, [](int k) { return static_cast<float>(k); })))},
  };
}

using nnfs_test::TempDir;

/// {type thrown, message}; typeid(void) when nothing was thrown.
std::pair<std::type_index, std::string> outcome(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return {std::type_index(typeid(e)), e.what()};
  } catch (...) {
    return {std::type_index(typeid(int)), "<not a std::exception>"};
  }
  return {std::type_index(typeid(void)), "<nothing was thrown>"};
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("npy_bytes writes the bytes numpy.save writes", "[npy]") {
  TempDir dir;
  for (const auto& [file, array] : numpy_saved()) {
    INFO("file: " << file);
    const std::string expected = npy_file(file);
    CHECK(nnfs::npy_bytes(array) == expected);
    // and save_npy writes the same bytes to disk
    const fs::path out = dir.path / file;
    nnfs::save_npy(out, array);
    CHECK(nnfs::detail::read_file_bytes("test", out) == expected);
  }
}

TEST_CASE("save_npy of a matrix or labels writes numpy.save's bytes", "[npy]") {
  TempDir dir;
  nnfs::save_npy(dir.path / "X.npy", matrix<float>(2, 3, f4_2x3));
  CHECK(nnfs::detail::read_file_bytes("test", dir.path / "X.npy") == npy_file("f4_2x3.npy"));
  // an expression (a transpose of a column-major matrix) is evaluated in row-major order
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic> col_major = matrix<double>(4, 3, [](int k) {
    return static_cast<double>(k);
  });
  const Matrix<double> expected_t = matrix<double>(3, 4, f8_3x4);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 4; ++j) col_major(j, i) = expected_t(i, j);
  nnfs::save_npy(dir.path / "T.npy", col_major.transpose());
  CHECK(nnfs::detail::read_file_bytes("test", dir.path / "T.npy") == npy_file("f8_3x4.npy"));
  Labels y(7);
  for (Index k = 0; k < 7; ++k) y(k) = static_cast<std::int32_t>(5 * k % 3);
  nnfs::save_npy(dir.path / "y.npy", y);
  CHECK(nnfs::detail::read_file_bytes("test", dir.path / "y.npy") == npy_file("i4_labels_7.npy"));
}

TEST_CASE("parse_npy then npy_bytes gives back every file numpy.save wrote", "[npy]") {
  for (const auto& [file, array] : numpy_saved()) {
    INFO("file: " << file);
    const std::string bytes = npy_file(file);
    const NpyArray parsed = nnfs::parse_npy(bytes, file);
    CHECK(parsed == array);
    CHECK(nnfs::npy_bytes(parsed) == bytes);
    CHECK(nnfs::load_npy_array(npy_path(file)) == array);
  }
}

TEST_CASE("golden .npy files load with their shapes and values", "[npy]") {
  SECTION("float32 2-D, in every format version and byte order") {
    const Matrix<float> expected = matrix<float>(2, 3, f4_2x3);
    for (const char* file : {"f4_2x3.npy", "f4_big_2x3.npy", "f4_v2_2x3.npy", "f4_v3_2x3.npy", "hand_reordered.npy",
                             "hand_double_quotes.npy", "hand_py2_long.npy", "hand_v2_unpadded.npy"}) {
      INFO("file: " << file);
      const Matrix<float> m = nnfs::load_npy<float>(npy_path(file));
      CHECK(same_bits(m, expected));
      CHECK(same_bits(nnfs::load_npy<double>(npy_path(file)), Matrix<double>(expected.cast<double>())));
    }
  }
  SECTION("float64, little- and big-endian") {
    const Matrix<double> expected = matrix<double>(3, 4, f8_3x4);
    CHECK(same_bits(nnfs::load_npy<double>(npy_path("f8_3x4.npy")), expected));
    CHECK(same_bits(nnfs::load_npy<double>(npy_path("f8_big_3x4.npy")), expected));
    CHECK(same_bits(nnfs::load_npy<double>(npy_path("f8_100x10.npy")), matrix<double>(100, 10, w_100x10)));
  }
  SECTION("Fortran order becomes row-major") {
    const Matrix<float> m = nnfs::load_npy<float>(npy_path("f4_fortran_3x4.npy"));
    REQUIRE(m.rows() == 3);
    REQUIRE(m.cols() == 4);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j) CHECK(m(i, j) == f4_3x4(i, j));
  }
  SECTION("1-D is a row, 0-D is 1x1, empty arrays keep their shape") {
    const Matrix<float> row = nnfs::load_npy<float>(npy_path("f4_1d_5.npy"));
    REQUIRE(row.rows() == 1);
    REQUIRE(row.cols() == 5);
    for (int k = 0; k < 5; ++k) CHECK(row(0, k) == f4_1d(k));
    const Matrix<double> scalar = nnfs::load_npy<double>(npy_path("f8_0d.npy"));
    REQUIRE(scalar.rows() == 1);
    REQUIRE(scalar.cols() == 1);
    CHECK(scalar(0, 0) == 2.5);
    const Matrix<float> empty = nnfs::load_npy<float>(npy_path("f4_empty_0x3.npy"));
    CHECK(empty.rows() == 0);
    CHECK(empty.cols() == 3);
    const Matrix<double> empty1 = nnfs::load_npy<double>(npy_path("f8_empty_0.npy"));
    CHECK(empty1.rows() == 1);
    CHECK(empty1.cols() == 0);
  }
  SECTION("integers and bools convert to floating point") {
    const Matrix<double> b = nnfs::load_npy<double>(npy_path("b1_2x3.npy"));
    REQUIRE(b.rows() == 2);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j) CHECK(b(i, j) == ((3 * i + j) % 2 == 0 ? 1.0 : 0.0));
    const Matrix<float> c = nnfs::load_npy<float>(npy_path("i4_column_4x1.npy"));
    REQUIRE(c.rows() == 4);
    REQUIRE(c.cols() == 1);
    for (int i = 0; i < 4; ++i) CHECK(c(i, 0) == static_cast<float>(2 * i));
    const Matrix<float> big = nnfs::load_npy<float>(npy_path("i8_out_of_range_4.npy"));
    CHECK(big(0, 2) == 2147483648.0f);
    CHECK(big(0, 3) == static_cast<float>(-2147483649LL));
    const Matrix<std::int32_t> ints = nnfs::load_npy<std::int32_t>(npy_path("i4_column_4x1.npy"));
    CHECK(ints(3, 0) == 6);
  }
  SECTION("the 3-D file parses; it only refuses to become a matrix") {
    const NpyArray a = nnfs::load_npy_array(npy_path("f4_3d_2x3x4.npy"));
    CHECK(a.shape == std::vector<std::int64_t>{2, 3, 4});
    CHECK(a.size() == 24);
    CHECK(a.itemsize() == 4);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, a.to_matrix<float>(), "to_matrix", "shape (2, 3, 4)", "3 dimensions");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::load_npy<float>(npy_path("f4_3d_2x3x4.npy")),
                             "f4_3d_2x3x4.npy", "shape (2, 3, 4)");
  }
}

TEST_CASE("float64 .npy data converts to float32 as numpy astype rounds", "[npy]") {
  // f8_3x4_as_f4.npy is NumPy's own astype(float32) of f8_3x4.npy (thirds: every value rounds)
  const Matrix<float> ours = nnfs::load_npy<float>(npy_path("f8_3x4.npy"));
  const Matrix<float> numpys = nnfs::load_npy<float>(npy_path("f8_3x4_as_f4.npy"));
  CHECK(same_bits(ours, numpys));
  CHECK(same_bits(nnfs::load_npy<float>(npy_path("f8_big_3x4.npy")), numpys));
}

TEST_CASE("labels load from .npy files of every integer dtype and byte order", "[npy]") {
  const auto labels_of = [](const char* file) { return nnfs::load_npy_labels(npy_path(file)); };
  const auto check = [](const Labels& y, const std::vector<long long>& expected) {
    REQUIRE(y.size() == static_cast<Index>(expected.size()));
    for (Index k = 0; k < y.size(); ++k) CHECK(y(k) == expected[static_cast<std::size_t>(k)]);
  };
  check(labels_of("i4_labels_7.npy"), values(7, [](int k) { return 5LL * k % 3; }));
  check(labels_of("u1_labels_6.npy"), values(6, [](int k) { return static_cast<long long>(k % 4); }));
  check(labels_of("i8_labels_5.npy"), values(5, [](int k) { return 2LL * k - 3; }));
  check(labels_of("i2_big_labels_4.npy"), values(4, [](int k) { return k - 2LL; }));
  check(labels_of("i1_labels_6.npy"), values(6, [](int k) { return k - 3LL; }));
  check(labels_of("u8_labels_3.npy"), {0, 7, 2147483647});
  check(labels_of("i4_column_4x1.npy"), values(4, [](int k) { return 2LL * k; }));
  // a row (1, n) is labels too
  const NpyArray row = arr("<i4", {1, 3}, false, bytes_of(std::vector<std::int32_t>{4, -5, 6}));
  check(row.to_labels(), {4, -5, 6});
  // so are bools (0/1)
  check(arr("|b1", {3}, false, std::string("\x01\x00\x02", 3)).to_labels(), {1, 0, 1});
}

TEST_CASE(".npy arrays: to_matrix and to_labels refuse arrays that are not matrices or labels", "[npy]") {
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, nnfs::load_npy_labels(npy_path("i8_out_of_range_4.npy")),
                           "i8_out_of_range_4.npy", "value 2147483648", "index 2", "32-bit");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, nnfs::load_npy<std::int32_t>(npy_path("i8_out_of_range_4.npy")),
                           "value 2147483648", "index 2");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range,
                           arr("<i8", {2}, false, bytes_of(std::vector<std::int64_t>{3, -2147483649LL})).to_labels(),
                           "value -2147483649", "index 1");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range,
                           arr("<u4", {1}, false, bytes_of(std::vector<std::uint32_t>{4294967295u})).to_labels(),
                           "value 4294967295", "index 0");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::load_npy_labels(npy_path("f4_1d_5.npy")), "f4_1d_5.npy",
                           "labels must be integers", "float32 '<f4'");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::load_npy_labels(npy_path("b1_2x3.npy")), "shape (2, 3)");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::load_npy_labels(npy_path("f8_0d.npy")), "shape ()");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::load_npy<std::int32_t>(npy_path("f8_3x4.npy")),
                           "float64 '<f8'", "integer");
  // an NpyArray assembled by hand whose data does not match its shape
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, arr("<f4", {2, 3}, false, std::string(20, '\0')).to_matrix<float>(),
                           "shape (2, 3) of <f4 needs 24 bytes", "holds 20");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, arr("<c8", {1}, false, std::string(8, '\0')).to_matrix<float>(),
                           "unsupported dtype '<c8'");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, arr("<f4", {-1}, false, "").to_matrix<float>(), "shape (-1,)");
}

TEMPLATE_TEST_CASE("C++ save_npy then load_npy round-trips matrices bit for bit", "[npy]", float, double) {
  using T = TestType;
  TempDir dir;
  Matrix<T> m = matrix<T>(17, 5, [](int k) { return std::sin(0.37 * k) * std::pow(10.0, k % 9 - 4); });
  // the special values survive too
  m(0, 0) = std::numeric_limits<T>::quiet_NaN();
  m(0, 1) = std::numeric_limits<T>::infinity();
  m(0, 2) = -std::numeric_limits<T>::infinity();
  m(0, 3) = -T(0);
  m(0, 4) = std::numeric_limits<T>::denorm_min();
  m(1, 0) = std::numeric_limits<T>::max();
  m(1, 1) = std::numeric_limits<T>::lowest();
  const fs::path file = dir.path / "m.npy";
  nnfs::save_npy(file, m);
  CHECK(same_bits(nnfs::load_npy<T>(file), m));
  const NpyArray a = nnfs::load_npy_array(file);
  CHECK(a.descr == (sizeof(T) == 4 ? "<f4" : "<f8"));
  CHECK(a.shape == std::vector<std::int64_t>{17, 5});
  CHECK_FALSE(a.fortran_order);
  // overwriting an existing file replaces it
  const Matrix<T> small = Matrix<T>::Constant(1, 2, T(0.5));
  nnfs::save_npy(file, small);
  CHECK(same_bits(nnfs::load_npy<T>(file), small));
  // empty and 1×1
  nnfs::save_npy(file, Matrix<T>(0, 4));
  CHECK(nnfs::load_npy<T>(file).cols() == 4);
  CHECK(nnfs::load_npy<T>(file).rows() == 0);
}

TEST_CASE("labels and integer matrices round-trip through .npy", "[npy]") {
  TempDir dir;
  Labels y(9);
  for (Index k = 0; k < 9; ++k) y(k) = static_cast<std::int32_t>(k * k) - 40;
  y(8) = std::numeric_limits<std::int32_t>::min();
  nnfs::save_npy(dir.path / "y.npy", y);
  const NpyArray a = nnfs::load_npy_array(dir.path / "y.npy");
  CHECK(a.descr == "<i4");
  CHECK(a.shape == std::vector<std::int64_t>{9});
  CHECK(nnfs::load_npy_labels(dir.path / "y.npy") == y);
  CHECK(nnfs::parse_npy(nnfs::npy_bytes(NpyArray::from_labels(Labels(0)))).to_labels().size() == 0);

  Matrix<std::int32_t> m(2, 2);
  m << 1, -2, 3, std::numeric_limits<std::int32_t>::max();
  nnfs::save_npy(dir.path / "m.npy", m);
  CHECK(nnfs::load_npy<std::int32_t>(dir.path / "m.npy") == m);
  Matrix<std::uint8_t> u(1, 3);
  u << 0, 128, 255;
  CHECK(NpyArray::from(u).descr == "|u1");
  CHECK(nnfs::parse_npy(nnfs::npy_bytes(NpyArray::from(u))).to_matrix<std::uint8_t>() == u);
}

TEST_CASE("the .npy misuse table: every broken file throws runtime_error naming the file and the problem",
          "[npy][misuse]") {
  struct Row {
    std::string file;
    std::vector<std::string> parts;
  };
  const std::vector<Row> rows = {
      {"broken_truncated_data.npy", {"truncated: header says shape (2, 3) of <f4 = 24 bytes, file has 20"}},
      {"broken_trailing_data.npy", {"trailing bytes", "header says shape (2, 3) of <f4 = 24 bytes, file has 28"}},
      {"broken_truncated_header.npy", {"truncated header", "118 bytes", "40"}},
      {"broken_bad_magic.npy", {"not a .npy file", "bad magic", "NUMPZ"}},
      {"broken_version_4.npy", {"unsupported .npy format version 4.0"}},
      {"broken_object.npy", {"unsupported dtype '|O'", "object arrays"}},
      {"broken_unicode.npy", {"unsupported dtype '<U2'"}},
      {"broken_complex.npy", {"unsupported dtype '<c16'", "complex"}},
      {"broken_structured.npy", {"structured dtypes", "('x', '<f4')"}},
      {"broken_float16.npy", {"unsupported dtype '<f2'"}},
      {"broken_huge_shape.npy", {"shape (4611686018427387904,)", "too many elements"}},
      {"broken_negative_dim.npy", {"malformed .npy header", "non-negative"}},
      {"broken_not_a_dict.npy", {"malformed .npy header", "dict"}},
      {"broken_missing_key.npy", {"malformed .npy header", "missing key 'fortran_order'"}},
      {"broken_empty.npy", {"not a .npy file", "empty"}},
      {"arrays_stored.npz", {"not a .npy file", "zip archive", "load_npz"}},
  };
  for (const Row& row : rows) {
    const std::string path = npy_path(row.file);
    const auto [type, message] = outcome([&] { (void)nnfs::load_npy_array(path); });
    INFO("file: " << row.file << "\nmessage: " << message);
    CHECK(type == std::type_index(typeid(std::runtime_error)));
    CHECK(starts_with(message, path + ": "));
    CHECK(nnfs_test::contains_all(message, row.parts));
    // the same bytes from memory: the message starts with the name given
    const auto [type2, message2] = outcome([&] { (void)nnfs::parse_npy(npy_file(row.file)); });
    CHECK(type2 == std::type_index(typeid(std::runtime_error)));
    CHECK(starts_with(message2, "npy data: "));
  }
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::load_npy_array(npy_path("no_such_file.npy")), "load_npy",
                           "cannot read", "no_such_file.npy");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::load_npy<float>(nnfs_test::data_path("npy")), "is a directory");
}

TEST_CASE("malformed .npy headers built in memory throw runtime_error saying what is wrong", "[npy][misuse]") {
  const std::string data24(24, '\0');
  struct Row {
    std::string name;
    std::string bytes;
    std::vector<std::string> parts;
  };
  const std::string ok_head = "'descr': '<f4', 'fortran_order': False, ";
  const std::vector<Row> rows = {
      {"2^40 x 2^40 elements", raw_npy("{" + ok_head + "'shape': (1099511627776, 1099511627776), }", data24),
       {"shape (1099511627776, 1099511627776)", "too many elements"}},
      {"2^31 x 2^31 x 4 float64 elements",
       raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483648, 2147483648, 4), }", data24),
       {"too many elements"}},
      {"a dimension beyond int64", raw_npy("{" + ok_head + "'shape': (99999999999999999999, 1), }", data24),
       {"does not fit in a 64-bit integer"}},
      {"(5) is not a tuple", raw_npy("{" + ok_head + "'shape': (6), }", data24), {"trailing comma", "(5,)"}},
      {"shape as a list", raw_npy("{" + ok_head + "'shape': [2, 3], }", data24), {"tuple"}},
      {"a leading zero", raw_npy("{" + ok_head + "'shape': (02, 3), }", data24), {"leading zero"}},
      {"lower-case false", raw_npy("{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3), }", data24),
       {"True or False"}},
      {"Falsey", raw_npy("{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2, 3), }", data24), {"True or False"}},
      {"a key twice", raw_npy("{" + ok_head + "'shape': (2, 3), 'shape': (2, 3)}", data24), {"'shape' appears twice"}},
      {"an unknown key", raw_npy("{" + ok_head + "'shape': (2, 3), 'extra': 1}", data24), {"unexpected key 'extra'"}},
      {"an escape in a string", raw_npy("{'descr': '<\\x66', 'fortran_order': False, 'shape': (2, 3)}", data24),
       {"escape"}},
      {"an unterminated string", raw_npy("{'descr': '<f4", data24), {"unterminated string"}},
      {"text after the dict", raw_npy("{" + ok_head + "'shape': (2, 3)} x", data24), {"after the closing"}},
      {"no closing brace", raw_npy("{" + ok_head + "'shape': (2, 3)", data24), {"expected ',' or '}'"}},
      {"an empty header", raw_npy("", data24), {"malformed .npy header", "dict"}},
      {"'=' native order with a bad size", raw_npy("{'descr': '=f3', 'fortran_order': False, 'shape': (2, 3)}", data24),
       {"unsupported dtype '=f3'"}},
      {"bool of 2 bytes", raw_npy("{'descr': '<b2', 'fortran_order': False, 'shape': (2, 3)}", data24),
       {"unsupported dtype '<b2'"}},
      {"header length past the end", std::string("\x93NUMPY\x01\x00\xff\xff{}", 12), {"truncated header", "65535"}},
      {"version 2 length cut short", std::string("\x93NUMPY\x02\x00\x10\x00", 10), {"truncated", "header length"}},
      {"version 1.1", std::string("\x93NUMPY\x01\x01\x10\x00", 10), {"unsupported .npy format version 1.1"}},
      {"magic only", std::string("\x93NUMPY", 6), {"truncated", "8"}},
      {"one byte", std::string("\x93", 1), {"truncated"}},
  };
  for (const Row& row : rows) {
    const auto [type, message] = outcome([&] { (void)nnfs::parse_npy(row.bytes, "mem.npy"); });
    INFO("case: " << row.name << "\nmessage: " << message);
    CHECK(type == std::type_index(typeid(std::runtime_error)));
    CHECK(starts_with(message, "mem.npy: "));
    CHECK(nnfs_test::contains_all(message, row.parts));
  }
}

TEST_CASE("native and not-applicable byte orders in a .npy descr read in the host's order", "[npy]") {
  const std::vector<float> v{1.5f, -2.0f};
  const bool little = nnfs::detail::host_is_little_endian();
  CHECK(nnfs::parse_npy(raw_npy("{'descr': '=f4', 'fortran_order': False, 'shape': (2,)}", bytes_of(v, !little)))
            .to_matrix<float>() == Eigen::RowVector2f(1.5f, -2.0f));
  CHECK(nnfs::parse_npy(raw_npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,)}", "\x07\xff"))
            .to_labels() == Eigen::Vector2i(7, 255));
}

TEST_CASE("every truncation of a valid .npy throws runtime_error", "[npy][misuse]") {
  for (const char* file : {"f4_2x3.npy", "f4_v2_2x3.npy", "f8_0d.npy"}) {
    const std::string bytes = npy_file(file);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const auto [type, message] = outcome([&] { (void)nnfs::parse_npy(bytes.substr(0, n)); });
      INFO("file: " << file << ", first " << n << " bytes\nmessage: " << message);
      CHECK(type == std::type_index(typeid(std::runtime_error)));
      CHECK(starts_with(message, "npy data: "));
    }
  }
}

TEST_CASE("every single-byte corruption of a valid .npy parses or throws runtime_error", "[npy][misuse]") {
  for (const char* file : {"f4_2x3.npy", "i2_big_labels_4.npy"}) {
    const std::string bytes = npy_file(file);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (const int x : {0x01, 0x20, 0x80, 0xff}) {
        std::string bad = bytes;
        bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ static_cast<unsigned char>(x));
        const auto [type, message] = outcome([&] {
          const NpyArray a = nnfs::parse_npy(bad);
          // whatever parsed is consistent: it writes and parses back to itself
          if (nnfs::parse_npy(nnfs::npy_bytes(a)) != a) throw std::logic_error("round trip differs");
        });
        INFO("file: " << file << ", byte " << i << " ^ " << static_cast<int>(x) << "\nmessage: " << message);
        CHECK((type == std::type_index(typeid(void)) || type == std::type_index(typeid(std::runtime_error))));
      }
    }
  }
}

TEST_CASE("npy_bytes refuses inconsistent arrays", "[npy][misuse]") {
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::npy_bytes(arr("<f4", {2, 3}, false, std::string(20, '\0'))),
                           "npy_bytes", "shape (2, 3) of <f4 needs 24 bytes of data", "holds 20");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::npy_bytes(arr("|O", {1}, false, std::string(8, '\0'))),
                           "npy_bytes", "unsupported dtype '|O'");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::npy_bytes(arr("<f4", {3, -1}, false, "")), "shape (3, -1)");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::npy_bytes(arr("<f8", {1LL << 62, 4}, false, "")),
                           "too many elements");
}

TEST_CASE("a .npy header too long for format 1.0 is written as format 2.0", "[npy]") {
  // numpy's _wrap_header_guess_version: 1.0 when the header length fits in a uint16, else 2.0
  // with a uint32 length; padding as always to a multiple of 64 including the 12-byte prefix.
  std::vector<std::int64_t> shape(30000, 1);
  const NpyArray a = arr("<f4", shape, false, bytes_of(std::vector<float>{0.5f}));
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i + 1 < shape.size(); ++i) header += "1, ";
  header += "1), }" + std::string(20, ' ');
  const std::size_t hlen = header.size() + 1;
  const std::size_t padlen = 64 - (12 + hlen) % 64;
  const std::string expected = raw_npy(header + std::string(padlen, ' ') + "\n", bytes_of(std::vector<float>{0.5f}), 2);
  const std::string bytes = nnfs::npy_bytes(a);
  CHECK(bytes == expected);
  CHECK((bytes.size() - 4) % 64 == 0);
  CHECK(nnfs::parse_npy(bytes) == a);
}

TEST_CASE("a failed .npy save throws runtime_error and leaves an existing file intact", "[npy][misuse]") {
  TempDir dir;
  const fs::path keep = dir.path / "keep.npy";
  nnfs::save_npy(keep, matrix<float>(2, 3, f4_2x3));
  const std::string before = nnfs::detail::read_file_bytes("test", keep);
  REQUIRE(before == npy_file("f4_2x3.npy"));

  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::save_npy(dir.path / "missing-dir" / "x.npy", matrix<float>(1, 1, f4_2x3)),
                           "save_npy", "cannot write", "missing-dir");
  // keep.npy is a file, so keep.npy/x.npy cannot be created
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::save_npy(keep / "x.npy", matrix<float>(1, 1, f4_2x3)), "save_npy",
                           "cannot write");
  // the target is a directory (with something in it): the rename fails, the directory stays
  const fs::path sub = dir.path / "dir.npy";
  fs::create_directories(sub / "inner");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::save_npy(sub, matrix<float>(1, 1, f4_2x3)), "save_npy",
                           "cannot write", "dir.npy");
  CHECK(fs::is_directory(sub / "inner"));
  // an inconsistent array is refused before anything is written
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::save_npy(keep, arr("<f4", {5}, false, "")), "needs 20 bytes");
  CHECK(nnfs::detail::read_file_bytes("test", keep) == before);
  // no temporary file is left behind
  for (const auto& entry : fs::directory_iterator(dir.path))
    CHECK(entry.path().filename().string().rfind(".nnfs-", 0) == std::string::npos);
}
