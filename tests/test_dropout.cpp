// Dropout against NumPy (tests/golden/gen_backward.py): after np.random.seed(s) the book's
// Layer_Dropout draws np.random.binomial(1, 1 - rate, size) / (1 - rate); the C++ layer with
// RandomState(s) must draw the same mask, leave the generator at the same place (the next
// normal, and the normal cache, are NumPy's), and apply the mask in forward and backward.
// Evaluation mode is the identity and draws nothing. Then bad rates and bad calls.
#include "nnfs_catch.hpp"
#include "test_data.hpp"
#include "test_util.hpp"

#include <nnfs/nnfs.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nnfs_test::check_bits;

using nnfs_test::Golden;

const Golden& golden() {
  static const Golden g("backward_dropout.txt");
  return g;
}

struct Case {
  std::uint32_t seed;
  double rate;
  const char* tag;  // as gen_backward.py names the arrays
};

const Case kCases[] = {{0, 0.1, "s0_r0.1"}, {1, 0.1, "s1_r0.1"}, {42, 0.1, "s42_r0.1"},
                       {7, 0.5, "s7_r0.5"}, {3, 0.3, "s3_r0.3"}, {5, 0.0, "s5_r0.0"}};

}  // namespace

TEST_CASE("Dropout<float> draws NumPy's float64 mask and leaves the generator where NumPy does", "[dropout][book]") {
  // In the book, binary_mask = binomial(...) / rate is a float64 array, so `inputs * binary_mask`
  // for float32 inputs is the float64 product x·(1/q); the layer rounds it once to float. (The
  // scale rounded to float first, float(x · float(1/q)), differs in about half of the elements
  // for q = 0.9.)
  const auto& g = golden();
  const auto x = g.m<float>("x32");
  const auto dvalues = g.m<float>("dvalues32");
  for (const auto mode : {nnfs::Numerics::book, nnfs::Numerics::fast}) {
    const nnfs::NumericsScope scope(mode);
    for (const auto& c : kCases) {
      INFO(c.tag << (mode == nnfs::Numerics::book ? ", book mode" : ", fast mode"));
      const std::string tag = c.tag;
      nnfs::RandomState rng(c.seed);
      nnfs::Dropout<float> dropout(c.rate, rng);
      CHECK(dropout.rate() == c.rate);
      dropout.forward(x);
      check_bits(dropout.binary_mask, g.m<double>(tag + ".mask"), "mask");
      const double scale = 1.0 / (1.0 - c.rate);
      CHECK((dropout.binary_mask.array() == 0.0 || dropout.binary_mask.array() == scale).all());
      // the next draw: the generator consumed exactly what NumPy's binomial did
      CHECK(rng.randn() == g.scalar(tag + ".next_randn"));
      check_bits(dropout.output, nnfs::Matrix<float>(g.m<double>(tag + ".output_f32").cast<float>()),
                 "output = float(NumPy's float64 x * mask)");
      dropout.backward(dvalues);
      check_bits(dropout.dinputs, nnfs::Matrix<float>(g.m<double>(tag + ".dinputs_f32").cast<float>()),
                 "dinputs = float(NumPy's float64 dvalues * mask)");
    }
  }
}

TEST_CASE("Dropout<double> is NumPy's float64 program exactly", "[dropout]") {
  const auto& g = golden();
  const auto x = g.m<double>("x64");
  const auto dvalues = g.m<double>("dvalues64");
  for (const auto& c : kCases) {
    INFO(c.tag);
    nnfs::RandomState rng(c.seed);
    nnfs::Dropout<double> dropout(c.rate, rng);
    dropout.forward(x);
    check_bits(dropout.binary_mask, g.m<double>(std::string(c.tag) + ".mask"), "mask");
    CHECK(rng.randn() == g.scalar(std::string(c.tag) + ".next_randn"));
    check_bits(dropout.output, g.m<double>(std::string(c.tag) + ".output64"), "output");
    dropout.backward(dvalues);
    check_bits(dropout.dinputs, g.m<double>(std::string(c.tag) + ".dinputs64"), "dinputs");
  }
}

TEST_CASE("a mask leaves the generator's cached normal in place, as NumPy's binomial does", "[dropout]") {
  const auto& g = golden();
  nnfs::RandomState rng(0);
  CHECK(rng.randn() == g.scalar("cache.first"));  // its pair is now cached
  nnfs::Dropout<float> dropout(0.1, rng);
  dropout.forward(g.m<float>("x32"));
  check_bits(dropout.binary_mask, g.m<double>("cache.mask"), "mask");
  const auto after = g.m<double>("cache.after");
  CHECK(rng.randn() == after(0));  // the cached value
  CHECK(rng.randn() == after(1));
}

