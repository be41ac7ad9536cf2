// nnfs/io/png.hpp — 8-bit grayscale PNG images in and out (the book's Fashion-MNIST folders).
//
// Decoding goes through libpng's *simplified API* (png_image_begin_read_from_memory /
// png_image_finish_read): libpng reports every error through png_image::message and unwinds
// with its own setjmp/longjmp inside its C frames only, so no longjmp ever crosses a C++ frame.
// Errors become std::runtime_error naming the file and libpng's message.
//
// Whatever the file stores, libpng converts it to 8-bit gray (PNG_FORMAT_GRAY):
//   - 8-bit gray (Fashion-MNIST's own format) is returned byte for byte, as cv2.imread does;
//   - 1-, 2- and 4-bit gray are scaled to 0..255 (a 4-bit v becomes 17·v);
//   - colour (RGB, palette) becomes libpng's luminance of the colour, in linear light; a pixel
//     with R = G = B keeps that value;
//   - an alpha channel or tRNS is removed by compositing on black (0);
//   - 16-bit samples are reduced to 8 bits. libpng's simplified API takes 16-bit data without a
//     gAMA/sRGB chunk as *linear* light and would re-encode it to sRGB; these functions set
//     PNG_IMAGE_FLAG_16BIT_sRGB so that such data is taken as sRGB-encoded instead: a 16-bit
//     v comes out as v / 257 rounded to nearest (65535 → 255), the stored value at 8 bits;
//   - a gAMA or sRGB chunk is honoured: a file tagged with a gamma other than sRGB's has its
//     values re-encoded to sRGB. (cv2.imread ignores gAMA. Fashion-MNIST's PNGs have none.)
// Pixels are returned row by row, top row first, width·height bytes.
//
// Writing (write_gray_png / encode_gray_png) produces an 8-bit gray PNG with
// png_image_write_to_memory; write_gray_png then replaces the file atomically
// (detail::write_file_replacing), so a failed save never leaves a truncated file behind.
//
// Sizes are guarded before anything is allocated: an image may have at most
// kMaxPngPixels (2^28) pixels, and no more than a compressed stream of the input's size could
// possibly describe (deflate expands by at most ~1032:1 and a pixel takes at least one bit), so
// a few hundred bytes cannot make the decoder allocate gigabytes.
//
// Needs the nnfs::io CMake target (libpng, zlib).
#pragma once

#include <fmt/format.h>
#include <png.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nnfs/detail/file.hpp"

namespace nnfs::io {

/// An 8-bit grayscale image: `pixels` holds width·height bytes, row by row, top row first.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;

  /// The pixel in row `row`, column `col` (no bounds check).
  std::uint8_t at(int row, int col) const {
    return pixels[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
                  static_cast<std::size_t>(col)];
  }
};

/// The largest image the decoders accept: 2^28 pixels (256 MiB of gray bytes).
inline constexpr std::uint64_t kMaxPngPixels = std::uint64_t{1} << 28;

}  // namespace nnfs::io

namespace nnfs::detail {

/// A png_image that is always released, also when a C++ exception leaves the scope.
/// (png_image_free is a no-op once libpng has freed the image itself.)
class PngImageGuard {
 public:
  PngImageGuard() {
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
  }
  ~PngImageGuard() { png_image_free(&image); }
  PngImageGuard(const PngImageGuard&) = delete;
  PngImageGuard& operator=(const PngImageGuard&) = delete;

  png_image image;

  /// libpng's message for the last failure (never empty), with a hint for truncation.
  std::string message() const {
    std::string text = raw_message();
    if (text == "read beyond end of data") text += " (the PNG data is truncated)";
    return text;
  }

