// Layers and losses of your own (docs/extending.md): a class with forward/backward and
// output/dinputs goes into a Model, its parameters() are trained by every optimizer, it shows in
// summary(), and once registered it is saved and loaded by name. The gradient that flows
// through it in a Model is checked against central differences (gradient_check.hpp).
#include "gradient_check.hpp"
#include "nnfs_catch.hpp"
#include "../examples/user_layers.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <array>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

using nnfs_test::quiet;

using example::Gain;
using example::HalfSquaredError;
using example::LeakyReLU;

// A layer of your own that is never registered.
template <class T>
struct Unregistered {
  const nnfs::Matrix<T>& forward(const Eigen::Ref<const nnfs::Matrix<T>>& x) { return output = x; }
  const nnfs::Matrix<T>& backward(const nnfs::Matrix<T>& d) { return dinputs = d; }
  nnfs::Matrix<T> output, dinputs;
};

template <class T>
void register_test_kinds() {
  nnfs::register_layer<LeakyReLU<T>>("TestLeakyReLU",
                                     [](const nnfs::Settings& s) { return LeakyReLU<T>(nnfs::setting(s, "alpha")); });
  nnfs::register_layer<Gain<T>>(
      "TestGain", [](const nnfs::Settings& s) { return Gain<T>(static_cast<nnfs::Index>(nnfs::setting(s, "features"))); });
  nnfs::register_loss<HalfSquaredError<T>>("TestHalfSquaredError");
}

/// Dense(3, 4) – LeakyReLU(0.2) – Gain(4) – Dense(4, 2), half squared error.
template <class T, class Optimizer>
nnfs::Model<T> user_model(Optimizer optimizer, nnfs::RandomState& rng) {
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(3, 4, nnfs::Regularization{}, 0.5, rng));
  model.add(LeakyReLU<T>(0.2));
  Gain<T> gain(4);
  gain.gain << T(0.5), T(1.5), T(-0.75), T(2.0);
  model.add(gain);
  model.add(nnfs::Dense<T>(4, 2, nnfs::Regularization{}, 0.5, rng));
  model.set(HalfSquaredError<T>(), optimizer);
  model.finalize();
  return model;
}

}  // namespace

TEST_CASE("the gradient through a layer of your own in a Model matches central differences", "[user_layer]") {
  nnfs::RandomState rng(7);
  nnfs::Model<double> model = user_model<double>(nnfs::SGD(0.0), rng);  // lr 0: gradients, no update
  const nnfs::Matrix<double> X = rng.randn<double>(6, 3);
  const nnfs::Matrix<double> Y = rng.randn<double>(6, 2);
  // Finite differences need LeakyReLU's inputs clear of its kink at 0.
  const nnfs::Matrix<double> z = model.layer_as<nnfs::Dense<double>>(0).forward(X);
  REQUIRE(z.cwiseAbs().minCoeff() > 0.01);

  model.train(X, Y, quiet<double>(1));
  const nnfs::Matrix<double> dgain = model.layer_as<Gain<double>>(2).dgain;
  const nnfs::Matrix<double> dweights0 = model.layer_as<nnfs::Dense<double>>(0).dweights;
  const auto loss_with = [&](auto& target) {
    return [&model, &target, &X, &Y](const nnfs::Matrix<double>& value) {
      const nnfs::Matrix<double> saved = target;
      target = value;
      const double loss = model.evaluate(X, Y).loss;
      target = saved;
      return loss;
    };
  };
  Gain<double>& gain = model.layer_as<Gain<double>>(2);
  nnfs::Dense<double>& first = model.layer_as<nnfs::Dense<double>>(0);
  const auto gain_report = nnfs_test::check_gradient(loss_with(gain.gain), gain.gain, dgain);
  INFO("gain: " << gain_report);
  REQUIRE(gain_report.max_rel_error < 1e-6);
  // The first Dense's gradient has flowed back through Gain and LeakyReLU.
  const auto dense_report = nnfs_test::check_gradient(loss_with(first.weights), first.weights, dweights0);
  INFO("first Dense weights: " << dense_report);
  REQUIRE(dense_report.max_rel_error < 1e-6);
}

TEST_CASE("every optimizer trains the parameters of a layer of your own in a Model", "[user_layer]") {
  const nnfs::Matrix<double> X = nnfs::RandomState(3).randn<double>(16, 3);
  const nnfs::Matrix<double> Y = nnfs::RandomState(4).randn<double>(16, 2);
  const auto run = [&](auto optimizer) {
    nnfs::RandomState rng(7);
    nnfs::Model<double> model = user_model<double>(optimizer, rng);
    const double before = model.evaluate(X, Y).loss;
    model.train(X, Y, quiet<double>(50));
    INFO(model.summary());
    CHECK(model.layer_as<Gain<double>>(2).gain != nnfs::Matrix<double>(nnfs::Matrix<double>::Ones(1, 4)));
    CHECK(model.layer_as<Gain<double>>(2).gain_state().cache.size() + model.layer_as<Gain<double>>(2).gain_state().momentums.size() >=
          (std::is_same_v<decltype(optimizer), nnfs::SGD> ? 0 : 4));
    CHECK(model.evaluate(X, Y).loss < before);
  };
  SECTION("SGD") { run(nnfs::SGD(0.1)); }
  SECTION("SGD with momentum") { run(nnfs::SGD(0.1, 0.0, 0.9)); }
  SECTION("Adagrad") { run(nnfs::Adagrad(0.1)); }
  SECTION("RMSprop") { run(nnfs::RMSprop(0.01)); }
  SECTION("Adam") { run(nnfs::Adam(0.01)); }
}

