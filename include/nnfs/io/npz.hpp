// nnfs/io/npz.hpp — NumPy's .npz archives (numpy.savez / savez_compressed): zip files of .npy members.
//
//     nnfs::save_npz("data.npz", {{"X", nnfs::NpyArray::from(X)}, {"y", nnfs::NpyArray::from_labels(y)}});
//     nnfs::save_npz("data.npz", arrays, /*compressed=*/true);   // as numpy.savez_compressed
//     const nnfs::NpzFile npz("data.npz");                      // as numpy.load
//     auto X = npz.matrix<float>("X");  auto y = npz.labels("y");
//
// Needs zlib (link nnfs::io). Writing produces the bytes NumPy 1.24 on Python 3.11 produces for
// the same arrays: members "<name>.npy" in the given order, each with the ZIP64 extra field
// numpy's force_zip64 adds, stored (method 0) or deflated by zlib at the default level
// (method 8), all dated 1980-01-01 00:00 as Python's zipfile dates them, so the files are
// reproducible. Reading takes untrusted input: the central directory is the authority and
// every local header, size, offset and CRC-32 is checked against it; ZIP64 records and data
// descriptors (the layouts other writers produce) are understood; encryption, methods other
// than stored/deflate, overlapping members, duplicate names and members that are not .npy are
// refused; decompression stops at the declared size, and declared sizes beyond deflate's
// maximum ratio (1032:1) are refused before anything is allocated.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/io/npy.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnfs {

/// Named arrays in archive order, as numpy.savez takes them (keyword order) and numpy.load
/// lists them (NpzFile.files).
using NpzArrays = std::vector<std::pair<std::string, NpyArray>>;

namespace detail {

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

/// One member as the central directory describes it.
struct ZipEntry {
  std::string name;             // as stored, "X.npy"
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t crc = 0;
  std::uint64_t compressed = 0;
  std::uint64_t uncompressed = 0;
  std::uint64_t local_offset = 0;
  std::uint64_t data_offset = 0;  // filled from the local header
};

/// Walks an extra-field block; calls f(id, offset of the field's data, its length) for each
/// field. A field that runs past the block is an error; a trailing fragment shorter than a
/// field header is ignored (some writers pad), as Python's zipfile does.
template <class F>
void zip_extra_fields(std::string_view extra, const std::string& where, F&& f) {
  std::size_t pos = 0;
  while (extra.size() - pos >= 4) {
    const auto id = static_cast<std::uint16_t>(zip_get(extra, pos, 2));
    const auto len = static_cast<std::size_t>(zip_get(extra, pos + 2, 2));
    if (len > extra.size() - pos - 4)
      throw std::runtime_error(fmt::format("{}: corrupt extra field 0x{:04x}: {} bytes declared, {} present", where, id,
                                           len, extra.size() - pos - 4));
    f(id, pos + 4, len);
    pos += 4 + len;
  }
}

/// Replaces the 0xFFFFFFFF fields by their ZIP64 values, in the order the specification gives
/// (uncompressed size, compressed size, local header offset), each present only when its
/// 32-bit field is 0xFFFFFFFF.
inline void zip_apply_zip64(std::string_view extra, const std::string& where, std::uint64_t* uncompressed,
                            std::uint64_t* compressed, std::uint64_t* offset) {
  const bool need = (uncompressed != nullptr && *uncompressed == 0xFFFFFFFF) ||
                    (compressed != nullptr && *compressed == 0xFFFFFFFF) || (offset != nullptr && *offset == 0xFFFFFFFF);
  if (!need) return;
  bool found = false;
  zip_extra_fields(extra, where, [&](std::uint16_t id, std::size_t at, std::size_t len) {
    if (id != 0x0001 || found) return;
    found = true;
    std::size_t pos = at;
    for (std::uint64_t* field : {uncompressed, compressed, offset}) {
      if (field == nullptr || *field != 0xFFFFFFFF) continue;
      if (pos + 8 > at + len)
        throw std::runtime_error(fmt::format("{}: the ZIP64 extra field is too short for the sizes it must hold", where));
      *field = zip_get(extra, pos, 8);
      pos += 8;
    }
  });
  if (!found) throw std::runtime_error(fmt::format("{}: a size or offset is 0xFFFFFFFF but there is no ZIP64 extra field", where));
}

}  // namespace detail

