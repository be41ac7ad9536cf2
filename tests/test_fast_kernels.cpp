// The fast numerics against readable references written here, so that the fast path can fail:
// gemm_fast (every kernel branch, every operand layout, strided operands, bias, k == 0) against a
// naive triple loop accumulated in double (float) or long double (double); col_sums/row_sums
// against plain double sums; ops::fast::adam_update against a scalar loop that rounds every
// intermediate as adam.hpp's book expression does; the in-place and aliasing paths of
// Dense::forward, Dense::backward_parameters, and the two code paths of ReLU.
#include "nnfs_catch.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using nnfs_test::show;
using nnfs_test::same_bits;

using nnfs::Index;

template <class T>
using Mat = nnfs::Matrix<T>;
template <class T>
using ColMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

template <class T>
T nan_value() {
  return std::numeric_limits<T>::quiet_NaN();
}

std::size_t as_size(Index i) { return static_cast<std::size_t>(i); }

template <class T>
void fill_uniform(Mat<T>& m, std::mt19937& gen) {
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(dist(gen));
}

template <class T>
Mat<T> random_matrix(Index rows, Index cols, std::mt19937& gen) {
  Mat<T> m(rows, cols);
  fill_uniform(m, gen);
  return m;
}

// Uniform values in [-1, 1] drawn once; the grid's matrices are windows of them at random
// offsets (drawing every element of a thousand shapes would take longer than the products).
template <class T>
class UniformPool {
 public:
  explicit UniformPool(std::uint32_t seed) : gen_(seed), values_(as_size(Index(1) << 20)) {
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (T& v : values_) v = static_cast<T>(dist(gen_));
  }

  Mat<T> matrix(Index rows, Index cols) {
    const Index count = rows * cols;
    if (count > static_cast<Index>(values_.size())) return random_matrix<T>(rows, cols, gen_);
    std::uniform_int_distribution<Index> start(0, static_cast<Index>(values_.size()) - count);
    return Eigen::Map<const Mat<T>>(values_.data() + start(gen_), rows, cols);
  }

 private:
  std::mt19937 gen_;
  std::vector<T> values_;
};

// ---------------------------------------------------------------------------------------------
// The reference product: value(i,j) = Σ_k a(i,k)·b(k,j) (+ bias(j)) accumulated in a wider type
// (double for float operands, whose products are then exact; long double for double) and stored
// as double, and magnitude(i,j) = Σ_k |a(i,k)|·|b(k,j)| (+ |bias(j)|), from which the error bound
// is derived. (Storing a double reference of a double product adds at most half an ulp of the
// result, far inside the bound below.)
struct Reference {
  Index rows = 0;
  Index cols = 0;
  Index terms = 0;  // summands per element (k, plus one for a bias)
  std::vector<double> value;
  std::vector<double> magnitude;
};

Reference empty_reference(Index rows, Index cols, Index terms) {
  Reference r;
  r.rows = rows;
  r.cols = cols;
  r.terms = terms;
  r.value.assign(as_size(rows * cols), 0.0);
  r.magnitude.assign(as_size(rows * cols), 0.0);
  return r;
}

// a·b into `plain` and a·b + bias into `biased` (both computed from the same wide sums).
template <class T>
void reference_products(const Mat<T>& a, const Mat<T>& b, const Mat<T>& bias, Reference& plain, Reference& biased) {
  using Acc = std::conditional_t<std::is_same_v<T, float>, double, long double>;
  const Index n = a.rows();
  const Index k = a.cols();
  const Index m = b.cols();
  plain = empty_reference(n, m, k);
  biased = empty_reference(n, m, k + 1);
  const Mat<T> bt = b.transpose();
  for (Index i = 0; i < n; ++i) {
    const T* ai = a.data() + i * k;
    for (Index j = 0; j < m; ++j) {
      const T* bj = bt.data() + j * k;
      Acc s = Acc(0);
      Acc mag = Acc(0);
      for (Index kk = 0; kk < k; ++kk) {
        const Acc p = static_cast<Acc>(ai[kk]) * static_cast<Acc>(bj[kk]);
        s += p;
        mag += std::fabs(p);
      }
      const std::size_t e = as_size(i * m + j);
      plain.value[e] = static_cast<double>(s);
      plain.magnitude[e] = static_cast<double>(mag);
      if (bias.size() > 0) {
        const Acc bj_value = static_cast<Acc>(bias(0, j));
        biased.value[e] = static_cast<double>(s + bj_value);
        biased.magnitude[e] = static_cast<double>(mag + std::fabs(bj_value));
      }
    }
  }
}

template <class T>
Reference reference_product(const Mat<T>& a, const Mat<T>& b, const T* bias = nullptr) {
  Reference plain;
  Reference biased;
  if (bias == nullptr) {
    reference_products(a, b, Mat<T>(), plain, biased);
    return plain;
  }
  const Mat<T> bias_row = Eigen::Map<const Mat<T>>(bias, 1, b.cols());
  reference_products(a, b, bias_row, plain, biased);
  return biased;
}

// Column sums (1 × cols) of m, accumulated in long double.
template <class T>
Reference reference_col_sums(const Mat<T>& m) {
  Reference r = empty_reference(1, m.cols(), m.rows());
  for (Index j = 0; j < m.cols(); ++j) {
    long double s = 0;
    long double mag = 0;
    for (Index i = 0; i < m.rows(); ++i) {
      s += static_cast<long double>(m(i, j));
      mag += std::fabs(static_cast<long double>(m(i, j)));
    }
    r.value[as_size(j)] = static_cast<double>(s);
    r.magnitude[as_size(j)] = static_cast<double>(mag);
  }
  return r;
}

