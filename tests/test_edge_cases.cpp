// Numerical edge cases, in both numerics modes and for float and double: saturated softmax and
// sigmoid, losses at probabilities of exactly 0 and 1, optimizers fed all-zero gradients, a
// regularization strength of 0, and a batch of a single sample through whole training steps.
// (Softmax rows of ±1000/±1e4 are in test_softmax.cpp and CCE's clipping of a lone 0 or 1 in
// test_categorical_crossentropy.cpp; this file covers what those leave out.)
#include "nnfs_catch.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace {

using nnfs_test::same_bits;
using nnfs_test::mode_name;

using nnfs::Index;
using nnfs::Labels;
using nnfs::Numerics;

template <class T>
using M = nnfs::Matrix<T>;

/// Relative tolerance for comparing a fast-mode transcendental with the correctly rounded one.
template <class T>
double fast_tol() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-13;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Softmax

TEMPLATE_TEST_CASE("softmax of all-equal rows is exactly uniform, at 0 and at ±1e4", "[edge][softmax]", float,
                   double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  M<T> x(4, 3);
  x.row(0).setConstant(T(0));
  x.row(1).setConstant(T(1e4));
  x.row(2).setConstant(T(-1e4));
  x.row(3).setConstant(T(7.25));
  nnfs::Softmax<T> softmax;
  softmax.forward(x);
  // x − rowmax is exactly 0, e^0 is exactly 1, the sum exactly 3: every entry is fl(1/3).
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) CHECK(softmax.output(i, j) == T(1) / T(3));
  // J·1 = s − s·Σs: with Σs = 1 up to rounding the gradient of a constant loss is ~0
  softmax.backward(M<T>::Ones(4, 3));
  REQUIRE(softmax.dinputs.allFinite());
  CHECK(softmax.dinputs.cwiseAbs().maxCoeff() <= T(4) * std::numeric_limits<T>::epsilon());
}

TEMPLATE_TEST_CASE("saturated softmax + cross-entropy: finite clipped loss, exact combined gradient",
                   "[edge][softmax][cce]", float, double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  M<T> logits(2, 3);
  logits.row(0) << T(1e4), T(-1e4), T(0);
  logits.row(1) << T(1e4), T(-1e4), T(0);
  Labels y(2);
  y << 0, 1;  // row 0: the certain class is right; row 1: the true class has probability 0
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
  const T loss = loss_activation.forward(logits, y);
  const auto& p = loss_activation.output();
  CHECK(p(0, 0) == T(1));
  CHECK(p(1, 1) >= T(0));
  CHECK(p(1, 1) <= std::numeric_limits<T>::min());  // 0, or a subnormal from Eigen's SIMD exp
  REQUIRE(std::isfinite(loss));

  // per-sample losses: −log(clip_max) ≈ 1e−7 and −log(clip_min) = 16.118… (not inf)
  const auto& s = loss_activation.loss.sample_losses();
  const double lo = static_cast<double>(nnfs::CategoricalCrossentropy<T>::clip_min());
  const double hi = static_cast<double>(nnfs::CategoricalCrossentropy<T>::clip_max());
  if (mode == Numerics::book) {
    CHECK(s(0) == -static_cast<T>(std::log(hi)));
    CHECK(s(1) == -static_cast<T>(std::log(lo)));
  } else {
    CHECK_THAT(static_cast<double>(s(0)), WithinRel(-std::log(hi), fast_tol<T>()));
    CHECK_THAT(static_cast<double>(s(1)), WithinRel(-std::log(lo), fast_tol<T>()));
  }
  CHECK_THAT(static_cast<double>(s(1)), WithinRel(16.11809565095832, 1e-6));

  // dinputs = (ŷ − t)/N: exact, no division by a probability
  loss_activation.backward(p, y);
  REQUIRE(loss_activation.dinputs.allFinite());
  CHECK(loss_activation.dinputs(0, 0) == T(0));
  CHECK(loss_activation.dinputs(1, 0) == T(1) / T(2));
  CHECK(loss_activation.dinputs(1, 1) == (p(1, 1) - T(1)) / T(2));

  // the separate softmax backward at a saturated output stays finite too
  nnfs::Softmax<T> softmax;
  softmax.forward(logits);
  softmax.backward(M<T>::Ones(2, 3));
  CHECK(softmax.dinputs.allFinite());
}

// ---------------------------------------------------------------------------------------------
// Cross-entropies at probabilities of exactly 0 and 1

