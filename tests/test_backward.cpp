// Backward passes against NumPy running our reference of the book's classes (tests/golden/book_reference.py,
// via tests/golden/gen_backward.py): the chapter 9 pass (Dense-ReLU-Dense into the combined softmax+CCE, and the separate CCE ->
// Softmax Jacobian path), Dense with L1/L2 regularization, and the chapter 16 pass. Bit for bit
// in book mode, to 1e-12 in float64, to float rounding in fast mode; then bad input for every
// backward.
#include "nnfs_catch.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nnfs_test::show;
using nnfs_test::check_bits;

using nnfs_test::Golden;

// |actual − expected| ≤ rel·(|expected| + floor) element-wise. For an element that is a sum
// (a product's dot, a column sum) pass floor = Σ|terms| (abs_product, abs_col_sums): any
// summation order's rounding error is bounded relative to that, not to the (possibly much
// smaller, cancelled) result.
template <class DA, class T>
void check_close(const Eigen::MatrixBase<DA>& actual_in, const nnfs::Matrix<T>& expected, double rel,
                 const std::string& what, const nnfs::Matrix<double>& floor = nnfs::Matrix<double>()) {
  const nnfs::Matrix<T> actual = actual_in;
  INFO(what);
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  const bool has_floor = floor.size() != 0;
  if (has_floor) REQUIRE(floor.size() == expected.size());
  nnfs::Index bad = 0;
  double worst = 0.0;
  for (nnfs::Index i = 0; i < expected.size(); ++i) {
    const double a = static_cast<double>(actual.data()[i]);
    const double e = static_cast<double>(expected.data()[i]);
    const double scale = std::abs(e) + (has_floor ? floor.data()[i] : 0.0);
    const double err = std::abs(a - e);
    if (err > 0) worst = std::max(worst, err / scale);
    if (!(err <= rel * scale)) ++bad;
  }
  INFO("mismatches: " << bad << ", worst relative error " << worst << ", tolerance " << rel);
  CHECK(bad == 0);
}

// Σ_k |a_ik|·|b_kj|: the terms' size behind each element of a·b.
template <class DA, class DB>
nnfs::Matrix<double> abs_product(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
  return a.template cast<double>().cwiseAbs() * b.template cast<double>().cwiseAbs();
}

// Σ_i |m_ij|: the terms' size behind each column sum (1×cols).
template <class D>
nnfs::Matrix<double> abs_col_sums(const Eigen::MatrixBase<D>& m) {
  return m.template cast<double>().cwiseAbs().colwise().sum();
}

// ---------------------------------------------------------------------------------------------
// The chapter 9 program.

template <class T>
struct Chapter9 {
  T loss{};
  nnfs::Matrix<T> combined, combined_onehot, d2_dweights, d2_dbiases, d2_dinputs, relu_dinputs, d1_dweights, d1_dbiases,
      d1_dinputs, cce_dinputs, cce_onehot_dinputs, softmax_dinputs, softmax_output, combined_output;
  // Σ|terms| of each gradient that is a sum over samples or neurons (see check_close).
  nnfs::Matrix<double> d2_dweights_terms, d2_dbiases_terms, d2_dinputs_terms, d1_dweights_terms, d1_dbiases_terms,
      d1_dinputs_terms;
};

