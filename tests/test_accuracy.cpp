// Accuracy and argmax: first index on ties, one-hot targets, the book's 0.34, bad input; binary and
// regression accuracy, the book's Accuracy classes and their accumulation over batches.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/metrics/accuracy.hpp>
#include <nnfs/datasets/sine.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

TEMPLATE_TEST_CASE("argmax takes the first index on ties and treats NaN as np.argmax does", "[accuracy]", float,
                   double) {
  using T = TestType;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  nnfs::Matrix<T> m(5, 3);
  m << T(0.2), T(0.5), T(0.5),  // tie between 1 and 2 → 1
      T(1), T(1), T(1),          // all equal → 0
      T(0.1), T(0.2), T(0.7),    // clear max → 2
      T(0.5), nan, T(0.9),       // NaN wins → 1 (np.argmax([0.5, nan, 0.9]) == 1)
      nan, nan, T(2);            // first NaN → 0
  const nnfs::Labels idx = nnfs::argmax_rows(m);
  CHECK(idx(0) == 1);
  CHECK(idx(1) == 0);
  CHECK(idx(2) == 2);
  CHECK(idx(3) == 1);
  CHECK(idx(4) == 0);
}

TEMPLATE_TEST_CASE("accuracy is the fraction of argmax hits, sparse or one-hot", "[accuracy]", float, double) {
  using T = TestType;
  nnfs::Matrix<T> p(4, 3);
  p << T(0.7), T(0.2), T(0.1),  //
      T(0.5), T(0.1), T(0.4),    //
      T(0.02), T(0.9), T(0.08),  //
      T(0.3), T(0.3), T(0.4);
  nnfs::Labels y(4);
  y << 0, 1, 1, 2;
  CHECK(nnfs::accuracy(p, y) == 0.75);  // rows 0, 2, 3 right; row 1 predicts 0
  nnfs::Matrix<int> onehot = nnfs::Matrix<int>::Zero(4, 3);
  for (int i = 0; i < 4; ++i) onehot(i, y(i)) = 1;
  CHECK(nnfs::accuracy(p, onehot) == 0.75);
}

TEST_CASE("accuracy of the book's chapter 5 forward pass is 0.34", "[accuracy][book]") {
  const auto golden = nnfs_test::read_arrays("layers_book_100_3_3.txt");
  const auto probs = nnfs_test::as_matrix<float>(golden.at(5));
  nnfs::Labels y(300);
  for (int i = 0; i < 300; ++i) y(i) = i / 100;
  CHECK(nnfs::accuracy(probs, y) == golden.at(8).values.at(0));
  CHECK(nnfs::accuracy(probs, y) == 0.34);
}

TEMPLATE_TEST_CASE("accuracy rejects mismatched or empty input", "[accuracy][errors]", float, double) {
  using T = TestType;
  const nnfs::Matrix<T> p = nnfs::Matrix<T>::Identity(3, 3);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::accuracy(p, nnfs::Labels(2)), "2 labels", "3 samples");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::accuracy(p, nnfs::Matrix<int>::Identity(3, 2)), "3\u00d72",
                           "3\u00d73");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::accuracy(nnfs::Matrix<T>(0, 3), nnfs::Labels(0)), "empty");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::argmax_rows(nnfs::Matrix<T>(2, 0)), "no columns");
}

// ---------------------------------------------------------------------------------------------
// Binary accuracy (chapter 16), regression precision and accuracy (chapter 17), and the book's
// Accuracy classes with accumulation (chapters 21–22). Golden data: tests/golden/gen_accuracy.py.

namespace {

/// Golden array i of a file as a matrix of T.
template <class T>
nnfs::Matrix<T> golden_matrix(const std::vector<nnfs_test::GoldenArray>& arrays, std::size_t i) {
  return nnfs_test::as_matrix<T>(arrays.at(i));
}

/// y_i = ((i*7919) % 1009) / 1009 + 100 in double, stored as T (gen_accuracy.py's large_y).
template <class T>
nnfs::Matrix<T> large_y(nnfs::Index rows, nnfs::Index cols) {
  nnfs::Matrix<T> y(rows, cols);
  for (nnfs::Index i = 0; i < y.size(); ++i)
    y.data()[i] = static_cast<T>(static_cast<double>(i * 7919 % 1009) / 1009.0 + 100.0);
  return y;
}

}  // namespace