// "" when every element of `got` is within 4·terms·eps(T)·magnitude + (T's smallest normal) of
// the reference, else a description of the first element that is not (NaN never passes).
template <class T>
std::string first_failure(const Mat<T>& got, const Reference& ref, const std::string& what) {
  if (got.rows() != ref.rows || got.cols() != ref.cols)
    return what + ": shape " + nnfs::shape_str(got) + ", expected " + nnfs::shape_str(ref.rows, ref.cols);
  const double scale = 4.0 * static_cast<double>(ref.terms) * static_cast<double>(std::numeric_limits<T>::epsilon());
  const double tiny = static_cast<double>(std::numeric_limits<T>::min());
  for (Index i = 0; i < ref.rows; ++i) {
    const T* row = got.data() + i * got.outerStride();
    const double* expected = ref.value.data() + i * ref.cols;
    const double* magnitude = ref.magnitude.data() + i * ref.cols;
    bool row_ok = true;
    for (Index j = 0; j < ref.cols; ++j)
      row_ok &= std::fabs(static_cast<double>(row[j]) - expected[j]) <= scale * magnitude[j] + tiny;
    if (row_ok) continue;
    for (Index j = 0; j < ref.cols; ++j) {
      const double bound = scale * magnitude[j] + tiny;
      if (!(std::fabs(static_cast<double>(row[j]) - expected[j]) <= bound)) {
        std::ostringstream s;
        s << std::setprecision(17) << what << ": element (" << i << ", " << j << ") is " << show(row[j])
          << ", expected " << expected[j] << " (bound " << bound << ")";
        return s.str();
      }
    }
  }
  return {};
}

// Same as first_failure for a column vector against a 1-column reference.
template <class T>
std::string first_failure(const nnfs::Vector<T>& got, const Reference& ref, const std::string& what) {
  const Mat<T> as_matrix = got;
  return first_failure(as_matrix, ref, what);
}

// ---------------------------------------------------------------------------------------------
// A logical matrix (rows × cols) stored for gemm_fast as an operand of the given order: its rows
// in memory (RowMajor) or the rows of its transpose in memory (ColMajor). With pad == 0 through
// detail::operand / detail::operand_transposed on a matrix of exactly that shape; with pad > 0
// inside a wider buffer (outer stride = cols + pad, or rows + pad) starting one element in, the
// padding NaN so that reading it would show in the result.
template <int Order, class T>
nnfs::detail::Operand<T, Order> store(const Mat<T>& logical, Index pad, Mat<T>& buffer) {
  if constexpr (Order == Eigen::RowMajor) {
    buffer.setConstant(logical.rows(), logical.cols() + pad, nan_value<T>());
    const Index offset = pad > 0 && buffer.size() > 0 ? 1 : 0;  // (no offset from a null pointer)
    buffer.block(0, offset, logical.rows(), logical.cols()) = logical;
    if (pad == 0) return nnfs::detail::operand(buffer);
    return {buffer.data() + offset, logical.rows(), logical.cols(), buffer.outerStride()};
  } else {
    buffer.setConstant(logical.cols(), logical.rows() + pad, nan_value<T>());
    const Index offset = pad > 0 && buffer.size() > 0 ? 1 : 0;
    buffer.block(0, offset, logical.cols(), logical.rows()) = logical.transpose();
    if (pad == 0) return nnfs::detail::operand_transposed(buffer);
    return {buffer.data() + offset, logical.rows(), logical.cols(), buffer.outerStride()};
  }
}

const char* order_name(int order) { return order == Eigen::RowMajor ? "row-major" : "column-major"; }

std::string describe(Index n, Index k, Index m, int order_a, int order_b, Index pad, bool bias) {
  std::ostringstream s;
  s << "(" << n << "x" << k << ")*(" << k << "x" << m << "), A " << order_name(order_a) << ", B "
    << order_name(order_b) << ", pad " << pad << (bias ? ", with bias" : ", no bias");
  return s.str();
}

// gemm_fast with A and B stored as OrderA/OrderB, with and without the bias row, against the
// references; `out` is filled with NaN first, so an element the kernel does not write fails.
template <int OrderA, int OrderB, class T>
void check_gemm_layout(const Mat<T>& a, const Mat<T>& b, const Mat<T>& bias, const Reference& plain,
                       const Reference& biased, Index pad, nnfs::detail::GemmWorkspace<T>& ws, Mat<T>& out,
                       Mat<T>& buffer_a, Mat<T>& buffer_b) {
  const nnfs::detail::Operand<T, OrderA> op_a = store<OrderA>(a, pad, buffer_a);
  const nnfs::detail::Operand<T, OrderB> op_b = store<OrderB>(b, pad, buffer_b);
  for (int with_bias = 0; with_bias < 2; ++with_bias) {
    const T* bias_ptr = with_bias ? bias.data() : nullptr;
    out.setConstant(a.rows(), b.cols(), nan_value<T>());
    nnfs::detail::gemm_fast(out, op_a, op_b, ws, bias_ptr);
    std::string failure = first_failure(out, with_bias ? biased : plain, "");
    if (!failure.empty())
      failure.insert(0, describe(a.rows(), a.cols(), b.cols(), OrderA, OrderB, pad, with_bias != 0));
    REQUIRE(failure == "");
  }
}

template <class T>
void check_gemm_all_layouts(const Mat<T>& a, const Mat<T>& b, const Mat<T>& bias, nnfs::detail::GemmWorkspace<T>& ws,
                            Mat<T>& out) {
  Reference plain;
  Reference biased;
  reference_products(a, b, bias, plain, biased);
  Mat<T> buffer_a;
  Mat<T> buffer_b;
  for (Index pad : {Index(0), Index(3)}) {
    check_gemm_layout<Eigen::RowMajor, Eigen::RowMajor>(a, b, bias, plain, biased, pad, ws, out, buffer_a, buffer_b);
    check_gemm_layout<Eigen::RowMajor, Eigen::ColMajor>(a, b, bias, plain, biased, pad, ws, out, buffer_a, buffer_b);
    check_gemm_layout<Eigen::ColMajor, Eigen::RowMajor>(a, b, bias, plain, biased, pad, ws, out, buffer_a, buffer_b);
    check_gemm_layout<Eigen::ColMajor, Eigen::ColMajor>(a, b, bias, plain, biased, pad, ws, out, buffer_a, buffer_b);
  }
}