template <class T>
Chapter9<T> chapter9(nnfs::Index samples) {
  nnfs::RandomState rng(0);
  const auto data = nnfs::datasets::spiral_data<T>(samples, 3, rng);
  nnfs::Dense<T> dense1(2, 3, rng);
  nnfs::ReLU<T> activation1;
  nnfs::Dense<T> dense2(3, 3, rng);
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;

  dense1.forward(data.X);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  Chapter9<T> r;
  r.loss = loss_activation.forward(dense2.output, data.y);

  loss_activation.backward(loss_activation.output(), data.y);
  dense2.backward(loss_activation.dinputs);
  activation1.backward(dense2.dinputs);
  dense1.backward(activation1.dinputs);
  r.combined = loss_activation.dinputs;
  r.d2_dweights = dense2.dweights;
  r.d2_dbiases = dense2.dbiases;
  r.d2_dinputs = dense2.dinputs;
  r.relu_dinputs = activation1.dinputs;
  r.d1_dweights = dense1.dweights;
  r.d1_dbiases = dense1.dbiases;
  r.d1_dinputs = dense1.dinputs;
  r.d2_dweights_terms = abs_product(activation1.output.transpose(), r.combined);
  r.d2_dbiases_terms = abs_col_sums(r.combined);
  r.d2_dinputs_terms = abs_product(r.combined, dense2.weights.transpose());
  r.d1_dweights_terms = abs_product(data.X.transpose(), r.relu_dinputs);
  r.d1_dbiases_terms = abs_col_sums(r.relu_dinputs);
  r.d1_dinputs_terms = abs_product(r.relu_dinputs, dense1.weights.transpose());

  // The same gradients from one-hot targets.
  nnfs::Matrix<T> onehot = nnfs::Matrix<T>::Zero(data.y.size(), 3);
  for (nnfs::Index i = 0; i < data.y.size(); ++i) onehot(i, data.y(i)) = T(1);
  nnfs::SoftmaxCategoricalCrossentropy<T> with_onehot;
  r.combined_onehot = with_onehot.backward(loss_activation.output(), onehot);

  // The separate path: CCE's gradient through the softmax Jacobian.
  nnfs::CategoricalCrossentropy<T> loss_function;
  r.cce_onehot_dinputs = loss_function.backward(loss_activation.output(), onehot);
  r.cce_dinputs = loss_function.backward(loss_activation.output(), data.y);
  nnfs::Softmax<T> activation;
  activation.forward(dense2.output);
  r.softmax_output = activation.output;
  r.combined_output = loss_activation.output();
  r.softmax_dinputs = activation.backward(loss_function.dinputs);
  return r;
}

// Everything of the pass to a relative tolerance (for sums, relative to their terms' size).
template <class T>
void check_chapter9_close(const Chapter9<T>& r, const Golden& g, double rel) {
  check_close(r.combined, g.m<T>("combined.dinputs"), rel, "combined dinputs");
  check_close(r.combined_onehot, g.m<T>("combined.dinputs"), rel, "combined dinputs, one-hot");
  check_close(r.d2_dweights, g.m<T>("dense2.dweights"), rel, "dense2.dweights", r.d2_dweights_terms);
  check_close(r.d2_dbiases, g.m<T>("dense2.dbiases"), rel, "dense2.dbiases", r.d2_dbiases_terms);
  check_close(r.d2_dinputs, g.m<T>("dense2.dinputs"), rel, "dense2.dinputs", r.d2_dinputs_terms);
  check_close(r.relu_dinputs, g.m<T>("relu.dinputs"), rel, "relu.dinputs", r.d2_dinputs_terms);
  check_close(r.d1_dweights, g.m<T>("dense1.dweights"), rel, "dense1.dweights", r.d1_dweights_terms);
  check_close(r.d1_dbiases, g.m<T>("dense1.dbiases"), rel, "dense1.dbiases", r.d1_dbiases_terms);
  check_close(r.d1_dinputs, g.m<T>("dense1.dinputs"), rel, "dense1.dinputs", r.d1_dinputs_terms);
}

}  // namespace

TEST_CASE("the chapter 9 backward pass is NumPy's, bit for bit in book mode", "[backward][book]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::book);
  const Golden g("backward_ch9_book.txt");
  const auto r = chapter9<float>(100);
  CHECK(r.loss == static_cast<float>(g.scalar("loss")));
  check_bits(r.combined, g.m<float>("combined.dinputs"), "combined softmax+CCE dinputs");
  check_bits(r.combined_onehot, g.m<float>("combined.dinputs"), "combined dinputs from one-hot targets");
  check_bits(r.d2_dweights, g.m<float>("dense2.dweights"), "dense2.dweights");
  check_bits(r.d2_dbiases, g.m<float>("dense2.dbiases"), "dense2.dbiases");
  check_bits(r.d2_dinputs, g.m<float>("dense2.dinputs"), "dense2.dinputs");
  check_bits(r.relu_dinputs, g.m<float>("relu.dinputs"), "relu.dinputs");
  check_bits(r.d1_dweights, g.m<float>("dense1.dweights"), "dense1.dweights");
  check_bits(r.d1_dbiases, g.m<float>("dense1.dbiases"), "dense1.dbiases");
  check_bits(r.d1_dinputs, g.m<float>("dense1.dinputs"), "dense1.dinputs");
  check_bits(r.cce_dinputs, g.m<float>("cce.dinputs"), "CCE dinputs (sparse labels)");
  check_bits(r.cce_onehot_dinputs, g.m<float>("cce.dinputs"), "CCE dinputs (one-hot targets)");
  CHECK(r.softmax_output == r.combined_output);
  check_bits(r.softmax_dinputs, g.m<float>("softmax.dinputs"), "Softmax Jacobian dinputs");
}

