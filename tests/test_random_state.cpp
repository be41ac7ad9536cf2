// nnfs::RandomState against NumPy's legacy RandomState: every stored value must come out bit
// for bit. The golden files are written by tests/golden/gen_random_state.py from NumPy itself;
// their layouts are described in the files' '#' headers and in the script.
#include "nnfs/random_state.hpp"

#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using nnfs::Index;
using nnfs::Matrix;
using nnfs::RandomState;

/// Walks the tokens of a golden file record by record.
template <class V>
class Cursor {
 public:
  explicit Cursor(std::vector<V> values) : values_(std::move(values)) {}
  V next() {
    REQUIRE(pos_ < values_.size());
    return values_[pos_++];
  }
  template <class I>
  I next_as() {
    return static_cast<I>(next());
  }
  bool done() const { return pos_ == values_.size(); }

 private:
  std::vector<V> values_;
  std::size_t pos_ = 0;
};

/// Seeds `rs` from a seed spec: `0 s` (integer seed) or `1 L k1..kL` (array seed).
template <class V>
void seed_from(Cursor<V>& in, RandomState& rs) {
  const auto kind = in.template next_as<int>();
  REQUIRE((kind == 0 || kind == 1));
  if (kind == 0) {
    rs.seed(in.template next_as<std::uint32_t>());
  } else {
    std::vector<std::uint32_t> key(in.template next_as<std::size_t>());
    for (auto& k : key) k = in.template next_as<std::uint32_t>();
    rs.seed(key);
  }
}

/// Bit-identical comparison: +0/-0 and NaN payloads count as different.
template <class T>
bool same(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
  } else {
    return a == b;
  }
}

/// REQUIRE that two values are bit-identical; on failure, say where and print both in full.
#define REQUIRE_SAME(got_expr, want_expr, where)                                       \
  do {                                                                                 \
    const auto nnfs_got_ = (got_expr);                                                 \
    const auto nnfs_want_ = (want_expr);                                               \
    if (!same(nnfs_got_, nnfs_want_)) {                                                \
      INFO(where);                                                                     \
      INFO("got " << fmt::format("{}", nnfs_got_) << ", want "                         \
                  << fmt::format("{}", nnfs_want_));                                   \
      REQUIRE(nnfs_got_ == nnfs_want_);                                                \
      INFO("equal values with different bits (a signed zero)");                        \
      REQUIRE(false);                                                                  \
    }                                                                                  \
  } while (false)

template <class T>
std::vector<T> read_typed(const std::string& stem) {
  if constexpr (std::is_same_v<T, float>) {
    return nnfs_test::read_floats(stem + "_f32.txt");
  } else {
    return nnfs_test::read_doubles(stem + "_f64.txt");
  }
}

std::vector<std::int64_t> read_int64(const std::string& name) {
  std::vector<std::int64_t> out;
  for (long long v : nnfs_test::read_ints(name)) out.push_back(static_cast<std::int64_t>(v));
  return out;
}

}  // namespace

TEST_CASE("RandomState: the C++ standard's check value for MT19937", "[random_state]") {
  // [rand.predef]: the 10000th output of a default-constructed mt19937 (seed 5489) is
  // 4123659995.
  RandomState rs(5489);
  std::uint32_t last = 0;
  for (int i = 0; i < 10000; ++i) last = rs.next_uint32();
  CHECK(last == 4123659995U);
}

