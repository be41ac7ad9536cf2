// Optimizers (book chapter 10): SGD (with momentum), Adagrad, RMSprop, Adam against the book's
// Python classes run by NumPy (tests/golden/gen_optimizers.py), the learning rates the book
// prints, the step counter, the optimizer state kept in the layer, and bad arguments.
#include "nnfs_catch.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/optimizers/adagrad.hpp>
#include <nnfs/optimizers/adam.hpp>
#include <nnfs/layers/dense.hpp>
#include <nnfs/parameter.hpp>
#include <nnfs/optimizers/rmsprop.hpp>
#include <nnfs/optimizers/sgd.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

using nnfs_test::nan_;
using nnfs_test::inf_;


/// "" when a and b have the same shape and the same bits (so -0.0 ≠ 0.0), else the first difference.
template <class T>
std::string bit_difference(const nnfs::Matrix<T>& actual, const nnfs::Matrix<T>& expected) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
    return "shape " + nnfs::shape_str(actual) + " vs " + nnfs::shape_str(expected);
  for (nnfs::Index i = 0; i < actual.size(); ++i)
    if (std::memcmp(actual.data() + i, expected.data() + i, sizeof(T)) != 0)
      return "element " + std::to_string(i) + ": " + nnfs::detail::number_str(static_cast<double>(actual.data()[i])) +
             " vs " + nnfs::detail::number_str(static_cast<double>(expected.data()[i]));
  return "";
}

#define REQUIRE_SAME_BITS(actual, expected)                     \
  do {                                                          \
    const std::string diff_ = bit_difference(actual, expected); \
    INFO(#actual << ": " << diff_);                             \
    REQUIRE(diff_.empty());                                     \
  } while (false)

template <class T>
nnfs::Dense<T> layer_with(const nnfs::Matrix<double>& weights) {
  return nnfs::Dense<T>(weights, nnfs::Matrix<double>::Zero(1, weights.cols()));
}

/// A 4×3 layer with fixed weights and gradients, as if backward() had run.
template <class T>
nnfs::Dense<T> layer_with_gradients(double gradient_scale = 1.0) {
  nnfs::Matrix<double> w(4, 3);
  w << 0.1, -0.2, 0.3, 0.05, 0.0, -0.15, 0.25, -0.3, 0.12, -0.07, 0.2, 0.01;
  nnfs::Dense<T> layer = layer_with<T>(w);
  nnfs::Matrix<double> g(4, 3);
  g << 0.5, -1.5, 2.0, 0.0, 0.3, -0.7, 1.1, -0.2, 0.9, 0.4, -2.5, 0.6;
  layer.dweights = (gradient_scale * g).template cast<T>();
  nnfs::Matrix<double> gb(1, 3);
  gb << -0.4, 0.0, 1.3;
  layer.dbiases = (gradient_scale * gb).template cast<T>();
  return layer;
}

// ---- golden runs --------------------------------------------------------------------------------

/// Replays tests/data/optimizers_<f32|f64>_<tag>.txt: two layers (4×3 and 3×2) updated in the
/// same step, 25 steps, gradients set as backward() would. Parameters must match NumPy bit for
/// bit and the learning rate of every step exactly. The layers are made by `make(first, second)`
/// from the file's initial values, and reached through their parameters() lists (the order
/// weights, biases), so any layer class the optimizers train can be replayed.
template <class T, class Optimizer, class Make>
void replay_with(const std::string& tag, Optimizer optimizer, Make make) {
  const std::string file = std::string("optimizers_") + (std::is_same_v<T, float> ? "f32_" : "f64_") + tag + ".txt";
  INFO("golden file " << file);
  const auto arrays = nnfs_test::read_arrays(file);
  REQUIRE(arrays.size() == 4 + 25 * 9);
  using nnfs_test::as_matrix;
  auto a = make(as_matrix<T>(arrays[0]), as_matrix<T>(arrays[1]));
  auto b = make(as_matrix<T>(arrays[2]), as_matrix<T>(arrays[3]));
  std::size_t k = 4;
  for (int step = 1; step <= 25; ++step) {
    INFO("step " << step);
    const auto pa = a.parameters();
    const auto pb = b.parameters();
    *pa[0].gradient = as_matrix<T>(arrays[k++]);
    *pa[1].gradient = as_matrix<T>(arrays[k++]);
    *pb[0].gradient = as_matrix<T>(arrays[k++]);
    *pb[1].gradient = as_matrix<T>(arrays[k++]);
    optimizer.step(a, b);
    REQUIRE(optimizer.iterations() == step);
    REQUIRE(optimizer.current_learning_rate() == arrays[k++].values.at(0));
    REQUIRE_SAME_BITS(*pa[0].value, as_matrix<T>(arrays[k++]));
    REQUIRE_SAME_BITS(*pa[1].value, as_matrix<T>(arrays[k++]));
    REQUIRE_SAME_BITS(*pb[0].value, as_matrix<T>(arrays[k++]));
    REQUIRE_SAME_BITS(*pb[1].value, as_matrix<T>(arrays[k++]));
  }
}

/// replay_with on the book's Dense layers.
template <class T, class Optimizer>
void replay(const std::string& tag, Optimizer optimizer) {
  replay_with<T>(tag, optimizer, [](const nnfs::Matrix<T>& w, const nnfs::Matrix<T>& b) { return nnfs::Dense<T>(w, b); });
}

/// A layer of a user's own: two parameters with their state in OptimizerState, no Dense.
template <class T>
struct OwnLayer {
  nnfs::Matrix<T> scale, shift, dscale, dshift;
  nnfs::OptimizerState<T> scale_state, shift_state;

  std::array<nnfs::Parameter<T>, 2> parameters() {
    return {nnfs::parameter("scale", scale, dscale, scale_state), nnfs::parameter("shift", shift, dshift, shift_state)};
  }
};

/// replay() with the golden file's two layers as OwnLayers: the optimizers know parameters, not
/// Dense, so the same NumPy numbers must come out.
template <class T, class Optimizer>
void replay_own_layer(const std::string& tag, Optimizer optimizer) {
  replay_with<T>(tag, optimizer, [](const nnfs::Matrix<T>& w, const nnfs::Matrix<T>& b) {
    OwnLayer<T> layer;
    layer.scale = w;
    layer.shift = b;
    return layer;
  });
}

}  // namespace

