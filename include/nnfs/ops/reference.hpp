// nnfs/ops/reference.hpp — the book's numerics, written as plain loops: the readable reference.
//
// Numerics::book reproduces `nnfs.init()` + NumPy bit for bit (book-numerics.md, section 1):
//   - dot products: operands widened to double, accumulated in double, the result rounded to T
//     once (for float: exactly what nnfs's patched np.dot does);
//   - exp/log: evaluated in double and rounded once (correctly rounded float32);
//   - whole-array / last-axis sums: NumPy's pairwise summation in T;
//     column sums (axis 0): row by row in order; means: T(double(sum) / n).
// Every operation here is what the book mode computes (ops.hpp selects it under
// Numerics::book), and the definition the fast implementations (fast.hpp) are tested against
// (tests/test_ops.cpp). matmul_naive is the product's definition as three loops; matmul
// computes the same double sums with Eigen's blocked kernel, in another order, before the
// single rounding to T.
#pragma once

#include "nnfs/ops/gemm.hpp"
#include "nnfs/ops/scratch.hpp"
#include "nnfs/types.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace nnfs::ops::reference {

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
/// The product's definition: out(i,j) = T(Σ_k double(op(a)(i,k))·double(op(b)(k,j))), summed in
/// k order and rounded once; op transposes the operand named by `t`. `out` must not be a or b.
template <class T>
void matmul_naive(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, Transpose t = Transpose::none) {
  detail::with_operands(a, b, t, [&out](const auto& x, const auto& y) {
    out.resize(x.rows, y.cols);
    for (Index i = 0; i < x.rows; ++i)
      for (Index j = 0; j < y.cols; ++j) {
        double acc = 0.0;
        for (Index k = 0; k < x.cols; ++k)
          acc += static_cast<double>(x.data[i * x.row_stride() + k * x.col_stride()]) *
                 static_cast<double>(y.data[k * y.row_stride() + j * y.col_stride()]);
        out(i, j) = static_cast<T>(acc);
      }
  });
}

/// out = op(a) · op(b) (none: a·b, lhs: aᵀ·b, rhs: a·bᵀ), the book's way: nnfs's np.dot is
/// a.astype(float64) @ b.astype(float64), then .astype(T). float×float products are exact in
/// double, so only the accumulation order can differ from matmul_naive's (and NumPy's BLAS), by
/// far less than one float32 ulp. Shapes must already agree.
template <class T>
void matmul(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, DotScratch<T>& scratch,
            Transpose t = Transpose::none) {
  if constexpr (std::is_same_v<T, double>) {
    // For double operands, accumulating in double is what the book does anyway.
    detail::with_operands(a, b, t, [&](const auto& x, const auto& y) { detail::gemm(out, x, y, scratch.gemm); });
  } else {
    scratch.a = a.template cast<double>();
    scratch.b = b.template cast<double>();
    detail::with_operands(scratch.a, scratch.b, t,
                          [&](const auto& x, const auto& y) { detail::gemm(scratch.c, x, y, scratch.wide_gemm); });
    out = scratch.c.template cast<T>();
  }
}

/// out = a·b + bias (bias a 1×m row added to every row), the bias added after the product as
/// NumPy does.
template <class T>
void matmul_add_row(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, const Matrix<T>& bias,
                    DotScratch<T>& scratch) {
  reference::matmul(out, a, b, scratch);
  out.rowwise() += bias.row(0);
}

/// out = x·b + bias for x a row-major view read where it is (nothing kept): a layer's forward
/// pass when nothing will be backpropagated. For float, x is widened to double kWidenRows rows
/// at a time instead of whole, so evaluating 10 000 images does not make a double copy of them.
/// The rows of a product are independent, and every block but the last has a multiple of 24
/// rows (the row panel of Eigen's kernel for double at every SIMD width): each row is then
/// summed by the same kernel, over the same depth blocks, as in one whole product — the same
/// bits as matmul_add_row (tests/test_ops.cpp compares them).
inline constexpr Index kWidenRows = 480;

