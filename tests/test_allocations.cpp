// No heap allocation in steady-state forward passes: every layer writes into buffers it owns
// and reuses, which is what training will rely on.
//
// Eigen allocates with malloc (not operator new), so counting operator new alone would see
// nothing. This executable interposes glibc's malloc family instead: every heap allocation
// of the process, operator new included (libstdc++'s operator new calls malloc), is counted.
// It therefore lives in its own test executable, and is not built under AddressSanitizer
// (which interposes malloc itself).
#include "nnfs_catch.hpp"

#include <nnfs/metrics/accuracy.hpp>
#include <nnfs/optimizers/adagrad.hpp>
#include <nnfs/optimizers/adam.hpp>
#include <nnfs/losses/binary_crossentropy.hpp>
#include <nnfs/losses/categorical_crossentropy.hpp>
#include <nnfs/layers/dense.hpp>
#include <nnfs/layers/dropout.hpp>
#include <nnfs/losses/mean_squared_error.hpp>
#include <nnfs/model/model.hpp>
#include <nnfs/layers/relu.hpp>
#include <nnfs/optimizers/rmsprop.hpp>
#include <nnfs/optimizers/sgd.hpp>
#include <nnfs/layers/sigmoid.hpp>
#include <nnfs/layers/softmax.hpp>
#include <nnfs/losses/softmax_categorical_crossentropy.hpp>

#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <vector>

#if !defined(__GLIBC__)
#error "test_allocations.cpp counts allocations by interposing glibc's malloc"
#endif

// glibc's own entry points, reserved names that glibc exports for exactly this use.
// NOLINTBEGIN(bugprone-reserved-identifier)
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t n, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}
// NOLINTEND(bugprone-reserved-identifier)

namespace {
std::atomic<long> g_allocations{0};
void count() { g_allocations.fetch_add(1, std::memory_order_relaxed); }
}  // namespace

extern "C" {
void* malloc(std::size_t size) {
  count();
  return __libc_malloc(size);
}
void* calloc(std::size_t n, std::size_t size) {
  count();
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t size) {
  count();
  return __libc_realloc(p, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  count();
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return 12;  // ENOMEM
  *out = p;
  return 0;
}
}

namespace {

long allocations() { return g_allocations.load(std::memory_order_relaxed); }

template <class T>
struct Network {
  nnfs::Dense<T> dense1;
  nnfs::ReLU<T> relu;
  nnfs::Dense<T> dense2;
  nnfs::Softmax<T> softmax;
  nnfs::CategoricalCrossentropy<T> loss;

  Network(nnfs::Index in, nnfs::Index hidden, nnfs::Index out, nnfs::RandomState& rng)
      : dense1(in, hidden, rng), dense2(hidden, out, rng) {}

  double step(const nnfs::Matrix<T>& x, const nnfs::Labels& y) {
    dense1.forward(x);
    relu.forward(dense1.output);
    dense2.forward(relu.output);
    softmax.forward(dense2.output);
    const T l = loss.calculate(softmax.output, y);
    return static_cast<double>(l) + nnfs::accuracy(softmax.output, y);
  }
};

template <class T>
void check_steady_state(nnfs::Index batch, nnfs::Index in, nnfs::Index hidden, nnfs::Index out) {
  nnfs::RandomState rng(0);
  Network<T> net(in, hidden, out, rng);
  const nnfs::Matrix<T> x = rng.randn<T>(batch, in);
  nnfs::Labels y(batch);
  for (nnfs::Index i = 0; i < batch; ++i) y(i) = static_cast<nnfs::Labels::Scalar>(i % out);
  net.step(x, y);  // warm-up: buffers take their shapes
  const long before = allocations();
  double sink = 0;
  for (int k = 0; k < 5; ++k) sink += net.step(x, y);
  const long during = allocations() - before;
  INFO("batch " << batch << ", " << in << "-" << hidden << "-" << out << ": " << during << " allocations");
  CHECK(during == 0);
  CHECK(sink > 0);
}

}  // namespace

TEST_CASE("the counting allocator sees Eigen's and operator new's allocations", "[alloc]") {
  long before = allocations();
  nnfs::Matrix<float> m(10, 10);
  m.setZero();
  CHECK(allocations() - before == 1);
  before = allocations();
  // volatile: the pointer escapes, so the compiler may not elide the new/delete pair (clang
  // does elide an unused `new int[4]` at -O2, as [expr.new] allows)
  int* volatile p = new int[4];
  p[0] = 1;
  CHECK(allocations() - before == 1);
  delete[] p;
  // and a forward pass whose batch size changes does allocate: the check below can fail
  nnfs::RandomState rng(0);
  nnfs::Dense<float> layer(2, 3, rng);
  layer.forward(nnfs::Matrix<float>::Ones(4, 2));
  before = allocations();
  layer.forward(nnfs::Matrix<float>::Ones(5, 2));
  CHECK(allocations() - before > 0);
}

TEMPLATE_TEST_CASE("steady-state forward passes allocate nothing", "[alloc]", float, double) {
  using T = TestType;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::book ? "book" : "fast") << " numerics");
    check_steady_state<T>(300, 2, 3, 3);     // the book's chapter 5 network
    check_steady_state<T>(300, 2, 64, 3);    // the chapter 10 network
    check_steady_state<T>(128, 784, 128, 10);  // a Fashion-MNIST sized layer
  }
}

