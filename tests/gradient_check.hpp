// gradient_check.hpp — a central-difference gradient checker for the tests.
//
// Backpropagation is only correct if every layer's backward() really returns the derivative of
// its forward(). The way to be sure is to compare it with a derivative computed *without*
// calculus: nudge one input a little up and a little down and see how much the output moves.
//
// For a scalar function f of a matrix x (double) and an analytic gradient g of the same shape:
//
//   numerical gradient  n_i = ( f(x + h_i·e_i) − f(x − h_i·e_i) ) / (2·h_i)
//                       (e_i: 1 at element i, 0 elsewhere)
//   step                h_i = step · max(1, |x_i|)                       step = 1e-5
//   relative error      err_i = |g_i − n_i| / max(|g_i| + |n_i|, floor)
//   floor               floor = max(1e-7, 1e-3 · max_j (|g_j| + |n_j|))
//   report              max_i err_i, the element where it occurs and both values there
//
// Why these choices:
//  * Central differences are accurate to O(h²) (the one-sided (f(x+h) − f(x))/h only to O(h)):
//    the truncation error is about h²·|f‴|/6. A smaller h reduces it but increases the rounding
//    error, about ε·|f|/h (ε ≈ 2.2e-16 for double): the two values of f agree in most of their
//    digits and the difference keeps only the rest. For the smooth, well-scaled functions of
//    the tests h = 1e-5 keeps both near 1e-11; with h = 1e-6 the rounding noise reaches 1e-10,
//    which already shows in a 1e-6 comparison of the smaller gradient elements.
//  * The step grows with |x_i| so that x_i ± h_i still differ from x_i in many bits, and the
//    division uses the step really taken, (x_i + h_i) − (x_i − h_i), not the intended 2·h_i.
//  * err_i is the usual symmetric relative error: 0 for equal values, 1 for opposite signs.
//  * The floor. A purely relative comparison fails on elements that are nearly zero: their
//    numerical value is mostly rounding noise (≈ 1e-11 absolute, see above), so an element
//    that happens to be 1e-6 would show a "relative error" of 1e-5 although nothing is wrong.
//    Below the floor the comparison becomes absolute: such an element must agree to within
//    tolerance × floor, i.e. to a billionth of the largest gradient for a 1e-6 tolerance.
//    The absolute part (1e-7) makes exactly-zero gradients (a ReLU that is off everywhere)
//    compare sensibly: 0 against 0 is error 0, and 0 against 1e-9 is error 1e-2.
//  * f must be smooth near x: no kink (ReLU at 0, |·| at 0, a clip boundary) closer than a few
//    h_i to any x_i, or the two sides of the difference see different slopes.
#pragma once

#include "nnfs/types.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <stdexcept>

namespace nnfs_test {

using GradMatrix = nnfs::Matrix<double>;

struct GradientCheckOptions {
  double step = 1e-5;            ///< h_i = step · max(1, |x_i|)
  double floor = 1e-7;           ///< the floor's absolute part
  double relative_floor = 1e-3;  ///< the floor's part proportional to max_j (|g_j| + |n_j|)
};

/// The outcome of a comparison: the worst element and how bad it is.
struct GradientReport {
  double max_rel_error = 0.0;  ///< max_i |g_i − n_i| / max(|g_i| + |n_i|, floor)
  nnfs::Index row = -1;        ///< where the maximum occurs (-1 if nothing was compared)
  nnfs::Index col = -1;
  double analytic = 0.0;     ///< g at (row, col)
  double numerical = 0.0;    ///< n (or the reference value) at (row, col)
  double floor = 0.0;        ///< the denominator's floor that was used
  nnfs::Index elements = 0;  ///< how many elements were compared
};

/// Prints the report on one line, for INFO(report).
inline std::ostream& operator<<(std::ostream& os, const GradientReport& r) {
  return os << "max relative error " << r.max_rel_error << " at (" << r.row << ", " << r.col << "): analytic "
            << r.analytic << ", numerical " << r.numerical << " (" << r.elements << " elements, floor " << r.floor
            << ")";
}

/// Compares two matrices of the same shape element by element and reports the worst element
/// (the relative error and floor defined at the top). Used for analytic vs numerical gradients,
/// and for two analytic gradients that should agree (a fused backward and its chained version).
inline GradientReport compare_gradients(const GradMatrix& analytic, const GradMatrix& numerical,
                                        const GradientCheckOptions& options = {}) {
  if (analytic.rows() != numerical.rows() || analytic.cols() != numerical.cols())
    throw std::invalid_argument("compare_gradients: shapes " + nnfs::shape_str(analytic) + " and " +
                                nnfs::shape_str(numerical) + " differ");
  GradientReport report;
  report.elements = analytic.size();

  double scale = 0.0;  // max_j (|g_j| + |n_j|); NaNs are skipped here and caught below
  for (nnfs::Index i = 0; i < analytic.size(); ++i)
    scale = std::max(scale, std::abs(analytic.data()[i]) + std::abs(numerical.data()[i]));
  report.floor = std::max(options.floor, options.relative_floor * scale);

  for (nnfs::Index r = 0; r < analytic.rows(); ++r)
    for (nnfs::Index c = 0; c < analytic.cols(); ++c) {
      const double g = analytic(r, c), n = numerical(r, c);
      double err = std::abs(g - n) / std::max(std::abs(g) + std::abs(n), report.floor);
      if (std::isnan(err)) err = std::numeric_limits<double>::infinity();  // NaN never passes
      if (report.row < 0 || err > report.max_rel_error) {
        report.max_rel_error = err;
        report.row = r;
        report.col = c;
        report.analytic = g;
        report.numerical = n;
      }
    }
  return report;
}

/// The central-difference gradient of f at x. f is called as f(const GradMatrix&) → double,
/// 2·x.size() times; x itself is not changed.
template <class F>
GradMatrix numerical_gradient(F&& f, const GradMatrix& x, double step = GradientCheckOptions{}.step) {
  GradMatrix probe = x;             // perturbed one element at a time, then restored
  const GradMatrix& point = probe;  // what f sees (read-only)
  GradMatrix grad(x.rows(), x.cols());
  for (nnfs::Index i = 0; i < x.size(); ++i) {
    const double original = x.data()[i];
    const double h = step * std::max(1.0, std::abs(original));
    const double up = original + h;
    const double down = original - h;
    probe.data()[i] = up;
    const double f_up = static_cast<double>(f(point));
    probe.data()[i] = down;
    const double f_down = static_cast<double>(f(point));
    probe.data()[i] = original;
    grad.data()[i] = (f_up - f_down) / (up - down);  // divided by the step really taken
  }
  return grad;
}

/// Checks an analytic gradient of f at x against central differences.
template <class F>
GradientReport check_gradient(F&& f, const GradMatrix& x, const GradMatrix& analytic,
                              const GradientCheckOptions& options = {}) {
  if (analytic.rows() != x.rows() || analytic.cols() != x.cols())
    throw std::invalid_argument("check_gradient: the gradient's shape " + nnfs::shape_str(analytic) +
                                " differs from the point's " + nnfs::shape_str(x));
  return compare_gradients(analytic, numerical_gradient(f, x, options.step), options);
}

}  // namespace nnfs_test