TEST_CASE("RandomState: raw 32-bit outputs match NumPy for integer and array seeds",
          "[random_state]") {
  Cursor<std::int64_t> in(read_int64("random_state_raw.txt"));
  int records = 0;
  while (!in.done()) {
    RandomState rs(12345);
    seed_from(in, rs);
    const auto count = in.next_as<int>();
    for (int i = 0; i < count; ++i)
      REQUIRE_SAME(static_cast<std::int64_t>(rs.next_uint32()), in.next(),
                   "record " << records << ", output " << i);
    ++records;
  }
  CHECK(records == 9);

  SECTION("a braced list is an array seed, as np.random.seed([5]) in Python") {
    Cursor<std::int64_t> again(read_int64("random_state_raw.txt"));
    RandomState braced;
    braced.seed({5});
    RandomState integer(5);
    bool found = false;
    bool differs_from_integer_seed = false;
    while (!again.done()) {
      const std::int64_t kind = again.next();
      std::vector<std::int64_t> seed_tokens;
      if (kind == 0) {
        seed_tokens.push_back(again.next());
      } else {
        const std::int64_t len = again.next();
        for (std::int64_t i = 0; i < len; ++i) seed_tokens.push_back(again.next());
      }
      const auto count = again.next_as<int>();
      const bool is_array_5 = kind == 1 && seed_tokens == std::vector<std::int64_t>{5};
      for (int i = 0; i < count; ++i) {
        const std::int64_t want = again.next();
        if (!is_array_5) continue;
        found = true;
        REQUIRE_SAME(static_cast<std::int64_t>(braced.next_uint32()), want, "output " << i);
        if (static_cast<std::int64_t>(integer.next_uint32()) != want)
          differs_from_integer_seed = true;
      }
    }
    CHECK(found);
    CHECK(differs_from_integer_seed);
  }
}

TEST_CASE("RandomState: random_sample doubles match NumPy", "[random_state]") {
  Cursor<double> in(nnfs_test::read_doubles("random_state_sample.txt"));
  int records = 0;
  while (!in.done()) {
    RandomState rs;
    seed_from(in, rs);
    const auto count = in.next_as<Index>();
    REQUIRE(count == 300);
    // The first 100 one at a time, the rest as a 10×20 matrix filled row-major.
    for (Index i = 0; i < 100; ++i)
      REQUIRE_SAME(rs.random_sample(), in.next(), "record " << records << ", value " << i);
    const Matrix<double> rest = rs.random_sample<double>(10, 20);
    REQUIRE(rest.rows() == 10);
    REQUIRE(rest.cols() == 20);
    for (Index r = 0; r < 10; ++r)
      for (Index c = 0; c < 20; ++c)
        REQUIRE_SAME(rest(r, c), in.next(), "record " << records << ", (" << r << ", " << c << ")");
    ++records;
  }
  CHECK(records == 6);
}

TEMPLATE_TEST_CASE("RandomState: randn streams match NumPy across calls", "[random_state]", float,
                   double) {
  // Must match RANDN_SEEDS / RANDN_PLAN in gen_random_state.py; (0, 0) is a scalar randn().
  struct Chunk {
    Index rows, cols;
  };
  const std::vector<Chunk> plan{{0, 0}, {1, 5}, {3, 1}, {0, 0}, {2, 3},
                                {7, 9}, {1, 1}, {0, 0}, {10, 25}};
  Cursor<TestType> in(read_typed<TestType>("random_state_randn"));
  for (int s = 0; s < 4; ++s) {
    RandomState rs;
    if (s == 0) rs.seed(0);
    if (s == 1) rs.seed(42);
    if (s == 2) rs.seed(4294967295U);
    if (s == 3) rs.seed({1, 2, 3});
    int k = 0;
    for (const Chunk& chunk : plan) {
      if (chunk.rows == 0) {
        REQUIRE_SAME(static_cast<TestType>(rs.randn()), in.next(), "seed " << s << ", value " << k);
        ++k;
        continue;
      }
      const Matrix<TestType> m = rs.template randn<TestType>(chunk.rows, chunk.cols);
      REQUIRE(m.rows() == chunk.rows);
      REQUIRE(m.cols() == chunk.cols);
      for (Index r = 0; r < m.rows(); ++r)
        for (Index c = 0; c < m.cols(); ++c, ++k)
          REQUIRE_SAME(m(r, c), in.next(), "seed " << s << ", value " << k);
    }
  }
  CHECK(in.done());
}

TEMPLATE_TEST_CASE("RandomState: rand fills row-major like np.random.rand", "[random_state]",
                   float, double) {
  // Must match RAND_SEEDS / RAND_PLAN in gen_random_state.py.
  const std::vector<std::pair<Index, Index>> plan{{7, 9}, {1, 13}, {0, 5}, {4, 1}};
  Cursor<TestType> in(read_typed<TestType>("random_state_rand"));
  for (std::uint32_t seed : {0U, 1U}) {
    RandomState rs(seed);
    for (const auto& [rows, cols] : plan) {
      const Matrix<TestType> m = rs.template rand<TestType>(rows, cols);
      REQUIRE(m.rows() == rows);
      REQUIRE(m.cols() == cols);
      for (Index r = 0; r < rows; ++r)
        for (Index c = 0; c < cols; ++c)
          REQUIRE_SAME(m(r, c), in.next(), "seed " << seed << ", shape " << rows << "x" << cols);
    }
  }
  CHECK(in.done());
}