TEST_CASE("the book's printed chapter 9 gradients come out after nnfs::init()", "[backward][book]") {
  const nnfs::NumericsScope restore(nnfs::numerics());
  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3);
  nnfs::Dense<float> dense1(2, 3);
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(3, 3);
  nnfs::SoftmaxCategoricalCrossentropy<float> loss_activation;
  dense1.forward(X);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  CHECK(loss_activation.forward(dense2.output, y) == 1.0986104f);
  loss_activation.backward(loss_activation.output(), y);
  dense2.backward(loss_activation.dinputs);
  activation1.backward(dense2.dinputs);
  dense1.backward(activation1.dinputs);
  // print(dense1.dweights); print(dense1.dbiases) in the book
  nnfs::Matrix<float> dweights(2, 3);
  dweights << 1.5766358e-04f, 7.8368575e-05f, 4.7324404e-05f, 1.8161036e-04f, 1.1045571e-05f, -3.3096316e-05f;
  nnfs::Matrix<float> dbiases(1, 3);
  dbiases << -3.6055347e-04f, 9.6611722e-05f, -1.0367142e-04f;
  check_bits(dense1.dweights, dweights, "dense1.dweights as printed in the book");
  check_bits(dense1.dbiases, dbiases, "dense1.dbiases as printed in the book");
}

TEST_CASE("the chapter 9 backward pass in float64 matches NumPy's float64 program", "[backward]") {
  const Golden g("backward_ch9_double.txt");
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    INFO((mode == nnfs::Numerics::book ? "book mode" : "fast mode"));
    const nnfs::NumericsScope scope(mode);
    const auto r = chapter9<double>(40);
    CHECK_THAT(r.loss, WithinRel(g.scalar("loss"), 1e-12));
    const double rel = 1e-12;
    check_chapter9_close(r, g, rel);
    check_close(r.cce_dinputs, g.m<double>("cce.dinputs"), rel, "CCE dinputs");
    check_close(r.cce_onehot_dinputs, g.m<double>("cce.dinputs"), rel, "CCE dinputs, one-hot");
    check_close(r.softmax_dinputs, g.m<double>("softmax.dinputs"), rel, "Softmax Jacobian dinputs");
  }
}

TEST_CASE("the chapter 9 walk example: combined and separate backward agree with NumPy", "[backward]") {
  // softmax_outputs = [[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]], class_targets = [0, 1, 1]
  const Golden g("backward_ch9_double.txt");
  nnfs::Matrix<double> outputs(3, 3);
  outputs << 0.7, 0.1, 0.2, 0.1, 0.5, 0.4, 0.02, 0.9, 0.08;
  nnfs::Labels targets(3);
  targets << 0, 1, 1;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    nnfs::SoftmaxCategoricalCrossentropy<double> softmax_loss;
    softmax_loss.backward(outputs, targets);
    check_close(softmax_loss.dinputs, g.m<double>("walk.combined.dinputs"), 1e-15, "combined");
    // Activation_Softmax with its output set directly: run a forward whose output is `outputs`
    // (log-probabilities reproduce them to rounding), then compare the Jacobian path.
    nnfs::Softmax<double> activation;
    activation.forward(outputs.array().log().matrix());
    check_close(activation.output, outputs, 1e-15, "softmax(log p) = p");
    nnfs::CategoricalCrossentropy<double> loss;
    loss.backward(outputs, targets);
    activation.backward(loss.dinputs);
    check_close(activation.dinputs, g.m<double>("walk.separate.dinputs"), 1e-14, "separate");
  }
}

