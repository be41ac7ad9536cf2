// 22 — A layer and a loss of your own.
//
// A Model holds any class that looks like the book's layers: forward(inputs) → output,
// backward(dvalues) → dinputs, the two matrices public. user_layers.hpp writes three:
//   LeakyReLU    an activation with a setting (alpha), saved in model files;
//   Gain         a layer with a trainable parameter (one gain per feature), which every
//                optimizer trains because it lists it in parameters();
//   HalfSquaredError  a loss, L_i = ½·mean_j (p_ij − t_ij)².
// This program registers them under names (one line each), trains a model that uses all three on the
// book's sine data, saves it, loads it back and checks that the loaded model predicts the same.
// See docs/extending.md.
#include "user_layers.hpp"

#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <cstdio>
#include <string>

using example::Gain;
using example::HalfSquaredError;
using example::LeakyReLU;

int main() {
  nnfs::init();

  // One line per kind: the name model files use, and how to build one from its settings.
  nnfs::register_layer<LeakyReLU<float>>(
      "LeakyReLU", [](const nnfs::Settings& s) { return LeakyReLU<float>(nnfs::setting(s, "alpha")); });
  nnfs::register_layer<Gain<float>>(
      "Gain", [](const nnfs::Settings& s) { return Gain<float>(static_cast<nnfs::Index>(nnfs::setting(s, "features"))); });
  nnfs::register_loss<HalfSquaredError<float>>("HalfSquaredError");

  const auto [X, y] = nnfs::datasets::sine_data<float>(1000);

  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(1, 64));
  model.add(LeakyReLU<float>(0.1));
  model.add(nnfs::Dense<float>(64, 64));
  model.add(LeakyReLU<float>(0.1));
  model.add(nnfs::Dense<float>(64, 1));
  model.add(Gain<float>(1));
  model.set(HalfSquaredError<float>(), nnfs::Adam(0.005, 1e-3));
  model.finalize();
  fmt::print("{}", model.summary());

  const double before = model.evaluate(X, y, 0, /*print=*/false).loss;
  nnfs::TrainOptions<float> options;
  options.epochs = 2000;
  options.book_log = false;
  model.train(X, y, options);
  const double after = model.evaluate(X, y, 0, /*print=*/false).loss;
  fmt::print("the loss fell by more than 10x in 2000 epochs: {}\n", after < before / 10 ? "yes" : "no");
  fmt::print("the gain was trained (it started at 1): {}\n",
             model.layer_as<Gain<float>>(5).gain(0, 0) != 1.0F ? "yes" : "no");

  model.save("user_layers.nnfs");
  nnfs::Model<float> loaded = nnfs::Model<float>::load("user_layers.nnfs");
  fmt::print("the loaded model predicts the same: {}\n", loaded.predict(X) == model.predict(X) ? "yes" : "no");

  // The file's header names the kinds as they were registered.
  std::FILE* f = std::fopen("user_layers.nnfs", "rb");
  char line[256];
  while (f != nullptr && std::fgets(line, sizeof line, f) != nullptr) {
    const std::string text(line);
    if (text.rfind("layer ", 0) == 0 || text.rfind("loss ", 0) == 0) fmt::print("{}", text);
    if (text == "end\n") break;
  }
  if (f != nullptr) std::fclose(f);
}