TEST_CASE("RandomState: the spec's reference values", "[random_state]") {
  // shared/docs/book-numerics.md, section 2.
  SECTION("the first six randn after seed 0") {
    RandomState rs(0);
    CHECK(rs.randn() == 1.764052345967664);
    CHECK(rs.randn() == 0.4001572083672233);
    CHECK(rs.randn() == 0.9787379841057392);
    CHECK(rs.randn() == 2.240893199201458);
    CHECK(rs.randn() == 1.8675579901499675);
    CHECK(rs.randn() == -0.977277879876411);
  }
  SECTION("binomial(1, 0.9, size=(2, 10)) after seed 0") {
    RandomState rs(0);
    const Matrix<float> mask = rs.binomial<float>(1, 0.9, 2, 10);
    Matrix<float> want(2, 10);
    want << 1, 1, 1, 1, 1, 1, 1, 1, 0, 1,  //
        1, 1, 1, 0, 1, 1, 1, 1, 1, 1;
    CHECK(mask == want);
  }
  SECTION("shuffle(arange(60000)) after seed 0") {
    RandomState rs(0);
    const nnfs::Vector<std::int64_t> keys = rs.permutation(60000);
    const std::vector<std::int64_t> head{3048, 19563, 58303, 8870, 40228,
                                         31488, 21860, 56864, 845,  25770};
    const std::vector<std::int64_t> tail{45891, 52416, 42613, 43567, 2732};
    for (Index i = 0; i < 10; ++i) CHECK(keys(i) == head[static_cast<std::size_t>(i)]);
    for (Index i = 0; i < 5; ++i) CHECK(keys(59995 + i) == tail[static_cast<std::size_t>(i)]);
  }
}

TEST_CASE("RandomState: binomial matches NumPy's inversion and BTPE", "[random_state]") {
  Cursor<double> in(nnfs_test::read_doubles("random_state_binomial.txt"));
  int records = 0;
  while (!in.done()) {
    RandomState rs(in.next_as<std::uint32_t>());
    const auto n = in.next_as<std::int64_t>();
    const double p = in.next();
    const auto count = in.next_as<Index>();
    // The first draw as a scalar call, the rest as one matrix fill.
    REQUIRE_SAME(static_cast<double>(rs.binomial(n, p)), in.next(),
                 "n = " << n << ", p = " << p << ", value 0");
    const Matrix<std::int64_t> rest = rs.binomial<std::int64_t>(n, p, 1, count - 1);
    for (Index i = 0; i < count - 1; ++i)
      REQUIRE_SAME(static_cast<double>(rest(0, i)), in.next(),
                   "n = " << n << ", p = " << p << ", value " << i + 1);
    REQUIRE_SAME(rs.random_sample(), in.next(), "stream position after n = " << n << ", p = " << p);
    ++records;
  }
  CHECK(records == 16);
}

TEMPLATE_TEST_CASE("RandomState: binomial matrix fill (dropout masks)", "[random_state]", float,
                   double) {
  // The (seed 0, n 1, p 0.9, 1000 draws) record, drawn as a 40×25 mask.
  Cursor<double> in(nnfs_test::read_doubles("random_state_binomial.txt"));
  REQUIRE(in.next() == 0.0);
  REQUIRE(in.next() == 1.0);
  REQUIRE(in.next() == 0.9);
  REQUIRE(in.next() == 1000.0);
  RandomState rs(0);
  const Matrix<TestType> mask = rs.template binomial<TestType>(1, 0.9, 40, 25);
  REQUIRE(mask.rows() == 40);
  REQUIRE(mask.cols() == 25);
  for (Index r = 0; r < 40; ++r)
    for (Index c = 0; c < 25; ++c)
      REQUIRE_SAME(mask(r, c), static_cast<TestType>(in.next()), "(" << r << ", " << c << ")");
  REQUIRE_SAME(rs.random_sample(), in.next(), "stream position");
}

