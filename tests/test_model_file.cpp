// Model files (nnfs/io/model_file.hpp): Model::save / Model::load / to_bytes / from_bytes.
//
// The bytes are checked against values computed independently: the header text and payload of
// a hand-built model written out by hand (IEEE-754 bit patterns of 1.5, -2.0, 0.5), CRC-32s
// from Python's zlib.crc32, decimal forms from Python's repr. Round trips are checked bit for
// bit (predict, evaluate, summary, and training continued from a file with optimizer state),
// and every malformed file must end in a std::runtime_error that says what is wrong.
//
// The hidden test "write the model fuzz corpus" ([.corpus]) writes fuzz/corpus/model/:
//     nnfs_tests "[corpus]"
#include "nnfs_catch.hpp"
#include "temp_dir.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>
#include <nnfs/io/npy.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <csignal>
#include <sys/resource.h>
#define NNFS_TEST_HAVE_RLIMIT 1
#endif

namespace {

using nnfs_test::quiet;
using nnfs_test::TempDir;
using nnfs_test::x_;

namespace fs = std::filesystem;
using nnfs::Index;

template <class T>
using M = nnfs::Matrix<T>;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_all(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::string> directory_listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// Bytes written by hand: {0x00, 0xC0, ...} as a string.
std::string bytes_of(std::initializer_list<unsigned> values) {
  std::string s;
  for (const unsigned v : values) s += static_cast<char>(v);
  return s;
}

/// Replaces the one occurrence of `from` in `s` (the test fails if there is not exactly one).
void replace_once(std::string& s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  INFO("replacing '" << from << "' in:\n" << s);
  REQUIRE(at != std::string::npos);
  REQUIRE(s.find(from, at + 1) == std::string::npos);
  s.replace(at, from.size(), to);
}

/// The tiny model whose file the tests write out by hand: Dense(1, 2) with weights [1.5, -2]
/// and biases [0.5, 0] (weight L2 0.0005), Sigmoid, binary cross-entropy, binary accuracy,
/// SGD(0.5, decay 0.001, momentum 0.9).
template <class T>
nnfs::Model<T> tiny_model() {
  M<T> w(1, 2);
  w << T(1.5), T(-2.0);
  M<T> b(1, 2);
  b << T(0.5), T(0.0);
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(w, b, nnfs::Regularization{0.0, 0.0005, 0.0, 0.0}));
  model.add(nnfs::Sigmoid<T>());
  model.set(nnfs::BinaryCrossentropy<T>(), nnfs::SGD(0.5, 0.001, 0.9), nnfs::CategoricalAccuracy(true));
  model.finalize();
  return model;
}

/// The header of tiny_model<float>()'s file, written by hand.
const char* const tiny_header_float32 =
    "nnfs-model 1\n"
    "byte-order little\n"
    "scalar float32\n"
    "layer Dense inputs=1 neurons=2 weight_l1=0 weight_l2=0.0005 bias_l1=0 bias_l2=0\n"
    "layer Sigmoid\n"
    "loss BinaryCrossentropy\n"
    "accuracy binary\n"
    "optimizer SGD learning_rate=0.5 decay=0.001 momentum=0.9\n"
    "array layer0.weights float32 1 2 offset=0 bytes=8\n"
    "array layer0.biases float32 1 2 offset=8 bytes=8\n"
    "payload 16\n"
    "end\n";

/// The content of tiny_model's file, for the misuse rows to edit.
nnfs::detail::ModelFileImage tiny_image(bool float64 = false) {
  if (float64) return nnfs::detail::model_file_image(nnfs::detail::model_file_contents(tiny_model<double>(), false));
  return nnfs::detail::model_file_image(nnfs::detail::model_file_contents(tiny_model<float>(), false));
}

/// tiny_image() with its header edited (from → to), reassembled with a correct CRC-32.
std::string tiny_with(const std::string& from, const std::string& to) {
  auto image = tiny_image();
  replace_once(image.header, from, to);
  return nnfs::detail::model_file_assemble(image);
}

/// The spiral classifier of the book's chapter 19 in small: Dense(2, 16, L2) – ReLU – Dropout –
/// Dense(16, 3) – Softmax, Adam, trained for a few mini-batch epochs.
template <class T>
nnfs::Model<T> spiral_model() {
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(2, 16, nnfs::Regularization{0.0, 5e-4, 0.0, 5e-4}));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dropout<T>(0.1));
  model.add(nnfs::Dense<T>(16, 3));
  model.add(nnfs::Softmax<T>());
  model.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
  model.finalize();
  return model;
}

template <class T>
nnfs::Model<T> sigmoid_model() {
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(2, 8, nnfs::Regularization{0.0, 5e-4, 0.0, 5e-4}));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dense<T>(8, 1));
  model.add(nnfs::Sigmoid<T>());
  model.set(nnfs::BinaryCrossentropy<T>(), nnfs::Adam(0.01, 5e-7), nnfs::CategoricalAccuracy(true));
  model.finalize();
  return model;
}

template <class T>
nnfs::Model<T> regression_model() {
  nnfs::Model<T> model;
  model.add(nnfs::Dense<T>(1, 16, nnfs::Regularization{}, 0.1));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dense<T>(16, 1, nnfs::Regularization{}, 0.1));
  model.add(nnfs::Linear<T>());
  model.set(nnfs::MeanSquaredError<T>(), nnfs::Adam(0.005, 1e-3), nnfs::RegressionAccuracy());
  model.finalize();
  return model;
}

/// Every Dense layer's parameters and optimizer state, equal bit for bit.
template <class T>
bool same_dense_layers(nnfs::Model<T>& a, nnfs::Model<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    nnfs::Dense<T>* x = a.layer(i).template as<nnfs::Dense<T>>();
    nnfs::Dense<T>* y = b.layer(i).template as<nnfs::Dense<T>>();
    if ((x == nullptr) != (y == nullptr)) return false;
    if (x == nullptr) continue;
    if (x->weights != y->weights || x->biases != y->biases) return false;
    if (x->weight_momentums != y->weight_momentums || x->weight_cache != y->weight_cache ||
        x->bias_momentums != y->bias_momentums || x->bias_cache != y->bias_cache)
      return false;
  }
  return true;
}

