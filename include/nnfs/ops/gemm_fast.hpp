// nnfs/ops/gemm_fast.hpp — the fast numerics' matrix product: register-blocked vector loops
// on Eigen's packets that read the operands in place (no packing), split over OpenMP threads
// without changing a bit. The kernels are in nnfs/ops/gemm_kernels.hpp; the workspace and
// Eigen's own kernel, which it falls back to, are in nnfs/ops/gemm.hpp.
#pragma once

#include "nnfs/ops/gemm.hpp"
#include "nnfs/ops/gemm_kernels.hpp"
#include "nnfs/types.hpp"

#include <Eigen/Core>

#include <algorithm>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace nnfs::detail {

// ---------------------------------------------------------------------------------------------
// The fast numerics' product.
//
// Kernels, all writing a row-major C (n×m) = A (n×k) · B (k×m) [+ a bias row], B row-major, A
// in any layout (read element by element and broadcast), built from one register block:
//   rows_block   R rows × NP packets of C held in R·NP vector registers while k runs: per k, R
//                elements of A broadcast, NP packets of B's row k loaded, R·NP multiply-adds.
//                Nothing is packed or copied: B's rows are read as they are.
//   rows_kernel  every row of C (few rows: B read once; or a short k), up to 8 packets wide.
//   tiles_kernel large products: 6×4-packet blocks (AVX-512; 4×2 with 16 registers), k in
//                chunks of 256 so the block of B in use stays in cache. On the shapes of the
//                book's networks it runs at the FMA peak, where Eigen's general kernel (which
//                packs both operands first) reaches about 70% (benchmarks/ has the figures).
//   dots_kernel  C(i,j) = A.row(i)·Bᵀ.row(j): one vector dot product per output, for narrow
//                outputs (m below one packet: 3 classes, 10 classes), where the row blocks would
//                be scalar. A row-major, Bᵀ row-major.
// Every element of C is accumulated the same way whatever the block it falls in, so splitting
// the rows of C over threads (tiles_kernel, with OpenMP) does not change a single bit.
// Eigen's gebp remains for very wide outputs (m > 512) and non-vectorized builds.

/// dst (rows × cols, row-major) = the operand's elements, i.e. a row-major copy of `x`.
template <class T, int Order>
void copy_row_major(Matrix<T>& dst, const Operand<T, Order>& x) {
  dst.resize(x.rows, x.cols);
  for (Index i = 0; i < x.rows; ++i)
    for (Index j = 0; j < x.cols; ++j) dst(i, j) = x.data[i * x.row_stride() + j * x.col_stride()];
}

/// Threads for an n×m×k product: Eigen::nbThreads() (OMP_NUM_THREADS or Eigen::setNbThreads)
/// when built with OpenMP, the product is large enough to be worth a parallel region and we are
/// not inside one already; otherwise 1.
inline int threads_for(Index n, Index m, Index k) {
#ifdef _OPENMP
  const double work = static_cast<double>(n) * static_cast<double>(m) * static_cast<double>(k);
  if (work < 262144.0 || omp_in_parallel()) return 1;  // below 2^18 multiply-adds: a few µs
  const auto by_rows = static_cast<int>(std::max<Index>(1, n / 24));  // at least 24 rows each
  return std::max(1, std::min({Eigen::nbThreads(), by_rows, 64}));
#else
  (void)n;
  (void)m;
  (void)k;
  return 1;
#endif
}

