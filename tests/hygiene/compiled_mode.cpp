// The compiled mode's promise, checked on an object file: a program linked with nnfs::compiled
// does not compile the library's instances again. This unit is built twice — header-only
// (nnfs_compiled_mode_control) and in the compiled mode (nnfs_compiled_mode_unit) — and
// check_compiled_mode.cmake reads their symbols: the control defines Model<float>'s members, the
// layers' forward and the training loop; the compiled-mode unit must define none of them.
#include <nnfs/nnfs.hpp>

float compiled_mode_unit() {
  const auto [X, y] = nnfs::datasets::spiral_data<float>(10, 3);
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 8));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dropout<float>(0.1));
  model.add(nnfs::Dense<float>(8, 3));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-7), nnfs::CategoricalAccuracy());
  model.finalize();
  model.train(X, y, 2, 0, 0);

  nnfs::Dense<float> dense(2, 3);
  nnfs::ReLU<float> relu;
  relu.forward(dense.forward(X));
  relu.backward(relu.output);
  dense.backward(relu.dinputs);
  return model.predict(X)(0, 0) + relu.output(0, 0);
}
