// nnfs/ops: every fast operation (ops::fast) against its book reference (ops::reference) on
// random inputs of odd shapes (1, 7, 33, 130, 257 rows/columns: below, at and past every packet,
// block and pairwise-sum boundary), float and double; and the references against values known
// exactly. The golden tests (test_book_math, test_dense, test_losses, ...) pin the book path to
// NumPy's bits; here the question is whether the fast path computes the same thing.
//
// Tolerances come from the operation's error bound, with u = ε/2 the unit roundoff of T:
//   - a sum or dot product of n terms x_i in T differs from the exact sum by at most
//     γ_n·Σ|x_i|, γ_n = n·u/(1 − n·u) (Higham, Accuracy and Stability, 3.1), whatever the order
//     or blocking and with or without fused multiply-adds; the reference is the exact (double)
//     sum rounded once, within u of it. We allow (n + 2)·ε·Σ|x_i|, a little over both together.
//   - exp/log: Eigen's vectorized functions are accurate to a few ulp; we allow 8 ulp (8·ε
//     relative) where the reference is correctly rounded.
//   - adam_update: the same operations in the same order, so the same bits.
// A wrong fast path is far outside these bounds: a transposed or misplaced operand, a dropped
// row or column changes results by O(1/√n) relative to Σ|x|, against O(n·ε) allowed — the last
// test case checks that the comparison rejects exactly such a mistake.
#include "nnfs_catch.hpp"
#include "test_util.hpp"

#include <nnfs/ops/ops.hpp>
#include <nnfs/random_state.hpp>

#include <cmath>
#include <limits>
#include <string>

namespace test_ops_detail {

using nnfs::Index;
template <class T>
using Matrix = nnfs::Matrix<T>;
template <class T>
using Vector = nnfs::Vector<T>;

constexpr Index odd_sizes[] = {1, 7, 33, 130, 257};

template <class T>
constexpr double eps = static_cast<double>(std::numeric_limits<T>::epsilon());

template <class T>
Matrix<T> random_matrix(nnfs::RandomState& rng, Index rows, Index cols) {
  return rng.randn<T>(rows, cols);
}

/// How many elements of `actual` are farther from `expected` than `bound` allows (elementwise).
template <class T>
Index count_outside(const Matrix<T>& actual, const Matrix<T>& expected, const Matrix<double>& bound) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) return expected.size() + 1;
  Index bad = 0;
  for (Index i = 0; i < expected.rows(); ++i)
    for (Index j = 0; j < expected.cols(); ++j)
      if (!(std::abs(static_cast<double>(actual(i, j)) - static_cast<double>(expected(i, j))) <= bound(i, j))) ++bad;
  return bad;
}

/// The error bound of op(a)·op(b) (+ bias) computed two ways: (k + 2)·ε·(Σ_k |a||b| + |bias|).
template <class T>
Matrix<double> product_bound(const Matrix<T>& a, const Matrix<T>& b, nnfs::ops::Transpose t,
                             const Matrix<T>* bias = nullptr) {
  const Matrix<double> abs_a = a.template cast<double>().cwiseAbs();
  const Matrix<double> abs_b = b.template cast<double>().cwiseAbs();
  Matrix<double> magnitude;
  switch (t) {
    case nnfs::ops::Transpose::none: magnitude = abs_a * abs_b; break;
    case nnfs::ops::Transpose::lhs: magnitude = abs_a.transpose() * abs_b; break;
    case nnfs::ops::Transpose::rhs: magnitude = abs_a * abs_b.transpose(); break;
  }
  if (bias != nullptr) magnitude.rowwise() += bias->template cast<double>().cwiseAbs().row(0);
  const Index k = t == nnfs::ops::Transpose::lhs ? a.rows() : a.cols();
  return (static_cast<double>(k + 2) * eps<T>) * magnitude;
}

