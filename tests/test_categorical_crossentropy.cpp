// Categorical cross-entropy: NumPy's values for sparse and one-hot targets, clipping, bad input.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/losses/categorical_crossentropy.hpp>

#include <cmath>
#include <stdexcept>

namespace {
template <class T>
nnfs::Matrix<T> walk_predictions() {
  nnfs::Matrix<T> p(3, 3);
  p << T(0.7), T(0.1), T(0.2), T(0.1), T(0.5), T(0.4), T(0.02), T(0.0), T(0.98);
  return p;
}
}  // namespace

TEST_CASE("CCE reproduces NumPy on the book's and the walk's examples (float64)", "[cce]") {
  const auto golden = nnfs_test::read_arrays("layers_cce_examples.txt");
  nnfs::CategoricalCrossentropy<double> loss;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    // The book: predictions [[0.7,0.1,0.2],[0.1,0.5,0.4],[0.02,0.9,0.08]], class targets [0,1,1].
    nnfs::Matrix<double> book(3, 3);
    book << 0.7, 0.1, 0.2, 0.1, 0.5, 0.4, 0.02, 0.9, 0.08;
    nnfs::Labels idx(3);
    idx << 0, 1, 1;
    const auto& samples = loss.forward(book, idx);
    for (int i = 0; i < 3; ++i) CHECK_THAT(samples(i), WithinRel(golden.at(0).values.at(static_cast<std::size_t>(i)), 1e-15));
    CHECK_THAT(loss.calculate(book, idx), WithinRel(golden.at(1).values.at(0), 1e-15));
    CHECK_THAT(loss.calculate(book, idx), WithinRel(0.38506088005216804, 1e-15));  // the book's printed value

    // The walk: one-hot targets, mean of −log 0.7, −log 0.5, −log 0.98.
    nnfs::Matrix<int> onehot = nnfs::Matrix<int>::Identity(3, 3);
    const auto& s2 = loss.forward(walk_predictions<double>(), onehot);
    for (int i = 0; i < 3; ++i) CHECK_THAT(s2(i), WithinRel(golden.at(2).values.at(static_cast<std::size_t>(i)), 1e-15));
    CHECK_THAT(loss.calculate(walk_predictions<double>(), onehot), WithinRel(golden.at(3).values.at(0), 1e-15));
    CHECK_THAT(loss.calculate(walk_predictions<double>(), onehot),
               WithinRel((-std::log(0.7) - std::log(0.5) - std::log(0.98)) / 3.0, 1e-15));
    // the same targets as class indices give the same loss
    nnfs::Labels diag(3);
    diag << 0, 1, 2;
    CHECK_THAT(loss.calculate(walk_predictions<double>(), diag), WithinRel(golden.at(4).values.at(0), 1e-15));
  }
}

TEST_CASE("CCE in book mode gives the book's chapter 5 loss bit for bit", "[cce][book]") {
  const nnfs::NumericsScope mode(nnfs::Numerics::book);
  const auto golden = nnfs_test::read_arrays("layers_book_100_3_3.txt");
  const auto probs = nnfs_test::as_matrix<float>(golden.at(5));
  const auto expected_samples = nnfs_test::as_matrix<float>(golden.at(6));
  nnfs::Labels y(300);
  for (int i = 0; i < 300; ++i) y(i) = i / 100;
  nnfs::CategoricalCrossentropy<float> loss;
  const auto& samples = loss.forward(probs, y);
  for (int i = 0; i < 300; ++i) CHECK(samples(i) == expected_samples(i, 0));
  const float value = loss.calculate(probs, y);
  CHECK(value == static_cast<float>(golden.at(7).values.at(0)));
  CHECK(value == 1.0986104f);  // the book prints loss: 1.0986104
}

TEMPLATE_TEST_CASE("CCE clips probabilities to 1e-7 .. 1 - 1e-7", "[cce]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope mode(GENERATE(nnfs::Numerics::fast, nnfs::Numerics::book));
  nnfs::Matrix<T> p(2, 2);
  p << T(0), T(1), T(1), T(0);
  nnfs::Labels y(2);
  y << 0, 0;
  nnfs::CategoricalCrossentropy<T> loss;
  const auto& s = loss.forward(p, y);
  // a zero probability for the true class costs −log(1e−7) = 16.11809565095832
  CHECK_THAT(static_cast<double>(s(0)), WithinRel(16.11809565095832, 1e-6));
  // a certain, correct prediction costs −log(1 − 1e−7) ≈ 1e−7 (in float32 the bound is 0.99999988)
  const double expected = std::is_same_v<T, float> ? -std::log(0.99999988079071044921875) : -std::log(1.0 - 1e-7);
  CHECK_THAT(static_cast<double>(s(1)), WithinRel(expected, 1e-6));
  if constexpr (std::is_same_v<T, float>) {
    CHECK(nnfs::CategoricalCrossentropy<float>::clip_max() == 0.99999988f);
    CHECK(nnfs::CategoricalCrossentropy<float>::clip_min() == 1e-7f);
  }
}

TEMPLATE_TEST_CASE("CCE accepts one-hot targets of any arithmetic type", "[cce]", float, double) {
  using T = TestType;
  nnfs::CategoricalCrossentropy<T> loss;
  nnfs::Labels y(3);
  y << 0, 1, 2;
  const T sparse = loss.calculate(walk_predictions<T>(), y);
  CHECK(loss.calculate(walk_predictions<T>(), nnfs::Matrix<T>::Identity(3, 3)) == sparse);
  CHECK(loss.calculate(walk_predictions<T>(), nnfs::Matrix<int>::Identity(3, 3)) == sparse);
  // the walk's middle row has probability 0 for class 1 of row 2 only when targets say so:
  nnfs::Labels y2(3);
  y2 << 0, 1, 1;  // row 2 true class 1 has probability 0.0 → clipped
  const auto& s = loss.forward(walk_predictions<T>(), y2);
  CHECK_THAT(static_cast<double>(s(2)), WithinRel(16.11809565095832, 1e-6));
}

TEMPLATE_TEST_CASE("CCE rejects bad targets with messages naming them", "[cce][errors]", float, double) {
  using T = TestType;
  nnfs::CategoricalCrossentropy<T> loss;
  const auto p = walk_predictions<T>();
  nnfs::Labels short_labels(2);
  short_labels << 0, 1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.forward(p, short_labels), "2 labels", "3 samples", "3×3");
  nnfs::Labels big(3);
  big << 0, 3, 1;
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, loss.forward(p, big), "label 3", "sample 1", "[0, 3)");
  nnfs::Labels negative(3);
  negative << 0, 1, -1;
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, loss.forward(p, negative), "label -1", "sample 2");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.forward(p, nnfs::Matrix<T>::Identity(2, 3)), "2×3",
                           "3×3");
  nnfs::Matrix<T> not_onehot = nnfs::Matrix<T>::Identity(3, 3);
  not_onehot(1, 2) = T(1);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.forward(p, not_onehot), "row 1", "not one-hot", "2 entries");
  nnfs::Matrix<T> soft = nnfs::Matrix<T>::Identity(3, 3);
  soft(0, 0) = T(0.5);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.forward(p, soft), "row 0", "not one-hot", "0.5");
  nnfs::Matrix<T> zero_row = nnfs::Matrix<T>::Identity(3, 3);
  zero_row(2, 2) = T(0);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.forward(p, zero_row), "row 2", "0 entries");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.forward(nnfs::Matrix<T>(0, 3), nnfs::Labels(0)), "empty batch");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss.calculate(nnfs::Matrix<T>(0, 3), nnfs::Labels(0)), "empty batch");
}