TEMPLATE_TEST_CASE("optimizers train any layer that lists its parameters, with the same bits", "[optimizers][golden]",
                   float, double) {
  using T = TestType;
  SECTION("SGD with decay and momentum") { replay_own_layer<T>("sgd_decay_momentum", nnfs::SGD(1.0, 1e-3, 0.9)); }
  SECTION("Adagrad") { replay_own_layer<T>("adagrad", nnfs::Adagrad(1.0, 1e-4)); }
  SECTION("RMSprop") { replay_own_layer<T>("rmsprop_book", nnfs::RMSprop(0.02, 1e-5, 1e-7, 0.999)); }
  SECTION("Adam") { replay_own_layer<T>("adam_book", nnfs::Adam(0.05, 5e-7)); }
}

TEMPLATE_TEST_CASE("Dense lists weights and biases with the book's state attributes", "[optimizers]", float, double) {
  using T = TestType;
  auto layer = layer_with_gradients<T>();
  const auto params = layer.parameters();
  REQUIRE(params[0].name == "weights");
  REQUIRE(params[0].value == &layer.weights);
  REQUIRE(params[0].gradient == &layer.dweights);
  REQUIRE(params[0].momentums == &layer.weight_momentums);
  REQUIRE(params[0].cache == &layer.weight_cache);
  REQUIRE(params[1].name == "biases");
  REQUIRE(params[1].value == &layer.biases);
  REQUIRE(params[1].gradient == &layer.dbiases);
  REQUIRE(params[1].momentums == &layer.bias_momentums);
  REQUIRE(params[1].cache == &layer.bias_cache);
}