// Calls gemm_fast twice with the same shapes (out refilled with NaN in between, without
// resizing): the output buffer and the workspace's scratch are not reallocated and the two
// results are the same bits.
template <int OrderA, int OrderB, class T>
void check_gemm_repeat(const Mat<T>& a, const Mat<T>& b, const Mat<T>& bias, bool with_bias) {
  Mat<T> buffer_a;
  Mat<T> buffer_b;
  const nnfs::detail::Operand<T, OrderA> op_a = store<OrderA>(a, 0, buffer_a);
  const nnfs::detail::Operand<T, OrderB> op_b = store<OrderB>(b, 0, buffer_b);
  const T* bias_ptr = with_bias ? bias.data() : nullptr;
  const std::string what = describe(a.rows(), a.cols(), b.cols(), OrderA, OrderB, 0, with_bias);
  INFO(what);
  nnfs::detail::GemmWorkspace<T> ws;
  Mat<T> out;
  nnfs::detail::gemm_fast(out, op_a, op_b, ws, bias_ptr);
  const Mat<T> first = out;
  const T* out_data = out.data();
  const T* scratch_data = ws.transposed.data();
  const Index scratch_rows = ws.transposed.rows();
  const Index scratch_cols = ws.transposed.cols();
  out.setConstant(nan_value<T>());
  nnfs::detail::gemm_fast(out, op_a, op_b, ws, bias_ptr);
  REQUIRE(out.data() == out_data);
  REQUIRE(ws.transposed.data() == scratch_data);
  REQUIRE(ws.transposed.rows() == scratch_rows);
  REQUIRE(ws.transposed.cols() == scratch_cols);
  REQUIRE(same_bits(out, first));
  // and the result is the product
  const Reference ref = reference_product(a, b, bias_ptr);
  REQUIRE(first_failure(out, ref, what) == "");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. gemm_fast over a grid of shapes that reaches every branch: rows_kernel (n ≤ 4, or k ≤ 16),
// dots_kernel (m below a packet, A row-major), the transposed path (m below a packet, A
// column-major, no bias), tiles_kernel (m ≤ 512), Eigen's gebp (m > 512), the scalar tail columns.
TEMPLATE_TEST_CASE("gemm_fast matches a wide-accumulator reference on every kernel's shapes", "[fast]", float, double) {
  using T = TestType;
  UniformPool<T> pool(20240611u);
  nnfs::detail::GemmWorkspace<T> ws;  // one workspace across all shapes, as a layer keeps it
  Mat<T> out;
  const Index ns[] = {1, 2, 3, 4, 5, 7, 13, 24, 100, 257};
  const Index ms[] = {1, 2, 3, 7, 8, 10, 15, 16, 17, 33, 64, 128, 130, 513, 600};
  const Index ks[] = {1, 2, 3, 16, 17, 64, 300, 784};
  Index shapes = 0;
  for (Index n : ns)
    for (Index m : ms)
      for (Index k : ks) {
        // keeps the test short (also under sanitizers); every branch is still reached, and the
        // larger products are in the next test
        if (n * m * k > 300000) continue;
        const Mat<T> a = pool.matrix(n, k);
        const Mat<T> b = pool.matrix(k, m);
        const Mat<T> bias = pool.matrix(1, m);
        check_gemm_all_layouts(a, b, bias, ws, out);
        ++shapes;
      }
  REQUIRE(shapes > 1000);
}

TEMPLATE_TEST_CASE("gemm_fast on large products against the reference", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(99u);
  nnfs::detail::GemmWorkspace<T> ws;
  Mat<T> out;
  // deep k in several tile_depth chunks, rows not a multiple of the tile, wide m in gebp
  const Index shapes[][3] = {{257, 784, 33}, {100, 784, 128}, {31, 600, 130}, {13, 300, 600},
                             {257, 64, 513}, {100, 300, 17}, {257, 300, 7}, {257, 64, 15}};
  for (const auto& s : shapes) {
    const Mat<T> a = random_matrix<T>(s[0], s[1], gen);
    const Mat<T> b = random_matrix<T>(s[1], s[2], gen);
    const Mat<T> bias = random_matrix<T>(1, s[2], gen);
    Reference plain;
    Reference biased;
    reference_products(a, b, bias, plain, biased);
    Mat<T> buffer_a;
    Mat<T> buffer_b;
    check_gemm_layout<Eigen::RowMajor, Eigen::RowMajor>(a, b, bias, plain, biased, 0, ws, out, buffer_a, buffer_b);
    check_gemm_layout<Eigen::ColMajor, Eigen::RowMajor>(a, b, bias, plain, biased, 3, ws, out, buffer_a, buffer_b);
    check_gemm_layout<Eigen::RowMajor, Eigen::ColMajor>(a, b, bias, plain, biased, 3, ws, out, buffer_a, buffer_b);
    check_gemm_layout<Eigen::ColMajor, Eigen::ColMajor>(a, b, bias, plain, biased, 0, ws, out, buffer_a, buffer_b);
  }
}

TEMPLATE_TEST_CASE("gemm_fast with k == 0 gives the bias row or zeros", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(5u);
  nnfs::detail::GemmWorkspace<T> ws;
  Mat<T> out;
  for (Index n : {Index(1), Index(3), Index(5), Index(40)})
    for (Index m : {Index(1), Index(3), Index(8), Index(17), Index(600)}) {
      const Mat<T> a(n, 0);
      const Mat<T> b(0, m);
      const Mat<T> bias = random_matrix<T>(1, m, gen);
      check_gemm_all_layouts(a, b, bias, ws, out);
      // the reference of an empty sum is exactly 0 (+ bias): no rounding is involved
      nnfs::detail::gemm_fast(out, nnfs::detail::operand(a), nnfs::detail::operand(b), ws, bias.data());
      for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < m; ++j) REQUIRE(out(i, j) == bias(0, j));
      nnfs::detail::gemm_fast(out, nnfs::detail::operand(a), nnfs::detail::operand(b), ws);
      for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < m; ++j) REQUIRE(out(i, j) == T(0));
    }
}

