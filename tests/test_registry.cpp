// The one table of kinds (issue 12): layers, losses, accuracies and optimizers each have a
// registry, the book's kinds are its first entries, and a kind of your own registered with the
// same call is trained, summarised, saved and loaded like them.
#include "nnfs_catch.hpp"

#include <nnfs/io/model_file.hpp>
#include <nnfs/nnfs.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <typeinfo>

namespace registry_test {

/// Plain SGD with a fixed step: θ ← θ − step·g.
class FixedStep {
 public:
  explicit FixedStep(double step) : step_(step) {}
  void pre_update_params() {}
  template <class T>
  void update(const nnfs::Parameter<T>& p) {
    *p.value -= static_cast<T>(step_) * *p.gradient;
  }
  void post_update_params() { ++iterations_; }
  double learning_rate() const { return step_; }
  double current_learning_rate() const { return step_; }
  double decay() const { return 0.0; }
  std::int64_t iterations() const { return iterations_; }
  void restore_state(std::int64_t iterations, double /*current_learning_rate*/) { iterations_ = iterations; }

 private:
  double step_;
  std::int64_t iterations_ = 0;
};

/// A prediction within 1 of its target is right.
class WithinOne : public nnfs::Accuracy {
 public:
  template <class D>
  void init(const Eigen::MatrixBase<D>& /*y*/, bool /*reinit*/ = false) {}
  template <class DP, class DT>
  double calculate(const Eigen::MatrixBase<DP>& predictions, const Eigen::MatrixBase<DT>& y) {
    nnfs::Index correct = 0;
    for (nnfs::Index i = 0; i < predictions.rows(); ++i)
      for (nnfs::Index j = 0; j < predictions.cols(); ++j)
        if (std::abs(static_cast<double>(predictions(i, j)) - static_cast<double>(y(i, j))) < 1.0) ++correct;
    return record(correct, predictions.size());
  }
};

void register_kinds() {
  nnfs::register_optimizer<float, FixedStep>(
      "FixedStep", {}, [](const nnfs::Settings& s) { return FixedStep(nnfs::setting(s, "learning_rate")); });
  nnfs::register_accuracy<double, WithinOne>("WithinOne");
}

template <class T, class Kind>
void require_builtin(const Kind* kind, const std::type_info& type) {
  REQUIRE(kind != nullptr);
  CHECK(kind->builtin);
  CHECK(kind->type == std::type_index(type));
}

/// The header of `bytes` with the first `from` replaced by `to`, reassembled (CRC and all).
std::string replaced(const nnfs::Model<float>& model, const std::string& from, const std::string& to) {
  auto image = nnfs::detail::model_file_image(nnfs::detail::model_file_contents(model, false));
  const std::size_t at = image.header.find(from);
  REQUIRE(at != std::string::npos);
  image.header.replace(at, from.size(), to);
  return nnfs::detail::model_file_assemble(image);
}

nnfs::Model<float> small_classifier() {
  nnfs::Model<float> model;
  nnfs::Matrix<float> w(2, 3);
  w << 0.5f, -0.25f, 0.125f, -0.5f, 0.75f, 0.25f;
  model.add(nnfs::Dense<float>(w, nnfs::Matrix<float>::Zero(1, 3)));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.01), nnfs::CategoricalAccuracy());
  model.finalize();
  return model;
}

}  // namespace registry_test

