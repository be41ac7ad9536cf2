// Losses and the output activations that feed them, against NumPy running the book's classes
// (tests/golden/gen_backward.py): Sigmoid + BinaryCrossentropy (N×1 with uint8 targets, the
// book's chapter 16 shape, and N×3), Linear + MeanSquaredError / MeanAbsoluteError (N×1, N×3).
// Forward (per-sample losses, np.mean(axis=-1)), the mean, and backward; bit for bit in book
// mode, to 1e-12 in float64, to float rounding in fast mode (MAE's gradient with the sign
// corrected, as nnfs does). Then bad targets for every loss.
#include "nnfs_catch.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nnfs_test::check_bits;
using nnfs_test::show;

using nnfs_test::Golden;

// Bit for bit when rel == 0; otherwise |actual − expected| ≤ rel·(|expected| + floor).
template <class DA, class T>
void check_values(const Eigen::MatrixBase<DA>& actual_in, const nnfs::Matrix<T>& expected, double rel,
                  const std::string& what, double floor = 0.0) {
  if (rel == 0.0) {
    check_bits(actual_in, expected, what);
    return;
  }
  const nnfs::Matrix<T> actual = actual_in;
  INFO(what);
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  nnfs::Index bad = 0;
  nnfs::Index first = -1;
  for (nnfs::Index i = 0; i < expected.size(); ++i) {
    const bool ok = std::abs(static_cast<double>(actual.data()[i]) - static_cast<double>(expected.data()[i])) <=
                    rel * (std::abs(static_cast<double>(expected.data()[i])) + floor);
    if (!ok) {
      if (first < 0) first = i;
      ++bad;
    }
  }
  INFO("mismatches: " << bad
                      << (first >= 0 ? ", first at flat index " + std::to_string(first) + ": " +
                                           show(actual.data()[first]) + " vs NumPy " + show(expected.data()[first])
                                     : std::string()));
  CHECK(bad == 0);
}

template <class T>
void check_scalar(T actual, double expected, double rel, const std::string& what) {
  INFO(what << ": " << show(actual) << " vs NumPy " << show(static_cast<T>(expected)));
  if (rel == 0.0)
    CHECK(actual == static_cast<T>(expected));
  else
    CHECK_THAT(static_cast<double>(actual), WithinRel(expected, rel));
}

const char* current_mode_name() { return nnfs::book_mode() ? "book mode" : "fast mode"; }

// ---------------------------------------------------------------------------------------------
// Sigmoid + binary cross-entropy. Y is the target type (uint8 as the book's reshaped labels, or T).

template <class T, class Y>
void binary_case(const Golden& g, const std::string& name, double rel) {
  INFO(name << ", " << current_mode_name());
  const auto z = g.m<T>(name + ".inputs");
  const auto y = g.m<Y>(name + ".targets");
  nnfs::Sigmoid<T> sigmoid;
  nnfs::BinaryCrossentropy<T> loss;
  sigmoid.forward(z);
  // sigmoid(−800) is 0 in NumPy; a vectorized exp may saturate at a finite value and give a
  // subnormal instead: an absolute floor far below anything that matters.
  const double tiny = 1e-30;
  check_values(sigmoid.output, g.m<T>(name + ".sigmoid.output"), rel, "sigmoid.output", tiny);
  const nnfs::Vector<T> sample_losses = loss.forward(sigmoid.output, y);
  check_values(nnfs::Matrix<T>(sample_losses), g.m<T>(name + ".sample_losses"), rel, "BCE sample losses");
  check_scalar(loss.calculate(sigmoid.output, y), g.scalar(name + ".loss"), rel, "BCE mean loss");
  loss.backward(sigmoid.output, y);
  check_values(loss.dinputs, g.m<T>(name + ".bce.dinputs"), rel, "BCE dinputs");
  sigmoid.backward(loss.dinputs);
  check_values(sigmoid.dinputs, g.m<T>(name + ".sigmoid.dinputs"), rel, "sigmoid.dinputs", tiny);
}

