// nnfs/layers/dense.hpp — Layer_Dense: a fully connected layer (book chapter 3).
//
// Every input connects to every neuron:
//     output = inputs · weights + biases,   (N×in)·(in×out) + (1×out) → N×out
// where N is the number of samples (rows), weights is (n_inputs × n_neurons) and the biases row
// is added to every sample. Storing weights as inputs × neurons (not neurons × inputs, as the
// single-neuron examples do) saves a transpose on every forward pass.
//
// Backward (book chapter 9), given dvalues = ∂L/∂output (N×out):
//     dweights = inputsᵀ · dvalues      (in×N)·(N×out) → in×out
//     dbiases  = Σ_rows dvalues          (N×out) → 1×out
//     dinputs  = dvalues · weightsᵀ      (N×out)·(out×in) → N×in
// plus the L1/L2 regularization gradients when the layer has them (chapter 14).
//
// Initialisation follows the book: weights = 0.01 · randn(n_inputs, n_neurons), biases = 0
// (chapter 17 uses 0.1: the weight_scale argument). Under nnfs::init() the draws come from the
// default generator in NumPy's order and are rounded like NumPy's float32 arithmetic, so the
// weights are the book's, bit for bit.
#pragma once

#include "nnfs/detail/compiled.hpp"
#include "nnfs/ops/ops.hpp"
#include "nnfs/parameter.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/layers/regularization.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace nnfs {

template <class T>
class Dense {
  static_assert(std::is_floating_point_v<T>, "Dense<T> needs a floating-point scalar");

 public:
  /// The book's Layer_Dense(n_inputs, n_neurons): weights 0.01·randn drawn from `rng`, biases zero.
  Dense(Index n_inputs, Index n_neurons, RandomState& rng) : Dense(n_inputs, n_neurons, Regularization{}, 0.01, rng) {}

  /// Layer_Dense(n_inputs, n_neurons, weight_regularizer_l1, weight_regularizer_l2,
  /// bias_regularizer_l1, bias_regularizer_l2), weights weight_scale·randn (the book: 0.01;
  /// chapter 17: 0.1), drawn from `rng` — by default the generator nnfs::init() seeds.
  explicit Dense(Index n_inputs, Index n_neurons, const Regularization& reg = {}, double weight_scale = 0.01,
                 RandomState& rng = default_random_state())
      : weights(checked_shape(n_inputs, n_neurons), n_neurons),
        biases(Matrix<T>::Zero(1, n_neurons)),
        regularization(reg) {
    regularization.validate_in<T>("Dense");
    if (!(weight_scale >= 0.0) || !std::isfinite(weight_scale))
      throw std::invalid_argument("Dense: weight_scale must be finite and >= 0, got " + std::to_string(weight_scale));
    detail::require_in_scalar_type<T>("Dense", "weight_scale", weight_scale);
    const T scale = static_cast<T>(weight_scale);
    for (Index i = 0; i < weights.size(); ++i)
      // Python: 0.01 * np.random.randn(...) — a Python float times a float32 array is computed
      // in float32, i.e. T(0.01) * T(draw); for T = double that is plain double arithmetic.
      weights.data()[i] = scale * static_cast<T>(rng.randn());
  }

  /// A layer with given parameters: weights (n_inputs × n_neurons), biases (1 × n_neurons).
  template <class DW, class DB>
  Dense(const Eigen::MatrixBase<DW>& initial_weights, const Eigen::MatrixBase<DB>& initial_biases,
        const Regularization& reg = {})
      : weights(initial_weights.template cast<T>()), biases(initial_biases.template cast<T>()), regularization(reg) {
    regularization.validate_in<T>("Dense");
    if (weights.rows() == 0 || weights.cols() == 0)
      throw std::invalid_argument("Dense: weights must be non-empty, got shape " + shape_str(weights));
    if (biases.rows() != 1 || biases.cols() != weights.cols())
      throw std::invalid_argument("Dense: biases must have shape 1\u00d7" + std::to_string(weights.cols()) +
                                  " to match weights " + shape_str(weights) + ", got " + shape_str(biases));
  }

