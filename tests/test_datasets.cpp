// nnfs::datasets against the nnfs package: every element of spiral_data / vertical_data /
// sine_data compared with NumPy's output (tests/golden/gen_datasets.py writes the files).
// float: after nnfs.init() (the book); double: np.random.seed(0) without nnfs.init().
#include "nnfs/core.hpp"
#include "nnfs/datasets.hpp"
#include "nnfs/init.hpp"
#include "nnfs/random_state.hpp"

#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using nnfs::Index;

template <class T>
std::vector<T> read_values(const std::string& name) {
  if constexpr (std::is_same_v<T, float>)
    return nnfs_test::read_floats(name);
  else
    return nnfs_test::read_doubles(name);
}

template <class T>
const char* precision_tag() {
  return std::is_same_v<T, float> ? "f32" : "f64";
}

/// One golden file: samples classes, X (row-major), y, the next 3 float64 draws.
template <class T>
struct DatasetGolden {
  std::vector<T> X;
  std::vector<long long> y;
  std::vector<double> next_randn;
};

template <class T>
DatasetGolden<T> load_dataset(const std::string& kind, Index samples, Index classes) {
  const std::string name = "datasets_" + kind + "_" + precision_tag<T>() + "_" +
                           std::to_string(samples) + "x" + std::to_string(classes) + ".txt";
  INFO("golden file " << name);
  const std::vector<double> d = nnfs_test::read_doubles(name);
  const std::vector<T> v = read_values<T>(name);
  const std::vector<long long> iv = nnfs_test::read_ints(name);
  const auto n = static_cast<std::size_t>(samples * classes);
  REQUIRE(d.size() == 2 + 3 * n + 3);
  REQUIRE(d[0] == static_cast<double>(samples));
  REQUIRE(d[1] == static_cast<double>(classes));
  DatasetGolden<T> g;
  g.X.assign(v.begin() + 2, v.begin() + static_cast<std::ptrdiff_t>(2 + 2 * n));
  g.y.assign(iv.begin() + static_cast<std::ptrdiff_t>(2 + 2 * n),
             iv.begin() + static_cast<std::ptrdiff_t>(2 + 3 * n));
  g.next_randn.assign(d.begin() + static_cast<std::ptrdiff_t>(2 + 3 * n), d.end());
  return g;
}

/// How far `got` is from `want`: exact, one ulp (libm and NumPy may round sin/cos
/// differently), or further.
struct Agreement {
  Index inexact = 0;          // differ by exactly one ulp
  Index beyond_one_ulp = 0;   // differ by more (a real bug)
  Index first_bad = -1;
};

template <class T>
void compare(Agreement& a, Index index, T got, T want) {
  if (got == want && std::signbit(got) == std::signbit(want)) return;
  const bool one_ulp = got == std::nextafter(want, std::numeric_limits<T>::infinity()) ||
                       got == std::nextafter(want, -std::numeric_limits<T>::infinity());
  if (one_ulp) {
    ++a.inexact;
  } else {
    if (a.first_bad < 0) a.first_bad = index;
    ++a.beyond_one_ulp;
  }
}

template <class T>
Agreement agreement(const nnfs::Matrix<T>& X, const std::vector<T>& want) {
  REQUIRE(static_cast<std::size_t>(X.size()) == want.size());
  Agreement a;
  for (Index i = 0; i < X.size(); ++i)
    compare(a, i, X.data()[i], want[static_cast<std::size_t>(i)]);
  return a;
}

bool labels_equal(const nnfs::Labels& y, const std::vector<long long>& want) {
  if (static_cast<std::size_t>(y.size()) != want.size()) return false;
  for (Index i = 0; i < y.size(); ++i)
    if (y(i) != want[static_cast<std::size_t>(i)]) return false;
  return true;
}

