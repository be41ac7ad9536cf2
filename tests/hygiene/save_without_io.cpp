// Model::save in a program that does not include the io layer (nnfs/io/model_file.hpp) must not
// compile, and the error must name detail::ModelFileIO, whose comment says what to include
// (test hygiene.save_needs_the_io_layer). save_with_io.cpp is the same program with the include,
// built with the project, so this one fails for that reason only.
#include <nnfs/model/model.hpp>

void save_a_model() {
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 3));
  model.finalize();
  model.save("model.nnfs");
}
