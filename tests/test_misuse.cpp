// The misuse table: every way of calling the public API wrongly that the library promises to
// refuse, in one place. Each row is a misuse, the exception type it must raise (exactly that
// type, not a base or a derived class) and the words its message must contain — what was
// wrong and the shapes or values that were seen. One loop runs the table, for float and for
// double, in both numerics modes (every check is always on: none depends on NDEBUG or on the
// mode).
//
// Adding a row: construct everything inside the lambda (rows must not share state), and list
// the substrings a user would need to find the mistake.
#include "nnfs_catch.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace {

using nnfs_test::nan_;
using nnfs_test::inf_;
using nnfs_test::x_;

using nnfs::Index;
using nnfs::Labels;


struct Misuse {
  std::string name;
  std::function<void()> call;
  std::type_index expected;
  std::string expected_name;
  std::vector<std::string> message_parts;
};

template <class E>
Misuse row(std::string name, std::function<void()> call, const char* type_name, std::vector<std::string> parts) {
  return Misuse{std::move(name), std::move(call), std::type_index(typeid(E)), type_name, std::move(parts)};
}

// Short spellings for the table.
#define INVALID(name, body, ...) row<std::invalid_argument>(name, [] { body; }, "std::invalid_argument", {__VA_ARGS__})
#define OUT_OF_RANGE(name, body, ...) row<std::out_of_range>(name, [] { body; }, "std::out_of_range", {__VA_ARGS__})
#define LOGIC(name, body, ...) row<std::logic_error>(name, [] { body; }, "std::logic_error", {__VA_ARGS__})
#define RUNTIME(name, body, ...) row<std::runtime_error>(name, [] { body; }, "std::runtime_error", {__VA_ARGS__})
#define NON_FINITE(name, body, ...) row<nnfs::NonFiniteError>(name, [] { body; }, "nnfs::NonFiniteError", {__VA_ARGS__})

template <class T>
using M = nnfs::Matrix<T>;

template <class T>
M<T> ones(Index rows, Index cols) {
  return M<T>::Ones(rows, cols);
}

template <class T>
M<T> thirds(Index rows, Index cols) {
  return M<T>::Constant(rows, cols, T(1) / T(3));
}

Labels labels(std::initializer_list<int> values) {
  Labels y(static_cast<Index>(values.size()));
  Index i = 0;
  for (const int v : values) y(i++) = v;
  return y;
}

/// A Dense(2, 3) layer with fixed weights (no generator involved).
template <class T>
nnfs::Dense<T> dense23() {
  return nnfs::Dense<T>(M<T>::Constant(2, 3, T(0.5)), M<T>::Zero(1, 3));
}

/// A finalized Model: the fixed Dense(2, 3), then Softmax; CCE, Adam, categorical accuracy.
template <class T>
nnfs::Model<T> model23() {
  nnfs::Model<T> m;
  m.add(dense23<T>());
  m.add(nnfs::Softmax<T>());
  m.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(0.01), nnfs::CategoricalAccuracy());
  m.finalize();
  return m;
}


