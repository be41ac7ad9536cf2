// nnfs/datasets/sine.hpp — the book's sine data set (nnfs.datasets.sine_data), for regression.
//
// One period of a sine sampled on [0, 1): chapter 17 fits it with a small network. No
// randomness. The nnfs package computes, in float64 (nnfs.init() does not change it):
//
//     X = np.arange(samples).reshape(-1, 1) / samples
//     y = np.sin(2 * np.pi * X).reshape(-1, 1)        # (2·π) first, then · X
//
// Here both are computed in double and stored as T, so sine_data<double> is NumPy's output
// and sine_data<float> its float32 rounding (the scalar type of a float network).
#pragma once

#include "nnfs/datasets/dataset.hpp"
#include "nnfs/types.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace nnfs::datasets {

/// nnfs.datasets.sine_data(samples): X (samples × 1) = i / samples, y (samples × 1) = sin(2π·X).
/// Throws std::invalid_argument when samples is not positive.
template <class T = float>
RegressionDataset<T> sine_data(Index samples = 1000) {
  static_assert(std::is_floating_point_v<T>, "sine_data<T>: T must be float or double");
  if (samples <= 0)
    throw std::invalid_argument(
        "nnfs::datasets::sine_data: samples must be positive (got samples=" +
        std::to_string(samples) + ")");
  constexpr double two_pi = 2.0 * 3.141592653589793;  // Python: 2 * np.pi, one rounding
  RegressionDataset<T> data{Matrix<T>(samples, 1), Matrix<T>(samples, 1)};
  for (Index i = 0; i < samples; ++i) {
    const double x = static_cast<double>(i) / static_cast<double>(samples);
    data.X(i, 0) = static_cast<T>(x);
    data.y(i, 0) = static_cast<T>(std::sin(two_pi * x));
  }
  return data;
}

}  // namespace nnfs::datasets