 private:
  std::string raw_message() const {
    const void* end = std::memchr(image.message, '\0', sizeof image.message);
    const std::size_t n =
        end == nullptr ? sizeof image.message
                       : static_cast<std::size_t>(static_cast<const char*>(end) - image.message);
    return n == 0 ? std::string("unknown libpng error") : std::string(image.message, n);
  }
};

/// Reads the header of a PNG held in memory and checks its size. `name` is only used in
/// messages ("'path'" for a file, "<memory>" otherwise). After it returns, the guard's image
/// is ready for png_image_finish_read into width·height bytes.
inline void begin_gray_png(PngImageGuard& png, const char* function, const std::string& name,
                           const void* data, std::size_t size, std::uint64_t max_pixels) {
  const auto fail = [&](const std::string& what) {
    return std::runtime_error(fmt::format("{}: cannot decode PNG {}: {}", function, name, what));
  };
  if (size < 8 || png_sig_cmp(static_cast<png_const_bytep>(data), 0, 8) != 0)
    throw fail(
        fmt::format("not a PNG file (no PNG signature in its first 8 bytes; {} bytes)", size));
  if (png_image_begin_read_from_memory(&png.image, data, size) == 0) throw fail(png.message());
  const std::uint64_t width = png.image.width;
  const std::uint64_t height = png.image.height;
  const std::uint64_t pixels = width * height;  // both < 2^31 (PNG's limit): no overflow
  // At least one bit per pixel, and deflate cannot expand more than ~1032:1: what `size` bytes
  // can describe at most (plus slack for tiny files).
  const std::uint64_t describable = static_cast<std::uint64_t>(size) * 8U * 1040U + 65536U;
  if (width == 0 || height == 0 || pixels > max_pixels || pixels > describable)
    throw fail(fmt::format(
        "implausible image size {}\u00d7{} ({} pixels; the limit is {} pixels, and {} bytes of PNG "
        "can describe at most about {})",
        width, height, pixels, max_pixels, size, describable));
  png.image.format = PNG_FORMAT_GRAY;
  png.image.flags |= PNG_IMAGE_FLAG_16BIT_sRGB;  // 16-bit data without gAMA: high byte (see top)
}

/// png_image_finish_read into `out` (width·height bytes), compositing any alpha on black.
inline void finish_gray_png(PngImageGuard& png, const char* function, const std::string& name,
                            std::uint8_t* out) {
  png_color black{0, 0, 0};
  if (png_image_finish_read(&png.image, &black, out, 0, nullptr) == 0)
    throw std::runtime_error(
        fmt::format("{}: cannot decode PNG {}: {}", function, name, png.message()));
}

inline std::string quoted_path(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

}  // namespace nnfs::detail

namespace nnfs::io {

/// Decodes a PNG held in memory (any colour type, converted to 8-bit gray: see the top of this
/// file). `name` appears in error messages. Throws std::runtime_error for anything that is not
/// a complete, valid PNG, or an image larger than `max_pixels`.
inline GrayImage decode_gray_png(const void* data, std::size_t size,
                                 const std::string& name = "<memory>",
                                 std::uint64_t max_pixels = kMaxPngPixels) {
  constexpr const char* function = "nnfs::io::decode_gray_png";
  detail::PngImageGuard png;
  detail::begin_gray_png(png, function, name, data, size, max_pixels);
  GrayImage image;
  image.width = static_cast<int>(png.image.width);
  image.height = static_cast<int>(png.image.height);
  image.pixels.resize(static_cast<std::size_t>(png.image.width) * png.image.height);
  detail::finish_gray_png(png, function, name, image.pixels.data());
  return image;
}

inline GrayImage decode_gray_png(std::string_view bytes, const std::string& name = "<memory>",
                                 std::uint64_t max_pixels = kMaxPngPixels) {
  return decode_gray_png(bytes.data(), bytes.size(), name, max_pixels);
}

/// Reads and decodes the PNG file at `path` (see decode_gray_png). Throws std::runtime_error
/// naming the file when it cannot be read or decoded.
inline GrayImage read_gray_png(const std::filesystem::path& path,
                               std::uint64_t max_pixels = kMaxPngPixels) {
  const std::string bytes = nnfs::detail::read_file_bytes("nnfs::io::read_gray_png", path);
  return decode_gray_png(bytes.data(), bytes.size(), detail::quoted_path(path), max_pixels);
}

/// An 8-bit gray PNG of the image (width·height bytes, row by row) as bytes. Throws
/// std::invalid_argument for a non-positive size or a pixel count that does not match, and
/// std::runtime_error when libpng fails.
inline std::string encode_gray_png(int width, int height, const std::uint8_t* pixels,
                                   std::size_t pixel_count) {
  constexpr const char* function = "nnfs::io::encode_gray_png";
  if (width <= 0 || height <= 0 ||
      static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > kMaxPngPixels)
    throw std::invalid_argument(
        fmt::format("{}: the image size must be positive and at most {} pixels, got {}\u00d7{}",
                    function, kMaxPngPixels, width, height));
  const std::size_t expected = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  if (pixel_count != expected)
    throw std::invalid_argument(fmt::format("{}: a {}\u00d7{} image needs {} pixels, got {}",
                                            function, width, height, expected, pixel_count));
  detail::PngImageGuard png;
  png.image.width = static_cast<png_uint_32>(width);
  png.image.height = static_cast<png_uint_32>(height);
  png.image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (png_image_write_get_memory_size(png.image, size, 0, pixels, 0, nullptr) == 0)
    throw std::runtime_error(fmt::format("{}: libpng failed: {}", function, png.message()));
  std::string out(size, '\0');
  if (png_image_write_to_memory(&png.image, out.data(), &size, 0, pixels, 0, nullptr) == 0)
    throw std::runtime_error(fmt::format("{}: libpng failed: {}", function, png.message()));
  out.resize(size);
  return out;
}

inline std::string encode_gray_png(int width, int height, const std::vector<std::uint8_t>& pixels) {
  return encode_gray_png(width, height, pixels.data(), pixels.size());
}

/// Writes an 8-bit gray PNG of the image to `path`, replacing the file only once it is
/// complete. Throws std::invalid_argument for a bad size, std::runtime_error for I/O errors.
inline void write_gray_png(const std::filesystem::path& path, int width, int height,
                           const std::vector<std::uint8_t>& pixels) {
  nnfs::detail::write_file_replacing("nnfs::io::write_gray_png", path,
                                     encode_gray_png(width, height, pixels));
}

inline void write_gray_png(const std::filesystem::path& path, const GrayImage& image) {
  write_gray_png(path, image.width, image.height, image.pixels);
}

}  // namespace nnfs::io
