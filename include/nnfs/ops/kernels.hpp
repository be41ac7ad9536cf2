// nnfs/ops/kernels.hpp — how the layers compute: the book's rules and the fast path.
//
// A layer header says *what* it computes (the formula); this header says *how*. Every kernel
// has two implementations selected by nnfs::numerics():
//
//   Numerics::book  reproduces `nnfs.init()` + NumPy bit for bit (book-numerics.md, section 1):
//                   - dot products: operands widened to double, accumulated in double, the result
//                     rounded to T once (for float: exactly what nnfs's patched np.dot does);
//                   - exp/log: evaluated in double and rounded once (correctly rounded float32);
//                   - whole-array / last-axis sums: NumPy's pairwise summation in T;
//                     column sums (axis 0): row by row in order; means: T(double(sum) / n).
//   Numerics::fast  lets Eigen vectorize in T (products through its GEMM, SIMD exp/log,
//                   tree reductions). Results differ from the book's in the last bits only.
//
// The book kernels are written as plain loops on purpose: they are the readable reference the
// fast path is tested against (tests/test_book_math.cpp).
//
// Kernels that need scratch space take it from the caller, so a layer that keeps its Scratch
// across calls allocates nothing once shapes are stable.
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/detail/fp.hpp"
#include "nnfs/ops/gemm.hpp"
#include "nnfs/types.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace nnfs::kernels {

// ---------------------------------------------------------------------------------------------
// Pairwise summation, exactly as NumPy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src):
//   n < 8:          sequential;
//   8 ≤ n ≤ 128:    eight strided partial sums r0..r7, combined ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)),
//                   then the remainder sequentially;
//   n > 128:        split at ⌊n/2⌋ rounded down to a multiple of 8, recurse on both halves.
// The accumulators have type T, as NumPy's float32 sum accumulates in float32.
template <class T>
T pairwise_sum(const T* a, Index n, Index stride = 1) {
  if (n < 8) {
    T res = T(0);
    for (Index i = 0; i < n; ++i) res += a[i * stride];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (Index j = 0; j < 8; ++j) r[j] = a[j * stride];
    Index i = 8;
    for (; i < n - (n % 8); i += 8)
      for (Index j = 0; j < 8; ++j) r[j] += a[(i + j) * stride];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i * stride];
    return res;
  }
  Index n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2, stride) + pairwise_sum(a + n2 * stride, n - n2, stride);
}

/// NumPy's np.sum of n contiguous (or strided) T values: the reduction runs through the ufunc
/// machinery in buffers of 8192 elements, each summed pairwise (pairwise_sum) and added to the
/// running total in order. For n ≤ 8192 that is one pairwise sum.
template <class T>
T numpy_sum(const T* a, Index n, Index stride = 1) {
  constexpr Index buffer = 8192;
  if (n <= buffer) return pairwise_sum(a, n, stride);
  T total = T(0);
  for (Index start = 0; start < n; start += buffer)
    total += pairwise_sum(a + start * stride, std::min(buffer, n - start), stride);
  return total;
}

/// exp evaluated in double and rounded once to T (correctly rounded for float).
template <class T>
T exp_rounded(T x) {
  return static_cast<T>(std::exp(static_cast<double>(x)));
}

/// log evaluated in double and rounded once to T.
template <class T>
T log_rounded(T x) {
  return static_cast<T>(std::log(static_cast<double>(x)));
}

/// np.maximum's rule: NaN propagates, the first operand wins ties.
template <class T>
T numpy_max(T a, T b) {
  return (a >= b || std::isnan(a)) ? a : b;
}

// ---------------------------------------------------------------------------------------------
/// Scratch space for products: Eigen's packing buffers for T, and for book-mode float products
/// the operands and result widened to double. Keep one per call site, so repeated calls with
/// the same shapes allocate nothing.
template <class T>
struct DotScratch {
  detail::GemmWorkspace<T> gemm;
  Matrix<double> a;
  Matrix<double> b;
  Matrix<double> c;
  detail::GemmWorkspace<double> wide_gemm;
};

/// Which operand of a product is read transposed (without copying it).
enum class Transpose { none, lhs, rhs };

namespace detail_ {
template <class S, class F>
void with_operands(const Matrix<S>& a, const Matrix<S>& b, Transpose t, F&& f) {
  switch (t) {
    case Transpose::none: f(detail::operand(a), detail::operand(b)); break;
    case Transpose::lhs: f(detail::operand_transposed(a), detail::operand(b)); break;
    case Transpose::rhs: f(detail::operand(a), detail::operand_transposed(b)); break;
  }
}
}  // namespace detail_