template <class T>
bool same_parameters(nnfs::Model<T>& a, nnfs::Model<T>& b) {
  const auto p = a.get_parameters();
  const auto q = b.get_parameters();
  if (p.size() != q.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i].first != q[i].first || p[i].second != q[i].second) return false;
  return true;
}

/// The message of the std::runtime_error (exactly that type) that loading `bytes` throws.
template <class T>
std::string load_error(const std::string& bytes) {
  try {
    (void)nnfs::Model<T>::from_bytes(bytes, "test.nnfs");
  } catch (const std::runtime_error& e) {
    if (typeid(e) != typeid(std::runtime_error)) return std::string("<a subclass of std::runtime_error>: ") + e.what();
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<another exception type>: ") + e.what();
  }
  return "<nothing was thrown>";
}

}  // namespace

// ------------------------------------------------------------------------ CRC-32 and bytes

TEST_CASE("CRC-32 equals zlib's crc32 on check values and chains", "[model_file]") {
  using nnfs::detail::crc32;
  // Golden values from Python: zlib.crc32(b"123456789") etc.
  REQUIRE(crc32(std::string_view("123456789")) == 0xCBF43926u);
  REQUIRE(crc32(std::string_view("")) == 0x00000000u);
  REQUIRE(crc32(std::string_view("a")) == 0xE8B7BE43u);
  REQUIRE(crc32(std::string_view("The quick brown fox jumps over the lazy dog")) == 0x414FA339u);
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  REQUIRE(crc32(all) == 0x29058C73u);
  // crc32(b, crc32(a)) == crc32(a + b), as zlib's running CRC
  REQUIRE(crc32(std::string_view("56789"), crc32(std::string_view("1234"))) == 0xCBF43926u);
}

TEST_CASE("the byte-order helpers write IEEE-754 bytes in the stated order on any host", "[model_file]") {
  using nnfs::detail::load_scalar;
  using nnfs::detail::store_scalar;
  char b[8];
  // 1.5f = 0x3FC00000
  store_scalar<float>(b, 1.5f, false);
  REQUIRE(std::string(b, 4) == bytes_of({0x00, 0x00, 0xC0, 0x3F}));
  store_scalar<float>(b, 1.5f, true);
  REQUIRE(std::string(b, 4) == bytes_of({0x3F, 0xC0, 0x00, 0x00}));
  REQUIRE(load_scalar<float>(b, true) == 1.5f);
  // -2.0 = 0xC000000000000000
  store_scalar<double>(b, -2.0, true);
  REQUIRE(std::string(b, 8) == bytes_of({0xC0, 0, 0, 0, 0, 0, 0, 0}));
  REQUIRE(load_scalar<double>(b, true) == -2.0);
  store_scalar<double>(b, -2.0, false);
  REQUIRE(std::string(b, 8) == bytes_of({0, 0, 0, 0, 0, 0, 0, 0xC0}));
  REQUIRE(load_scalar<double>(b, false) == -2.0);
  store_scalar<std::uint32_t>(b, 0x11223344u, false);
  REQUIRE(std::string(b, 4) == bytes_of({0x44, 0x33, 0x22, 0x11}));
  REQUIRE(load_scalar<std::uint32_t>(b, true) == 0x44332211u);
  // The host check agrees with the bytes of an integer in memory.
  const std::uint32_t probe = 0x01020304u;
  unsigned char first = 0;
  std::memcpy(&first, &probe, 1);
  REQUIRE(nnfs::detail::host_is_big_endian() == (first == 0x01));
}

// ------------------------------------------------------------------------ the format, by hand

TEST_CASE("the file of a hand-built model is the header, padding, payload and CRC written out by hand",
          "[model_file]") {
  SECTION("float32") {
    const std::string bytes = tiny_model<float>().to_bytes();
    const std::string header = tiny_header_float32;
    // Line by line first, for a readable failure.
    std::istringstream want(header);
    std::istringstream got(bytes.substr(0, header.size()));
    std::string w;
    std::string g;
    int line = 0;
    while (std::getline(want, w)) {
      std::getline(got, g);
      ++line;
      INFO("line " << line);
      REQUIRE(g == w);
    }
    REQUIRE(header.size() == 351);  // so the payload starts at 352 after one byte of padding
    // 1.5f = 0x3FC00000, -2.0f = 0xC0000000, 0.5f = 0x3F000000, 0.0f = 0, little-endian.
    const std::string payload = bytes_of({0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0,    // weights
                                          0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x00});  // biases
    // zlib.crc32(header + b"\0" + payload) == 0x39986EAA, stored little-endian.
    const std::string expected = header + std::string(1, '\0') + payload + bytes_of({0xAA, 0x6E, 0x98, 0x39});
    REQUIRE(bytes.size() == 372);
    REQUIRE(bytes == expected);
  }
  SECTION("float64") {
    const std::string bytes = tiny_model<double>().to_bytes();
    std::string header = tiny_header_float32;
    replace_once(header, "scalar float32", "scalar float64");
    replace_once(header, "float32 1 2 offset=0 bytes=8", "float64 1 2 offset=0 bytes=16");
    replace_once(header, "float32 1 2 offset=8 bytes=8", "float64 1 2 offset=16 bytes=16");
    replace_once(header, "payload 16", "payload 32");
    const std::size_t padding = (8 - header.size() % 8) % 8;
    // 1.5 = 0x3FF8000000000000, -2.0 = 0xC000000000000000, 0.5 = 0x3FE0000000000000
    const std::string payload = bytes_of({0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0,  //
                                          0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0});
    // zlib.crc32(...) == 0x4EE5AE32
    REQUIRE(bytes == header + std::string(padding, '\0') + payload + bytes_of({0x32, 0xAE, 0xE5, 0x4E}));
  }
}