TEST_CASE("RandomState: interleaved calls keep NumPy's order and the randn cache",
          "[random_state]") {
  Cursor<double> in(nnfs_test::read_doubles("random_state_sequence.txt"));
  RandomState rs(99);
  int step = 0;
  while (!in.done()) {
    const auto op = in.next_as<int>();
    const double a = in.next();
    const double b = in.next();
    const auto count = in.next_as<Index>();
    std::vector<double> got;
    switch (op) {
      case 0:
        rs.seed(static_cast<std::uint32_t>(a));
        break;
      case 1:
        if (count == 1) {
          got.push_back(rs.randn());
        } else {
          const Matrix<double> m = rs.randn<double>(1, count);
          got.assign(m.data(), m.data() + m.size());
        }
        break;
      case 2:
        if (count == 1) {
          got.push_back(rs.random_sample());
        } else {
          const Matrix<double> m = rs.random_sample<double>(count, 1);
          got.assign(m.data(), m.data() + m.size());
        }
        break;
      case 3:
        if (count == 1) {
          got.push_back(static_cast<double>(rs.binomial(static_cast<std::int64_t>(a), b)));
        } else {
          const Matrix<double> m = rs.binomial<double>(static_cast<std::int64_t>(a), b, 1, count);
          got.assign(m.data(), m.data() + m.size());
        }
        break;
      case 4: {
        std::vector<std::int64_t> x(static_cast<std::size_t>(a));
        std::iota(x.begin(), x.end(), std::int64_t{0});
        rs.shuffle(x);
        for (std::int64_t v : x) got.push_back(static_cast<double>(v));
        break;
      }
      case 5:
        if (count == 1) {
          got.push_back(static_cast<double>(
              rs.randint(static_cast<std::int64_t>(a), static_cast<std::int64_t>(b))));
        } else {
          const nnfs::Vector<std::int64_t> v =
              rs.randint(static_cast<std::int64_t>(a), static_cast<std::int64_t>(b), count);
          for (Index i = 0; i < v.size(); ++i) got.push_back(static_cast<double>(v(i)));
        }
        break;
      case 6: {
        const nnfs::Vector<std::int64_t> v = rs.permutation(static_cast<Index>(a));
        for (Index i = 0; i < v.size(); ++i) got.push_back(static_cast<double>(v(i)));
        break;
      }
      case 7:
        for (Index i = 0; i < count; ++i) got.push_back(rs.normal(a, b));
        break;
      case 8:
        for (Index i = 0; i < count; ++i) got.push_back(rs.uniform(a, b));
        break;
      default:
        INFO("unknown op " << op);
        REQUIRE(false);
    }
    REQUIRE(static_cast<Index>(got.size()) == count);
    for (std::size_t i = 0; i < got.size(); ++i)
      REQUIRE_SAME(got[i], in.next(), "step " << step << " (op " << op << "), value " << i);
    ++step;
  }
  CHECK(step == 42);
}

TEST_CASE("RandomState: shuffling 60000 indices (Fashion-MNIST) matches NumPy",
          "[random_state]") {
  Cursor<std::int64_t> in(read_int64("random_state_shuffle.txt"));
  const auto pairs = in.next_as<std::size_t>();
  std::vector<std::pair<Index, std::int64_t>> expected;
  for (std::size_t i = 0; i < pairs; ++i) {
    const auto pos = in.next_as<Index>();
    expected.emplace_back(pos, in.next());
  }
  const auto next_raw = static_cast<std::uint32_t>(in.next());
  REQUIRE(in.done());
  REQUIRE(expected.size() > 100);

  SECTION("an Eigen vector of int32 labels") {
    RandomState rs(0);
    nnfs::Labels keys(60000);
    for (Index i = 0; i < keys.size(); ++i) keys(i) = static_cast<std::int32_t>(i);
    rs.shuffle(keys);
    for (const auto& [pos, v] : expected) REQUIRE(keys(pos) == v);
    CHECK(rs.next_uint32() == next_raw);
  }
  SECTION("an Eigen row vector of doubles") {
    RandomState rs(0);
    nnfs::RowVector<double> keys(60000);
    for (Index i = 0; i < keys.size(); ++i) keys(i) = static_cast<double>(i);
    rs.shuffle(keys);
    for (const auto& [pos, v] : expected) REQUIRE(keys(pos) == static_cast<double>(v));
    CHECK(rs.next_uint32() == next_raw);
  }
  SECTION("a std::vector of strings") {
    RandomState rs(0);
    std::vector<std::string> keys;
    keys.reserve(60000);
    for (int i = 0; i < 60000; ++i) keys.push_back(std::to_string(i));
    rs.shuffle(keys);
    for (const auto& [pos, v] : expected)
      REQUIRE(keys[static_cast<std::size_t>(pos)] == std::to_string(v));
    CHECK(rs.next_uint32() == next_raw);
  }
  SECTION("permutation(60000)") {
    RandomState rs(0);
    const nnfs::Vector<std::int64_t> keys = rs.permutation(60000);
    REQUIRE(keys.size() == 60000);
    for (const auto& [pos, v] : expected) REQUIRE(keys(pos) == v);
    CHECK(rs.next_uint32() == next_raw);
  }
}