/// Operands for op(a)·op(b) of shape (n×k)·(k×m) with op given by t.
template <class T>
void product_operands(nnfs::RandomState& rng, Index n, Index k, Index m, nnfs::ops::Transpose t, Matrix<T>& a,
                      Matrix<T>& b) {
  a = t == nnfs::ops::Transpose::lhs ? random_matrix<T>(rng, k, n) : random_matrix<T>(rng, n, k);
  b = t == nnfs::ops::Transpose::rhs ? random_matrix<T>(rng, m, k) : random_matrix<T>(rng, k, m);
}

std::string shape_name(Index n, Index k, Index m) {
  return std::to_string(n) + "x" + std::to_string(k) + "x" + std::to_string(m);
}

/// Per-row bound of a row reduction: (cols + 2)·ε·Σ_j |m(i,j)|, as an N×1 matrix.
template <class T>
Matrix<double> row_bound(const Matrix<T>& m) {
  return ((static_cast<double>(m.cols() + 2) * eps<T>) * m.template cast<double>().cwiseAbs().rowwise().sum()).eval();
}

constexpr nnfs::ops::Transpose all_transposes[] = {nnfs::ops::Transpose::none, nnfs::ops::Transpose::lhs,
                                                   nnfs::ops::Transpose::rhs};

/// f(rows, cols) for rows from odd_sizes and a few column counts (a layer's classes or outputs).
template <class F>
void for_each_narrow_shape(F&& f) {
  for (const Index rows : odd_sizes)
    for (const Index cols : {Index(1), Index(7), Index(33)}) f(rows, cols);
}

/// f(n, k, m) for every product shape (n×k)·(k×m) with n, k, m from odd_sizes.
template <class F>
void for_each_product_shape(F&& f) {
  for (const Index n : odd_sizes)
    for (const Index k : odd_sizes)
      for (const Index m : odd_sizes) f(n, k, m);
}

}  // namespace test_ops_detail

TEMPLATE_TEST_CASE("ops::fast matmul, matmul_add_row(_kept) agree with ops::reference within the dot-product bound",
                   "[ops]", float, double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(12);
  nnfs::ops::DotScratch<T> ref_scratch;
  nnfs::ops::DotScratch<T> fast_scratch;
  for (const nnfs::ops::Transpose t : all_transposes)
    for_each_product_shape([&](Index n, Index k, Index m) {
      Matrix<T> a;
      Matrix<T> b;
      product_operands(rng, n, k, m, t, a, b);
      Matrix<T> ref;
      Matrix<T> fast;
      nnfs::ops::reference::matmul(ref, a, b, ref_scratch, t);
      nnfs::ops::fast::matmul(fast, a, b, fast_scratch, t);
      INFO("shape " << shape_name(n, k, m) << ", transpose " << static_cast<int>(t));
      REQUIRE(ref.rows() == n);
      REQUIRE(ref.cols() == m);
      CHECK(count_outside(fast, ref, product_bound(a, b, t)) == 0);
    });
  // a·b + bias, and the variant that also keeps a copy of a (a Dense layer's forward pass)
  for_each_product_shape([&](Index n, Index k, Index m) {
    const Matrix<T> a = random_matrix<T>(rng, n, k);
    const Matrix<T> b = random_matrix<T>(rng, k, m);
    const Matrix<T> bias = random_matrix<T>(rng, 1, m);
    const Matrix<double> bound = product_bound(a, b, nnfs::ops::Transpose::none, &bias);
    INFO("shape " << shape_name(n, k, m));
    Matrix<T> ref;
    Matrix<T> fast;
    nnfs::ops::reference::matmul_add_row(ref, a, b, bias, ref_scratch);
    nnfs::ops::fast::matmul_add_row(fast, a, b, bias, fast_scratch);
    CHECK(count_outside(fast, ref, bound) == 0);
    // The kept variant: the same product, and a copy of the inputs.
    Matrix<T> kept;
    Matrix<T> out;
    nnfs::ops::reference::matmul_add_row_kept(out, kept, a, b, bias, ref_scratch);
    CHECK((nnfs_test::same_bits(out, ref) && nnfs_test::same_bits(kept, a)));
    nnfs::ops::fast::matmul_add_row_kept(out, kept, a, b, bias, fast_scratch);
    CHECK((nnfs_test::same_bits(out, fast) && nnfs_test::same_bits(kept, a)));
  });
}