TEST_CASE("a model without loss, accuracy or optimizer is written with 'none' and loads as such", "[model_file]") {
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(3, 2));
  model.add(nnfs::Softmax<float>());
  model.finalize();
  const std::string bytes = model.to_bytes(true);
  REQUIRE(bytes.find("\nloss none\naccuracy none\noptimizer none\narray layer0.weights") != std::string::npos);
  auto loaded = nnfs::Model<float>::from_bytes(bytes);
  REQUIRE_FALSE(loaded.has_loss());
  REQUIRE_FALSE(loaded.has_accuracy());
  REQUIRE_FALSE(loaded.has_optimizer());
  const M<float> X = M<float>::Constant(4, 3, 0.25f);
  REQUIRE(M<float>(loaded.predict(X)) == M<float>(model.predict(X)));
}

TEST_CASE("header numbers read back to the same doubles, tricky ones included", "[model_file]") {
  // The decimal forms are Python's repr of the same doubles.
  const std::vector<std::pair<double, std::string>> values = {
      {0.1, "0.1"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {0.30000000000000004, "0.30000000000000004"},
      {1.0 / 3.0, "0.3333333333333333"},
      {5e-5, "5e-05"},
      {1e-7, "1e-07"},
      {123456789.0, "123456789"},
  };
  for (const auto& [v, text] : values) {
    INFO("value " << text);
    nnfs::Model<double> model;
    model.add(nnfs::Dense<double>(M<double>::Ones(1, 1), M<double>::Zero(1, 1), nnfs::Regularization{v, 0, 0, v}));
    model.add(nnfs::Linear<double>());
    nnfs::RegressionAccuracy accuracy;
    accuracy.set_precision(v);
    model.set(nnfs::MeanSquaredError<double>(), nnfs::Adam(v, v), accuracy);
    model.finalize();
    const std::string bytes = model.to_bytes(true);
    REQUIRE(bytes.find("weight_l1=" + text + " ") != std::string::npos);
    REQUIRE(bytes.find("bias_l2=" + text + "\n") != std::string::npos);
    REQUIRE(bytes.find("accuracy regression precision=" + text + "\n") != std::string::npos);
    REQUIRE(bytes.find(std::string("optimizer Adam learning_rate=").append(text).append(" decay=").append(text).append(" ")) !=
            std::string::npos);
    REQUIRE(bytes.find(" current_learning_rate=" + text + "\n") != std::string::npos);
    auto loaded = nnfs::Model<double>::from_bytes(bytes);
    const auto& d = loaded.layer_as<nnfs::Dense<double>>(0);
    REQUIRE(d.regularization.weight_l1 == v);
    REQUIRE(d.regularization.bias_l2 == v);
    REQUIRE(loaded.accuracy()->precision() == v);
    REQUIRE(loaded.optimizer()->learning_rate() == v);
    REQUIRE(loaded.optimizer()->decay() == v);
    REQUIRE(loaded.optimizer()->current_learning_rate() == v);
  }
}

TEST_CASE("a file declaring big-endian order is read with its bytes swapped", "[model_file]") {
  auto contents = nnfs::detail::model_file_contents(tiny_model<float>(), false);
  contents.big_endian = true;
  const auto image = nnfs::detail::model_file_image(contents);
  REQUIRE(image.header.find("\nbyte-order big\n") != std::string::npos);
  // 1.5f, -2.0f, 0.5f, 0.0f big-endian
  REQUIRE(image.payload == bytes_of({0x3F, 0xC0, 0, 0, 0xC0, 0, 0, 0, 0x3F, 0, 0, 0, 0, 0, 0, 0}));
  auto loaded = nnfs::Model<float>::from_bytes(nnfs::detail::model_file_assemble(image));
  const auto& d = loaded.layer_as<nnfs::Dense<float>>(0);
  REQUIRE(d.weights(0, 0) == 1.5f);
  REQUIRE(d.weights(0, 1) == -2.0f);
  REQUIRE(d.biases(0, 0) == 0.5f);
  REQUIRE(d.biases(0, 1) == 0.0f);
}

// ------------------------------------------------------------------------ round trips

TEMPLATE_TEST_CASE("save and load a trained spiral classifier: the same predictions, evaluation and summary",
                   "[model_file]", float, double) {
  using T = TestType;
  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<T>(60, 3);
  const auto [X_test, y_test] = nnfs::datasets::spiral_data<T>(20, 3);
  auto model = spiral_model<T>();
  model.train(X, y, quiet<T>(6, 32));

  TempDir dir;
  const fs::path path = dir / "spiral.nnfs";
  model.save(path);
  REQUIRE(directory_listing(dir.path) == std::vector<std::string>{"spiral.nnfs"});  // no temporary left
  auto loaded = nnfs::Model<T>::load(path);

  REQUIRE(loaded.finalized());
  REQUIRE(loaded.summary() == model.summary());
  REQUIRE(same_parameters(loaded, model));
  REQUIRE(M<T>(loaded.predict(X_test)) == M<T>(model.predict(X_test)));
  REQUIRE(loaded.predict_classes(X_test) == model.predict_classes(X_test));
  const nnfs::Evaluation a = model.evaluate(X_test, y_test, 0, false);
  const nnfs::Evaluation b = loaded.evaluate(X_test, y_test, 0, false);
  REQUIRE(a.loss == b.loss);
  REQUIRE(a.accuracy == b.accuracy);
  REQUIRE(loaded.regularization_loss() == model.regularization_loss());
  REQUIRE(loaded.template layer_as<nnfs::Dropout<T>>(2).rate() == 0.1);
  // The optimizer's settings come back; without state it starts from step 0.
  REQUIRE(loaded.optimizer()->name() == "Adam");
  REQUIRE(loaded.optimizer()->settings() == model.optimizer()->settings());
  REQUIRE(loaded.optimizer()->iterations() == 0);
  REQUIRE(loaded.template layer_as<nnfs::Dense<T>>(0).weight_cache.size() == 0);
  // Saving the loaded model gives the same file.
  REQUIRE(loaded.to_bytes() == read_all(path));
}

TEMPLATE_TEST_CASE("save and load a sigmoid model with binary cross-entropy", "[model_file]", float, double) {
  using T = TestType;
  nnfs::init();
  const auto [X, labels] = nnfs::datasets::spiral_data<T>(50, 2);
  const M<T> y = labels.template cast<T>();
  auto model = sigmoid_model<T>();
  model.train(X, y, quiet<T>(5, 25));
  auto loaded = nnfs::Model<T>::from_bytes(model.to_bytes());
  REQUIRE(loaded.summary() == model.summary());
  REQUIRE(loaded.accuracy()->name() == "binary");
  REQUIRE(loaded.loss()->name() == "BinaryCrossentropy");
  REQUIRE(M<T>(loaded.predict(X)) == M<T>(model.predict(X)));
  const nnfs::Evaluation a = model.evaluate(X, y, 16, false);
  const nnfs::Evaluation b = loaded.evaluate(X, y, 16, false);
  REQUIRE(a.loss == b.loss);
  REQUIRE(a.accuracy == b.accuracy);
}

TEMPLATE_TEST_CASE("a regression model keeps its accuracy precision through a file", "[model_file]", float, double) {
  using T = TestType;
  nnfs::init();
  const auto [X, y] = nnfs::datasets::sine_data<T>(100);
  auto model = regression_model<T>();

  SECTION("saved before training: no precision, learned from the first training targets as usual") {
    const std::string bytes = model.to_bytes();
    REQUIRE(bytes.find("\naccuracy regression\n") != std::string::npos);
    auto loaded = nnfs::Model<T>::from_bytes(bytes);
    loaded.train(X, y, quiet<T>(1));
    REQUIRE(loaded.accuracy()->precision() == nnfs::regression_precision(y));
  }
  SECTION("saved after training: the precision of the training targets, bit for bit") {
    model.train(X, y, quiet<T>(5, 32));
    const double precision = model.accuracy()->precision();
    REQUIRE(precision == nnfs::regression_precision(y));  // np.std(y) / 250, computed independently
    auto loaded = nnfs::Model<T>::from_bytes(model.to_bytes());
    REQUIRE(loaded.accuracy()->precision() == precision);
    // Evaluated on other targets, whose std differs: the saved precision is what counts.
    const auto [X2, y2] = nnfs::datasets::sine_data<T>(37);
    const nnfs::Evaluation a = model.evaluate(X2, y2, 0, false);
    const nnfs::Evaluation b = loaded.evaluate(X2, y2, 0, false);
    REQUIRE(a.loss == b.loss);
    REQUIRE(a.accuracy == b.accuracy);
    REQUIRE(M<T>(loaded.predict(X2)) == M<T>(model.predict(X2)));
  }
}

namespace {

/// Trains `model` for 3 epochs, saves it with and without optimizer state, continues the
/// original for 4 more epochs and each loaded copy for the same 4 (the dropout generator
/// reseeded alike): with state the parameters end bit-identical, without they differ.
template <class T, class Optimizer>
void check_state_round_trip(Optimizer optimizer) {
  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<T>(40, 3);
  auto model = spiral_model<T>();
  model.set(optimizer);
  model.finalize();
  model.train(X, y, quiet<T>(3, 40));
  const std::string with_state = model.to_bytes(true);
  const std::string without_state = model.to_bytes(false);
  auto resumed = nnfs::Model<T>::from_bytes(with_state);
  auto restarted = nnfs::Model<T>::from_bytes(without_state);
  REQUIRE(resumed.optimizer()->iterations() == model.optimizer()->iterations());
  REQUIRE(resumed.optimizer()->current_learning_rate() == model.optimizer()->current_learning_rate());
  REQUIRE(same_dense_layers(resumed, model));
  REQUIRE(restarted.optimizer()->iterations() == 0);

  nnfs::default_random_state().seed(11);
  model.train(X, y, quiet<T>(4, 40));
  nnfs::default_random_state().seed(11);
  resumed.train(X, y, quiet<T>(4, 40));
  nnfs::default_random_state().seed(11);
  restarted.train(X, y, quiet<T>(4, 40));
  REQUIRE(model.optimizer()->iterations() == 3 * 3 + 4 * 3);
  REQUIRE(same_dense_layers(resumed, model));
  REQUIRE(same_parameters(resumed, model));
  REQUIRE_FALSE(same_parameters(restarted, model));  // the state matters
}

}  // namespace

TEMPLATE_TEST_CASE("with optimizer state, training continued from a file is bit-identical to continuing the original",
                   "[model_file]", float, double) {
  using T = TestType;
  SECTION("Adam") { check_state_round_trip<T>(nnfs::Adam(0.05, 5e-3)); }
  SECTION("SGD with momentum") { check_state_round_trip<T>(nnfs::SGD(0.5, 1e-2, 0.9)); }
  SECTION("Adagrad") { check_state_round_trip<T>(nnfs::Adagrad(0.5, 1e-2)); }
  SECTION("RMSprop") { check_state_round_trip<T>(nnfs::RMSprop(0.01, 1e-2, 1e-7, 0.95)); }
}

TEST_CASE("optimizer state arrays are written only for what the optimizer keeps", "[model_file]") {
  nnfs::init();
  const auto [X_data, y_data] = nnfs::datasets::spiral_data<float>(20, 3);
  const M<float>& X = X_data;  // (structured bindings cannot be captured in C++17)
  const nnfs::Labels& y = y_data;
  const auto arrays_of = [&](auto optimizer) {
    auto model = spiral_model<float>();
    model.set(optimizer);
    model.finalize();
    model.train(X, y, quiet<float>(2));
    const std::string bytes = model.to_bytes(true);
    std::string names;
    for (const char* f : {"weight_momentums", "weight_cache", "bias_momentums", "bias_cache"})
      if (bytes.find(std::string("array layer3.") + f + " ") != std::string::npos) names += std::string(f) + " ";
    return names;
  };
  REQUIRE(arrays_of(nnfs::Adam(0.01)) == "weight_momentums weight_cache bias_momentums bias_cache ");
  REQUIRE(arrays_of(nnfs::SGD(0.5, 0.0, 0.5)) == "weight_momentums bias_momentums ");
  REQUIRE(arrays_of(nnfs::SGD(0.5)).empty());
  REQUIRE(arrays_of(nnfs::Adagrad(0.5)) == "weight_cache bias_cache ");
  REQUIRE(arrays_of(nnfs::RMSprop(0.01)) == "weight_cache bias_cache ");
}

// ------------------------------------------------------------------------ failed saves

TEST_CASE("a failed save throws std::runtime_error and leaves what was there", "[model_file]") {
  TempDir dir;
  auto model = tiny_model<float>();

  SECTION("the path is a directory") {
    const fs::path sub = dir / "sub";
    fs::create_directory(sub);
    write_all(sub / "keep.txt", "keep");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, model.save(sub), "Model::save", "cannot write", "sub");
    REQUIRE(fs::is_directory(sub));
    REQUIRE(read_all(sub / "keep.txt") == "keep");
    REQUIRE(directory_listing(dir.path) == std::vector<std::string>{"sub"});
  }
  SECTION("the parent directory does not exist") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, model.save(dir / "missing" / "model.nnfs"), "Model::save",
                             "cannot write", "missing");
    REQUIRE_FALSE(fs::exists(dir / "missing"));
  }
  SECTION("a model that cannot be saved leaves an existing file byte-identical") {
    const fs::path path = dir / "model.nnfs";
    model.save(path);
    const std::string before = read_all(path);
    auto broken = tiny_model<float>();
    broken.layer_as<nnfs::Dense<float>>(0).weights(0, 1) = std::numeric_limits<float>::quiet_NaN();
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, broken.save(path), "Model::save", "layer 0 weights",
                             "NaN or infinite");
    REQUIRE(read_all(path) == before);
    REQUIRE(directory_listing(dir.path) == std::vector<std::string>{"model.nnfs"});
  }