/// The bytes of an .npz archive of `arrays`, as numpy.savez (compressed = false: members
/// stored) or numpy.savez_compressed (true: deflated) writes them, byte for byte.
/// Throws std::invalid_argument when a name is empty, contains '/' or NUL, is not valid UTF-8,
/// is too long, or appears twice; and what npy_bytes throws for an inconsistent array.
inline std::string npz_bytes(const NpzArrays& arrays, bool compressed = false) {
  using namespace detail;
  static constexpr const char* fn = "save_npz";
  std::set<std::string_view> seen;
  for (const auto& [name, array] : arrays) {
    (void)array;
    if (name.empty()) throw std::invalid_argument(fmt::format("{}: an array name is empty", fn));
    if (name.find('/') != std::string::npos || name.find('\0') != std::string::npos || name.find('\\') != std::string::npos)
      throw std::invalid_argument(fmt::format("{}: array name '{}' contains '/', '\\\\' or NUL", fn, npy_escape(name)));
    if (!zip_valid_utf8(name)) throw std::invalid_argument(fmt::format("{}: array name '{}' is not valid UTF-8", fn, npy_escape(name)));
    if (name.size() + 4 > 0xFFFF) throw std::invalid_argument(fmt::format("{}: array name of {} bytes is too long", fn, name.size()));
    if (!seen.insert(name).second) throw std::invalid_argument(fmt::format("{}: array name '{}' appears twice", fn, name));
  }

  struct Written {
    std::string name;
    std::uint16_t flags;
    std::uint32_t crc;
    std::uint64_t compressed, uncompressed, offset;
    bool zip64_sizes;
  };
  std::vector<Written> entries;
  std::string out;
  for (const auto& [key, array] : arrays) {
    const std::string member = npy_bytes(array);
    const std::string name = key + ".npy";
    const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const std::uint16_t flags = ascii ? 0 : 0x800;  // bit 11: the name is UTF-8
    const std::string body = compressed ? zip_deflate(member) : std::string();
    const std::string_view data = compressed ? std::string_view(body) : std::string_view(member);
    Written w{name, flags, zip_crc32(member), data.size(), member.size(), out.size(), false};
    w.zip64_sizes = w.uncompressed > zip64_limit || w.compressed > zip64_limit;
    // Local header: numpy opens every member with force_zip64=True, so a ZIP64 extra field with
    // both sizes is always there; the 32-bit fields hold the sizes unless they exceed the limit.
    zip_put32(out, 0x04034b50);
    zip_put16(out, w.zip64_sizes ? 45 : 20);
    zip_put16(out, flags);
    zip_put16(out, compressed ? 8 : 0);
    zip_put16(out, zip_dos_time);
    zip_put16(out, zip_dos_date);
    zip_put32(out, w.crc);
    zip_put32(out, w.zip64_sizes ? 0xFFFFFFFF : w.compressed);
    zip_put32(out, w.zip64_sizes ? 0xFFFFFFFF : w.uncompressed);
    zip_put16(out, name.size());
    zip_put16(out, 20);
    out += name;
    zip_put16(out, 0x0001);
    zip_put16(out, 16);
    zip_put64(out, w.uncompressed);
    zip_put64(out, w.compressed);
    out += data;
    entries.push_back(std::move(w));
  }
  const std::uint64_t cd_offset = out.size();
  for (const Written& w : entries) {
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
    zip_put32(out, 0x02014b50);
    out.push_back(static_cast<char>(version));  // made by: zip version
    out.push_back(3);                           // made by: Unix
    zip_put16(out, version);
    zip_put16(out, w.flags);
    zip_put16(out, compressed ? 8 : 0);
    zip_put16(out, zip_dos_time);
    zip_put16(out, zip_dos_date);
    zip_put32(out, w.crc);
    zip_put32(out, w.zip64_sizes ? 0xFFFFFFFF : w.compressed);
    zip_put32(out, w.zip64_sizes ? 0xFFFFFFFF : w.uncompressed);
    zip_put16(out, w.name.size());
    zip_put16(out, extra.size());
    zip_put16(out, 0);  // comment
    zip_put16(out, 0);  // disk
    zip_put16(out, 0);  // internal attributes
    zip_put32(out, zip_external_attr);
    zip_put32(out, zip64_offset ? 0xFFFFFFFF : w.offset);
    out += w.name;
    out += extra;
  }
  const std::uint64_t cd_end = out.size();
  const std::uint64_t count = entries.size(), cd_size = cd_end - cd_offset;
  if (count > zip_filecount_limit || cd_offset > zip64_limit || cd_size > zip64_limit) {
    zip_put32(out, 0x06064b50);
    zip_put64(out, 44);
    zip_put16(out, 45);
    zip_put16(out, 45);
    zip_put32(out, 0);
    zip_put32(out, 0);
    zip_put64(out, count);
    zip_put64(out, count);
    zip_put64(out, cd_size);
    zip_put64(out, cd_offset);
    zip_put32(out, 0x07064b50);
    zip_put32(out, 0);
    zip_put64(out, cd_end);
    zip_put32(out, 1);
  }
  zip_put32(out, 0x06054b50);
  zip_put16(out, 0);
  zip_put16(out, 0);
  zip_put16(out, std::min<std::uint64_t>(count, 0xFFFF));
  zip_put16(out, std::min<std::uint64_t>(count, 0xFFFF));
  zip_put32(out, std::min<std::uint64_t>(cd_size, 0xFFFFFFFF));
  zip_put32(out, std::min<std::uint64_t>(cd_offset, 0xFFFFFFFF));
  zip_put16(out, 0);
  return out;
}

