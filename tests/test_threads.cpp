// Threads do not change results. This executable links nnfs::openmp, so the fast numerics split
// the rows of large products over Eigen::nbThreads() OpenMP threads; every element of a product
// is still accumulated in the same order by whichever thread computes it, so a training run
// with 2 (or 3) threads must give the same bits as with 1. Checked on the W2 network of
// benchmarks/ (784–128–128–10, batch 128: products large enough to be split) for a few steps,
// layer by layer and through nnfs::Model, and on single products of awkward shapes.
#include "nnfs_catch.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <vector>

#ifndef _OPENMP
#error "test_threads.cpp is built only with nnfs::openmp"
#endif

namespace {

using nnfs_test::same_bits;

using nnfs::Index;
using M = nnfs::Matrix<float>;

struct Data {
  M X;
  nnfs::Labels y;
};

Data make_data(Index n) {
  nnfs::RandomState rng(7);
  Data d;
  d.X = (rng.rand<float>(n, 784).array() * 2.0F - 1.0F).matrix();
  d.y = rng.randint(0, 10, n).cast<std::int32_t>();
  return d;
}

// A few Adam steps of the W2 network, layer by layer; returns every parameter after them.
std::vector<M> train_layers(int threads, const Data& d, int steps) {
  Eigen::setNbThreads(threads);
  nnfs::RandomState rng(3);
  nnfs::Dense<float> dense1(784, 128, rng);
  nnfs::ReLU<float> relu1;
  nnfs::Dense<float> dense2(128, 128, rng);
  nnfs::ReLU<float> relu2;
  nnfs::Dense<float> dense3(128, 10, rng);
  nnfs::SoftmaxCategoricalCrossentropy<float> loss;
  nnfs::Adam optimizer(1e-3);
  const Index batch = 128;
  for (int s = 0; s < steps; ++s) {
    const Index first = (s * batch) % (d.X.rows() - batch + 1);
    const nnfs::Labels yb = d.y.segment(first, batch);
    dense1.forward(d.X.middleRows(first, batch));
    relu1.forward(dense1.output);
    dense2.forward(relu1.output);
    relu2.forward(dense2.output);
    dense3.forward(relu2.output);
    loss.forward(dense3.output, yb);
    loss.backward(loss.output(), yb);
    dense3.backward(loss.dinputs);
    relu2.backward(dense3.dinputs);
    dense2.backward(relu2.dinputs);
    relu1.backward(dense2.dinputs);
    dense1.backward(relu1.dinputs);
    optimizer.step(dense1, dense2, dense3);
  }
  Eigen::setNbThreads(1);
  return {dense1.weights, dense1.biases, dense2.weights, dense2.biases, dense3.weights, dense3.biases,
          dense1.dinputs};
}

// The same network through Model (one epoch over the data, batch 128, with a shorter last batch).
std::vector<M> train_model(int threads, const Data& d) {
  Eigen::setNbThreads(threads);
  nnfs::RandomState rng(3);
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(784, 128, rng));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(128, 128, rng));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(128, 10, rng));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(1e-3), nnfs::CategoricalAccuracy());
  model.finalize();
  nnfs::TrainOptions<float> options;
  options.epochs = 1;
  options.batch_size = 128;
  options.book_log = false;
  model.train(d.X, d.y, options);
  std::vector<M> out;
  for (const auto& p : model.get_parameters()) {
    out.push_back(p.first);
    out.push_back(p.second);
  }
  out.push_back(model.predict(d.X.topRows(300)));
  Eigen::setNbThreads(1);
  return out;
}

}  // namespace

TEST_CASE("fast numerics: the W2 network trains to the same bits with 1, 2 and 3 threads", "[threads]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  const Data d = make_data(1000);
  const std::vector<M> one = train_layers(1, d, 8);
  const std::vector<M> two = train_layers(2, d, 8);
  const std::vector<M> three = train_layers(3, d, 8);
  REQUIRE(same_bits(one, two));
  REQUIRE(same_bits(one, three));
  // and the run did something: the weights moved away from a fresh initialisation
  nnfs::RandomState rng(3);
  const M initial = nnfs::Dense<float>(784, 128, rng).weights;
  REQUIRE(!(one[0].array() == initial.array()).all());
}

TEST_CASE("fast numerics: Model training and predict give the same bits with 1 and 2 threads", "[threads]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  const Data d = make_data(1000);  // 8 batches: 7 of 128 and one of 104
  REQUIRE(same_bits(train_model(1, d), train_model(2, d)));
}

TEST_CASE("fast numerics: large products split over threads equal the single-threaded ones", "[threads]") {
  const nnfs::NumericsScope scope(nnfs::Numerics::fast);
  nnfs::RandomState rng(11);
  // (rows, inputs, outputs): uneven splits of rows over threads, a last partial register block,
  // outputs not a multiple of the vector width
  const std::vector<std::vector<Index>> shapes = {{97, 300, 130}, {250, 784, 128}, {1001, 64, 200}, {64, 1000, 33}};
  for (const auto& s : shapes) {
    const M x = rng.randn<float>(s[0], s[1]);
    nnfs::Dense<float> layer(s[1], s[2], rng);
    Eigen::setNbThreads(1);
    const M single = layer.forward(x);
    Eigen::setNbThreads(2);
    const M threaded = layer.forward(x);
    Eigen::setNbThreads(1);
    REQUIRE((single.array() == threaded.array()).all());
  }
}