TEST_CASE("a layer of your own shows in summary() with its settings and parameter count", "[user_layer]") {
  register_test_kinds<double>();
  nnfs::RandomState rng(7);
  const nnfs::Model<double> model = user_model<double>(nnfs::Adam(), rng);
  const std::string s = model.summary();
  INFO(s);
  // Dense(3, 4): 3·4 + 4 = 16; Gain(4): 4; Dense(4, 2): 4·2 + 2 = 10; total 30.
  CHECK(s.find("TestLeakyReLU(alpha 0.2)") != std::string::npos);
  CHECK(s.find("TestGain(features 4)") != std::string::npos);
  CHECK(s.find("(N, 4)           4") != std::string::npos);
  CHECK(s.find("total parameters: 30") != std::string::npos);
  CHECK(s.find("loss: TestHalfSquaredError") != std::string::npos);
  CHECK(model.parameter_count() == 30);
}

TEMPLATE_TEST_CASE("a registered layer and loss of your own are saved and loaded by name", "[user_layer][model_file]",
                   float, double) {
  using T = TestType;
  register_test_kinds<T>();
  nnfs::RandomState rng(7);
  nnfs::Model<T> model = user_model<T>(nnfs::Adam(0.01), rng);
  const nnfs::Matrix<T> X = rng.randn<T>(8, 3);
  const nnfs::Matrix<T> Y = rng.randn<T>(8, 2);
  nnfs::TrainOptions<T> o;
  o.epochs = 5;
  o.book_log = false;
  model.train(X, Y, o);

  const std::string bytes = model.to_bytes();
  const std::string header = bytes.substr(0, bytes.find("\nend\n"));
  INFO(header);
  CHECK(header.find("\nlayer TestLeakyReLU alpha=0.2\n") != std::string::npos);
  CHECK(header.find("\nlayer TestGain features=4\n") != std::string::npos);
  CHECK(header.find("\narray layer2.gain ") != std::string::npos);
  CHECK(header.find("\nloss TestHalfSquaredError\n") != std::string::npos);

  nnfs::Model<T> loaded = nnfs::Model<T>::from_bytes(bytes);
  REQUIRE(loaded.size() == 4);
  CHECK(loaded.layer(1).name() == "TestLeakyReLU");
  CHECK(loaded.loss()->name() == "TestHalfSquaredError");
  CHECK(loaded.template layer_as<Gain<T>>(2).gain == model.template layer_as<Gain<T>>(2).gain);
  CHECK(loaded.predict(X) == model.predict(X));
  CHECK(loaded.to_bytes() == bytes);
}

TEST_CASE("kinds a program does not know: unknown on load, unregistered on save", "[user_layer][model_file][errors]") {
  register_test_kinds<float>();
  nnfs::RandomState rng(7);
  nnfs::Model<float> model = user_model<float>(nnfs::Adam(0.01), rng);
  const std::string bytes = model.to_bytes();
  SECTION("a layer kind this program has not registered") {
    auto image = nnfs::detail::model_file_image(nnfs::detail::model_file_contents(model, false));
    const std::size_t at = image.header.find("layer TestLeakyReLU alpha=");
    REQUIRE(at != std::string::npos);
    image.header.replace(at, std::string("layer TestLeakyReLU").size(), "layer Swish");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::Model<float>::from_bytes(nnfs::detail::model_file_assemble(image)),
                             "unknown layer kind 'Swish'", "TestLeakyReLU", "nnfs::register_layer");
  }
  SECTION("a loss this program has not registered") {
    auto image = nnfs::detail::model_file_image(nnfs::detail::model_file_contents(model, false));
    const std::size_t at = image.header.find("loss TestHalfSquaredError");
    REQUIRE(at != std::string::npos);
    image.header.replace(at, std::string("loss TestHalfSquaredError").size(), "loss Hinge");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::Model<float>::from_bytes(nnfs::detail::model_file_assemble(image)),
                             "unknown loss 'Hinge'", "TestHalfSquaredError", "nnfs::register_loss");
  }
  SECTION("a registered kind whose settings the factory refuses") {
    auto image = nnfs::detail::model_file_image(nnfs::detail::model_file_contents(model, false));
    const std::size_t at = image.header.find("layer TestGain features=4");
    REQUIRE(at != std::string::npos);
    image.header.replace(at, std::string("layer TestGain features=4").size(), "layer TestGain width=4");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::Model<float>::from_bytes(nnfs::detail::model_file_assemble(image)),
                             "TestGain could not be made", "setting 'features' is missing");
  }
  SECTION("saving a layer of your own that is not registered") {
    nnfs::Model<float> m;
    m.add(nnfs::Dense<float>(2, 2));
    m.add(Unregistered<float>());
    m.finalize();
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)m.to_bytes(), "Model::save: layer 1", "not registered",
                             "nnfs::register_layer");
  }
}