/// out = a · b (+ bias, a 1×m row added to every row), (n×k)·(k×m) → n×m, for the fast
/// numerics: the kernel is chosen by shape (see above), the result may differ from gemm()'s in
/// the last bits (another summation order, fused multiply-adds), and it does not depend on the
/// number of threads. `out` must not share memory with a, b or bias. No heap allocation once
/// the shapes are stable.
template <class T, int OrderA, int OrderB>
void gemm_fast(Matrix<T>& out, const Operand<T, OrderA>& a, const Operand<T, OrderB>& b, GemmWorkspace<T>& ws,
               const T* bias = nullptr) {
  const Index n = a.rows;
  const Index k = a.cols;
  const Index m = b.cols;
  out.resize(n, m);
  if (n == 0 || m == 0) return;
  if (k == 0) {
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < m; ++j) out(i, j) = bias ? bias[j] : T(0);
    return;
  }
  constexpr Index S = packet_size<T>;
  constexpr bool a_rows = OrderA == Eigen::RowMajor;
  constexpr bool b_rows = OrderB == Eigen::RowMajor;
  T* c = out.data();
  const Index ldc = out.outerStride();
  if (S > 1 && n <= 4 && b_rows) {
    // A few samples (a prediction): B streamed once, straight from memory.
    rows_kernel(n, m, k, a.data, a.row_stride(), a.col_stride(), b.data, b.outer_stride, c, ldc, bias);
    return;
  }
  if (S > 1 && m < S && a_rows) {
    // Narrow output, row-major A: dot products against Bᵀ's rows.
    if constexpr (b_rows) {
      copy_row_major(ws.transposed, Operand<T, Eigen::ColMajor>{b.data, m, k, b.outer_stride});
      dots_kernel(n, m, k, a.data, a.outer_stride, ws.transposed.data(), k, c, ldc, bias);
    } else {
      dots_kernel(n, m, k, a.data, a.outer_stride, b.data, b.outer_stride, c, ldc, bias);
    }
    return;
  }
  if (S > 1 && m < S && !a_rows && bias == nullptr) {
    // Narrow output, column-major A (a weight gradient Xᵀ·dZ): Cᵀ = Bᵀ·Aᵀ, whose right operand
    // Aᵀ is row-major, then transposed into C.
    Matrix<T>& ct = ws.transposed;
    ct.resize(m, n);
    rows_kernel(m, n, k, b.data, b.col_stride(), b.row_stride(), a.data, a.outer_stride, ct.data(),
                      ct.outerStride(), static_cast<const T*>(nullptr));
    out = ct.transpose();
    return;
  }
  if (S > 1 && (k <= 16 || m <= 512)) {
    // Shallow products (2 inputs; dZ·Wᵀ with 3 or 10 classes) by rows, everything else up to
    // 512 outputs in register tiles; B made row-major first if it is not (Wᵀ in dZ·Wᵀ).
    const T* bp = b.data;
    Index ldb = b.outer_stride;
    if constexpr (!b_rows) {
      copy_row_major(ws.transposed, b);
      bp = ws.transposed.data();
      ldb = m;
    }
    if (k <= 16) {
      rows_kernel(n, m, k, a.data, a.row_stride(), a.col_stride(), bp, ldb, c, ldc, bias);
      return;
    }
    const int threads = threads_for(n, m, k);
    if (threads <= 1) {
      tiles_kernel(Index(0), n, m, k, a.data, a.row_stride(), a.col_stride(), bp, ldb, c, ldc, bias);
      return;
    }
#ifdef _OPENMP
    // Rows of C split over the threads in whole register blocks.
    const Index block = tile_rows;
    const Index per_thread = ((n + threads - 1) / threads + block - 1) / block * block;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int t = 0; t < threads; ++t) {
      const Index r0 = std::min<Index>(n, t * per_thread);
      const Index rows = std::min<Index>(n - r0, per_thread);
      if (rows > 0) tiles_kernel(r0, rows, m, k, a.data, a.row_stride(), a.col_stride(), bp, ldb, c, ldc, bias);
    }
#endif
    return;
  }
#if NNFS_DETAIL_EIGEN_GEMM
  // Very wide outputs (or no vectorization): Eigen's kernel on C initialised with the bias (or
  // zero), single-threaded.
  for (Index i = 0; i < n; ++i) {
    if (bias) {
      std::copy(bias, bias + m, c + i * ldc);
    } else {
      std::fill(c + i * ldc, c + i * ldc + m, T(0));
    }
  }
  eigen_gebp(c, ldc, a, b, ws.blocking(n, m, k));
#else
  gemm(out, a, b, ws);
  if (bias)
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < m; ++j) out(i, j) += bias[j];
#endif
}

}  // namespace nnfs::detail