TEMPLATE_TEST_CASE("matmul_add_row_view (read in place, widened in blocks of rows) gives matmul_add_row's bits",
                   "[ops]", float, double) {
  // Book mode widens a float operand to double kWidenRows (480) rows at a time when it reads the
  // inputs where they are; the blocks must not change a bit of the product. Row counts around
  // the block size and its multiples, depths below and above Eigen's depth block (~256 for
  // double), and widths beyond a column panel.
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(21);
  nnfs::ops::DotScratch<T> whole_scratch;
  nnfs::ops::DotScratch<T> view_scratch;
  const nnfs::Index block = nnfs::ops::reference::kWidenRows;
  REQUIRE(block % 24 == 0);
  for (const nnfs::Index n : {nnfs::Index(1), nnfs::Index(7), block - 1, block, block + 1, 2 * block + 37, nnfs::Index(1500)})
    for (const auto& [k, m] : {std::pair<nnfs::Index, nnfs::Index>{2, 3}, {2, 700}, {33, 64}, {784, 128}, {1000, 10}}) {
      const Matrix<T> a = random_matrix<T>(rng, n, k);
      const Matrix<T> b = random_matrix<T>(rng, k, m);
      const Matrix<T> bias = random_matrix<T>(rng, 1, m);
      INFO("shape " << shape_name(n, k, m));
      Matrix<T> whole;
      Matrix<T> view;
      nnfs::ops::reference::matmul_add_row(whole, a, b, bias, whole_scratch);
      nnfs::ops::reference::matmul_add_row_view(view, nnfs::detail::operand(a), b, bias, view_scratch);
      CHECK(nnfs_test::same_bits(view, whole));
      nnfs::ops::fast::matmul_add_row(whole, a, b, bias, whole_scratch);
      nnfs::ops::fast::matmul_add_row_view(view, nnfs::detail::operand(a), b, bias, view_scratch);
      CHECK(nnfs_test::same_bits(view, whole));
    }
  // The comparison can fail: the same product with one input of the second block changed.
  Matrix<T> a = random_matrix<T>(rng, block + 1, 5);
  const Matrix<T> b = random_matrix<T>(rng, 5, 4);
  const Matrix<T> bias = random_matrix<T>(rng, 1, 4);
  Matrix<T> whole;
  nnfs::ops::reference::matmul_add_row(whole, a, b, bias, whole_scratch);
  a(block, 2) += T(1);
  Matrix<T> changed;
  nnfs::ops::reference::matmul_add_row_view(changed, nnfs::detail::operand(a), b, bias, view_scratch);
  CHECK_FALSE(nnfs_test::same_bits(changed, whole));
  CHECK(nnfs_test::same_bits(Matrix<T>(changed.topRows(block)), Matrix<T>(whole.topRows(block))));
}

TEMPLATE_TEST_CASE("ops::reference::matmul is the naive double-accumulated product rounded once", "[ops]", float,
                   double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(13);
  nnfs::ops::DotScratch<T> scratch;
  for (const nnfs::ops::Transpose t : all_transposes)
    for (const Index n : {Index(1), Index(7), Index(130)})
      for (const Index k : odd_sizes)
        for (const Index m : {Index(1), Index(33), Index(257)}) {
          Matrix<T> a;
          Matrix<T> b;
          product_operands(rng, n, k, m, t, a, b);
          Matrix<T> naive;
          Matrix<T> ref;
          nnfs::ops::reference::matmul_naive(naive, a, b, t);
          nnfs::ops::reference::matmul(ref, a, b, scratch, t);
          // Both sum the same exact double products, in different orders: the double sums agree
          // to k·ε_double·Σ|a||b|, and rounding to T may then differ by one rounding (u·|x|).
          Matrix<double> bound = product_bound(a, b, t) * (eps<double> / eps<T>);  // (k + 2)·ε_double·Σ|a||b|
          bound += (eps<T> * naive.template cast<double>().cwiseAbs()).eval();
          INFO("shape " << shape_name(n, k, m) << ", transpose " << static_cast<int>(t));
          CHECK(count_outside(ref, naive, bound) == 0);
        }
}

