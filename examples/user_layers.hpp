// user_layers.hpp — the layers and the loss of examples/22_user_layer.cpp, written as a user of
// the library writes them (docs/extending.md): nothing here is part of nnfs. The tests
// (tests/test_user_layer.cpp) use the same classes.
#pragma once

#include <nnfs/layers/layer.hpp>
#include <nnfs/parameter.hpp>
#include <nnfs/types.hpp>

#include <array>

namespace example {

// output = x if x > 0, else alpha·x;   dinputs = dvalues ⊙ (1 if x > 0, else alpha)
template <class T>
class LeakyReLU {
 public:
  explicit LeakyReLU(double alpha = 0.01) : alpha_(alpha) {}

  const nnfs::Matrix<T>& forward(const Eigen::Ref<const nnfs::Matrix<T>>& inputs) {
    inputs_ = inputs;
    output = inputs_.unaryExpr([a = static_cast<T>(alpha_)](T x) { return x > T(0) ? x : a * x; });
    return output;
  }

  const nnfs::Matrix<T>& backward(const nnfs::Matrix<T>& dvalues) {
    dinputs = dvalues.binaryExpr(inputs_, [a = static_cast<T>(alpha_)](T d, T x) { return x > T(0) ? d : a * d; });
    return dinputs;
  }

  /// What a model file keeps: `layer LeakyReLU alpha=0.1`.
  nnfs::Settings settings() const { return {{"alpha", alpha_}}; }

  nnfs::Matrix<T> output;
  nnfs::Matrix<T> dinputs;

 private:
  double alpha_;
  nnfs::Matrix<T> inputs_;
};

// output = inputs ⊙ gain (the 1×k row on every sample);   N×k → N×k
// dgain = Σ_rows dvalues ⊙ inputs (1×k),   dinputs = dvalues ⊙ gain
template <class T>
class Gain {
 public:
  explicit Gain(nnfs::Index features = 1) : gain(nnfs::Matrix<T>::Ones(1, features)) {}

  const nnfs::Matrix<T>& forward(const Eigen::Ref<const nnfs::Matrix<T>>& inputs) {
    inputs_ = inputs;
    output = inputs_.array().rowwise() * gain.row(0).array();
    return output;
  }

  const nnfs::Matrix<T>& backward(const nnfs::Matrix<T>& dvalues) {
    dgain = (dvalues.array() * inputs_.array()).colwise().sum();
    dinputs = dvalues.array().rowwise() * gain.row(0).array();
    return dinputs;
  }

  /// The trainable parameter, its gradient and the optimizer's state for it.
  std::array<nnfs::Parameter<T>, 1> parameters() { return {nnfs::parameter("gain", gain, dgain, gain_state_)}; }

  nnfs::Settings settings() const { return {{"features", static_cast<double>(gain.cols())}}; }

  /// What the optimizer keeps for `gain` (SGD with momentum, Adagrad, RMSprop, Adam).
  const nnfs::OptimizerState<T>& gain_state() const { return gain_state_; }

  nnfs::Matrix<T> gain;
  nnfs::Matrix<T> dgain;
  nnfs::Matrix<T> output;
  nnfs::Matrix<T> dinputs;

 private:
  nnfs::OptimizerState<T> gain_state_;
  nnfs::Matrix<T> inputs_;
};

// L_i = ½·mean_j (p_ij − t_ij)²;   ∂L/∂p = (p − t) / k / N (the mean over N samples)
template <class T>
class HalfSquaredError {
 public:
  const nnfs::Vector<T>& forward(const nnfs::Matrix<T>& y_pred, const Eigen::Ref<const nnfs::Matrix<T>>& y_true) {
    sample_losses_ = T(0.5) * (y_pred - y_true).array().square().rowwise().mean();
    return sample_losses_;
  }

  const nnfs::Matrix<T>& backward(const nnfs::Matrix<T>& dvalues, const Eigen::Ref<const nnfs::Matrix<T>>& y_true) {
    dinputs = (dvalues - y_true) / static_cast<T>(dvalues.cols()) / static_cast<T>(dvalues.rows());
    return dinputs;
  }

  nnfs::Matrix<T> dinputs;

 private:
  nnfs::Vector<T> sample_losses_;
};

}  // namespace example