/// Generates the way the golden run did: float after nnfs::init() through the default
/// generator (`gen()`, the book's way), double through a generator of its own seeded with 0
/// (`gen_with(own)`, plain np.random.seed(0)). `used` is set to the generator that was drawn from.
template <class T, class Generate, class GenerateWith>
nnfs::datasets::Dataset<T> generate_like_golden(Generate gen, GenerateWith gen_with,
                                                nnfs::RandomState& own, nnfs::RandomState*& used) {
  if constexpr (std::is_same_v<T, float>) {
    nnfs::init();
    used = &nnfs::default_random_state();
    return gen();
  } else {
    own.seed(0);
    used = &own;
    return gen_with(own);
  }
}

const std::vector<std::pair<Index, Index>>& spiral_cases(bool is_float) {
  static const std::vector<std::pair<Index, Index>> f32{{100, 3}, {100, 2}, {1000, 3}, {50, 5},
                                                       {1, 1},   {2, 4},   {3, 1}};
  static const std::vector<std::pair<Index, Index>> f64{{100, 3}, {100, 2}, {50, 5},
                                                       {1, 1},   {2, 4},   {3, 1}};
  return is_float ? f32 : f64;
}

const std::vector<std::pair<Index, Index>> vertical_cases{{100, 3}, {100, 2}, {37, 5},
                                                          {1, 1},   {2, 4},   {3, 1}};

}  // namespace

TEMPLATE_TEST_CASE("spiral_data reproduces nnfs element for element", "[datasets]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope keep_mode(nnfs::numerics());  // init() switches to book mode
  Index total_inexact = 0;
  for (const auto& size : spiral_cases(std::is_same_v<T, float>)) {
    const Index samples = size.first;
    const Index classes = size.second;
    INFO("spiral_data<" << precision_tag<T>() << ">(" << samples << ", " << classes << ")");
    const DatasetGolden<T> want = load_dataset<T>("spiral", samples, classes);
    nnfs::RandomState own;
    nnfs::RandomState* rng = nullptr;
    const auto data = generate_like_golden<T>(
        [&] { return nnfs::datasets::spiral_data<T>(samples, classes); },
        [&](nnfs::RandomState& r) { return nnfs::datasets::spiral_data<T>(samples, classes, r); },
        own, rng);

    REQUIRE(data.X.rows() == samples * classes);
    REQUIRE(data.X.cols() == 2);
    REQUIRE(labels_equal(data.y, want.y));

    const Agreement a = agreement(data.X, want.X);
    INFO("one-ulp differences: " << a.inexact << ", first larger difference at flat index "
                                 << a.first_bad);
    if constexpr (std::is_same_v<T, float>) {
      // The book's float32 values are exact whatever libm does: rounding to float32 absorbs
      // the few-ulp differences between sin/cos implementations (NumPy's SVML and libm agree
      // on every float32 element of spiral_data(10000, 3)).
      REQUIRE(a.inexact + a.beyond_one_ulp == 0);
    } else {
      // float64 sin/cos are the one step another C library may round differently from the
      // one that wrote the golden files (glibc, through NumPy's libm path; see
      // gen_datasets.py): allow one ulp there, no more.
      REQUIRE(a.beyond_one_ulp == 0);
      total_inexact += a.inexact;
    }

    // The generator is left exactly where NumPy's is (including the cached second normal
    // after an odd number of draws).
    for (double next : want.next_randn) REQUIRE(rng->randn() == next);
  }
  // With glibc, as on the machine that wrote the files, there is not even a one-ulp
  // difference. (Define NNFS_ALLOW_LIBM_ULP to accept them with a glibc that rounds otherwise.)
  INFO("one-ulp differences over all cases: " << total_inexact);
#if defined(__GLIBC__) && !defined(NNFS_ALLOW_LIBM_ULP)
  REQUIRE(total_inexact == 0);
#endif
}