TEST_CASE("RandomState: shuffling the rows of a matrix matches NumPy's axis-0 shuffle",
          "[random_state]") {
  Cursor<std::int64_t> in(read_int64("random_state_shuffle_rows.txt"));
  std::vector<std::int64_t> first_column(1000);
  for (auto& v : first_column) v = in.next();
  const auto after_big = static_cast<std::uint32_t>(in.next());
  std::vector<std::int64_t> small(14);
  for (auto& v : small) v = in.next();
  const auto after_small = static_cast<std::uint32_t>(in.next());
  const auto after_empty = static_cast<std::uint32_t>(in.next());
  REQUIRE(in.done());

  SECTION("a row-major float matrix, rows kept intact") {
    RandomState rs(1);
    Matrix<float> x(1000, 3);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(i);
    rs.shuffle(x);
    for (Index r = 0; r < 1000; ++r) {
      REQUIRE(x(r, 0) == static_cast<float>(first_column[static_cast<std::size_t>(r)]));
      REQUIRE(x(r, 1) == x(r, 0) + 1.0f);
      REQUIRE(x(r, 2) == x(r, 0) + 2.0f);
    }
    CHECK(rs.next_uint32() == after_big);
  }
  SECTION("a column-major Eigen matrix") {
    RandomState rs(1);
    Eigen::MatrixXd x(1000, 3);
    for (Index r = 0; r < 1000; ++r)
      for (Index c = 0; c < 3; ++c) x(r, c) = static_cast<double>(3 * r + c);
    rs.shuffle(x);
    for (Index r = 0; r < 1000; ++r)
      REQUIRE(x(r, 0) == static_cast<double>(first_column[static_cast<std::size_t>(r)]));
    CHECK(rs.next_uint32() == after_big);
  }
  SECTION("a column view shuffled as a 1-D sequence draws the same") {
    RandomState rs(1);
    Matrix<double> x(1000, 2);
    for (Index r = 0; r < 1000; ++r) x(r, 0) = x(r, 1) = static_cast<double>(r);
    rs.shuffle(x.col(0));
    for (Index r = 0; r < 1000; ++r) {
      // first_column holds 3·(original row) (the 1000×3 matrix above): its row index
      const std::int64_t row = first_column[static_cast<std::size_t>(r)] / 3;
      REQUIRE(x(r, 0) == static_cast<double>(row));
      REQUIRE(x(r, 1) == static_cast<double>(r));  // the other column is untouched
    }
    CHECK(rs.next_uint32() == after_big);
  }
  SECTION("a small 7×2 matrix") {
    RandomState rs(2);
    Matrix<std::int64_t> x(7, 2);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<std::int64_t>(i);
    rs.shuffle(x);
    for (Index i = 0; i < x.size(); ++i) REQUIRE(x.data()[i] == small[static_cast<std::size_t>(i)]);
    CHECK(rs.next_uint32() == after_small);
  }
  SECTION("zero or one item draws nothing") {
    RandomState rs(3);
    nnfs::Vector<double> none(0);
    std::vector<int> one{42};
    Matrix<float> one_by_one = Matrix<float>::Constant(1, 1, 7.0f);
    rs.shuffle(none);
    rs.shuffle(one);
    rs.shuffle(one_by_one);
    CHECK(one[0] == 42);
    CHECK(one_by_one(0, 0) == 7.0f);
    CHECK(rs.next_uint32() == after_empty);
  }
}

