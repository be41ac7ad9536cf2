// libFuzzer target for nnfs/io/npy.hpp: parse_npy on arbitrary bytes.
//
// Contract under test: parse_npy either returns an array or throws a std::exception (a
// std::runtime_error for malformed input); it never reads out of bounds, leaks, overflows or
// allocates beyond what the input justifies (AddressSanitizer, UBSan, -rss_limit_mb catch those).
// Whatever parses must also convert (or refuse to convert with a std::exception) and write back
// to bytes that parse to the same array.
#include <nnfs/io/npy.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nnfs::NpyArray array;
  try {
    array = nnfs::parse_npy(bytes, "fuzz");
  } catch (const std::exception&) {
    return 0;  // refused: fine
  }
  try {
    (void)array.to_matrix<float>();
  } catch (const std::exception&) {
  }
  try {
    (void)array.to_labels();
  } catch (const std::exception&) {
  }
  // A parsed array is consistent: npy_bytes accepts it and the result parses back to it.
  if (nnfs::parse_npy(nnfs::npy_bytes(array), "round trip") != array) std::abort();
  return 0;
}