#ifdef NNFS_TEST_HAVE_RLIMIT
  SECTION("a write that fails half-way (file size limit) leaves an existing file byte-identical") {
    const fs::path path = dir / "model.nnfs";
    model.save(path);
    const std::string before = read_all(path);
    nnfs::init();
    auto big = spiral_model<float>();  // a file of a few KiB
    // Writes beyond 100 bytes fail with EFBIG (SIGXFSZ ignored), as on a full disk.
    struct rlimit old_limit {};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = old_limit;
    limit.rlim_cur = 100;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limit) == 0);
    const std::string message = nnfs_test::thrown_message<std::runtime_error>([&] { big.save(path); });
    setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    INFO("message: " << message);
    REQUIRE(nnfs_test::contains_all(message, {"Model::save", "cannot write", "model.nnfs"}));
    REQUIRE(read_all(path) == before);
    REQUIRE(directory_listing(dir.path) == std::vector<std::string>{"model.nnfs"});
  }
#endif
}

TEST_CASE("saving refuses models that could not be loaded back", "[model_file]") {
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, nnfs::Model<float>().to_bytes(), "Model::save", "no layers");
  nnfs::Model<float> relu_only;
  relu_only.add(nnfs::ReLU<float>());
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, relu_only.to_bytes(), "Model::save", "no layer of the model fixes its input width");
  nnfs::Model<float> unchained;
  unchained.add(nnfs::Dense<float>(2, 3));
  unchained.add(nnfs::Dense<float>(4, 1));
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, unchained.to_bytes(), "Model::save", "layer 1", "gives 3");
}