namespace {

template <class T, class Optimizer>
void check_optimizer_steady_state(Optimizer optimizer, const char* name) {
  nnfs::RandomState rng(0);
  nnfs::Dense<T> dense1(2, 64, rng);
  nnfs::Dense<T> dense2(64, 3, rng);
  for (auto* layer : {&dense1, &dense2}) {  // gradients as backward() leaves them
    layer->dweights = rng.randn<T>(layer->n_inputs(), layer->n_neurons());
    layer->dbiases = rng.randn<T>(1, layer->n_neurons());
  }
  optimizer.step(dense1, dense2);  // warm-up: the optimizer state takes its shapes
  const long before = allocations();
  for (int k = 0; k < 5; ++k) {
    optimizer.step(dense1, dense2);
    optimizer.pre_update_params();  // and the step spelled out, as the book writes it
    optimizer.update_params(dense1);
    optimizer.update_params(dense2);
    optimizer.post_update_params();
  }
  const long during = allocations() - before;
  INFO(name << ": " << during << " allocations");
  CHECK(during == 0);
}

/// One full training step of the book's chapter 15 network (L2, dropout, softmax+CCE, Adam),
/// and of the chapter 16 one (sigmoid + BCE) and a regression head (MSE).
template <class T>
void check_training_step(nnfs::Index batch, nnfs::Index in, nnfs::Index hidden, nnfs::Index classes) {
  nnfs::RandomState rng(0);
  nnfs::Dense<T> dense1(in, hidden, {0.0, 5e-4, 0.0, 5e-4}, 0.01, rng);
  nnfs::ReLU<T> relu;
  nnfs::Dropout<T> dropout(0.1, rng);
  nnfs::Dense<T> dense2(hidden, classes, rng);
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
  nnfs::Dense<T> dense3(hidden, 1, rng);
  nnfs::Sigmoid<T> sigmoid;
  nnfs::BinaryCrossentropy<T> bce;
  nnfs::MeanSquaredError<T> mse;
  nnfs::Adam optimizer(0.05, 5e-7);
  const nnfs::Matrix<T> x = rng.randn<T>(batch, in);
  nnfs::Labels y(batch);
  for (nnfs::Index i = 0; i < batch; ++i) y(i) = static_cast<nnfs::Labels::Scalar>(i % classes);
  const nnfs::Matrix<T> y_binary = y.unaryExpr([](nnfs::Labels::Scalar v) { return v % 2; }).template cast<T>();
  double sink = 0;
  auto step = [&] {
    dense1.forward(x);
    relu.forward(dense1.output);
    dropout.forward(relu.output);
    dense2.forward(dropout.output);
    sink += static_cast<double>(loss_activation.forward(dense2.output, y)) + dense1.regularization_loss();
    sink += nnfs::accuracy(loss_activation.output(), y);
    loss_activation.backward(loss_activation.output(), y);
    dense2.backward(loss_activation.dinputs);
    dropout.backward(dense2.dinputs);
    // a binary head on the same hidden layer
    dense3.forward(relu.output);
    sigmoid.forward(dense3.output);
    sink += static_cast<double>(bce.calculate(sigmoid.output, y_binary)) + nnfs::binary_accuracy(sigmoid.output, y_binary);
    bce.backward(sigmoid.output, y_binary);
    sigmoid.backward(bce.dinputs);
    sink += static_cast<double>(mse.calculate(sigmoid.output, y_binary));
    mse.backward(sigmoid.output, y_binary);
    dense3.backward(sigmoid.dinputs);
    relu.backward(dropout.dinputs);
    dense1.backward(relu.dinputs);
    optimizer.step(dense1, dense2, dense3);
  };
  step();  // warm-up
  const long before = allocations();
  for (int k = 0; k < 3; ++k) step();
  const long during = allocations() - before;
  INFO("training step, batch " << batch << ", " << in << "-" << hidden << "-" << classes << ": " << during
                               << " allocations");
  CHECK(during == 0);
  CHECK(sink != 0);
}

}  // namespace

