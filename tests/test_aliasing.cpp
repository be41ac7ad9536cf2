// Layers on inputs that alias their own buffers: forward(layer.output.topRows(k)) (a block of
// the buffer the call resizes), forward(layer.output), forward(layer.inputs().middleRows(..)),
// Dropout<double> fed its own mask, backward(layer.dinputs) and backward(layer.output).
//
// Each aliased call is compared bit for bit with a twin layer (same weights, same random state)
// given a copy of the same values: aliasing must change nothing. A layer that reads memory its
// own call freed or overwrote gives different bits in a release build and an ASan report in the
// sanitizer builds. Both numerics, float and double.
#include "nnfs_catch.hpp"

#include <nnfs/nnfs.hpp>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>

namespace {

using nnfs::Index;
template <class T>
using Mat = nnfs::Matrix<T>;

constexpr Index kRows = 9;
constexpr Index kCols = 4;

// Values of both signs and several magnitudes, no two alike (Softmax and ReLU see both sides).
template <class T>
Mat<T> inputs_for_test(Index rows, Index cols, double shift) {
  Mat<T> x(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j)
      x(i, j) = static_cast<T>(0.37 * static_cast<double>((i * 7 + j * 3) % 11) - 1.6 + shift + 0.01 * static_cast<double>(i));
  return x;
}

// "" when a and b have the same shape and the same bits, else what differs.
template <class T>
std::string bits_differ(const Mat<T>& a, const Mat<T>& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols())
    return "shapes " + nnfs::shape_str(a) + " and " + nnfs::shape_str(b);
  for (Index i = 0; i < a.size(); ++i)
    if (std::memcmp(a.data() + i, b.data() + i, sizeof(T)) != 0) return "element " + std::to_string(i) + " differs";
  return "";
}


// Runs every aliasing case on layer kind L (one that keeps the width: N×C → N×C).
template <class T, class L, class Forward>
void check_layer(const std::string& name, const std::function<L(nnfs::RandomState&)>& make, Forward fwd) {
  for (const auto numerics : {nnfs::Numerics::book, nnfs::Numerics::fast}) {
    const nnfs::NumericsScope scope(numerics);
    const std::string where = name + (numerics == nnfs::Numerics::book ? " (book numerics)" : " (fast numerics)");
    const Mat<T> X = inputs_for_test<T>(kRows, kCols, 0.0);
    const Mat<T> D = inputs_for_test<T>(kRows, kCols, 0.4);

    // Each case: a fresh pair of twins (a is aliased, b gets copies), both after forward(X).
    auto twins = [&](auto&& body) {
      nnfs::RandomState rng_a(5u), rng_b(5u);
      L a = make(rng_a);
      L b = make(rng_b);
      fwd(a, X);
      fwd(b, X);
      body(a, b);
    };

    SECTION(where + ": forward(output.topRows(k)), a block of the buffer the call resizes") {
      twins([&](L& a, L& b) {
        const Mat<T> copy = a.output.topRows(4);
        fwd(a, a.output.topRows(4));
        fwd(b, copy);
        REQUIRE(bits_differ<T>(a.output, b.output) == "");
      });
    }
    SECTION(where + ": forward(output.middleRows(2, 5))") {
      twins([&](L& a, L& b) {
        const Mat<T> copy = a.output.middleRows(2, 5);
        fwd(a, a.output.middleRows(2, 5));
        fwd(b, copy);
        REQUIRE(bits_differ<T>(a.output, b.output) == "");
      });
    }
    SECTION(where + ": forward(output), the whole buffer") {
      twins([&](L& a, L& b) {
        const Mat<T> copy = a.output;
        fwd(a, a.output);
        fwd(b, copy);
        REQUIRE(bits_differ<T>(a.output, b.output) == "");
      });
    }
    SECTION(where + ": backward(dinputs) and backward(output)") {
      twins([&](L& a, L& b) {
        a.backward(D);
        b.backward(D);
        const Mat<T> copy = a.dinputs;
        a.backward(a.dinputs);
        b.backward(copy);
        REQUIRE(bits_differ<T>(a.dinputs, b.dinputs) == "");
        const Mat<T> out = a.output;
        a.backward(a.output);
        b.backward(out);
        REQUIRE(bits_differ<T>(a.dinputs, b.dinputs) == "");
      });
    }
    SECTION(where + ": backward(dinputs.topRows(k)) is refused, not read after free") {
      twins([&](L& a, L&) {
        a.backward(D);
        CHECK_THROWS_AS(a.backward(a.dinputs.topRows(4)), std::invalid_argument);
      });
    }
  }
}

template <class T, class L>
void check_inputs_alias(const std::string& name, const std::function<L(nnfs::RandomState&)>& make) {
  for (const auto numerics : {nnfs::Numerics::book, nnfs::Numerics::fast}) {
    const nnfs::NumericsScope scope(numerics);
    INFO(name << (numerics == nnfs::Numerics::book ? " (book numerics)" : " (fast numerics)"));
    nnfs::RandomState rng_a(5u), rng_b(5u);
    L a = make(rng_a);
    L b = make(rng_b);
    const Mat<T> X = inputs_for_test<T>(kRows, kCols, 0.0);
    a.forward(X);
    b.forward(X);
    const Mat<T> copy = a.inputs().middleRows(1, 6);
    a.forward(a.inputs().middleRows(1, 6));
    b.forward(copy);
    REQUIRE(bits_differ<T>(a.output, b.output) == "");
    REQUIRE(bits_differ<T>(a.inputs(), b.inputs()) == "");
  }
}

}  // namespace