/// Writes an .npz archive (see npz_bytes) through a temporary file renamed over `path`: a
/// failed save leaves an existing file untouched. Unlike numpy.savez, ".npz" is not appended
/// to the path. Throws what npz_bytes throws, and std::runtime_error naming the path when the
/// file cannot be written.
inline void save_npz(const std::filesystem::path& path, const NpzArrays& arrays, bool compressed = false) {
  detail::write_file_replacing("save_npz", path, npz_bytes(arrays, compressed));
}

/// Parses the bytes of an .npz archive into its arrays, in archive (central directory) order,
/// named without the ".npy" suffix. `what` names the source in every message.
/// Throws std::runtime_error, its message starting with `what`, for anything that is not a
/// well-formed archive of supported .npy members: no end-of-central-directory record (not a
/// zip, or truncated), a multi-disk archive, a central directory or local header that is
/// truncated, out of range or has a bad signature, overlapping members, an encrypted member,
/// a compression method other than stored (0) and deflate (8), a declared size that deflate
/// cannot reach, sizes or CRC-32 that do not match the data, duplicate names, a member whose
/// name does not end in ".npy", and every error of parse_npy (prefixed with the member).
inline NpzArrays parse_npz(std::string_view bytes, std::string_view what = "npz data") {
  using namespace detail;
  const std::string w(what);
  const auto fail = [&](const std::string& why) { return std::runtime_error(w + ": " + why); };

  // The end-of-central-directory record: the last "PK\5\6" whose comment runs exactly to
  // the end of the file (a signature inside a comment or member data is not it).
  static constexpr std::size_t eocd_size = 22;
  if (bytes.size() >= 6 && bytes.substr(0, 6) == std::string_view("\x93NUMPY", 6))
    throw fail("not an .npz archive: this is a .npy file (load it with load_npy)");
  std::size_t eocd = std::string_view::npos;
  if (bytes.size() >= eocd_size) {
    const std::size_t lowest = bytes.size() - eocd_size > 0xFFFF ? bytes.size() - eocd_size - 0xFFFF : 0;
    for (std::size_t p = bytes.size() - eocd_size + 1; p-- > lowest;) {
      if (zip_get(bytes, p, 4) == 0x06054b50 && zip_get(bytes, p + 20, 2) == bytes.size() - p - eocd_size) {
        eocd = p;
        break;
      }
    }
  }
  if (eocd == std::string_view::npos)
    throw fail(fmt::format("not a zip archive, or truncated: no end-of-central-directory record in its {} bytes",
                           bytes.size()));
  if (zip_get(bytes, eocd + 4, 2) != 0 || zip_get(bytes, eocd + 6, 2) != 0)
    throw fail("multi-disk (split) zip archives are not supported");
  std::uint64_t count = zip_get(bytes, eocd + 10, 2);
  std::uint64_t cd_size = zip_get(bytes, eocd + 12, 4);
  std::uint64_t cd_offset = zip_get(bytes, eocd + 16, 4);
  if (zip_get(bytes, eocd + 8, 2) != count) throw fail("multi-disk (split) zip archives are not supported");
  std::uint64_t cd_limit = eocd;  // the central directory ends before this

  // ZIP64: a locator right before the record points at the ZIP64 end-of-central-directory
  // record, whose 64-bit fields replace the 16/32-bit ones.
  if (eocd >= 20 && zip_get(bytes, eocd - 20, 4) == 0x07064b50) {
    const std::size_t loc = eocd - 20;
    if (zip_get(bytes, loc + 4, 4) != 0 || zip_get(bytes, loc + 16, 4) > 1)
      throw fail("multi-disk (split) zip archives are not supported");
    const std::uint64_t rec = zip_get(bytes, loc + 8, 8);
    if (rec > loc || loc - rec < 56)
      throw fail(fmt::format("the ZIP64 end-of-central-directory record offset {} is out of range", rec));
    const auto r = static_cast<std::size_t>(rec);
    if (zip_get(bytes, r, 4) != 0x06064b50) throw fail("bad ZIP64 end-of-central-directory record signature");
    if (zip_get(bytes, r + 16, 4) != 0 || zip_get(bytes, r + 20, 4) != 0)
      throw fail("multi-disk (split) zip archives are not supported");
    if (zip_get(bytes, r + 24, 8) != zip_get(bytes, r + 32, 8)) throw fail("multi-disk (split) zip archives are not supported");
    count = zip_get(bytes, r + 32, 8);
    cd_size = zip_get(bytes, r + 40, 8);
    cd_offset = zip_get(bytes, r + 48, 8);
    cd_limit = r;
  }
  if (cd_offset > cd_limit || cd_size > cd_limit - cd_offset)
    throw fail(fmt::format("the central directory (offset {}, {} bytes) lies outside the archive's {} bytes", cd_offset,
                           cd_size, cd_limit));
  if (count > cd_size / 46)
    throw fail(fmt::format("{} entries cannot fit in a central directory of {} bytes", count, cd_size));

  std::vector<ZipEntry> entries;
  entries.reserve(static_cast<std::size_t>(count));
  std::set<std::string> names;
  const auto cd_end = static_cast<std::size_t>(cd_offset + cd_size);
  auto pos = static_cast<std::size_t>(cd_offset);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string where = fmt::format("{}: central directory entry {}", w, i);
    if (cd_end - pos < 46) throw std::runtime_error(where + ": truncated central directory");
    if (zip_get(bytes, pos, 4) != 0x02014b50) throw std::runtime_error(where + ": bad central directory signature");
    ZipEntry e;
    e.flags = static_cast<std::uint16_t>(zip_get(bytes, pos + 8, 2));
    e.method = static_cast<std::uint16_t>(zip_get(bytes, pos + 10, 2));
    e.crc = static_cast<std::uint32_t>(zip_get(bytes, pos + 16, 4));
    e.compressed = zip_get(bytes, pos + 20, 4);
    e.uncompressed = zip_get(bytes, pos + 24, 4);
    const auto name_len = static_cast<std::size_t>(zip_get(bytes, pos + 28, 2));
    const auto extra_len = static_cast<std::size_t>(zip_get(bytes, pos + 30, 2));
    const auto comment_len = static_cast<std::size_t>(zip_get(bytes, pos + 32, 2));
    const std::uint64_t disk = zip_get(bytes, pos + 34, 2);
    e.local_offset = zip_get(bytes, pos + 42, 4);
    if (name_len + extra_len + comment_len > cd_end - pos - 46)
      throw std::runtime_error(where + ": truncated central directory (name, extra field or comment)");
    e.name = std::string(bytes.substr(pos + 46, name_len));
    const std::string_view extra = bytes.substr(pos + 46 + name_len, extra_len);
    const std::string here = fmt::format("{}: member '{}'", w, npy_escape(e.name));
    zip_apply_zip64(extra, here, &e.uncompressed, &e.compressed, &e.local_offset);
    if (disk != 0 && disk != 0xFFFF) throw std::runtime_error(here + ": multi-disk (split) zip archives are not supported");
    if ((e.flags & 0x0041) != 0) throw std::runtime_error(here + ": encrypted members are not supported");
    if (e.method != 0 && e.method != 8)
      throw std::runtime_error(fmt::format("{}: unsupported compression method {} (only 0, stored, and 8, deflate)", here,
                                           e.method));
    if (e.name.size() < 5 || e.name.compare(e.name.size() - 4, 4, ".npy") != 0)
      throw std::runtime_error(here + ": not an .npy member (an .npz holds only '<name>.npy' files)");
    if (!names.insert(e.name).second) throw std::runtime_error(here + ": the name appears twice in the archive");
    if (e.method == 0 && e.compressed != e.uncompressed)
      throw std::runtime_error(fmt::format("{}: stored member with compressed size {} but uncompressed size {}", here,
                                           e.compressed, e.uncompressed));
    if (e.method == 8 && e.uncompressed / deflate_max_ratio > e.compressed + 1)
      throw std::runtime_error(fmt::format("{}: declares {} bytes from {} compressed bytes, more than deflate can "
                                           "produce (at most {}:1)",
                                           here, e.uncompressed, e.compressed, deflate_max_ratio));
    entries.push_back(std::move(e));
    pos += 46 + name_len + extra_len + comment_len;
  }
  if (pos != cd_end)
    throw fail(fmt::format("the central directory holds {} bytes after its {} entries", cd_end - pos, count));

  // Local headers: each must agree with its directory entry, and the members (header + data)
  // must lie before the central directory without overlapping one another.
  for (ZipEntry& e : entries) {
    const std::string here = fmt::format("{}: member '{}'", w, npy_escape(e.name));
    if (e.local_offset > cd_offset || cd_offset - e.local_offset < 30)
      throw std::runtime_error(fmt::format("{}: local header offset {} is out of range", here, e.local_offset));
    const auto at = static_cast<std::size_t>(e.local_offset);
    if (zip_get(bytes, at, 4) != 0x04034b50) throw std::runtime_error(here + ": bad local header signature");
    const auto flags = static_cast<std::uint16_t>(zip_get(bytes, at + 6, 2));
    const auto method = zip_get(bytes, at + 8, 2);
    const auto crc = zip_get(bytes, at + 14, 4);
    std::uint64_t compressed = zip_get(bytes, at + 18, 4);
    std::uint64_t uncompressed = zip_get(bytes, at + 22, 4);
    const auto name_len = static_cast<std::size_t>(zip_get(bytes, at + 26, 2));
    const auto extra_len = static_cast<std::size_t>(zip_get(bytes, at + 28, 2));
    const std::size_t room = static_cast<std::size_t>(cd_offset) - at - 30;
    if (name_len + extra_len > room) throw std::runtime_error(here + ": truncated local header");
    if (bytes.substr(at + 30, name_len) != e.name)
      throw std::runtime_error(fmt::format("{}: the local header names it '{}'", here, npy_escape(bytes.substr(at + 30, name_len))));
    if (method != e.method || (flags & 0x0041) != (e.flags & 0x0041) || (flags & 0x08) != (e.flags & 0x08))
      throw std::runtime_error(here + ": the local header disagrees with the central directory (method or flags)");
    if ((flags & 0x08) == 0) {
      // Without a data descriptor, the local header carries the real CRC and sizes (through
      // its ZIP64 extra field when they are 0xFFFFFFFF, as older Pythons wrote numpy's files).
      zip_apply_zip64(bytes.substr(at + 30 + name_len, extra_len), here + " (local header)", &uncompressed,
                      &compressed, nullptr);
      if (crc != e.crc || compressed != e.compressed || uncompressed != e.uncompressed)
        throw std::runtime_error(fmt::format("{}: the local header (CRC {:08x}, {} → {} bytes) disagrees with the "
                                             "central directory (CRC {:08x}, {} → {} bytes)",
                                             here, crc, compressed, uncompressed, e.crc, e.compressed, e.uncompressed));
    }
    e.data_offset = e.local_offset + 30 + name_len + extra_len;
    if (e.compressed > cd_offset - e.data_offset)
      throw std::runtime_error(fmt::format("{}: its {} bytes of data run past the start of the central directory", here,
                                           e.compressed));
  }
  std::vector<const ZipEntry*> by_offset;
  by_offset.reserve(entries.size());
  for (const ZipEntry& e : entries) by_offset.push_back(&e);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const ZipEntry* a, const ZipEntry* b) { return a->local_offset < b->local_offset; });
  for (std::size_t i = 1; i < by_offset.size(); ++i)
    if (by_offset[i]->local_offset < by_offset[i - 1]->data_offset + by_offset[i - 1]->compressed)
      throw fail(fmt::format("members '{}' and '{}' overlap", npy_escape(by_offset[i - 1]->name),
                             npy_escape(by_offset[i]->name)));

  NpzArrays arrays;
  arrays.reserve(entries.size());
  for (const ZipEntry& e : entries) {
    const std::string here = fmt::format("{}: member '{}'", w, npy_escape(e.name));
    const std::string_view raw = bytes.substr(static_cast<std::size_t>(e.data_offset), static_cast<std::size_t>(e.compressed));
    std::string inflated;
    if (e.method == 8) inflated = zip_inflate(raw, e.uncompressed, here);
    const std::string_view member = e.method == 8 ? std::string_view(inflated) : raw;
    const std::uint32_t crc = zip_crc32(member);
    if (crc != e.crc) throw std::runtime_error(fmt::format("{}: CRC-32 mismatch: the data has {:08x}, the directory says {:08x}",
                                                           here, crc, e.crc));
    arrays.emplace_back(e.name.substr(0, e.name.size() - 4), parse_npy(member, here));
  }
  return arrays;
}