template <class T>
std::vector<Misuse> misuse_table() {
  return {
      // ---------------------------------------------------------------- Dense
      INVALID("Dense::forward with inputs of the wrong width", dense23<T>().forward(ones<T>(5, 4)),
              "Dense::forward", "4 columns", "5" + x_ + "4", "expects 2 inputs", "weights 2" + x_ + "3"),
      INVALID("Dense::forward with an empty batch", dense23<T>().forward(M<T>(0, 2)), "Dense::forward", "empty batch",
              "0" + x_ + "2"),
      INVALID("Dense with 0 inputs", (nnfs::Dense<T>(0, 3)), "Dense", "must be positive", "n_inputs=0",
              "n_neurons=3"),
      INVALID("Dense with a negative neuron count", (nnfs::Dense<T>(2, -4)), "Dense", "n_neurons=-4"),
      INVALID("Dense with a negative weight_scale", (nnfs::Dense<T>(2, 3, nnfs::Regularization{}, -0.01)), "Dense",
              "weight_scale", "-0.01"),
      INVALID("Dense from biases that do not match the weights", (nnfs::Dense<T>(ones<T>(2, 3), ones<T>(1, 4))),
              "Dense", "biases must have shape 1" + x_ + "3", "weights 2" + x_ + "3", "got 1" + x_ + "4"),
      INVALID("Dense from biases that are a column", (nnfs::Dense<T>(ones<T>(2, 3), ones<T>(3, 1))), "Dense",
              "got 3" + x_ + "1"),
      INVALID("Dense from empty weights", (nnfs::Dense<T>(M<T>(0, 3), M<T>(1, 3))), "Dense", "non-empty",
              "0" + x_ + "3"),
      INVALID("Dense::forward after biases were replaced by a wrong shape",
              auto d = dense23<T>(); d.biases = ones<T>(1, 2); d.forward(ones<T>(4, 2)),
              "inconsistent shapes", "weights 2" + x_ + "3", "biases 1" + x_ + "2"),
      INVALID("Dense with a negative L2 strength", (nnfs::Dense<T>(2, 3, nnfs::Regularization{0.0, -5e-4, 0.0, 0.0})),
              "Dense", "regularization weight_l2", "finite and >= 0", "-0.0005"),
      INVALID("Dense with a NaN L1 bias strength", (nnfs::Dense<T>(2, 3, nnfs::Regularization{0.0, 0.0, nan_, 0.0})),
              "Dense", "regularization bias_l1", "nan"),
      INVALID("Dense from given parameters with an infinite L2 bias strength",
              (nnfs::Dense<T>(ones<T>(2, 3), ones<T>(1, 3), nnfs::Regularization{0.0, 0.0, 0.0, inf_})),
              "regularization bias_l2", "inf"),
      LOGIC("Dense::backward before forward", dense23<T>().backward(ones<T>(4, 3)), "Dense::backward",
            "before forward"),
      INVALID("Dense::backward after a negative L2 strength was assigned",
              auto d = dense23<T>(); d.regularization.weight_l2 = -1e-3; d.forward(ones<T>(4, 2));
              d.backward(ones<T>(4, 3)),
              "Dense::backward", "regularization weight_l2", "finite and >= 0", "-0.001"),
      INVALID("Dense::regularization_loss after a NaN L1 strength was assigned",
              auto d = dense23<T>(); d.regularization.weight_l1 = nan_; (void)d.regularization_loss(),
              "Dense::regularization_loss", "regularization weight_l1", "nan"),
      INVALID("Dense::backward with dvalues of the wrong width",
              auto d = dense23<T>(); d.forward(ones<T>(5, 2)); d.backward(ones<T>(5, 2)), "Dense::backward",
              "dvalues of shape 5" + x_ + "2", "output 5" + x_ + "3"),
      INVALID("Dense::backward with dvalues of an older batch size",
              auto d = dense23<T>(); d.forward(ones<T>(5, 2)); d.forward(ones<T>(2, 2)); d.backward(ones<T>(5, 3)),
              "Dense::backward", "5" + x_ + "3", "output 2" + x_ + "3"),

      // ---------------------------------------------------------------- activations
      INVALID("ReLU::forward with an empty batch", nnfs::ReLU<T>().forward(M<T>(0, 3)), "ReLU::forward", "empty",
              "0" + x_ + "3"),
      INVALID("Softmax::forward with an empty batch", nnfs::Softmax<T>().forward(M<T>(0, 3)), "Softmax::forward",
              "empty", "0" + x_ + "3"),
      INVALID("Softmax::forward with no classes", nnfs::Softmax<T>().forward(M<T>(5, 0)), "Softmax::forward",
              "empty", "5" + x_ + "0"),
      INVALID("Sigmoid::forward with an empty batch", nnfs::Sigmoid<T>().forward(M<T>(0, 1)), "Sigmoid::forward",
              "empty", "0" + x_ + "1"),
      INVALID("Linear::forward with an empty batch", nnfs::Linear<T>().forward(M<T>(0, 1)), "Linear::forward",
              "empty", "0" + x_ + "1"),
      LOGIC("ReLU::backward before forward", nnfs::ReLU<T>().backward(ones<T>(2, 3)), "ReLU::backward",
            "before forward"),
      LOGIC("Softmax::backward before forward", nnfs::Softmax<T>().backward(ones<T>(2, 3)), "Softmax::backward",
            "before forward"),
      LOGIC("Sigmoid::backward before forward", nnfs::Sigmoid<T>().backward(ones<T>(2, 3)), "Sigmoid::backward",
            "before forward"),
      LOGIC("Linear::backward before forward", nnfs::Linear<T>().backward(ones<T>(2, 3)), "Linear::backward",
            "before forward"),
      INVALID("ReLU::backward with dvalues of the wrong shape",
              nnfs::ReLU<T> a; a.forward(ones<T>(4, 3)); a.backward(ones<T>(3, 4)), "ReLU::backward",
              "dvalues of shape 3" + x_ + "4", "4" + x_ + "3"),
      INVALID("Softmax::backward with dvalues of the wrong shape",
              nnfs::Softmax<T> a; a.forward(ones<T>(4, 3)); a.backward(ones<T>(4, 2)), "Softmax::backward",
              "dvalues of shape 4" + x_ + "2", "output 4" + x_ + "3"),
      INVALID("Sigmoid::backward with dvalues of the wrong shape",
              nnfs::Sigmoid<T> a; a.forward(ones<T>(4, 1)); a.backward(ones<T>(1, 4)), "Sigmoid::backward",
              "dvalues of shape 1" + x_ + "4", "output 4" + x_ + "1"),
      INVALID("Linear::backward with dvalues of the wrong shape",
              nnfs::Linear<T> a; a.forward(ones<T>(4, 1)); a.backward(ones<T>(5, 1)), "Linear::backward",
              "dvalues of shape 5" + x_ + "1", "output 4" + x_ + "1"),

      // ---------------------------------------------------------------- dropout
      INVALID("Dropout with rate 1", (nnfs::Dropout<T>(1.0)), "Dropout", "rate must be in [0, 1)", "got 1.0"),
      INVALID("Dropout with a negative rate", (nnfs::Dropout<T>(-0.1)), "Dropout", "rate must be in [0, 1)",
              "got -0.1"),
      INVALID("Dropout with a NaN rate", (nnfs::Dropout<T>(nan_)), "Dropout", "rate must be in [0, 1)", "nan"),
      INVALID("Dropout with an infinite rate", (nnfs::Dropout<T>(inf_)), "Dropout", "rate", "inf"),
      INVALID("Dropout::forward with an empty batch",
              nnfs::RandomState rng(0); nnfs::Dropout<T>(0.1, rng).forward(M<T>(0, 4)), "Dropout::forward", "empty",
              "0" + x_ + "4"),
      LOGIC("Dropout::backward before forward",
            nnfs::RandomState rng(0); nnfs::Dropout<T>(0.1, rng).backward(ones<T>(2, 2)), "Dropout::backward",
            "before forward"),
      INVALID("Dropout::backward with dvalues of the wrong shape",
              nnfs::RandomState rng(0); nnfs::Dropout<T> d(0.1, rng); d.forward(ones<T>(2, 3));
              d.backward(ones<T>(3, 2)), "Dropout::backward", "dvalues of shape 3" + x_ + "2", "output 2" + x_ + "3"),

      // ---------------------------------------------------------------- categorical cross-entropy
      INVALID("CategoricalCrossentropy on an empty batch",
              nnfs::CategoricalCrossentropy<T>().calculate(M<T>(0, 3), Labels(0)), "CategoricalCrossentropy",
              "empty batch", "0" + x_ + "3"),
      INVALID("CategoricalCrossentropy with too few labels",
              nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(4, 3), labels({0, 1, 2})),
              "CategoricalCrossentropy", "3 labels", "batch of 4 samples", "4" + x_ + "3"),
      INVALID("CategoricalCrossentropy with too many labels",
              nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(2, 3), labels({0, 1, 2})),
              "CategoricalCrossentropy", "3 labels", "batch of 2 samples"),
      OUT_OF_RANGE("CategoricalCrossentropy with a label equal to the class count",
                   nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(4, 3), labels({0, 1, 3, 0})),
                   "CategoricalCrossentropy", "label 3", "sample 2", "outside [0, 3)", "4" + x_ + "3"),
      OUT_OF_RANGE("CategoricalCrossentropy with a negative label",
                   nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(4, 3), labels({0, -1, 2, 0})),
                   "CategoricalCrossentropy", "label -1", "sample 1", "outside [0, 3)"),
      INVALID("CategoricalCrossentropy with a one-hot row holding two ones",
              M<T> t = M<T>::Identity(3, 3); t(1, 2) = T(1);
              nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(3, 3), t), "CategoricalCrossentropy",
              "target row 1", "not one-hot", "2 entries equal 1"),
      INVALID("CategoricalCrossentropy with an all-zero target row",
              M<T> t = M<T>::Identity(3, 3); t(0, 0) = T(0);
              nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(3, 3), t), "CategoricalCrossentropy",
              "target row 0", "not one-hot", "0 entries equal 1"),
      INVALID("CategoricalCrossentropy with a target of 0.5",
              M<T> t = M<T>::Identity(3, 3); t(2, 1) = T(0.5);
              nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(3, 3), t), "CategoricalCrossentropy",
              "target row 2", "not one-hot", "entry 1 is 0.5"),
      INVALID("CategoricalCrossentropy with one-hot targets of the wrong shape",
              nnfs::CategoricalCrossentropy<T>().calculate(thirds<T>(4, 3), M<T>(M<T>::Identity(4, 4))),
              "CategoricalCrossentropy", "one-hot targets of shape 4" + x_ + "4", "predictions 4" + x_ + "3"),
      INVALID("CategoricalCrossentropy::backward with too few labels",
              nnfs::CategoricalCrossentropy<T>().backward(thirds<T>(4, 3), labels({0, 1, 2})),
              "CategoricalCrossentropy::backward", "3 labels", "dvalues 4" + x_ + "3"),
      OUT_OF_RANGE("CategoricalCrossentropy::backward with a label out of range",
                   nnfs::CategoricalCrossentropy<T>().backward(thirds<T>(2, 3), labels({7, 0})),
                   "CategoricalCrossentropy", "label 7", "sample 0", "outside [0, 3)"),
      INVALID("CategoricalCrossentropy::backward with a one-hot row holding two ones",
              M<T> t = M<T>::Identity(3, 3); t(2, 0) = T(1);
              nnfs::CategoricalCrossentropy<T>().backward(thirds<T>(3, 3), t),
              "CategoricalCrossentropy::backward", "target row 2", "not one-hot", "2 entries equal 1"),
      INVALID("CategoricalCrossentropy::backward with a target of 0.5",
              M<T> t = M<T>::Identity(3, 3); t(1, 1) = T(0.5);
              nnfs::CategoricalCrossentropy<T>().backward(thirds<T>(3, 3), t),
              "CategoricalCrossentropy::backward", "target row 1", "not one-hot", "entry 1 is 0.5"),
      INVALID("CategoricalCrossentropy::backward with one-hot targets of the wrong shape",
              nnfs::CategoricalCrossentropy<T>().backward(thirds<T>(4, 3), M<T>(M<T>::Identity(3, 3))),
              "CategoricalCrossentropy::backward", "one-hot targets of shape 3" + x_ + "3", "dvalues 4" + x_ + "3"),

      // ---------------------------------------------------------------- combined softmax + CCE
      INVALID("SoftmaxCategoricalCrossentropy::forward on an empty batch",
              nnfs::SoftmaxCategoricalCrossentropy<T>().forward(M<T>(0, 3), Labels(0)), "Softmax::forward", "empty",
              "0" + x_ + "3"),
      INVALID("SoftmaxCategoricalCrossentropy::backward with too many labels",
              nnfs::SoftmaxCategoricalCrossentropy<T>().backward(thirds<T>(4, 3), labels({0, 1, 2, 0, 1})),
              "SoftmaxCategoricalCrossentropy::backward", "5 labels", "dvalues 4" + x_ + "3"),
      INVALID("SoftmaxCategoricalCrossentropy::backward on an empty batch",
              nnfs::SoftmaxCategoricalCrossentropy<T>().backward(M<T>(0, 3), Labels(0)),
              "SoftmaxCategoricalCrossentropy::backward", "empty batch", "0" + x_ + "3"),
      OUT_OF_RANGE("SoftmaxCategoricalCrossentropy::backward with a label out of range",
                   nnfs::SoftmaxCategoricalCrossentropy<T>().backward(thirds<T>(4, 3), labels({0, 1, 3, 0})),
                   "SoftmaxCategoricalCrossentropy::backward", "label 3", "sample 2", "outside [0, 3)"),
      OUT_OF_RANGE("SoftmaxCategoricalCrossentropy::backward with a negative label",
                   nnfs::SoftmaxCategoricalCrossentropy<T>().backward(thirds<T>(4, 3), labels({0, -2, 1, 0})),
                   "SoftmaxCategoricalCrossentropy::backward", "label -2", "sample 1"),
      INVALID("SoftmaxCategoricalCrossentropy::backward with one-hot targets of the wrong shape",
              nnfs::SoftmaxCategoricalCrossentropy<T>().backward(thirds<T>(4, 3), M<T>(M<T>::Identity(4, 4))),
              "SoftmaxCategoricalCrossentropy::backward", "one-hot targets of shape 4" + x_ + "4",
              "dvalues 4" + x_ + "3"),

      // ---------------------------------------------------------------- binary cross-entropy, MSE, MAE
      INVALID("BinaryCrossentropy on an empty batch",
              nnfs::BinaryCrossentropy<T>().calculate(M<T>(0, 1), M<T>(0, 1)), "BinaryCrossentropy", "empty batch",
              "0" + x_ + "1"),
      INVALID("BinaryCrossentropy with targets of the wrong shape",
              nnfs::BinaryCrossentropy<T>().calculate(M<T>::Constant(4, 1, T(0.5)), ones<T>(4, 2)),
              "BinaryCrossentropy", "targets of shape 4" + x_ + "2", "predictions 4" + x_ + "1"),
      INVALID("BinaryCrossentropy with a target above 1",
              M<T> t = M<T>::Zero(3, 1); t(1, 0) = T(1.5);
              nnfs::BinaryCrossentropy<T>().calculate(M<T>::Constant(3, 1, T(0.5)), t), "BinaryCrossentropy",
              "target (1, 0) = 1.5", "not in [0, 1]"),
      INVALID("BinaryCrossentropy with a negative target",
              M<T> t = M<T>::Zero(3, 1); t(2, 0) = T(-1);
              nnfs::BinaryCrossentropy<T>().calculate(M<T>::Constant(3, 1, T(0.5)), t), "BinaryCrossentropy",
              "target (2, 0) = -1", "not in [0, 1]"),
      INVALID("BinaryCrossentropy::backward with a NaN target",
              M<T> t = M<T>::Zero(3, 1); t(0, 0) = static_cast<T>(nan_);
              nnfs::BinaryCrossentropy<T>().backward(M<T>::Constant(3, 1, T(0.5)), t), "BinaryCrossentropy",
              "target (0, 0)", "nan", "not in [0, 1]"),
      INVALID("MeanSquaredError on an empty batch", nnfs::MeanSquaredError<T>().calculate(M<T>(0, 1), M<T>(0, 1)),
              "MeanSquaredError", "empty batch", "0" + x_ + "1"),
      INVALID("MeanSquaredError with targets of the wrong shape",
              nnfs::MeanSquaredError<T>().calculate(ones<T>(4, 1), ones<T>(1, 4)), "MeanSquaredError",
              "targets of shape 1" + x_ + "4", "predictions 4" + x_ + "1"),
      INVALID("MeanSquaredError with a NaN target",
              M<T> t = M<T>::Zero(2, 2); t(0, 1) = static_cast<T>(nan_);
              nnfs::MeanSquaredError<T>().calculate(ones<T>(2, 2), t), "MeanSquaredError", "target (0, 1)",
              "not finite"),
      INVALID("MeanSquaredError::backward with an infinite target",
              M<T> t = M<T>::Zero(2, 2); t(1, 0) = static_cast<T>(inf_);
              nnfs::MeanSquaredError<T>().backward(ones<T>(2, 2), t), "MeanSquaredError", "target (1, 0)",
              "not finite"),
      INVALID("MeanAbsoluteError on an empty batch", nnfs::MeanAbsoluteError<T>().calculate(M<T>(0, 2), M<T>(0, 2)),
              "MeanAbsoluteError", "empty batch", "0" + x_ + "2"),
      INVALID("MeanAbsoluteError with targets of the wrong shape",
              nnfs::MeanAbsoluteError<T>().calculate(ones<T>(4, 1), ones<T>(3, 1)), "MeanAbsoluteError",
              "targets of shape 3" + x_ + "1", "predictions 4" + x_ + "1"),
      INVALID("MeanAbsoluteError with a NaN target",
              M<T> t = M<T>::Zero(2, 1); t(1, 0) = static_cast<T>(nan_);
              nnfs::MeanAbsoluteError<T>().calculate(ones<T>(2, 1), t), "MeanAbsoluteError", "target (1, 0)",
              "not finite"),

      // ---------------------------------------------------------------- accuracy
      INVALID("accuracy on an empty batch", (void)nnfs::accuracy(M<T>(0, 3), Labels(0)), "accuracy", "empty batch",
              "0" + x_ + "3"),
      INVALID("accuracy with too few labels", (void)nnfs::accuracy(thirds<T>(4, 3), labels({0, 1, 2})), "accuracy",
              "3 labels", "batch of 4 samples", "4" + x_ + "3"),
      INVALID("accuracy with one-hot targets of the wrong shape",
              (void)nnfs::accuracy(thirds<T>(4, 3), M<T>(M<T>::Identity(4, 2))), "accuracy",
              "one-hot targets of shape 4" + x_ + "2", "predictions 4" + x_ + "3"),
      INVALID("argmax_rows of a matrix with no columns", (void)nnfs::argmax_rows(M<T>(5, 0)), "argmax_rows",
              "5" + x_ + "0", "no columns"),
      INVALID("binary_accuracy with targets of the wrong shape",
              (void)nnfs::binary_accuracy(ones<T>(4, 1), ones<T>(4, 2)), "binary_accuracy",
              "targets of shape 4" + x_ + "2", "predictions 4" + x_ + "1"),
      INVALID("CategoricalAccuracy with probabilities instead of class indices",
              (void)nnfs::CategoricalAccuracy().calculate(thirds<T>(4, 3), labels({0, 1, 2, 0})),
              "CategoricalAccuracy", "predictions of shape 4" + x_ + "3", "not one column"),
      LOGIC("RegressionAccuracy::calculate before init",
            (void)nnfs::RegressionAccuracy().calculate(ones<T>(2, 1), ones<T>(2, 1)), "RegressionAccuracy::calculate",
            "not initialised", "init(y_train)"),
      LOGIC("calculate_accumulated with nothing accumulated", (void)nnfs::CategoricalAccuracy().calculate_accumulated(),
            "calculate_accumulated", "nothing accumulated"),
      INVALID("numpy_std of an empty array", (void)nnfs::numpy_std(M<T>(0, 1)), "numpy_std", "empty",
              "0" + x_ + "1"),

      // ---------------------------------------------------------------- optimizers
      INVALID("SGD with a negative learning rate", (void)nnfs::SGD(-0.5), "SGD", "learning_rate", "finite and >= 0",
              "got -0.5"),
      INVALID("Adam with a NaN learning rate", (void)nnfs::Adam(nan_), "Adam", "learning_rate", "got nan"),
      INVALID("Adam with a negative decay", (void)nnfs::Adam(0.05, -5e-7), "Adam", "decay", "finite and >= 0",
              "got -5e-07"),
      INVALID("RMSprop with an infinite decay", (void)nnfs::RMSprop(0.02, inf_), "RMSprop", "decay", "got inf"),
      INVALID("SGD with momentum 1", (void)nnfs::SGD(1.0, 0.0, 1.0), "SGD", "momentum must be in [0, 1)", "got 1"),
      INVALID("SGD with a negative momentum", (void)nnfs::SGD(1.0, 0.0, -0.9), "SGD", "momentum", "got -0.9"),
      INVALID("Adagrad with epsilon 0", (void)nnfs::Adagrad(1.0, 0.0, 0.0), "Adagrad", "epsilon must be finite and > 0",
              "got 0"),
      INVALID("RMSprop with a negative epsilon", (void)nnfs::RMSprop(0.001, 0.0, -1e-7), "RMSprop", "epsilon",
              "got -1e-07"),
      INVALID("Adam with epsilon 0", (void)nnfs::Adam(0.001, 0.0, 0.0), "Adam", "epsilon", "got 0"),
      INVALID("RMSprop with rho 1", (void)nnfs::RMSprop(0.001, 0.0, 1e-7, 1.0), "RMSprop", "rho must be in [0, 1)",
              "got 1"),
      INVALID("Adam with beta_1 1", (void)nnfs::Adam(0.001, 0.0, 1e-7, 1.0), "Adam", "beta_1 must be in [0, 1)", "got 1"),
      INVALID("Adam with beta_2 above 1", (void)nnfs::Adam(0.001, 0.0, 1e-7, 0.9, 1.5), "Adam", "beta_2", "got 1.5"),
      LOGIC("Adam::update_params before backward",
            auto d = dense23<T>(); d.forward(ones<T>(4, 2)); nnfs::Adam().update_params(d), "Adam::update_params",
            "no gradients yet", "dweights 0" + x_ + "0", "weights 2" + x_ + "3", "call backward()"),
      LOGIC("SGD::step before backward", auto d = dense23<T>(); nnfs::SGD().step(d), "SGD::update_params",
            "no gradients yet"),
      INVALID("RMSprop::update_params with gradients of another shape",
              auto d = dense23<T>(); d.forward(ones<T>(4, 2)); d.backward(ones<T>(4, 3)); d.dweights = ones<T>(3, 2);
              nnfs::RMSprop().update_params(d), "RMSprop::update_params", "gradient shapes do not match",
              "dweights 3" + x_ + "2", "weights 2" + x_ + "3"),

      // ---------------------------------------------------------------- datasets
      INVALID("spiral_data with 0 classes", nnfs::datasets::spiral_data<T>(100, 0), "spiral_data", "must be positive",
              "samples=100", "classes=0"),
      INVALID("spiral_data with 0 samples", nnfs::datasets::spiral_data<T>(0, 3), "spiral_data", "samples=0",
              "classes=3"),
      INVALID("spiral_data with a negative size", nnfs::datasets::spiral_data<T>(-5, 3), "spiral_data",
              "samples=-5"),
      INVALID("vertical_data with 0 classes", nnfs::datasets::vertical_data<T>(10, 0), "vertical_data",
              "classes=0"),
      INVALID("sine_data(0)", nnfs::datasets::sine_data<T>(0), "sine_data", "must be positive", "samples=0"),
      INVALID("sine_data with a negative size", nnfs::datasets::sine_data<T>(-3), "sine_data", "samples=-3"),

      // ---------------------------------------------------------------- RandomState
      INVALID("binomial with p above 1", nnfs::RandomState(0).binomial(1, 1.5), "binomial", "p must be in [0, 1]",
              "p = 1.5"),
      INVALID("binomial with a negative p", nnfs::RandomState(0).binomial(1, -0.1), "binomial", "p = -0.1"),
      INVALID("binomial with a NaN p", nnfs::RandomState(0).binomial(1, nan_), "binomial", "p = nan"),
      INVALID("binomial with negative n", nnfs::RandomState(0).binomial(-1, 0.5), "binomial", "n must be >= 0",
              "n = -1"),
      INVALID("binomial matrix with p above 1", nnfs::RandomState(0).binomial<T>(1, 2.0, 2, 2), "binomial",
              "p = 2"),
      INVALID("randint with low equal to high", nnfs::RandomState(0).randint(5, 5), "randint",
              "low must be < high", "low = 5, high = 5"),
      INVALID("randint with low above high", nnfs::RandomState(0).randint(3, 1, 4), "randint", "low = 3, high = 1"),
      INVALID("randint with a negative count", nnfs::RandomState(0).randint(0, 10, -2), "randint",
              "count must be >= 0", "count = -2"),
      INVALID("randn with a negative shape", nnfs::RandomState(0).randn<T>(-1, 3), "randn", "must not be negative",
              "-1" + x_ + "3"),
      INVALID("random_sample with a negative shape", nnfs::RandomState(0).random_sample<T>(2, -2), "random_sample",
              "2" + x_ + "-2"),
      INVALID("permutation of a negative length", nnfs::RandomState(0).permutation(-1), "permutation",
              "n must be >= 0", "n = -1"),
      INVALID("normal with a negative scale", nnfs::RandomState(0).normal(0.0, -1.0), "normal",
              "scale finite and >= 0", "scale = -1"),
      INVALID("uniform over an infinite range", nnfs::RandomState(0).uniform(0.0, inf_), "uniform",
              "must be finite", "high = inf"),
      INVALID("seeding with an empty key", nnfs::RandomState(0).seed(std::vector<std::uint32_t>{}), "seed",
              "empty"),

      // ---------------------------------------------------------------- printing and plotting
      INVALID("np() with a negative precision", nnfs::PrintOptions o; o.precision = -1; (void)nnfs::np(ones<T>(2, 2), o),
              "nnfs::np", "precision must be >= 0", "got -1"),
      INVALID("np() with edgeitems 0", nnfs::PrintOptions o; o.edgeitems = 0; (void)nnfs::np(ones<T>(2, 2), o),
              "nnfs::np", "edgeitems must be >= 1", "got 0"),
      INVALID("scatter plot of X with 3 columns",
              (void)nnfs::plot::scatter_svg_string(ones<T>(5, 3), labels({0, 1, 2, 0, 1})), "scatter_svg_string",
              "X must have 2 columns", "5" + x_ + "3"),
      INVALID("scatter plot with labels of the wrong length",
              (void)nnfs::plot::scatter_svg_string(ones<T>(5, 2), labels({0, 1, 2, 0})), "scatter_svg_string",
              "y has 4 labels for 5 rows"),
      INVALID("scatter plot with a negative label",
              (void)nnfs::plot::scatter_svg_string(ones<T>(3, 2), labels({0, -1, 1})), "scatter_svg_string",
              "label y(1) = -1", "negative"),
      INVALID("scatter plot of a NaN point",
              M<T> X = ones<T>(3, 2); X(2, 1) = static_cast<T>(nan_); (void)nnfs::plot::scatter_svg_string(X),
              "scatter_svg_string", "X(2, 1)", "not finite"),
      INVALID("class colour of a class beyond the count", (void)nnfs::plot::class_colour(3, 3), "class_colour",
              "c=3, k=3"),
      RUNTIME("scatter_svg into a directory that does not exist",
              nnfs::plot::scatter_svg("/nonexistent-nnfs-dir/plot.svg", M<T>(M<T>::Identity(3, 2)), labels({0, 1, 2})),
              "scatter_svg", "cannot write", "/nonexistent-nnfs-dir/plot.svg"),

      // ---------------------------------------------------------------- check_finite
      NON_FINITE("check_finite on a NaN loss",
                 M<T> ok = ones<T>(2, 3); M<T> bad = ones<T>(2, 3); bad(1, 2) = static_cast<T>(nan_);
                 nnfs::check_finite<T>(7, nan_, {{"dense1", ok}, {"dense2", bad}}), "epoch 7", "the loss is nan",
                 "output of dense2", "2" + x_ + "3", "row 1, column 2"),
      NON_FINITE("check_finite on an infinite loss with finite outputs",
                 M<T> ok = ones<T>(2, 3); nnfs::check_finite<T>(12, inf_, {{"dense1", ok}}), "epoch 12",
                 "the loss is inf", "every watched layer output is finite"),
      // ---------------------------------------------------------------- Model
      LOGIC("Model::finalize with no layers", nnfs::Model<T>().finalize(), "Model::finalize", "no layers"),
      INVALID("Model::finalize with layer widths that do not chain",
              nnfs::Model<T> m; m.add(dense23<T>()); m.add(nnfs::Dense<T>(ones<T>(4, 2), ones<T>(1, 2))); m.finalize(),
              "Model::finalize", "layer 1", "takes 4 inputs", "gives 3"),
      LOGIC("Model::train before finalize",
              nnfs::Model<T> m; m.add(dense23<T>()); m.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam());
              m.train(ones<T>(4, 2), labels({0, 1, 2, 0})),
              "Model::train", "call finalize()"),
      LOGIC("Model::train without an optimizer",
            nnfs::Model<T> m; m.add(dense23<T>()); m.set(nnfs::CategoricalCrossentropy<T>()); m.finalize();
            m.train(ones<T>(4, 2), labels({0, 1, 2, 0})),
            "Model::train", "no optimizer"),
      LOGIC("Model::evaluate without a loss",
            nnfs::Model<T> m; m.add(dense23<T>()); m.finalize(); m.evaluate(ones<T>(4, 2), labels({0, 1, 2, 0})),
            "Model::evaluate", "no loss"),
      INVALID("Model::train with X of the wrong width",
              auto m = model23<T>(); m.train(ones<T>(4, 5), labels({0, 1, 2, 0})),
              "Model::train", "shape 4" + x_ + "5", "takes 2 inputs"),
      INVALID("Model::train with labels of the wrong length",
              auto m = model23<T>(); m.train(ones<T>(4, 2), labels({0, 1, 2})),
              "Model::train", "4 samples", "3 labels"),
      INVALID("Model::train with 0 epochs", auto m = model23<T>(); m.train(ones<T>(4, 2), labels({0, 1, 2, 0}), 0),
              "Model::train", "epochs must be >= 1", "got 0"),
      INVALID("Model::train with print_every 0",
              auto m = model23<T>(); m.train(ones<T>(4, 2), labels({0, 1, 2, 0}), 1, 0, 0),
              "Model::train", "print_every must be >= 1"),
      INVALID("Model::train on an empty X", auto m = model23<T>(); m.train(M<T>(0, 2), Labels(0)),
              "Model::train", "empty X", "0" + x_ + "2"),
      INVALID("Model::train with NaN in X",
              auto m = model23<T>(); M<T> X = ones<T>(4, 2); X(2, 1) = static_cast<T>(nan_);
              m.train(X, labels({0, 1, 2, 0})),
              "Model::train", "4" + x_ + "2", "NaN or infinite"),
      OUT_OF_RANGE("Model::train with a label out of range",
                   auto m = model23<T>(); nnfs::TrainOptions<T> o; o.book_log = false;
                   m.train(ones<T>(4, 2), labels({0, 5, 2, 0}), o),
                   "CategoricalCrossentropy", "label 5", "sample 1", "outside [0, 3)"),
      INVALID("Model with binary cross-entropy given labels for 3 outputs",
              nnfs::Model<T> m; m.add(dense23<T>()); m.add(nnfs::Sigmoid<T>());
              m.set(nnfs::BinaryCrossentropy<T>(), nnfs::Adam()); m.finalize();
              m.train(ones<T>(4, 2), labels({0, 1, 1, 0})),
              "Model::train", "BinaryCrossentropy", "target matrix", "(N, 3)"),
      INVALID("Model::set_parameters with the wrong shapes",
              auto m = model23<T>(); m.set_parameters({{ones<T>(3, 3), ones<T>(1, 3)}}),
              "Model::set_parameters", "pair 0: layer 0 (Dense(2, 3))", "weights 2" + x_ + "3", "given weights 3" + x_ + "3"),
      INVALID("Model::set_parameters with too few pairs", auto m = model23<T>(); m.set_parameters({}),
              "Model::set_parameters", "0 (weights, biases) pairs for a model with 1 layers with parameters"),
      INVALID("Model::predict with inputs of the wrong width", auto m = model23<T>(); m.predict(ones<T>(1, 4)),
              "Model::predict", "shape 1" + x_ + "4", "takes 2 inputs"),
      LOGIC("Model::predict_classes on a sigmoid model",
            nnfs::Model<T> m; m.add(dense23<T>()); m.add(nnfs::Sigmoid<T>()); m.finalize();
            m.predict_classes(ones<T>(1, 2)),
            "Model::predict_classes", "last layer is Sigmoid"),
      OUT_OF_RANGE("Model::layer_as with an index past the end",
                   auto m = model23<T>(); m.template layer_as<nnfs::Dense<T>>(7),
                   "Model::layer_as", "index 7", "2 layers"),
      INVALID("Model::layer_as with the wrong type",
              auto m = model23<T>(); m.template layer_as<nnfs::Dense<T>>(1),
              "Model::layer_as", "layer 1 is Softmax"),
      INVALID("EarlyStopping with an unknown monitor", nnfs::EarlyStopping("val_los"), "EarlyStopping",
              "unknown monitor 'val_los'"),
  };
}