  Index n_inputs() const { return weights.rows(); }
  Index n_neurons() const { return weights.cols(); }
  /// The width of inputs it takes (Model::input_width).
  Index input_width() const { return n_inputs(); }

  /// output = inputs · weights + biases, (N×in)·(in×out) + (1×out) → N×out.
  /// The layer keeps a copy of its inputs (backpropagation needs them) and writes into
  /// `output`; both buffers are reused, so no allocation happens once N is stable.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs) {
    check_inputs(inputs);
    inputs_kept_ = true;
    if constexpr (readable_in_place<D>) {
      // Inputs in memory are read where they are by the product (then kept), unless they share
      // memory with what the pass writes.
      const D& in = inputs.derived();
      if (in.innerStride() == 1 && !overlaps(in, output) && !overlaps(in, inputs_)) {
        ops::matmul_add_row_kept(output, inputs_, in, weights, biases, scratch_);  // inputs·weights + biases
        return output;
      }
    }
    detail::assign_evaluated(inputs_, inputs);
    ops::matmul_add_row(output, inputs_, weights, biases, scratch_);  // inputs·weights + biases
    return output;
  }

  /// forward(inputs, training), the book's signature from chapter 21 on (the Model passes it).
  /// training = true is forward(inputs). With training = false nothing will be backpropagated:
  /// inputs in memory are read where they are and not kept (evaluating 10 000 images copies
  /// none of them), and backward() throws std::logic_error until the next training forward.
  /// The output is the same, bit for bit.
  template <class D>
  const Matrix<T>& forward(const Eigen::MatrixBase<D>& inputs, bool training) {
    if (training) return forward(inputs);
    if constexpr (readable_in_place<D>) {
      const D& in = inputs.derived();
      if (in.innerStride() == 1 && !overlaps(in, output)) {
        check_inputs(inputs);
        ops::matmul_add_row_view(output, in, weights, biases, scratch_);  // inputs·weights + biases
        inputs_kept_ = false;
        return output;
      }
    }
    return forward(inputs);  // an expression, or the layer's own output: evaluated and kept
  }

  /// Gradients from dvalues = ∂L/∂output (N×out), the N of the last forward pass:
  ///   dweights = inputsᵀ·dvalues (in×out), dbiases = column sums (1×out) + regularization terms,
  ///   dinputs = dvalues·weightsᵀ (N×in). Buffers are reused like forward's.
  template <class D>
  const Matrix<T>& backward(const Eigen::MatrixBase<D>& dvalues) {
    backward_impl(dvalues, true);
    return dinputs;
  }

  /// backward() without dinputs: only dweights and dbiases, for a first layer, whose inputs are
  /// the data and need no gradient. It saves the (N×out)·(out×in) product, which for a wide input
  /// (784 pixels) is a third of a training step's arithmetic. `dinputs` is left as it was.
  template <class D>
  void backward_parameters(const Eigen::MatrixBase<D>& dvalues) {
    backward_impl(dvalues, false);
  }

  /// This layer's regularization penalty λ1·Σ|W| + λ2·ΣW² + (the same for the biases); 0 when the
  /// layer has none. Reported apart from the data loss, as the book's Loss.regularization_loss.
  double regularization_loss() {
    regularization.validate("Dense::regularization_loss");
    if (!regularization.any()) return 0.0;
    return detail::regularization_penalty(weights, regularization.weight_l1, regularization.weight_l2,
                                          weight_penalty_scratch_) +
           detail::regularization_penalty(biases, regularization.bias_l1, regularization.bias_l2,
                                          bias_penalty_scratch_);
  }

  /// The trainable parameters as optimizers see them: weights and biases, each with its
  /// gradient and its optimizer state (weight_momentums/weight_cache, bias_momentums/bias_cache).
  std::array<Parameter<T>, 2> parameters() {
    return {parameter("weights", weights, dweights, weight_momentums, weight_cache),
            parameter("biases", biases, dbiases, bias_momentums, bias_cache)};
  }

  /// The inputs kept by the last forward pass that keeps them (N×in): forward(inputs), not
  /// forward(inputs, false).
  const Matrix<T>& inputs() const { return inputs_; }

  // Public like the book's attributes (dense1.weights, dense1.output, dense1.dweights), so a
  // learner can look at and set them; forward() and backward() re-check their shapes.
  Matrix<T> weights;   ///< n_inputs × n_neurons
  Matrix<T> biases;    ///< 1 × n_neurons
  Matrix<T> output;    ///< N × n_neurons, valid after forward()
  Matrix<T> dweights;  ///< n_inputs × n_neurons, valid after backward()
  Matrix<T> dbiases;   ///< 1 × n_neurons, valid after backward()
  Matrix<T> dinputs;   ///< N × n_inputs, valid after backward()
  Regularization regularization;

  // Optimizer state, kept with the parameters it belongs to as in the book (layer.weight_cache
  // ...): sized by the optimizer on its first update, empty until then.
  Matrix<T> weight_momentums;
  Matrix<T> weight_cache;
  Matrix<T> bias_momentums;
  Matrix<T> bias_cache;

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

  // Inputs whose rows forward() can read in place: row-major T data in memory (a matrix, a
  // block of rows, a map).
  template <class D>
  static constexpr bool readable_in_place = std::is_same_v<typename D::Scalar, T> &&
                                            (Eigen::internal::traits<D>::Flags & Eigen::DirectAccessBit) != 0 &&
                                            (Eigen::internal::traits<D>::Flags & Eigen::RowMajorBit) != 0;

  // Whether the rows of x share memory with m.
  template <class D>
  static bool overlaps(const D& x, const Matrix<T>& m) {
    if (m.size() == 0 || x.size() == 0) return false;
    const T* first = x.data();
    const T* last = first + (x.rows() - 1) * x.outerStride() + x.cols();
    const std::less<const T*> before;
    return before(first, m.data() + m.size()) && before(m.data(), last);
  }

  // dvalues as a plain matrix: used in place when it already is one and backward writes none of
  // it (backward(dense.dinputs), or dweights/dbiases of a matching shape, are copied first).
  template <class D>
  const Matrix<T>& as_matrix(const Eigen::MatrixBase<D>& m) {
    if constexpr (std::is_same_v<D, Matrix<T>>) {
      const Matrix<T>& x = m.derived();
      if (!overlaps(x, dinputs) && !overlaps(x, dweights) && !overlaps(x, dbiases)) return x;
      dvalues_ = x;
      return dvalues_;
    } else {
      dvalues_ = m.template cast<T>();
      return dvalues_;
    }
  }

  template <class D>
  void check_inputs(const Eigen::MatrixBase<D>& inputs) const {
    check_parameters();
    if (inputs.rows() == 0)
      throw std::invalid_argument("Dense::forward: empty batch (inputs of shape " + shape_str(inputs) + ")");
    if (inputs.cols() != n_inputs())
      throw std::invalid_argument("Dense::forward: inputs have " + std::to_string(inputs.cols()) +
                                  " columns (shape " + shape_str(inputs) + ") but the layer expects " +
                                  std::to_string(n_inputs()) + " inputs (weights " + shape_str(weights) + ")");
  }

  // backward() and backward_parameters(): dvalues checked, then the gradients.
  template <class D>
  void backward_impl(const Eigen::MatrixBase<D>& dvalues, bool with_dinputs) {
    check_parameters();
    // `regularization` is a public member: a strength assigned after construction is checked
    // here, where it is used, rather than silently read as "no regularization".
    regularization.validate_in<T>("Dense::backward");
    if (!inputs_kept_)
      throw std::logic_error(
          output.rows() == 0
              ? "Dense::backward: called before forward (the layer has no inputs to differentiate)"
              : "Dense::backward: the last forward pass was forward(inputs, false), which keeps no inputs to "
                "differentiate; call forward(inputs) (or forward(inputs, true)) first");
    if (dvalues.rows() != inputs_.rows() || dvalues.cols() != n_neurons())
      throw std::invalid_argument("Dense::backward: dvalues of shape " + shape_str(dvalues) +
                                  " do not match the layer's output " + shape_str(inputs_.rows(), n_neurons()));
    const Matrix<T>& dv = as_matrix(dvalues);
    ops::matmul(dweights, inputs_, dv, dweights_scratch_, ops::Transpose::lhs);  // inputsᵀ·dvalues
    ops::col_sums(dv, dbiases);                                                  // Σ over samples
    detail::add_regularization_gradient(dweights, weights, regularization.weight_l1, regularization.weight_l2);
    detail::add_regularization_gradient(dbiases, biases, regularization.bias_l1, regularization.bias_l2);
    if (with_dinputs)
      ops::matmul(dinputs, dv, weights, dinputs_scratch_, ops::Transpose::rhs);  // dvalues·weightsᵀ
  }

  Matrix<T> inputs_;
  bool inputs_kept_ = false;  // whether inputs_ holds the last forward pass's inputs (not one of training = false)
  Matrix<T> dvalues_;
  Matrix<T> weight_penalty_scratch_;  // |W| or W², one per shape so neither reallocates
  Matrix<T> bias_penalty_scratch_;
  ops::DotScratch<T> scratch_;
  ops::DotScratch<T> dweights_scratch_;
  ops::DotScratch<T> dinputs_scratch_;

 public:
  // What a Model and a model file ask of any layer (nnfs/layers/layer.hpp).
  /// n_neurons for inputs n_inputs wide; throws std::invalid_argument for another width (a
  /// negative width, not known yet, is accepted).
  Index output_width(Index input_width) const {
    if (input_width >= 0 && input_width != n_inputs())
      throw std::invalid_argument(fmt::format(
          "Dense layer with weights {} takes {} inputs, but the layer before it gives {}", shape_str(weights),
          n_inputs(), input_width));
    return n_neurons();
  }
  /// What a model file keeps on its layer line: the shape and the regularization strengths.
  std::vector<std::pair<std::string, double>> settings() const {
    return {{"inputs", static_cast<double>(n_inputs())}, {"neurons", static_cast<double>(n_neurons())},
            {"weight_l1", regularization.weight_l1},      {"weight_l2", regularization.weight_l2},
            {"bias_l1", regularization.bias_l1},          {"bias_l2", regularization.bias_l2}};
  }
  /// Its line in Model::summary(): "Dense(2, 512, weight L2 0.0005, bias L2 0.0005)".
  std::string describe() const {
    std::string s = fmt::format("Dense({}, {}", n_inputs(), n_neurons());
    const auto add = [&](const char* name, double v) {
      if (v > 0) s += fmt::format(", {} {:g}", name, v);
    };
    add("weight L1", regularization.weight_l1);
    add("weight L2", regularization.weight_l2);
    add("bias L1", regularization.bias_l1);
    add("bias L2", regularization.bias_l2);
    return s + ")";
  }
};

NNFS_COMPILED_INSTANCE(class Dense<float>)
NNFS_COMPILED_INSTANCE(class Dense<double>)
// forward and backward of a matrix, the call every program makes
NNFS_COMPILED_INSTANCE(const Matrix<float>& Dense<float>::forward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<float>& Dense<float>::backward(const Eigen::MatrixBase<Matrix<float>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Dense<double>::forward(const Eigen::MatrixBase<Matrix<double>>&))
NNFS_COMPILED_INSTANCE(const Matrix<double>& Dense<double>::backward(const Eigen::MatrixBase<Matrix<double>>&))

}  // namespace nnfs