TEMPLATE_TEST_CASE("a parameter without its matrices is refused, naming it", "[optimizers][errors]", float, double) {
  using T = TestType;
  struct Broken {
    nnfs::Matrix<T> w = nnfs::Matrix<T>::Ones(2, 2);
    nnfs::Matrix<T> dw = nnfs::Matrix<T>::Ones(2, 2);
    std::array<nnfs::Parameter<T>, 1> parameters() { return {nnfs::Parameter<T>{"gain", &w, &dw, nullptr, nullptr}}; }
  } broken;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::SGD().update_params(broken), "SGD::update_params", "'gain'",
                           "optimizer-state");
  REQUIRE_SAME_BITS(broken.w, nnfs::Matrix<T>(nnfs::Matrix<T>::Ones(2, 2)));
}

TEMPLATE_TEST_CASE("optimizers reproduce the book's NumPy classes bit for bit", "[optimizers][golden]", float,
                   double) {
  using T = TestType;
  // The update rules are element-wise in T, so both numerics modes give the same bits.
  const nnfs::NumericsScope mode(GENERATE(nnfs::Numerics::fast, nnfs::Numerics::book));
  SECTION("SGD") { replay<T>("sgd", nnfs::SGD()); }
  SECTION("SGD with decay") { replay<T>("sgd_decay", nnfs::SGD(1.0, 0.1)); }
  SECTION("SGD with momentum") { replay<T>("sgd_momentum", nnfs::SGD(0.5, 0.0, 0.9)); }
  SECTION("SGD with decay and momentum (chapter 10)") { replay<T>("sgd_decay_momentum", nnfs::SGD(1.0, 1e-3, 0.9)); }
  SECTION("Adagrad (chapter 10)") { replay<T>("adagrad", nnfs::Adagrad(1.0, 1e-4)); }
  SECTION("RMSprop") { replay<T>("rmsprop", nnfs::RMSprop()); }
  SECTION("RMSprop (chapter 10)") { replay<T>("rmsprop_book", nnfs::RMSprop(0.02, 1e-5, 1e-7, 0.999)); }
  SECTION("Adam") { replay<T>("adam", nnfs::Adam()); }
  SECTION("Adam (chapters 10-11)") { replay<T>("adam_book", nnfs::Adam(0.05, 5e-7)); }
  SECTION("Adam with every hyper-parameter set") {
    replay<T>("adam_fast_decay", nnfs::Adam(0.02, 0.05, 1e-3, 0.8, 0.99));
  }
}

// ---- learning rate and step counter -------------------------------------------------------------

TEST_CASE("decayed learning rates are the ones the book prints at epoch 10000", "[optimizers][book]") {
  // The book prints current_learning_rate before the update, i.e. as set by the pre_update of
  // the 10000th step (iterations() == 9999 then). Run real Adam steps on a 1×1 layer.
  struct Case {
    double learning_rate, decay, printed;
  };
  const Case cases[] = {{0.05, 5e-7, 0.04975126853296942},      // chapters 10-11
                        {0.02, 5e-7, 0.019900507413187767},     // chapter 14
                        {0.05, 5e-5, 0.03333444448148271},      // chapter 15
                        {0.001, 5e-7, 0.0009950253706593885},   // chapter 16
                        {0.005, 1e-3, 0.00045458678061641964}};  // chapter 17
  for (const Case& c : cases) {
    INFO("Adam(" << c.learning_rate << ", " << c.decay << ")");
    nnfs::Adam optimizer(c.learning_rate, c.decay);
    nnfs::Dense<float> layer = layer_with<float>(nnfs::Matrix<double>::Constant(1, 1, 0.5));
    layer.dweights = nnfs::Matrix<float>::Constant(1, 1, 0.25f);
    layer.dbiases = nnfs::Matrix<float>::Constant(1, 1, -0.5f);
    for (int i = 0; i < 9999; ++i) optimizer.step(layer);
    REQUIRE(optimizer.iterations() == 9999);
    optimizer.pre_update_params();
    REQUIRE(optimizer.current_learning_rate() == c.printed);
  }
  // Chapter 19: Adam(0.001, 1e-3), 10 epochs of 469 steps; the last step's rate.
  nnfs::Adam optimizer(0.001, 1e-3);
  for (int i = 0; i < 4689; ++i) {
    optimizer.pre_update_params();
    optimizer.post_update_params();
  }
  optimizer.pre_update_params();
  REQUIRE(optimizer.current_learning_rate() == 0.00017577781683951485);
}

