// nnfs/ops/fast.hpp — the fast numerics: the operations of reference.hpp, vectorized in T.
//
// Products go through gemm_fast (gemm_fast.hpp: register-blocked kernels chosen by shape, threads
// with OpenMP), exp/log through Eigen's SIMD functions, sums through tree reductions. Results
// differ from the reference's in the last bits only (another summation order, fused
// multiply-adds, float instead of double accumulation); tests/test_ops.cpp checks each against
// its reference within a bound derived from the operation. adam_update is the exception: the
// same operations in the same order, so the same bits.
//
// Operations whose reference is already as fast (row_max) have no version here: ops.hpp uses
// the reference in both numerics.
#pragma once

#include "nnfs/detail/fp.hpp"
#include "nnfs/ops/gemm_fast.hpp"
#include "nnfs/ops/reference.hpp"
#include "nnfs/ops/scratch.hpp"
#include "nnfs/types.hpp"

#include <cmath>

namespace nnfs::ops::fast {

/// out = op(a) · op(b) (none: a·b, lhs: aᵀ·b, rhs: a·bᵀ): a kernel chosen by shape, threads when
/// built with OpenMP. Shapes must already agree.
template <class T>
void matmul(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, DotScratch<T>& scratch,
            Transpose t = Transpose::none) {
  detail::with_operands(a, b, t, [&](const auto& x, const auto& y) { detail::gemm_fast(out, x, y, scratch.gemm); });
}

/// out = a·b + bias (bias a 1×m row added to every row): the product starts from the bias.
template <class T>
void matmul_add_row(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, const Matrix<T>& bias,
                    DotScratch<T>& scratch) {
  detail::gemm_fast(out, detail::operand(a), detail::operand(b), scratch.gemm, bias.data());
}

/// out = x·b + bias, then kept = x. The product reads x's rows where they are, and the copy is
/// made from cache: a new sample arriving from memory is waited for once, inside the product,
/// instead of in a copy before it. x: row-major T data with unit inner stride, sharing no
/// memory with out or kept.
template <class T, class D>
void matmul_add_row_kept(Matrix<T>& out, Matrix<T>& kept, const D& x, const Matrix<T>& b, const Matrix<T>& bias,
                         DotScratch<T>& scratch) {
  detail::gemm_fast(out, detail::Operand<T, Eigen::RowMajor>{x.data(), x.rows(), x.cols(), x.outerStride()},
                    detail::operand(b), scratch.gemm, bias.data());
  kept = x;
}

/// out = x·b + bias for x a row-major view read where it is, nothing kept (a forward pass that
/// will not be backpropagated).
template <class T>
void matmul_add_row_view(Matrix<T>& out, const detail::Operand<T, Eigen::RowMajor>& x, const Matrix<T>& b,
                         const Matrix<T>& bias, DotScratch<T>& scratch) {
  detail::gemm_fast(out, x, detail::operand(b), scratch.gemm, bias.data());
}

/// out(j) = Σ_i m(i,j), 1×cols: for at least a packet of columns, 1ᵀ·m with the vector kernel
/// (the column sums held in registers across all rows); else row by row, as the reference.
template <class T>
void col_sums(const Matrix<T>& m, Matrix<T>& out) {
  if (m.cols() < detail::packet_size<T>) {
    reference::col_sums_in_order(m, out);
    return;
  }
  out.resize(1, m.cols());
  static const T one = T(1);
  detail::rows_kernel(Index(1), m.cols(), m.rows(), &one, Index(0), Index(0), m.data(), m.outerStride(), out.data(),
                      out.outerStride(), static_cast<const T*>(nullptr));
}

/// out(i) = Σ_j m(i,j).
template <class T>
void row_sums(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  if (m.cols() > 0 && m.cols() < 16) {
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

/// out(i) = mean_j m(i,j).
template <class T>
void row_means(const Matrix<T>& m, Vector<T>& out) {
  out.resize(m.rows());
  out.noalias() = m.rowwise().sum() / static_cast<T>(m.cols());
}

/// Σ of all elements.
template <class T>
T sum(const Matrix<T>& m) {
  return m.sum();
}

/// The mean of a vector.
template <class T>
T mean(const Vector<T>& v) {
  return v.sum() / static_cast<T>(v.size());
}

/// In place: m(i,j) = exp(m(i,j)).
template <class T>
void exp_inplace(Matrix<T>& m) {
  m.array() = m.array().exp();
}

/// In place: m(i,j) = log(m(i,j)).
template <class T>
void log_inplace(Matrix<T>& m) {
  m.array() = m.array().log();
}

/// In place: v(i) = −log(v(i)).
template <class T>
void negative_log_inplace(Vector<T>& v) {
  // × −1, not unary minus: Eigen 3.4 negates AVX/AVX-512 packets as 0 − x, which turns the
  // −0 of −log(1) into +0 (NumPy and the reference give −0).
  v.array() = v.array().log() * T(-1);
}

/// dinputs_i = J_i · dvalues_i as J·d = s ⊙ (d − s·d): row dot products, no C×C matrix.
/// Element-wise after the dot products, so dvalues may be dinputs itself.
template <class T, class D>
void softmax_backward(Matrix<T>& dinputs, const Matrix<T>& output, const Eigen::MatrixBase<D>& dvalues,
                      SoftmaxScratch<T>& scratch) {
  dinputs.resize(output.rows(), output.cols());
  scratch.dots.noalias() = (output.array() * dvalues.template cast<T>().array()).rowwise().sum().matrix();
  dinputs.array() = output.array() * (dvalues.template cast<T>().array().colwise() - scratch.dots.array());
}

/// One Adam step over n elements — parameter p, gradient g, moments m and v — in a single
/// vectorized pass, with exactly reference::adam_update's operations and rounding order. Every
/// product, quotient and sum is rounded separately (no fused multiply-add) and √ is correctly
/// rounded, so the result is bit for bit the element-wise expression's, at vector speed.
template <class T>
void adam_update(Index n, T* p, const T* g, T* m, T* v, T beta1, T c1, T beta2, T c2, T m_correction,
                 T v_correction, T neg_lr, T epsilon) {
  Index i = 0;
#if NNFS_DETAIL_FAST_KERNELS
  namespace ei = Eigen::internal;
  using P = detail::Packet<T>;
  constexpr Index S = detail::packet_size<T>;
  const P b1 = ei::pset1<P>(beta1), b2 = ei::pset1<P>(beta2), pc1 = ei::pset1<P>(c1), pc2 = ei::pset1<P>(c2);
  const P mc = ei::pset1<P>(m_correction), vc = ei::pset1<P>(v_correction);
  const P lr = ei::pset1<P>(neg_lr), eps = ei::pset1<P>(epsilon);
  for (; i + S <= n; i += S) {
    const P gi = ei::ploadu<P>(g + i);
    const P mi = ei::padd(ei::pmul(b1, ei::ploadu<P>(m + i)), ei::pmul(pc1, gi));
    const P vi = ei::padd(ei::pmul(b2, ei::ploadu<P>(v + i)), ei::pmul(pc2, ei::pmul(gi, gi)));
    ei::pstoreu(m + i, mi);
    ei::pstoreu(v + i, vi);
    const P step = ei::pdiv(ei::pmul(lr, ei::pdiv(mi, mc)), ei::padd(detail::psqrt_exact(ei::pdiv(vi, vc)), eps));
    ei::pstoreu(p + i, ei::padd(ei::ploadu<P>(p + i), step));
  }
#endif
  for (; i < n; ++i) {
    m[i] = detail::rounded(beta1 * m[i]) + detail::rounded(c1 * g[i]);
    v[i] = detail::rounded(beta2 * v[i]) + detail::rounded(c2 * detail::rounded(g[i] * g[i]));
    p[i] += detail::rounded(neg_lr * (m[i] / m_correction)) / (std::sqrt(v[i] / v_correction) + epsilon);
  }
}

/// adam_update on whole matrices (all four of one shape).
template <class T>
void adam_update(Matrix<T>& p, const Matrix<T>& g, Matrix<T>& m, Matrix<T>& v, T beta1, T c1, T beta2, T c2,
                 T m_correction, T v_correction, T neg_lr, T epsilon) {
  fast::adam_update(p.size(), p.data(), g.data(), m.data(), v.data(), beta1, c1, beta2, c2, m_correction,
                    v_correction, neg_lr, epsilon);
}

}  // namespace nnfs::ops::fast