/// Reads and parses an .npz file (see parse_npz); the messages start with the path.
/// Throws std::runtime_error when the file cannot be read or is not a valid .npz archive.
inline NpzArrays load_npz(const std::filesystem::path& path) {
  return parse_npz(detail::read_file_bytes("load_npz", path), path.string());
}

/// A loaded .npz archive: its arrays in archive order, looked up by name as with numpy.load.
class NpzFile {
 public:
  NpzFile() = default;

  /// Loads `path` (see load_npz for the exceptions).
  explicit NpzFile(const std::filesystem::path& path) : source_(path.string()), arrays_(load_npz(path)) {}

  /// An archive from its bytes (see parse_npz for the exceptions).
  static NpzFile parse(std::string_view bytes, std::string_view what = "npz data") {
    NpzFile f;
    f.source_ = std::string(what);
    f.arrays_ = parse_npz(bytes, what);
    return f;
  }

  /// The arrays, in archive order.
  const NpzArrays& arrays() const noexcept { return arrays_; }
  /// The array names, in archive order (NumPy: NpzFile.files).
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& a : arrays_) out.push_back(a.first);
    return out;
  }
  std::size_t size() const noexcept { return arrays_.size(); }
  bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }

  /// The array called `name`. Throws std::out_of_range naming the missing key and listing the
  /// available ones.
  const NpyArray& at(std::string_view name) const {
    if (const NpyArray* a = find(name)) return *a;
    std::string available;
    for (const auto& a : arrays_) available += (available.empty() ? "'" : ", '") + detail::npy_escape(a.first) + "'";
    throw std::out_of_range(fmt::format("NpzFile: no array '{}' in '{}' (it has: {})", detail::npy_escape(name), source_,
                                        available.empty() ? "no arrays" : available));
  }
  const NpyArray& operator[](std::string_view name) const { return at(name); }

  /// at(name).to_matrix<T>(); throws what both throw.
  template <class T>
  Matrix<T> matrix(std::string_view name) const {
    return at(name).to_matrix<T>();
  }
  /// at(name).to_labels(); throws what both throw.
  Labels labels(std::string_view name) const { return at(name).to_labels(); }

 private:
  const NpyArray* find(std::string_view name) const noexcept {
    for (const auto& a : arrays_)
      if (a.first == name) return &a.second;
    return nullptr;
  }

  std::string source_;
  NpzArrays arrays_;
};

}  // namespace nnfs
