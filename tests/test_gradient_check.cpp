// Gradient checks: every backward() in the library against central differences of its forward()
// (gradient_check.hpp explains the checker and its relative error).
//
// Each check runs in double, in both numerics modes (book and fast: several layers have two
// code paths), on a few random shapes drawn from a seeded RandomState, and requires a relative
// error below 1e-6. Layers are turned into scalar functions in the usual way:
//   * a layer with output y(x):   f(x) = Σ y(x) ⊙ R for a fixed random R, so ∂f/∂y = R and the
//     analytic gradient is backward(R);
//   * a loss:                     f = calculate(predictions, targets), analytic = backward(...).
// Finite differences are only meaningful where f is smooth, so the inputs keep clear of every
// kink: ReLU inputs, L1-regularized parameters and MAE residuals are at least 0.05 away from 0,
// probabilities fed to the cross-entropies lie in [0.05, 0.95] (the clip bounds are 1e-7 and
// 1 − 1e-7), and the network's hidden pre-activations are redrawn until none is within 0.01 of 0.
// Every margin is hundreds of steps h = 1e-5·max(1, |x|) wide.
//
// Build with -DNNFS_GRADCHECK_PRINT to print every check's worst error to stderr.

#include "gradient_check.hpp"
#include "nnfs_catch.hpp"

#include "nnfs/losses/binary_crossentropy.hpp"
#include "nnfs/losses/categorical_crossentropy.hpp"
#include "nnfs/core.hpp"
#include "nnfs/layers/dense.hpp"
#include "nnfs/layers/dropout.hpp"
#include "nnfs/layers/identity.hpp"
#include "nnfs/losses/mean_absolute_error.hpp"
#include "nnfs/losses/mean_squared_error.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/layers/relu.hpp"
#include "nnfs/layers/sigmoid.hpp"
#include "nnfs/layers/softmax.hpp"
#include "nnfs/losses/softmax_categorical_crossentropy.hpp"
#include "test_util.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

using nnfs::Index;
using nnfs::Numerics;
using nnfs::RandomState;
using nnfs_test::check_gradient;
using nnfs_test::compare_gradients;
using nnfs_test::GradientReport;
using nnfs_test::GradMatrix;