TEMPLATE_TEST_CASE("binary_accuracy thresholds at > 0.5 and averages over every output", "[accuracy][binary]",
                   float, double) {
  using T = TestType;
  const T half = T(0.5);
  nnfs::Matrix<T> out(6, 1);
  out << T(0.9), half, std::nextafter(half, T(1)), std::nextafter(half, T(0)), T(0.1), T(1);
  // predictions:  1      0 (tie)     1                      0                   0       1
  nnfs::Matrix<int> y(6, 1);
  y << 1, 1, 1, 0, 1, 0;  // right: rows 0, 2, 3
  CHECK(nnfs::binary_accuracy(out, y) == 0.5);
  CHECK(nnfs::binary_accuracy(out, y.cast<T>().eval()) == 0.5);
  nnfs::Labels labels(6);
  labels << 1, 1, 1, 0, 1, 0;
  CHECK(nnfs::binary_accuracy(out, labels) == 0.5);
  nnfs::Matrix<int> y_zero_at_tie = y;
  y_zero_at_tie(1, 0) = 0;  // 0.5 is a 0: now right
  CHECK(nnfs::binary_accuracy(out, y_zero_at_tie) == 4.0 / 6.0);

  // k = 3 outputs per sample: the mean is over all 2·3 elements, not over samples.
  nnfs::Matrix<T> multi(2, 3);
  multi << T(0.7), T(0.2), half,  //
      T(0.6), T(0.8), T(0.4);
  nnfs::Matrix<T> y_multi(2, 3);
  y_multi << 1, 0, 1,  // the tie predicts 0: wrong
      0, 1, 0;         // first output wrong
  CHECK(nnfs::binary_accuracy(multi, y_multi) == 4.0 / 6.0);
  // Targets that are not 0/1 never match.
  y_multi(0, 0) = T(0.5);
  CHECK(nnfs::binary_accuracy(multi, y_multi) == 3.0 / 6.0);
}

TEMPLATE_TEST_CASE("binary_accuracy counts a NaN output as wrong, even against a 0 target", "[accuracy][binary]",
                   float, double) {
  using T = TestType;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  nnfs::Matrix<T> out(4, 1);
  out << nan, nan, T(0.2), T(0.8);
  nnfs::Matrix<int> y(4, 1);
  y << 0, 1, 0, 1;
  // NumPy's (nan > 0.5) * 1 is 0 and would match the first target (0.75); here NaN is wrong.
  CHECK(nnfs::binary_accuracy(out, y) == 0.5);
}

TEST_CASE("binary_accuracy matches NumPy's np.mean((output > 0.5) * 1 == y)", "[accuracy][binary][golden]") {
  const auto g = nnfs_test::read_arrays("accuracy_binary.txt");
  REQUIRE(g.size() == 6);
  const auto y0 = golden_matrix<int>(g, 1);
  // Case 0 holds float32 outputs (exact in double too), case 1 float64 outputs.
  CHECK(nnfs::binary_accuracy(golden_matrix<float>(g, 0), y0) == g[2].values.at(0));
  CHECK(nnfs::binary_accuracy(golden_matrix<double>(g, 0), y0) == g[2].values.at(0));
  CHECK(nnfs::binary_accuracy(golden_matrix<double>(g, 3), golden_matrix<int>(g, 4)) == g[5].values.at(0));
  CHECK(nnfs::binary_accuracy(golden_matrix<double>(g, 3), golden_matrix<double>(g, 4)) == g[5].values.at(0));
  CHECK(golden_matrix<double>(g, 3).cols() == 3);
}

