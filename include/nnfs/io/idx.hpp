// nnfs/io/idx.hpp — the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
//
// An IDX file is
//     0x00 0x00 <type> <ndim>   then ndim big-endian 32-bit sizes   then the data, row-major,
// e.g. train-images-idx3-ubyte: 00 00 08 03, 60000, 28, 28, then 60000·28·28 bytes.
// Only type 0x08 (unsigned byte), the type of every (Fashion-)MNIST file, is supported; the
// others (0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) are rejected
// with a message that names them. The data must be exactly as long as the header says.
//
// The files are usually distributed gzip-compressed (train-images-idx3-ubyte.gz). Input that
// starts with the gzip magic 1f 8b is inflated with zlib (inflateInit2 with 16 + MAX_WBITS, which
// also checks the gzip CRC), several concatenated gzip members are read as one stream (as
// gunzip does), and the output is never allowed to grow beyond what the header implies; output
// memory grows with the data actually inflated, so a tiny file whose header claims terabytes
// fails on its missing data rather than on an allocation.
//
// Every problem (truncated header or data, wrong magic, unsupported type, overflowing sizes,
// data beyond the header's size, corrupt or truncated gzip) is a std::runtime_error naming the
// file and what was seen, e.g.
//     nnfs::io::read_idx: 'train-images-idx3-ubyte': header says 60000×28×28 = 47040000 data
//     bytes, file has 1234
//
// Needs the nnfs::io CMake target (zlib).
#pragma once

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nnfs/detail/file.hpp"
#include "nnfs/detail/shape.hpp"

namespace nnfs::detail {

/// "60000×28×28" (a single size prints alone).
inline std::string idx_dims_str(const std::vector<std::int64_t>& dims) {
  std::string s;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += "\u00d7";
    s += std::to_string(dims[i]);
  }
  return s;
}

}  // namespace nnfs::detail

namespace nnfs::io {

/// An IDX array of unsigned bytes: its sizes (outermost first) and its data, row-major.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;

  /// Product of the sizes (= data.size() for a parsed file). Throws std::invalid_argument,
  /// naming the sizes, when one is negative or the product overflows int64 (hand-built dims).
  std::int64_t element_count() const {
    std::int64_t n = 0;
    if (!nnfs::detail::shape_element_count(dims, n))
      throw std::invalid_argument(
          fmt::format("nnfs::io::IdxArray::element_count: sizes {} have a negative size or a "
                      "product beyond int64",
                      detail::idx_dims_str(dims)));
    return n;
  }
};

/// The default largest IDX payload (2^40 bytes); only there to keep the size arithmetic far
/// from overflow. read_idx also caps it at nnfs::max_read_bytes() (nnfs/detail/file.hpp), so a
/// small gzip file cannot inflate to more than a file the readers would read.
inline constexpr std::uint64_t kMaxIdxBytes = std::uint64_t{1} << 40;

}  // namespace nnfs::io

namespace nnfs::detail {

inline std::string idx_type_name(unsigned type) {
  switch (type) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "int16";
    case 0x0C:
      return "int32";
    case 0x0D:
      return "float32";
    case 0x0E:
      return "float64";
    default:
      return "not an IDX type";
  }
}