TEST_CASE("the learning rate decays as lr·(1/(1 + decay·iterations)), in double", "[optimizers]") {
  nnfs::SGD optimizer(0.7, 0.03);
  REQUIRE(optimizer.learning_rate() == 0.7);
  REQUIRE(optimizer.decay() == 0.03);
  REQUIRE(optimizer.current_learning_rate() == 0.7);  // before any step
  for (int i = 0; i < 50; ++i) {
    optimizer.pre_update_params();
    // rounded(): the product is rounded before the sum even where the compiler would fuse them.
    const double decay_t = nnfs::detail::rounded(0.03 * static_cast<double>(i));
    REQUIRE(optimizer.current_learning_rate() == 0.7 * (1.0 / (1.0 + decay_t)));
    optimizer.post_update_params();
  }
  SECTION("without decay the rate never changes") {
    nnfs::Adam adam(0.05);
    auto layer = layer_with_gradients<double>();
    for (int i = 0; i < 20; ++i) adam.step(layer);
    REQUIRE(adam.current_learning_rate() == 0.05);
    REQUIRE(adam.iterations() == 20);
  }
}

TEMPLATE_TEST_CASE("a training step counts once, however many layers it updates", "[optimizers]", float, double) {
  using T = TestType;
  SECTION("step(a, b) is one step") {
    nnfs::Adam optimizer(0.01, 1e-2);
    auto a = layer_with_gradients<T>();
    auto b = layer_with_gradients<T>(0.5);
    optimizer.step(a, b);
    REQUIRE(optimizer.iterations() == 1);
    optimizer.step(a, b);
    REQUIRE(optimizer.iterations() == 2);
    REQUIRE(optimizer.current_learning_rate() == 0.01 * (1.0 / (1.0 + 1e-2)));
  }
  SECTION("Adam corrects every layer of a step with the same t") {
    // Layer b updated alongside a must end where b alone ends: same t, same learning rate.
    nnfs::Adam together(0.01, 1e-2);
    nnfs::Adam alone(0.01, 1e-2);
    auto a = layer_with_gradients<T>();
    auto b = layer_with_gradients<T>(0.5);
    auto b_alone = layer_with_gradients<T>(0.5);
    for (int i = 0; i < 5; ++i) {
      together.step(a, b);
      alone.step(b_alone);
    }
    REQUIRE_SAME_BITS(b.weights, b_alone.weights);
    REQUIRE_SAME_BITS(b.biases, b_alone.biases);
    REQUIRE_SAME_BITS(b.weight_cache, b_alone.weight_cache);
    REQUIRE(together.iterations() == alone.iterations());
  }
  SECTION("step is pre_update_params, update_params per layer, post_update_params") {
    nnfs::RMSprop by_step(0.01, 0.1);
    nnfs::RMSprop by_hand(0.01, 0.1);
    auto a1 = layer_with_gradients<T>();
    auto b1 = layer_with_gradients<T>(2.0);
    auto a2 = layer_with_gradients<T>();
    auto b2 = layer_with_gradients<T>(2.0);
    for (int i = 0; i < 3; ++i) {
      by_step.step(a1, b1);
      by_hand.pre_update_params();
      by_hand.update_params(a2);
      by_hand.update_params(b2);
      by_hand.post_update_params();
    }
    REQUIRE(by_step.iterations() == 3);
    REQUIRE(by_hand.iterations() == 3);
    REQUIRE_SAME_BITS(a1.weights, a2.weights);
    REQUIRE_SAME_BITS(b1.biases, b2.biases);
  }
}

