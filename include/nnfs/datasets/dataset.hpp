// nnfs/datasets/dataset.hpp — what the dataset generators return, and their shared checks.
//
// The book's generators return a pair (X, y). Here they return a small struct, so the Python
// line `X, y = spiral_data(samples=100, classes=3)` becomes
//     auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3);
// Samples are rows (NumPy layout): X is (rows × features), y has one entry per row.
#pragma once

#include "nnfs/detail/fp.hpp"
#include "nnfs/types.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace nnfs::datasets {

/// A classification data set: X (rows × features) and the class of each row.
template <class T>
struct Dataset {
  Matrix<T> X;
  Labels y;
};

/// A regression data set: X (rows × features) and the target(s) of each row (rows × outputs).
template <class T>
struct RegressionDataset {
  Matrix<T> X;
  Matrix<T> y;
};

namespace detail {

/// samples·classes, after checking what NumPy would reject or what cannot be stored: both
/// must be positive, the labels 0..classes−1 must fit an int32, and rows × 2 coordinates must
/// fit an Index (an overflowing size would otherwise allocate garbage).
inline Index checked_rows(const char* function, Index samples, Index classes) {
  const std::string seen =
      " (got samples=" + std::to_string(samples) + ", classes=" + std::to_string(classes) + ")";
  if (samples <= 0 || classes <= 0)
    throw std::invalid_argument(std::string(function) + ": samples and classes must be positive" +
                                seen);
  if (classes - 1 > std::numeric_limits<std::int32_t>::max())
    throw std::invalid_argument(std::string(function) +
                                ": too many classes for 32-bit labels" + seen);
  if (samples > std::numeric_limits<Index>::max() / 2 / classes)
    throw std::invalid_argument(std::string(function) +
                                ": samples \u00d7 classes \u00d7 2 overflows the index type" +
                                seen);
  return samples * classes;
}

/// See nnfs/detail/fp.hpp: keeps NumPy's rounding of products under FMA contraction.
using nnfs::detail::rounded;

}  // namespace detail
}  // namespace nnfs::datasets
