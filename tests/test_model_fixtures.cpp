// Model files written by an earlier nnfs (tests/data/model_files_v1/, copies of the fuzz seed
// corpus as the format-1 writer made it) load and are written back to the same bytes: the
// kinds, settings, parameters and optimizer state all survive a change of the library's
// insides. The big-endian file is written back in the host's order, so it must equal its
// little-endian twin.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/io/model_file.hpp>

#include <string>

namespace {

template <class T>
std::string resaved(const std::string& name, bool with_state) {
  const std::string bytes = nnfs_test::read_text("model_files_v1/" + name);
  return nnfs::Model<T>::from_bytes(bytes, name).to_bytes(with_state);
}

}  // namespace

TEST_CASE("model files written by format 1 load and are written back byte for byte", "[model_file][fixtures]") {
  struct Fixture {
    const char* file;
    bool float64;
    bool state;
    const char* same_bytes_as;
  };
  const Fixture fixtures[] = {
      {"classifier_adam.nnfs", false, false, "classifier_adam.nnfs"},
      {"classifier_adam_state.nnfs", false, true, "classifier_adam_state.nnfs"},
      {"classifier_adam_state_big_endian.nnfs", false, true, "classifier_adam_state.nnfs"},
      {"classifier_adagrad_state_f64.nnfs", true, true, "classifier_adagrad_state_f64.nnfs"},
      {"classifier_rmsprop_state_f64.nnfs", true, true, "classifier_rmsprop_state_f64.nnfs"},
      {"no_loss_no_optimizer.nnfs", false, false, "no_loss_no_optimizer.nnfs"},
      {"regression_mae.nnfs", false, false, "regression_mae.nnfs"},
      {"regression_mse_precision.nnfs", false, true, "regression_mse_precision.nnfs"},
      {"tiny_sgd_momentum_state_f64.nnfs", true, true, "tiny_sgd_momentum_state_f64.nnfs"},
      {"tiny_sgd_sigmoid.nnfs", false, false, "tiny_sgd_sigmoid.nnfs"},
  };
  for (const Fixture& f : fixtures) {
    INFO(f.file);
    const std::string expected = nnfs_test::read_text(std::string("model_files_v1/") + f.same_bytes_as);
    const std::string actual = f.float64 ? resaved<double>(f.file, f.state) : resaved<float>(f.file, f.state);
    CHECK(actual.size() == expected.size());
    CHECK(actual == expected);
  }
}