TEST_CASE("the book's kinds are entries of the registries, found by name and by class", "[registry]") {
  using registry_test::require_builtin;
  require_builtin<float>(nnfs::find_layer_kind<float>("Dense"), typeid(nnfs::Dense<float>));
  require_builtin<float>(nnfs::find_layer_kind<float>("ReLU"), typeid(nnfs::ReLU<float>));
  require_builtin<float>(nnfs::find_layer_kind<float>("Dropout"), typeid(nnfs::Dropout<float>));
  require_builtin<float>(nnfs::find_layer_kind<float>("Softmax"), typeid(nnfs::Softmax<float>));
  require_builtin<float>(nnfs::find_layer_kind<float>("Sigmoid"), typeid(nnfs::Sigmoid<float>));
  require_builtin<double>(nnfs::find_layer_kind<double>("Linear"), typeid(nnfs::Linear<double>));
  CHECK(nnfs::find_layer_kind<double>(std::type_index(typeid(nnfs::Dense<double>)))->name == "Dense");
  CHECK(nnfs::find_layer_kind<float>(std::type_index(typeid(nnfs::Dense<double>))) == nullptr);

  require_builtin<float>(nnfs::find_loss_kind<float>("CategoricalCrossentropy"),
                         typeid(nnfs::CategoricalCrossentropy<float>));
  require_builtin<float>(nnfs::find_loss_kind<float>("BinaryCrossentropy"), typeid(nnfs::BinaryCrossentropy<float>));
  require_builtin<float>(nnfs::find_loss_kind<float>("MeanSquaredError"), typeid(nnfs::MeanSquaredError<float>));
  require_builtin<float>(nnfs::find_loss_kind<float>("MeanAbsoluteError"), typeid(nnfs::MeanAbsoluteError<float>));
  CHECK(nnfs::find_loss_kind<double>(std::type_index(typeid(nnfs::MeanSquaredError<double>)))->name ==
        "MeanSquaredError");

  require_builtin<float>(nnfs::find_accuracy_kind<float>("categorical"), typeid(nnfs::CategoricalAccuracy));
  require_builtin<float>(nnfs::find_accuracy_kind<float>("binary"), typeid(nnfs::CategoricalAccuracy));
  require_builtin<float>(nnfs::find_accuracy_kind<float>("regression"), typeid(nnfs::RegressionAccuracy));

  require_builtin<float>(nnfs::find_optimizer_kind<float>("SGD"), typeid(nnfs::SGD));
  require_builtin<float>(nnfs::find_optimizer_kind<float>("Adagrad"), typeid(nnfs::Adagrad));
  require_builtin<float>(nnfs::find_optimizer_kind<float>("RMSprop"), typeid(nnfs::RMSprop));
  require_builtin<double>(nnfs::find_optimizer_kind<double>("Adam"), typeid(nnfs::Adam));
  CHECK(nnfs::find_optimizer_kind<float>(std::type_index(typeid(nnfs::Adam)))->name == "Adam");
  CHECK(nnfs::find_optimizer_kind<float>("Nadam") == nullptr);

  // A model's parts name themselves through the registries.
  nnfs::Model<float> model = registry_test::small_classifier();
  CHECK(model.layer(0).name() == "Dense");
  CHECK(model.layer(1).name() == "Softmax");
  CHECK(model.loss()->name() == "CategoricalCrossentropy");
  CHECK(model.optimizer()->name() == "Adam");
  CHECK(model.accuracy()->name() == "categorical");
  model.set(nnfs::CategoricalAccuracy(true));
  CHECK(model.accuracy()->name() == "binary");
  CHECK(model.accuracy()->describe() == "CategoricalAccuracy(binary)");
}

TEST_CASE("registering a kind of your own under a built-in name throws", "[registry][errors]") {
  using registry_test::FixedStep;
  using registry_test::WithinOne;
  const auto make = [](const nnfs::Settings&) { return FixedStep(0.1); };
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (nnfs::register_optimizer<float, FixedStep>("Adam", {}, make)),
                           "register_optimizer", "'Adam' is the name of a built-in optimizer");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (nnfs::register_accuracy<double, WithinOne>("regression")),
                           "register_accuracy", "'regression' is the name of a built-in accuracy");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           nnfs::register_loss<nnfs::MeanSquaredError<double>>("MSE"), "register_loss",
                           "already registered as 'MeanSquaredError'");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (nnfs::register_optimizer<float, FixedStep>("Fixed step", {}, make)),
                           "'Fixed step' is not a kind name");
  CHECK(nnfs::find_optimizer_kind<float>("Adam")->type == std::type_index(typeid(nnfs::Adam)));
}

TEST_CASE("an optimizer of your own: trained with, saved with its state, loaded", "[registry][model_file]") {
  registry_test::register_kinds();
  nnfs::Model<float> model;
  nnfs::Matrix<float> w(2, 3);
  w << 0.5f, -0.25f, 0.125f, -0.5f, 0.75f, 0.25f;
  model.add(nnfs::Dense<float>(w, nnfs::Matrix<float>::Zero(1, 3)));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), registry_test::FixedStep(0.125));
  model.finalize();
  nnfs::Matrix<float> X(4, 2);
  X << 1, 0, 0, 1, 1, 1, -1, 0.5f;
  nnfs::Labels y(4);
  y << 0, 1, 2, 1;

  // Its update is the one applied: weights − step·dweights.
  model.train_on_batch(X, y);
  const auto& dense = model.layer_as<nnfs::Dense<float>>(0);
  const nnfs::Matrix<float> expected = w - 0.125f * dense.dweights;
  CHECK(dense.weights == expected);
  model.train_on_batch(X, y);
  CHECK(model.optimizer()->name() == "FixedStep");
  CHECK(model.summary().find("optimizer: FixedStep(learning_rate 0.125, decay 0)") != std::string::npos);

  const std::string bytes = model.to_bytes(true);
  CHECK(bytes.find("optimizer FixedStep learning_rate=0.125 decay=0 iterations=2 current_learning_rate=0.125\n") !=
        std::string::npos);
  auto loaded = nnfs::Model<float>::from_bytes(bytes);
  REQUIRE(loaded.optimizer() != nullptr);
  CHECK(loaded.optimizer()->name() == "FixedStep");
  CHECK(loaded.optimizer()->iterations() == 2);
  CHECK(loaded.optimizer()->learning_rate() == 0.125);
  CHECK(loaded.to_bytes(true) == bytes);
  // Both go on the same way.
  model.train_on_batch(X, y);
  loaded.train_on_batch(X, y);
  CHECK(loaded.layer_as<nnfs::Dense<float>>(0).weights == model.layer_as<nnfs::Dense<float>>(0).weights);
  CHECK(loaded.optimizer()->iterations() == 3);
}

