// nnfs/io/zip.hpp — the zip container of .npz files: its byte fields, CRC-32 and deflate (zlib),
// and writing an archive as Python's zipfile writes it for numpy.savez; nnfs/io/zip_reader.hpp
// reads one. Needs zlib (link nnfs::io).
#pragma once

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnfs::detail {

// Python's zipfile switches to ZIP64 fields beyond 2^31 − 1 (not 2^32 − 1); matching it keeps
// the bytes identical for large archives too.
inline constexpr std::uint64_t zip64_limit = (std::uint64_t{1} << 31) - 1;
inline constexpr std::uint64_t zip_filecount_limit = 0xFFFF;
inline constexpr std::uint16_t zip_dos_time = 0;                    // 00:00:00
inline constexpr std::uint16_t zip_dos_date = (1 << 5) | 1;         // 1980-01-01
inline constexpr std::uint32_t zip_external_attr = 0600u << 16;     // -rw------- (zipfile's default)
inline constexpr std::uint64_t deflate_max_ratio = 1032;            // zlib's bound for deflate

inline void zip_put16(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 2; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void zip_put32(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void zip_put64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

/// Little-endian reads from a byte view; the caller has checked the bounds.
inline std::uint64_t zip_get(std::string_view s, std::size_t at, int bytes) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}

/// zlib's CRC-32 over any length (crc32 takes at most UINT_MAX bytes per call).
inline std::uint32_t zip_crc32(std::string_view data) noexcept {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::size_t done = 0;
  while (done < data.size()) {
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(data.size() - done, UINT_MAX));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + done), chunk);
    done += chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

/// Raw deflate (no zlib header, as zip stores it) at zlib's default level, as Python's
/// zipfile.ZIP_DEFLATED compresses: compressobj(Z_DEFAULT_COMPRESSION, DEFLATED, -15).
inline std::string zip_deflate(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("save_npz: zlib deflateInit2 failed");
  struct End {
    z_stream* z;
    ~End() { deflateEnd(z); }
  } end{&z};
  std::string out;
  std::size_t consumed = 0, produced = 0;
  out.resize(std::min<std::size_t>(in.size(), std::size_t{1} << 20) + 64);  // grows below as needed
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    const auto in_chunk = static_cast<uInt>(std::min<std::size_t>(in.size() - consumed, UINT_MAX));
    const auto out_chunk = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT_MAX));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
    z.avail_in = in_chunk;
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = out_chunk;
    const bool last = in.size() - consumed == in_chunk;
    const int rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
    consumed += in_chunk - z.avail_in;
    produced += out_chunk - z.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::runtime_error("save_npz: zlib deflate failed");
  }
  out.resize(produced);
  return out;
}

/// Inflates a raw deflate stream that must produce exactly `size` bytes and use all of `in`.
/// Output grows as it is produced (never beyond `size`), so a stream that lies about its size
/// costs no more memory than it really inflates to.
inline std::string zip_inflate(std::string_view in, std::uint64_t size, const std::string& where) {
  const auto fail = [&](const std::string& why) { return std::runtime_error(where + ": " + why); };
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw fail("zlib inflateInit2 failed");
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&z};
  std::string out;
  out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(size, 1u << 16)));
  std::size_t consumed = 0, produced = 0;
  unsigned char spare = 0;  // a byte past the declared size: any output there is too much
  for (;;) {
    if (produced == out.size() && out.size() < size)
      out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(size, std::uint64_t{out.size()} * 2)));
    const bool at_limit = produced == out.size();
    const auto in_chunk = static_cast<uInt>(std::min<std::size_t>(in.size() - consumed, UINT_MAX));
    const auto out_chunk = at_limit ? 1u : static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT_MAX));
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
    z.avail_in = in_chunk;
    z.next_out = at_limit ? &spare : reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = out_chunk;
    const int rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t got = out_chunk - z.avail_out;
    consumed += in_chunk - z.avail_in;
    if (at_limit && got > 0)
      throw fail(fmt::format("the deflate stream inflates to more than the declared {} bytes", size));
    produced += got;
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR || (rc == Z_OK && got == 0 && in_chunk == z.avail_in))
      throw fail(fmt::format("truncated deflate stream: it ends after {} of the declared {} bytes", produced, size));
    if (rc != Z_OK) throw fail(std::string("corrupt deflate data: ") + (z.msg != nullptr ? z.msg : "zlib error"));
  }
  if (produced != size)
    throw fail(fmt::format("the deflate stream inflates to {} bytes, the directory declares {}", produced, size));
  if (consumed != in.size())
    throw fail(fmt::format("{} bytes of compressed data follow the end of the deflate stream", in.size() - consumed));
  out.resize(produced);
  return out;
}

/// Whether `s` is valid UTF-8 (member names are stored with the UTF-8 flag when not ASCII).
inline bool zip_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;  // continuation bytes
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (n > s.size() - i - 1) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    // overlong encodings, surrogates and code points beyond Unicode
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

/// Writes a zip archive as Python's zipfile writes it for numpy.savez: members in the order
/// added, each with the ZIP64 extra field numpy's force_zip64 adds, stored or deflated, dated
/// 1980-01-01 00:00. Names are written as given (the caller checks them).
class ZipWriter {
 public:
  explicit ZipWriter(bool compressed) : compressed_(compressed) {}