TEMPLATE_TEST_CASE("ops reductions: fast col_sums, row_sums, row_means, sum, mean within the summation bound",
                   "[ops]", float, double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(15);
  for (const Index rows : odd_sizes)
    for (const Index cols : odd_sizes) {
      const Matrix<T> m = random_matrix<T>(rng, rows, cols);
      INFO("shape " << rows << "x" << cols);

      Matrix<T> ref_cols;
      Matrix<T> fast_cols;
      nnfs::ops::reference::col_sums(m, ref_cols);
      nnfs::ops::fast::col_sums(m, fast_cols);
      const Matrix<double> col_bound =
          (static_cast<double>(rows + 2) * eps<T>) * m.template cast<double>().cwiseAbs().colwise().sum();
      CHECK(count_outside(fast_cols, ref_cols, col_bound) == 0);

      Vector<T> ref_rows;
      Vector<T> fast_rows;
      nnfs::ops::reference::row_sums(m, ref_rows);
      nnfs::ops::fast::row_sums(m, fast_rows);
      CHECK(count_outside(Matrix<T>(fast_rows), Matrix<T>(ref_rows), row_bound(m)) == 0);

      nnfs::ops::reference::row_means(m, ref_rows);
      nnfs::ops::fast::row_means(m, fast_rows);
      const Matrix<double> mean_bound = row_bound(m) / static_cast<double>(cols);
      CHECK(count_outside(Matrix<T>(fast_rows), Matrix<T>(ref_rows), mean_bound) == 0);

      const double magnitude = m.template cast<double>().cwiseAbs().sum();
      const double total_bound = static_cast<double>(m.size() + 2) * eps<T> * magnitude;
      const auto ref_sum = static_cast<double>(nnfs::ops::reference::sum(m));
      CHECK(std::abs(static_cast<double>(nnfs::ops::fast::sum(m)) - ref_sum) <= total_bound);

      const Vector<T> v = Eigen::Map<const Vector<T>>(m.data(), m.size());
      const auto ref_mean = static_cast<double>(nnfs::ops::reference::mean(v));
      const double n = static_cast<double>(v.size());
      const double mean_error = std::abs(static_cast<double>(nnfs::ops::fast::mean(v)) - ref_mean);
      CHECK(mean_error <= total_bound / n + eps<T> * std::abs(ref_mean));
    }
}

TEMPLATE_TEST_CASE("ops exp/log: fast within 8 ulp of the correctly rounded reference", "[ops]", float, double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(16);
  for_each_narrow_shape([&](Index rows, Index cols) {
    INFO("shape " << rows << "x" << cols);
    // exp on [−20, 5): the softmax's shifted scores and the sigmoid's −x.
    const Matrix<T> x = (random_matrix<T>(rng, rows, cols).array().cwiseAbs() * T(-4) + T(5)).matrix();
    Matrix<T> ref = x;
    Matrix<T> fast = x;
    nnfs::ops::reference::exp_inplace(ref);
    nnfs::ops::fast::exp_inplace(fast);
    CHECK(count_outside(fast, ref, ((8 * eps<T>) * ref.template cast<double>().cwiseAbs()).eval()) == 0);

    // log on (1e−7, 1]: clipped probabilities.
    const Matrix<T> p = (T(1) / (T(1) + random_matrix<T>(rng, rows, cols).array().square() * T(100))).matrix();
    ref = p;
    fast = p;
    nnfs::ops::reference::log_inplace(ref);
    nnfs::ops::fast::log_inplace(fast);
    const Matrix<double> log_bound = ((8 * eps<T>) * ref.template cast<double>().cwiseAbs().cwiseMax(1.0)).eval();
    CHECK(count_outside(fast, ref, log_bound) == 0);

    Vector<T> ref_v = Eigen::Map<const Vector<T>>(p.data(), p.size());
    Vector<T> fast_v = ref_v;
    nnfs::ops::reference::negative_log_inplace(ref_v);
    nnfs::ops::fast::negative_log_inplace(fast_v);
    const Matrix<T> ref_neg = ref_v;
    // −log is log negated, to the bit (−0 where log(1) = +0, as NumPy's −np.log). Negated one
    // element at a time: Eigen 3.4 negates AVX/AVX-512 packets as 0 − x, which gives +0 for +0.
    Matrix<T> minus_log = Eigen::Map<const Vector<T>>(ref.data(), ref.size());
    for (Index i = 0; i < minus_log.size(); ++i) minus_log(i) = -minus_log(i);
    CHECK(nnfs_test::same_bits(ref_neg, minus_log));
    const Matrix<double> neg_log_bound = Eigen::Map<const Vector<double>>(log_bound.data(), log_bound.size());
    CHECK(count_outside(Matrix<T>(fast_v), ref_neg, neg_log_bound) == 0);
  });
}

