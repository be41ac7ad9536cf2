// nnfs/ops/gemm_kernels.hpp — the fast numerics' product kernels: register blocks of C on
// Eigen's packets (rows_kernel, tiles_kernel, dots_kernel) that read the operands in place, no
// packing. gemm_fast (nnfs/ops/gemm_fast.hpp) chooses among them by shape; its overview there
// describes each kernel.
#pragma once

#include "nnfs/ops/gemm.hpp"
#include "nnfs/types.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace nnfs::detail {

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

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

}  // namespace nnfs::detail