template <class T>
void matmul_add_row_view(Matrix<T>& out, const detail::Operand<T, Eigen::RowMajor>& x, const Matrix<T>& b,
                         const Matrix<T>& bias, DotScratch<T>& scratch) {
  if constexpr (std::is_same_v<T, double>) {
    detail::gemm(out, x, detail::operand(b), scratch.gemm);
  } else {
    using View = Eigen::Map<const Matrix<T>, 0, Eigen::OuterStride<>>;
    const Index block = std::min(x.rows, kWidenRows);
    scratch.b = b.template cast<double>();
    scratch.a.resize(block, x.cols);
    scratch.c.resize(block, b.cols());
    out.resize(x.rows, b.cols());
    for (Index first = 0; first < x.rows; first += block) {
      const Index rows = std::min(block, x.rows - first);
      scratch.a.topRows(rows) =
          View(x.data + first * x.outer_stride, rows, x.cols, Eigen::OuterStride<>(x.outer_stride))
              .template cast<double>();
      detail::gemm_rows(scratch.c.data(), scratch.c.outerStride(),
                        detail::Operand<double, Eigen::RowMajor>{scratch.a.data(), rows, x.cols, scratch.a.outerStride()},
                        detail::operand(scratch.b), block, scratch.wide_gemm);
      out.middleRows(first, rows) = scratch.c.topRows(rows).template cast<T>();
    }
  }
  out.rowwise() += bias.row(0);
}

/// kept = x, then out = kept·b + bias: a Dense layer's forward pass on inputs it must keep.
template <class T, class D>
void matmul_add_row_kept(Matrix<T>& out, Matrix<T>& kept, const D& x, const Matrix<T>& b, const Matrix<T>& bias,
                         DotScratch<T>& scratch) {
  kept = x;
  reference::matmul_add_row(out, kept, b, bias, scratch);
}

/// out(j) = Σ_i m(i,j) summed row by row in order, 1×cols: how NumPy reduces the outer axis of
/// a C-contiguous array. Adding whole rows walks the row-major memory in order and vectorizes
/// across columns (Eigen's colwise().sum() would stride down each column instead).
template <class T>
void col_sums_in_order(const Matrix<T>& m, Matrix<T>& out) {
  out.resize(1, m.cols());
  out.setZero();
  T* o = out.data();
  const Index cols = m.cols();
  for (Index i = 0; i < m.rows(); ++i) {
    const T* r = m.data() + i * m.outerStride();
    for (Index j = 0; j < cols; ++j) o[j] += r[j];
  }
}

/// out(j) = Σ_i m(i,j) (np.sum(m, axis=0, keepdims=True)), 1×cols: row by row in order, except
/// for a single column, which is contiguous in memory, so NumPy sums it pairwise like a 1-D array.
template <class T>
void col_sums(const Matrix<T>& m, Matrix<T>& out) {
  if (m.cols() == 1) {
    out.resize(1, 1);
    out(0, 0) = numpy_sum(m.data(), m.rows());
    return;
  }
  col_sums_in_order(m, out);
}

/// out(i) = Σ_j m(i,j) (np.sum(m, axis=1)): pairwise per row.
template <class T>
void row_sums(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  for (Index i = 0; i < m.rows(); ++i) out(i) = numpy_sum(m.data() + i * m.cols(), m.cols());
}

/// out(i) = mean_j m(i,j) (np.mean(m, axis=-1)): the pairwise row sum divided by the column
/// count in T, as NumPy's true_divide of a T array does.
template <class T>
void row_means(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  const T count = static_cast<T>(m.cols());
  for (Index i = 0; i < m.rows(); ++i) out(i) = numpy_sum(m.data() + i * m.cols(), m.cols()) / count;
}

/// out(i) = max_j m(i,j) (np.max(m, axis=1)); NaN propagates.
template <class T>
void row_max(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  for (Index i = 0; i < m.rows(); ++i) {
    T best = m(i, 0);
    for (Index j = 1; j < m.cols(); ++j) best = numpy_max(best, m(i, j));
    out(i) = best;
  }
}

