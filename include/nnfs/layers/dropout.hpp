// nnfs/layers/dropout.hpp — Layer_Dropout: inverted dropout (book chapter 15).
//
// During training each input is kept with probability q = 1 − rate and zeroed otherwise; the
// kept ones are scaled by 1/q so that the expected sum stays what the next layer sees without
// dropout:
//     mask    = binomial(1, q) / q        N×k, drawn fresh every forward pass
//     output  = inputs ⊙ mask
//     dinputs = dvalues ⊙ mask           (the same mask: dropped units pass no gradient)
// In evaluation mode (forward(inputs, false)) the layer is the identity.
// The mask is drawn with RandomState::binomial, element by element in row-major order, so the
// draws are NumPy's np.random.binomial(1, q, size=inputs.shape). As in NumPy, the mask is
// float64 (an integer array divided by a Python float): the products with it are computed in
// double and rounded once to T. That rounding matters more than one would think: with the scale
// rounded to float first, the book's chapter 15 run drifts to a visibly worse model.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {

template <class T>
class Dropout {
  static_assert(std::is_floating_point_v<T>, "Dropout<T> needs a floating-point scalar");

 public:
  /// rate: the fraction of units to drop, in [0, 1) (the book: Layer_Dropout(0.1)).
  explicit Dropout(double rate, RandomState& rng = default_random_state()) : rate_(rate), keep_(1.0 - rate), rng_(&rng) {
    if (!(rate >= 0.0 && rate < 1.0))
      throw std::invalid_argument("Dropout: rate must be in [0, 1), got " + std::to_string(rate));
  }

  /// Training: output = inputs ⊙ mask with a fresh mask; evaluation: output = inputs.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs, bool training = true) {
    if (inputs.rows() == 0 || inputs.cols() == 0)
      throw std::invalid_argument("Dropout::forward: empty input of shape " + shape_str(inputs));
    training_ = training;
    if (!training) {
      detail::assign_evaluated(output, inputs);  // the inputs may be (part of) output itself
      return output;
    }
    // The inputs as float64 (exact for float and double), kept before the mask or the output
    // change: the inputs may be (part of) either (forward(dropout.output.topRows(k))).
    detail::assign_evaluated(inputs_, inputs);
    binary_mask.resize(inputs_.rows(), inputs_.cols());
    // NumPy: np.random.binomial(1, q, size) / q — an integer array divided by a Python float.
    for (Index i = 0; i < binary_mask.size(); ++i)
      binary_mask.data()[i] = static_cast<double>(rng_->binomial(1, keep_)) / keep_;
    output = inputs_.cwiseProduct(binary_mask).template cast<T>();
    return output;
  }

  /// dinputs = dvalues ⊙ mask (identity after an evaluation-mode forward).
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues) {
    if (output.size() == 0)
      throw std::logic_error("Dropout::backward: called before forward (no mask to apply)");
    if (dvalues.rows() != output.rows() || dvalues.cols() != output.cols())
      throw std::invalid_argument("Dropout::backward: dvalues of shape " + shape_str(dvalues) +
                                  " do not match the output " + shape_str(output));
    if (training_)
      dinputs = (dvalues.template cast<double>().cwiseProduct(binary_mask)).template cast<T>();
    else
      dinputs = dvalues.template cast<T>();
    return dinputs;
  }

  double rate() const { return rate_; }

  Matrix<T> output;       ///< N × k, valid after forward()
  Matrix<T> dinputs;      ///< N × k, valid after backward()
  Matrix<double> binary_mask;  ///< the scaled mask of the last training forward: 0 or 1/(1 − rate), float64 as NumPy

 private:
  double rate_;
  double keep_;
  RandomState* rng_;
  bool training_ = true;
  Matrix<double> inputs_;  // the last training inputs as float64

 public:
  // What a Model and a model file ask of any layer (nnfs/layers/layer.hpp).
  /// What a model file keeps on its layer line.
  std::vector<std::pair<std::string, double>> settings() const { return {{"rate", rate_}}; }
  /// Its line in Model::summary(): "Dropout(0.1)".
  std::string describe() const { return fmt::format("Dropout({:g})", rate_); }
};

NNFS_COMPILED_INSTANCE(class Dropout<float>)
NNFS_COMPILED_INSTANCE(class Dropout<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& Dropout<float>::forward(const Eigen::MatrixBase<Matrix<float>>&, bool))
NNFS_COMPILED_INSTANCE(const Matrix<float>& Dropout<float>::backward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Dropout<double>::forward(const Eigen::MatrixBase<Matrix<double>>&, bool))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Dropout<double>::backward(const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
