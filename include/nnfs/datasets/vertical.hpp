// nnfs/datasets/vertical.hpp — the book's vertical data set (nnfs.datasets.vertical_data).
//
// `classes` vertical blobs side by side, easy to separate: chapter 6 uses it to show that
// even random search finds weights for it. The nnfs package's arithmetic, for class c:
//
//     X[c*samples : (c+1)*samples] = np.c_[np.random.randn(samples) * 0.1 + c / 3,
//                                          np.random.randn(samples) * 0.1 + 0.5]
//     y[...] = c
//
// so all x draws of a class come before its y draws. After nnfs.init() randn is float32 and
// the Python floats 0.1, c/3 and 0.5 are rounded to float32 before the float32 operations:
//     x = fl(fl(randn)·fl(0.1)) + fl(c/3),   y = fl(fl(randn)·fl(0.1)) + fl(0.5)   (in float32).
// With T = double the same code is plain NumPy float64 (no nnfs.init()).
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/datasets/dataset.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <cstdint>
#include <type_traits>

namespace nnfs::datasets {

/// nnfs.datasets.vertical_data(samples, classes), drawing its `2·samples·classes` normals
/// from `rng` in NumPy's order. X is (samples·classes × 2), y the class of each row.
/// Throws std::invalid_argument for non-positive or overflowing sizes.
template <class T = float>
Dataset<T> vertical_data(Index samples, Index classes, RandomState& rng) {
  static_assert(std::is_floating_point_v<T>, "vertical_data<T>: T must be float or double");
  const Index rows = detail::checked_rows("nnfs::datasets::vertical_data", samples, classes);
  Dataset<T> data{Matrix<T>(rows, 2), Labels(rows)};
  const T spread = static_cast<T>(0.1);
  const T y_centre = static_cast<T>(0.5);
  for (Index c = 0; c < classes; ++c) {
    const T x_centre = static_cast<T>(static_cast<double>(c) / 3.0);  // Python's c / 3, then fl(·)
    const Index first = c * samples;
    for (Index i = 0; i < samples; ++i)
      data.X(first + i, 0) = detail::rounded(static_cast<T>(rng.randn()) * spread) + x_centre;
    for (Index i = 0; i < samples; ++i) {
      data.X(first + i, 1) = detail::rounded(static_cast<T>(rng.randn()) * spread) + y_centre;
      data.y(first + i) = static_cast<std::int32_t>(c);
    }
  }
  return data;
}

/// vertical_data drawing from nnfs::default_random_state() (the generator nnfs::init() seeds).
template <class T = float>
Dataset<T> vertical_data(Index samples, Index classes) {
  return vertical_data<T>(samples, classes, default_random_state());
}

}  // namespace nnfs::datasets
