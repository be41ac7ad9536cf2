// The whole forward pass of the book's chapter 5 (and the walk's 5-class variant), layer by
// layer against NumPy: bit for bit in book mode, to rounding in float64 and in fast mode.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/nnfs.hpp>

#include <string>

namespace {

struct Pass {
  nnfs::Matrix<float> out1, relu, out2, probs;
  nnfs::Vector<float> sample_losses;
  float loss = 0;
  double acc = 0;
};

template <class T>
struct Result {
  nnfs::Matrix<T> W1, out1, relu, W2, out2, probs;
  nnfs::Vector<T> sample_losses;
  T loss{};
  double acc = 0;
};

template <class T>
Result<T> run(nnfs::Index samples, nnfs::Index classes, nnfs::Index neurons, nnfs::RandomState& rng) {
  const auto [X, y] = nnfs::datasets::spiral_data<T>(samples, classes, rng);
  nnfs::Dense<T> dense1(2, neurons, rng);
  nnfs::ReLU<T> activation1;
  nnfs::Dense<T> dense2(neurons, classes, rng);
  nnfs::Softmax<T> activation2;
  nnfs::CategoricalCrossentropy<T> loss_function;
  dense1.forward(X);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  activation2.forward(dense2.output);
  Result<T> r;
  r.W1 = dense1.weights;
  r.out1 = dense1.output;
  r.relu = activation1.output;
  r.W2 = dense2.weights;
  r.out2 = dense2.output;
  r.probs = activation2.output;
  r.loss = loss_function.calculate(activation2.output, y);
  r.sample_losses = loss_function.sample_losses();
  r.acc = nnfs::accuracy(activation2.output, y);
  return r;
}

template <class T, class M>
void require_close(const M& actual, const nnfs::Matrix<T>& expected, double rel, double abs, const char* what) {
  INFO(what);
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  long bad = 0;
  for (nnfs::Index i = 0; i < expected.size(); ++i) {
    const double a = static_cast<double>(actual.data()[i]);
    const double e = static_cast<double>(expected.data()[i]);
    if (std::abs(a - e) > abs + rel * std::abs(e)) ++bad;
  }
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("the book's forward pass, layer by layer, bit for bit in book mode", "[forward][book]") {
  const nnfs::NumericsScope mode(nnfs::Numerics::book);
  for (const auto& [samples, classes, neurons] :
       {std::tuple<int, int, int>{100, 3, 3}, {100, 5, 5}, {50, 4, 7}}) {
    const std::string file = "layers_book_" + std::to_string(samples) + "_" + std::to_string(classes) + "_" +
                             std::to_string(neurons) + ".txt";
    INFO(file);
    const auto g = nnfs_test::read_arrays(file);
    nnfs::RandomState rng(0);
    const auto r = run<float>(samples, classes, neurons, rng);
    CHECK(r.W1 == nnfs_test::as_matrix<float>(g.at(0)));
    CHECK(r.out1 == nnfs_test::as_matrix<float>(g.at(1)));
    CHECK(r.relu == nnfs_test::as_matrix<float>(g.at(2)));
    CHECK(r.W2 == nnfs_test::as_matrix<float>(g.at(3)));
    CHECK(r.out2 == nnfs_test::as_matrix<float>(g.at(4)));
    CHECK(r.probs == nnfs_test::as_matrix<float>(g.at(5)));
    CHECK(r.sample_losses == nnfs_test::as_matrix<float>(g.at(6)));
    CHECK(r.loss == static_cast<float>(g.at(7).values.at(0)));
    CHECK(r.acc == g.at(8).values.at(0));
  }
}

TEST_CASE("the book's printed chapter 3-5 values come out after nnfs::init()", "[forward][book]") {
  const nnfs::NumericsScope restore(nnfs::numerics());
  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3);
  nnfs::Dense<float> dense1(2, 3);
  dense1.forward(X);
  // chapter 3: rows 1-2 of dense1.output
  CHECK(dense1.output(1, 0) == -1.0475188e-04f);
  CHECK(dense1.output(1, 1) == 1.1395361e-04f);
  CHECK(dense1.output(1, 2) == -4.7983500e-05f);
  CHECK(dense1.output(2, 0) == -2.7414842e-04f);
  CHECK(dense1.output(2, 1) == 3.1729150e-04f);
  CHECK(dense1.output(2, 2) == -8.6921798e-05f);
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(3, 3);
  nnfs::Softmax<float> activation2;
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  activation2.forward(dense2.output);
  // chapters 4-5: first rows of the softmax output, loss and accuracy
  CHECK(activation2.output(0, 0) == 0.33333334f);
  CHECK(activation2.output(1, 0) == 0.33333316f);
  CHECK(activation2.output(1, 1) == 0.3333332f);
  CHECK(activation2.output(1, 2) == 0.33333364f);
  CHECK(activation2.output(2, 0) == 0.33333287f);
  CHECK(activation2.output(2, 1) == 0.3333329f);
  CHECK(activation2.output(2, 2) == 0.33333418f);
  nnfs::CategoricalCrossentropy<float> loss;
  CHECK(loss.calculate(activation2.output, y) == 1.0986104f);
  CHECK(nnfs::accuracy(activation2.output, y) == 0.34);
}

TEST_CASE("the forward pass in float64 matches NumPy's float64 program", "[forward]") {
  for (const auto mode : {nnfs::Numerics::fast, nnfs::Numerics::book}) {
    const nnfs::NumericsScope scope(mode);
    const auto g = nnfs_test::read_arrays("layers_double_100_3_3.txt");
    nnfs::RandomState rng(0);
    const auto r = run<double>(100, 3, 3, rng);
    CHECK(r.W1 == nnfs_test::as_matrix<double>(g.at(0)));  // 0.01·randn is exact arithmetic on the same draws
    require_close(r.out1, nnfs_test::as_matrix<double>(g.at(1)), 1e-13, 1e-300, "out1");
    require_close(r.probs, nnfs_test::as_matrix<double>(g.at(5)), 1e-13, 1e-300, "probs");
    CHECK_THAT(r.loss, WithinRel(g.at(7).values.at(0), 1e-13));
    CHECK(r.acc == g.at(8).values.at(0));
  }
}

TEST_CASE("the fast float path agrees with the book path to float rounding", "[forward][fast]") {
  Result<float> book;
  Result<float> fast;
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::book);
    nnfs::RandomState rng(0);
    book = run<float>(100, 5, 5, rng);
  }
  {
    const nnfs::NumericsScope mode(nnfs::Numerics::fast);
    nnfs::RandomState rng(0);
    fast = run<float>(100, 5, 5, rng);
  }
  CHECK(fast.W1 == book.W1);  // same draws, same rounding: initialisation does not depend on the mode
  require_close(fast.out1, book.out1, 1e-5, 1e-9, "out1");
  require_close(fast.probs, book.probs, 1e-6, 1e-9, "probs");
  CHECK_THAT(static_cast<double>(fast.loss), WithinRel(static_cast<double>(book.loss), 1e-6));
}
