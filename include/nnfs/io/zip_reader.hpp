// nnfs/io/zip_reader.hpp — reading the zip container of an .npz file from untrusted bytes.
//
// The central directory is the authority and every local header, size, offset and CRC-32 is
// checked against it; ZIP64 records and data descriptors (the layouts other writers produce)
// are understood; encryption, methods other than stored/deflate, overlapping members and
// duplicate names are refused; decompression stops at the declared size, and declared sizes
// beyond deflate's maximum ratio (1032:1) are refused before anything is allocated. Needs zlib
// (link nnfs::io).
#pragma once

#include "nnfs/io/npy_header.hpp"  // npy_escape: member names in messages
#include "nnfs/io/zip.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnfs::detail {

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

/// The members of a zip archive, read from its central directory and checked: every local
/// header, size and offset against it, no overlaps, no encryption, only stored and deflate,
/// declared sizes within deflate's reach, no duplicate names. `check_name(name, here)` may
/// refuse a member by its name (it throws; `here` names the member for the message). The data
/// is not read (the caller inflates it with zip_inflate and checks its CRC-32). Throws std::runtime_error,
/// its message starting with `w`.
template <class CheckName>
std::vector<ZipEntry> zip_read_directory(std::string_view bytes, const std::string& w, CheckName&& check_name) {
  const auto fail = [&](const std::string& why) { return std::runtime_error(w + ": " + why); };

  // The end-of-central-directory record: the last "PK\5\6" whose comment runs exactly to
  // the end of the file (a signature inside a comment or member data is not it).
  static constexpr std::size_t eocd_size = 22;
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
    check_name(e.name, here);
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

  return entries;
}

}  // namespace nnfs::detail