TEMPLATE_TEST_CASE("every layer gives the same bits on inputs that alias its own buffers", "[aliasing]", float,
                   double) {
  using T = TestType;
  auto plain = [](auto& layer, const auto& x) { layer.forward(x); };

  check_layer<T, nnfs::Dense<T>>(
      "Dense",
      [](nnfs::RandomState&) {
        nnfs::Dense<T> d(kCols, kCols);
        d.weights = inputs_for_test<T>(kCols, kCols, 0.2) * T(0.5);
        d.biases = inputs_for_test<T>(1, kCols, -0.3);
        return d;
      },
      plain);
  check_layer<T, nnfs::ReLU<T>>("ReLU", [](nnfs::RandomState&) { return nnfs::ReLU<T>(); }, plain);
  check_layer<T, nnfs::Softmax<T>>("Softmax", [](nnfs::RandomState&) { return nnfs::Softmax<T>(); }, plain);
  check_layer<T, nnfs::Sigmoid<T>>("Sigmoid", [](nnfs::RandomState&) { return nnfs::Sigmoid<T>(); }, plain);
  check_layer<T, nnfs::Identity<T>>("Identity", [](nnfs::RandomState&) { return nnfs::Identity<T>(); }, plain);
  check_layer<T, nnfs::Dropout<T>>(
      "Dropout (training)", [](nnfs::RandomState& rng) { return nnfs::Dropout<T>(0.3, rng); },
      [](auto& layer, const auto& x) { layer.forward(x, true); });
  check_layer<T, nnfs::Dropout<T>>(
      "Dropout (evaluation)", [](nnfs::RandomState& rng) { return nnfs::Dropout<T>(0.3, rng); },
      [](auto& layer, const auto& x) { layer.forward(x, false); });
}

TEMPLATE_TEST_CASE("layers that keep their inputs give the same bits on a block of inputs()", "[aliasing]", float,
                   double) {
  using T = TestType;
  check_inputs_alias<T, nnfs::ReLU<T>>("ReLU", [](nnfs::RandomState&) { return nnfs::ReLU<T>(); });
  check_inputs_alias<T, nnfs::Softmax<T>>("Softmax", [](nnfs::RandomState&) { return nnfs::Softmax<T>(); });
  check_inputs_alias<T, nnfs::Dense<T>>("Dense", [](nnfs::RandomState&) {
    nnfs::Dense<T> d(kCols, kCols);
    d.weights = inputs_for_test<T>(kCols, kCols, 0.2) * T(0.5);
    d.biases = inputs_for_test<T>(1, kCols, -0.3);
    return d;
  });
}

TEST_CASE("Dropout<double> fed (a block of) its own mask", "[aliasing]") {
  nnfs::RandomState rng_a(9u), rng_b(9u);
  nnfs::Dropout<double> a(0.25, rng_a), b(0.25, rng_b);
  const Mat<double> X = inputs_for_test<double>(kRows, kCols, 0.0);
  a.forward(X);
  b.forward(X);
  const Mat<double> block = a.binary_mask.topRows(5);
  a.forward(a.binary_mask.topRows(5));
  b.forward(block);
  REQUIRE(bits_differ<double>(a.output, b.output) == "");
  REQUIRE(bits_differ<double>(a.binary_mask, b.binary_mask) == "");
  const Mat<double> whole = a.binary_mask;
  a.forward(a.binary_mask);
  b.forward(whole);
  REQUIRE(bits_differ<double>(a.output, b.output) == "");
}

TEMPLATE_TEST_CASE("Dense::backward on its own gradient buffers", "[aliasing]", float, double) {
  using T = TestType;
  for (const auto numerics : {nnfs::Numerics::book, nnfs::Numerics::fast}) {
    const nnfs::NumericsScope scope(numerics);
    // N = in = out, so dweights (in×out) has the shape of dvalues (N×out); then N = 1 for dbiases.
    for (const Index n : {kCols, Index(1)}) {
      INFO("N = " << n << (numerics == nnfs::Numerics::book ? ", book numerics" : ", fast numerics"));
      auto make = [] {
        nnfs::Dense<T> d(kCols, kCols);
        d.weights = inputs_for_test<T>(kCols, kCols, 0.2) * T(0.5);
        d.biases = inputs_for_test<T>(1, kCols, -0.3);
        return d;
      };
      nnfs::Dense<T> a = make();
      nnfs::Dense<T> b = make();
      const Mat<T> X = inputs_for_test<T>(n, kCols, 0.1);
      a.forward(X);
      b.forward(X);
      a.backward(inputs_for_test<T>(n, kCols, 0.4));
      b.backward(inputs_for_test<T>(n, kCols, 0.4));
      Mat<T>& own = n == 1 ? a.dbiases : a.dweights;
      const Mat<T> copy = own;
      a.backward(own);
      b.backward(copy);
      REQUIRE(bits_differ<T>(a.dweights, b.dweights) == "");
      REQUIRE(bits_differ<T>(a.dbiases, b.dbiases) == "");
      REQUIRE(bits_differ<T>(a.dinputs, b.dinputs) == "");
    }
  }
}