TEST_CASE("an accuracy of your own: measured, saved and loaded", "[registry][model_file]") {
  registry_test::register_kinds();
  nnfs::Model<double> model;
  nnfs::Matrix<double> w(1, 1);
  w << 2.0;
  model.add(nnfs::Dense<double>(w, nnfs::Matrix<double>::Zero(1, 1)));
  model.add(nnfs::Linear<double>());
  model.set(nnfs::MeanSquaredError<double>(), nnfs::SGD(0.01), registry_test::WithinOne());
  model.finalize();
  nnfs::Matrix<double> X(4, 1);
  X << 0, 1, 2, 3;
  nnfs::Matrix<double> y(4, 1);
  y << 0.5, 1.5, 3.5, 7.5;  // predictions 0, 2, 4, 6: within 1 for the first three
  CHECK(model.evaluate(X, y, 0, false).accuracy == 0.75);
  CHECK(model.accuracy()->name() == "WithinOne");
  const std::string bytes = model.to_bytes();
  CHECK(bytes.find("\naccuracy WithinOne\n") != std::string::npos);
  auto loaded = nnfs::Model<double>::from_bytes(bytes);
  CHECK(loaded.accuracy()->name() == "WithinOne");
  CHECK(loaded.evaluate(X, y, 0, false).accuracy == 0.75);
}

TEST_CASE("a file naming a kind this program does not know is refused, naming it", "[registry][model_file][errors]") {
  const nnfs::Model<float> model = registry_test::small_classifier();
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           nnfs::Model<float>::from_bytes(registry_test::replaced(model, "layer Softmax", "layer Maxout")),
                           "unknown layer kind 'Maxout'", "Dense, ReLU, Dropout, Softmax, Sigmoid, Linear");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           nnfs::Model<float>::from_bytes(
                               registry_test::replaced(model, "loss CategoricalCrossentropy", "loss Hinge")),
                           "unknown loss 'Hinge'", "CategoricalCrossentropy");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           nnfs::Model<float>::from_bytes(registry_test::replaced(model, "optimizer Adam", "optimizer Nadam")),
                           "unknown optimizer 'Nadam'", "SGD, Adagrad, RMSprop, Adam", "nnfs::register_optimizer");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           nnfs::Model<float>::from_bytes(
                               registry_test::replaced(model, "accuracy categorical", "accuracy top5")),
                           "unknown accuracy 'top5'", "categorical, binary, regression");
}

TEST_CASE("the book's kinds start without factories, and reading a model file adds them to the same entries",
          "[registry]") {
  // A registry of its own, seeded as layer_registry<T>() is: names, classes and file rules, but
  // no factory, so a program compiles only the layers it adds.
  nnfs::LayerRegistry<double> layers;
  nnfs::detail::register_builtin_layers<double, false>(layers);
  REQUIRE(layers.kinds().size() == 6);
  for (const auto& kind : layers.kinds()) {
    INFO(kind.name);
    CHECK(kind.builtin);
    CHECK(kind.file.has_value());
    CHECK_FALSE(kind.make);
  }
  // What nnfs/io/model_file.hpp does before reading: the same entries get their factories.
  nnfs::detail::register_builtin_layers<double, true>(layers);
  REQUIRE(layers.kinds().size() == 6);
  for (const auto& kind : layers.kinds()) {
    INFO(kind.name);
    REQUIRE(kind.make);
    const auto layer = kind.make(kind.name == "Dense"     ? nnfs::Settings{{"inputs", 2}, {"neurons", 3}, {"weight_l1", 0},
                                                                          {"weight_l2", 0}, {"bias_l1", 0}, {"bias_l2", 0}}
                                 : kind.name == "Dropout" ? nnfs::Settings{{"rate", 0.25}}
                                                          : nnfs::Settings{});
    CHECK(layer->type() == kind.type);
  }

  nnfs::OptimizerRegistry<float> optimizers;
  nnfs::detail::register_builtin_optimizers<float, false>(optimizers);
  CHECK_FALSE(optimizers.find("Adam")->make);
  nnfs::detail::register_builtin_optimizers<float, true>(optimizers);
  REQUIRE(optimizers.kinds().size() == 4);
  const auto adam = optimizers.find("Adam")->make(
      {{"learning_rate", 0.01}, {"decay", 0}, {"epsilon", 1e-7}, {"beta_1", 0.9}, {"beta_2", 0.999}});
  CHECK(adam->name() == "Adam");

  // The program's registries: loading any model file leaves every built-in kind with its factory.
  const std::string bytes = registry_test::small_classifier().to_bytes();
  (void)nnfs::Model<float>::from_bytes(bytes);
  for (const auto& kind : nnfs::layer_registry<float>().kinds())
    if (kind.builtin) CHECK(kind.make);
  for (const auto& kind : nnfs::loss_registry<float>().kinds())
    if (kind.builtin) CHECK(kind.make);
  for (const auto& kind : nnfs::accuracy_registry<float>().kinds())
    if (kind.builtin) CHECK(kind.make);
  for (const auto& kind : nnfs::optimizer_registry<float>().kinds())
    if (kind.builtin) CHECK(kind.make);
}
