// ReLU: max(0, x) element-wise, NumPy's NaN and −0 rules, buffers, bad input.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/random_state.hpp>
#include <nnfs/layers/relu.hpp>

#include <cmath>
#include <limits>

TEMPLATE_TEST_CASE("ReLU is max(0, x): the walk's example", "[relu]", float, double) {
  using T = TestType;
  nnfs::Matrix<T> x(1, 8);
  x << T(0), T(2), T(-1), T(3.3), T(-2.7), T(1.1), T(2.2), T(-100);
  nnfs::ReLU<T> relu;
  const auto& out = relu.forward(x);
  nnfs::Matrix<T> expected(1, 8);
  expected << T(0), T(2), T(0), T(3.3), T(0), T(1.1), T(2.2), T(0);  // np.maximum(0, inputs)
  CHECK(out == expected);
  CHECK(relu.inputs() == x);
}

TEMPLATE_TEST_CASE("ReLU follows np.maximum for NaN, infinities and -0", "[relu]", float, double) {
  using T = TestType;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T inf = std::numeric_limits<T>::infinity();
  nnfs::Matrix<T> x(1, 4);
  x << nan, inf, -inf, T(-0.0);
  nnfs::ReLU<T> relu;
  relu.forward(x);
  CHECK(std::isnan(relu.output(0, 0)));
  CHECK(relu.output(0, 1) == inf);
  CHECK(relu.output(0, 2) == T(0));
  CHECK(relu.output(0, 3) == T(0));
  CHECK_FALSE(std::signbit(relu.output(0, 3)));
}

TEST_CASE("ReLU of the book's first layer output equals NumPy's", "[relu][book]") {
  const auto golden = nnfs_test::read_arrays("layers_book_100_3_3.txt");
  const auto out1 = nnfs_test::as_matrix<float>(golden.at(1));
  const auto expected = nnfs_test::as_matrix<float>(golden.at(2));
  nnfs::ReLU<float> relu;
  CHECK(relu.forward(out1) == expected);
  // the book's printed rows 1-2 of the ReLU output (chapter 4): [0. 0.00011395 0.] ...
  CHECK(relu.output(1, 0) == 0.0f);
  CHECK_THAT(static_cast<double>(relu.output(1, 1)), WithinRel(1.1395361e-04, 1e-7));
  CHECK(relu.output(1, 2) == 0.0f);
}

TEMPLATE_TEST_CASE("ReLU reuses its output buffer and rejects empty input", "[relu][errors]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(2);
  nnfs::ReLU<T> relu;
  relu.forward(rng.randn<T>(6, 3));
  const T* p = relu.output.data();
  relu.forward(rng.randn<T>(6, 3));
  CHECK(relu.output.data() == p);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, relu.forward(nnfs::Matrix<T>(0, 3)), "empty", "0\u00d73");
}