TEMPLATE_TEST_CASE("vertical_data reproduces nnfs exactly", "[datasets]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope keep_mode(nnfs::numerics());
  for (const auto& size : vertical_cases) {
    const Index samples = size.first;
    const Index classes = size.second;
    INFO("vertical_data<" << precision_tag<T>() << ">(" << samples << ", " << classes << ")");
    const DatasetGolden<T> want = load_dataset<T>("vertical", samples, classes);
    nnfs::RandomState own;
    nnfs::RandomState* rng = nullptr;
    const auto data = generate_like_golden<T>(
        [&] { return nnfs::datasets::vertical_data<T>(samples, classes); },
        [&](nnfs::RandomState& r) { return nnfs::datasets::vertical_data<T>(samples, classes, r); },
        own, rng);

    REQUIRE(data.X.rows() == samples * classes);
    REQUIRE(data.X.cols() == 2);
    REQUIRE(labels_equal(data.y, want.y));
    // No transcendental functions here: every element must be bit-identical.
    const Agreement a = agreement(data.X, want.X);
    INFO("first difference at flat index " << a.first_bad << " (" << a.inexact
                                           << " one-ulp differences)");
    REQUIRE(a.inexact + a.beyond_one_ulp == 0);
    for (double next : want.next_randn) REQUIRE(rng->randn() == next);
  }
}

TEST_CASE("spiral_data(100, 3) and vertical_data(100, 3) give the spec's values", "[datasets]") {
  const nnfs::NumericsScope keep_mode(nnfs::numerics());
  SECTION("spiral") {
    nnfs::init();
    const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3);
    REQUIRE(X(0, 0) == 0.0f);
    REQUIRE(X(0, 1) == 0.0f);
    REQUIRE(X(1, 0) == 0.0029955569f);
    REQUIRE(X(1, 1) == 0.0096466076f);
    REQUIRE(X(2, 0) == 0.01288097f);
    REQUIRE(X(2, 1) == 0.015562848f);
    REQUIRE(X(99, 0) == -0.70058483f);
    REQUIRE(X(99, 1) == -0.71356916f);
    REQUIRE(X(299, 0) == -0.9427888f);
    REQUIRE(X(299, 1) == 0.33339068f);
    REQUIRE(y(0) == 0);
    REQUIRE(y(100) == 1);
    REQUIRE(y(299) == 2);
  }
  SECTION("vertical") {
    nnfs::init();
    const auto [X, y] = nnfs::datasets::vertical_data<float>(100, 3);
    REQUIRE(X(0, 0) == 0.17640524f);
    REQUIRE(X(0, 1) == 0.6883151f);
    REQUIRE(X(100, 0) == 0.29641515f);
    REQUIRE(X(100, 1) == 0.3693473f);
    REQUIRE(y(99) == 0);
    REQUIRE(y(100) == 1);
  }
}

TEST_CASE("the default-generator overloads draw from nnfs::default_random_state()", "[datasets]") {
  const nnfs::NumericsScope keep_mode(nnfs::numerics());
  nnfs::init();
  const auto first = nnfs::datasets::spiral_data<float>(10, 2);
  const auto second = nnfs::datasets::vertical_data<float>(10, 2);
  nnfs::RandomState rng(0);
  const auto first_explicit = nnfs::datasets::spiral_data<float>(10, 2, rng);
  const auto second_explicit = nnfs::datasets::vertical_data<float>(10, 2, rng);
  // The second call continues the stream where the first stopped, in both...
  REQUIRE(first.X == first_explicit.X);
  REQUIRE(second.X == second_explicit.X);
  REQUIRE(nnfs::default_random_state().randn() == rng.randn());
  // ...rather than restarting it.
  nnfs::RandomState fresh(0);
  REQUIRE(second.X != nnfs::datasets::vertical_data<float>(10, 2, fresh).X);
}