template <class T>
void regression_case(const Golden& g, const std::string& name, double rel) {
  INFO(name << ", " << current_mode_name());
  const auto pred = g.m<T>(name + ".inputs");
  const auto target = g.m<T>(name + ".targets");
  nnfs::Linear<T> linear;
  CHECK(linear.forward(pred) == pred);
  CHECK(linear.predictions() == pred);
  {
    nnfs::MeanSquaredError<T> mse;
    const nnfs::Vector<T> sample_losses = mse.forward(linear.output, target);
    check_values(nnfs::Matrix<T>(sample_losses), g.m<T>(name + ".mse.sample_losses"), rel, "MSE sample losses");
    check_scalar(mse.calculate(linear.output, target), g.scalar(name + ".mse.loss"), rel, "MSE mean loss");
    mse.backward(linear.output, target);
    check_values(mse.dinputs, g.m<T>(name + ".mse.dinputs"), rel, "MSE dinputs");
    linear.backward(mse.dinputs);
    check_values(linear.dinputs, g.m<T>(name + ".mse.dinputs"), 0.0, "Linear dinputs (the identity) after MSE");
  }
  {
    nnfs::MeanAbsoluteError<T> mae;
    const nnfs::Vector<T> sample_losses = mae.forward(linear.output, target);
    check_values(nnfs::Matrix<T>(sample_losses), g.m<T>(name + ".mae.sample_losses"), rel, "MAE sample losses");
    check_scalar(mae.calculate(linear.output, target), g.scalar(name + ".mae.loss"), rel, "MAE mean loss");
    mae.backward(linear.output, target);
    // sign(p − t) / k / N, exact in every mode (np.sign(0) = 0 where the target equals the
    // prediction). The book's backward has np.sign(t − p), the wrong sign; nnfs deliberately
    // implements the true derivative (see mean_absolute_error.hpp): the book's array negated.
    check_values(mae.dinputs, g.m<T>(name + ".mae.dinputs_corrected"), 0.0, "MAE dinputs");
    CHECK((mae.dinputs.array() == T(0)).count() > 0);
    linear.backward(mae.dinputs);
    check_values(linear.dinputs, g.m<T>(name + ".mae.dinputs_corrected"), 0.0,
                 "Linear dinputs (the identity) after MAE");
  }
}

}  // namespace

TEST_CASE("Sigmoid and binary cross-entropy are NumPy's, bit for bit in book mode", "[losses][bce][book]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::book);
  const Golden g("backward_bce_book.txt");
  binary_case<float, std::uint8_t>(g, "k1", 0.0);  // the book's y.reshape(-1, 1), uint8
  binary_case<float, float>(g, "k1", 0.0);         // the same targets as float
  binary_case<float, float>(g, "k3", 0.0);
}

TEST_CASE("Sigmoid and binary cross-entropy in float64 match NumPy", "[losses][bce]") {
  const Golden g("backward_bce_double.txt");
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    binary_case<double, std::uint8_t>(g, "k1", 1e-12);
    binary_case<double, double>(g, "k3", 1e-12);
  }
}

TEST_CASE("Sigmoid and binary cross-entropy in fast float mode stay within float rounding", "[losses][bce][fast]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  const Golden g("backward_bce_book.txt");
  binary_case<float, std::uint8_t>(g, "k1", 1e-5);
  binary_case<float, float>(g, "k3", 1e-5);
}

TEST_CASE("BCE clips predictions to 1e-7 .. 1 - 1e-7 in forward and backward", "[losses][bce]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::book);
  nnfs::Matrix<float> p(1, 4);
  p << 0.0f, 1.0f, 0.0f, 1.0f;
  nnfs::Matrix<float> t(1, 4);
  t << 1.0f, 0.0f, 0.0f, 1.0f;
  nnfs::BinaryCrossentropy<float> loss;
  loss.forward(p, t);
  CHECK(std::isfinite(loss.sample_losses()(0)));
  // −log(1e-7) twice (clipped ends against the wrong target), −log(1 − 1e-7) twice, mean of four
  const float lo = nnfs::BinaryCrossentropy<float>::clip_min();
  const float hi = nnfs::BinaryCrossentropy<float>::clip_max();
  CHECK(lo == 1e-7f);
  CHECK(hi == 0.99999988f);
  loss.backward(p, t);
  CHECK(loss.dinputs(0, 0) == -(1.0f / lo) / 4.0f);
  CHECK(loss.dinputs(0, 1) == -(-(1.0f / (1.0f - hi))) / 4.0f);
  CHECK(std::isfinite(loss.dinputs(0, 2)));
  CHECK(std::isfinite(loss.dinputs(0, 3)));
}

TEST_CASE("Linear, MSE and MAE are NumPy's, bit for bit in book mode", "[losses][regression][book]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::book);
  const Golden g("backward_regression_book.txt");
  regression_case<float>(g, "k1", 0.0);
  regression_case<float>(g, "k3", 0.0);
}

TEST_CASE("Linear, MSE and MAE in float64 match NumPy", "[losses][regression]") {
  const Golden g("backward_regression_double.txt");
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    regression_case<double>(g, "k1", 1e-12);
    regression_case<double>(g, "k3", 1e-12);
  }
}

TEST_CASE("Linear, MSE and MAE in fast float mode stay within float rounding", "[losses][regression][fast]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  const Golden g("backward_regression_book.txt");
  regression_case<float>(g, "k1", 1e-5);
  regression_case<float>(g, "k3", 1e-5);
}

// ---------------------------------------------------------------------------------------------
// Bad input.