TEST_CASE("numpy_std and regression_precision match np.std(y) and np.std(y)/250 bit for bit",
          "[accuracy][regression][golden]") {
  // np.std works in float32 for float32 input and in float64 otherwise; the /250 is float64.
  const auto g = nnfs_test::read_arrays("accuracy_precision.txt");
  REQUIRE(g.size() == std::size_t{9} * 3);
  const auto check_case = [&](std::size_t c, auto scalar) {
    using S = decltype(scalar);
    INFO("case " << c);
    const auto y = golden_matrix<S>(g, 3 * c);
    const auto sd = nnfs::numpy_std(y);
    CHECK(static_cast<double>(sd) == g[3 * c + 1].values.at(0));
    CHECK(nnfs::regression_precision(y) == g[3 * c + 2].values.at(0));
    return sd;
  };
  check_case(0, double{});  // sine_data() targets (float64): the book's chapter 17
  const float sd32 = check_case(1, float{});  // the same targets as float32
  static_assert(std::is_same_v<decltype(nnfs::numpy_std(nnfs::Matrix<float>())), float>, "float32 std");
  CHECK(static_cast<double>(sd32) != g[1].values.at(0));  // float32 accumulation differs from float64
  check_case(2, float{});
  check_case(3, double{});
  check_case(4, float{});
  check_case(5, double{});  // one element: std 0
  CHECK(g[16].values.at(0) == 0.0);
  check_case(6, float{});  // constant 0.3f: the float32 mean is exactly 0.3f, std 0
  CHECK(g[19].values.at(0) == 0.0);
  check_case(7, int{});  // integers: float64 arithmetic
  static_assert(std::is_same_v<decltype(nnfs::numpy_std(nnfs::Matrix<int>())), double>, "int std is double");
  // float32 values near 1000: float32 accumulation, not the float64 std rounded to float.
  const float near_1000 = check_case(8, float{});
  const nnfs::Matrix<double> widened = golden_matrix<double>(g, 24);
  CHECK(near_1000 != static_cast<float>(nnfs::numpy_std(widened)));
}

TEMPLATE_TEST_CASE("sine_data's precision is the book's std(y)/250", "[accuracy][regression][golden]", float,
                   double) {
  using T = TestType;
  const auto g = nnfs_test::read_arrays("accuracy_precision.txt");
  const auto data = nnfs::datasets::sine_data<T>();
  const double expected = g.at(std::is_same_v<T, double> ? 2 : 5).values.at(0);
  CHECK(nnfs::regression_precision(data.y) == expected);
  nnfs::RegressionAccuracy acc;
  acc.init(data.y);
  CHECK(acc.precision() == expected);
  REQUIRE_THAT(acc.precision(), WithinRel(0.0028284271247461905, 1e-7));
  // Predicting the targets themselves is always right; shifting them by 2·precision never is.
  CHECK(acc.calculate(data.y, data.y) == 1.0);
  const nnfs::Matrix<T> shifted = data.y.array() + static_cast<T>(2 * expected);
  CHECK(acc.calculate(shifted, data.y) == 0.0);
}

TEMPLATE_TEST_CASE("numpy_std sums in NumPy's 8192-element blocks", "[accuracy][regression][golden]", float,
                   double) {
  // y_i = ((i*7919) % 1009)/1009 + 100 for (24581,1), (8200,3), (20000,1); a plain pairwise sum
  // over the whole array gives a different std for some of them (checked by the generator).
  using T = TestType;
  const auto g = nnfs_test::read_arrays("accuracy_precision_large.txt");
  REQUIRE(g.size() == std::size_t{3} * 2 * 3);
  const std::size_t type_offset = std::is_same_v<T, float> ? 0 : 3;
  for (std::size_t c = 0; c < 3; ++c) {
    const std::size_t base = c * 6 + type_offset;
    const auto rows = static_cast<nnfs::Index>(g[base].values.at(0));
    const auto cols = static_cast<nnfs::Index>(g[base].values.at(1));
    INFO("shape " << rows << "x" << cols);
    const auto y = large_y<T>(rows, cols);
    CHECK(static_cast<double>(nnfs::numpy_std(y)) == g[base + 1].values.at(0));
    CHECK(nnfs::regression_precision(y) == g[base + 2].values.at(0));
  }
}

