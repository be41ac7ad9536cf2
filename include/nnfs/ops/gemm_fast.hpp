// nnfs/ops/gemm_fast.hpp — the fast numerics' matrix product: register-blocked vector loops
// on Eigen's packets that read the operands in place (no packing), split over OpenMP threads
// without changing a bit. The workspace and Eigen's own kernel, which it falls back to, are in
// nnfs/ops/gemm.hpp.
#pragma once

#include "nnfs/ops/gemm.hpp"
#include "nnfs/types.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

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

// Eigen's packet types are compiler vector types with attributes (__m256 …); naming them as
// template arguments makes GCC and Clang warn that the attributes are ignored, harmlessly (Eigen
// silences the same warning in its own headers).
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

#if NNFS_DETAIL_EIGEN_GEMM && !defined(EIGEN_DONT_VECTORIZE)
#define NNFS_DETAIL_FAST_KERNELS 1
template <class T>
using Packet = typename Eigen::internal::packet_traits<T>::type;
template <class T>
constexpr Index packet_size = Eigen::internal::unpacket_traits<Packet<T>>::size;
#else
#define NNFS_DETAIL_FAST_KERNELS 0
template <class T>
constexpr Index packet_size = 1;
#endif

/// The register block of tiles_kernel, and its chunk of k.
constexpr int tile_rows = EIGEN_ARCH_DEFAULT_NUMBER_OF_REGISTERS >= 32 ? 6 : 4;
constexpr int tile_packets = EIGEN_ARCH_DEFAULT_NUMBER_OF_REGISTERS >= 32 ? 4 : 2;
constexpr Index tile_depth = 256;

#if NNFS_DETAIL_FAST_KERNELS
/// √x of every lane, correctly rounded like std::sqrt (Eigen's psqrt is a fast approximation for
/// float under its default EIGEN_FAST_MATH).
template <class P>
EIGEN_ALWAYS_INLINE P psqrt_exact(const P& x) {
  namespace ei = Eigen::internal;
#if defined(EIGEN_VECTORIZE_AVX512)
  if constexpr (std::is_same_v<P, ei::Packet16f>) return _mm512_sqrt_ps(x);
  if constexpr (std::is_same_v<P, ei::Packet8d>) return _mm512_sqrt_pd(x);
#endif
#if defined(EIGEN_VECTORIZE_AVX)
  if constexpr (std::is_same_v<P, ei::Packet8f>) return _mm256_sqrt_ps(x);
  if constexpr (std::is_same_v<P, ei::Packet4d>) return _mm256_sqrt_pd(x);
#endif
#if defined(EIGEN_VECTORIZE_SSE2)
  if constexpr (std::is_same_v<P, ei::Packet4f>) return _mm_sqrt_ps(x);
  if constexpr (std::is_same_v<P, ei::Packet2d>) return _mm_sqrt_pd(x);
#endif
  using T = typename ei::unpacket_traits<P>::type;
  constexpr int lanes = ei::unpacket_traits<P>::size;
  T v[lanes];
  ei::pstoreu(v, x);
  for (T& e : v) e = std::sqrt(e);
  return ei::ploadu<P>(v);
}

