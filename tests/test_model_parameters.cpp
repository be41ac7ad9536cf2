// A Model's parameters through .npz, both ways: the file NumPy wrote with the book's
// np.savez(path, *[a for wb in params for a in wb]) loads into an nnfs Model
// (tests/golden/gen_npy.py, model_parameters.npz), and nnfs::io::save_parameters writes arr_0 …
// arr_{2L−1} with the same shapes and values.
#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <nnfs/io/model_parameters.hpp>
#include <nnfs/nnfs.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

namespace {

nnfs::Model<float> network_2_3_2() {
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 3));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(3, 2));
  model.add(nnfs::Softmax<float>());
  model.finalize();
  return model;
}

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "nnfs_model_parameters_test";
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST_CASE("parameters saved by NumPy's np.savez load into a Model", "[npz][model]") {
  auto model = network_2_3_2();
  nnfs::io::load_parameters(model, nnfs_test::data_path("npy/model_parameters.npz"));
  const auto p = model.get_parameters();
  // The formulas of gen_npy.py: W1 = arange(6)·0.25 − 0.5, b1 = [0.1 0.2 0.3],
  // W2 = arange(6)·(−0.125) + 0.375 (float64 in the file), b2 = [−0.05 0.05].
  for (int k = 0; k < 6; ++k) {
    REQUIRE(p[0].first(k / 3, k % 3) == static_cast<float>(k) * 0.25f - 0.5f);
    REQUIRE(p[1].first(k / 2, k % 2) == static_cast<float>(k * -0.125 + 0.375));
  }
  REQUIRE(p[0].second(0, 0) == 0.1f);
  REQUIRE(p[0].second(0, 2) == 0.3f);
  REQUIRE(p[1].second(0, 0) == -0.05f);
  REQUIRE(p[1].second(0, 1) == 0.05f);
}

TEST_CASE("save_parameters writes arr_0 … arr_3 that load back identically", "[npz][model]") {
  auto model = network_2_3_2();
  const auto path = scratch("saved.npz");
  nnfs::io::save_parameters(model, path);
  const nnfs::NpzFile file(path);
  REQUIRE(file.names() == std::vector<std::string>{"arr_0", "arr_1", "arr_2", "arr_3"});
  REQUIRE(file.at("arr_0").descr == "<f4");
  REQUIRE(file.at("arr_0").shape == std::vector<std::int64_t>{2, 3});
  REQUIRE(file.at("arr_1").shape == std::vector<std::int64_t>{1, 3});
  REQUIRE(file.at("arr_2").shape == std::vector<std::int64_t>{3, 2});
  REQUIRE(file.matrix<float>("arr_2") == model.get_parameters()[1].first);

  auto other = network_2_3_2();  // different random weights
  REQUIRE(other.get_parameters()[0].first != model.get_parameters()[0].first);
  nnfs::io::load_parameters(other, path);
  REQUIRE(other.get_parameters()[0].first == model.get_parameters()[0].first);
  REQUIRE(other.get_parameters()[1].second == model.get_parameters()[1].second);
  std::filesystem::remove(path);
}

TEST_CASE("load_parameters refuses files that do not fit the model", "[npz][model]") {
  auto model = network_2_3_2();
  // positional.npz holds 2 arrays; the model needs 4.
  try {
    nnfs::io::load_parameters(model, nnfs_test::data_path("npy/positional.npz"));
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    REQUIRE(std::string(e.what()).find("holds 2 arrays, the model's 2 Dense layers need 4") != std::string::npos);
  }
  // Right count, wrong shapes: a 3-2-3 network's parameters.
  nnfs::Model<float> wide;
  wide.add(nnfs::Dense<float>(3, 2));
  wide.add(nnfs::Dense<float>(2, 3));
  wide.finalize();
  const auto path = scratch("wide.npz");
  nnfs::io::save_parameters(wide, path);
  const auto before = model.get_parameters();
  REQUIRE_THROWS_AS(nnfs::io::load_parameters(model, path), std::invalid_argument);
  REQUIRE(model.get_parameters()[0].first == before[0].first);  // nothing changed
  REQUIRE_THROWS_AS(nnfs::io::load_parameters(model, scratch("absent.npz")), std::runtime_error);
  std::filesystem::remove(path);
}