TEMPLATE_TEST_CASE("RegressionAccuracy: |prediction - y| < std(y)/250, precision taken once",
                   "[accuracy][regression]", float, double) {
  using T = TestType;
  nnfs::Matrix<T> y(4, 1);
  y << 0, 5, 0, 5;  // std 2.5 → precision 0.01
  nnfs::RegressionAccuracy acc;
  CHECK_FALSE(acc.initialised());
  acc.init(y);
  REQUIRE(acc.initialised());
  CHECK(acc.precision() == 0.01);
  nnfs::Matrix<T> pred(4, 1);
  pred << T(0.005), T(5.02), T(-0.0099), T(5);
  CHECK(acc.calculate(pred, y) == 0.75);  // the second is 0.02 away
  pred(3, 0) = std::numeric_limits<T>::quiet_NaN();
  CHECK(acc.calculate(pred, y) == 0.5);  // NaN is wrong

  // init again: the precision stays (the book's init(y, reinit=False)) unless reinit.
  const nnfs::Matrix<T> wider = y * T(2);
  acc.init(wider);
  CHECK(acc.precision() == 0.01);
  acc.init(wider, true);
  CHECK(acc.precision() == 0.02);
  // Constant targets: precision 0, nothing is ever right (as in NumPy).
  nnfs::RegressionAccuracy flat;
  flat.init(nnfs::Matrix<T>::Constant(3, 1, T(2)));
  CHECK(flat.precision() == 0.0);
  CHECK(flat.calculate(nnfs::Matrix<T>::Constant(3, 1, T(2)), nnfs::Matrix<T>::Constant(3, 1, T(2))) == 0.0);
}

TEST_CASE("RegressionAccuracy matches NumPy, including float32's rounded precision", "[accuracy][regression][golden]") {
  const auto g = nnfs_test::read_arrays("accuracy_regression.txt");
  REQUIRE(g.size() == std::size_t{4} * 4);
  const auto run = [&](std::size_t c, auto pred_scalar, auto y_scalar) {
    using P = decltype(pred_scalar);
    using Y = decltype(y_scalar);
    INFO("case " << c);
    const auto y = golden_matrix<Y>(g, 4 * c + 1);
    nnfs::RegressionAccuracy acc;
    acc.init(y);
    CHECK(acc.precision() == g[4 * c + 2].values.at(0));
    return acc.calculate(golden_matrix<P>(g, 4 * c), y);
  };
  CHECK(run(0, float{}, float{}) == g[3].values.at(0));     // sine float32, threshold points in float32
  CHECK(run(1, double{}, double{}) == g[7].values.at(0));   // sine float64
  CHECK(run(2, float{}, double{}) == g[11].values.at(0));   // chapter 17: float32 outputs, float64 targets
  // y = 0/5 in float32: precision 0.01 (double) is 0.0099999998f in the float32 comparison, so a
  // difference of exactly 0.01f is wrong: NumPy says 0.5; comparing in double would say 4/6.
  CHECK(run(3, float{}, float{}) == g[15].values.at(0));
  CHECK(g[15].values.at(0) == 0.5);
  CHECK(run(3, double{}, double{}) == 4.0 / 6.0);
}

