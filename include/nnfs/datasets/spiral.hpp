// nnfs/datasets/spiral.hpp — the book's spiral data set (nnfs.datasets.spiral_data).
//
// `classes` interleaved spiral arms of `samples` points each: the classic data set that a
// linear model cannot separate. The book's numbers depend on every bit of X, so this is the
// nnfs package's arithmetic step by step, for class c:
//
//     r = np.linspace(0.0, 1, samples)                                  # float64
//     t = np.linspace(c*4, (c+1)*4, samples) + np.random.randn(samples) * 0.2
//     X[c*samples : (c+1)*samples] = np.c_[r * np.sin(t*2.5), r * np.cos(t*2.5)]
//     y[...] = c
//
// After nnfs.init(), randn is rounded to float32 and `randn * 0.2` is a float32 product
// (0.2 itself rounded to float32); t, the sines and cosines are float64 (the linspace is);
// the result is stored as float32. With T = double the same code is plain NumPy float64 (no
// nnfs.init()): the casts to T at those points are then exact no-ops.
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/datasets/dataset.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace nnfs::datasets {

namespace detail {

/// Element i of np.linspace(start, stop, n) (endpoint=True), exactly as NumPy computes it:
///     step = (stop − start) / (n − 1);   y[i] = i·step + start;   y[n−1] = stop;
/// and y[0] = start when n == 1. (NumPy divides before multiplying only when step underflows
/// to 0, which cannot happen for the spans used here.)
inline double linspace_at(double start, double stop, Index n, Index i) {
  if (n == 1) return start;
  if (i == n - 1) return stop;
  const double step = (stop - start) / static_cast<double>(n - 1);
  return rounded(static_cast<double>(i) * step) + start;
}

}  // namespace detail

/// nnfs.datasets.spiral_data(samples, classes), drawing its `samples·classes` normals from
/// `rng` in NumPy's order (class by class). X is (samples·classes × 2), y the class of each row.
/// Throws std::invalid_argument for non-positive or overflowing sizes.
template <class T = float>
Dataset<T> spiral_data(Index samples, Index classes, RandomState& rng) {
  static_assert(std::is_floating_point_v<T>, "spiral_data<T>: T must be float or double");
  const Index rows = detail::checked_rows("nnfs::datasets::spiral_data", samples, classes);
  Dataset<T> data{Matrix<T>(rows, 2), Labels(rows)};
  const T noise_scale = static_cast<T>(0.2);  // a Python float meeting a float32 array: fl32(0.2)
  for (Index c = 0; c < classes; ++c) {
    const double t_start = 4.0 * static_cast<double>(c);
    const double t_stop = 4.0 * static_cast<double>(c + 1);
    for (Index i = 0; i < samples; ++i) {
      const double r = detail::linspace_at(0.0, 1.0, samples, i);
      // randn · 0.2 in T (float32 in the book), then added to the float64 linspace.
      const T noise = detail::rounded(static_cast<T>(rng.randn()) * noise_scale);
      const double t =
          detail::linspace_at(t_start, t_stop, samples, i) + static_cast<double>(noise);
      const double angle = t * 2.5;
      const Index row = c * samples + i;
      data.X(row, 0) = static_cast<T>(r * std::sin(angle));  // computed in double, stored as T
      data.X(row, 1) = static_cast<T>(r * std::cos(angle));
      data.y(row) = static_cast<std::int32_t>(c);
    }
  }
  return data;
}

/// spiral_data drawing from nnfs::default_random_state() (the generator nnfs::init() seeds).
template <class T = float>
Dataset<T> spiral_data(Index samples, Index classes) {
  return spiral_data<T>(samples, classes, default_random_state());
}

}  // namespace nnfs::datasets