TEMPLATE_TEST_CASE("binary cross-entropy at p = 0 and p = 1 is finite: −log of the clipped bounds",
                   "[edge][bce]", float, double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  M<T> p(4, 1), t(4, 1);
  p << T(0), T(1), T(0), T(1);
  t << T(0), T(1), T(1), T(0);
  const T lo = nnfs::BinaryCrossentropy<T>::clip_min();
  const T hi = nnfs::BinaryCrossentropy<T>::clip_max();
  // −log of what the loss really takes the log of: 1 − lo, hi, lo, 1 − hi (each in T)
  const T args[4] = {T(1) - lo, hi, lo, T(1) - hi};
  nnfs::BinaryCrossentropy<T> bce;
  const auto& s = bce.forward(p, t);
  REQUIRE(s.allFinite());
  for (int i = 0; i < 4; ++i) {
    INFO("sample " << i);
    const double expected = -std::log(static_cast<double>(args[i]));
    if (mode == Numerics::book)
      CHECK(s(i) == static_cast<T>(-std::log(static_cast<double>(args[i]))));
    else
      CHECK_THAT(static_cast<double>(s(i)), WithinRel(expected, fast_tol<T>()));
  }
  // right and certain: ≈ 1e−7 (float: −log(0.99999988) = 1.19e−7); wrong and certain: ≈ 16
  CHECK(s(0) > T(0));
  CHECK(s(0) < T(2e-7));
  CHECK(s(1) < T(2e-7));
  CHECK_THAT(static_cast<double>(s(2)), WithinRel(16.11809565095832, 1e-6));
  CHECK(s(3) > T(15.9));  // float: 1 − 0.99999988 = 1.19e−7, so −log is 15.94, not 16.12
  CHECK(std::isfinite(bce.calculate(p, t)));

  bce.backward(p, t);
  REQUIRE(bce.dinputs.allFinite());
  // the gradient moves p towards t everywhere: down where t = 0, up where t = 1
  CHECK(bce.dinputs(0, 0) > T(0));
  CHECK(bce.dinputs(1, 0) < T(0));
  CHECK(bce.dinputs(2, 0) < T(0));
  CHECK(bce.dinputs(3, 0) > T(0));
}

TEMPLATE_TEST_CASE("categorical cross-entropy at p = 0 and p = 1, sparse and one-hot, is finite", "[edge][cce]",
                   float, double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  M<T> p(2, 3);
  p << T(1), T(0), T(0),  //
      T(1), T(0), T(0);
  Labels y(2);
  y << 0, 2;
  M<T> onehot = M<T>::Zero(2, 3);
  onehot(0, 0) = T(1);
  onehot(1, 2) = T(1);
  nnfs::CategoricalCrossentropy<T> cce;
  const T sparse = cce.calculate(p, y);
  const nnfs::Vector<T> sparse_samples = cce.sample_losses();
  const T dense = cce.calculate(p, onehot);
  REQUIRE(std::isfinite(sparse));
  CHECK(sparse == dense);
  CHECK(same_bits(sparse_samples, cce.sample_losses()));
  const double lo = static_cast<double>(nnfs::CategoricalCrossentropy<T>::clip_min());
  const double hi = static_cast<double>(nnfs::CategoricalCrossentropy<T>::clip_max());
  if (mode == Numerics::book) {
    CHECK(sparse_samples(0) == -static_cast<T>(std::log(hi)));
    CHECK(sparse_samples(1) == -static_cast<T>(std::log(lo)));
  } else {
    CHECK_THAT(static_cast<double>(sparse_samples(0)), WithinRel(-std::log(hi), fast_tol<T>()));
    CHECK_THAT(static_cast<double>(sparse_samples(1)), WithinRel(-std::log(lo), fast_tol<T>()));
  }
  // The book's CCE backward divides by the unclipped probability: −1/1/N where p = 1 is finite;
  // at p = 0 for the true class it is −inf, as in NumPy (use SoftmaxCategoricalCrossentropy).
  cce.backward(p, y);
  CHECK(cce.dinputs(0, 0) == T(-1) / T(2));
  CHECK(std::isinf(cce.dinputs(1, 2)));
  CHECK(cce.dinputs(0, 1) == T(0));
}

// ---------------------------------------------------------------------------------------------
// Sigmoid