// ------------------------------------------------------------------------ malformed files

namespace {

struct BadFile {
  std::string name;
  std::function<std::string()> bytes;
  bool as_double;  // load as Model<double> (else Model<float>)
  std::vector<std::string> message_parts;
};

std::vector<BadFile> bad_files() {
  using nnfs::detail::model_file_assemble;
  using nnfs::detail::model_file_bytes;
  using nnfs::detail::model_file_contents;
  const auto tiny = [] { return tiny_model<float>().to_bytes(); };
  const auto header_len = std::string(tiny_header_float32).size();
  return {
      {"an empty file", [] { return std::string(); }, false, {"test.nnfs", "empty file"}},
      {"wrong magic", [=] { return tiny_with("nnfs-model 1\n", "nnfs-modle 1\n"); }, false,
       {"not an nnfs model file", "'nnfs-modle 1\\x0a"}},
      {"a .npy file given as a model",
       [] { return nnfs::npy_bytes(nnfs::NpyArray::from(M<float>(M<float>::Ones(2, 3)))); }, false,
       {"not an nnfs model file", "NumPy .npy"}},
      {"format version 2", [=] { return tiny_with("nnfs-model 1\n", "nnfs-model 2\n"); }, false,
       {"file format version 2 is newer than this nnfs reads (1)"}},
      {"format version 0", [=] { return tiny_with("nnfs-model 1\n", "nnfs-model 0\n"); }, false,
       {"unknown file format version 0"}},
      {"a float64 file loaded as Model<float>", [] { return tiny_model<double>().to_bytes(); }, false,
       {"float64", "Model<float>", "nnfs::Model<double>"}},
      {"a float32 file loaded as Model<double>", tiny, true, {"float32", "Model<double>", "nnfs::Model<float>"}},
      {"an unknown byte order", [=] { return tiny_with("byte-order little", "byte-order middle"); }, false,
       {"line 2 'byte-order middle'", "expected 'byte-order little' or 'byte-order big'"}},
      {"an unknown layer kind", [=] { return tiny_with("layer Sigmoid", "layer Conv2D"); }, false,
       {"line 5 'layer Conv2D'", "unknown layer kind 'Conv2D'"}},
      {"a Dense layer with negative neurons", [=] { return tiny_with("neurons=2", "neurons=-2"); }, false,
       {"line 4", "neurons must be a positive integer, got -2"}},
      {"a Dense layer missing a key", [=] { return tiny_with(" bias_l2=0\n", "\n"); }, false,
       {"line 4", "missing key 'bias_l2'"}},
      {"a Dense layer with a duplicate key", [=] { return tiny_with("bias_l2=0\n", "bias_l2=0 inputs=1\n"); }, false,
       {"line 4", "duplicate key 'inputs'"}},
      {"a Dense layer with an unknown key", [=] { return tiny_with("bias_l2=0\n", "bias_l2=0 units=2\n"); }, false,
       {"line 4", "unknown key 'units'"}},
      {"a negative regularization strength", [=] { return tiny_with("weight_l2=0.0005", "weight_l2=-0.0005"); },
       false, {"line 4", "weight_l2 must be >= 0, got -0.0005"}},
      {"a NaN learning rate", [=] { return tiny_with("learning_rate=0.5", "learning_rate=nan"); }, false,
       {"line 8", "learning_rate must be a finite number, got 'nan'"}},
      {"an infinite hyper-parameter", [=] { return tiny_with("decay=0.001", "decay=1e999"); }, false,
       {"line 8", "decay must be a finite number"}},
      {"a momentum of 1", [=] { return tiny_with("momentum=0.9", "momentum=1"); }, false,
       {"line 8", "SGD: momentum must be in [0, 1), got 1"}},
      {"a Dropout rate of 1.5",
       [=] { return tiny_with("layer Sigmoid\n", "layer Dropout rate=1.5\nlayer Sigmoid\n"); }, false,
       {"line 5 'layer Dropout rate=1.5'", "rate must be in [0, 1), got 1.5"}},
      {"an unknown loss", [=] { return tiny_with("loss BinaryCrossentropy", "loss Hinge"); }, false,
       {"line 6", "unknown loss 'Hinge'"}},
      {"a missing accuracy line", [=] { return tiny_with("accuracy binary\n", ""); }, false,
       {"line 7 'optimizer SGD", "expected an 'accuracy' line"}},
      {"no layers", [=] {
         auto image = tiny_image();
         replace_once(image.header, "layer Dense inputs=1 neurons=2 weight_l1=0 weight_l2=0.0005 bias_l1=0 bias_l2=0\n"
                                    "layer Sigmoid\n", "");
         return model_file_assemble(image);
       },
       false, {"line 4 'loss BinaryCrossentropy'", "at least one layer"}},
      {"iterations without current_learning_rate", [=] { return tiny_with("momentum=0.9", "momentum=0.9 iterations=3"); },
       false, {"line 8", "go together"}},
      {"negative iterations",
       [=] { return tiny_with("momentum=0.9", "momentum=0.9 iterations=-3 current_learning_rate=0.5"); }, false,
       {"line 8", "iterations must be >= 0, got -3"}},
      {"an array whose shape does not match its layer",
       [=] { return tiny_with("layer0.weights float32 1 2 offset=0 bytes=8", "layer0.weights float32 2 1 offset=0 bytes=8"); },
       false, {"line 9", "layer0.weights has shape 2" + x_ + "1 but layer 0 is Dense(1, 2)"}},
      {"a missing array", [=] { return tiny_with("array layer0.biases float32 1 2 offset=8 bytes=8\n", ""); }, false,
       {"missing array layer0.biases", "Dense(1, 2)"}},
      {"a duplicate array",
       [=] {
         return tiny_with("array layer0.biases float32 1 2 offset=8 bytes=8\n",
                          "array layer0.weights float32 1 2 offset=8 bytes=8\n");
       },
       false, {"line 10", "duplicate array layer0.weights (also on line 9)"}},
      {"an array beyond the payload",
       [=] { return tiny_with("layer0.biases float32 1 2 offset=8 bytes=8", "layer0.biases float32 1 2 offset=16 bytes=8"); },
       false, {"line 10", "8 bytes at offset 16 go beyond the 16-byte payload"}},
      {"an unaligned offset",
       [=] { return tiny_with("layer0.biases float32 1 2 offset=8 bytes=8", "layer0.biases float32 1 2 offset=4 bytes=8"); },
       false, {"line 10", "offset 4 is not a multiple of 8"}},
      {"overlapping arrays",
       [=] { return tiny_with("layer0.biases float32 1 2 offset=8 bytes=8", "layer0.biases float32 1 2 offset=0 bytes=8"); },
       false, {"layer0.weights", "layer0.biases", "overlap"}},
      {"an array of the other scalar type",
       [=] { return tiny_with("layer0.biases float32 1 2", "layer0.biases float64 1 2"); }, false,
       {"line 10", "layer0.biases is float64, but the file's scalar is float32"}},
      {"an array on a layer without parameters",
       [=] { return tiny_with("array layer0.biases", "array layer1.biases"); }, false,
       {"line 10", "layer 1 is Sigmoid, which has no parameters"}},
      {"an array of a layer that does not exist", [=] { return tiny_with("array layer0.biases", "array layer7.biases"); },
       false, {"line 10", "names layer 7, but the model has 2 layers"}},
      {"a malformed array name", [=] { return tiny_with("array layer0.biases", "array layer0.bias"); }, false,
       {"line 10", "array name 'layer0.bias' is not layer<i>.<field>"}},
      {"an array name too short for its layer number (found by the fuzzer)",
       [=] { return tiny_with("array layer0.biases", "array la.biases"); }, false,
       {"line 10", "array name 'la.biases' is not layer<i>.<field>"}},
      {"optimizer state without iterations",
       [=] { return tiny_with("array layer0.biases", "array layer0.weight_momentums"); }, false,
       {"line 10", "layer0.weight_momentums is optimizer state", "no iterations="}},
      {"state an optimizer does not keep", [=] {
         auto image = tiny_image();
         replace_once(image.header, "momentum=0.9", "momentum=0 iterations=1 current_learning_rate=0.5");
         replace_once(image.header, "payload 16\n", "array layer0.bias_momentums float32 1 2 offset=16 bytes=8\npayload 24\n");
         image.payload += std::string(8, '\0');
         return model_file_assemble(image);
       },
       false, {"line 11", "SGD keeps no bias_momentums", "momentum > 0"}},
      {"Dense widths that do not chain", [=] {
         auto image = tiny_image();
         replace_once(image.header, "layer Sigmoid\n", "layer Dense inputs=3 neurons=1 weight_l1=0 weight_l2=0 bias_l1=0 bias_l2=0\nlayer Sigmoid\n");
         return model_file_assemble(image);
       },
       false, {"line 5", "layer 1 Dense(3, 1) takes 3 inputs, but layer 0 before it gives 2"}},
      {"an array's bytes that do not match its shape (big-endian file)", [=] {
         auto contents = model_file_contents(tiny_model<float>(), false);
         contents.big_endian = true;
         auto image = nnfs::detail::model_file_image(contents);
         replace_once(image.header, "layer0.weights float32 1 2 offset=0 bytes=8", "layer0.weights float32 1 2 offset=0 bytes=4");
         return model_file_assemble(image);
       },
       false, {"line 9", "1" + x_ + "2 float32 values take 8 bytes, the line says bytes=4"}},
      {"a NaN weight (with a correct CRC)", [] {
         auto contents = model_file_contents(tiny_model<float>(), false);
         contents.arrays[0].values[1] = std::numeric_limits<double>::quiet_NaN();
         return model_file_bytes(contents);
       },
       false, {"line 9", "layer0.weights holds nan at row 0, column 1", "must be finite"}},
      {"an infinite bias (float64 file)", [] {
         auto contents = model_file_contents(tiny_model<double>(), false);
         contents.arrays[1].values[0] = -std::numeric_limits<double>::infinity();
         return model_file_bytes(contents);
       },
       true, {"layer0.biases holds -inf at row 0, column 0"}},
      {"a truncated payload", [=] { const std::string b = tiny(); return b.substr(0, b.size() - 10); }, false,
       {"truncated: the header promises 16 payload bytes", "the file has 11 after the header"}},
      {"a file truncated inside its header", [=] { return tiny().substr(0, header_len - 20); }, false,
       {"truncated: the header stops after 9 lines"}},
      {"bytes after the CRC", [=] { return tiny() + "extra"; }, false, {"5 unexpected bytes after the CRC-32"}},
      {"a flipped payload byte", [=] {
         std::string b = tiny();
         b[header_len + 1 + 3] = static_cast<char>(b[header_len + 1 + 3] ^ 0x40);
         return b;
       },
       false, {"corrupted", "CRC-32", "0x39986eaa"}},
      {"a file converted to CRLF line ends", [=] {
         auto image = tiny_image();
         replace_once(image.header, "byte-order little\n", "byte-order little\r\n");
         return model_file_assemble(image);
       },
       false, {"line 2 'byte-order little\\x0d'", "carriage return"}},
      {"two spaces between words", [=] { return tiny_with("layer Dense inputs", "layer  Dense inputs"); }, false,
       {"line 4", "single spaces"}},
      {"a header of more than 1 MiB without an end line",
       [] { return "nnfs-model 1\n" + std::string((std::size_t{1} << 20) + 10, 'a') + "\n"; }, false,
       {"no 'end' line in the first 1048576 bytes"}},
      {"a line between payload and end", [=] { return tiny_with("payload 16\n", "payload 16\nextra\n"); }, false,
       {"line 12 'extra'", "expected 'end' after the payload line"}},
  };
}

}  // namespace

