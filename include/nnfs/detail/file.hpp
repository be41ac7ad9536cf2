// nnfs/detail/file.hpp — whole-file reads and crash-safe whole-file writes, shared by every
// writer (plots, .npy/.npz, model files) so that each gets the same guarantee: a failed save
// never destroys an existing file.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace nnfs::detail {

/// Writes `text` to `path` through a temporary file in the same directory, renamed over
/// `path` only once complete: a failed write never leaves a truncated file behind, and an
/// existing file stays as it was. Throws std::runtime_error naming the path and the reason.
inline void write_file_replacing(const char* function, const std::filesystem::path& path,
                                 const std::string& text) {
  namespace fs = std::filesystem;
  const auto fail = [&](const std::string& reason) {
    return std::runtime_error(
        fmt::format("{}: cannot write '{}': {}", function, path.string(), reason));
  };
  if (path.empty()) throw fail("empty path");
  // A short name (not derived from path's, which may already be as long as a name can be),
  // created exclusively ("x") so that concurrent writers never share one.
  static std::atomic<unsigned> counter{0};
  std::FILE* file = nullptr;
  fs::path temporary;
  for (int attempt = 0; attempt < 100 && file == nullptr; ++attempt) {
    temporary = path.parent_path() / fmt::format(".nnfs-{}.tmp", counter.fetch_add(1));
    errno = 0;
    file = std::fopen(temporary.string().c_str(), "wbx");
    if (file == nullptr && errno != EEXIST) break;
  }
  if (file == nullptr)
    throw fail(std::generic_category().message(errno) + " (creating " + temporary.string() + ")");
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), file);
  const int write_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (written != text.size() || !closed) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw fail(std::generic_category().message(written != text.size() ? write_errno : errno));
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw fail(ec.message());
  }
}

/// The whole content of `path` as bytes. Throws std::runtime_error naming the function, the
/// path and the reason when it cannot be opened or read (missing file, directory, I/O error).
inline std::string read_file_bytes(const char* function, const std::filesystem::path& path) {
  const auto fail = [&](const std::string& reason) {
    return std::runtime_error(
        fmt::format("{}: cannot read '{}': {}", function, path.string(), reason));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw fail("is a directory");
  errno = 0;
  std::FILE* file = std::fopen(path.string().c_str(), "rb");
  if (file == nullptr) throw fail(std::generic_category().message(errno));
  std::string bytes;
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) bytes.append(buffer, got);
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (failed) throw fail(std::generic_category().message(read_errno));
  return bytes;
}

}  // namespace nnfs::detail