// ---- the update rules, by hand ------------------------------------------------------------------

TEST_CASE("the first steps of each optimizer, by hand", "[optimizers]") {
  // Values chosen so every operation is exact in double: the rules' order shows directly.
  auto layer = layer_with<double>(nnfs::Matrix<double>::Constant(1, 1, 1.0));
  layer.dweights = nnfs::Matrix<double>::Constant(1, 1, 2.0);
  layer.dbiases = nnfs::Matrix<double>::Constant(1, 1, -4.0);
  SECTION("SGD: θ ← θ − lr·g") {
    nnfs::SGD(0.25).step(layer);
    REQUIRE(layer.weights(0, 0) == 0.5);
    REQUIRE(layer.biases(0, 0) == 1.0);
    REQUIRE(layer.weight_momentums.size() == 0);  // plain SGD keeps no state
  }
  SECTION("SGD with momentum: m ← μ·m − lr·g, θ ← θ + m") {
    nnfs::SGD sgd(0.25, 0.0, 0.5);
    sgd.step(layer);  // m = −0.5, θ = 0.5
    sgd.step(layer);  // m = 0.5·(−0.5) − 0.5 = −0.75, θ = −0.25
    REQUIRE(layer.weight_momentums(0, 0) == -0.75);
    REQUIRE(layer.weights(0, 0) == -0.25);
    REQUIRE(layer.bias_momentums(0, 0) == 1.5);
    REQUIRE(layer.biases(0, 0) == 2.5);
  }
  SECTION("Adagrad: c ← c + g², θ ← θ − lr·g/(√c + ε)") {
    nnfs::Adagrad adagrad(1.0, 0.0, 1e-7);
    adagrad.step(layer);  // c = 4, θ = 1 − 2/(2 + ε)
    REQUIRE(layer.weight_cache(0, 0) == 4.0);
    REQUIRE(layer.weights(0, 0) == 1.0 + (-1.0 * 2.0) / (2.0 + 1e-7));
    adagrad.step(layer);  // c = 8
    REQUIRE(layer.weight_cache(0, 0) == 8.0);
    REQUIRE(layer.bias_cache(0, 0) == 32.0);
  }
  SECTION("RMSprop: c ← ρ·c + (1−ρ)·g²") {
    nnfs::RMSprop rmsprop(0.001, 0.0, 1e-7, 0.75);
    rmsprop.step(layer);
    REQUIRE(layer.weight_cache(0, 0) == 1.0);  // 0.75·0 + 0.25·4
    REQUIRE(layer.weights(0, 0) == 1.0 + (-0.001 * 2.0) / (1.0 + 1e-7));
  }
  SECTION("Adam: the first step is −lr·g/(|g| + ε) after bias correction") {
    nnfs::Adam adam(0.001, 0.0, 1e-7, 0.5, 0.75);
    adam.step(layer);  // m = 1, v = 1, m̂ = 1/(1−0.5) = 2, v̂ = 1/(1−0.75) = 4
    REQUIRE(layer.weight_momentums(0, 0) == 1.0);
    REQUIRE(layer.weight_cache(0, 0) == 1.0);
    REQUIRE(layer.weights(0, 0) == 1.0 + (-0.001 * 2.0) / (2.0 + 1e-7));
  }
}

TEST_CASE("float layers round the constants to float first, as NumPy does", "[optimizers]") {
  // RMSprop's (1 − ρ) is 0.09999999999999998 in double: rounded to float it is 0.1f, and
  // g² is a float square. The cache after one step is exactly float(0.1f·(g·g)).
  auto layer = layer_with<float>(nnfs::Matrix<double>::Constant(1, 1, 1.0));
  layer.dweights = nnfs::Matrix<float>::Constant(1, 1, 0.3f);
  layer.dbiases = nnfs::Matrix<float>::Constant(1, 1, 0.3f);
  nnfs::RMSprop(0.001).step(layer);
  const float expected_cache = 0.9f * 0.0f + static_cast<float>(1.0 - 0.9) * (0.3f * 0.3f);
  REQUIRE(layer.weight_cache(0, 0) == expected_cache);
  const float expected = 1.0f + (static_cast<float>(-0.001) * 0.3f) / (std::sqrt(expected_cache) + 1e-7f);
  REQUIRE(layer.weights(0, 0) == expected);
}

