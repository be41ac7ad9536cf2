// libFuzzer target for nnfs/io/npz.hpp: parse_npz on arbitrary bytes (zip structures, ZIP64
// records, deflate streams, and the .npy members inside).
//
// Contract under test: parse_npz either returns the arrays or throws a std::exception; it never
// reads out of bounds, leaks, overflows, or inflates beyond the declared sizes (AddressSanitizer,
// UBSan and -rss_limit_mb catch those). Whatever parses must convert (or refuse with a
// std::exception), and writing it back, stored and deflated, must give an archive that parses
// to the same arrays.
#include <nnfs/io/npz.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  nnfs::NpzArrays arrays;
  try {
    arrays = nnfs::parse_npz(bytes, "fuzz");
  } catch (const std::exception&) {
    return 0;  // refused: fine
  }
  for (const auto& [name, array] : arrays) {
    (void)name;
    try {
      (void)array.to_matrix<float>();
    } catch (const std::exception&) {
    }
    try {
      (void)array.to_labels();
    } catch (const std::exception&) {
    }
  }
  // Member names that parse can still be refused by the writer (e.g. '/' or invalid UTF-8);
  // anything it accepts must come back unchanged.
  for (const bool compressed : {false, true}) {
    std::string again;
    try {
      again = nnfs::npz_bytes(arrays, compressed);
    } catch (const std::invalid_argument&) {
      return 0;
    }
    if (nnfs::parse_npz(again, "round trip") != arrays) std::abort();
  }
  return 0;
}
