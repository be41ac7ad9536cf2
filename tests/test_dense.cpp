// Dense: the layer arithmetic of the walk and the book, initialisation, buffers, bad input.
#include "nnfs_catch.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/core.hpp>
#include <nnfs/init.hpp>
#include <nnfs/layers/dense.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>

TEMPLATE_TEST_CASE("Dense computes inputs·weights + biases (the walk's layer of 3 neurons)", "[dense]", float,
                   double) {
  using T = TestType;
  const nnfs::NumericsScope mode(GENERATE(nnfs::Numerics::fast, nnfs::Numerics::book));
  // The walk writes the weights neurons × inputs; the layer stores inputs × neurons.
  nnfs::Matrix<double> neuron_weights(3, 4);
  neuron_weights << 0.5, -0.2, 0.9, -0.3,  //
      0.7, 0.4, -0.6, 0.8,                 //
      -0.1, 0.6, 0.2, -0.7;
  nnfs::Matrix<double> biases(1, 3);
  biases << 1.5, 2.2, 0.9;
  nnfs::Dense<T> layer(neuron_weights.transpose(), biases);
  nnfs::Matrix<T> x(1, 4);
  x << T(2.1), T(1.7), T(3.3), T(0.8);
  const auto& out = layer.forward(x);
  REQUIRE(out.rows() == 1);
  REQUIRE(out.cols() == 3);
  // By hand: 2.1·0.5 + 1.7·(−0.2) + 3.3·0.9 + 0.8·(−0.3) + 1.5 = 1.05 − 0.34 + 2.97 − 0.24 + 1.5 = 4.94
  //          2.1·0.7 + 1.7·0.4 + 3.3·(−0.6) + 0.8·0.8 + 2.2 = 1.47 + 0.68 − 1.98 + 0.64 + 2.2 = 3.01
  //          2.1·(−0.1) + 1.7·0.6 + 3.3·0.2 + 0.8·(−0.7) + 0.9 = −0.21 + 1.02 + 0.66 − 0.56 + 0.9 = 1.81
  const double eps = std::is_same_v<T, float> ? 1e-6 : 1e-14;
  CHECK_THAT(static_cast<double>(out(0, 0)), WithinRel(4.94, eps));
  CHECK_THAT(static_cast<double>(out(0, 1)), WithinRel(3.01, eps));
  CHECK_THAT(static_cast<double>(out(0, 2)), WithinRel(1.81, eps));
}

TEMPLATE_TEST_CASE("Dense reproduces the book's chapter 2 batch", "[dense][book]", float, double) {
  using T = TestType;
  const nnfs::NumericsScope mode(GENERATE(nnfs::Numerics::fast, nnfs::Numerics::book));
  nnfs::Matrix<T> inputs(3, 4);
  inputs << T(1), T(2), T(3), T(2.5), T(2), T(5), T(-1), T(2), T(-1.5), T(2.7), T(3.3), T(-0.8);
  nnfs::Matrix<double> w(3, 4);
  w << 0.2, 0.8, -0.5, 1, 0.5, -0.91, 0.26, -0.5, -0.26, -0.27, 0.17, 0.87;
  nnfs::Matrix<double> b(1, 3);
  b << 2, 3, 0.5;
  nnfs::Dense<T> layer(w.transpose(), b);
  layer.forward(inputs);
  // The book prints [[4.8 1.21 2.385] [8.9 -1.81 0.2] [1.41 1.051 0.026]]; by hand, row 0:
  // 1·0.2 + 2·0.8 + 3·(−0.5) + 2.5·1 + 2 = 4.8, 1·0.5 + 2·(−0.91) + 3·0.26 + 2.5·(−0.5) + 3 = 1.21, ...
  const double expected[3][3] = {{4.8, 1.21, 2.385}, {8.9, -1.81, 0.2}, {1.41, 1.051, 0.026}};
  const double eps = std::is_same_v<T, float> ? 2e-6 : 1e-13;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) CHECK_THAT(static_cast<double>(layer.output(i, j)), WithinAbs(expected[i][j], eps));
}