TEMPLATE_TEST_CASE("ops::fast::softmax_backward agrees with the book's Jacobian loop", "[ops]", float, double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(17);
  nnfs::ops::SoftmaxScratch<T> scratch;
  for (const Index rows : odd_sizes)
    for (const Index classes : {Index(1), Index(3), Index(7), Index(33)}) {
      INFO("shape " << rows << "x" << classes);
      Matrix<T> s = random_matrix<T>(rng, rows, classes).array().exp().matrix();
      s.array().colwise() /= s.array().rowwise().sum();
      const Matrix<T> d = random_matrix<T>(rng, rows, classes);
      Matrix<T> ref;
      Matrix<T> fast;
      nnfs::ops::reference::softmax_backward(ref, s, d, scratch);
      nnfs::ops::fast::softmax_backward(fast, s, d, scratch);
      // result_r = s_r·(d_r − Σ_c s_c·d_c): bound (C + 4)·ε·s_r·(|d_r| + Σ_c s_c·|d_c|).
      const Matrix<double> sd = s.template cast<double>();
      const Matrix<double> ad = d.template cast<double>().cwiseAbs();
      const Vector<double> weighted = (sd.array() * ad.array()).rowwise().sum().matrix();
      const double scale = static_cast<double>(classes + 4) * eps<T>;
      const Matrix<double> bound = scale * (sd.array() * (ad.array().colwise() + weighted.array())).matrix();
      CHECK(count_outside(fast, ref, bound) == 0);
    }
}

TEMPLATE_TEST_CASE("ops::fast::adam_update gives the reference's bits", "[ops]", float, double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(18);
  for_each_narrow_shape([&](Index rows, Index cols) {
    INFO("shape " << rows << "x" << cols);
    const Matrix<T> g = random_matrix<T>(rng, rows, cols);
    Matrix<T> p_ref = random_matrix<T>(rng, rows, cols);
    Matrix<T> m_ref = (T(0.1) * random_matrix<T>(rng, rows, cols)).eval();
    Matrix<T> v_ref = random_matrix<T>(rng, rows, cols).cwiseAbs2();
    Matrix<T> p_fast = p_ref;
    Matrix<T> m_fast = m_ref;
    Matrix<T> v_fast = v_ref;
    for (int step = 1; step <= 3; ++step) {
      const double t = static_cast<double>(step);
      const auto m_corr = static_cast<T>(1.0 - std::pow(0.9, t));
      const auto v_corr = static_cast<T>(1.0 - std::pow(0.999, t));
      nnfs::ops::reference::adam_update(p_ref, g, m_ref, v_ref, T(0.9), static_cast<T>(1.0 - 0.9), T(0.999),
                                        static_cast<T>(1.0 - 0.999), m_corr, v_corr, T(-0.05), T(1e-7));
      nnfs::ops::fast::adam_update(p_fast, g, m_fast, v_fast, T(0.9), static_cast<T>(1.0 - 0.9), T(0.999),
                                   static_cast<T>(1.0 - 0.999), m_corr, v_corr, T(-0.05), T(1e-7));
    }
    CHECK(nnfs_test::same_bits(m_fast, m_ref));
    CHECK(nnfs_test::same_bits(v_fast, v_ref));
    CHECK(nnfs_test::same_bits(p_fast, p_ref));
  });
}

