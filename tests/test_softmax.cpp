// Softmax: NumPy's values, rows summing to 1, stability at ±1000, book vs fast.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/random_state.hpp>
#include <nnfs/layers/softmax.hpp>

#include <cmath>
#include <limits>

namespace {
nnfs::Matrix<double> walk_scores() {
  nnfs::Matrix<double> x(3, 4);
  x << 1, 2, 3, 2.5, 2, 5, -1, 2, -1.5, 2.7, 3.3, -0.8;
  return x;
}
}  // namespace

TEST_CASE("Softmax of the walk's scores equals NumPy (float64)", "[softmax]") {
  const auto golden = nnfs_test::read_arrays("layers_softmax_walk.txt");
  const auto expected = nnfs_test::as_matrix<double>(golden.at(0));
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    nnfs::Softmax<double> softmax;
    softmax.forward(walk_scores());
    for (nnfs::Index i = 0; i < expected.size(); ++i)
      CHECK_THAT(softmax.output.data()[i], WithinRel(expected.data()[i], 1e-15));
  }
  // first value by hand: e^(1−3) / (e^-2 + e^-1 + 1 + e^-0.5) = 0.06414769...
  nnfs::Softmax<double> softmax;
  softmax.forward(walk_scores());
  CHECK_THAT(softmax.output(0, 0), WithinRel(std::exp(-2.0) / (std::exp(-2.0) + std::exp(-1.0) + 1 + std::exp(-0.5)), 1e-15));
  CHECK_THAT(softmax.output(0, 0), WithinAbs(0.06414769, 5e-9));
}

TEST_CASE("Softmax in book mode equals NumPy's float32 result bit for bit", "[softmax][book]") {
  const nnfs::NumericsScope mode(nnfs::Numerics::book);
  const auto golden = nnfs_test::read_arrays("layers_softmax_walk_f32.txt");
  nnfs::Softmax<float> softmax;
  softmax.forward(walk_scores().cast<float>());
  CHECK(softmax.output == nnfs_test::as_matrix<float>(golden.at(0)));

  const auto book = nnfs_test::read_arrays("layers_book_100_3_3.txt");
  softmax.forward(nnfs_test::as_matrix<float>(book.at(4)));
  const auto probs = nnfs_test::as_matrix<float>(book.at(5));
  CHECK(softmax.output == probs);
  // the book's printed rows (chapter 4): [0.33333316 0.3333332 0.33333364]
  CHECK(softmax.output(1, 0) == 0.33333316f);
  CHECK(softmax.output(1, 1) == 0.3333332f);
  CHECK(softmax.output(1, 2) == 0.33333364f);
}

TEMPLATE_TEST_CASE("Softmax rows sum to 1 and stay finite for scores of ±1000", "[softmax]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope mode(GENERATE(nnfs::Numerics::fast, nnfs::Numerics::book));
  nnfs::Matrix<T> x(4, 3);
  x << T(1000), T(-1000), T(0),  //
      T(-1000), T(-1000), T(-1000), //
      T(1000), T(1000), T(999),      //
      T(1e4), T(-1e4), T(1e4);
  nnfs::Softmax<T> softmax;
  softmax.forward(x);
  REQUIRE(softmax.output.allFinite());
  for (nnfs::Index i = 0; i < 4; ++i)
    CHECK_THAT(static_cast<double>(softmax.output.row(i).sum()), WithinAbs(1.0, 1e-6));
  CHECK(softmax.output(0, 0) == T(1));
  // e^-2000 underflows: exactly 0 in book mode; Eigen's SIMD exp may leave a subnormal.
  CHECK(softmax.output(0, 1) >= T(0));
  CHECK(softmax.output(0, 1) <= std::numeric_limits<T>::min());
  // equal scores → uniform
  CHECK_THAT(static_cast<double>(softmax.output(1, 0)), WithinRel(1.0 / 3.0, 1e-6));
  CHECK(softmax.output(1, 0) == softmax.output(1, 2));
  // [1000, 1000, 999]: e^0, e^0, e^-1 over 2 + e^-1
  CHECK_THAT(static_cast<double>(softmax.output(2, 2)), WithinRel(std::exp(-1.0) / (2 + std::exp(-1.0)), 1e-6));
  CHECK_THAT(static_cast<double>(softmax.output(3, 0)), WithinAbs(0.5, 1e-7));
}

TEMPLATE_TEST_CASE("Softmax fast and book paths agree on random scores", "[softmax][fast]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(5);
  const nnfs::Matrix<T> x = rng.randn<T>(50, 10) * T(3);
  nnfs::Softmax<T> book;
  nnfs::Softmax<T> fast;
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::book);
    book.forward(x);
  }
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::fast);
    fast.forward(x);
  }
  const double tol = std::is_same_v<T, float> ? 1e-6 : 1e-15;
  for (nnfs::Index i = 0; i < x.size(); ++i)
    CHECK_THAT(static_cast<double>(fast.output.data()[i]), WithinRel(static_cast<double>(book.output.data()[i]), tol));
}

TEMPLATE_TEST_CASE("Softmax rejects empty input", "[softmax][errors]", float, double) {
  nnfs::Softmax<TestType> softmax;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, softmax.forward(nnfs::Matrix<TestType>(0, 3)), "empty", "0\u00d73");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, softmax.forward(nnfs::Matrix<TestType>(2, 0)), "empty", "2\u00d70");
}
