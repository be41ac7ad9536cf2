// save_without_io.cpp with the io layer included: compiles (built with the project).
#include <nnfs/io/model_file.hpp>
#include <nnfs/model/model.hpp>

void save_a_model() {
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 3));
  model.finalize();
  model.save("model.nnfs");
}