/// out = op(a) · op(b), where op transposes the operand named by `t`:
///   none: a·b,  lhs: aᵀ·b,  rhs: a·bᵀ.
/// Shapes must already agree (callers validate them and name them in their messages).
template <class T>
void matmul(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, DotScratch<T>& scratch,
            Transpose t = Transpose::none) {
  if (!book_mode()) {
    // The fast product: a kernel chosen by shape, threads when built with OpenMP.
    detail_::with_operands(a, b, t, [&](const auto& x, const auto& y) { detail::gemm_fast(out, x, y, scratch.gemm); });
    return;
  }
  if (std::is_same_v<T, double>) {
    // For double operands, accumulating in double is what the book does anyway.
    detail_::with_operands(a, b, t, [&](const auto& x, const auto& y) { detail::gemm(out, x, y, scratch.gemm); });
    return;
  }
  // nnfs's np.dot: a.astype(float64) @ b.astype(float64), then .astype(float32). float×float
  // products are exact in double, so only the accumulation order can differ from NumPy's BLAS,
  // by far less than one float32 ulp.
  scratch.a = a.template cast<double>();
  scratch.b = b.template cast<double>();
  detail_::with_operands(scratch.a, scratch.b, t,
                         [&](const auto& x, const auto& y) { detail::gemm(scratch.c, x, y, scratch.wide_gemm); });
  out = scratch.c.template cast<T>();
}

/// out = a·b + bias (bias a 1×m row added to every row): a Dense layer's forward pass. The book
/// numerics add the bias after the product, as NumPy does; the fast product starts from it.
template <class T>
void matmul_add_row(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, const Matrix<T>& bias,
                    DotScratch<T>& scratch) {
  if (!book_mode()) {
    detail::gemm_fast(out, detail::operand(a), detail::operand(b), scratch.gemm, bias.data());
    return;
  }
  matmul(out, a, b, scratch);
  out.rowwise() += bias.row(0);
}

/// out(j) = Σ_i m(i,j): a column sum (np.sum(m, axis=0, keepdims=True)), 1×cols. In book mode
/// as NumPy reduces the outer axis of a C-contiguous array: row by row in order — except for a
/// single column, which is contiguous in memory, so NumPy sums it pairwise like a 1-D array.
template <class T>
void col_sums(const Matrix<T>& m, Matrix<T>& out) {
  out.resize(1, m.cols());
  if (book_mode() && m.cols() == 1) {
    out(0, 0) = numpy_sum(m.data(), m.rows());
    return;
  }
  if (!book_mode() && m.cols() >= detail::fast::packet_size<T>) {
    // 1ᵀ·m with the vector kernel: the column sums held in registers across all rows.
    static const T one = T(1);
    detail::fast::rows_kernel(Index(1), m.cols(), m.rows(), &one, Index(0), Index(0), m.data(), m.outerStride(),
                              out.data(), out.outerStride(), static_cast<const T*>(nullptr));
    return;
  }
  // Adding whole rows walks the row-major memory in order and vectorizes across columns
  // (Eigen's colwise().sum() would stride down each column instead). Each column is summed row
  // by row, as NumPy does.
  out.setZero();
  T* o = out.data();
  const Index cols = m.cols();
  for (Index i = 0; i < m.rows(); ++i) {
    const T* r = m.data() + i * m.outerStride();
    for (Index j = 0; j < cols; ++j) o[j] += r[j];
  }
}

/// out(i) = mean_j m(i,j) (np.mean(m, axis=-1)): in book mode the pairwise row sum divided by the
/// column count in T, as NumPy's true_divide of a T array does.
template <class T>
void row_means(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  const T count = static_cast<T>(m.cols());
  if (book_mode()) {
    for (Index i = 0; i < m.rows(); ++i) out(i) = numpy_sum(m.data() + i * m.cols(), m.cols()) / count;
  } else {
    out.noalias() = m.rowwise().sum() / count;
  }
}

/// Σ of all elements (np.sum(m) of a contiguous array): pairwise over the flat array in book mode.
template <class T>
T sum(const Matrix<T>& m) {
  if (book_mode()) return numpy_sum(m.data(), m.size());
  return m.sum();
}

/// In place: m(i,j) = exp(m(i,j)).
template <class T>
void exp_inplace(Matrix<T>& m) {
  if (book_mode()) {
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = exp_rounded(m.data()[i]);
  } else {
    m.array() = m.array().exp();
  }
}