// ---- optimizer state in the layer ---------------------------------------------------------------

TEMPLATE_TEST_CASE("optimizer state lives in the layer and is sized on first use", "[optimizers]", float, double) {
  using T = TestType;
  SECTION("Adam sizes all four slots with zeros, then keeps them") {
    auto layer = layer_with_gradients<T>();
    REQUIRE(layer.weight_cache.size() == 0);
    nnfs::Adam adam;
    adam.step(layer);
    REQUIRE(layer.weight_momentums.rows() == 4);
    REQUIRE(layer.weight_momentums.cols() == 3);
    REQUIRE(layer.weight_cache.rows() == 4);
    REQUIRE(layer.bias_momentums.cols() == 3);
    REQUIRE(layer.bias_cache.cols() == 3);
    // m after one step from zero is exactly (1−β1)·g
    REQUIRE(layer.weight_momentums(0, 0) == static_cast<T>(1.0 - 0.9) * layer.dweights(0, 0));
    const T* storage = layer.weight_cache.data();
    adam.step(layer);
    REQUIRE(layer.weight_cache.data() == storage);  // updated in place
  }
  SECTION("state of another shape is replaced by zeros (the parameters were replaced)") {
    auto fresh = layer_with_gradients<T>();
    auto stale = layer_with_gradients<T>();
    stale.weight_momentums = nnfs::Matrix<T>::Constant(2, 2, T(5));
    stale.weight_cache = nnfs::Matrix<T>::Constant(3, 4, T(5));
    stale.bias_cache = nnfs::Matrix<T>::Constant(1, 7, T(5));
    nnfs::Adam(0.01).step(fresh);
    nnfs::Adam(0.01).step(stale);
    REQUIRE_SAME_BITS(stale.weights, fresh.weights);
    REQUIRE_SAME_BITS(stale.biases, fresh.biases);
    REQUIRE_SAME_BITS(stale.weight_cache, fresh.weight_cache);
  }
  SECTION("state of the right shape is used: a second optimizer continues the first's history") {
    auto continued = layer_with_gradients<T>();
    auto reference = layer_with_gradients<T>();
    nnfs::Adagrad first;
    first.step(continued);
    nnfs::Adagrad second;
    second.step(continued);
    nnfs::Adagrad both;
    both.step(reference);
    both.step(reference);
    REQUIRE_SAME_BITS(continued.weights, reference.weights);
    REQUIRE_SAME_BITS(continued.weight_cache, reference.weight_cache);
  }
}

TEMPLATE_TEST_CASE("optimizers update the gradients backward() computes", "[optimizers]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  nnfs::Dense<T> layer(2, 3, rng);
  const nnfs::Matrix<T> x = rng.randn<T>(5, 2);
  const nnfs::Matrix<T> dvalues = rng.randn<T>(5, 3);
  layer.forward(x);
  layer.backward(dvalues);
  const nnfs::Matrix<T> before = layer.weights;
  nnfs::SGD(0.5).step(layer);
  const nnfs::Matrix<T> expected = (before.array() + T(-0.5) * layer.dweights.array()).matrix();
  REQUIRE_SAME_BITS(layer.weights, expected);
}

// ---- bad input ----------------------------------------------------------------------------------