// 2. Steady state: same shapes, same buffers, same bits.
TEMPLATE_TEST_CASE("gemm_fast reuses its buffers and gives the same bits twice", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(11u);
  // one shape per branch: (n, k, m)
  const Index shapes[][3] = {{3, 64, 17},     // rows_kernel, few rows
                             {100, 3, 33},    // rows_kernel, shallow k
                             {100, 64, 3},    // dots_kernel (row-major A) / transposed path (column-major A)
                             {64, 100, 1},    // one output column
                             {100, 300, 128}, // tiles_kernel
                             {24, 64, 600}};  // Eigen's gebp
  for (const auto& s : shapes) {
    const Mat<T> a = random_matrix<T>(s[0], s[1], gen);
    const Mat<T> b = random_matrix<T>(s[1], s[2], gen);
    const Mat<T> bias = random_matrix<T>(1, s[2], gen);
    for (bool with_bias : {false, true}) {
      check_gemm_repeat<Eigen::RowMajor, Eigen::RowMajor>(a, b, bias, with_bias);
      check_gemm_repeat<Eigen::RowMajor, Eigen::ColMajor>(a, b, bias, with_bias);
      check_gemm_repeat<Eigen::ColMajor, Eigen::RowMajor>(a, b, bias, with_bias);
      check_gemm_repeat<Eigen::ColMajor, Eigen::ColMajor>(a, b, bias, with_bias);
    }
  }
}

TEMPLATE_TEST_CASE("kernels::matmul and matmul_add_row in fast mode match the reference", "[fast]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope fast(nnfs::Numerics::fast);
  std::mt19937 gen(13u);
  nnfs::kernels::DotScratch<T> scratch;
  Mat<T> out;
  const Index shapes[][3] = {{1, 2, 3}, {5, 17, 10}, {100, 64, 3}, {64, 100, 3}, {24, 300, 130}, {7, 16, 600}};
  for (const auto& s : shapes) {
    const Index n = s[0];
    const Index k = s[1];
    const Index m = s[2];
    const Mat<T> a = random_matrix<T>(n, k, gen);
    const Mat<T> b = random_matrix<T>(k, m, gen);
    const Mat<T> bias = random_matrix<T>(1, m, gen);
    const Mat<T> at = a.transpose();
    const Mat<T> bt = b.transpose();
    const Reference ref = reference_product(a, b);
    const std::string what = describe(n, k, m, Eigen::RowMajor, Eigen::RowMajor, 0, false);
    nnfs::kernels::matmul(out, a, b, scratch);
    REQUIRE(first_failure(out, ref, what + ", Transpose::none") == "");
    nnfs::kernels::matmul(out, at, b, scratch, nnfs::kernels::Transpose::lhs);
    REQUIRE(first_failure(out, ref, what + ", Transpose::lhs") == "");
    nnfs::kernels::matmul(out, a, bt, scratch, nnfs::kernels::Transpose::rhs);
    REQUIRE(first_failure(out, ref, what + ", Transpose::rhs") == "");
    nnfs::kernels::matmul_add_row(out, a, b, bias, scratch);
    REQUIRE(first_failure(out, reference_product(a, b, bias.data()), what + ", matmul_add_row") == "");
  }
}

// 3. Reductions.
TEMPLATE_TEST_CASE("fast col_sums and row_sums match long double sums", "[fast]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope fast(nnfs::Numerics::fast);
  std::mt19937 gen(17u);
  for (Index rows : {Index(0), Index(1), Index(5), Index(300)})
    for (Index cols : {Index(1), Index(3), Index(15), Index(16), Index(17), Index(100)}) {
      const Mat<T> m = random_matrix<T>(rows, cols, gen);
      const std::string what = "col_sums of " + nnfs::shape_str(rows, cols);
      Mat<T> sums;
      sums.setConstant(1, cols, nan_value<T>());  // an element not written stays NaN and fails
      nnfs::kernels::col_sums(m, sums);
      REQUIRE(first_failure(sums, reference_col_sums(m), what) == "");
      if (rows == 0) continue;
      const Mat<T> mt = m.transpose();
      const Reference row_ref = reference_col_sums(mt);  // 1 × rows
      Reference as_column = row_ref;
      as_column.rows = rows;
      as_column.cols = 1;
      nnfs::Vector<T> row_totals;
      row_totals.setConstant(rows, nan_value<T>());
      nnfs::kernels::row_sums(m, row_totals);
      REQUIRE(first_failure(row_totals, as_column, "row_sums of " + nnfs::shape_str(rows, cols)) == "");
    }
}

// 4. Adam.
namespace {

// adam.hpp's book-mode expression, one element at a time, every product, quotient and sum
// rounded to T and stored (volatile: nothing fused or kept wider):
//   m ← β1·m + c1·g,  v ← β2·v + c2·(g·g),  p ← p + (−lr·(m / m_corr)) / (√(v / v_corr) + ε)
template <class T>
void adam_reference(std::size_t n, T* p, const T* g, T* m, T* v, T beta1, T c1, T beta2, T c2, T m_correction,
                    T v_correction, T neg_lr, T epsilon) {
  for (std::size_t i = 0; i < n; ++i) {
    volatile T b1m = beta1 * m[i];
    volatile T c1g = c1 * g[i];
    volatile T new_m = b1m + c1g;
    volatile T gg = g[i] * g[i];
    volatile T b2v = beta2 * v[i];
    volatile T c2gg = c2 * gg;
    volatile T new_v = b2v + c2gg;
    volatile T m_hat = new_m / m_correction;
    volatile T numerator = neg_lr * m_hat;
    volatile T v_hat = new_v / v_correction;
    volatile T root = std::sqrt(static_cast<T>(v_hat));
    volatile T denominator = root + epsilon;
    volatile T step = numerator / denominator;
    volatile T new_p = p[i] + step;
    m[i] = new_m;
    v[i] = new_v;
    p[i] = new_p;
  }
}

template <class T>
bool any_nan(const std::vector<T>& a) {
  for (T x : a)
    if (std::isnan(x)) return true;
  return false;
}

}  // namespace