TEST_CASE("malformed model files: each throws std::runtime_error saying what is wrong", "[model_file][misuse]") {
  const auto table = bad_files();
  REQUIRE(table.size() >= 15);
  for (const auto& row : table) {
    const std::string bytes = row.bytes();
    const std::string message = row.as_double ? load_error<double>(bytes) : load_error<float>(bytes);
    INFO("bad file: " << row.name << "\nmessage: " << message);
    CHECK(nnfs_test::contains_all(message, row.message_parts));
    CHECK(message.rfind("test.nnfs: ", 0) == 0);
  }
}

TEST_CASE("Model::load names the path, and refuses what is not a model file", "[model_file]") {
  TempDir dir;
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::Model<float>::load(dir / "absent.nnfs"), "Model::load",
                           "cannot read", "absent.nnfs");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::Model<float>::load(dir.path), "Model::load",
                           "is a directory");
  nnfs::save_npy(dir / "weights.npy", M<float>(M<float>::Ones(2, 3)));
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::Model<float>::load(dir / "weights.npy"), "Model::load",
                           "weights.npy", "not an nnfs model file", "NumPy .npy");
  tiny_model<double>().save(dir / "tiny64.nnfs");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::Model<float>::load(dir / "tiny64.nnfs"), "tiny64.nnfs",
                           "float64", "Model<float>");
  REQUIRE(nnfs::Model<double>::load(dir / "tiny64.nnfs").parameter_count() == 4);
}