/// Where bytes come from: a plain buffer or a gzip stream, behind one `read`.
class IdxSource {
 public:
  IdxSource(const unsigned char* data, std::size_t size, bool gzip, std::string prefix)
      : data_(data), size_(size), gzip_(gzip), prefix_(std::move(prefix)) {
    if (gzip_) {
      stream_.zalloc = Z_NULL;
      stream_.zfree = Z_NULL;
      stream_.opaque = Z_NULL;
      stream_.next_in = Z_NULL;
      stream_.avail_in = 0;
      if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK)
        throw fail(std::string("zlib cannot start inflating: ") +
                   (stream_.msg != nullptr ? stream_.msg : "inflateInit2 failed"));
      initialized_ = true;
    }
  }
  ~IdxSource() {
    if (initialized_) inflateEnd(&stream_);
  }
  IdxSource(const IdxSource&) = delete;
  IdxSource& operator=(const IdxSource&) = delete;

  std::runtime_error fail(const std::string& what) const {
    return std::runtime_error(prefix_ + what);
  }

  /// Copies up to n bytes into out; fewer only when the input (every gzip member) is exhausted.
  /// Throws on corrupt, truncated or trailing gzip data.
  std::size_t read(std::uint8_t* out, std::size_t n) {
    if (!gzip_) {
      const std::size_t k = std::min(n, size_ - offset_);
      std::copy(data_ + offset_, data_ + offset_ + k, out);
      offset_ += k;
      return k;
    }
    std::size_t produced = 0;
    while (produced < n) {
      if (member_ended_) {
        const std::size_t left = stream_.avail_in + (size_ - offset_);
        if (left == 0) break;  // the end of the last member: end of data
        const unsigned char* next = stream_.next_in;
        if (stream_.avail_in == 0) next = data_ + offset_;
        // Another gzip member follows (concatenated .gz files), or garbage.
        if (left < 2 || next[0] != 0x1f || next[1] != 0x8b)
          throw fail(
              fmt::format("{} bytes of trailing data after the end of the gzip stream", left));
        if (inflateReset(&stream_) != Z_OK) throw fail("zlib cannot restart inflating");
        member_ended_ = false;
      }
      if (stream_.avail_in == 0 && offset_ < size_) {
        const std::size_t k = std::min<std::size_t>(size_ - offset_, UINT_MAX);
        stream_.next_in = const_cast<unsigned char*>(data_ + offset_);  // zlib never writes it
        stream_.avail_in = static_cast<uInt>(k);
        offset_ += k;
      }
      const std::size_t want = std::min<std::size_t>(n - produced, UINT_MAX);
      stream_.next_out = out + produced;
      stream_.avail_out = static_cast<uInt>(want);
      const int rc = inflate(&stream_, Z_NO_FLUSH);
      produced += want - stream_.avail_out;
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
        continue;
      }
      if (rc == Z_BUF_ERROR && stream_.avail_in == 0 && offset_ == size_)
        throw fail(
            fmt::format("the gzip data is truncated: the compressed stream ends early ({} bytes of "
                        "compressed input)",
                        size_));
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        throw fail(fmt::format("corrupt gzip data: {} (zlib error {})",
                               stream_.msg != nullptr ? stream_.msg : "no message", rc));
    }
    return produced;
  }

  /// Everything left after the data, counted (for the "too long" message); 0 at a clean end.
  std::uint64_t drain() {
    std::uint64_t extra = 0;
    std::uint8_t scratch[1 << 14];
    std::size_t got = 0;
    while ((got = read(scratch, sizeof scratch)) > 0) extra += got;
    return extra;
  }

 private:
  const unsigned char* data_;
  std::size_t size_;
  std::size_t offset_ = 0;
  bool gzip_;
  std::string prefix_;
  z_stream stream_{};
  bool initialized_ = false;
  bool member_ended_ = false;
};