TEST_CASE("optimizers reject bad hyper-parameters, naming them", "[optimizers][errors]") {
  using E = std::invalid_argument;
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::SGD(-1.0), "SGD", "learning_rate", "-1");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::SGD(nan_), "SGD", "learning_rate", "nan");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adam(inf_), "Adam", "learning_rate", "inf");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::SGD(1.0, -1e-3), "SGD", "decay", "-0.001");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::RMSprop(0.001, nan_), "RMSprop", "decay", "nan");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adagrad(1.0, inf_), "Adagrad", "decay", "inf");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::SGD(1.0, 0.0, 1.0), "SGD", "momentum", "[0, 1)", "got 1");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::SGD(1.0, 0.0, -0.5), "SGD", "momentum", "-0.5");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::SGD(1.0, 0.0, nan_), "SGD", "momentum", "nan");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adagrad(1.0, 0.0, 0.0), "Adagrad", "epsilon", "> 0", "got 0");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::RMSprop(0.001, 0.0, -1e-7), "RMSprop", "epsilon", "-1e-07");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adam(0.001, 0.0, nan_), "Adam", "epsilon", "nan");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::RMSprop(0.001, 0.0, 1e-7, 1.0), "RMSprop", "rho", "[0, 1)", "got 1");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::RMSprop(0.001, 0.0, 1e-7, -0.1), "RMSprop", "rho", "-0.1");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adam(0.001, 0.0, 1e-7, 1.5), "Adam", "beta_1", "1.5");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adam(0.001, 0.0, 1e-7, 0.9, 1.0), "Adam", "beta_2", "got 1");
  NNFS_REQUIRE_THROWS_WITH(E, nnfs::Adam(0.001, 0.0, 1e-7, 0.9, nan_), "Adam", "beta_2", "nan");
  // The edges that are allowed
  REQUIRE(nnfs::SGD(0.0, 0.0, 0.0).learning_rate() == 0.0);
  REQUIRE(nnfs::RMSprop(0.001, 0.0, 1e-7, 0.0).rho() == 0.0);
  const nnfs::Adam adam(0.002, 1e-4, 1e-8, 0.0, 0.5);
  REQUIRE(adam.learning_rate() == 0.002);
  REQUIRE(adam.decay() == 1e-4);
  REQUIRE(adam.epsilon() == 1e-8);
  REQUIRE(adam.beta_1() == 0.0);
  REQUIRE(adam.beta_2() == 0.5);
  REQUIRE(adam.iterations() == 0);
  REQUIRE(nnfs::SGD(1.0, 0.0, 0.9).momentum() == 0.9);
  REQUIRE(nnfs::Adagrad(1.0, 0.0, 1e-5).epsilon() == 1e-5);
}

TEMPLATE_TEST_CASE("optimizers need the layer's gradients, of the parameters' shapes", "[optimizers][errors]", float,
                   double) {
  using T = TestType;
  SECTION("before backward()") {
    nnfs::Dense<T> layer = layer_with<T>(nnfs::Matrix<double>::Ones(4, 3));
    NNFS_REQUIRE_THROWS_WITH(std::logic_error, nnfs::Adam().update_params(layer), "Adam", "no gradients yet",
                             "backward", "dweights 0\u00d70", "weights 4\u00d73");
    NNFS_REQUIRE_THROWS_WITH(std::logic_error, nnfs::SGD().step(layer), "SGD", "no gradients yet");
    layer.dweights = nnfs::Matrix<T>::Ones(4, 3);  // dbiases still missing
    NNFS_REQUIRE_THROWS_WITH(std::logic_error, nnfs::Adagrad().update_params(layer), "dbiases 0\u00d70");
    REQUIRE_SAME_BITS(layer.weights, nnfs::Matrix<T>(nnfs::Matrix<T>::Ones(4, 3)));
  }
  SECTION("gradients of other shapes") {
    auto layer = layer_with_gradients<T>();
    layer.dweights = nnfs::Matrix<T>::Ones(3, 4);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::RMSprop().update_params(layer), "RMSprop",
                             "dweights 3\u00d74", "weights 4\u00d73");
    layer = layer_with_gradients<T>();
    layer.dbiases = nnfs::Matrix<T>::Ones(1, 2);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::SGD(1.0, 0.0, 0.5).update_params(layer),
                             "dbiases 1\u00d72", "biases 1\u00d73");
  }
  SECTION("a step with one bad layer changes nothing") {
    auto good = layer_with_gradients<T>();
    auto bad = layer_with<T>(nnfs::Matrix<double>::Ones(2, 2));
    const nnfs::Matrix<T> before = good.weights;
    nnfs::Adam adam(0.01, 0.5);
    NNFS_REQUIRE_THROWS_WITH(std::logic_error, adam.step(good, bad), "no gradients yet", "weights 2\u00d72");
    REQUIRE(adam.iterations() == 0);
    REQUIRE(adam.current_learning_rate() == 0.01);
    REQUIRE_SAME_BITS(good.weights, before);
    REQUIRE(good.weight_cache.size() == 0);
  }
}

