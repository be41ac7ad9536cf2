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
// reproducible. Reading takes untrusted input (see nnfs/io/zip_reader.hpp; nnfs/io/zip.hpp
// writes the container); members that are not .npy are refused.
#pragma once

#include "nnfs/detail/file.hpp"
#include "nnfs/io/npy.hpp"
#include "nnfs/io/npy_header.hpp"
#include "nnfs/io/zip.hpp"
#include "nnfs/io/zip_reader.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

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

  ZipWriter zip(compressed);
  for (const auto& [key, array] : arrays) zip.add(key + ".npy", npy_bytes(array));
  return zip.finish();
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

  if (bytes.size() >= 6 && bytes.substr(0, 6) == std::string_view("\x93NUMPY", 6))
    throw std::runtime_error(w + ": not an .npz archive: this is a .npy file (load it with load_npy)");
  const std::vector<ZipEntry> entries = zip_read_directory(bytes, w, [](const std::string& name, const std::string& here) {
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".npy") != 0)
      throw std::runtime_error(here + ": not an .npy member (an .npz holds only '<name>.npy' files)");
  });

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