TEST_CASE("the chapter 9 backward pass in fast float mode stays within float rounding of NumPy", "[backward][fast]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  const Golden g("backward_ch9_book.txt");
  const auto r = chapter9<float>(100);
  CHECK_THAT(static_cast<double>(r.loss), WithinRel(g.scalar("loss"), 1e-6));
  const double rel = 1e-5;
  check_chapter9_close(r, g, rel);
  check_close(r.cce_dinputs, g.m<float>("cce.dinputs"), rel, "CCE dinputs");
  check_close(r.softmax_dinputs, g.m<float>("softmax.dinputs"), rel, "Softmax Jacobian dinputs");
}

// ---------------------------------------------------------------------------------------------
// Dense with L1/L2 regularization.

namespace {

const nnfs::Regularization kRegCases[] = {
    {0, 0, 0, 0},       {0.0123, 0, 0, 0}, {0, 0.0045, 0, 0},
    {0, 0, 0.017, 0},   {0, 0, 0, 0.0061}, {0.0123, 0.0045, 0.017, 0.0061},
    {0, 5e-4, 0, 5e-4},
};

template <class T>
void regularization_cases(const Golden& g, double rel) {
  const bool exact = rel == 0.0;
  const auto W = g.m<T>("weights");
  const auto b = g.m<T>("biases");
  const auto X = g.m<T>("inputs");
  const auto dvalues = g.m<T>("dvalues");
  int k = 0;
  for (const auto& reg : kRegCases) {
    const std::string c = "case" + std::to_string(k++);
    INFO(c << ": weight_l1 " << reg.weight_l1 << ", weight_l2 " << reg.weight_l2 << ", bias_l1 " << reg.bias_l1
           << ", bias_l2 " << reg.bias_l2);
    nnfs::Dense<T> layer(W, b, reg);
    layer.forward(X);
    layer.backward(dvalues);
    const double reg_loss = layer.regularization_loss();
    if (exact) {
      check_bits(layer.output, g.m<T>("output"), "output");
      check_bits(layer.dweights, g.m<T>(c + ".dweights"), "dweights");
      check_bits(layer.dbiases, g.m<T>(c + ".dbiases"), "dbiases");
      check_bits(layer.dinputs, g.m<T>("dinputs"), "dinputs");
      CHECK(reg_loss == g.scalar(c + ".regularization_loss"));  // a double in NumPy too
    } else {
      // Σ|terms|, plus the size of the regularization terms added to the sums
      const nnfs::Matrix<double> w_reg =
          (reg.weight_l1 + 2 * reg.weight_l2 * W.template cast<double>().array().abs()).matrix();
      const nnfs::Matrix<double> b_reg =
          (reg.bias_l1 + 2 * reg.bias_l2 * b.template cast<double>().array().abs()).matrix();
      const nnfs::Matrix<double> out_terms =
          (abs_product(X, W).array().rowwise() + b.template cast<double>().cwiseAbs().row(0).array()).matrix();
      check_close(layer.output, g.m<T>("output"), rel, "output", out_terms);
      check_close(layer.dweights, g.m<T>(c + ".dweights"), rel, "dweights",
                  abs_product(X.transpose(), dvalues) + w_reg);
      check_close(layer.dbiases, g.m<T>(c + ".dbiases"), rel, "dbiases", abs_col_sums(dvalues) + b_reg);
      check_close(layer.dinputs, g.m<T>("dinputs"), rel, "dinputs", abs_product(dvalues, W.transpose()));
      CHECK_THAT(reg_loss, WithinRel(g.scalar(c + ".regularization_loss"), rel));
    }
  }
}

}  // namespace

TEST_CASE("Dense backward with L1/L2 regularization is NumPy's, bit for bit in book mode",
          "[backward][book][regularization]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::book);
  regularization_cases<float>(Golden("backward_regularization_book.txt"), 0.0);
}

TEST_CASE("Dense backward with regularization in float64 matches NumPy", "[backward][regularization]") {
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    INFO((mode == nnfs::Numerics::book ? "book mode" : "fast mode"));
    const nnfs::NumericsScope scope(mode);
    regularization_cases<double>(Golden("backward_regularization_double.txt"), 1e-12);
  }
}

