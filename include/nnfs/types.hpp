// nnfs/types.hpp — the matrix types every header shares, and how shapes appear in messages.
//
// Layout follows NumPy and the book: samples are rows. X is (samples × features), a Dense
// layer's weights are (inputs × neurons), its biases (1 × neurons). Matrices are row-major so
// that a sample is contiguous in memory, as in a NumPy array.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <string>

namespace nnfs {

using Index = Eigen::Index;

/// Row-major dynamic matrix: the library's storage for batches, weights and outputs.
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A single row (1 × n): biases, per-class statistics.
template <class T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic, Eigen::RowMajor>;

/// A column (n × 1): one value per sample, e.g. per-sample losses.
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// Sparse class labels, one integer per sample (NumPy: a 1-D integer array).
using Labels = Eigen::Matrix<std::int32_t, Eigen::Dynamic, 1>;

/// "rows×cols", the way shapes are named in every error message.
inline std::string shape_str(Index rows, Index cols) {
  return std::to_string(rows) + "\u00d7" + std::to_string(cols);
}

template <class Derived>
std::string shape_str(const Eigen::EigenBase<Derived>& m) {
  return shape_str(m.rows(), m.cols());
}

namespace detail {
/// kept = x as T, reusing kept's storage when the shape is unchanged. When the shape changes, x
/// is evaluated into new storage first: it may be (part of) `kept` itself, e.g.
/// layer.forward(layer.inputs().topRows(5)).
template <class T, class D>
void assign_evaluated(Matrix<T>& kept, const Eigen::MatrixBase<D>& x) {
  if (x.rows() == kept.rows() && x.cols() == kept.cols()) {
    kept = x.template cast<T>();
  } else {
    Matrix<T> fresh = x.template cast<T>();
    kept.swap(fresh);
  }
}
}  // namespace detail

}  // namespace nnfs
