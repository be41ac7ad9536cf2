// nnfs/ops/gemm.hpp — matrix products into preallocated buffers, with no heap allocation
// once the shapes are stable.
//
// `out.noalias() = a * b` is Eigen's fast GEMM, but for large operands Eigen allocates its
// packing buffers (the "blocking space") on the heap on every call. Training calls the same
// products thousands of times with the same shapes, so this header keeps that blocking space
// alive between calls: a GemmWorkspace remembers the shape it was sized for and only
// reallocates when the shape changes. The kernel itself is Eigen's (gebp), so results are the
// ones Eigen's own product gives.
//
// gemm() is what the book numerics use: Eigen's kernel, single-threaded. gemm_fast() (in
// nnfs/ops/gemm_fast.hpp) is the fast numerics' product: register-blocked vector loops chosen by shape (see there), which read
// the operands in place instead of packing them — faster than Eigen's kernel on every shape of
// the book's networks, from 2-input layers and single-sample predictions to 784×128 layers —
// and split over OpenMP threads when the program is built with OpenMP (nnfs::openmp).
//
// This reaches into Eigen's internal GEMM entry point and packet primitives, whose signatures
// are those of Eigen 3.4. On any other Eigen version the code falls back to the public product
// (correct, but it may allocate for large operands).
#pragma once

#include "nnfs/types.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <type_traits>

#if EIGEN_WORLD_VERSION == 3 && EIGEN_MAJOR_VERSION == 4 && EIGEN_MINOR_VERSION < 90
#define NNFS_DETAIL_EIGEN_GEMM 1
#else
#define NNFS_DETAIL_EIGEN_GEMM 0
#endif

namespace nnfs::detail {

/// Eigen's GEMM packing buffers, kept across calls, and the small transposed copies the fast
/// kernels need. Copying a workspace gives an empty one (the buffers are a cache, not state),
/// so layers stay copyable.
template <class T>
class GemmWorkspace {
 public:
  GemmWorkspace() = default;
  GemmWorkspace(const GemmWorkspace&) {}
  GemmWorkspace& operator=(const GemmWorkspace&) { return *this; }
  GemmWorkspace(GemmWorkspace&&) noexcept = default;
  GemmWorkspace& operator=(GemmWorkspace&&) noexcept = default;
  ~GemmWorkspace() = default;

  /// Scratch for a transposed operand or result of the fast kernels (resized only when its
  /// shape changes).
  Matrix<T> transposed;

#if NNFS_DETAIL_EIGEN_GEMM
  using Blocking = Eigen::internal::gemm_blocking_space<Eigen::RowMajor, T, T, Eigen::Dynamic, Eigen::Dynamic,
                                                        Eigen::Dynamic>;

  /// The blocking space for an (rows × depth)·(depth × cols) product, allocated on first use
  /// and whenever the shape changes.
  Blocking& blocking(Index rows, Index cols, Index depth) {
    if (!blocking_ || rows != rows_ || cols != cols_ || depth != depth_) {
      blocking_ = std::make_unique<Blocking>(rows, cols, depth, 1, true);
      blocking_->allocateAll();
      rows_ = rows;
      cols_ = cols;
      depth_ = depth;
    }
    return *blocking_;
  }

 private:
  std::unique_ptr<Blocking> blocking_;
  Index rows_ = -1;
  Index cols_ = -1;
  Index depth_ = -1;
#endif
};

/// A read-only operand: a pointer, its storage order and outer stride (a transposed row-major
/// matrix is the same memory read column-major).
template <class T, int Order>
struct Operand {
  const T* data;
  Index rows;
  Index cols;
  Index outer_stride;

  /// Element (i, j) as a pointer offset: row stride and column stride of this storage order.
  Index row_stride() const { return Order == Eigen::RowMajor ? outer_stride : 1; }
  Index col_stride() const { return Order == Eigen::RowMajor ? 1 : outer_stride; }
};

template <class T>
Operand<T, Eigen::RowMajor> operand(const Matrix<T>& m) {
  return {m.data(), m.rows(), m.cols(), m.outerStride()};
}

/// The transpose of m, without copying.
template <class T>
Operand<T, Eigen::ColMajor> operand_transposed(const Matrix<T>& m) {
  return {m.data(), m.cols(), m.rows(), m.outerStride()};
}

#if NNFS_DETAIL_EIGEN_GEMM
/// Eigen's kernel on raw pointers: c (rows × cols, row-major, stride ldc) += a·b.
template <class T, int OrderA, int OrderB>
void eigen_gebp(T* c, Index ldc, const Operand<T, OrderA>& a, const Operand<T, OrderB>& b,
                typename GemmWorkspace<T>::Blocking& blocking) {
  Eigen::internal::general_matrix_matrix_product<Index, T, OrderA, false, T, OrderB, false, Eigen::RowMajor, 1>::run(
      a.rows, b.cols, a.cols, a.data, a.outer_stride, b.data, b.outer_stride, c, 1, ldc, T(1), blocking);
}
#endif

/// c = a · b into rows already allocated (row-major, stride ldc), with the blocking of a product
/// of `blocking_rows` rows (≥ a.rows): gemm below (blocking_rows = a.rows), or a product taken a
/// block of rows at a time with one workspace (ops::reference::matmul_add_row_view).
template <class T, int OrderA, int OrderB>
void gemm_rows(T* c, Index ldc, const Operand<T, OrderA>& a, const Operand<T, OrderB>& b, Index blocking_rows,
               GemmWorkspace<T>& ws) {
  for (Index i = 0; i < a.rows; ++i) std::fill(c + i * ldc, c + i * ldc + b.cols, T(0));  // out += a·b
  if (a.rows == 0 || b.cols == 0 || a.cols == 0) return;
#if NNFS_DETAIL_EIGEN_GEMM
  eigen_gebp(c, ldc, a, b, ws.blocking(blocking_rows, b.cols, a.cols));
#else
  (void)blocking_rows;
  (void)ws;
  using MapA = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, OrderA>, 0, Eigen::OuterStride<>>;
  using MapB = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, OrderB>, 0, Eigen::OuterStride<>>;
  Eigen::Map<Matrix<T>, 0, Eigen::OuterStride<>>(c, a.rows, b.cols, Eigen::OuterStride<>(ldc)).noalias() =
      MapA(a.data, a.rows, a.cols, Eigen::OuterStride<>(a.outer_stride)) *
      MapB(b.data, b.rows, b.cols, Eigen::OuterStride<>(b.outer_stride));
#endif
}

/// out = a · b, (n×k)·(k×m) → n×m, out resized only when its shape changes. `out` must not
/// share memory with a or b. Eigen's kernel, single-threaded: the book numerics' product.
template <class T, int OrderA, int OrderB>
void gemm(Matrix<T>& out, const Operand<T, OrderA>& a, const Operand<T, OrderB>& b, GemmWorkspace<T>& ws) {
  out.resize(a.rows, b.cols);
  gemm_rows(out.data(), out.outerStride(), a, b, a.rows, ws);
}

}  // namespace nnfs::detail
