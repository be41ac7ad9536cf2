// Layers on inputs that alias their own buffers: forward(layer.output.topRows(k)) (a block of
// the buffer the call resizes), forward(layer.output), forward(layer.inputs().middleRows(..)),
// Dropout<double> fed its own mask, backward(layer.dinputs) and backward(layer.output).
//
// Each aliased call is compared bit for bit with a twin layer (same weights, same random state)
// given a copy of the same values: aliasing must change nothing. A layer that reads memory its
// own call freed or overwrote gives different bits in a release build and an ASan report in the
// sanitizer builds. Both numerics, float and double.
#include "nnfs_catch.hpp"
#include "test_util.hpp"

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

// ------------------------------------------------------------------------------- the Model

namespace {

// A 2 → 2 → 3 classifier: the outputs of its first two layers have the input's width, so they
// can be handed back to it as X.
template <class T>
nnfs::Model<T> feedback_model() {
  nnfs::Model<T> m;
  m.add(nnfs::Dense<T>(2, 2));
  m.add(nnfs::ReLU<T>());
  m.add(nnfs::Dense<T>(2, 3));
  m.add(nnfs::Softmax<T>());
  m.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(0.05, 1e-3), nnfs::CategoricalAccuracy());
  m.finalize();
  return m;
}

// Twin models with the same parameters, both after the same predict, so that every buffer the
// aliased calls below read holds the same values in both.
template <class T>
struct ModelTwins {
  nnfs::Model<T> a = feedback_model<T>();
  nnfs::Model<T> b = feedback_model<T>();
  Mat<T> X = inputs_for_test<T>(30, 2, 0.3);
  nnfs::Labels y = nnfs::Labels::NullaryExpr(30, [](Index i) { return static_cast<std::int32_t>((i * 5) % 3); });
  ModelTwins() {
    b.set_parameters(a.get_parameters());
    a.predict(X);
    b.predict(X);
  }
  void require_same_parameters() {
    const auto pa = a.get_parameters();
    const auto pb = b.get_parameters();
    REQUIRE(pa.size() == pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
      REQUIRE(bits_differ<T>(pa[i].first, pb[i].first) == "");
      REQUIRE(bits_differ<T>(pa[i].second, pb[i].second) == "");
    }
  }
};

}  // namespace

TEMPLATE_TEST_CASE("Model::predict on (a block of) a layer's own output", "[aliasing][model]", float, double) {
  using T = TestType;
  for (const std::size_t layer : {std::size_t{0}, std::size_t{1}}) {
    for (const std::size_t batch : {std::size_t{0}, std::size_t{7}}) {
      INFO("layer " << layer << ", batch size " << batch);
      ModelTwins<T> t;
      const Mat<T> copy = t.b.layer(layer).output().topRows(20);
      const Mat<T> got = t.a.predict(t.a.layer(layer).output().topRows(20), batch);
      REQUIRE(bits_differ<T>(got, t.b.predict(copy, batch)) == "");
    }
  }
}

TEMPLATE_TEST_CASE("Model::train and train_on_batch on a layer's own output and on predicted labels",
                   "[aliasing][model]", float, double) {
  using T = TestType;
  SECTION("X is layer 0's output, batches of 7 (the first batch resizes it)") {
    ModelTwins<T> t;
    const Mat<T> copy = t.b.layer(0).output();
    const nnfs::History ha = t.a.train(t.a.layer(0).output(), t.y, nnfs_test::quiet<T>(3, 7));
    const nnfs::History hb = t.b.train(copy, t.y, nnfs_test::quiet<T>(3, 7));
    REQUIRE(ha.records.size() == hb.records.size());
    REQUIRE(std::memcmp(&ha.records.back().loss, &hb.records.back().loss, sizeof(double)) == 0);
    t.require_same_parameters();
  }
  SECTION("y is the model's own predict_classes result (pseudo-labels)") {
    ModelTwins<T> t;
    const nnfs::Labels copy = t.b.predict_classes(t.X);
    t.a.train(t.X, t.a.predict_classes(t.X), nnfs_test::quiet<T>(2, 7));
    t.b.train(t.X, copy, nnfs_test::quiet<T>(2, 7));
    t.require_same_parameters();
  }
  SECTION("validation data is layer 1's output") {
    ModelTwins<T> t;
    const Mat<T> copy = t.b.layer(1).output();
    nnfs::TrainOptions<T> oa = nnfs_test::quiet<T>(2, 7);
    nnfs::TrainOptions<T> ob = oa;
    oa.validation.emplace(t.a.layer(1).output(), t.y);
    ob.validation.emplace(copy, t.y);
    const nnfs::History ha = t.a.train(t.X, t.y, oa);
    const nnfs::History hb = t.b.train(t.X, t.y, ob);
    REQUIRE(ha.records.back().validation_loss.has_value());
    REQUIRE(std::memcmp(&*ha.records.back().validation_loss, &*hb.records.back().validation_loss, sizeof(double)) == 0);
    t.require_same_parameters();
  }
  SECTION("train_on_batch on layer 1's output") {
    ModelTwins<T> t;
    const Mat<T> copy = t.b.layer(1).output();
    const nnfs::BatchInfo ba = t.a.train_on_batch(t.a.layer(1).output(), t.y);
    const nnfs::BatchInfo bb = t.b.train_on_batch(copy, t.y);
    REQUIRE(std::memcmp(&ba.loss, &bb.loss, sizeof(double)) == 0);
    t.require_same_parameters();
  }
}

TEMPLATE_TEST_CASE("Model::evaluate on a layer's own output and on predicted labels", "[aliasing][model]", float,
                   double) {
  using T = TestType;
  ModelTwins<T> t;
  const Mat<T> x_copy = t.b.layer(1).output();
  const nnfs::Labels y_copy = t.b.predict_classes(t.X);
  const nnfs::Evaluation ea = t.a.evaluate(t.a.layer(1).output(), t.a.predict_classes(t.X), 7, false);
  const nnfs::Evaluation eb = t.b.evaluate(x_copy, y_copy, 7, false);
  REQUIRE(std::memcmp(&ea.loss, &eb.loss, sizeof(double)) == 0);
  REQUIRE(std::memcmp(&ea.accuracy, &eb.accuracy, sizeof(double)) == 0);
}