TEMPLATE_TEST_CASE("kernels::adam_update is bitwise the scalar book expression", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(23u);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  const double beta_1 = 0.9;
  const double beta_2 = 0.999;
  const double learning_rate = 0.001;
  const T tiny_values[] = {std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::min() / T(3), T(-1e-30)};
  // |g| above √max: g·g overflows to +inf, v becomes inf and the step +-0 (no NaN: m/m_corr stays finite)
  const T huge = std::sqrt(std::numeric_limits<T>::max()) * T(4);
  for (std::size_t n : {std::size_t(1), std::size_t(7), std::size_t(8), std::size_t(15), std::size_t(16),
                        std::size_t(17), std::size_t(100), std::size_t(1000)}) {
    std::vector<T> p(n), m(n), v(n);
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = static_cast<T>(unit(gen));
      // some elements start with nonzero moments (a later step), some from zero
      m[i] = i % 3 == 0 ? T(0) : static_cast<T>(0.01 * unit(gen));
      v[i] = i % 3 == 0 ? T(0) : static_cast<T>(1e-4 * std::fabs(unit(gen)));
    }
    std::vector<T> p_ref = p, m_ref = m, v_ref = v;
    for (int t = 1; t <= 4; ++t) {
      std::vector<T> g(n);
      for (std::size_t i = 0; i < n; ++i) {
        switch ((i + static_cast<std::size_t>(t)) % 7) {
          case 0: g[i] = T(0); break;
          case 1: g[i] = tiny_values[i % 4]; break;
          case 2: g[i] = (i % 2 == 0 ? huge : -huge); break;
          case 3: g[i] = static_cast<T>(1e-3 * unit(gen)); break;
          default: g[i] = static_cast<T>(unit(gen)); break;
        }
      }
      const T beta1 = static_cast<T>(beta_1);
      const T c1 = static_cast<T>(1.0 - beta_1);
      const T beta2 = static_cast<T>(beta_2);
      const T c2 = static_cast<T>(1.0 - beta_2);
      const T m_correction = static_cast<T>(1.0 - std::pow(beta_1, static_cast<double>(t)));
      const T v_correction = static_cast<T>(1.0 - std::pow(beta_2, static_cast<double>(t)));
      const T neg_lr = static_cast<T>(-learning_rate);
      const T epsilon = static_cast<T>(1e-7);
      nnfs::ops::fast::adam_update(static_cast<Index>(n), p.data(), g.data(), m.data(), v.data(), beta1, c1, beta2, c2,
                                 m_correction, v_correction, neg_lr, epsilon);
      adam_reference(n, p_ref.data(), g.data(), m_ref.data(), v_ref.data(), beta1, c1, beta2, c2, m_correction,
                     v_correction, neg_lr, epsilon);
      INFO("n = " << n << ", step " << t);
      // bitwise comparison is meaningful: no NaN is involved
      REQUIRE(!any_nan(p_ref));
      REQUIRE(!any_nan(m_ref));
      REQUIRE(!any_nan(v_ref));
      REQUIRE(same_bits(m, m_ref));
      REQUIRE(same_bits(v, v_ref));
      REQUIRE(same_bits(p, p_ref));
    }
  }
}

TEMPLATE_TEST_CASE("Adam in fast mode takes bitwise the book mode's steps on a Dense layer", "[fast]", float,
                   double) {
  using T = TestType;
  std::mt19937 gen(29u);
  nnfs::RandomState rng(4);
  nnfs::Dense<T> fast_layer(13, 37, nnfs::Regularization{}, 0.1, rng);
  fill_uniform(fast_layer.biases, gen);
  nnfs::Dense<T> book_layer = fast_layer;
  nnfs::Adam fast_adam(0.02, 1e-3);
  nnfs::Adam book_adam(0.02, 1e-3);
  for (int step = 0; step < 6; ++step) {
    const Mat<T> dweights = random_matrix<T>(13, 37, gen);
    Mat<T> dbiases = random_matrix<T>(1, 37, gen);
    dbiases(0, 5) = T(0);  // a zero gradient
    fast_layer.dweights = dweights;
    fast_layer.dbiases = dbiases;
    book_layer.dweights = dweights;
    book_layer.dbiases = dbiases;
    {
      const nnfs::NumericsScope mode(nnfs::Numerics::fast);
      fast_adam.step(fast_layer);
    }
    {
      const nnfs::NumericsScope mode(nnfs::Numerics::book);
      book_adam.step(book_layer);
    }
    INFO("step " << step);
    REQUIRE(same_bits(fast_layer.weight_momentums, book_layer.weight_momentums));
    REQUIRE(same_bits(fast_layer.weight_cache, book_layer.weight_cache));
    REQUIRE(same_bits(fast_layer.bias_momentums, book_layer.bias_momentums));
    REQUIRE(same_bits(fast_layer.bias_cache, book_layer.bias_cache));
    REQUIRE(same_bits(fast_layer.weights, book_layer.weights));
    REQUIRE(same_bits(fast_layer.biases, book_layer.biases));
  }
}

// 5. Dense::forward from every kind of input.
namespace {

// A copy of `proto` run forward on `input` and backward on `dvalues`, checked against the
// references; returns the layer for comparisons between input forms.
template <class T, class D>
nnfs::Dense<T> forward_backward(const nnfs::Dense<T>& proto, const Eigen::MatrixBase<D>& input, const Mat<T>& x,
                                const Mat<T>& dvalues, const Reference& out_ref, const Reference& dw_ref,
                                const Reference& db_ref, const std::string& what) {
  nnfs::Dense<T> layer = proto;
  layer.forward(input);
  REQUIRE(first_failure(layer.output, out_ref, what + ": output") == "");
  REQUIRE(same_bits(layer.inputs(), x));  // the copy kept for backward is exact
  layer.backward(dvalues);
  REQUIRE(first_failure(layer.dweights, dw_ref, what + ": dweights") == "");
  REQUIRE(first_failure(layer.dbiases, db_ref, what + ": dbiases") == "");
  return layer;
}

// |a - b| within the product bound of `ref` (both are approximations of the same reference).
template <class T>
std::string close_to(const Mat<T>& got, const Mat<T>& other, const Reference& ref, const std::string& what) {
  Reference around = ref;
  for (Index i = 0; i < other.size(); ++i) around.value[as_size(i)] = static_cast<double>(other.data()[i]);
  return first_failure(got, around, what);
}

}  // namespace