namespace {

using nnfs_test::mode_name;

constexpr double kTolerance = 1e-6;  // required: max relative error < kTolerance
constexpr int kShapes = 4;           // random shapes per check and numerics mode
// For two analytic gradients that must agree closely everywhere: no floor, purely relative.
constexpr nnfs_test::GradientCheckOptions kPurelyRelative{1e-5, 1e-300, 0.0};  // (step unused)

/// Σ_ij y_ij · r_ij: the scalar whose gradient with respect to y is r.
double weighted_sum(const GradMatrix& y, const GradMatrix& r) { return (y.array() * r.array()).sum(); }

Index draw_size(RandomState& rng, Index low, Index high) {  // uniform in [low, high]
  return static_cast<Index>(rng.randint(static_cast<std::int64_t>(low), static_cast<std::int64_t>(high) + 1));
}

GradMatrix uniform(RandomState& rng, Index rows, Index cols, double low, double high) {
  GradMatrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(low, high);
  return m;
}

/// Normal draws pushed at least `margin` away from 0: sign(z)·(margin + |z|).
GradMatrix away_from_zero(RandomState& rng, Index rows, Index cols, double margin) {
  GradMatrix m = rng.randn<double>(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = std::copysign(margin + std::abs(m.data()[i]), m.data()[i]);
  return m;
}

nnfs::Labels random_labels(RandomState& rng, Index samples, Index classes) {
  nnfs::Labels y(samples);
  for (Index i = 0; i < samples; ++i) y(i) = static_cast<std::int32_t>(rng.randint(0, classes));
  return y;
}

GradMatrix one_hot(const nnfs::Labels& y, Index classes) {
  GradMatrix t = GradMatrix::Zero(y.size(), classes);
  for (Index i = 0; i < y.size(); ++i) t(i, y(i)) = 1.0;
  return t;
}

void print_report([[maybe_unused]] const char* check, [[maybe_unused]] const GradientReport& report) {
#ifdef NNFS_GRADCHECK_PRINT
  std::fprintf(stderr, "GRADCHECK|%s|%s|%.3e|%+.3e|%+.3e\n", check, mode_name(nnfs::numerics()), report.max_rel_error,
               report.analytic, report.numerical);
#endif
}

}  // namespace

/// REQUIRE that a check's worst relative error is below `tol`, printing the report if not.
#define REQUIRE_GRADIENT_WITHIN(check, report_expr, tol)     \
  do {                                                       \
    const GradientReport nnfs_report_ = (report_expr);       \
    print_report(check, nnfs_report_);                       \
    INFO((check) << ": " << nnfs_report_);                   \
    REQUIRE(nnfs_report_.max_rel_error < (tol));             \
  } while (false)
#define REQUIRE_GRADIENT(check, report_expr) REQUIRE_GRADIENT_WITHIN(check, report_expr, kTolerance)

// ---------------------------------------------------------------------------------------------
// The checker itself

TEST_CASE("gradient checker: accepts a right gradient and rejects wrong ones", "[gradcheck]") {
  RandomState rng(101);
  const GradMatrix x = rng.randn<double>(5, 4);
  // f(x) = Σ sin(x) ⊙ R + ½‖x‖², ∂f/∂x = cos(x) ⊙ R + x
  const GradMatrix r = rng.randn<double>(5, 4);
  const auto f = [&](const GradMatrix& p) { return weighted_sum(p.array().sin().matrix(), r) + 0.5 * p.squaredNorm(); };
  const GradMatrix right = (x.array().cos() * r.array() + x.array()).matrix();

  REQUIRE_GRADIENT("checker: right gradient", check_gradient(f, x, right));

  SECTION("a gradient scaled by 1.01 is rejected") {
    const GradientReport report = check_gradient(f, x, 1.01 * right);
    INFO(report);
    // |1.01g − g| / (1.01|g| + |g|) = 0.01/2.01 ≈ 5e-3 at every element.
    REQUIRE(report.max_rel_error > 1e-3);
  }
  SECTION("one perturbed element is rejected and located") {
    GradMatrix wrong = right;
    wrong(3, 2) += 1e-4 * (1.0 + std::abs(wrong(3, 2)));
    const GradientReport report = check_gradient(f, x, wrong);
    INFO(report);
    REQUIRE(report.max_rel_error > 1e-5);
    REQUIRE(report.row == 3);
    REQUIRE(report.col == 2);
    REQUIRE(report.analytic == wrong(3, 2));
  }
  SECTION("a gradient with the wrong sign is maximally wrong") {
    const GradientReport report = check_gradient(f, x, -right);
    INFO(report);
    REQUIRE(report.max_rel_error > 0.99);
  }
  SECTION("a NaN is never accepted") {
    GradMatrix wrong = right;
    wrong(0, 1) = std::nan("");
    const GradientReport report = check_gradient(f, x, wrong);
    INFO(report);
    REQUIRE(std::isinf(report.max_rel_error));
    REQUIRE(report.row == 0);
    REQUIRE(report.col == 1);
  }
  SECTION("zero gradients compare as equal; near zero the comparison becomes absolute") {
    const GradMatrix zero = GradMatrix::Zero(2, 3);
    REQUIRE(compare_gradients(zero, zero).max_rel_error == 0.0);
    GradMatrix almost = zero;
    almost(1, 1) = 1e-9;  // all-zero scale: the absolute floor 1e-7 applies, 1e-9 / 1e-7
    REQUIRE_THAT(compare_gradients(zero, almost).max_rel_error, WithinRel(1e-2, 1e-12));

    GradMatrix g(1, 2), n(1, 2);
    g << 1.0, 1e-6;
    n << 1.0, 1e-6 + 1e-12;  // relative difference 5e-7 at the tiny element ...
    const GradientReport report = compare_gradients(g, n);
    INFO(report);
    REQUIRE(report.floor == 2e-3);  // ... measured against 1e-3 · max(|g| + |n|) = 2e-3 instead
    REQUIRE_THAT(report.max_rel_error, WithinRel(1e-12 / 2e-3, 1e-6));
  }
  SECTION("mismatched shapes are an error") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, check_gradient(f, x, GradMatrix::Zero(4, 5)), "check_gradient",
                             "5\u00d74");
  }
}