TEMPLATE_TEST_CASE("ops dispatch: Numerics::book runs the reference, Numerics::fast the fast path", "[ops]", float,
                   double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(19);
  // exp of 130×257 values: the vectorized exp is not correctly rounded, so some of the 33 410
  // results differ from the reference's in the last bit (in float and double, with or without FMA).
  const Matrix<T> x = random_matrix<T>(rng, 130, 257);
  Matrix<T> ref = x;
  Matrix<T> fast = x;
  nnfs::ops::reference::exp_inplace(ref);
  nnfs::ops::fast::exp_inplace(fast);
  REQUIRE_FALSE(nnfs_test::same_bits(ref, fast));  // otherwise this test could not tell them apart
  Matrix<T> out;
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::book);
    out = x;
    nnfs::ops::exp_inplace(out);
    CHECK(nnfs_test::same_bits(out, ref));
  }
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::fast);
    out = x;
    nnfs::ops::exp_inplace(out);
    CHECK(nnfs_test::same_bits(out, fast));
    out = x;
    nnfs::kernels::exp_inplace(out);  // the former name
    CHECK(nnfs_test::same_bits(out, fast));
  }
}

TEMPLATE_TEST_CASE("ops references give the values known exactly", "[ops]", float, double) {
  using T = TestType;
  using test_ops_detail::Matrix;
  using test_ops_detail::Vector;
  // Small integers: every product and sum is exact, in any order, in T.
  Matrix<T> a(2, 3);
  a << 1, 2, 3, 4, 5, 6;
  Matrix<T> b(3, 2);
  b << 7, 8, 9, 10, 11, 12;
  Matrix<T> expected(2, 2);
  expected << 58, 64, 139, 154;
  nnfs::ops::DotScratch<T> scratch;
  Matrix<T> out;
  nnfs::ops::reference::matmul(out, a, b, scratch);
  CHECK(nnfs_test::same_bits(out, expected));
  nnfs::ops::reference::matmul_naive(out, a, b);
  CHECK(nnfs_test::same_bits(out, expected));
  const Matrix<T> at = a.transpose();
  const Matrix<T> bt = b.transpose();
  nnfs::ops::reference::matmul(out, at, b, scratch, nnfs::ops::Transpose::lhs);
  CHECK(nnfs_test::same_bits(out, expected));
  nnfs::ops::reference::matmul_naive(out, a, bt, nnfs::ops::Transpose::rhs);
  CHECK(nnfs_test::same_bits(out, expected));
  Matrix<T> bias(1, 2);
  bias << 1, -1;
  nnfs::ops::reference::matmul_add_row(out, a, b, bias, scratch);
  Matrix<T> with_bias(2, 2);
  with_bias << 59, 63, 140, 153;
  CHECK(nnfs_test::same_bits(out, with_bias));

  Matrix<T> sums;
  nnfs::ops::reference::col_sums(a, sums);
  Matrix<T> col_expected(1, 3);
  col_expected << 5, 7, 9;
  CHECK(nnfs_test::same_bits(sums, col_expected));
  Vector<T> rows;
  nnfs::ops::reference::row_sums(a, rows);
  CHECK(rows(0) == T(6));
  CHECK(rows(1) == T(15));
  nnfs::ops::reference::row_means(a, rows);
  CHECK(rows(0) == T(2));
  CHECK(rows(1) == T(5));
  CHECK(nnfs::ops::reference::sum(a) == T(21));
  const Vector<T> v = Eigen::Map<const Vector<T>>(a.data(), a.size());
  CHECK(nnfs::ops::reference::mean(v) == T(3.5));
  nnfs::ops::reference::row_max(a, rows);
  CHECK(rows(0) == T(3));
  CHECK(rows(1) == T(6));

  // exp(0) = 1, log(1) = 0, and the reference's exp is the double exp rounded once.
  Matrix<T> e(1, 3);
  e << 0, 1, -1;
  nnfs::ops::reference::exp_inplace(e);
  CHECK(e(0, 0) == T(1));
  CHECK(e(0, 1) == static_cast<T>(std::exp(1.0)));
  CHECK(e(0, 2) == static_cast<T>(std::exp(-1.0)));
  // −log(1) is −0 in both paths, as NumPy's −np.log(1.0): a vector long enough for the fast
  // path's packets (AVX-512: 16 floats).
  Vector<T> ones = Vector<T>::Ones(37);
  Vector<T> fast_ones = ones;
  nnfs::ops::reference::negative_log_inplace(ones);
  nnfs::ops::fast::negative_log_inplace(fast_ones);
  for (nnfs::Index i = 0; i < ones.size(); ++i) {
    CHECK(std::signbit(ones(i)));
    CHECK(std::signbit(fast_ones(i)));
    CHECK(ones(i) == T(0));
    CHECK(fast_ones(i) == T(0));
  }

  // A uniform softmax row s = (½, ½) with d = (1, −1): J·d = s ⊙ (d − s·d) = (½, −½).
  Matrix<T> s(1, 2);
  s << T(0.5), T(0.5);
  Matrix<T> d(1, 2);
  d << 1, -1;
  nnfs::ops::SoftmaxScratch<T> softmax_scratch;
  nnfs::ops::reference::softmax_backward(out, s, d, softmax_scratch);
  CHECK(out(0, 0) == T(0.5));
  CHECK(out(0, 1) == T(-0.5));

  // One Adam step from zero moments with g = 1: m = 0.1, v = 0.001, m̂ = v̂ = 1 at t = 1 in exact
  // arithmetic, so p moves by −lr/(1 + ε) (each operation rounded in T; compare in T).
  Matrix<T> p = Matrix<T>::Zero(1, 1);
  const Matrix<T> g = Matrix<T>::Ones(1, 1);
  Matrix<T> m = Matrix<T>::Zero(1, 1);
  Matrix<T> vv = Matrix<T>::Zero(1, 1);
  const T c1 = static_cast<T>(1.0 - 0.9);
  const T c2 = static_cast<T>(1.0 - 0.999);
  nnfs::ops::reference::adam_update(p, g, m, vv, T(0.9), c1, T(0.999), c2, c1, c2, T(-0.5), T(0));
  CHECK(m(0, 0) == c1);
  CHECK(vv(0, 0) == c2);
  CHECK(p(0, 0) == T(-0.5));
}