TEMPLATE_TEST_CASE("every truncation and every flipped byte of a valid file is refused, never a crash",
                   "[model_file][misuse]", float, double) {
  using T = TestType;
  nnfs::init();
  auto model = nnfs::Model<T>();
  model.add(nnfs::Dense<T>(2, 3));
  model.add(nnfs::ReLU<T>());
  model.add(nnfs::Dropout<T>(0.25));
  model.add(nnfs::Dense<T>(3, 2));
  model.add(nnfs::Softmax<T>());
  model.set(nnfs::CategoricalCrossentropy<T>(), nnfs::Adam(0.01), nnfs::CategoricalAccuracy());
  model.finalize();
  const auto [X, y] = nnfs::datasets::spiral_data<T>(10, 2);
  model.train(X, y, quiet<T>(2));
  const std::string bytes = model.to_bytes(true);
  REQUIRE(load_error<T>(bytes) == "<nothing was thrown>");
  const std::size_t payload_start = bytes.find("\nend\n") + 5;

  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::string message = load_error<T>(bytes.substr(0, n));
    INFO("truncated to " << n << " of " << bytes.size() << " bytes: " << message);
    REQUIRE(message.rfind("test.nnfs: ", 0) == 0);  // a std::runtime_error from the reader
    if (n >= payload_start) REQUIRE(message.find("truncated") != std::string::npos);
  }
  for (std::size_t i = 0; i < bytes.size(); ++i)
    for (const int bit : {0x01, 0x20, 0x80}) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ bit);
      const std::string message = load_error<T>(flipped);
      INFO("byte " << i << " xor " << bit << ": " << message);
      REQUIRE(message.rfind("test.nnfs: ", 0) == 0);
      if (i >= payload_start) REQUIRE(message.find("corrupted: the CRC-32") != std::string::npos);
    }
}