#undef INVALID
#undef OUT_OF_RANGE
#undef LOGIC
#undef RUNTIME
#undef NON_FINITE

/// Runs m.call and returns {type thrown, message}; typeid(void) when nothing was thrown.
std::pair<std::type_index, std::string> run(const Misuse& m) {
  try {
    m.call();
  } catch (const std::exception& e) {
    return {std::type_index(typeid(e)), e.what()};
  } catch (...) {
    return {std::type_index(typeid(int)), "<not a std::exception>"};
  }
  return {std::type_index(typeid(void)), "<nothing was thrown>"};
}

}  // namespace

TEMPLATE_TEST_CASE("the misuse table: every misuse throws its exact type and names what was wrong", "[misuse]",
                   float, double) {
  using T = TestType;
  const auto table = misuse_table<T>();
  REQUIRE(table.size() >= 25);
  std::set<std::string> names;
  for (const auto& m : table) names.insert(m.name);
  REQUIRE(names.size() == table.size());  // every row is a different misuse

  const nnfs::NumericsScope mode(GENERATE(nnfs::Numerics::fast, nnfs::Numerics::book));
  nnfs::RandomState before = nnfs::default_random_state();
  for (const auto& m : table) {
    const auto [type, message] = run(m);
    INFO("misuse: " << m.name << "\nexpected " << m.expected_name << "\nmessage: " << message);
    CHECK(type == m.expected);
    CHECK(nnfs_test::contains_all(message, m.message_parts));
  }
  // Every refusal happens before anything is drawn: the default generator has not moved.
  nnfs::RandomState after = nnfs::default_random_state();
  CHECK(after.randn() == before.randn());
}

TEST_CASE("a refused call leaves the layer as it was", "[misuse]") {
  // forward with the wrong width: the last good forward's inputs and output stay, so backward
  // still matches them
  auto layer = nnfs::Dense<float>(nnfs::Matrix<float>::Constant(2, 3, 0.5f), nnfs::Matrix<float>::Zero(1, 3));
  layer.forward(nnfs::Matrix<float>::Ones(4, 2));
  const nnfs::Matrix<float> output = layer.output;
  REQUIRE_THROWS_AS(layer.forward(nnfs::Matrix<float>::Ones(4, 5)), std::invalid_argument);
  CHECK(layer.output == output);
  CHECK(layer.inputs().rows() == 4);
  CHECK(layer.backward(nnfs::Matrix<float>::Ones(4, 3)).rows() == 4);

  // an optimizer that refuses a step neither counts it nor touches the parameters
  nnfs::Adam adam(0.05, 5e-7);
  layer.dweights.resize(0, 0);
  const nnfs::Matrix<float> weights = layer.weights;
  REQUIRE_THROWS_AS(adam.step(layer), std::logic_error);
  CHECK(adam.iterations() == 0);
  CHECK(layer.weights == weights);
  CHECK(layer.weight_momentums.size() == 0);
}
