// libFuzzer target: nnfs::io::decode_gray_png on arbitrary bytes, and for every image that
// decodes, encode_gray_png + decode_gray_png must give the same pixels back. Malformed input
// must end in std::runtime_error; a crash, a sanitizer report, another exception type or a
// failed round trip is a finding. Seed corpus: fuzz/corpus/png/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nnfs/io/png.hpp>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nnfs::io::GrayImage image;
  try {
    // 2^22 pixels at most per input (the library's default is 2^28) to keep runs fast.
    image = nnfs::io::decode_gray_png(data, size, "fuzz", std::uint64_t{1} << 22);
  } catch (const std::runtime_error&) {
    return 0;  // malformed input, reported as documented
  }
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() !=
          static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height))
    std::abort();
  const std::string png = nnfs::io::encode_gray_png(image.width, image.height, image.pixels);
  const nnfs::io::GrayImage again = nnfs::io::decode_gray_png(png, "round trip");
  if (again.width != image.width || again.height != image.height || again.pixels != image.pixels)
    std::abort();
  return 0;
}
