// check_finite: a diverging run is stopped with the epoch and the layer that went non-finite.
#include "nnfs_catch.hpp"

#include <nnfs/ops/finite.hpp>

#include <cmath>
#include <limits>
#include <string>

TEMPLATE_TEST_CASE("check_finite is silent while the loss is finite", "[finite]", float, double) {
  using T = TestType;
  nnfs::Matrix<T> out1 = nnfs::Matrix<T>::Ones(2, 3);
  out1(0, 0) = std::numeric_limits<T>::quiet_NaN();  // not even looked at while the loss is finite
  nnfs::check_finite<T>(7, 0.5, {{"dense1", out1}});
  SUCCEED();
}

TEMPLATE_TEST_CASE("check_finite names the epoch and the first layer with a non-finite output", "[finite]", float,
                   double) {
  using T = TestType;
  const nnfs::Matrix<T> out1 = nnfs::Matrix<T>::Ones(4, 3);
  nnfs::Matrix<T> out2 = nnfs::Matrix<T>::Ones(4, 2);
  nnfs::Matrix<T> out3 = nnfs::Matrix<T>::Ones(4, 2);
  out2(2, 1) = std::numeric_limits<T>::infinity();
  out3(0, 0) = std::numeric_limits<T>::quiet_NaN();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  NNFS_REQUIRE_THROWS_WITH(nnfs::NonFiniteError,
                           nnfs::check_finite<T>(37, nan, {{"dense1", out1}, {"dense2", out2}, {"dense3", out3}}),
                           "epoch 37", "dense2", "4\u00d72", "row 2, column 1", "inf");
  NNFS_REQUIRE_THROWS_WITH(nnfs::NonFiniteError,
                           nnfs::check_finite<T>(5, std::numeric_limits<double>::infinity(),
                                                 {{"dense1", out1}, {"dense3", out3}}),
                           "epoch 5", "dense3", "row 0, column 0", "nan");
  // every output finite: the loss computation itself overflowed
  NNFS_REQUIRE_THROWS_WITH(nnfs::NonFiniteError, nnfs::check_finite<T>(9, nan, {{"dense1", out1}}), "epoch 9",
                           "every watched layer output is finite");
  // NonFiniteError is a std::runtime_error
  REQUIRE_THROWS_AS(nnfs::check_finite<T>(1, nan, {{"dense1", out1}}), std::runtime_error);
}

#include <nnfs/datasets.hpp>
#include <nnfs/layers/dense.hpp>
#include <nnfs/layers/relu.hpp>
#include <nnfs/optimizers/sgd.hpp>
#include <nnfs/losses/softmax_categorical_crossentropy.hpp>

TEST_CASE("a diverging training run is reported, not printed as nan forever", "[finite]") {
  nnfs::RandomState rng(0);
  const auto [X, y] = nnfs::datasets::spiral_data<float>(50, 3, rng);
  nnfs::Dense<float> dense1(2, 16, rng);
  nnfs::ReLU<float> relu;
  nnfs::Dense<float> dense2(16, 3, rng);
  nnfs::SoftmaxCategoricalCrossentropy<float> loss_activation;
  nnfs::SGD optimizer(1e30);  // absurd on purpose
  std::string message;
  long epoch = 0;
  try {
    for (; epoch < 1000; ++epoch) {
      dense1.forward(X);
      relu.forward(dense1.output);
      dense2.forward(relu.output);
      const float loss = loss_activation.forward(dense2.output, y);
      nnfs::check_finite<float>(epoch, loss, {{"dense1", dense1.output}, {"dense2", dense2.output}});
      loss_activation.backward(loss_activation.output(), y);
      dense2.backward(loss_activation.dinputs);
      relu.backward(dense2.dinputs);
      dense1.backward(relu.dinputs);
      optimizer.step(dense1, dense2);
    }
  } catch (const nnfs::NonFiniteError& e) {
    message = e.what();
  }
  INFO(message);
  REQUIRE(epoch < 1000);  // it diverged, and was stopped
  CHECK(message.find("epoch " + std::to_string(epoch)) != std::string::npos);
  CHECK((message.find("dense1") != std::string::npos || message.find("dense2") != std::string::npos));
}