/// The register block: rows i0 .. i0+R-1 of C, columns j0 .. j0+NP·|P|-1, accumulated over k
/// (A's columns and B's rows from the pointers given). The accumulators start from C itself
/// (`accumulate`: a later chunk of k), from `bias`, or from zero.
template <class P, int R, int NP, class T>
EIGEN_ALWAYS_INLINE void rows_block(Index i0, Index k, const T* a, Index a_row, Index a_col, const T* b, Index ldb,
                                    T* c, Index ldc, const T* bias, bool accumulate, Index j0) {
  namespace ei = Eigen::internal;
  constexpr Index S = ei::unpacket_traits<P>::size;
  P acc[R][NP];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < NP; ++q)
      acc[r][q] = accumulate ? ei::ploadu<P>(c + (i0 + r) * ldc + j0 + q * S)
                             : (bias ? ei::ploadu<P>(bias + j0 + q * S) : ei::pset1<P>(T(0)));
  const T* ai = a + i0 * a_row;
  const T* bk = b + j0;
  for (Index kk = 0; kk < k; ++kk, bk += ldb) {
    P x[R];
    for (int r = 0; r < R; ++r) x[r] = ei::pset1<P>(ai[r * a_row + kk * a_col]);
    for (int q = 0; q < NP; ++q) {
      const P bq = ei::ploadu<P>(bk + q * S);
      for (int r = 0; r < R; ++r) acc[r][q] = ei::pmadd(x[r], bq, acc[r][q]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < NP; ++q) ei::pstoreu(c + (i0 + r) * ldc + j0 + q * S, acc[r][q]);
}

/// rows_block<R'> for the last rows (fewer than R) of a panel, R' = rows.
template <class P, int R, int NP, class T>
EIGEN_ALWAYS_INLINE void rows_rest(Index rows, Index i0, Index k, const T* a, Index a_row, Index a_col, const T* b,
                                   Index ldb, T* c, Index ldc, const T* bias, bool accumulate, Index j0) {
  if constexpr (R > 1) {
    if (rows == R - 1) return rows_block<P, R - 1, NP>(i0, k, a, a_row, a_col, b, ldb, c, ldc, bias, accumulate, j0);
    rows_rest<P, R - 1, NP>(rows, i0, k, a, a_row, a_col, b, ldb, c, ldc, bias, accumulate, j0);
  }
}

/// rows_block over all n rows, R at a time (R = 8/NP, at least 1, at most 4: 8 or more
/// accumulators); a matrix of at most 4 rows in one block when it fits in the registers.
template <class P, int NP, class T>
void rows_panel(Index n, Index k, const T* a, Index a_row, Index a_col, const T* b, Index ldb, T* c, Index ldc,
                const T* bias, Index j0) {
  constexpr int R = NP >= 8 ? 1 : (NP >= 3 ? 2 : 4);
  constexpr int registers = EIGEN_ARCH_DEFAULT_NUMBER_OF_REGISTERS;
  constexpr bool fits2 = 2 * NP + 3 <= registers;
  constexpr bool fits3 = 3 * NP + 4 <= registers;
  constexpr bool fits4 = 4 * NP + 5 <= registers;
  if constexpr (R < 2 && fits2)
    if (n == 2) return rows_block<P, 2, NP>(0, k, a, a_row, a_col, b, ldb, c, ldc, bias, false, j0);
  if constexpr (R < 3 && fits3)
    if (n == 3) return rows_block<P, 3, NP>(0, k, a, a_row, a_col, b, ldb, c, ldc, bias, false, j0);
  if constexpr (R < 4 && fits4)
    if (n == 4) return rows_block<P, 4, NP>(0, k, a, a_row, a_col, b, ldb, c, ldc, bias, false, j0);
  Index i = 0;
  for (; i + R <= n; i += R) rows_block<P, R, NP>(i, k, a, a_row, a_col, b, ldb, c, ldc, bias, false, j0);
  rows_rest<P, R, NP>(n - i, i, k, a, a_row, a_col, b, ldb, c, ldc, bias, false, j0);
}

/// Packet types with masked loads and stores in Eigen 3.4 (float on AVX and AVX-512): the last
/// columns of a row, fewer than a packet, are then done with one masked packet.
template <class P>
struct masked_packet : std::false_type {};
#if defined(EIGEN_VECTORIZE_AVX512)
template <>
struct masked_packet<Eigen::internal::Packet16f> : std::true_type {
  using mask = std::uint16_t;
};
#endif
#if defined(EIGEN_VECTORIZE_AVX)
template <>
struct masked_packet<Eigen::internal::Packet8f> : std::true_type {
  using mask = std::uint8_t;
};
#endif

/// rows_block for the `width` (< |P|) columns j0 .. of R rows, in one masked packet of type P.
template <class P, int R, class T>
EIGEN_ALWAYS_INLINE void masked_block(Index i0, Index k, const T* a, Index a_row, Index a_col, const T* b, Index ldb,
                                      T* c, Index ldc, const T* bias, Index j0, typename masked_packet<P>::mask mask) {
  namespace ei = Eigen::internal;
  P acc[R];
  const P init = bias ? ei::ploadu<P>(bias + j0, mask) : ei::pset1<P>(T(0));
  for (int r = 0; r < R; ++r) acc[r] = init;
  const T* ai = a + i0 * a_row;
  const T* bk = b + j0;
  for (Index kk = 0; kk < k; ++kk, bk += ldb) {
    const P bq = ei::ploadu<P>(bk, mask);
    for (int r = 0; r < R; ++r) acc[r] = ei::pmadd(ei::pset1<P>(ai[r * a_row + kk * a_col]), bq, acc[r]);
  }
  for (int r = 0; r < R; ++r) ei::pstoreu(c + (i0 + r) * ldc + j0, acc[r], mask);
}

/// Columns j0 .. of rows_kernel in packets of type P (up to 8 at a time), then the rest with
/// one masked packet when P has them, else with the next smaller packet type (AVX-512: 16, 8, 4
/// floats); returns the first column not done.
template <class P, class T>
Index rows_columns(Index n, Index m, Index k, const T* a, Index a_row, Index a_col, const T* b, Index ldb, T* c,
                   Index ldc, const T* bias, Index j0) {
  namespace ei = Eigen::internal;
  constexpr Index S = ei::unpacket_traits<P>::size;
  while (j0 + S <= m) {
    const Index packets = std::min<Index>((m - j0) / S, 8);
    switch (packets) {
      case 1: rows_panel<P, 1>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      case 2: rows_panel<P, 2>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      case 3: rows_panel<P, 3>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      case 4: rows_panel<P, 4>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      case 5: rows_panel<P, 5>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      case 6: rows_panel<P, 6>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      case 7: rows_panel<P, 7>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
      default: rows_panel<P, 8>(n, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0); break;
    }
    j0 += packets * S;
  }
  if constexpr (masked_packet<P>::value) {
    if (j0 < m) {
      const auto mask = static_cast<typename masked_packet<P>::mask>((1U << (m - j0)) - 1U);
      Index i = 0;
      for (; i + 4 <= n; i += 4) masked_block<P, 4>(i, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0, mask);
      for (; i < n; ++i) masked_block<P, 1>(i, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0, mask);
      return m;
    }
  }
  using Half = typename ei::unpacket_traits<P>::half;
  if constexpr (ei::unpacket_traits<Half>::size < S && ei::unpacket_traits<Half>::size > 1)
    return rows_columns<Half>(n, m, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0);
  return j0;
}
#endif

/// C = A·B (+ bias), every row: A(i,k) = a[i·a_row + k·a_col], B row-major (stride ldb), C
/// row-major (stride ldc).
template <class T>
void rows_kernel(Index n, Index m, Index k, const T* a, Index a_row, Index a_col, const T* b, Index ldb, T* c,
                 Index ldc, const T* bias) {
  if (n == 0 || m == 0) return;
  if (k == 0) {
    // An empty sum: B may have no storage at all (a null pointer must not be offset).
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < m; ++j) c[i * ldc + j] = bias ? bias[j] : T(0);
    return;
  }
  Index j0 = 0;
#if NNFS_DETAIL_FAST_KERNELS
  j0 = rows_columns<Packet<T>>(n, m, k, a, a_row, a_col, b, ldb, c, ldc, bias, j0);
#endif
  // the last columns (fewer than the smallest packet), one at a time
  for (Index i = 0; i < n && j0 < m; ++i)
    for (Index j = j0; j < m; ++j) {
      T s = bias ? bias[j] : T(0);
      for (Index kk = 0; kk < k; ++kk) s += a[i * a_row + kk * a_col] * b[kk * ldb + j];
      c[i * ldc + j] = s;
    }
}