TEST_CASE("every training forward draws a fresh mask, and backward uses the last one", "[dropout]") {
  const auto& g = golden();
  const auto x = g.m<float>("x32");
  const auto dvalues = g.m<float>("dvalues32");
  nnfs::RandomState rng(0);
  nnfs::Dropout<float> dropout(0.1, rng);
  dropout.forward(x);
  const auto mask1 = g.m<double>("twice.mask1");
  const auto mask2 = g.m<double>("twice.mask2");
  check_bits(dropout.binary_mask, mask1, "first mask");
  dropout.forward(x);
  check_bits(dropout.binary_mask, mask2, "second mask");
  REQUIRE(mask1 != mask2);
  dropout.backward(dvalues);
  check_bits(dropout.dinputs, nnfs::Matrix<float>(dvalues.cast<double>().cwiseProduct(mask2).cast<float>()),
             "dinputs with the second mask");
}

TEST_CASE("a 120x64 mask drops the units NumPy drops", "[dropout]") {
  const auto& g = golden();
  nnfs::RandomState rng(0);
  nnfs::Dropout<float> dropout(0.1, rng);
  dropout.forward(nnfs::Matrix<float>::Ones(120, 64));
  std::vector<double> dropped;
  for (nnfs::Index i = 0; i < dropout.binary_mask.size(); ++i)
    if (dropout.binary_mask.data()[i] == 0.0) dropped.push_back(static_cast<double>(i));
  CHECK(dropped == g.at("big.dropped").values);
  CHECK(rng.randn() == g.scalar("big.next_randn"));
  // about a tenth dropped
  CHECK(dropped.size() > 600);
  CHECK(dropped.size() < 940);
}

TEST_CASE("the default generator is used when none is given", "[dropout]") {
  const auto& g = golden();
  nnfs::default_random_state().seed(42);
  nnfs::Dropout<float> dropout(0.1);
  dropout.forward(g.m<float>("x32"));
  check_bits(dropout.binary_mask, g.m<double>("s42_r0.1.mask"), "mask");
  CHECK(nnfs::default_random_state().randn() == g.scalar("s42_r0.1.next_randn"));
  nnfs::default_random_state().seed(0);
}

TEMPLATE_TEST_CASE("evaluation mode is the identity and draws nothing", "[dropout]", float, double) {
  using T = TestType;
  const auto& g = golden();
  const auto x = g.m<T>(std::is_same_v<T, float> ? "x32" : "x64");
  const auto dvalues = g.m<T>(std::is_same_v<T, float> ? "dvalues32" : "dvalues64");
  nnfs::RandomState rng(0);
  nnfs::Dropout<T> dropout(0.1, rng);
  dropout.forward(x, false);
  check_bits(dropout.output, x, "output = inputs");
  dropout.backward(dvalues);
  check_bits(dropout.dinputs, dvalues, "dinputs = dvalues");
  // nothing was drawn: a training pass now draws the first mask after seed 0
  dropout.forward(x);
  check_bits(dropout.binary_mask, g.m<double>("s0_r0.1.mask"), "first training mask");
  CHECK(rng.randn() == g.scalar("s0_r0.1.next_randn"));
  // and evaluation after training is the identity again, in backward too
  dropout.forward(x, false);
  check_bits(dropout.output, x, "output = inputs after training");
  dropout.backward(dvalues);
  check_bits(dropout.dinputs, dvalues, "dinputs = dvalues after training");
  // still nothing drawn by the evaluation passes: rng is where a generator is after one mask
  // and one normal
  nnfs::RandomState reference(0);
  nnfs::Dropout<T> reference_dropout(0.1, reference);
  reference_dropout.forward(x);
  reference.randn();
  CHECK(rng.randn() == reference.randn());
  CHECK(rng.randn() == reference.randn());
}

TEMPLATE_TEST_CASE("Dropout rejects a rate outside 0 <= rate < 1 and bad calls", "[dropout][errors]", float, double) {
  using T = TestType;
  nnfs::RandomState rng(0);
  for (const double rate : {-0.1, 1.0, 1.5, std::numeric_limits<double>::quiet_NaN(),
                            std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    INFO("rate " << rate);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dropout<T>(rate, rng), "Dropout", "rate", "[0, 1)");
  }
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dropout<T>(-0.1, rng), "-0.1");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dropout<T>(1.0, rng), "1.0");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::Dropout<T>(std::numeric_limits<double>::quiet_NaN(), rng),
                           "nan");
  CHECK(nnfs::Dropout<T>(0.0, rng).rate() == 0.0);
  CHECK(nnfs::Dropout<T>(0.999, rng).rate() == 0.999);

  nnfs::Dropout<T> dropout(0.1, rng);
  NNFS_REQUIRE_THROWS_WITH(std::logic_error, dropout.backward(nnfs::Matrix<T>::Ones(2, 2)), "Dropout::backward",
                           "before forward");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, dropout.forward(nnfs::Matrix<T>(0, 3)), "Dropout::forward", "empty");
  dropout.forward(nnfs::Matrix<T>::Ones(2, 3));
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, dropout.backward(nnfs::Matrix<T>::Ones(3, 2)), "Dropout::backward",
                           nnfs::shape_str(3, 2), nnfs::shape_str(2, 3));
}