TEMPLATE_TEST_CASE("CategoricalAccuracy compares predictions with class indices or one-hot rows",
                   "[accuracy][categorical]", float, double) {
  using T = TestType;
  nnfs::Labels pred(5);
  pred << 0, 2, 1, 1, 0;
  nnfs::Labels y(5);
  y << 0, 2, 2, 1, 1;  // right: 0, 1, 3
  nnfs::CategoricalAccuracy acc;
  CHECK_FALSE(acc.binary());
  acc.init(y);  // nothing to learn
  CHECK(acc.calculate(pred, y) == 0.6);
  // One-hot rows (C ≥ 2) are turned into indices by argmax, as the book does for 2-D y.
  nnfs::Matrix<T> onehot = nnfs::Matrix<T>::Zero(5, 3);
  for (int i = 0; i < 5; ++i) onehot(i, y(i)) = 1;
  CHECK(acc.calculate(pred, onehot) == 0.6);
  CHECK(acc.calculate(pred, onehot.template cast<int>().eval()) == 0.6);
  // Any one-column matrix holds class indices, compared as numbers.
  CHECK(acc.calculate(pred, y.cast<T>().eval()) == 0.6);
  CHECK(acc.calculate(pred.cast<T>().eval(), y) == 0.6);
  // The argmax of softmax outputs, as a model's output layer makes its predictions.
  nnfs::Matrix<T> probs(5, 3);
  probs << T(0.8), T(0.1), T(0.1), T(0.1), T(0.2), T(0.7), T(0.3), T(0.4), T(0.3), T(0.2), T(0.5), T(0.3), T(0.5),
      T(0.25), T(0.25);
  CHECK(acc.calculate(nnfs::argmax_rows(probs), y) == nnfs::accuracy(probs, y));
}

TEMPLATE_TEST_CASE("CategoricalAccuracy(binary=true) compares 0/1 predictions element by element",
                   "[accuracy][categorical][binary]", float, double) {
  using T = TestType;
  nnfs::CategoricalAccuracy acc(true);
  CHECK(acc.binary());
  nnfs::Matrix<T> outputs(3, 2);
  outputs << T(0.9), T(0.5), T(0.2), T(0.7), T(0.6), T(0.4);
  const nnfs::Matrix<int> pred = (outputs.array() > T(0.5)).template cast<int>();  // (output > 0.5) * 1
  nnfs::Matrix<T> y(3, 2);
  y << 1, 1, 0, 1, 0, 0;  // wrong: (0,1) and (2,0)
  CHECK(acc.calculate(pred, y) == 4.0 / 6.0);
  CHECK(acc.calculate(pred, y) == nnfs::binary_accuracy(outputs, y));
  // A one-output model with nnfs::Labels targets.
  nnfs::Labels labels(3);
  labels << 1, 0, 0;
  CHECK(acc.calculate(pred.col(0), labels) == 2.0 / 3.0);
  // A NaN prediction never matches.
  nnfs::Matrix<T> nan_pred = pred.template cast<T>();
  nan_pred(0, 0) = std::numeric_limits<T>::quiet_NaN();
  CHECK(acc.calculate(nan_pred, y) == 3.0 / 6.0);
}

TEMPLATE_TEST_CASE("accumulated accuracy over batches equals the accuracy of the whole pass",
                   "[accuracy][accumulate]", float, double) {
  using T = TestType;
  SECTION("categorical") {
    nnfs::Labels pred(7);
    pred << 0, 1, 2, 0, 1, 1, 2;
    nnfs::Labels y(7);
    y << 0, 1, 1, 0, 2, 1, 0;
    nnfs::CategoricalAccuracy whole;
    const double expected = whole.calculate(pred, y);
    nnfs::CategoricalAccuracy acc;
    CHECK(acc.calculate(pred.head(3), y.head(3)) == 2.0 / 3.0);
    acc.calculate(pred.segment(3, 3), y.segment(3, 3));
    acc.calculate(pred.tail(1), y.tail(1));
    CHECK(acc.accumulated_count() == 7);
    CHECK(acc.accumulated_correct() == 4);
    CHECK(acc.calculate_accumulated() == expected);
    CHECK(expected == 4.0 / 7.0);
    acc.new_pass();
    CHECK(acc.accumulated_count() == 0);
    acc.calculate(pred.tail(2), y.tail(2));
    CHECK(acc.calculate_accumulated() == 0.5);
  }
  SECTION("binary, two outputs per sample: every element counts") {
    nnfs::Matrix<int> pred(5, 2);
    pred << 1, 0, 1, 1, 0, 0, 1, 0, 0, 1;
    nnfs::Matrix<T> y(5, 2);
    y << 1, 1, 1, 1, 0, 1, 0, 0, 0, 1;  // 7 of 10 right
    nnfs::CategoricalAccuracy acc(true);
    acc.calculate(pred.topRows(2), y.topRows(2));
    acc.calculate(pred.bottomRows(3), y.bottomRows(3));
    CHECK(acc.accumulated_count() == 10);
    CHECK(acc.calculate_accumulated() == 0.7);
  }
  SECTION("regression, sine data in batches of 128") {
    const auto data = nnfs::datasets::sine_data<T>();
    const nnfs::Matrix<T> pred = data.y.array() + (data.X.array() - T(0.5)) * T(0.01);  // right near x = 0.5
    nnfs::RegressionAccuracy whole;
    whole.init(data.y);
    const double expected = whole.calculate(pred, data.y);
    CHECK(expected > 0.0);
    CHECK(expected < 1.0);
    nnfs::RegressionAccuracy acc;
    acc.init(data.y);
    for (nnfs::Index start = 0; start < 1000; start += 128) {
      const nnfs::Index n = std::min<nnfs::Index>(128, 1000 - start);
      acc.calculate(pred.middleRows(start, n), data.y.middleRows(start, n));
    }
    CHECK(acc.accumulated_count() == 1000);
    CHECK(acc.calculate_accumulated() == expected);
  }
}