TEMPLATE_TEST_CASE("Dense initialises weights as 0.01·randn in NumPy's order, biases as zeros", "[dense]", float,
                   double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  nnfs::Dense<T> layer(2, 3, rng);
  REQUIRE(layer.weights.rows() == 2);
  REQUIRE(layer.weights.cols() == 3);
  REQUIRE(layer.biases.rows() == 1);
  REQUIRE(layer.biases.cols() == 3);
  CHECK(layer.biases.isZero(0));
  // np.random.seed(0); np.random.randn(6) (book-numerics.md, section 2), row-major fill
  const double draws[6] = {1.764052345967664,  0.4001572083672233, 0.9787379841057392,
                           2.240893199201458,  1.8675579901499675, -0.977277879876411};
  for (int k = 0; k < 6; ++k) {
    // NumPy under nnfs.init(): float32(0.01) * float32(draw); in float64: 0.01 * draw.
    const T expected = static_cast<T>(0.01) * static_cast<T>(draws[k]);
    CHECK(layer.weights.data()[k] == expected);
  }
  if constexpr (std::is_same_v<T, float>) {
    CHECK(layer.weights(0, 0) == 0.017640524f);  // np.float32(0.01) * np.float32(1.764052345967664)
    CHECK(layer.weights(0, 1) == 0.0040015723f);
  }
}

TEST_CASE("Dense draws from the default generator that nnfs::init() seeds", "[dense][core]") {
  const nnfs::NumericsScope restore(nnfs::numerics());
  nnfs::init();
  nnfs::Dense<float> a(2, 3);
  nnfs::init();
  nnfs::Dense<float> b(2, 3);
  CHECK(a.weights == b.weights);
  CHECK(a.weights(0, 0) == 0.017640524f);
}

TEMPLATE_TEST_CASE("Dense forward on the book's spiral batch matches NumPy", "[dense][book]", float, double) {
  using T = TestType;
  const bool is_float = std::is_same_v<T, float>;
  const auto golden = nnfs_test::read_arrays(is_float ? "layers_book_100_3_3.txt" : "layers_double_100_3_3.txt");
  // golden: W1, out1, relu, W2, out2, ... — recompute out1 from relu's inputs is impossible, so
  // take X from the dataset file shared with the forward-pass test: out1 = X·W1 needs X. Use the
  // second layer instead: out2 = relu · W2 + 0, with relu and W2 both in the file.
  const auto relu = nnfs_test::as_matrix<T>(golden.at(2));
  const auto w2 = nnfs_test::as_matrix<T>(golden.at(3));
  const auto out2 = nnfs_test::as_matrix<T>(golden.at(4));
  nnfs::Dense<T> layer(w2, nnfs::Matrix<T>::Zero(1, w2.cols()));
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::book);
    layer.forward(relu);
    if (is_float) {
      CHECK(layer.output == out2);  // bit for bit: double-accumulated dot rounded once
    } else {
      for (nnfs::Index i = 0; i < out2.size(); ++i)
        CHECK_THAT(static_cast<double>(layer.output.data()[i]), WithinRel(static_cast<double>(out2.data()[i]), 1e-12));
    }
  }
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::fast);
    layer.forward(relu);
    const double scale = static_cast<double>(out2.cwiseAbs().maxCoeff());
    for (nnfs::Index i = 0; i < out2.size(); ++i)
      CHECK_THAT(static_cast<double>(layer.output.data()[i]),
                 WithinAbs(static_cast<double>(out2.data()[i]), (is_float ? 1e-6 : 1e-14) * scale));
  }
}

TEMPLATE_TEST_CASE("Dense keeps its inputs and reuses its buffers", "[dense]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(1);
  nnfs::Dense<T> layer(4, 5, rng);
  const nnfs::Matrix<T> x1 = rng.randn<T>(8, 4);
  const nnfs::Matrix<T> x2 = rng.randn<T>(8, 4);
  layer.forward(x1);
  const T* out_ptr = layer.output.data();
  const T* in_ptr = layer.inputs().data();
  layer.forward(x2);
  CHECK(layer.output.data() == out_ptr);
  CHECK(layer.inputs().data() == in_ptr);
  CHECK(layer.inputs() == x2);
  // a different batch size is fine too
  layer.forward(rng.randn<T>(3, 4));
  CHECK(layer.output.rows() == 3);
}