TEMPLATE_TEST_CASE("Dense forward in fast mode reads every input form alike", "[fast]", float, double) {
  using T = TestType;
  using Other = std::conditional_t<std::is_same_v<T, float>, double, float>;
  const nnfs::NumericsScope fast(nnfs::Numerics::fast);
  std::mt19937 gen(31u);
  // (samples, inputs, neurons): rows_kernel, dots_kernel, tiles_kernel, gebp, shallow k
  const Index shapes[][3] = {{1, 2, 3}, {3, 17, 33}, {5, 4, 600}, {7, 20, 600}, {64, 784, 10},
                             {100, 2, 64}, {24, 64, 128}, {7, 33, 3}, {13, 20, 1}};
  for (const auto& s : shapes) {
    const Index samples = s[0];
    const Index in = s[1];
    const Index out = s[2];
    nnfs::RandomState rng(3);
    nnfs::Dense<T> proto(in, out, nnfs::Regularization{}, 0.1, rng);
    fill_uniform(proto.biases, gen);
    // float values, so that a float or a double copy of the inputs holds the same numbers
    const Mat<float> x32 = random_matrix<float>(samples, in, gen);
    // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): a conversion unless T is float
    const Mat<T> x = x32.template cast<T>();
    const Mat<T> dvalues = random_matrix<T>(samples, out, gen);
    const Reference out_ref = reference_product(x, proto.weights, proto.biases.data());
    const Mat<T> xt = x.transpose();
    const Reference dw_ref = reference_product(xt, dvalues);
    const Reference db_ref = reference_col_sums(dvalues);
    const std::string shape = nnfs::shape_str(samples, in) + " into " + std::to_string(out) + " neurons";

    // (a) a matrix
    const nnfs::Dense<T> base = forward_backward(proto, x, x, dvalues, out_ref, dw_ref, db_ref, shape + ", matrix");

    // (b) blocks of rows of bigger matrices (NaN around them), and a block with an outer stride
    Mat<T> tall_top;
    tall_top.setConstant(samples + 3, in, nan_value<T>());
    tall_top.topRows(samples) = x;
    Mat<T> tall_middle;
    tall_middle.setConstant(samples + 4, in, nan_value<T>());
    tall_middle.middleRows(2, samples) = x;
    Mat<T> wide;
    wide.setConstant(samples + 2, in + 3, nan_value<T>());
    wide.block(1, 2, samples, in) = x;
    // (c) a map of a std::vector
    const std::vector<T> flat(x.data(), x.data() + x.size());
    // (d) column-major storage, an expression, the other scalar type
    const ColMat<T> x_col = x;
    // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): a conversion unless Other is float
    const Mat<Other> x_other = x32.template cast<Other>();

    std::vector<nnfs::Dense<T>> layers;
    layers.push_back(forward_backward(proto, tall_top.topRows(samples), x, dvalues, out_ref, dw_ref, db_ref,
                                      shape + ", topRows"));
    layers.push_back(forward_backward(proto, tall_middle.middleRows(2, samples), x, dvalues, out_ref, dw_ref, db_ref,
                                      shape + ", middleRows"));
    layers.push_back(forward_backward(proto, wide.block(1, 2, samples, in), x, dvalues, out_ref, dw_ref, db_ref,
                                      shape + ", block with outer stride"));
    layers.push_back(forward_backward(proto, Eigen::Map<const Mat<T>>(flat.data(), samples, in), x, dvalues, out_ref,
                                      dw_ref, db_ref, shape + ", Map"));
    layers.push_back(forward_backward(proto, x_col, x, dvalues, out_ref, dw_ref, db_ref, shape + ", column-major"));
    layers.push_back(forward_backward(proto, (x.array() * T(1)).matrix(), x, dvalues, out_ref, dw_ref, db_ref,
                                      shape + ", expression"));
    layers.push_back(forward_backward(proto, x_other, x, dvalues, out_ref, dw_ref, db_ref, shape + ", other scalar"));
    for (std::size_t v = 0; v < layers.size(); ++v) {
      INFO(shape << ", input form " << v);
      REQUIRE(close_to(layers[v].output, base.output, out_ref, "output vs the matrix input's") == "");
      // backward reads the same kept inputs and the same dvalues: the same gradients
      REQUIRE(same_bits(layers[v].dweights, base.dweights));
      REQUIRE(same_bits(layers[v].dbiases, base.dbiases));
      REQUIRE(same_bits(layers[v].dinputs, base.dinputs));
    }
  }
}

TEMPLATE_TEST_CASE("Dense forward on its own inputs or output is correct", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(37u);
  for (nnfs::Numerics mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::fast ? "fast" : "book") << " numerics");
    for (Index in : {Index(3), Index(17), Index(64)}) {
      nnfs::RandomState rng(8);
      nnfs::Dense<T> layer(in, in, nnfs::Regularization{}, 0.1, rng);  // square: output can be fed back
      fill_uniform(layer.biases, gen);
      const Mat<T> x = random_matrix<T>(12, in, gen);
      layer.forward(x);

      // fewer rows of its own inputs: topRows, middleRows
      Mat<T> copy = layer.inputs().topRows(5);
      layer.forward(layer.inputs().topRows(5));
      REQUIRE(same_bits(layer.inputs(), copy));
      REQUIRE(first_failure(layer.output, reference_product(copy, layer.weights, layer.biases.data()),
                            "forward(inputs().topRows(5))") == "");
      copy = layer.inputs().middleRows(1, 3);
      layer.forward(layer.inputs().middleRows(1, 3));
      REQUIRE(same_bits(layer.inputs(), copy));
      REQUIRE(first_failure(layer.output, reference_product(copy, layer.weights, layer.biases.data()),
                            "forward(inputs().middleRows(1, 3))") == "");

      // all of its own inputs (same shape)
      copy = layer.inputs();
      layer.forward(layer.inputs());
      REQUIRE(same_bits(layer.inputs(), copy));
      REQUIRE(first_failure(layer.output, reference_product(copy, layer.weights, layer.biases.data()),
                            "forward(inputs())") == "");

      // its own output, whole and in part
      layer.forward(x);
      copy = layer.output;
      layer.forward(layer.output);
      REQUIRE(same_bits(layer.inputs(), copy));
      REQUIRE(first_failure(layer.output, reference_product(copy, layer.weights, layer.biases.data()),
                            "forward(output)") == "");
      copy = layer.output.topRows(4);
      layer.forward(layer.output.topRows(4));
      REQUIRE(same_bits(layer.inputs(), copy));
      REQUIRE(first_failure(layer.output, reference_product(copy, layer.weights, layer.biases.data()),
                            "forward(output.topRows(4))") == "");

      // backward after an overlapping forward differentiates the kept copy
      const Mat<T> dvalues = random_matrix<T>(4, in, gen);
      layer.backward(dvalues);
      const Mat<T> copy_t = copy.transpose();
      REQUIRE(first_failure(layer.dweights, reference_product(copy_t, dvalues), "dweights") == "");
    }
  }
}