// ------------------------------------------------------------------------ the fuzz corpus

TEST_CASE("write the model fuzz corpus", "[.corpus]") {
  // Writes fuzz/corpus/model/ (or $NNFS_MODEL_CORPUS_DIR): small valid files of every kind.
  const char* env = std::getenv("NNFS_MODEL_CORPUS_DIR");
  const fs::path dir = env != nullptr ? fs::path(env) : fs::path(NNFS_TEST_DATA_DIR) / ".." / ".." / "fuzz" / "corpus" / "model";
  fs::create_directories(dir);
  nnfs::init();
  const auto [X, y] = nnfs::datasets::spiral_data<float>(8, 3);
  const auto [Xd, yd] = nnfs::datasets::spiral_data<double>(8, 3);

  const auto small_classifier = [](auto scalar) {
    using S = decltype(scalar);
    nnfs::Model<S> m;
    m.add(nnfs::Dense<S>(2, 4, nnfs::Regularization{1e-4, 5e-4, 0, 5e-4}));
    m.add(nnfs::ReLU<S>());
    m.add(nnfs::Dropout<S>(0.1));
    m.add(nnfs::Dense<S>(4, 3));
    m.add(nnfs::Softmax<S>());
    return m;
  };
  {
    auto m = small_classifier(0.0f);
    m.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.05, 5e-5), nnfs::CategoricalAccuracy());
    m.finalize();
    m.train(X, y, quiet<float>(2));
    m.save(dir / "classifier_adam_state.nnfs", true);
    m.save(dir / "classifier_adam.nnfs", false);
    auto contents = nnfs::detail::model_file_contents(m, true);
    contents.big_endian = true;
    write_all(dir / "classifier_adam_state_big_endian.nnfs", nnfs::detail::model_file_bytes(contents));
  }
  {
    auto m = small_classifier(0.0);
    m.set(nnfs::CategoricalCrossentropy<double>(), nnfs::RMSprop(0.01, 1e-3, 1e-7, 0.95), nnfs::CategoricalAccuracy());
    m.finalize();
    m.train(Xd, yd, quiet<double>(2));
    m.save(dir / "classifier_rmsprop_state_f64.nnfs", true);
  }
  {
    auto m = small_classifier(0.0);
    m.set(nnfs::CategoricalCrossentropy<double>(), nnfs::Adagrad(0.5, 1e-2), nnfs::CategoricalAccuracy());
    m.finalize();
    m.train(Xd, yd, quiet<double>(2));
    m.save(dir / "classifier_adagrad_state_f64.nnfs", true);
  }
  tiny_model<float>().save(dir / "tiny_sgd_sigmoid.nnfs");
  {
    auto m = tiny_model<double>();
    M<double> Xs(3, 1);
    Xs << 0.5, -1.0, 2.0;
    M<double> ys(3, 2);
    ys << 1, 0, 0, 1, 1, 1;
    m.train(Xs, ys, quiet<double>(2));
    m.save(dir / "tiny_sgd_momentum_state_f64.nnfs", true);
  }
  {
    nnfs::Model<float> m;
    m.add(nnfs::Dense<float>(1, 4, nnfs::Regularization{}, 0.1));
    m.add(nnfs::ReLU<float>());
    m.add(nnfs::Dense<float>(4, 1, nnfs::Regularization{}, 0.1));
    m.add(nnfs::Linear<float>());
    m.set(nnfs::MeanSquaredError<float>(), nnfs::Adam(0.005, 1e-3), nnfs::RegressionAccuracy());
    m.finalize();
    const auto [Xr, yr] = nnfs::datasets::sine_data<float>(16);
    m.train(Xr, yr, quiet<float>(2));
    m.save(dir / "regression_mse_precision.nnfs", true);
    m.set(nnfs::MeanAbsoluteError<float>());
    m.save(dir / "regression_mae.nnfs");
  }
  {
    nnfs::Model<float> m;
    m.add(nnfs::Dense<float>(3, 2));
    m.add(nnfs::Sigmoid<float>());
    m.finalize();
    m.save(dir / "no_loss_no_optimizer.nnfs");
  }
  REQUIRE(fs::exists(dir / "tiny_sgd_sigmoid.nnfs"));
  for (const auto& e : fs::directory_iterator(dir)) {
    INFO(e.path());
    REQUIRE(fs::file_size(e.path()) < 4096);
  }
}
