// The kernels behind the layers: the book path against NumPy, and the fast path against the
// book path (the readable reference).
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/ops/ops.hpp>
#include <nnfs/random_state.hpp>

#include <cmath>
#include <cstddef>

namespace {

struct PairwiseCase {
  std::vector<float> values;
  float sum;
  float mean;
};

std::vector<PairwiseCase> pairwise_cases() {
  const auto tokens = nnfs_test::read_tokens("kernels_pairwise.txt");
  std::vector<PairwiseCase> cases;
  std::size_t pos = 0;
  while (pos < tokens.size()) {
    const auto n = static_cast<std::size_t>(std::stoll(tokens[pos++]));
    PairwiseCase c;
    for (std::size_t i = 0; i < n; ++i) c.values.push_back(std::strtof(tokens[pos++].c_str(), nullptr));
    c.sum = std::strtof(tokens[pos++].c_str(), nullptr);
    c.mean = std::strtof(tokens[pos++].c_str(), nullptr);
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace

TEST_CASE("numpy_sum and mean equal NumPy's float32 np.sum / np.mean bit for bit", "[kernels][book]") {
  nnfs::NumericsScope book(nnfs::Numerics::book);
  const auto cases = pairwise_cases();
  REQUIRE(cases.size() == 22);  // up to 20000 values: beyond NumPy's 8192-element buffer
  int inexact_naive = 0;
  for (const auto& c : cases) {
    const auto n = static_cast<nnfs::Index>(c.values.size());
    INFO("n = " << n);
    CHECK(nnfs::kernels::numpy_sum(c.values.data(), n) == c.sum);
    if (n <= 8192) CHECK(nnfs::kernels::pairwise_sum(c.values.data(), n) == c.sum);
    nnfs::Vector<float> v = Eigen::Map<const nnfs::Vector<float>>(c.values.data(), n);
    CHECK(nnfs::kernels::mean(v) == c.mean);
    // A plain left-to-right float sum is not what NumPy does: it must differ somewhere, or this
    // test would not be telling the two apart.
    float naive = 0.0f;
    for (float x : c.values) naive += x;
    if (naive != c.sum) ++inexact_naive;
  }
  CHECK(inexact_naive > 0);
}

TEST_CASE("row_sums in book mode equal np.sum(axis=1), pairwise per row", "[kernels][book]") {
  nnfs::NumericsScope book(nnfs::Numerics::book);
  const auto arrays = nnfs_test::read_arrays("kernels_rowsums.txt");
  const auto m = nnfs_test::as_matrix<float>(arrays.at(0));
  const auto expected = nnfs_test::as_matrix<float>(arrays.at(1));
  REQUIRE(m.cols() == 150);
  nnfs::Vector<float> sums;
  nnfs::kernels::row_sums(m, sums);
  REQUIRE(sums.size() == 5);
  for (nnfs::Index i = 0; i < 5; ++i) CHECK(sums(i) == expected(i, 0));
}

TEST_CASE("col_sums in book mode equal np.sum(axis=0): row by row, pairwise for one column", "[kernels][book]") {
  const nnfs::NumericsScope mode(nnfs::Numerics::book);
  const auto arrays = nnfs_test::read_arrays("kernels_colsums.txt");
  REQUIRE(arrays.size() == 12);
  nnfs::Matrix<float> sums;
  for (std::size_t k = 0; k < arrays.size(); k += 2) {
    const auto m = nnfs_test::as_matrix<float>(arrays[k]);
    const auto expected = nnfs_test::as_matrix<float>(arrays[k + 1]);
    INFO("shape " << m.rows() << "x" << m.cols());
    nnfs::kernels::col_sums(m, sums);
    CHECK(sums == expected);
  }
}

TEST_CASE("pairwise_sum follows NumPy's blocking on hand-checkable inputs", "[kernels][book]") {
  // 1e8 + 1 + 1 + ... : left to right in float32 every +1 is lost (1e8 + 1 rounds back to 1e8),
  // but with 8 partial sums of 16 elements each the ones accumulate before meeting 1e8.
  std::vector<float> a(128, 1.0f);
  a[0] = 1e8f;
  // r0 = 1e8 + 15·1 → 1e8 (each +1 is lost, the spacing of float32 at 1e8 is 8);
  // r1..r7 = 16 each; ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) = (1e8+16 + 32) + 64 = 1e8 + 112.
  CHECK(nnfs::kernels::pairwise_sum(a.data(), 128) == 1e8f + 112.0f);
  // n < 8 is sequential: 1e8 + 1 + 1 + ... (7 values) stays 1e8.
  CHECK(nnfs::kernels::pairwise_sum(a.data(), 7) == 1e8f);
  // strided access: every second element of a 2×4 row-major matrix's first column
  const float m[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(nnfs::kernels::pairwise_sum(m, 4, 2) == 1.0f + 3.0f + 5.0f + 7.0f);
}

TEST_CASE("exp and log are correctly rounded in book mode", "[kernels][book]") {
  // exp(1) = 2.718281828459045..., nearest float32 = 2.71828182f
  CHECK(nnfs::kernels::exp_rounded(1.0f) == 2.71828182f);
  CHECK(nnfs::kernels::log_rounded(2.71828182f) == std::nextafter(1.0f, 0.0f));  // log(2.71828182) < 1
  CHECK(nnfs::kernels::exp_rounded(0.0) == 1.0);
  // -log(1e-7) = 16.11809565095832
  CHECK_THAT(nnfs::kernels::log_rounded(1e-7), WithinRel(-16.11809565095832, 1e-15));
}

TEMPLATE_TEST_CASE("fast and book kernels agree to rounding", "[kernels][fast]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(3);
  const nnfs::Matrix<T> a = rng.randn<T>(37, 19);
  const nnfs::Matrix<T> b = rng.randn<T>(19, 23);
  nnfs::kernels::DotScratch<T> scratch;

  nnfs::Matrix<T> book_prod;
  nnfs::Matrix<T> fast_prod;
  {
    nnfs::NumericsScope mode(nnfs::Numerics::book);
    nnfs::kernels::matmul(book_prod, a, b, scratch);
  }
  {
    nnfs::NumericsScope mode(nnfs::Numerics::fast);
    nnfs::kernels::matmul(fast_prod, a, b, scratch);
  }
  // The book product is the double product rounded once: check it against a plain loop.
  for (nnfs::Index i = 0; i < a.rows(); ++i)
    for (nnfs::Index j = 0; j < b.cols(); ++j) {
      double acc = 0.0;
      for (nnfs::Index k = 0; k < a.cols(); ++k) acc += static_cast<double>(a(i, k)) * static_cast<double>(b(k, j));
      CHECK_THAT(static_cast<double>(book_prod(i, j)), WithinAbs(static_cast<double>(static_cast<T>(acc)), 1e-12));
    }
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-13;
  CHECK(((book_prod - fast_prod).cwiseAbs().maxCoeff()) <= tol * (1.0 + book_prod.cwiseAbs().maxCoeff()));

  nnfs::Matrix<T> e_book = a / T(4);
  nnfs::Matrix<T> e_fast = e_book;
  nnfs::Vector<T> s_book;
  nnfs::Vector<T> s_fast;
  {
    nnfs::NumericsScope mode(nnfs::Numerics::book);
    nnfs::kernels::exp_inplace(e_book);
    nnfs::kernels::row_sums(e_book, s_book);
  }
  {
    nnfs::NumericsScope mode(nnfs::Numerics::fast);
    nnfs::kernels::exp_inplace(e_fast);
    nnfs::kernels::row_sums(e_fast, s_fast);
  }
  for (nnfs::Index i = 0; i < e_book.size(); ++i)
    CHECK_THAT(static_cast<double>(e_fast.data()[i]), WithinRel(static_cast<double>(e_book.data()[i]), tol));
  for (nnfs::Index i = 0; i < s_book.size(); ++i)
    CHECK_THAT(static_cast<double>(s_fast(i)), WithinRel(static_cast<double>(s_book(i)), tol));

  nnfs::Vector<T> v_book = e_book.col(0);
  nnfs::Vector<T> v_fast = v_book;
  T m_book{};
  T m_fast{};
  {
    nnfs::NumericsScope mode(nnfs::Numerics::book);
    m_book = nnfs::kernels::mean(v_book);
    nnfs::kernels::negative_log_inplace(v_book);
  }
  {
    nnfs::NumericsScope mode(nnfs::Numerics::fast);
    m_fast = nnfs::kernels::mean(v_fast);
    nnfs::kernels::negative_log_inplace(v_fast);
  }
  CHECK_THAT(static_cast<double>(m_fast), WithinRel(static_cast<double>(m_book), tol));
  for (nnfs::Index i = 0; i < v_book.size(); ++i)
    CHECK_THAT(static_cast<double>(v_fast(i)), WithinAbs(static_cast<double>(v_book(i)), tol * 10));
}

TEST_CASE("row_max propagates NaN and takes the true maximum", "[kernels]") {
  nnfs::Matrix<double> m(3, 3);
  m << 1, 5, 2, std::nan(""), 1, 2, -3, -1, -2;
  nnfs::Vector<double> mx;
  nnfs::kernels::row_max(m, mx);
  CHECK(mx(0) == 5.0);
  CHECK(std::isnan(mx(1)));
  CHECK(mx(2) == -1.0);
}