TEST_CASE("Dense backward with regularization in fast float mode stays within float rounding",
          "[backward][fast][regularization]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  regularization_cases<float>(Golden("backward_regularization_book.txt"), 1e-5);
}

TEMPLATE_TEST_CASE("L1's gradient counts sign(0) and sign(-0) as +1, as the book's dL1 does",
                   "[backward][regularization]", float, double) {
  using T = TestType;
  nnfs::Matrix<T> W(1, 4);
  W << T(0), T(-0.0), T(-2), T(3);
  nnfs::Matrix<T> b(1, 4);
  b << T(-1e-30), T(0), T(-0.0), T(1e-30);
  const double l1 = 0.1;
  nnfs::Dense<T> layer(W, b, nnfs::Regularization{l1, 0, l1, 0});
  layer.forward(nnfs::Matrix<T>::Ones(2, 1));
  layer.backward(nnfs::Matrix<T>::Zero(2, 4));
  const T a = static_cast<T>(l1);  // λ·dL1: a Python float times a T array, so λ rounded to T
  nnfs::Matrix<T> dweights(1, 4);
  dweights << a, a, -a, a;
  nnfs::Matrix<T> dbiases(1, 4);
  dbiases << -a, a, a, a;
  CHECK(layer.dweights == dweights);
  CHECK(layer.dbiases == dbiases);
  // the penalty: λ·Σ|W| + λ·Σ|b| in double, from T sums
  CHECK_THAT(layer.regularization_loss(), WithinRel(l1 * 5.0 + l1 * static_cast<double>(T(2e-30)), 1e-12));
}

// ---------------------------------------------------------------------------------------------
// The chapter 16 pass: Dense(2,64,L2)-ReLU-Dense(64,1)-Sigmoid with binary cross-entropy.

namespace {

template <class T>
struct Chapter16 {
  T data_loss{};
  double regularization_loss = 0;
  nnfs::Matrix<T> sigmoid_dinputs, d2_dweights, d2_dbiases, d1_dweights, d1_dbiases;
  nnfs::Matrix<double> d2_dweights_terms, d2_dbiases_terms, d1_dweights_terms, d1_dbiases_terms;  // see Chapter9
};

template <class T>
Chapter16<T> chapter16() {
  nnfs::RandomState rng(0);
  const auto data = nnfs::datasets::spiral_data<T>(100, 2, rng);
  const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, 1> y =
      data.y.template cast<std::uint8_t>();  // uint8, reshape(-1, 1)
  nnfs::Dense<T> dense1(2, 64, nnfs::Regularization{0, 5e-4, 0, 5e-4}, 0.01, rng);
  nnfs::ReLU<T> activation1;
  nnfs::Dense<T> dense2(64, 1, nnfs::Regularization{}, 0.01, rng);
  nnfs::Sigmoid<T> activation2;
  nnfs::BinaryCrossentropy<T> loss_function;
  dense1.forward(data.X);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  activation2.forward(dense2.output);
  Chapter16<T> r;
  r.data_loss = loss_function.calculate(activation2.output, y);
  r.regularization_loss = dense1.regularization_loss() + dense2.regularization_loss();
  loss_function.backward(activation2.output, y);
  activation2.backward(loss_function.dinputs);
  dense2.backward(activation2.dinputs);
  activation1.backward(dense2.dinputs);
  dense1.backward(activation1.dinputs);
  r.sigmoid_dinputs = activation2.dinputs;
  r.d2_dweights = dense2.dweights;
  r.d2_dbiases = dense2.dbiases;
  r.d1_dweights = dense1.dweights;
  r.d1_dbiases = dense1.dbiases;
  r.d2_dweights_terms = abs_product(activation1.output.transpose(), activation2.dinputs);
  r.d2_dbiases_terms = abs_col_sums(activation2.dinputs);
  // plus the L2 terms 2λ·W and 2λ·b, added after the sums
  r.d1_dweights_terms = abs_product(data.X.transpose(), activation1.dinputs) +
                        2 * 5e-4 * dense1.weights.template cast<double>().cwiseAbs();
  r.d1_dbiases_terms = abs_col_sums(activation1.dinputs) + 2 * 5e-4 * dense1.biases.template cast<double>().cwiseAbs();
  return r;
}

template <class T>
void check_chapter16_close(const Chapter16<T>& r, const Golden& g, double rel) {
  CHECK_THAT(static_cast<double>(r.data_loss), WithinRel(g.scalar("data_loss"), rel));
  CHECK_THAT(r.regularization_loss, WithinRel(g.scalar("regularization_loss"), rel));
  check_close(r.sigmoid_dinputs, g.m<T>("sigmoid.dinputs"), rel, "sigmoid.dinputs");
  check_close(r.d2_dweights, g.m<T>("dense2.dweights"), rel, "dense2.dweights", r.d2_dweights_terms);
  check_close(r.d2_dbiases, g.m<T>("dense2.dbiases"), rel, "dense2.dbiases", r.d2_dbiases_terms);
  check_close(r.d1_dweights, g.m<T>("dense1.dweights"), rel, "dense1.dweights", r.d1_dweights_terms);
  check_close(r.d1_dbiases, g.m<T>("dense1.dbiases"), rel, "dense1.dbiases", r.d1_dbiases_terms);
}

}  // namespace

