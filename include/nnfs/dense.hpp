// nnfs/dense.hpp — Layer_Dense: a fully connected layer (book chapter 3).
//
// Every input connects to every neuron:
//     output = inputs · weights + biases,   (N×in)·(in×out) + (1×out) → N×out
// where N is the number of samples (rows), weights is (n_inputs × n_neurons) and the biases row
// is added to every sample. Storing weights as inputs × neurons (not neurons × inputs, as the
// single-neuron examples do) saves a transpose on every forward pass.
//
// Initialisation follows the book: weights = 0.01 · randn(n_inputs, n_neurons), biases = 0.
// Under nnfs::init() the draws come from the default generator in NumPy's order and are rounded
// like NumPy's float32 arithmetic, so the weights are the book's, bit for bit.
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/kernels.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <stdexcept>
#include <string>

namespace nnfs {

template <class T>
class Dense {
  static_assert(std::is_floating_point_v<T>, "Dense<T> needs a floating-point scalar");

 public:
  /// The book's Layer_Dense(n_inputs, n_neurons): weights 0.01·randn drawn from `rng`
  /// (by default the process-wide generator that nnfs::init() seeds), biases zero.
  Dense(Index n_inputs, Index n_neurons, RandomState& rng = default_random_state())
      : weights(checked_shape(n_inputs, n_neurons), n_neurons), biases(Matrix<T>::Zero(1, n_neurons)) {
    for (Index i = 0; i < weights.size(); ++i)
      // Python: 0.01 * np.random.randn(...) — a Python float times a float32 array is computed
      // in float32, i.e. T(0.01) * T(draw); for T = double that is plain double arithmetic.
      weights.data()[i] = static_cast<T>(0.01) * static_cast<T>(rng.randn());
  }

  /// A layer with given parameters: weights (n_inputs × n_neurons), biases (1 × n_neurons).
  template <class DW, class DB>
  Dense(const Eigen::MatrixBase<DW>& initial_weights, const Eigen::MatrixBase<DB>& initial_biases)
      : weights(initial_weights.template cast<T>()), biases(initial_biases.template cast<T>()) {
    if (weights.rows() == 0 || weights.cols() == 0)
      throw std::invalid_argument("Dense: weights must be non-empty, got shape " + shape_str(weights));
    if (biases.rows() != 1 || biases.cols() != weights.cols())
      throw std::invalid_argument("Dense: biases must have shape 1\u00d7" + std::to_string(weights.cols()) +
                                  " to match weights " + shape_str(weights) + ", got " + shape_str(biases));
  }

  Index n_inputs() const { return weights.rows(); }
  Index n_neurons() const { return weights.cols(); }

  /// output = inputs · weights + biases, (N×in)·(in×out) + (1×out) → N×out.
  /// The layer keeps a copy of its inputs (backpropagation needs them) and writes into
  /// `output`; both buffers are reused, so no allocation happens once N is stable.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs) {
    check_parameters();
    if (inputs.rows() == 0)
      throw std::invalid_argument("Dense::forward: empty batch (inputs of shape " + shape_str(inputs) + ")");
    if (inputs.cols() != n_inputs())
      throw std::invalid_argument("Dense::forward: inputs have " + std::to_string(inputs.cols()) +
                                  " columns (shape " + shape_str(inputs) + ") but the layer expects " +
                                  std::to_string(n_inputs()) + " inputs (weights " + shape_str(weights) + ")");
    inputs_ = inputs.template cast<T>();
    kernels::matmul(output, inputs_, weights, scratch_);
    output.rowwise() += biases.row(0);
    return output;
  }

  /// The inputs of the last forward pass (N×in).
  const Matrix<T>& inputs() const { return inputs_; }

  // Public like the book's attributes (dense1.weights, dense1.output), so a learner can look
  // at and set them; forward() re-checks their shapes on every call.
  Matrix<T> weights;  ///< n_inputs × n_neurons
  Matrix<T> biases;   ///< 1 × n_neurons
  Matrix<T> output;   ///< N × n_neurons, valid after forward()

 private:
  static Index checked_shape(Index n_inputs, Index n_neurons) {
    if (n_inputs <= 0 || n_neurons <= 0)
      throw std::invalid_argument("Dense: n_inputs and n_neurons must be positive, got n_inputs=" +
                                  std::to_string(n_inputs) + ", n_neurons=" + std::to_string(n_neurons));
    return n_inputs;
  }

  void check_parameters() const {
    if (weights.rows() == 0 || weights.cols() == 0 || biases.rows() != 1 || biases.cols() != weights.cols())
      throw std::invalid_argument("Dense::forward: parameters have inconsistent shapes: weights " +
                                  shape_str(weights) + ", biases " + shape_str(biases) +
                                  " (biases must be 1\u00d7n_neurons)");
  }

  Matrix<T> inputs_;
  kernels::DotScratch<T> scratch_;
};

}  // namespace nnfs