/// out(i) = Σ_j m(i,j): a last-axis sum (np.sum(m, axis=1)), pairwise per row in book mode.
template <class T>
void row_sums(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  if (book_mode()) {
    for (Index i = 0; i < m.rows(); ++i) out(i) = numpy_sum(m.data() + i * m.cols(), m.cols());
  } else if (m.cols() > 0 && m.cols() < 16) {
    // A few columns (the classes of a softmax): a plain loop; Eigen's row-wise reduction pays
    // a dynamic-size setup per row.
    for (Index i = 0; i < m.rows(); ++i) {
      const T* r = m.data() + i * m.outerStride();
      T s = r[0];
      for (Index j = 1; j < m.cols(); ++j) s += r[j];
      out(i) = s;
    }
  } else {
    out.noalias() = m.rowwise().sum();
  }
}

/// out(i) = max_j m(i,j) (np.max(m, axis=1)); NaN propagates in both modes.
template <class T>
void row_max(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  for (Index i = 0; i < m.rows(); ++i) {
    T best = m(i, 0);
    for (Index j = 1; j < m.cols(); ++j) best = numpy_max(best, m(i, j));
    out(i) = best;
  }
}

/// np.mean of a whole vector: T(double(pairwise sum) / n) in book mode.
template <class T>
T mean(const Vector<T>& v) {
  if (book_mode()) {
    const T sum = numpy_sum(v.data(), v.size());
    return static_cast<T>(static_cast<double>(sum) / static_cast<double>(v.size()));
  }
  return v.sum() / static_cast<T>(v.size());
}

/// In place: v(i) = −log(v(i)).
template <class T>
void negative_log_inplace(Vector<T>& v) {
  if (book_mode()) {
    for (Index i = 0; i < v.size(); ++i) v(i) = -log_rounded(v(i));
  } else {
    v.array() = -v.array().log();
  }
}

/// One Adam step over n elements — parameter p, gradient g, moments m and v — in a single
/// vectorized pass, with exactly the book's operations and rounding order (adam.hpp):
///     m ← β1·m + c1·g,   v ← β2·v + c2·(g·g),   p ← p + (−lr·(m / m_corr)) / (√(v / v_corr) + ε)
/// where c1 = 1−β1 and c2 = 1−β2 (rounded from double by the caller). Every product, quotient
/// and sum is rounded separately (no fused multiply-add) and √ is correctly rounded, so the
/// result is bit for bit the element-wise expression's, at vector speed.
template <class T>
void adam_update(Index n, T* p, const T* g, T* m, T* v, T beta1, T c1, T beta2, T c2, T m_correction,
                 T v_correction, T neg_lr, T epsilon) {
  Index i = 0;
#if NNFS_DETAIL_FAST_KERNELS
  namespace ei = Eigen::internal;
  using P = detail::fast::Packet<T>;
  constexpr Index S = detail::fast::packet_size<T>;
  const P b1 = ei::pset1<P>(beta1), b2 = ei::pset1<P>(beta2), pc1 = ei::pset1<P>(c1), pc2 = ei::pset1<P>(c2);
  const P mc = ei::pset1<P>(m_correction), vc = ei::pset1<P>(v_correction);
  const P lr = ei::pset1<P>(neg_lr), eps = ei::pset1<P>(epsilon);
  for (; i + S <= n; i += S) {
    const P gi = ei::ploadu<P>(g + i);
    const P mi = ei::padd(ei::pmul(b1, ei::ploadu<P>(m + i)), ei::pmul(pc1, gi));
    const P vi = ei::padd(ei::pmul(b2, ei::ploadu<P>(v + i)), ei::pmul(pc2, ei::pmul(gi, gi)));
    ei::pstoreu(m + i, mi);
    ei::pstoreu(v + i, vi);
    const P step = ei::pdiv(ei::pmul(lr, ei::pdiv(mi, mc)), ei::padd(detail::fast::psqrt_exact(ei::pdiv(vi, vc)), eps));
    ei::pstoreu(p + i, ei::padd(ei::ploadu<P>(p + i), step));
  }
#endif
  for (; i < n; ++i) {
    m[i] = detail::rounded(beta1 * m[i]) + detail::rounded(c1 * g[i]);
    v[i] = detail::rounded(beta2 * v[i]) + detail::rounded(c2 * detail::rounded(g[i] * g[i]));
    p[i] += detail::rounded(neg_lr * (m[i] / m_correction)) / (std::sqrt(v[i] / v_correction) + epsilon);
  }
}

}  // namespace nnfs::kernels