// ---------------------------------------------------------------------------------------------
// Dense

TEST_CASE("gradient check: Dense dweights, dbiases and dinputs", "[gradcheck][dense]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(201);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), in = draw_size(rng, 1, 8), out = draw_size(rng, 1, 8);
    INFO("mode " << mode_name(mode) << ", inputs " << n << "\u00d7" << in << ", " << out << " neurons");
    const GradMatrix x = rng.randn<double>(n, in);
    const GradMatrix r = rng.randn<double>(n, out);
    nnfs::Dense<double> layer(rng.randn<double>(in, out), rng.randn<double>(1, out));
    layer.forward(x);
    layer.backward(r);
    const GradMatrix dweights = layer.dweights, dbiases = layer.dbiases, dinputs = layer.dinputs;
    const GradMatrix weights = layer.weights, biases = layer.biases;

    const auto f_weights = [&](const GradMatrix& w) {
      layer.weights = w;
      return weighted_sum(layer.forward(x), r);
    };
    REQUIRE_GRADIENT("Dense dweights", check_gradient(f_weights, weights, dweights));
    layer.weights = weights;

    const auto f_biases = [&](const GradMatrix& b) {
      layer.biases = b;
      return weighted_sum(layer.forward(x), r);
    };
    REQUIRE_GRADIENT("Dense dbiases", check_gradient(f_biases, biases, dbiases));
    layer.biases = biases;

    const auto f_inputs = [&](const GradMatrix& p) { return weighted_sum(layer.forward(p), r); };
    REQUIRE_GRADIENT("Dense dinputs", check_gradient(f_inputs, x, dinputs));
  }
}

TEST_CASE("gradient check: Dense with L1/L2 regularization", "[gradcheck][dense][regularization]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  // Strengths large enough that the penalty's gradient is a sizeable part of the total.
  const nnfs::Regularization reg = GENERATE(nnfs::Regularization{0.3, 0.0, 0.0, 0.0},  //
                                            nnfs::Regularization{0.0, 0.2, 0.0, 0.0},  //
                                            nnfs::Regularization{0.0, 0.0, 0.3, 0.0},  //
                                            nnfs::Regularization{0.0, 0.0, 0.0, 0.2},  //
                                            nnfs::Regularization{0.3, 0.2, 0.25, 0.15});
  const nnfs::NumericsScope scope(mode);
  RandomState rng(301);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), in = draw_size(rng, 1, 8), out = draw_size(rng, 1, 8);
    INFO("mode " << mode_name(mode) << ", regularization {" << reg.weight_l1 << ", " << reg.weight_l2 << ", "
                 << reg.bias_l1 << ", " << reg.bias_l2 << "}, inputs " << n << "\u00d7" << in << ", " << out
                 << " neurons");
    const GradMatrix x = rng.randn<double>(n, in);
    const GradMatrix r = rng.randn<double>(n, out);
    // |w|, |b| ≥ 0.05: L1's |·| has its kink at 0.
    const GradMatrix weights = away_from_zero(rng, in, out, 0.05), biases = away_from_zero(rng, 1, out, 0.05);
    nnfs::Dense<double> layer(weights, biases, reg);
    layer.forward(x);
    layer.backward(r);
    const GradMatrix dweights = layer.dweights, dbiases = layer.dbiases, dinputs = layer.dinputs;

    // total loss = data loss (Σ output ⊙ R) + regularization_loss()
    const auto f_weights = [&](const GradMatrix& w) {
      layer.weights = w;
      return weighted_sum(layer.forward(x), r) + layer.regularization_loss();
    };
    REQUIRE_GRADIENT("Dense+reg dweights", check_gradient(f_weights, weights, dweights));
    layer.weights = weights;

    const auto f_biases = [&](const GradMatrix& b) {
      layer.biases = b;
      return weighted_sum(layer.forward(x), r) + layer.regularization_loss();
    };
    REQUIRE_GRADIENT("Dense+reg dbiases", check_gradient(f_biases, biases, dbiases));
    layer.biases = biases;

    // The penalty does not depend on the inputs: dinputs is the unregularized layer's, exactly.
    nnfs::Dense<double> plain(weights, biases);
    plain.forward(x);
    plain.backward(r);
    REQUIRE(dinputs == plain.dinputs);
  }
}