TEMPLATE_TEST_CASE("sigmoid of ±1000 is exactly 1 and 0 with a finite (zero) gradient", "[edge][sigmoid]", float,
                   double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  M<T> x(2, 3);
  x << T(1000), T(-1000), T(0),  //
      T(-1000), T(1000), T(1e4);
  nnfs::Sigmoid<T> sigmoid;
  sigmoid.forward(x);
  CHECK(sigmoid.output(0, 0) == T(1));
  CHECK(sigmoid.output(0, 1) == T(0));  // e^1000 = inf, 1/(1 + inf) = 0
  CHECK(sigmoid.output(0, 2) == T(0.5));
  CHECK(sigmoid.output(1, 0) == T(0));
  CHECK(sigmoid.output(1, 1) == T(1));
  CHECK(sigmoid.output(1, 2) == T(1));
  sigmoid.backward(M<T>::Constant(2, 3, T(3)));
  REQUIRE(sigmoid.dinputs.allFinite());
  CHECK(sigmoid.dinputs(0, 0) == T(0));
  CHECK(sigmoid.dinputs(0, 1) == T(0));
  CHECK(sigmoid.dinputs(0, 2) == T(0.75));
  // and the binary cross-entropy of those saturated outputs stays finite
  nnfs::BinaryCrossentropy<T> bce;
  const M<T> targets = M<T>::Ones(2, 3);
  CHECK(std::isfinite(bce.calculate(sigmoid.output, targets)));
  bce.backward(sigmoid.output, targets);
  CHECK(bce.dinputs.allFinite());
}

// ---------------------------------------------------------------------------------------------
// Optimizers and regularization

namespace {

template <class T>
nnfs::Dense<T> layer_with_zero_gradients(nnfs::RandomState& rng) {
  nnfs::Dense<T> layer(3, 4, rng);
  layer.biases << T(0.5), T(-0.25), T(0), T(2);
  layer.forward(rng.randn<T>(5, 3));
  layer.backward(M<T>::Zero(5, 4));  // all-zero gradients (and zero dinputs)
  return layer;
}

template <class Optimizer, class T>
void require_zero_gradient_steps_change_nothing(Optimizer optimizer, const char* name) {
  INFO("optimizer " << name);
  nnfs::RandomState rng(3);
  auto layer = layer_with_zero_gradients<T>(rng);
  REQUIRE(layer.dweights.isZero(0));
  REQUIRE(layer.dbiases.isZero(0));
  const M<T> weights = layer.weights;
  const M<T> biases = layer.biases;
  for (int step = 0; step < 5; ++step) optimizer.step(layer);
  CHECK(same_bits(layer.weights, weights));
  CHECK(same_bits(layer.biases, biases));
  CHECK(layer.weights.allFinite());
  for (const M<T>* state : {&layer.weight_momentums, &layer.weight_cache, &layer.bias_momentums, &layer.bias_cache})
    if (state->size() != 0) {
      CHECK(state->allFinite());
      CHECK(state->isZero(0));
    }
  CHECK(optimizer.iterations() == 5);
}

}  // namespace

TEMPLATE_TEST_CASE("all-zero gradients leave the parameters bit-identical, with no NaN", "[edge][optimizers]", float,
                   double) {
  using T = TestType;
  // Adam: m = v = 0, m̂/(√v̂ + ε) = 0/ε = 0 (no 0/0); the others likewise
  require_zero_gradient_steps_change_nothing<nnfs::Adam, T>(nnfs::Adam(0.05, 5e-7), "Adam(0.05, 5e-7)");
  require_zero_gradient_steps_change_nothing<nnfs::Adam, T>(nnfs::Adam(0.001, 0.0, 1e-7, 0.0, 0.0),
                                                            "Adam with beta_1 = beta_2 = 0");
  require_zero_gradient_steps_change_nothing<nnfs::SGD, T>(nnfs::SGD(1.0), "SGD");
  require_zero_gradient_steps_change_nothing<nnfs::SGD, T>(nnfs::SGD(1.0, 1e-3, 0.9), "SGD with momentum");
  require_zero_gradient_steps_change_nothing<nnfs::Adagrad, T>(nnfs::Adagrad(1.0, 1e-4), "Adagrad");
  require_zero_gradient_steps_change_nothing<nnfs::RMSprop, T>(nnfs::RMSprop(0.02, 1e-5, 1e-7, 0.999), "RMSprop");
}

