// Determinism within a process: the book's chapter 10 training run twice gives bit-identical
// weights, biases, optimizer state and loss, in both numerics modes and for float and double;
// the fast and book modes give different bits, each reproducibly; and nnfs::init(seed) makes
// runs on the default generator repeat. (Process to process: the CTest tests
// hygiene.determinism_14_optimizers_{fast,book} run the example twice and compare the output
// byte for byte, tests/check_reproducible.cmake.)
#include "nnfs_catch.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

namespace {

using nnfs_test::same_bits;

using nnfs::Numerics;

template <class T>
using M = nnfs::Matrix<T>;

template <class T>
struct Run {
  std::vector<M<T>> tensors;  // weights, biases and Adam's state of both layers
  T loss = T(0);
  double accuracy = 0.0;
};

/// The book's chapter 10 program: spiral(100, 3) → Dense(2, 64) → ReLU → Dense(64, 3) →
/// softmax + CCE, Adam(0.05, 5e-7), every draw from `rng` (or from the default generator when
/// no generator is given). Returns the final parameters, optimizer state, loss and accuracy.
template <class T>
Run<T> chapter10(Numerics mode, int epochs, nnfs::RandomState* rng = nullptr) {
  const nnfs::NumericsScope scope(mode);
  nnfs::RandomState& r = rng ? *rng : nnfs::default_random_state();
  const auto [X, y] = nnfs::datasets::spiral_data<T>(100, 3, r);
  nnfs::Dense<T> dense1(2, 64, r);
  nnfs::ReLU<T> activation1;
  nnfs::Dense<T> dense2(64, 3, r);
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
  nnfs::Adam optimizer(0.05, 5e-7);
  Run<T> run;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    dense1.forward(X);
    activation1.forward(dense1.output);
    dense2.forward(activation1.output);
    run.loss = loss_activation.forward(dense2.output, y);
    run.accuracy = nnfs::accuracy(loss_activation.output(), y);
    loss_activation.backward(loss_activation.output(), y);
    dense2.backward(loss_activation.dinputs);
    activation1.backward(dense2.dinputs);
    dense1.backward(activation1.dinputs);
    optimizer.step(dense1, dense2);
  }
  for (const auto* layer : {&dense1, &dense2})
    for (const M<T>* m : {&layer->weights, &layer->biases, &layer->weight_momentums, &layer->weight_cache,
                          &layer->bias_momentums, &layer->bias_cache})
      run.tensors.push_back(*m);
  return run;
}

/// Bit-identical runs: every tensor, the loss and the accuracy.
template <class T>
bool identical(const Run<T>& a, const Run<T>& b) {
  if (a.tensors.size() != b.tensors.size() || !same_bits(a.loss, b.loss) || a.accuracy != b.accuracy) return false;
  for (std::size_t i = 0; i < a.tensors.size(); ++i)
    if (!same_bits(a.tensors[i], b.tensors[i])) return false;
  return true;
}

constexpr int kEpochs = 2001;

}  // namespace

TEMPLATE_TEST_CASE("chapter 10 training twice in one process is bit-identical in both modes, and fast differs from book",
                   "[determinism]", float, double) {
  using T = TestType;
  // Interleaved, with the default generator and the mode disturbed in between: a run depends
  // on its own generator and mode only.
  std::vector<Run<T>> runs;
  for (int repeat = 0; repeat < 2; ++repeat)
    for (const Numerics mode : {Numerics::book, Numerics::fast}) {
      nnfs::RandomState rng(0);
      runs.push_back(chapter10<T>(mode, kEpochs, &rng));
      (void)nnfs::default_random_state().randn();
    }
  const Run<T>& book1 = runs[0];
  const Run<T>& fast1 = runs[1];
  const Run<T>& book2 = runs[2];
  const Run<T>& fast2 = runs[3];

  INFO("book loss " << book1.loss << " acc " << book1.accuracy << ", fast loss " << fast1.loss << " acc "
                    << fast1.accuracy);
  // it trained (the book reaches loss ≈ 0.3, acc ≈ 0.9 at epoch 2000)
  for (const Run<T>* run : {&book1, &fast1}) {
    CHECK(std::isfinite(run->loss));
    CHECK(run->loss < T(0.6));
    CHECK(run->accuracy > 0.75);
  }
  CHECK(identical(book1, book2));
  CHECK(identical(fast1, fast2));
  // the two modes round differently: after 2001 epochs the bits differ (the values stay close)
  CHECK_FALSE(identical(book1, fast1));
  CHECK_THAT(static_cast<double>(fast1.loss), WithinAbs(static_cast<double>(book1.loss), 0.1));
}

TEST_CASE("nnfs::init(seed) makes runs on the default generator repeat, like an explicit RandomState(seed)",
          "[determinism][core]") {
  const Numerics previous = nnfs::numerics();
  for (const Numerics mode : {Numerics::book, Numerics::fast}) {
    INFO((mode == Numerics::book ? "book" : "fast") << " numerics");
    nnfs::init(0);
    const Run<float> first = chapter10<float>(mode, 201);
    nnfs::init(0);
    const Run<float> second = chapter10<float>(mode, 201);
    nnfs::RandomState rng(0);
    const Run<float> explicit_rng = chapter10<float>(mode, 201, &rng);
    CHECK(identical(first, second));
    CHECK(identical(first, explicit_rng));
    nnfs::init(1);
    const Run<float> other_seed = chapter10<float>(mode, 201);
    CHECK_FALSE(identical(first, other_seed));
  }
  nnfs::set_numerics(previous);
}