inline io::IdxArray parse_idx(const char* function, const std::string& name, const void* bytes,
                              std::size_t size, std::uint64_t max_bytes) {
  const auto* data = static_cast<const unsigned char*>(bytes);
  const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
  IdxSource source(data, size, gzip, fmt::format("{}: {}: ", function, name));
  const char* what = gzip ? "the decompressed data" : "the file";

  std::uint8_t magic[4];
  const std::size_t got_magic = source.read(magic, 4);
  if (got_magic < 4)
    throw source.fail(
        fmt::format("{} ends inside the IDX header ({} of its first 4 bytes)", what, got_magic));
  if (magic[0] != 0 || magic[1] != 0)
    throw source.fail(fmt::format(
        "not an IDX file: it must start with 00 00 <type> <ndim>, found {:02x} {:02x} {:02x} "
        "{:02x}{}",
        magic[0], magic[1], magic[2], magic[3],
        (magic[0] == 0x1f && magic[1] == 0x8b) ? " (gzip inside gzip?)" : ""));
  if (magic[2] != 0x08)
    throw source.fail(
        fmt::format("IDX data type 0x{:02x} ({}) is not supported; only 0x08 (unsigned byte) is",
                    magic[2], idx_type_name(magic[2])));
  const unsigned ndim = magic[3];
  if (ndim == 0) throw source.fail("the IDX header declares 0 dimensions");

  io::IdxArray out;
  out.dims.reserve(ndim);
  std::vector<std::uint8_t> raw_dims(std::size_t{4} * ndim);
  const std::size_t got_dims = source.read(raw_dims.data(), raw_dims.size());
  if (got_dims < raw_dims.size())
    throw source.fail(
        fmt::format("{} ends inside the IDX header: {} dimensions need {} bytes of sizes, found {}",
                    what, ndim, raw_dims.size(), got_dims));
  // Never more than an int64 or a size_t holds (a caller may pass any max_bytes).
  max_bytes = std::min<std::uint64_t>(
      {max_bytes, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()),
       static_cast<std::uint64_t>(std::numeric_limits<std::size_t>::max())});
  std::uint64_t total = 1;
  bool too_big = false;
  for (std::size_t i = 0; i < ndim; ++i) {
    const std::uint32_t d =
        (std::uint32_t{raw_dims[4 * i]} << 24) | (std::uint32_t{raw_dims[4 * i + 1]} << 16) |
        (std::uint32_t{raw_dims[4 * i + 2]} << 8) | std::uint32_t{raw_dims[4 * i + 3]};
    if (d > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
      throw source.fail(fmt::format(
          "IDX size {} of dimension {} is negative as a 32-bit integer (bytes {:02x} {:02x} "
          "{:02x} {:02x})",
          d, i, raw_dims[4 * i], raw_dims[4 * i + 1], raw_dims[4 * i + 2], raw_dims[4 * i + 3]));
    out.dims.push_back(static_cast<std::int64_t>(d));
    // total stays <= max_bytes (< 2^63) before each product, d < 2^31: checked division.
    if (d != 0 && total > max_bytes / d) too_big = true;
    if (!too_big) total *= d;
  }
  // A zero size makes no data whatever the others are (as NumPy's shape product).
  if (std::find(out.dims.begin(), out.dims.end(), 0) != out.dims.end()) {
    total = 0;
    too_big = false;
  }
  if (too_big)
    throw source.fail(
        fmt::format("IDX sizes {} describe more than the limit of {} bytes (the max_bytes "
                    "argument; read_idx also caps it at nnfs::max_read_bytes(), raised with "
                    "nnfs::set_max_read_bytes)",
                    idx_dims_str(out.dims), max_bytes));

  const std::string header_says =
      fmt::format("header says {} = {} data bytes", idx_dims_str(out.dims), total);
  if (!gzip) {
    const std::size_t available = size - 4 - raw_dims.size();
    if (available != total)
      throw source.fail(fmt::format("{}, file has {}", header_says, available));
    out.data.assign(data + 4 + raw_dims.size(), data + size);
    return out;
  }
  // gzip: grow the output with the data actually inflated (never past `total`).
  const auto n_total = static_cast<std::size_t>(total);
  std::size_t filled = 0;
  while (filled < n_total) {
    const std::size_t chunk = std::min(n_total - filled, std::max<std::size_t>(filled, 1 << 20));
    out.data.resize(filled + chunk);
    const std::size_t got = source.read(out.data.data() + filled, chunk);
    filled += got;
    if (got < chunk)
      throw source.fail(fmt::format("{}, the gzip stream holds only {}", header_says, filled));
  }
  const std::uint64_t extra = source.drain();
  if (extra > 0)
    throw source.fail(fmt::format("{}, the gzip stream holds {} more", header_says, extra));
  return out;
}

}  // namespace nnfs::detail

namespace nnfs::io {

/// Parses IDX bytes held in memory, raw or gzip-compressed. `name` appears in messages.
/// Throws std::runtime_error on any malformed input (see the top of this file).
inline IdxArray parse_idx(const void* bytes, std::size_t size, const std::string& name = "<memory>",
                          std::uint64_t max_bytes = kMaxIdxBytes) {
  return detail::parse_idx("nnfs::io::parse_idx", name, bytes, size, max_bytes);
}

inline IdxArray parse_idx(std::string_view bytes, const std::string& name = "<memory>",
                          std::uint64_t max_bytes = kMaxIdxBytes) {
  return parse_idx(bytes.data(), bytes.size(), name, max_bytes);
}

/// Reads the IDX file at `path` (raw or gzip-compressed, detected from its first two bytes);
/// the payload may be at most min(max_bytes, nnfs::max_read_bytes()) bytes. Throws
/// std::runtime_error naming the file when it cannot be read (see nnfs/detail/file.hpp: not a
/// regular file, larger than nnfs::max_read_bytes()...) or is malformed.
inline IdxArray read_idx(const std::filesystem::path& path,
                         std::uint64_t max_bytes = kMaxIdxBytes) {
  constexpr const char* function = "nnfs::io::read_idx";
  const std::string bytes = nnfs::detail::read_file_bytes(function, path);
  return detail::parse_idx(function, "'" + path.string() + "'", bytes.data(), bytes.size(),
                           std::min(max_bytes, nnfs::max_read_bytes()));
}

}  // namespace nnfs::io