// 6. backward_parameters.
TEMPLATE_TEST_CASE("Dense backward_parameters equals backward and leaves dinputs alone", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(41u);
  nnfs::Regularization reg;
  reg.weight_l1 = 1e-3;
  reg.weight_l2 = 5e-3;
  reg.bias_l1 = 2e-3;
  reg.bias_l2 = 1e-2;
  const Index shapes[][3] = {{6, 4, 3}, {50, 17, 33}, {9, 2, 64}, {3, 784, 10}, {40, 64, 600}};
  for (nnfs::Numerics mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    for (const auto& s : shapes)
      for (bool regularized : {false, true}) {
        INFO((mode == nnfs::Numerics::fast ? "fast" : "book") << " numerics, " << nnfs::shape_str(s[0], s[1])
                                                               << " into " << s[2]
                                                               << (regularized ? ", regularized" : ""));
        nnfs::RandomState rng(12);
        nnfs::Dense<T> full(s[1], s[2], regularized ? reg : nnfs::Regularization{}, 0.1, rng);
        fill_uniform(full.biases, gen);
        nnfs::Dense<T> params = full;
        const Mat<T> x = random_matrix<T>(s[0], s[1], gen);
        const Mat<T> dvalues = random_matrix<T>(s[0], s[2], gen);
        full.forward(x);
        params.forward(x);
        full.backward(dvalues);

        // a sentinel of another shape: backward_parameters must not resize or write it
        const Mat<T> sentinel = random_matrix<T>(2, 5, gen);
        params.dinputs = sentinel;
        const T* sentinel_data = params.dinputs.data();
        params.backward_parameters(dvalues);
        REQUIRE(same_bits(params.dweights, full.dweights));
        REQUIRE(same_bits(params.dbiases, full.dbiases));
        REQUIRE(params.dinputs.data() == sentinel_data);
        REQUIRE(same_bits(params.dinputs, sentinel));

        // dvalues given as an expression: the same
        params.backward_parameters((dvalues.array() * T(1)).matrix());
        REQUIRE(same_bits(params.dweights, full.dweights));
        REQUIRE(same_bits(params.dbiases, full.dbiases));
        REQUIRE(same_bits(params.dinputs, sentinel));

        // and the unregularized gradients are the products
        if (!regularized) {
          const Mat<T> xt = x.transpose();
          REQUIRE(first_failure(params.dweights, reference_product(xt, dvalues), "dweights") == "");
          REQUIRE(first_failure(params.dbiases, reference_col_sums(dvalues), "dbiases") == "");
        }
      }
  }
}

// 7. ReLU.
namespace {

// max(0, x) as np.maximum(0, x): NaN stays NaN, −0 and negatives become +0.
template <class T>
T relu_reference(T x) {
  if (std::isnan(x)) return x;
  return x > T(0) ? x : T(0);
}

// The gradient passes where the input is > 0 or NaN (the book's mask is inputs <= 0 → 0), else +0.
template <class T>
T relu_gradient_reference(T x, T d) {
  return (std::isnan(x) || x > T(0)) ? d : T(0);
}

// "" when got(i) is expected(i) bit for bit, or both NaN.
template <class T>
std::string bits_failure(const Mat<T>& got, const Mat<T>& expected, const std::string& what) {
  if (got.rows() != expected.rows() || got.cols() != expected.cols())
    return what + ": shape " + nnfs::shape_str(got) + ", expected " + nnfs::shape_str(expected);
  for (Index i = 0; i < got.size(); ++i) {
    const T g = got.data()[i];
    const T e = expected.data()[i];
    const bool ok = std::isnan(e) ? std::isnan(g) : std::memcmp(&g, &e, sizeof(T)) == 0;
    if (!ok) return what + ": element " + std::to_string(i) + " is " + show(g) + ", expected " + show(e);
  }
  return {};
}

template <class T>
Mat<T> relu_of(const Mat<T>& x) {
  Mat<T> r(x.rows(), x.cols());
  for (Index i = 0; i < x.size(); ++i) r.data()[i] = relu_reference(x.data()[i]);
  return r;
}

template <class T>
Mat<T> relu_gradient_of(const Mat<T>& x, const Mat<T>& d) {
  Mat<T> r(x.rows(), x.cols());
  for (Index i = 0; i < x.size(); ++i) r.data()[i] = relu_gradient_reference(x.data()[i], d.data()[i]);
  return r;
}

// Inputs with every special case: NaN, ±inf, ±0, subnormals, then uniform values.
template <class T>
Mat<T> relu_inputs(Index rows, Index cols, std::mt19937& gen) {
  Mat<T> x = random_matrix<T>(rows, cols, gen);
  const T specials[] = {nan_value<T>(),
                        -nan_value<T>(),
                        std::numeric_limits<T>::infinity(),
                        -std::numeric_limits<T>::infinity(),
                        T(0),
                        -T(0),
                        std::numeric_limits<T>::denorm_min(),
                        -std::numeric_limits<T>::denorm_min(),
                        std::numeric_limits<T>::min(),
                        -std::numeric_limits<T>::max()};
  Index at = 0;
  for (T v : specials) {
    x.data()[at] = v;
    at += 3;  // spread over rows and packet lanes
  }
  x(rows - 1, cols - 1) = T(0);
  return x;
}

}  // namespace