/// Σ of all elements (np.sum(m) of a contiguous array): pairwise over the flat array.
template <class T>
T sum(const Matrix<T>& m) {
  return numpy_sum(m.data(), m.size());
}

/// np.mean of a whole vector: T(double(pairwise sum) / n).
template <class T>
T mean(const Vector<T>& v) {
  const T total = numpy_sum(v.data(), v.size());
  return static_cast<T>(static_cast<double>(total) / static_cast<double>(v.size()));
}

/// In place: m(i,j) = exp(m(i,j)), each correctly rounded.
template <class T>
void exp_inplace(Matrix<T>& m) {
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = exp_rounded(m.data()[i]);
}

/// In place: m(i,j) = log(m(i,j)), each correctly rounded.
template <class T>
void log_inplace(Matrix<T>& m) {
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = log_rounded(m.data()[i]);
}

/// In place: v(i) = −log(v(i)).
template <class T>
void negative_log_inplace(Vector<T>& v) {
  for (Index i = 0; i < v.size(); ++i) v(i) = -log_rounded(v(i));
}

/// dinputs_i = J_i · dvalues_i with J_i = diag(s_i) − s_i·s_iᵀ, s = output (N×C), the book's
/// loop: J = diagflat(s) − np.dot(s, sᵀ) in T (products via the double dot, rounded once), then
/// np.dot(J, d) accumulated in double and rounded once. Each row of dinputs is finished in
/// scratch.row before it is stored: dvalues may be dinputs itself, and row i of it is read for
/// every r.
template <class T, class D>
void softmax_backward(Matrix<T>& dinputs, const Matrix<T>& output, const Eigen::MatrixBase<D>& dvalues,
                      SoftmaxScratch<T>& scratch) {
  const Index classes = output.cols();
  dinputs.resize(output.rows(), classes);
  scratch.jacobian.resize(classes, classes);
  scratch.row.resize(classes);
  for (Index i = 0; i < output.rows(); ++i) {
    for (Index r = 0; r < classes; ++r)
      for (Index c = 0; c < classes; ++c) {
        const T outer = static_cast<T>(static_cast<double>(output(i, r)) * static_cast<double>(output(i, c)));
        scratch.jacobian(r, c) = (r == c ? output(i, r) : T(0)) - outer;
      }
    for (Index r = 0; r < classes; ++r) {
      double acc = 0.0;
      for (Index c = 0; c < classes; ++c)
        acc += static_cast<double>(scratch.jacobian(r, c)) * static_cast<double>(dvalues(i, c));
      scratch.row(r) = static_cast<T>(acc);
    }
    dinputs.row(i) = scratch.row.transpose();
  }
}

/// √x correctly rounded (Eigen's vectorized float sqrt is an approximation under its default
/// EIGEN_FAST_MATH; NumPy's is exact).
template <class T>
struct ExactSqrt {
  T operator()(T x) const { return std::sqrt(x); }
};

/// One Adam step on parameter p with gradient g and moments m, v, element-wise in the book's
/// order (adam.hpp), each operation rounded to T:
///     m ← β1·m + c1·g,   v ← β2·v + c2·(g·g),   p ← p + (−lr·(m / m_corr)) / (√(v / v_corr) + ε)
/// where c1 = 1−β1 and c2 = 1−β2 (rounded from double by the caller).
template <class T>
void adam_update(Matrix<T>& p, const Matrix<T>& g, Matrix<T>& m, Matrix<T>& v, T beta1, T c1, T beta2, T c2,
                 T m_correction, T v_correction, T neg_lr, T epsilon) {
  m.array() = beta1 * m.array() + c1 * g.array();
  v.array() = beta2 * v.array() + c2 * g.array().square();
  p.array() += (neg_lr * (m.array() / m_correction)) / ((v.array() / v_correction).unaryExpr(ExactSqrt<T>{}) + epsilon);
}

}  // namespace nnfs::ops::reference