TEST_CASE("gradient check: Dense with zero regularization strengths", "[gradcheck][dense][regularization]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(401);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), in = draw_size(rng, 1, 8), out = draw_size(rng, 1, 8);
    INFO("mode " << mode_name(mode) << ", inputs " << n << "\u00d7" << in << ", " << out << " neurons");
    const GradMatrix x = rng.randn<double>(n, in);
    const GradMatrix r = rng.randn<double>(n, out);
    const GradMatrix weights = rng.randn<double>(in, out), biases = rng.randn<double>(1, out);
    const nnfs::Regularization zero{0.0, 0.0, 0.0, 0.0};
    nnfs::Dense<double> with_zero(weights, biases, zero), plain(weights, biases);
    with_zero.forward(x);
    with_zero.backward(r);
    plain.forward(x);
    plain.backward(r);
    // λ = 0 must change nothing, not even a rounding: the same bits as no regularization.
    REQUIRE(with_zero.regularization_loss() == 0.0);
    REQUIRE(with_zero.dweights == plain.dweights);
    REQUIRE(with_zero.dbiases == plain.dbiases);
    REQUIRE(with_zero.dinputs == plain.dinputs);

    const GradMatrix dweights = with_zero.dweights;
    const auto f_weights = [&](const GradMatrix& w) {
      with_zero.weights = w;
      return weighted_sum(with_zero.forward(x), r) + with_zero.regularization_loss();
    };
    REQUIRE_GRADIENT("Dense+reg(0) dweights", check_gradient(f_weights, weights, dweights));
  }
}

// ---------------------------------------------------------------------------------------------
// Activations and dropout: f(x) = Σ forward(x) ⊙ R, analytic gradient backward(R)

namespace {

template <class Layer>
GradientReport check_activation(Layer& layer, const GradMatrix& x, const GradMatrix& r) {
  layer.forward(x);
  const GradMatrix dinputs = layer.backward(r);
  const auto f = [&](const GradMatrix& p) { return weighted_sum(layer.forward(p), r); };
  return check_gradient(f, x, dinputs);
}

}  // namespace

TEST_CASE("gradient check: ReLU, Sigmoid, Linear and Softmax", "[gradcheck][activation]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(501);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), k = draw_size(rng, 2, 9);
    INFO("mode " << mode_name(mode) << ", inputs " << n << "\u00d7" << k);
    const GradMatrix r = rng.randn<double>(n, k);

    nnfs::ReLU<double> relu;  // |x| ≥ 0.05: away from the kink at 0
    REQUIRE_GRADIENT("ReLU", check_activation(relu, away_from_zero(rng, n, k, 0.05), r));

    nnfs::Sigmoid<double> sigmoid;
    REQUIRE_GRADIENT("Sigmoid", check_activation(sigmoid, 2.0 * rng.randn<double>(n, k), r));

    nnfs::Linear<double> linear;
    REQUIRE_GRADIENT("Linear", check_activation(linear, rng.randn<double>(n, k), r));

    nnfs::Softmax<double> softmax;  // book mode: the full-Jacobian path; fast: s ⊙ (d − s·d)
    REQUIRE_GRADIENT("Softmax", check_activation(softmax, 2.0 * rng.randn<double>(n, k), r));
  }
}