TEMPLATE_TEST_CASE("ReLU matrix and expression paths agree with the NaN and zero rules", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(43u);
  for (nnfs::Numerics mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    for (Index cols : {Index(13), Index(16), Index(64)}) {
      const Index rows = 9;
      INFO((mode == nnfs::Numerics::fast ? "fast" : "book") << " numerics, " << nnfs::shape_str(rows, cols));
      const Mat<T> x = relu_inputs<T>(rows, cols, gen);
      Mat<T> d = random_matrix<T>(rows, cols, gen);
      d.data()[4 * 3] = T(7);  // a nonzero gradient where the input is +0 (and below, −0)
      d.data()[5 * 3] = T(-3);
      const Mat<T> out_ref = relu_of(x);
      const Mat<T> grad_ref = relu_gradient_of(x, d);

      // the matrix path
      nnfs::ReLU<T> by_matrix;
      by_matrix.forward(x);
      REQUIRE(bits_failure(by_matrix.output, out_ref, "forward(matrix)") == "");
      REQUIRE(bits_failure(by_matrix.inputs(), x, "inputs() after forward(matrix)") == "");
      by_matrix.backward(d);
      REQUIRE(bits_failure(by_matrix.dinputs, grad_ref, "backward(matrix)") == "");

      // the expression path: a block of a bigger matrix, a Map, an expression
      Mat<T> big;
      big.setConstant(rows + 2, cols + 3, T(5));
      big.block(1, 2, rows, cols) = x;
      Mat<T> big_d;
      big_d.setConstant(rows + 2, cols + 3, T(5));
      big_d.block(1, 2, rows, cols) = d;
      nnfs::ReLU<T> by_block;
      by_block.forward(big.block(1, 2, rows, cols));
      REQUIRE(bits_failure(by_block.output, out_ref, "forward(block)") == "");
      REQUIRE(bits_failure(by_block.inputs(), x, "inputs() after forward(block)") == "");
      by_block.backward(big_d.block(1, 2, rows, cols));
      REQUIRE(bits_failure(by_block.dinputs, grad_ref, "backward(block)") == "");

      const std::vector<T> flat_x(x.data(), x.data() + x.size());
      const std::vector<T> flat_d(d.data(), d.data() + d.size());
      nnfs::ReLU<T> by_map;
      by_map.forward(Eigen::Map<const Mat<T>>(flat_x.data(), rows, cols));
      REQUIRE(bits_failure(by_map.output, out_ref, "forward(Map)") == "");
      by_map.backward(Eigen::Map<const Mat<T>>(flat_d.data(), rows, cols));
      REQUIRE(bits_failure(by_map.dinputs, grad_ref, "backward(Map)") == "");

      nnfs::ReLU<T> by_expression;
      by_expression.forward((x.array() * T(1)).matrix());
      REQUIRE(bits_failure(by_expression.output, out_ref, "forward(expression)") == "");
      by_expression.backward((d.array() * T(1)).matrix());
      REQUIRE(bits_failure(by_expression.dinputs, grad_ref, "backward(expression)") == "");

      // mixed: matrix forward, expression backward and the other way round
      by_matrix.backward(big_d.block(1, 2, rows, cols));
      REQUIRE(bits_failure(by_matrix.dinputs, grad_ref, "matrix forward, block backward") == "");
      by_block.backward(d);
      REQUIRE(bits_failure(by_block.dinputs, grad_ref, "block forward, matrix backward") == "");
    }
  }
}

TEMPLATE_TEST_CASE("ReLU forward on its own output or inputs", "[fast]", float, double) {
  using T = TestType;
  std::mt19937 gen(47u);
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  const Mat<T> x = relu_inputs<T>(8, 17, gen);
  const Mat<T> d = random_matrix<T>(8, 17, gen);
  nnfs::ReLU<T> relu;
  relu.forward(x);
  const Mat<T> first = relu_of(x);

  // its whole output: output = relu(relu(x)), inputs() = the old output
  relu.forward(relu.output);
  REQUIRE(bits_failure(relu.inputs(), first, "inputs() after forward(output)") == "");
  REQUIRE(bits_failure(relu.output, relu_of(first), "forward(output)") == "");
  relu.backward(d);
  REQUIRE(bits_failure(relu.dinputs, relu_gradient_of(first, d), "backward after forward(output)") == "");

  // its whole inputs
  relu.forward(x);
  relu.forward(relu.inputs());
  REQUIRE(bits_failure(relu.inputs(), x, "inputs() after forward(inputs())") == "");
  REQUIRE(bits_failure(relu.output, first, "forward(inputs())") == "");

  // part of its output or inputs (the expression path, shape changes)
  const Mat<T> top = first.topRows(3);
  relu.forward(relu.output.topRows(3));
  REQUIRE(bits_failure(relu.inputs(), top, "inputs() after forward(output.topRows(3))") == "");
  REQUIRE(bits_failure(relu.output, relu_of(top), "forward(output.topRows(3))") == "");
  relu.forward(x);
  const Mat<T> middle = x.middleRows(2, 4);
  relu.forward(relu.inputs().middleRows(2, 4));
  REQUIRE(bits_failure(relu.inputs(), middle, "inputs() after forward(inputs().middleRows(2, 4))") == "");
  REQUIRE(bits_failure(relu.output, relu_of(middle), "forward(inputs().middleRows(2, 4))") == "");
  const Mat<T> d_middle = d.middleRows(2, 4);
  relu.backward(d_middle);
  REQUIRE(bits_failure(relu.dinputs, relu_gradient_of(middle, d_middle), "backward after the partial forward") ==
          "");
}
