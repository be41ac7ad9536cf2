// Predicting from several threads (predictor.hpp): a Predictor gives the bits of the model it was
// made from, shares nothing with it, and several of them predict at once on several threads.
// CI builds this executable under ThreadSanitizer as well (the `tsan` preset), where any data
// race between the threads (in the layers, the kernels, the numerics switch, Eigen) aborts it.
#include "nnfs_catch.hpp"
#include "../examples/user_layers.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using nnfs::Index;
using nnfs_test::quiet;
using nnfs_test::same_bits;

template <class T>
using M = nnfs::Matrix<T>;

/// The chapter 19 shape on a small spiral: 2 → 32 → ReLU → Dropout → 3 → Softmax, trained a little.
template <class T>
nnfs::Model<T> trained_classifier(M<T>& X, nnfs::Labels& y) {
  nnfs::RandomState rng(3);
  nnfs::datasets::Dataset<T> data = nnfs::datasets::spiral_data<T>(60, 3, rng);
  X = data.X;
  y = data.y;
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(2, 32));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dropout<T>(0.1));
  model.add(nnfs::Dense<T>(32, 3));
  model.add(nnfs::Softmax<T>());
  model.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(0.02, 1e-3), nnfs::CategoricalAccuracy());
  model.finalize();
  model.train(X, y, quiet<T>(20, 32));
  return model;
}

/// A layer of your own that cannot be copied (it moves).
template <class T>
struct Unique : example::Gain<T> {
  using example::Gain<T>::Gain;
  Unique(const Unique&) = delete;
  Unique& operator=(const Unique&) = delete;
  Unique(Unique&&) noexcept = default;
  Unique& operator=(Unique&&) noexcept = default;
  ~Unique() = default;
};

}  // namespace

TEMPLATE_TEST_CASE("a predictor gives the bits of its model's predict and predict_classes", "[predictor]", float,
                   double) {
  using T = TestType;
  for (const auto numerics : {nnfs::Numerics::book, nnfs::Numerics::fast}) {
    const nnfs::NumericsScope scope(numerics);
    INFO((numerics == nnfs::Numerics::book ? "book numerics" : "fast numerics"));
    M<T> X;
    nnfs::Labels y;
    nnfs::Model<T> model = trained_classifier(X, y);
    nnfs::Predictor<T> p = model.predictor();
    REQUIRE(p.size() == model.size());
    for (const std::size_t batch : {std::size_t{0}, std::size_t{7}, std::size_t{64}}) {
      INFO("batch size " << batch);
      const M<T> want = model.predict(X, batch);
      REQUIRE(same_bits(p.predict(X, batch), want));
      const nnfs::Labels want_classes = model.predict_classes(X.topRows(50), batch);
      REQUIRE(p.predict_classes(X.topRows(50), batch) == want_classes);
      // its own earlier result as input, as Model::predict allows
      const M<T> again = model.predict(model.predict(X).leftCols(2), batch);
      REQUIRE(same_bits(p.predict(p.predict(X).leftCols(2), batch), again));
    }
  }
}

TEST_CASE("a predictor is a copy: training the model afterwards leaves it as it was", "[predictor]") {
  M<float> X;
  nnfs::Labels y;
  nnfs::Model<float> model = trained_classifier(X, y);
  nnfs::Predictor<float> p = model.predictor();
  const M<float> before = model.predict(X);
  model.train(X, y, quiet<float>(5, 32));
  const M<float> after = model.predict(X);
  REQUIRE_FALSE(same_bits(after, before));
  REQUIRE(same_bits(p.predict(X), before));
  REQUIRE(same_bits(model.predictor().predict(X), after));
}

TEST_CASE("a predictor refuses what the model refuses, with the model's messages", "[predictor]") {
  M<float> X;
  nnfs::Labels y;
  nnfs::Model<float> model = trained_classifier(X, y);
  nnfs::Predictor<float> p = model.predictor();
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, p.predict(M<float>::Zero(4, 3)), "Model::predict",
                           "takes 2 inputs");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, p.predict(M<float>(0, 2)), "Model::predict", "empty input");
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, nnfs::Model<float>().predictor(), "Model::predictor",
                           "no layers");
}

TEST_CASE("a model with a layer that cannot be copied has no predictor", "[predictor]") {
  nnfs::Model<double> model;
  model.add(nnfs::Dense<double>(2, 2));
  model.add(Unique<double>(2));
  model.finalize();
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, model.predictor(), "Model::predictor", "cannot be copied",
                           "a Model of its own");
}

TEST_CASE("threads predict at once, each with its own predictor, and get the single-thread bits", "[predictor][threads]") {
  constexpr int kThreads = 4;
  for (const auto numerics : {nnfs::Numerics::book, nnfs::Numerics::fast}) {
    const nnfs::NumericsScope scope(numerics);
    INFO((numerics == nnfs::Numerics::book ? "book numerics" : "fast numerics"));
    M<float> X;
    nnfs::Labels y;
    const nnfs::Model<float> model = [&] { return trained_classifier(X, y); }();

    // The references, on this thread, one predictor per batch size.
    const std::size_t batches[] = {0, 1, 16, 37};
    std::vector<M<float>> want;
    for (const std::size_t b : batches) want.push_back(model.predictor().predict(X, b));

    // Every thread makes its predictor from the shared (const) model at the same time, then
    // predicts with every batch size, several times over.
    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        nnfs::Predictor<float> p = model.predictor();
        for (int round = 0; round < 5; ++round)
          for (std::size_t i = 0; i < std::size(batches); ++i)
            if (!same_bits(p.predict(X, batches[i]), want[i])) ++mismatches[static_cast<std::size_t>(t)];
      });
    }
    for (std::thread& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
      INFO("thread " << t);
      CHECK(mismatches[static_cast<std::size_t>(t)] == 0);
    }
  }
}