TEMPLATE_TEST_CASE("regularization with every λ = 0 trains exactly like no regularization", "[edge][regularization]",
                   float, double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  nnfs::RandomState data_rng(11);
  const auto [X, y] = nnfs::datasets::spiral_data<T>(10, 3, data_rng);
  nnfs::RandomState rng_a(5), rng_b(5);
  nnfs::Dense<T> plain(2, 8, rng_a);
  nnfs::Dense<T> zero(2, 8, nnfs::Regularization{0.0, 0.0, 0.0, 0.0}, 0.01, rng_b);
  nnfs::Dense<T> head_a(8, 3, rng_a), head_b(8, 3, rng_b);
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_a, loss_b;
  nnfs::Adam adam_a(0.05, 5e-7), adam_b(0.05, 5e-7);
  CHECK_FALSE(zero.regularization.any());
  for (int step = 0; step < 5; ++step) {
    plain.forward(X);
    head_a.forward(plain.output);
    zero.forward(X);
    head_b.forward(zero.output);
    const T la = loss_a.forward(head_a.output, y);
    const T lb = loss_b.forward(head_b.output, y);
    CHECK(la == lb);
    CHECK(zero.regularization_loss() == 0.0);
    loss_a.backward(loss_a.output(), y);
    loss_b.backward(loss_b.output(), y);
    head_a.backward(loss_a.dinputs);
    head_b.backward(loss_b.dinputs);
    plain.backward(head_a.dinputs);
    zero.backward(head_b.dinputs);
    CHECK(same_bits(zero.dweights, plain.dweights));
    CHECK(same_bits(zero.dbiases, plain.dbiases));
    adam_a.step(plain, head_a);
    adam_b.step(zero, head_b);
  }
  CHECK(same_bits(zero.weights, plain.weights));
  CHECK(same_bits(zero.biases, plain.biases));
  CHECK(same_bits(head_b.weights, head_a.weights));
}

// ---------------------------------------------------------------------------------------------
// A batch of one sample

TEMPLATE_TEST_CASE("a batch of one sample goes through whole training steps", "[edge][batch]", float, double) {
  using T = TestType;
  const Numerics mode = GENERATE(Numerics::fast, Numerics::book);
  const nnfs::NumericsScope scope(mode);
  INFO("mode " << mode_name(mode));
  nnfs::RandomState rng(21);

  SECTION("classifier: Dense → ReLU → Dense → softmax + CCE, Adam") {
    M<T> x(1, 2);
    x << T(0.3), T(-0.7);
    Labels y(1);
    y << 2;
    nnfs::Dense<T> dense1(2, 4, nnfs::Regularization{1e-4, 5e-4, 1e-4, 5e-4}, 1.0, rng);
    nnfs::ReLU<T> relu;
    nnfs::Dense<T> dense2(4, 3, nnfs::Regularization{}, 1.0, rng);
    nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
    nnfs::Adam adam(0.05, 5e-7);
    T first_loss = T(0);
    for (int step = 0; step < 20; ++step) {
      dense1.forward(x);
      relu.forward(dense1.output);
      dense2.forward(relu.output);
      const T loss = loss_activation.forward(dense2.output, y);
      REQUIRE(std::isfinite(loss));
      if (step == 0) first_loss = loss;
      const double acc = nnfs::accuracy(loss_activation.output(), y);
      CHECK((acc == 0.0 || acc == 1.0));
      loss_activation.backward(loss_activation.output(), y);
      dense2.backward(loss_activation.dinputs);
      relu.backward(dense2.dinputs);
      dense1.backward(relu.dinputs);
      REQUIRE(dense2.dinputs.rows() == 1);
      REQUIRE(dense1.dinputs.rows() == 1);
      // with N = 1: dbiases is the one dvalues row, dweights the outer product, both exact
      CHECK(dense2.dbiases == loss_activation.dinputs);
      for (Index i = 0; i < 4; ++i)
        for (Index j = 0; j < 3; ++j) CHECK(dense2.dweights(i, j) == relu.output(0, i) * loss_activation.dinputs(0, j));
      adam.step(dense1, dense2);
      CHECK(dense1.weights.allFinite());
      CHECK(dense2.weights.allFinite());
    }
    dense1.forward(x);
    relu.forward(dense1.output);
    dense2.forward(relu.output);
    CHECK(loss_activation.forward(dense2.output, y) < first_loss);  // one sample is easy to fit
  }

  SECTION("binary: Dense → ReLU → Dropout → Dense → sigmoid + BCE, RMSprop") {
    const M<T> x = rng.randn<T>(1, 3);
    M<T> t(1, 2);
    t << T(1), T(0);
    nnfs::Dense<T> dense1(3, 5, nnfs::Regularization{}, 0.5, rng);
    nnfs::ReLU<T> relu;
    nnfs::Dropout<T> dropout(0.2, rng);
    nnfs::Dense<T> dense2(5, 2, nnfs::Regularization{}, 0.5, rng);
    nnfs::Sigmoid<T> sigmoid;
    nnfs::BinaryCrossentropy<T> bce;
    nnfs::RMSprop rmsprop(0.01, 1e-4);
    for (int step = 0; step < 10; ++step) {
      dense1.forward(x);
      relu.forward(dense1.output);
      dropout.forward(relu.output);
      dense2.forward(dropout.output);
      sigmoid.forward(dense2.output);
      REQUIRE(std::isfinite(bce.calculate(sigmoid.output, t)));
      CHECK(nnfs::binary_accuracy(sigmoid.output, t) >= 0.0);
      bce.backward(sigmoid.output, t);
      sigmoid.backward(bce.dinputs);
      dense2.backward(sigmoid.dinputs);
      dropout.backward(dense2.dinputs);
      relu.backward(dropout.dinputs);
      dense1.backward(relu.dinputs);
      CHECK(dense2.dbiases == sigmoid.dinputs);
      rmsprop.step(dense1, dense2);
      REQUIRE(dense1.weights.allFinite());
      REQUIRE(dense2.weights.allFinite());
    }
  }

  SECTION("regression: Dense → ReLU → Dense → linear + MSE and MAE, SGD with momentum") {
    M<T> x(1, 1);
    x << T(0.25);
    M<T> target(1, 1);
    target << T(1);
    nnfs::Dense<T> dense1(1, 8, nnfs::Regularization{}, 0.1, rng);
    nnfs::ReLU<T> relu;
    nnfs::Dense<T> dense2(8, 1, nnfs::Regularization{}, 0.1, rng);
    nnfs::Linear<T> linear;
    nnfs::MeanSquaredError<T> mse;
    nnfs::MeanAbsoluteError<T> mae;
    nnfs::SGD sgd(0.05, 0.0, 0.5);
    T first = T(0), last = T(0);
    for (int step = 0; step < 30; ++step) {
      dense1.forward(x);
      relu.forward(dense1.output);
      dense2.forward(relu.output);
      linear.forward(dense2.output);
      last = mse.calculate(linear.output, target);
      REQUIRE(std::isfinite(last));
      REQUIRE(std::isfinite(mae.calculate(linear.output, target)));
      if (step == 0) first = last;
      mse.backward(linear.output, target);
      linear.backward(mse.dinputs);
      dense2.backward(linear.dinputs);
      relu.backward(dense2.dinputs);
      dense1.backward(relu.dinputs);
      sgd.step(dense1, dense2);
    }
    CHECK(last < first);
    nnfs::RegressionAccuracy accuracy;
    accuracy.init(M<T>(M<T>::Constant(1, 1, T(1))));
    CHECK(accuracy.precision() == 0.0);  // np.std of one value is 0: nothing is ever "close"
    CHECK(accuracy.calculate(linear.output, target) == 0.0);
  }
}

