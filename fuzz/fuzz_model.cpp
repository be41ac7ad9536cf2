// libFuzzer target for nnfs/io/model_file.hpp: Model<float>::from_bytes and Model<double>::from_bytes
// on arbitrary bytes.
//
// Contract under test: loading either gives a finalized model or throws std::runtime_error
// (exactly that type: an std::invalid_argument or std::logic_error escaping from the Model's own
// checks would mean the reader let something through); it never reads out of bounds, leaks,
// overflows, hangs or allocates beyond what the input justifies. A model that loads must print
// its summary, predict on one row of zeros (1×inputs → 1×outputs) and save again; what it saves
// must load again and save to the same bytes.
//
// A random mutation almost always breaks the CRC-32 trailer, which the reader checks before the
// payload and the arrays' layout; so every input is also tried with its last 4 bytes replaced by
// the correct CRC-32, which lets mutations of the header and payload reach every later check.
// Seed corpus: fuzz/corpus/model/ (written by the hidden test "write the model fuzz corpus" in
// tests/test_model_file.cpp: nnfs_tests "[corpus]").
#include <nnfs/io/model_file.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>

namespace {

[[noreturn]] void finding(const char* what, const std::exception* e) {
  std::fprintf(stderr, "fuzz_model: %s%s%s\n", what, e != nullptr ? ": " : "", e != nullptr ? e->what() : "");
  std::abort();
}

template <class T>
void try_load(std::string_view bytes) {
  std::optional<nnfs::Model<T>> model;
  try {
    model.emplace(nnfs::Model<T>::from_bytes(bytes, "fuzz"));
  } catch (const std::runtime_error& e) {
    if (typeid(e) != typeid(std::runtime_error)) finding("from_bytes threw a subclass of std::runtime_error", &e);
    return;  // refused, as documented
  } catch (const std::exception& e) {
    finding("from_bytes threw something other than std::runtime_error", &e);
  }
  try {
    if (!model->finalized()) finding("a loaded model is not finalized", nullptr);
    (void)model->summary();
    const nnfs::Index inputs = model->input_width();
    if (inputs < 1) finding("a loaded model takes no inputs", nullptr);
    const nnfs::Matrix<T> X = nnfs::Matrix<T>::Zero(1, inputs);
    const nnfs::Matrix<T>& out = model->predict(X);
    if (out.rows() != 1 || out.cols() != model->output_width()) finding("predict gave the wrong shape", nullptr);
    const std::string saved = model->to_bytes(true);
    const std::string again = nnfs::Model<T>::from_bytes(saved, "fuzz (saved again)").to_bytes(true);
    if (again != saved) finding("saving a loaded model twice gave different bytes", nullptr);
  } catch (const std::exception& e) {
    finding("a loaded model failed to summarize, predict or save", &e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try_load<float>(bytes);
  try_load<double>(bytes);
  if (size >= 4) {
    std::string sealed(bytes);
    const std::uint32_t crc = nnfs::detail::crc32(sealed.data(), size - 4);
    nnfs::detail::store_scalar<std::uint32_t>(sealed.data() + size - 4, crc, false);
    if (sealed != bytes) {
      try_load<float>(sealed);
      try_load<double>(sealed);
    }
  }
  return 0;
}