TEMPLATE_TEST_CASE("sine_data reproduces nnfs", "[datasets]", float, double) {
  using T = TestType;
  for (Index samples : {Index{1000}, Index{7}, Index{1}}) {
    INFO("sine_data<" << precision_tag<T>() << ">(" << samples << ")");
    const std::string name = "datasets_sine_" + std::to_string(samples) + ".txt";
    const std::vector<double> d = nnfs_test::read_doubles(name);
    const auto n = static_cast<std::size_t>(samples);
    REQUIRE(d.size() == 1 + 2 * n);
    REQUIRE(d[0] == static_cast<double>(samples));
    const auto data = samples == 1000 ? nnfs::datasets::sine_data<T>()  // the default size
                                      : nnfs::datasets::sine_data<T>(samples);
    REQUIRE(data.X.rows() == samples);
    REQUIRE(data.X.cols() == 1);
    REQUIRE(data.y.rows() == samples);
    REQUIRE(data.y.cols() == 1);
    // NumPy's values are float64; sine_data<float> stores them rounded to float.
    Agreement x_agree;
    Agreement y_agree;
    for (std::size_t i = 0; i < n; ++i) {
      const auto row = static_cast<Index>(i);
      compare(x_agree, row, data.X(row, 0), static_cast<T>(d[1 + i]));
      compare(y_agree, row, data.y(row, 0), static_cast<T>(d[1 + n + i]));
    }
    REQUIRE(x_agree.inexact + x_agree.beyond_one_ulp == 0);  // i / samples: one division
    INFO("one-ulp differences in sin: " << y_agree.inexact);
    REQUIRE(y_agree.beyond_one_ulp == 0);
#if defined(__GLIBC__) && !defined(NNFS_ALLOW_LIBM_ULP)
    REQUIRE(y_agree.inexact == 0);
#endif
  }
}

TEST_CASE("dataset generators reject bad sizes and leave the generator untouched", "[datasets]") {
  using nnfs::datasets::sine_data;
  using nnfs::datasets::spiral_data;
  using nnfs::datasets::vertical_data;
  nnfs::RandomState rng(0);
  const Index huge = std::numeric_limits<Index>::max() / 4;

  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<float>(0, 3, rng), "spiral_data",
                           "positive", "samples=0", "classes=3");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<double>(100, 0, rng), "spiral_data",
                           "samples=100", "classes=0");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<float>(-5, 3, rng), "samples=-5");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<float>(5, -1, rng), "classes=-1");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<float>(huge, 3, rng), "spiral_data",
                           "overflow", "samples=" + std::to_string(huge), "classes=3");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<double>(2 * huge, 2, rng),
                           "overflow", "classes=2");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, spiral_data<float>(1, Index{1} << 32, rng),
                           "32-bit labels", "classes=4294967296");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, vertical_data<float>(0, 0, rng),
                           "vertical_data", "samples=0", "classes=0");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, vertical_data<double>(-1, 2, rng),
                           "vertical_data", "samples=-1");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, vertical_data<float>(huge, 3, rng),
                           "vertical_data", "overflow");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, sine_data<float>(0), "sine_data", "samples=0");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, sine_data<double>(-3), "sine_data",
                           "samples=-3");
  // Nothing was drawn: the next normal is still NumPy's first after seed 0.
  REQUIRE(rng.randn() == 1.764052345967664);
}

TEST_CASE("datasets unpack with structured bindings", "[datasets]") {
  nnfs::RandomState rng(0);
  auto [X, y] = nnfs::datasets::spiral_data<double>(2, 4, rng);
  const DatasetGolden<double> want = load_dataset<double>("spiral", 2, 4);
  REQUIRE(agreement(X, want.X).beyond_one_ulp == 0);
  REQUIRE(labels_equal(y, want.y));

  auto [Xs, ys] = nnfs::datasets::sine_data<double>(7);
  const std::vector<double> sine = nnfs_test::read_doubles("datasets_sine_7.txt");
  REQUIRE(Xs(3, 0) == sine[1 + 3]);
  REQUIRE(ys.rows() == 7);
}