TEST_CASE("the chapter 16 backward pass (sigmoid + BCE, L2) is NumPy's, bit for bit in book mode", "[backward][book]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::book);
  const Golden g("backward_ch16_book.txt");
  const auto r = chapter16<float>();
  CHECK(r.data_loss == static_cast<float>(g.scalar("data_loss")));
  CHECK(r.regularization_loss == g.scalar("regularization_loss"));
  check_bits(r.sigmoid_dinputs, g.m<float>("sigmoid.dinputs"), "sigmoid.dinputs");
  check_bits(r.d2_dweights, g.m<float>("dense2.dweights"), "dense2.dweights");
  check_bits(r.d2_dbiases, g.m<float>("dense2.dbiases"), "dense2.dbiases");
  check_bits(r.d1_dweights, g.m<float>("dense1.dweights"), "dense1.dweights");
  check_bits(r.d1_dbiases, g.m<float>("dense1.dbiases"), "dense1.dbiases");
}

TEST_CASE("the chapter 16 backward pass in float64 and in fast float mode matches NumPy", "[backward][fast]") {
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    INFO((mode == nnfs::Numerics::book ? "book mode" : "fast mode"));
    const nnfs::NumericsScope scope(mode);
    const Golden g("backward_ch16_double.txt");
    check_chapter16_close(chapter16<double>(), g, 1e-12);
  }
  INFO("float, fast mode");
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  check_chapter16_close(chapter16<float>(), Golden("backward_ch16_book.txt"), 1e-5);
}

// ---------------------------------------------------------------------------------------------
// Bad input: every layer's backward.

TEMPLATE_TEST_CASE("every layer's backward rejects a call before forward", "[backward][errors]", float, double) {
  using T = TestType;
  const nnfs::Matrix<T> d = nnfs::Matrix<T>::Ones(2, 3);
  nnfs::RandomState rng(0);
  nnfs::Dense<T> dense(4, 3, rng);
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, dense.backward(d), "Dense::backward", "before forward");
  nnfs::ReLU<T> relu;
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, relu.backward(d), "ReLU::backward", "before forward");
  nnfs::Softmax<T> softmax;
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, softmax.backward(d), "Softmax::backward", "before forward");
  nnfs::Sigmoid<T> sigmoid;
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, sigmoid.backward(d), "Sigmoid::backward", "before forward");
  nnfs::Linear<T> linear;
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, linear.backward(d), "Linear::backward", "before forward");
  nnfs::Dropout<T> dropout(0.1, rng);
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, dropout.backward(d), "Dropout::backward", "before forward");
}

