// The program every consumer project builds: a few lines that use nnfs the way a user would,
// check the result and return non-zero on a mismatch. The consumer tests are about packaging
// (headers found, Eigen and {fmt} linked, C++17 propagated); the numbers are the unit tests' job,
// so the checks here are the book's chapter 5 values, which prove every piece was wired in.
#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <cstdio>

int main() {
  nnfs::init();  // seed 0 and the book's numerics, like Python's nnfs.init()

  const auto [X, y] = nnfs::datasets::spiral_data<float>(100, 3);
  nnfs::Dense<float> dense1(2, 3);
  nnfs::ReLU<float> activation1;
  nnfs::Dense<float> dense2(3, 3);
  nnfs::Softmax<float> activation2;
  nnfs::CategoricalCrossentropy<float> loss_function;

  dense1.forward(X);
  activation1.forward(dense1.output);
  dense2.forward(activation1.output);
  activation2.forward(dense2.output);
  const float loss = loss_function.calculate(activation2.output, y);
  const double accuracy = nnfs::accuracy(activation2.output, y);

  fmt::print("{}\nloss: {}\nacc: {}\n", nnfs::np(activation2.output.topRows(2)), nnfs::repr(loss),
             nnfs::repr(accuracy));

  int mismatches = 0;
  if (activation2.output(1, 0) != 0.33333316f) ++mismatches;  // the book's printed values
  if (loss != 1.0986104f) ++mismatches;
  if (accuracy != 0.34) ++mismatches;
  if (mismatches != 0) std::fputs("the forward pass does not reproduce the book's chapter 5 values\n", stderr);
  return mismatches == 0 ? 0 : 1;
}
