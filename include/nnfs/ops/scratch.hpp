// nnfs/ops/scratch.hpp — what the reference and the fast operations share: the scratch buffers
// callers keep between calls (so that a layer allocates nothing once its shapes are stable) and
// the flag naming which operand of a product is read transposed.
#pragma once

#include "nnfs/ops/gemm.hpp"
#include "nnfs/types.hpp"

namespace nnfs::ops {

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

/// Scratch space for softmax_backward: the book's C×C Jacobian and one row of the result, or
/// the fast path's row dot products.
template <class T>
struct SoftmaxScratch {
  Matrix<T> jacobian;
  Vector<T> row;
  Vector<T> dots;
};

}  // namespace nnfs::ops

namespace nnfs::detail {

/// f(op(a), op(b)) with the operands as detail::Operand views, op transposing the one named by t.
template <class S, class F>
void with_operands(const Matrix<S>& a, const Matrix<S>& b, ops::Transpose t, F&& f) {
  switch (t) {
    case ops::Transpose::none: f(operand(a), operand(b)); break;
    case ops::Transpose::lhs: f(operand_transposed(a), operand(b)); break;
    case ops::Transpose::rhs: f(operand(a), operand_transposed(b)); break;
  }
}

}  // namespace nnfs::detail
