// 19 — The Model class (book chapter 18).
//
// The same spiral classifier as chapters 14–15, now assembled from parts: the model keeps the
// layers in order, runs forward and backward through them, and uses the combined
// softmax/cross-entropy gradient because the last layer is Softmax and the loss is CCE.
//
//     19_model [epochs]        (default 10000; the book's run)
#include "example_args.hpp"
#include "example_main.hpp"

#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

namespace {

int run(int argc, char** argv) {
  const auto epochs = static_cast<std::size_t>(example::positive_arg(argc, argv, 1, 10000, "epochs"));
  nnfs::init();

  // Training and validation data first, then the model (the book's order of random draws).
  const auto [X, y] = nnfs::datasets::spiral_data<float>(1000, 3);
  const auto [X_test, y_test] = nnfs::datasets::spiral_data<float>(100, 3);

  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 512, nnfs::Regularization{0.0, 5e-4, 0.0, 5e-4}));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dropout<float>(0.1));
  model.add(nnfs::Dense<float>(512, 3));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
  model.finalize();

  const nnfs::History history =
      model.train(X, y, epochs, /*batch_size=*/0, /*print_every=*/100, nnfs::Validation<float>(X_test, y_test));

  // Pictures (not printed): what the model predicts across the plane, with the training data on
  // top, and the loss/accuracy/learning-rate curves of the run.
  nnfs::plot::DecisionRegionsOptions regions;
  regions.title = fmt::format("Model (chapter 18): decision regions after {} epochs", epochs);
  nnfs::plot::decision_regions_svg(
      "decision_regions.svg", [&model](const nnfs::Matrix<float>& grid) { return model.predict(grid); }, X, y,
      regions);
  nnfs::plot::TrainingCurvesOptions curves;
  curves.title = "Model (chapter 18) on spiral_data(1000, 3)";
  nnfs::plot::training_curves_svg("training_curves.svg", history, curves);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