TEMPLATE_TEST_CASE("steady-state optimizer steps allocate nothing", "[alloc]", float, double) {
  using T = TestType;
  check_optimizer_steady_state<T>(nnfs::SGD(1.0, 1e-3), "SGD with decay");
  check_optimizer_steady_state<T>(nnfs::SGD(1.0, 1e-3, 0.9), "SGD with momentum");
  check_optimizer_steady_state<T>(nnfs::Adagrad(1.0, 1e-4), "Adagrad");
  check_optimizer_steady_state<T>(nnfs::RMSprop(0.02, 1e-5, 1e-7, 0.999), "RMSprop");
  check_optimizer_steady_state<T>(nnfs::Adam(0.05, 5e-7), "Adam");
}

TEMPLATE_TEST_CASE("steady-state training steps allocate nothing", "[alloc]", float, double) {
  using T = TestType;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::book ? "book" : "fast") << " numerics");
    check_training_step<T>(300, 2, 64, 3);     // the chapter 10-15 network
    check_training_step<T>(128, 784, 128, 10);  // a Fashion-MNIST sized batch
  }
}

namespace {

/// A Model's training step (train_on_batch) and predict, after one warm-up call each.
/// `widths` = input, hidden layers..., output (ReLU between the Dense layers, Softmax + CCE).
template <class T>
void check_model_steady_state(nnfs::Index batch, std::initializer_list<nnfs::Index> widths, double dropout) {
  nnfs::RandomState rng(0);
  nnfs::Model<T> model;
  const std::vector<nnfs::Index> w(widths);
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    model.add(nnfs::Dense<T>(w[i], w[i + 1], rng));
    if (i + 2 < w.size()) {
      model.add(nnfs::ReLU<T>());
      if (dropout > 0) model.add(nnfs::Dropout<T>(dropout, rng));
    }
  }
  model.add(nnfs::Softmax<T>());
  model.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(1e-3, 1e-4), nnfs::CategoricalAccuracy());
  model.finalize();
  const nnfs::Matrix<T> x = rng.randn<T>(batch, w.front());
  nnfs::Labels y(batch);
  for (nnfs::Index i = 0; i < batch; ++i) y(i) = static_cast<nnfs::Labels::Scalar>(i % w.back());

  model.train_on_batch(x, y);  // warm-up: buffers, optimizer state
  long before = allocations();
  double sink = 0;
  for (int k = 0; k < 5; ++k) sink += model.train_on_batch(x, y).loss;
  const long training = allocations() - before;

  model.predict(x);
  before = allocations();
  for (int k = 0; k < 5; ++k) sink += static_cast<double>(model.predict(x)(0, 0));
  const long predict_batch = allocations() - before;

  INFO("batch " << batch << ", " << w.size() - 1 << " Dense layers, dropout " << dropout << ": " << training
                << " allocations in 5 training steps, " << predict_batch << " in 5 batch predicts");
  CHECK(training == 0);
  CHECK(predict_batch == 0);
  CHECK(sink != 0);
}

}  // namespace

TEMPLATE_TEST_CASE("a Model's steady-state training step and predict allocate nothing", "[alloc][model]", float,
                   double) {
  using T = TestType;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::book ? "book" : "fast") << " numerics");
    check_model_steady_state<T>(300, {2, 64, 3}, 0.0);          // W1: the chapter 10 network
    check_model_steady_state<T>(300, {2, 64, 3}, 0.1);          // with dropout (chapter 15/18)
    check_model_steady_state<T>(128, {784, 128, 128, 10}, 0.0);  // W2: the Fashion-MNIST MLP
  }
}

