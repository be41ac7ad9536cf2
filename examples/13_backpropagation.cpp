// 13 — One forward and one backward pass (book chapter 9).
//
// Backpropagation applies the chain rule from the loss back to every parameter:
//   softmax+CCE:  dz2 = (ŷ − onehot(y)) / N
//   dense2:       dW2 = a1ᵀ·dz2,  db2 = Σ dz2,  da1 = dz2·W2ᵀ
//   ReLU:         dz1 = da1 ⊙ [z1 > 0]
//   dense1:       dW1 = Xᵀ·dz1,   db1 = Σ dz1
// It prints the forward result and then the gradients, as the book does.
#include "example_main.hpp"

#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

namespace {

int run() {
  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3);

  nnfs::Dense<float> dense1(2, 3);
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(3, 3);
  nnfs::SoftmaxCategoricalCrossentropy<float> loss_activation;

  dense1.forward(X);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  const float loss = loss_activation.forward(dense2.output, y);

  fmt::print("{}\n", nnfs::np(loss_activation.output().topRows(5)));
  fmt::print("loss: {}\n", nnfs::repr(loss));
  fmt::print("acc: {}\n", nnfs::repr(nnfs::accuracy(loss_activation.output(), y)));

  loss_activation.backward(loss_activation.output(), y);
  dense2.backward(loss_activation.dinputs);
  activation1.backward(dense2.dinputs);
  dense1.backward(activation1.dinputs);

  fmt::print("{}\n{}\n{}\n{}\n", nnfs::np(dense1.dweights), nnfs::np(dense1.dbiases), nnfs::np(dense2.dweights),
             nnfs::np(dense2.dbiases));
  return 0;
}

}  // namespace

int main() { return example::guarded_main(run); }