TEST_CASE("gradient check: Dropout with a fixed mask", "[gradcheck][dropout]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(601);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), k = draw_size(rng, 1, 9);
    INFO("mode " << mode_name(mode) << ", inputs " << n << "\u00d7" << k);
    const GradMatrix x = rng.randn<double>(n, k);
    const GradMatrix r = rng.randn<double>(n, k);

    // Training: forward draws a fresh mask every call, so differentiate the function the one
    // forward pass computed, f(x) = Σ x ⊙ mask ⊙ R, with that pass's mask.
    nnfs::Dropout<double> dropout(0.3, rng);
    dropout.forward(x);
    const GradMatrix mask = dropout.binary_mask;
    REQUIRE(dropout.output == x.cwiseProduct(mask));  // the mask really is what forward applied
    const GradMatrix dinputs = dropout.backward(r);
    const auto f = [&](const GradMatrix& p) { return weighted_sum(p.cwiseProduct(mask), r); };
    REQUIRE_GRADIENT("Dropout (training)", check_gradient(f, x, dinputs));

    // Evaluation: the identity.
    const auto f_eval = [&](const GradMatrix& p) { return weighted_sum(dropout.forward(p, false), r); };
    dropout.forward(x, false);
    const GradMatrix dinputs_eval = dropout.backward(r);
    REQUIRE_GRADIENT("Dropout (evaluation)", check_gradient(f_eval, x, dinputs_eval));
  }
}

// ---------------------------------------------------------------------------------------------
// Losses: f = calculate(predictions, targets), analytic gradient backward(predictions, targets)

TEST_CASE("gradient check: CategoricalCrossentropy, sparse and one-hot", "[gradcheck][loss]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(701);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), c = draw_size(rng, 2, 9);
    INFO("mode " << mode_name(mode) << ", predictions " << n << "\u00d7" << c);
    // Predictions in [0.05, 0.95], clear of the clip bounds (backward does not clip); the loss
    // does not need rows that sum to 1, and the gradient is taken element by element anyway.
    const GradMatrix p = uniform(rng, n, c, 0.05, 0.95);
    const nnfs::Labels y = random_labels(rng, n, c);
    const GradMatrix t = one_hot(y, c);
    nnfs::CategoricalCrossentropy<double> loss;

    const GradMatrix sparse_grad = loss.backward(p, y);
    const auto f_sparse = [&](const GradMatrix& q) { return loss.calculate(q, y); };
    REQUIRE_GRADIENT("CCE (sparse labels)", check_gradient(f_sparse, p, sparse_grad));

    const GradMatrix onehot_grad = loss.backward(p, t);
    const auto f_onehot = [&](const GradMatrix& q) { return loss.calculate(q, t); };
    REQUIRE_GRADIENT("CCE (one-hot)", check_gradient(f_onehot, p, onehot_grad));
  }
}

