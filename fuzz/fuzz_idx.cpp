// libFuzzer target: nnfs::io::parse_idx on arbitrary bytes (raw IDX, gzip'd IDX, garbage).
// Malformed input must end in std::runtime_error; anything else (a crash, a sanitizer report,
// another exception type, an array whose data does not match its sizes) is a finding.
// Seed corpus: fuzz/corpus/idx/ (valid, near-valid, raw and gzip'd files).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nnfs/io/idx.hpp>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    // A 16 MiB cap keeps each run small; the size arithmetic is the same as with the default.
    const nnfs::io::IdxArray array =
        nnfs::io::parse_idx(data, size, "fuzz", std::uint64_t{1} << 24);
    if (array.dims.empty() || array.element_count() != static_cast<std::int64_t>(array.data.size()))
      std::abort();
    for (const std::int64_t d : array.dims)
      if (d < 0) std::abort();
  } catch (const std::runtime_error&) {
    // malformed input, reported as documented
  }
  return 0;
}
