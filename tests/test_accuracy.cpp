// Accuracy and argmax: first index on ties, one-hot targets, the book's 0.34, bad input.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/accuracy.hpp>

#include <cmath>
#include <limits>

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