TEST_CASE("gradient check: SoftmaxCategoricalCrossentropy with respect to the logits", "[gradcheck][loss]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(801);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), c = draw_size(rng, 2, 9);
    INFO("mode " << mode_name(mode) << ", logits " << n << "\u00d7" << c);
    // Logits in [−2, 2]: every probability lies in [e⁻⁴/9, 1/(1 + e⁻⁴)] ≈ [0.002, 0.982], far from
    // the clip bounds, and 1 − ŷ at the true class is never a cancellation-prone tiny number.
    const GradMatrix z = uniform(rng, n, c, -2.0, 2.0);
    const nnfs::Labels y = random_labels(rng, n, c);
    const GradMatrix t = one_hot(y, c);
    nnfs::SoftmaxCategoricalCrossentropy<double> combined;

    combined.forward(z, y);
    const GradMatrix sparse_grad = combined.backward(combined.output(), y);
    const auto f_sparse = [&](const GradMatrix& q) { return combined.forward(q, y); };
    REQUIRE_GRADIENT("Softmax+CCE (sparse labels)", check_gradient(f_sparse, z, sparse_grad));

    combined.forward(z, t);
    const GradMatrix onehot_grad = combined.backward(combined.output(), t);
    const auto f_onehot = [&](const GradMatrix& q) { return combined.forward(q, t); };
    REQUIRE_GRADIENT("Softmax+CCE (one-hot)", check_gradient(f_onehot, z, onehot_grad));

    // The fused gradient (ŷ − t)/N equals the chained Softmax.backward(CCE.backward(ŷ, y)).
    nnfs::Softmax<double> softmax;
    nnfs::CategoricalCrossentropy<double> loss;
    softmax.forward(z);
    const GradMatrix chained_sparse = softmax.backward(loss.backward(softmax.output, y));
    const GradMatrix fused_sparse = combined.backward(softmax.output, y);
    REQUIRE_GRADIENT_WITHIN("Softmax+CCE fused vs chained (sparse)",
                            compare_gradients(fused_sparse, chained_sparse, kPurelyRelative), 1e-12);
    const GradMatrix chained_onehot = softmax.backward(loss.backward(softmax.output, t));
    const GradMatrix fused_onehot = combined.backward(softmax.output, t);
    REQUIRE_GRADIENT_WITHIN("Softmax+CCE fused vs chained (one-hot)",
                            compare_gradients(fused_onehot, chained_onehot, kPurelyRelative), 1e-12);
  }
}

TEST_CASE("gradient check: BinaryCrossentropy and MeanSquaredError", "[gradcheck][loss]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(901);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), k = draw_size(rng, 1, 8);
    INFO("mode " << mode_name(mode) << ", predictions " << n << "\u00d7" << k);

    {  // probabilities in [0.05, 0.95] (clear of the clip bounds); targets 0 or 1
      const GradMatrix p = uniform(rng, n, k, 0.05, 0.95);
      GradMatrix t(n, k);
      for (Index i = 0; i < t.size(); ++i) t.data()[i] = static_cast<double>(rng.randint(0, 2));
      nnfs::BinaryCrossentropy<double> loss;
      const GradMatrix grad = loss.backward(p, t);
      const auto f = [&](const GradMatrix& q) { return loss.calculate(q, t); };
      REQUIRE_GRADIENT("BinaryCrossentropy", check_gradient(f, p, grad));
    }
    {
      const GradMatrix p = rng.randn<double>(n, k), t = rng.randn<double>(n, k);
      nnfs::MeanSquaredError<double> loss;
      const GradMatrix grad = loss.backward(p, t);
      const auto f = [&](const GradMatrix& q) { return loss.calculate(q, t); };
      REQUIRE_GRADIENT("MeanSquaredError", check_gradient(f, p, grad));
    }
  }
}

TEST_CASE("gradient check: MeanAbsoluteError", "[gradcheck][loss]") {
  // d/dp mean_j |t_j − p_j| = sign(p − t)/k, so dinputs must be sign(p − t)/k/N. The book's
  // Loss_MeanAbsoluteError.backward computes np.sign(y_true - dvalues)/outputs/samples, the
  // opposite sign; this check holds the library to the mathematical derivative.
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(951);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), k = draw_size(rng, 1, 8);
    INFO("mode " << mode_name(mode) << ", predictions " << n << "\u00d7" << k);
    // residuals t − p at least 0.05 away from 0, where |·| has its kink
    const GradMatrix p = rng.randn<double>(n, k);
    const GradMatrix t = p + away_from_zero(rng, n, k, 0.05);
    nnfs::MeanAbsoluteError<double> loss;
    const GradMatrix grad = loss.backward(p, t);
    const auto f = [&](const GradMatrix& q) { return loss.calculate(q, t); };
    REQUIRE_GRADIENT("MeanAbsoluteError", check_gradient(f, p, grad));
  }
}

