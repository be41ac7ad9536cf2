// nnfs/ops/finite.hpp — stop training with a clear report when the loss stops being a number.
//
// A diverging run (learning rate too high, a bad input) first produces an inf or NaN in some
// layer's output; from then on every loss is nan and a plain training loop prints
// "loss: nan" for thousands of epochs. check_finite() costs one comparison per epoch while the
// loss is finite. When it is not, it looks through the outputs it was given, in forward order,
// and throws nnfs::NonFiniteError naming the epoch and the first layer whose output holds a
// non-finite value (the layer that produced it), with the position and the value.
#pragma once

#include "nnfs/types.hpp"

#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

namespace nnfs {

/// Thrown when training produces an inf or NaN loss.
class NonFiniteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A layer output to inspect, named as the report should name it ("dense1", "relu1", ...).
template <class T>
struct Watched {
  const char* name;
  const Matrix<T>& values;
};

/// Throws NonFiniteError if `loss` is inf or NaN, naming the first watched output (in the order
/// given, i.e. forward order) that holds a non-finite value.
template <class T>
void check_finite(Index epoch, double loss, std::initializer_list<Watched<T>> outputs) {
  if (std::isfinite(loss)) return;
  const std::string head = "epoch " + std::to_string(epoch) + ": the loss is " + std::to_string(loss);
  for (const auto& w : outputs)
    for (Index i = 0; i < w.values.rows(); ++i)
      for (Index j = 0; j < w.values.cols(); ++j)
        if (!std::isfinite(w.values(i, j)))
          throw NonFiniteError(head + "; first non-finite value in the output of " + w.name + " (" +
                               shape_str(w.values) + ") at row " + std::to_string(i) + ", column " +
                               std::to_string(j) + ": " + std::to_string(static_cast<double>(w.values(i, j))));
  throw NonFiniteError(head + "; every watched layer output is finite, so the loss computation itself overflowed");
}

}  // namespace nnfs