// Hyper-parameters are given as doubles but applied in the parameters' type: one that rounds to
// 0 (or overflows) there is refused where it would be applied, naming it, and nothing changes.
TEST_CASE("hyper-parameters that vanish in the parameters' scalar type are refused", "[optimizer]") {
  const nnfs::Matrix<float> X = nnfs::Matrix<float>::Constant(4, 2, 0.5f);
  const nnfs::Matrix<float> D = nnfs::Matrix<float>::Constant(4, 3, 0.25f);
  auto layer_with_gradients = [&] {
    nnfs::Dense<float> d(nnfs::Matrix<float>::Constant(2, 3, 0.1f), nnfs::Matrix<float>::Zero(1, 3));
    d.forward(X);
    d.backward(D);
    return d;
  };
  auto refuses = [&](auto optimizer, const std::string& what) {
    nnfs::Dense<float> d = layer_with_gradients();
    const nnfs::Matrix<float> before = d.weights;
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, optimizer.step(d), what, "in float");
    REQUIRE(d.weights == before);  // refused before anything moved
    REQUIRE(optimizer.iterations() == 0);
  };
  refuses(nnfs::Adam(0.001, 0.0, 1e-50), "Adam: epsilon 1e-50 rounds to 0 in float");
  refuses(nnfs::RMSprop(0.001, 0.0, 1e-46), "RMSprop: epsilon 1e-46 rounds to 0 in float");
  refuses(nnfs::Adagrad(1.0, 0.0, 1e-60), "Adagrad: epsilon 1e-60 rounds to 0 in float");
  refuses(nnfs::SGD(1e-50), "SGD: learning rate 1e-50 rounds to 0 in float");
  refuses(nnfs::SGD(1e39), "SGD: learning rate 1e+39 overflows to infinity in float");

  // The same values are fine in double, and a subnormal float epsilon still counts as positive.
  nnfs::Dense<double> d(nnfs::Matrix<double>::Constant(2, 3, 0.1), nnfs::Matrix<double>::Zero(1, 3));
  d.forward(X.cast<double>());
  d.backward(D.cast<double>());
  nnfs::Adam adam(0.001, 0.0, 1e-50);
  REQUIRE_NOTHROW(adam.step(d));
  REQUIRE(d.weights.allFinite());
  nnfs::Dense<float> f = layer_with_gradients();
  nnfs::Adam tiny(0.001, 0.0, 1e-44);
  REQUIRE_NOTHROW(tiny.step(f));

  // Regularization strengths and the initial weight scale, checked when the layer is made.
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dense<float>(2, 3, nnfs::Regularization{1e-50, 0, 0, 0}),
                           "Dense: regularization weight_l1 1e-50 rounds to 0 in float");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dense<float>(2, 3, nnfs::Regularization{0, 0, 0, 1e39}),
                           "Dense: regularization 2·bias_l2 2e+39 overflows to infinity in float");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dense<float>(2, 3, nnfs::Regularization{}, 1e-50),
                           "Dense: weight_scale 1e-50 rounds to 0 in float");
  REQUIRE_NOTHROW(nnfs::Dense<double>(2, 3, nnfs::Regularization{1e-50, 0, 0, 1e39}, 1e-50));
  // A strength assigned after construction is checked where backward applies it.
  nnfs::Dense<float> later = layer_with_gradients();
  later.regularization.weight_l2 = 1e-60;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, later.backward(D), "Dense::backward", "2·weight_l2 2e-60",
                           "rounds to 0 in float");
}