  /// Appends the member `name` holding `member` (its uncompressed bytes).
  void add(const std::string& name, std::string_view member) {
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const std::uint16_t flags = ascii ? 0 : 0x800;  // bit 11: the name is UTF-8
    const std::string body = compressed_ ? zip_deflate(member) : std::string();
    const std::string_view data = compressed_ ? std::string_view(body) : std::string_view(member);
    Written w{name, flags, zip_crc32(member), data.size(), member.size(), out_.size(), false};
    w.zip64_sizes = w.uncompressed > zip64_limit || w.compressed > zip64_limit;
    // Local header: numpy opens every member with force_zip64=True, so a ZIP64 extra field with
    // both sizes is always there; the 32-bit fields hold the sizes unless they exceed the limit.
    zip_put32(out_, 0x04034b50);
    zip_put16(out_, w.zip64_sizes ? 45 : 20);
    zip_put16(out_, flags);
    put_method_to_sizes(w);
    zip_put16(out_, name.size());
    zip_put16(out_, 20);
    out_ += name;
    zip_put16(out_, 0x0001);
    zip_put16(out_, 16);
    zip_put64(out_, w.uncompressed);
    zip_put64(out_, w.compressed);
    out_ += data;
    entries_.push_back(std::move(w));
  }

  /// The central directory and the end records after the members; the archive's bytes.
  std::string finish() {
    const std::uint64_t cd_offset = out_.size();
    for (const Written& w : entries_) {
      std::string extra;
      if (w.zip64_sizes) {
        zip_put64(extra, w.uncompressed);
        zip_put64(extra, w.compressed);
      }
      const bool zip64_offset = w.offset > zip64_limit;
      if (zip64_offset) zip_put64(extra, w.offset);
      if (!extra.empty()) {
        std::string field;
        zip_put16(field, 0x0001);
        zip_put16(field, extra.size());
        field += extra;
        extra = std::move(field);
      }
      const std::uint16_t version = (w.zip64_sizes || zip64_offset) ? 45 : 20;
      zip_put32(out_, 0x02014b50);
      out_.push_back(static_cast<char>(version));  // made by: zip version
      out_.push_back(3);                           // made by: Unix
      zip_put16(out_, version);
      zip_put16(out_, w.flags);
      put_method_to_sizes(w);
      zip_put16(out_, w.name.size());
      zip_put16(out_, extra.size());
      zip_put16(out_, 0);  // comment
      zip_put16(out_, 0);  // disk
      zip_put16(out_, 0);  // internal attributes
      zip_put32(out_, zip_external_attr);
      zip_put32(out_, zip64_offset ? 0xFFFFFFFF : w.offset);
      out_ += w.name;
      out_ += extra;
    }
    const std::uint64_t cd_end = out_.size();
    const std::uint64_t count = entries_.size(), cd_size = cd_end - cd_offset;
    if (count > zip_filecount_limit || cd_offset > zip64_limit || cd_size > zip64_limit) {
      zip_put32(out_, 0x06064b50);
      zip_put64(out_, 44);
      zip_put16(out_, 45);
      zip_put16(out_, 45);
      zip_put32(out_, 0);
      zip_put32(out_, 0);
      zip_put64(out_, count);
      zip_put64(out_, count);
      zip_put64(out_, cd_size);
      zip_put64(out_, cd_offset);
      zip_put32(out_, 0x07064b50);
      zip_put32(out_, 0);
      zip_put64(out_, cd_end);
      zip_put32(out_, 1);
    }
    zip_put32(out_, 0x06054b50);
    zip_put16(out_, 0);
    zip_put16(out_, 0);
    zip_put16(out_, std::min<std::uint64_t>(count, 0xFFFF));
    zip_put16(out_, std::min<std::uint64_t>(count, 0xFFFF));
    zip_put32(out_, std::min<std::uint64_t>(cd_size, 0xFFFFFFFF));
    zip_put32(out_, std::min<std::uint64_t>(cd_offset, 0xFFFFFFFF));
    zip_put16(out_, 0);
    return std::move(out_);
  }

 private:
  struct Written {
    std::string name;
    std::uint16_t flags;
    std::uint32_t crc;
    std::uint64_t compressed, uncompressed, offset;
    bool zip64_sizes;
  };

  /// The fields a local header and a central directory entry share, from the compression
  /// method to the uncompressed size (0xFFFFFFFF for sizes held in the ZIP64 extra field).
  void put_method_to_sizes(const Written& w) {
    zip_put16(out_, compressed_ ? 8 : 0);
    zip_put16(out_, zip_dos_time);
    zip_put16(out_, zip_dos_date);
    zip_put32(out_, w.crc);
    zip_put32(out_, w.zip64_sizes ? 0xFFFFFFFF : w.compressed);
    zip_put32(out_, w.zip64_sizes ? 0xFFFFFFFF : w.uncompressed);
  }

  bool compressed_;
  std::vector<Written> entries_;
  std::string out_;
};

}  // namespace nnfs::detail
