// nnfs/accuracy.hpp — classification accuracy (book chapter 5).
//
//     prediction_i = argmax_j ŷ_ij        (the first index on ties, like np.argmax)
//     accuracy     = mean_i [prediction_i == y_i]
// One-hot targets are turned into class indices with the same argmax first. The result is a
// double, as np.mean of a boolean array is.
#pragma once

#include "nnfs/types.hpp"

#include <stdexcept>
#include <string>

namespace nnfs {

/// The first index of the maximum of row i; a NaN counts as the maximum (np.argmax's rule).
template <class D>
Index argmax_of_row(const Eigen::MatrixBase<D>& m, Index i) {
  Index best = 0;
  for (Index j = 1; j < m.cols(); ++j) {
    const auto current = m(i, best);
    if (current != current) break;  // a NaN already found wins
    const auto candidate = m(i, j);
    if (candidate > current || candidate != candidate) best = j;
  }
  return best;
}

/// Row-wise argmax into `out` (N×C → N), reusing its storage.
template <class D>
void argmax_rows(const Eigen::MatrixBase<D>& m, Labels& out) {
  if (m.cols() == 0) throw std::invalid_argument("argmax_rows: matrix of shape " + shape_str(m) + " has no columns");
  out.resize(m.rows());
  for (Index i = 0; i < m.rows(); ++i) out(i) = static_cast<Labels::Scalar>(argmax_of_row(m, i));
}

/// Row-wise argmax (allocating convenience form).
template <class D>
Labels argmax_rows(const Eigen::MatrixBase<D>& m) {
  Labels out;
  argmax_rows(m, out);
  return out;
}

/// Fraction of samples whose argmax equals the sparse label. Labels are compared as they are;
/// an out-of-range label simply never matches, but a length mismatch or an empty batch throws.
template <class D>
double accuracy(const Eigen::MatrixBase<D>& y_pred, const Labels& y_true) {
  if (y_pred.rows() == 0 || y_pred.cols() == 0)
    throw std::invalid_argument("accuracy: empty batch (predictions of shape " + shape_str(y_pred) + ")");
  if (y_true.size() != y_pred.rows())
    throw std::invalid_argument("accuracy: " + std::to_string(y_true.size()) + " labels for a batch of " +
                                std::to_string(y_pred.rows()) + " samples (predictions " + shape_str(y_pred) +
                                ")");
  Index correct = 0;
  for (Index i = 0; i < y_pred.rows(); ++i)
    if (argmax_of_row(y_pred, i) == static_cast<Index>(y_true(i))) ++correct;
  return static_cast<double>(correct) / static_cast<double>(y_pred.rows());
}

/// Accuracy against one-hot targets (N×C): each target row is turned into its class index.
template <class D, class DT>
double accuracy(const Eigen::MatrixBase<D>& y_pred, const Eigen::MatrixBase<DT>& y_true) {
  if (y_true.rows() != y_pred.rows() || y_true.cols() != y_pred.cols())
    throw std::invalid_argument("accuracy: one-hot targets of shape " + shape_str(y_true) +
                                " do not match predictions " + shape_str(y_pred));
  return accuracy(y_pred, argmax_rows(y_true));
}

}  // namespace nnfs