/// Rows r0 .. r0+rows-1 of C = A·B (+ bias), same operands as rows_kernel, in tile_rows ×
/// tile_packets register blocks and chunks of tile_depth along k; the columns beyond the last
/// full block by rows_kernel.
template <class T>
void tiles_kernel(Index r0, Index rows, Index m, Index k, const T* a, Index a_row, Index a_col, const T* b,
                  Index ldb, T* c, Index ldc, const T* bias) {
  Index j0 = 0;
#if NNFS_DETAIL_FAST_KERNELS
  using P = Packet<T>;
  constexpr int R = tile_rows;
  constexpr int NP = tile_packets;
  constexpr Index width = NP * packet_size<T>;
  const Index end = r0 + rows;
  for (; j0 + width <= m; j0 += width)
    for (Index k0 = 0; k0 < k; k0 += tile_depth) {
      const Index depth = std::min(tile_depth, k - k0);
      const T* ak = a + k0 * a_col;
      const T* bk = b + k0 * ldb;
      Index i = r0;
      for (; i + R <= end; i += R) rows_block<P, R, NP>(i, depth, ak, a_row, a_col, bk, ldb, c, ldc, bias, k0 > 0, j0);
      rows_rest<P, R, NP>(end - i, i, depth, ak, a_row, a_col, bk, ldb, c, ldc, bias, k0 > 0, j0);
    }
#endif
  if (j0 < m)
    rows_kernel(rows, m - j0, k, a + r0 * a_row, a_row, a_col, b + j0, ldb, c + r0 * ldc + j0, ldc,
                bias ? bias + j0 : nullptr);
}

/// C(i,j) = A.row(i)·Bt.row(j) (+ bias(j)): A row-major (lda), Bt row-major m×k (ldbt).
template <class T>
void dots_kernel(Index n, Index m, Index k, const T* a, Index lda, const T* bt, Index ldbt, T* c, Index ldc,
                 const T* bias) {
  for (Index i = 0; i < n; ++i) {
    const T* ai = a + i * lda;
    for (Index j = 0; j < m; ++j) {
      const T* bj = bt + j * ldbt;
      Index kk = 0;
      T s = T(0);
#if NNFS_DETAIL_FAST_KERNELS
      namespace ei = Eigen::internal;
      using P = Packet<T>;
      constexpr Index S = packet_size<T>;
      if (k >= S) {
        P acc0 = ei::pset1<P>(T(0));
        P acc1 = ei::pset1<P>(T(0));
        for (; kk + 2 * S <= k; kk += 2 * S) {
          acc0 = ei::pmadd(ei::ploadu<P>(ai + kk), ei::ploadu<P>(bj + kk), acc0);
          acc1 = ei::pmadd(ei::ploadu<P>(ai + kk + S), ei::ploadu<P>(bj + kk + S), acc1);
        }
        if (kk + S <= k) {
          acc0 = ei::pmadd(ei::ploadu<P>(ai + kk), ei::ploadu<P>(bj + kk), acc0);
          kk += S;
        }
        s = ei::predux(ei::padd(acc0, acc1));
      }
#endif
      for (; kk < k; ++kk) s += ai[kk] * bj[kk];
      c[i * ldc + j] = bias ? s + bias[j] : s;
    }
  }
}

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

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

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