TEMPLATE_TEST_CASE("predict on more rows than one widening block allocates nothing once stable",
                   "[alloc][model]", float, double) {
  // Book-mode float products widen their operand to double 480 rows at a time
  // (ops::reference::kWidenRows): 1000 rows are three blocks, the last of 40 rows.
  using T = TestType;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::book ? "book" : "fast") << " numerics");
    nnfs::RandomState rng(0);
    nnfs::Model<T> model;
    model.add(nnfs::Dense<T>(784, 128, rng));
    model.add(nnfs::ReLU<T>());
    model.add(nnfs::Dense<T>(128, 10, rng));
    model.add(nnfs::Softmax<T>());
    model.finalize();
    const nnfs::Matrix<T> x = rng.randn<T>(1000, 784);
    model.predict(x);
    const long before = allocations();
    double sink = 0;
    for (int k = 0; k < 3; ++k) sink += static_cast<double>(model.predict(x)(999, 3));
    const long during = allocations() - before;
    INFO(during << " allocations in 3 predicts of 1000 rows");
    CHECK(during == 0);
    CHECK(sink != 0);
  }
}

TEMPLATE_TEST_CASE("single-sample predict allocates nothing once its shape is stable", "[alloc][model]", float,
                   double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(784, 128, rng));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dense<T>(128, 128, rng));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dense<T>(128, 10, rng));
  model.add(nnfs::Softmax<T>());
  model.finalize();
  const nnfs::Matrix<T> one = rng.randn<T>(1, 784);
  model.predict(one);
  const long before = allocations();
  double sink = 0;
  for (int k = 0; k < 10; ++k) sink += static_cast<double>(model.predict(one)(0, 3));
  const long during = allocations() - before;
  INFO(during << " allocations in 10 single-sample predicts");
  CHECK(during == 0);
  CHECK(sink != 0);
}

namespace {

/// The training step as benchmarks/bench_nnfs.cpp writes it: the batch read in place from a
/// block of rows of a larger data set (a different block each step), the first layer's
/// backward without dinputs (backward_parameters), Adam over every layer.
template <class T>
void check_benchmark_step(nnfs::Index samples, nnfs::Index batch, std::initializer_list<nnfs::Index> widths) {
  nnfs::RandomState rng(0);
  const std::vector<nnfs::Index> w(widths);
  std::vector<nnfs::Dense<T>> dense;
  for (std::size_t i = 0; i + 1 < w.size(); ++i) dense.emplace_back(w[i], w[i + 1], rng);
  std::vector<nnfs::ReLU<T>> relu(dense.size() - 1);
  nnfs::SoftmaxCategoricalCrossentropy<T> loss_activation;
  nnfs::Adam optimizer(1e-3, 1e-4);
  const nnfs::Matrix<T> x = rng.randn<T>(samples, w.front());
  nnfs::Labels y(samples);
  for (nnfs::Index i = 0; i < samples; ++i) y(i) = static_cast<nnfs::Labels::Scalar>(i % w.back());
  nnfs::Labels yb(batch);
  double sink = 0;
  auto step = [&](nnfs::Index first) {
    yb = y.segment(first, batch);
    const nnfs::Matrix<T>* out = &dense[0].forward(x.middleRows(first, batch));
    for (std::size_t l = 1; l < dense.size(); ++l) out = &dense[l].forward(relu[l - 1].forward(*out));
    sink += static_cast<double>(loss_activation.forward(*out, yb));
    sink += nnfs::accuracy(loss_activation.output(), yb);
    const nnfs::Matrix<T>* d = &loss_activation.backward(loss_activation.output(), yb);
    for (std::size_t l = dense.size() - 1; l > 0; --l) d = &relu[l - 1].backward(dense[l].backward(*d));
    dense[0].backward_parameters(*d);
    optimizer.pre_update_params();
    for (auto& layer : dense) optimizer.update_params(layer);
    optimizer.post_update_params();
  };
  step(0);  // warm-up
  const long before = allocations();
  for (nnfs::Index k = 1; k <= 3; ++k) step((k * batch) % (samples - batch + 1));
  const long during = allocations() - before;
  INFO("benchmark step, batch " << batch << " of " << samples << ": " << during << " allocations");
  CHECK(during == 0);
  CHECK(sink != 0);
}

}  // namespace

TEMPLATE_TEST_CASE("the benchmarks' W1 and W2 training steps allocate nothing", "[alloc]", float, double) {
  using T = TestType;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::book ? "book" : "fast") << " numerics");
    check_benchmark_step<T>(300, 300, {2, 64, 3});            // W1: full batch
    check_benchmark_step<T>(1000, 128, {784, 128, 128, 10});  // W2: batches of 128 read in place
  }
}