TEMPLATE_TEST_CASE("every layer's backward rejects dvalues of the wrong shape, naming both shapes",
                   "[backward][errors]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  const nnfs::Matrix<T> x = nnfs::Matrix<T>::Constant(5, 4, T(0.5));
  const auto out = nnfs::shape_str(5, 3);
  for (const auto& [rows, cols] : {std::pair<nnfs::Index, nnfs::Index>{5, 4}, {4, 3}, {6, 3}, {5, 2}}) {
    const nnfs::Matrix<T> bad = nnfs::Matrix<T>::Ones(rows, cols);
    const auto seen = nnfs::shape_str(rows, cols);
    INFO("dvalues " << seen);
    nnfs::Dense<T> dense(4, 3, rng);
    dense.forward(x);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, dense.backward(bad), "Dense::backward", seen, out);
  }
  const auto in = nnfs::shape_str(5, 4);
  for (const auto& [rows, cols] : {std::pair<nnfs::Index, nnfs::Index>{5, 3}, {4, 4}, {1, 1}, {5, 5}}) {
    const nnfs::Matrix<T> bad = nnfs::Matrix<T>::Ones(rows, cols);
    const auto seen = nnfs::shape_str(rows, cols);
    INFO("dvalues " << seen);
    nnfs::ReLU<T> relu;
    relu.forward(x);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, relu.backward(bad), "ReLU::backward", seen, in);
    nnfs::Softmax<T> softmax;
    softmax.forward(x);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, softmax.backward(bad), "Softmax::backward", seen, in);
    nnfs::Sigmoid<T> sigmoid;
    sigmoid.forward(x);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, sigmoid.backward(bad), "Sigmoid::backward", seen, in);
    nnfs::Linear<T> linear;
    linear.forward(x);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, linear.backward(bad), "Linear::backward", seen, in);
    nnfs::Dropout<T> dropout(0.1, rng);
    dropout.forward(x);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, dropout.backward(bad), "Dropout::backward", seen, in);
    dropout.forward(x, false);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, dropout.backward(bad), "Dropout::backward", seen, in);
  }
}

TEMPLATE_TEST_CASE("a backward after a forward with a new batch size uses the new shape", "[backward][errors]", float,
                   double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  nnfs::Dense<T> dense(4, 3, rng);
  nnfs::ReLU<T> relu;
  dense.forward(nnfs::Matrix<T>::Ones(5, 4));
  relu.forward(dense.output);
  dense.forward(nnfs::Matrix<T>::Ones(2, 4));
  relu.forward(dense.output);
  const nnfs::Matrix<T> old = nnfs::Matrix<T>::Ones(5, 3);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, dense.backward(old), nnfs::shape_str(5, 3), nnfs::shape_str(2, 3));
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, relu.backward(old), nnfs::shape_str(5, 3), nnfs::shape_str(2, 3));
  CHECK(dense.backward(nnfs::Matrix<T>::Ones(2, 3)).rows() == 2);
  CHECK(relu.backward(nnfs::Matrix<T>::Ones(2, 3)).rows() == 2);
}

TEMPLATE_TEST_CASE("the combined softmax+CCE backward rejects bad labels and targets", "[backward][errors]", float,
                   double) {
  using T = TestType;
  const nnfs::Matrix<T> probs = nnfs::Matrix<T>::Constant(4, 3, T(1) / T(3));
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
  const auto shape = nnfs::shape_str(probs);
  nnfs::Labels three(3);
  three << 0, 1, 2;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss_activation.backward(probs, three), "3 labels", shape);
  nnfs::Labels five(5);
  five << 0, 1, 2, 0, 1;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss_activation.backward(probs, five), "5 labels", shape);
  nnfs::Labels out_of_range(4);
  out_of_range << 0, 1, 3, 0;
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, loss_activation.backward(probs, out_of_range), "label 3", "sample 2",
                           "[0, 3)");
  nnfs::Labels negative(4);
  negative << 0, -1, 2, 0;
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, loss_activation.backward(probs, negative), "label -1", "sample 1");
  const nnfs::Matrix<T> onehot_wide = nnfs::Matrix<T>::Identity(4, 4);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss_activation.backward(probs, onehot_wide), nnfs::shape_str(4, 4),
                           shape);
  const nnfs::Matrix<T> onehot_short = nnfs::Matrix<T>::Identity(3, 3);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss_activation.backward(probs, onehot_short), nnfs::shape_str(3, 3),
                           shape);
  const nnfs::Matrix<T> empty(0, 3);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, loss_activation.backward(empty, nnfs::Labels(0)), "empty");
}