// ---------------------------------------------------------------------------------------------
// A whole network, end to end

TEST_CASE("gradient check: Dense-ReLU-Dense-SoftmaxCCE with L2, first layer's parameters", "[gradcheck][network]") {
  const Numerics mode = GENERATE(Numerics::book, Numerics::fast);
  const nnfs::NumericsScope scope(mode);
  RandomState rng(1001);
  for (int trial = 0; trial < kShapes; ++trial) {
    const Index n = draw_size(rng, 1, 16), in = draw_size(rng, 2, 5), hidden = draw_size(rng, 2, 8),
                classes = draw_size(rng, 2, 5);
    INFO("mode " << mode_name(mode) << ", " << n << " samples, " << in << " \u2192 " << hidden << " \u2192 "
                 << classes);
    // L2 on both layers, larger than the book's 5e-4 so that its share of the gradient is visible.
    const nnfs::Regularization l2{0.0, 0.01, 0.0, 0.01};
    nnfs::Dense<double> dense1(in, hidden, l2, 0.5, rng);
    nnfs::Dense<double> dense2(hidden, classes, l2, 0.5, rng);
    dense1.biases = 0.1 * rng.randn<double>(1, hidden);
    nnfs::ReLU<double> relu;
    nnfs::SoftmaxCategoricalCrossentropy<double> loss_activation;
    GradMatrix x = rng.randn<double>(n, in);
    const nnfs::Labels y = random_labels(rng, n, classes);

    const auto total_loss = [&]() {
      dense1.forward(x);
      relu.forward(dense1.output);
      dense2.forward(relu.output);
      return loss_activation.forward(dense2.output, y) + dense1.regularization_loss() +
             dense2.regularization_loss();
    };
    // Redraw samples until (1) every hidden pre-activation is ≥ 0.01 away from ReLU's kink
    // (a nudge of h·max(1,|w|) moves a pre-activation by ≈ 1e-5·|x| ≪ 0.01), and (2) every
    // true-class probability lies in [1e-4, 1 − 1e-4], far from the loss's clip bounds.
    const auto sample_well_placed = [&](Index i) {
      const double p = loss_activation.output()(i, y(i));
      return dense1.output.row(i).cwiseAbs().minCoeff() >= 0.01 && p >= 1e-4 && p <= 1.0 - 1e-4;
    };
    for (int round = 0;; ++round) {
      REQUIRE(round < 1000);
      total_loss();
      bool all_placed = true;
      for (Index i = 0; i < n; ++i)
        if (!sample_well_placed(i)) {
          all_placed = false;
          x.row(i) = rng.randn<double>(1, in);
        }
      if (all_placed) break;
    }

    loss_activation.backward(loss_activation.output(), y);
    dense2.backward(loss_activation.dinputs);
    relu.backward(dense2.dinputs);
    dense1.backward(relu.dinputs);
    const GradMatrix dweights1 = dense1.dweights, dbiases1 = dense1.dbiases;
    const GradMatrix weights1 = dense1.weights, biases1 = dense1.biases;

    const auto f_weights = [&](const GradMatrix& w) {
      dense1.weights = w;
      return total_loss();
    };
    REQUIRE_GRADIENT("network dweights (layer 1)", check_gradient(f_weights, weights1, dweights1));
    dense1.weights = weights1;

    const auto f_biases = [&](const GradMatrix& b) {
      dense1.biases = b;
      return total_loss();
    };
    REQUIRE_GRADIENT("network dbiases (layer 1)", check_gradient(f_biases, biases1, dbiases1));
    dense1.biases = biases1;
  }
}
