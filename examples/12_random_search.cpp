// 12 — Learning by random search (book chapter 6): the wrong way to train, tried first.
//
// Nudge every weight and bias by 0.05·randn, keep the change if the loss went down, undo it
// otherwise. On the easy vertical data this slowly finds a decent model; on the spiral data it
// gets nowhere, which is why the book moves on to gradients (example 13).
//
// usage: 12_random_search [vertical|spiral]
#include "example_main.hpp"

#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <cstring>

namespace {

int run(int argc, char** argv) {
  const bool spiral = argc > 1 && std::strcmp(argv[1], "spiral") == 0;
  if (argc > 1 && !spiral && std::strcmp(argv[1], "vertical") != 0) {
    fmt::print(stderr, "usage: {} [vertical|spiral]\n", argv[0]);
    return 2;
  }
  nnfs::init();
  const auto [X, y] = spiral ? nnfs::datasets::spiral_data<float>(100, 3) : nnfs::datasets::vertical_data<float>(100, 3);

  nnfs::Dense<float> dense1(2, 3);
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(3, 3);
  nnfs::Softmax<float> activation2;
  nnfs::CategoricalCrossentropy<float> loss_function;
  nnfs::RandomState& rng = nnfs::default_random_state();

  float lowest_loss = 9999999;
  nnfs::Matrix<float> best_dense1_weights = dense1.weights, best_dense1_biases = dense1.biases;
  nnfs::Matrix<float> best_dense2_weights = dense2.weights, best_dense2_biases = dense2.biases;

  for (long iteration = 0; iteration < 10000; ++iteration) {
    // 0.05 * np.random.randn(...): float32(0.05) times float32 draws, in the book's draw order
    dense1.weights += 0.05f * rng.randn<float>(2, 3);
    dense1.biases += 0.05f * rng.randn<float>(1, 3);
    dense2.weights += 0.05f * rng.randn<float>(3, 3);
    dense2.biases += 0.05f * rng.randn<float>(1, 3);

    dense1.forward(X);
    activation1.forward(dense1.output);
    dense2.forward(activation1.output);
    activation2.forward(dense2.output);
    const float loss = loss_function.calculate(activation2.output, y);
    const double accuracy = nnfs::accuracy(activation2.output, y);

    if (loss < lowest_loss) {
      fmt::print("New set of weights found, iteration: {} loss: {} acc: {}\n", iteration, nnfs::repr(loss),
                 nnfs::repr(accuracy));
      best_dense1_weights = dense1.weights;
      best_dense1_biases = dense1.biases;
      best_dense2_weights = dense2.weights;
      best_dense2_biases = dense2.biases;
      lowest_loss = loss;
    } else {  // revert
      dense1.weights = best_dense1_weights;
      dense1.biases = best_dense1_biases;
      dense2.weights = best_dense2_weights;
      dense2.biases = best_dense2_biases;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