TEST_CASE("register_layer refuses names a model file cannot hold or that are taken", "[user_layer][errors]") {
  register_test_kinds<float>();
  using L = LeakyReLU<float>;
  const auto make = [](const nnfs::Settings&) { return L(); };
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::register_layer<L>("Leaky ReLU", make), "'Leaky ReLU'",
                           "not a kind name");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::register_layer<Unregistered<float>>("ReLU"),
                           "built-in layer");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::register_layer<Unregistered<float>>("TestGain"),
                           "registered for another class");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::register_layer<L>("OtherName", make),
                           "already registered as 'TestLeakyReLU'");
  nnfs::register_layer<L>("TestLeakyReLU", make);  // the same registration again: nothing happens
  CHECK(nnfs::registered_layer_names<float>().size() == 2);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::register_loss<HalfSquaredError<float>>("MeanSquaredError"),
                           "built-in loss");
}

namespace user_affine_test {

/// A layer of your own with the book's two parameters: output = x · weights + biases.
template <class T>
struct Affine {
  Affine(const nnfs::Matrix<T>& w, const nnfs::Matrix<T>& b) : weights(w), biases(b) {}
  const nnfs::Matrix<T>& forward(const Eigen::Ref<const nnfs::Matrix<T>>& x) {
    inputs = x;
    output = (x * weights).rowwise() + biases.row(0);
    return output;
  }
  const nnfs::Matrix<T>& backward(const nnfs::Matrix<T>& d) {
    dweights = inputs.transpose() * d;
    dbiases = d.colwise().sum();
    return dinputs = d * weights.transpose();
  }
  std::array<nnfs::Parameter<T>, 2> parameters() {
    return {nnfs::parameter("weights", weights, dweights, weight_state),
            nnfs::parameter("biases", biases, dbiases, bias_state)};
  }
  nnfs::Index input_width() const { return weights.rows(); }
  nnfs::Index output_width(nnfs::Index) const { return weights.cols(); }
  nnfs::Matrix<T> weights, biases, dweights, dbiases, inputs, output, dinputs;
  nnfs::OptimizerState<T> weight_state, bias_state;
};

}  // namespace user_affine_test

TEST_CASE("a layer of your own with weights and biases: its pair in get/set_parameters, its input width",
          "[user_layer]") {
  using user_affine_test::Affine;
  nnfs::Matrix<double> w(3, 2);
  w << 1, 2, 3, 4, 5, 6;
  nnfs::Matrix<double> b(1, 2);
  b << 0.5, -0.5;
  nnfs::Model<double> model;
  model.add(nnfs::ReLU<double>());
  model.add(Affine<double>(w, b));
  model.finalize();

  CHECK(model.input_width() == 3);  // the first layer that fixes a width, not the first layer
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.predict(nnfs::Matrix<double>::Ones(1, 4)), "Model::predict",
                           "takes 3 inputs");

  const auto pairs = model.get_parameters();
  REQUIRE(pairs.size() == 1);
  CHECK(pairs[0].first == w);
  CHECK(pairs[0].second == b);

  // x = (1, -1, 2): ReLU → (1, 0, 2); · w = (1 + 10, 2 + 12) = (11, 14); + b = (11.5, 13.5).
  nnfs::Matrix<double> x(1, 3);
  x << 1, -1, 2;
  const nnfs::Matrix<double> before = model.predict(x);
  CHECK(before(0, 0) == 11.5);
  CHECK(before(0, 1) == 13.5);
  // Doubled weights and zero biases: (22, 28).
  model.set_parameters({{2.0 * w, nnfs::Matrix<double>::Zero(1, 2)}});
  const nnfs::Matrix<double>& after = model.predict(x);
  CHECK(after(0, 0) == 22.0);
  CHECK(after(0, 1) == 28.0);

  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, model.set_parameters({{w, nnfs::Matrix<double>::Zero(1, 3)}}),
                           "Model::set_parameters", "pair 0: layer 1 (", "biases 1", "given weights 3");
}

TEST_CASE("get/set_parameters refuse a layer whose parameters are not weights and biases, naming it",
          "[user_layer][errors]") {
  nnfs::RandomState rng(3);
  nnfs::Model<float> model = user_model<float>(nnfs::SGD(0.1), rng);
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, model.get_parameters(), "Model::get_parameters", "layer 2",
                           "[gain]");
  const nnfs::Matrix<float> w = model.layer_as<nnfs::Dense<float>>(0).weights;
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, model.set_parameters({}), "Model::set_parameters", "layer 2", "[gain]");
  CHECK(model.layer_as<nnfs::Dense<float>>(0).weights == w);  // nothing changed
}