TEMPLATE_TEST_CASE("ops tests can fail: a transposed operand or a dropped row is outside the bounds", "[ops]", float,
                   double) {
  using namespace test_ops_detail;
  using T = TestType;
  nnfs::RandomState rng(20);
  nnfs::ops::DotScratch<T> scratch;
  for (const Index n : {Index(7), Index(33), Index(130)}) {
    INFO("n " << n);
    // A square product computed with aᵀ instead of a: every shape agrees, the values do not.
    const Matrix<T> a = random_matrix<T>(rng, n, n);
    const Matrix<T> b = random_matrix<T>(rng, n, n);
    Matrix<T> ref;
    Matrix<T> wrong;
    nnfs::ops::reference::matmul(ref, a, b, scratch);
    nnfs::ops::fast::matmul(wrong, a, b, scratch, nnfs::ops::Transpose::lhs);
    CHECK(count_outside(wrong, ref, product_bound(a, b, nnfs::ops::Transpose::none)) > n * n / 2);
    // Column sums that skip the last row.
    Matrix<T> ref_cols;
    Matrix<T> short_cols;
    nnfs::ops::reference::col_sums(a, ref_cols);
    nnfs::ops::fast::col_sums(Matrix<T>(a.topRows(n - 1)), short_cols);
    const Matrix<double> col_bound =
        (static_cast<double>(n + 2) * eps<T>) * a.template cast<double>().cwiseAbs().colwise().sum();
    CHECK(count_outside(short_cols, ref_cols, col_bound) > n / 2);
  }
}
