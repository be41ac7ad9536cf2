// nnfs/ops/ops.hpp — the one place where the numerics mode chooses how the library computes.
//
// A layer, loss or optimizer says *what* it computes (its formula) by calling these operations;
// each one runs the book's reference (reference.hpp) under Numerics::book and the fast
// implementation (fast.hpp) otherwise. Nothing outside nnfs/ops/ tests the mode to compute.
//
// Operations that need scratch space take it from the caller, so a layer that keeps its
// scratch across calls allocates nothing once shapes are stable.
//
// nnfs::kernels is the same namespace under its former name.
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/ops/fast.hpp"
#include "nnfs/ops/reference.hpp"
#include "nnfs/ops/scratch.hpp"
#include "nnfs/types.hpp"

namespace nnfs::ops {

// The same in both numerics: NumPy's reductions and rounding rules, used where the book's
// numbers are wanted whatever the mode (accuracy's statistics, the Model's pass totals).
using reference::exp_rounded;
using reference::log_rounded;
using reference::numpy_max;
using reference::numpy_sum;
using reference::pairwise_sum;
using reference::row_max;

/// out = op(a) · op(b), op transposing the operand named by `t` (none: a·b, lhs: aᵀ·b, rhs: a·bᵀ).
/// Shapes must already agree (callers validate them and name them in their messages).
template <class T>
void matmul(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, DotScratch<T>& scratch,
            Transpose t = Transpose::none) {
  if (book_mode()) return reference::matmul(out, a, b, scratch, t);
  fast::matmul(out, a, b, scratch, t);
}

/// out = a·b + bias, bias a 1×m row added to every row.
template <class T>
void matmul_add_row(Matrix<T>& out, const Matrix<T>& a, const Matrix<T>& b, const Matrix<T>& bias,
                    DotScratch<T>& scratch) {
  if (book_mode()) return reference::matmul_add_row(out, a, b, bias, scratch);
  fast::matmul_add_row(out, a, b, bias, scratch);
}

/// out = x·b + bias and kept = x, for x in memory (row-major T, unit inner stride) sharing
/// nothing with out or kept: the fast product reads x where it is.
template <class T, class D>
void matmul_add_row_kept(Matrix<T>& out, Matrix<T>& kept, const D& x, const Matrix<T>& b, const Matrix<T>& bias,
                         DotScratch<T>& scratch) {
  if (book_mode()) return reference::matmul_add_row_kept(out, kept, x, b, bias, scratch);
  fast::matmul_add_row_kept(out, kept, x, b, bias, scratch);
}

/// out = x·b + bias for x in memory (row-major T, unit inner stride) sharing nothing with out,
/// read where it is and not kept: a forward pass that will not be backpropagated.
template <class T, class D>
void matmul_add_row_view(Matrix<T>& out, const D& x, const Matrix<T>& b, const Matrix<T>& bias,
                         DotScratch<T>& scratch) {
  const detail::Operand<T, Eigen::RowMajor> view{x.data(), x.rows(), x.cols(), x.outerStride()};
  if (book_mode()) return reference::matmul_add_row_view(out, view, b, bias, scratch);
  fast::matmul_add_row_view(out, view, b, bias, scratch);
}

/// out(j) = Σ_i m(i,j): the column sums (np.sum(m, axis=0, keepdims=True)), 1×cols.
template <class T>
void col_sums(const Matrix<T>& m, Matrix<T>& out) {
  if (book_mode()) return reference::col_sums(m, out);
  fast::col_sums(m, out);
}

/// out(i) = Σ_j m(i,j): the row sums (np.sum(m, axis=1)).
template <class T>
void row_sums(const Matrix<T>& m, Vector<T>& out) {
  if (book_mode()) return reference::row_sums(m, out);
  fast::row_sums(m, out);
}

/// out(i) = mean_j m(i,j) (np.mean(m, axis=-1)).
template <class T>
void row_means(const Matrix<T>& m, Vector<T>& out) {
  if (book_mode()) return reference::row_means(m, out);
  fast::row_means(m, out);
}

/// Σ of all elements (np.sum(m)).
template <class T>
T sum(const Matrix<T>& m) {
  return book_mode() ? reference::sum(m) : fast::sum(m);
}

/// The mean of a vector (np.mean(v)).
template <class T>
T mean(const Vector<T>& v) {
  return book_mode() ? reference::mean(v) : fast::mean(v);
}

/// In place: m(i,j) = exp(m(i,j)).
template <class T>
void exp_inplace(Matrix<T>& m) {
  if (book_mode()) return reference::exp_inplace(m);
  fast::exp_inplace(m);
}

/// In place: m(i,j) = log(m(i,j)).
template <class T>
void log_inplace(Matrix<T>& m) {
  if (book_mode()) return reference::log_inplace(m);
  fast::log_inplace(m);
}

/// In place: v(i) = −log(v(i)).
template <class T>
void negative_log_inplace(Vector<T>& v) {
  if (book_mode()) return reference::negative_log_inplace(v);
  fast::negative_log_inplace(v);
}

/// dinputs_i = (diag(s_i) − s_i·s_iᵀ) · dvalues_i for every row s_i of the softmax output,
/// N×C → N×C. dvalues may be dinputs itself.
template <class T, class D>
void softmax_backward(Matrix<T>& dinputs, const Matrix<T>& output, const Eigen::MatrixBase<D>& dvalues,
                      SoftmaxScratch<T>& scratch) {
  if (book_mode()) return reference::softmax_backward(dinputs, output, dvalues, scratch);
  fast::softmax_backward(dinputs, output, dvalues, scratch);
}

/// One Adam step (see reference::adam_update); both implementations give the same bits.
template <class T>
void adam_update(Matrix<T>& p, const Matrix<T>& g, Matrix<T>& m, Matrix<T>& v, T beta1, T c1, T beta2, T c2,
                 T m_correction, T v_correction, T neg_lr, T epsilon) {
  if (book_mode())
    return reference::adam_update(p, g, m, v, beta1, c1, beta2, c2, m_correction, v_correction, neg_lr, epsilon);
  fast::adam_update(p, g, m, v, beta1, c1, beta2, c2, m_correction, v_correction, neg_lr, epsilon);
}

}  // namespace nnfs::ops

namespace nnfs {
/// The operations under their former name (nnfs::kernels::matmul …).
namespace kernels = ops;
}  // namespace nnfs