TEMPLATE_TEST_CASE("CCE backward rejects labels of the wrong length or out of range", "[losses][errors]", float,
                   double) {
  using T = TestType;
  const nnfs::Matrix<T> probs = nnfs::Matrix<T>::Constant(4, 3, T(0.25));
  const auto shape = nnfs::shape_str(probs);
  nnfs::CategoricalCrossentropy<T> loss;
  nnfs::Labels three(3);
  three << 0, 1, 2;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.backward(probs, three), "CategoricalCrossentropy::backward", "3",
                           shape);
  nnfs::Labels five(5);
  five << 0, 1, 2, 0, 1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.backward(probs, five), "5", shape);
  nnfs::Labels big(4);
  big << 0, 1, 2, 3;
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, loss.backward(probs, big), "label 3", "sample 3", "[0, 3)");
  nnfs::Labels negative(4);
  negative << 0, -2, 2, 1;
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, loss.backward(probs, negative), "label -2", "sample 1");
  // one-hot targets whose shape is not the predictions'
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.backward(probs, nnfs::Matrix<T>::Identity(4, 4)), shape);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.backward(probs, nnfs::Matrix<T>::Identity(3, 3)), shape);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.backward(nnfs::Matrix<T>(0, 3), nnfs::Labels(0)), "empty");
}

TEMPLATE_TEST_CASE("CCE backward names both shapes when one-hot targets do not match", "[losses][errors]",
                   float, double) {
  using T = TestType;
  const nnfs::Matrix<T> probs = nnfs::Matrix<T>::Constant(4, 3, T(0.25));
  nnfs::CategoricalCrossentropy<T> loss;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.backward(probs, nnfs::Matrix<T>::Identity(4, 4)),
                           nnfs::shape_str(4, 4), nnfs::shape_str(probs));
}

TEMPLATE_TEST_CASE("BCE, MSE and MAE reject targets whose shape is not the predictions'", "[losses][errors]", float,
                   double) {
  using T = TestType;
  const nnfs::Matrix<T> pred = nnfs::Matrix<T>::Constant(4, 3, T(0.5));
  const auto shape = nnfs::shape_str(pred);
  for (const auto& [rows, cols] : {std::pair<nnfs::Index, nnfs::Index>{4, 1}, {3, 3}, {5, 3}, {3, 4}}) {
    const nnfs::Matrix<T> t = nnfs::Matrix<T>::Zero(rows, cols);
    const auto seen = nnfs::shape_str(t);
    INFO("targets " << seen);
    nnfs::BinaryCrossentropy<T> bce;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bce.forward(pred, t), "BinaryCrossentropy", seen, shape);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bce.backward(pred, t), "BinaryCrossentropy", seen, shape);
    nnfs::MeanSquaredError<T> mse;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mse.forward(pred, t), "MeanSquaredError", seen, shape);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mse.backward(pred, t), "MeanSquaredError", seen, shape);
    nnfs::MeanAbsoluteError<T> mae;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mae.forward(pred, t), "MeanAbsoluteError", seen, shape);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mae.backward(pred, t), "MeanAbsoluteError", seen, shape);
  }
  nnfs::BinaryCrossentropy<T> bce;
  const nnfs::Matrix<T> empty(0, 1);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bce.backward(empty, empty), "empty");
}

TEMPLATE_TEST_CASE("BCE rejects targets outside 0 .. 1 in forward and backward", "[losses][errors]", float, double) {
  using T = TestType;
  const nnfs::Matrix<T> pred = nnfs::Matrix<T>::Constant(2, 3, T(0.5));
  for (const T bad : {T(1.5), T(-0.1), T(2), std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity()}) {
    INFO("target " << bad);
    nnfs::Matrix<T> t = nnfs::Matrix<T>::Zero(2, 3);
    t(1, 2) = bad;
    nnfs::BinaryCrossentropy<T> bce;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bce.forward(pred, t), "BinaryCrossentropy", "(1, 2)",
                             "not in [0, 1]");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bce.backward(pred, t), "BinaryCrossentropy", "(1, 2)",
                             "not in [0, 1]");
  }
  // integer targets too: 2 is not a probability
  Eigen::Matrix<std::uint8_t, Eigen::Dynamic, 1> labels(2);
  labels << 1, 2;
  nnfs::BinaryCrossentropy<T> bce;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, bce.backward(nnfs::Matrix<T>::Constant(2, 1, T(0.5)), labels),
                           "(1, 0)", "not in [0, 1]");
  // the ends are fine
  nnfs::Matrix<T> ends(1, 3);
  ends << T(0), T(1), T(0.5);
  CHECK(bce.backward(pred.topRows(1), ends).allFinite());
}

TEMPLATE_TEST_CASE("MSE and MAE reject non-finite targets in forward and backward", "[losses][errors]", float, double) {
  using T = TestType;
  const nnfs::Matrix<T> pred = nnfs::Matrix<T>::Constant(3, 2, T(0.5));
  for (const T bad :
       {std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity()}) {
    INFO("target " << bad);
    nnfs::Matrix<T> t = nnfs::Matrix<T>::Zero(3, 2);
    t(2, 1) = bad;
    nnfs::MeanSquaredError<T> mse;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mse.forward(pred, t), "MeanSquaredError", "(2, 1)", "not finite");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mse.backward(pred, t), "MeanSquaredError", "(2, 1)", "not finite");
    nnfs::MeanAbsoluteError<T> mae;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mae.forward(pred, t), "MeanAbsoluteError", "(2, 1)", "not finite");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, mae.backward(pred, t), "MeanAbsoluteError", "(2, 1)", "not finite");
  }
}