TEMPLATE_TEST_CASE("accuracy classes and functions reject bad input with typed errors", "[accuracy][errors]", float,
                   double) {
  using T = TestType;
  const nnfs::Matrix<T> p32 = nnfs::Matrix<T>::Constant(3, 2, T(0.7));
  const nnfs::Matrix<T> empty(0, 1);

  // binary_accuracy
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::binary_accuracy(p32, nnfs::Matrix<int>::Zero(3, 1)),
                           "binary_accuracy", "3\u00d71", "3\u00d72");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::binary_accuracy(p32.col(0), nnfs::Labels::Zero(4)), "4\u00d71",
                           "3\u00d71");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::binary_accuracy(empty, nnfs::Labels(0)), "empty", "0\u00d71");

  // numpy_std / regression_precision / RegressionAccuracy
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::numpy_std(empty), "empty", "0\u00d71");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::regression_precision(nnfs::Matrix<T>(2, 0)), "empty",
                           "2\u00d70");
  nnfs::RegressionAccuracy reg;
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, reg.calculate(p32, p32), "calculate", "not initialised", "init");
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, reg.precision(), "precision", "not initialised");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, reg.init(empty), "empty");
  CHECK_FALSE(reg.initialised());
  reg.init(p32.col(0));
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, reg.calculate(p32, p32.col(0)), "RegressionAccuracy", "3\u00d71",
                           "3\u00d72");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, reg.calculate(empty, empty), "RegressionAccuracy", "empty");
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, reg.calculate_accumulated(), "nothing accumulated");

  // CategoricalAccuracy
  nnfs::CategoricalAccuracy cat;
  nnfs::Labels pred(3);
  pred << 0, 1, 1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, cat.calculate(p32, pred), "3\u00d72", "one column",
                           "binary=true");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, cat.calculate(pred, nnfs::Labels::Zero(2)), "2\u00d71",
                           "3 predictions");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, cat.calculate(pred, nnfs::Matrix<T>::Zero(4, 3)), "4\u00d73",
                           "3 predictions");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, cat.calculate(nnfs::Labels(0), nnfs::Labels(0)), "empty");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, cat.calculate(pred, nnfs::Matrix<T>(3, 0)), "3\u00d70");
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, cat.calculate_accumulated(), "nothing accumulated");
  nnfs::CategoricalAccuracy bin(true);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bin.calculate(p32, nnfs::Matrix<T>::Zero(3, 1)),
                           "CategoricalAccuracy", "3\u00d71", "3\u00d72");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bin.calculate(nnfs::Matrix<int>(0, 2), nnfs::Matrix<T>(0, 2)),
                           "empty");
  // A failed calculate accumulates nothing.
  CHECK(cat.accumulated_count() == 0);
  CHECK(bin.accumulated_count() == 0);
  CHECK(reg.accumulated_count() == 0);
}