TEMPLATE_TEST_CASE("Dense forward(inputs, false) gives forward(inputs)'s bits, keeps no inputs, refuses backward",
                   "[dense]", float, double) {
  using T = TestType;
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    INFO((mode == nnfs::Numerics::book ? "book" : "fast") << " numerics");
    nnfs::RandomState rng(3);
    nnfs::Dense<T> layer(784, 16, rng);
    // More rows than one block of book mode's widening to double (480), and a last partial one.
    const nnfs::Matrix<T> x = rng.randn<T>(1000, 784);
    const nnfs::Matrix<T> small = rng.randn<T>(6, 784);
    layer.forward(small);
    const nnfs::Matrix<T> kept = layer.inputs();
    const nnfs::Matrix<T> trained_output = layer.forward(x);
    const nnfs::Matrix<T> evaluated = layer.forward(x, false);
    CHECK(nnfs_test::same_bits(evaluated, trained_output));
    // A block of rows of the caller's matrix, read in place too.
    const nnfs::Matrix<T> rows = layer.forward(x.middleRows(17, 500), false);
    CHECK(nnfs_test::same_bits(rows, nnfs::Matrix<T>(trained_output.middleRows(17, 500))));
    // Nothing kept: inputs() is still the last training forward's, and backward refuses.
    CHECK(layer.inputs().rows() == 1000);
    NNFS_REQUIRE_THROWS_WITH(std::logic_error, layer.backward(nnfs::Matrix<T>::Ones(500, 16)), "Dense::backward",
                             "forward(inputs, false)", "keeps no inputs");
    // forward(inputs, true) is forward(inputs): kept again, and backward works.
    layer.forward(small, true);
    CHECK(layer.inputs() == kept);
    layer.backward(nnfs::Matrix<T>::Ones(6, 16));
    CHECK(layer.dinputs.rows() == 6);
    // Its own output as inputs (an alias) is copied first, as forward(inputs) does.
    nnfs::Dense<T> square(16, 16, rng);
    square.forward(layer.output);
    const nnfs::Matrix<T> expected = nnfs::Matrix<T>(square.forward(square.output));
    square.forward(layer.output);
    CHECK(nnfs_test::same_bits(square.forward(square.output, false), expected));
  }
}

TEMPLATE_TEST_CASE("Dense rejects bad shapes with messages that name them", "[dense][errors]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  nnfs::Dense<T> layer(2, 3, rng);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, layer.forward(nnfs::Matrix<T>::Zero(5, 4)), "4 columns",
                           "5\u00d74", "expects 2 inputs", "2\u00d73");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, layer.forward(nnfs::Matrix<T>(0, 2)), "empty batch", "0\u00d72");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (nnfs::Dense<T>(0, 3, rng)), "n_inputs=0");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (nnfs::Dense<T>(2, -1, rng)), "n_neurons=-1");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           (nnfs::Dense<T>(nnfs::Matrix<T>::Zero(2, 3), nnfs::Matrix<T>::Zero(1, 4))), "1\u00d73",
                           "1\u00d74");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           (nnfs::Dense<T>(nnfs::Matrix<T>::Zero(2, 3), nnfs::Matrix<T>::Zero(3, 1))), "3\u00d71");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (nnfs::Dense<T>(nnfs::Matrix<T>(0, 3), nnfs::Matrix<T>(1, 3))),
                           "non-empty", "0\u00d73");
  // the public parameters can be replaced; forward re-checks them
  layer.biases = nnfs::Matrix<T>::Zero(1, 2);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, layer.forward(nnfs::Matrix<T>::Zero(5, 2)), "biases 1\u00d72",
                           "weights 2\u00d73");
}