TEMPLATE_TEST_CASE("a batch of one gives the same training step in fast and book modes, up to rounding",
                   "[edge][batch][fast]", float, double) {
  using T = TestType;
  nnfs::RandomState data_rng(8);
  const M<T> x = data_rng.randn<T>(1, 2);
  Labels y(1);
  y << 1;
  M<T> weights[2][2];
  for (const Numerics mode : {Numerics::book, Numerics::fast}) {
    const nnfs::NumericsScope scope(mode);
    nnfs::RandomState rng(9);
    nnfs::Dense<T> dense1(2, 6, nnfs::Regularization{}, 1.0, rng);
    nnfs::ReLU<T> relu;
    nnfs::Dense<T> dense2(6, 3, nnfs::Regularization{}, 1.0, rng);
    nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
    nnfs::Adam adam(0.01);
    for (int step = 0; step < 3; ++step) {
      dense1.forward(x);
      relu.forward(dense1.output);
      dense2.forward(relu.output);
      loss_activation.forward(dense2.output, y);
      loss_activation.backward(loss_activation.output(), y);
      dense2.backward(loss_activation.dinputs);
      relu.backward(dense2.dinputs);
      dense1.backward(relu.dinputs);
      adam.step(dense1, dense2);
    }
    const int k = mode == Numerics::book ? 0 : 1;
    weights[k][0] = dense1.weights;
    weights[k][1] = dense2.weights;
  }
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-10;
  for (int layer = 0; layer < 2; ++layer)
    for (Index i = 0; i < weights[0][layer].size(); ++i)
      CHECK_THAT(static_cast<double>(weights[1][layer].data()[i]),
                 WithinAbs(static_cast<double>(weights[0][layer].data()[i]), tol));
}