TEST_CASE("RandomState: permutation matches NumPy", "[random_state]") {
  Cursor<std::int64_t> in(read_int64("random_state_permutation.txt"));
  int records = 0;
  while (!in.done()) {
    RandomState rs(in.next_as<std::uint32_t>());
    const auto n = in.next_as<Index>();
    const nnfs::Vector<std::int64_t> p = rs.permutation(n);
    REQUIRE(p.size() == n);
    for (Index i = 0; i < n; ++i) REQUIRE_SAME(p(i), in.next(), "n = " << n << ", index " << i);
    REQUIRE(rs.next_uint32() == in.next_as<std::uint32_t>());
    ++records;
  }
  CHECK(records == 5);
}

TEST_CASE("RandomState: randint matches NumPy's masked rejection", "[random_state]") {
  Cursor<std::int64_t> in(read_int64("random_state_randint.txt"));
  int records = 0;
  while (!in.done()) {
    RandomState rs(in.next_as<std::uint32_t>());
    const std::int64_t low = in.next();
    const std::int64_t high = in.next();
    const auto count = in.next_as<Index>();
    // The first value from the scalar overload, the rest from the vector fill.
    REQUIRE_SAME(rs.randint(low, high), in.next(), "[" << low << ", " << high << "), value 0");
    const nnfs::Vector<std::int64_t> rest = rs.randint(low, high, count - 1);
    REQUIRE(rest.size() == count - 1);
    for (Index i = 0; i < rest.size(); ++i) {
      REQUIRE(rest(i) >= low);
      REQUIRE(rest(i) < high);
      REQUIRE_SAME(rest(i), in.next(), "[" << low << ", " << high << "), value " << i + 1);
    }
    REQUIRE(rs.next_uint32() == in.next_as<std::uint32_t>());
    ++records;
  }
  CHECK(records == 12);
}

TEST_CASE("RandomState: bad arguments throw and name the values", "[random_state]") {
  RandomState rs(0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();

  SECTION("binomial") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial(-1, 0.5), "binomial", "n = -1");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial(10, 1.5), "binomial", "p = 1.5");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial(10, -0.25), "binomial",
                             "p = -0.25");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial(10, nan), "binomial", "p = nan");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial<float>(1, 1.0000001, 2, 3),
                             "binomial", "p = 1.0000001");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial<float>(-7, 0.5, 2, 3), "binomial",
                             "n = -7");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.binomial<float>(1, 0.5, -2, 3), "binomial",
                             "-2\u00d73");
  }
  SECTION("randint") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.randint(5, 5), "randint", "low = 5",
                             "high = 5");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.randint(7, 3, 4), "randint", "low = 7",
                             "high = 3");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.randint(0, 10, -1), "randint",
                             "count = -1");
  }
  SECTION("uniform and normal") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.uniform(0.0, inf), "uniform", "high = inf");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.uniform(nan, 1.0), "uniform", "low = nan");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.uniform(-1e308, 1e308), "uniform",
                             "low = -1e+308", "high = 1e+308");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.normal(0.0, -1.0), "normal", "scale = -1");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.normal(0.0, -0.0), "normal", "scale = -0");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.normal(0.0, nan), "normal", "scale = nan");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.normal(inf, 1.0), "normal", "loc = inf");
  }
  SECTION("shapes, counts and seeds") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.randn<float>(-1, 3), "randn", "-1\u00d73");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.rand<double>(2, -5), "rand", "2\u00d7-5");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.random_sample<double>(-4, -4),
                             "random_sample", "-4\u00d7-4");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.permutation(-3), "permutation", "n = -3");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, rs.seed(std::vector<std::uint32_t>{}), "seed",
                             "empty");
  }
  SECTION("a rejected call draws nothing") {
    RandomState fresh(0);
    REQUIRE_THROWS_AS(rs.binomial(3, 2.0), std::invalid_argument);
    REQUIRE_THROWS_AS(rs.randint(1, 0), std::invalid_argument);
    REQUIRE_THROWS_AS(rs.normal(0.0, -2.0), std::invalid_argument);
    REQUIRE_THROWS_AS(rs.randn<double>(-1, 1), std::invalid_argument);
    CHECK(rs.next_uint32() == fresh.next_uint32());
  }
}
