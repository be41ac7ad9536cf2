// nnfs/detail/file.hpp — the one way the library reads an input file and writes an output
// file, shared by every reader (.npy, .npz, IDX, PNG, model files) and every writer (plots,
// .npy/.npz, PNG, model files, history CSV), so that each gets the same guarantees
// (docs/files.md states them for users):
//
//  - reads accept regular files only (after following symlinks): a FIFO, a character or block
//    device, a socket or a directory is refused with std::runtime_error naming the path and
//    what it is, before anything could block (a FIFO is never opened for reading without
//    O_NONBLOCK) or read without end (/dev/zero);
//  - reads stop at nnfs::max_read_bytes() (4 GiB unless raised by nnfs::set_max_read_bytes):
//    a larger file is refused from its size, before its content is read;
//  - writes go to a uniquely named temporary file in the target's directory, renamed over the
//    target only once complete and flushed: a failed save never destroys an existing file, and
//    leftover temporary files of crashed processes never block a save;
//  - a save through a symlink replaces the symlink's target (the link stays a link), keeps the
//    target's permission bits (a new file gets 0666 minus the umask, as fopen gives), and
//    refuses targets that are not regular files (a directory, FIFO, device...).
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#endif

namespace nnfs {

/// The default of max_read_bytes(): 4 GiB, far above any file of the book (the largest,
/// Fashion-MNIST's uncompressed training images, is 47 MB) and below what would exhaust a
/// typical machine's memory by mistake.
inline constexpr std::uint64_t kDefaultMaxReadBytes = std::uint64_t{1} << 32;

namespace detail {
inline std::atomic<std::uint64_t>& max_read_bytes_setting() noexcept {
  static std::atomic<std::uint64_t> value{kDefaultMaxReadBytes};
  return value;
}
}  // namespace detail

/// The largest file (in bytes) that any nnfs reader will read, and the largest payload a
/// gzip'd IDX file may inflate to: a larger one is refused with std::runtime_error saying so.
inline std::uint64_t max_read_bytes() noexcept {
  return detail::max_read_bytes_setting().load(std::memory_order_relaxed);
}

/// Sets max_read_bytes() for the whole process (thread-safe) and returns the previous value;
/// e.g. nnfs::set_max_read_bytes(std::uint64_t{16} << 30) to read .npy files of up to 16 GiB.
inline std::uint64_t set_max_read_bytes(std::uint64_t bytes) noexcept {
  return detail::max_read_bytes_setting().exchange(bytes, std::memory_order_relaxed);
}

}  // namespace nnfs

namespace nnfs::detail {

inline std::string errno_message(int error) { return std::generic_category().message(error); }

/// What a non-regular file is, for messages ("a FIFO (named pipe)", "a character device"...).
inline const char* file_type_name(std::filesystem::file_type type) noexcept {
  using std::filesystem::file_type;
  switch (type) {
    case file_type::directory:
      return "a directory";
    case file_type::fifo:
      return "a FIFO (named pipe)";
    case file_type::character:
      return "a character device";
    case file_type::block:
      return "a block device";
    case file_type::socket:
      return "a socket";
    case file_type::symlink:
      return "a symbolic link";
    case file_type::regular:
      return "a regular file";
    default:
      return "not a regular file";
  }
}

#if !defined(_WIN32)
inline std::filesystem::file_type file_type_of(mode_t mode) noexcept {
  using std::filesystem::file_type;
  if (S_ISREG(mode)) return file_type::regular;
  if (S_ISDIR(mode)) return file_type::directory;
  if (S_ISFIFO(mode)) return file_type::fifo;
  if (S_ISCHR(mode)) return file_type::character;
  if (S_ISBLK(mode)) return file_type::block;
  if (S_ISSOCK(mode)) return file_type::socket;
  return file_type::unknown;
}

/// Closes a POSIX file descriptor on every path out of a function.
struct FdCloser {
  int fd = -1;
  FdCloser() = default;
  explicit FdCloser(int f) noexcept : fd(f) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};
#endif

/// The message for a file of `size` bytes above the read limit.
inline std::string too_large_message(std::uint64_t size, std::uint64_t limit, bool at_least) {
  return fmt::format(
      "the file is {}{} bytes, more than the read limit of {} bytes (nnfs::max_read_bytes(); "
      "raise it with nnfs::set_max_read_bytes)",
      at_least ? "more than " : "", size, limit);
}

/// The whole content of `path` as bytes (symlinks followed). Throws std::runtime_error naming
/// the function, the path and the reason when it cannot be opened or read (missing file, I/O
/// error), is not a regular file (directory, FIFO, device, socket: refused before they could
/// block or never end), or is larger than nnfs::max_read_bytes().
inline std::string read_file_bytes(const char* function, const std::filesystem::path& path) {
  const auto fail = [&](const std::string& reason) {
    return std::runtime_error(
        fmt::format("{}: cannot read '{}': {}", function, path.string(), reason));
  };
  const auto not_regular = [&](std::filesystem::file_type type) {
    return fail(fmt::format("it is {}, and only regular files are read", file_type_name(type)));
  };
  const std::uint64_t limit = max_read_bytes();
  std::string bytes;
#if !defined(_WIN32)
  // stat first, so that a FIFO or a device is never even opened; then open without blocking
  // and check again what was opened (the path may have changed in between).
  struct stat before {};
  if (::stat(path.c_str(), &before) != 0) throw fail(errno_message(errno));
  if (!S_ISREG(before.st_mode)) throw not_regular(file_type_of(before.st_mode));
  FdCloser file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (file.fd < 0) throw fail(errno_message(errno));
  struct stat opened {};
  if (::fstat(file.fd, &opened) != 0) throw fail(errno_message(errno));
  if (!S_ISREG(opened.st_mode)) throw not_regular(file_type_of(opened.st_mode));
  const auto size = static_cast<std::uint64_t>(opened.st_size);
  if (size > limit) throw fail(too_large_message(size, limit, false));
  if (size > bytes.max_size()) throw fail(fmt::format("the file is {} bytes, too many to hold", size));
  bytes.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  for (;;) {
    const ::ssize_t got = ::read(file.fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw fail(errno_message(errno));
    }
    if (got == 0) break;
    // The file may have grown since fstat.
    if (static_cast<std::uint64_t>(got) > limit - bytes.size())
      throw fail(too_large_message(limit, limit, true));
    bytes.append(buffer, static_cast<std::size_t>(got));
  }
#else
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && status.type() != std::filesystem::file_type::regular)
    throw not_regular(status.type());
  errno = 0;
  std::FILE* file = std::fopen(path.string().c_str(), "rb");
  if (file == nullptr) throw fail(errno_message(errno));
  char buffer[1 << 16];
  std::size_t got = 0;
  bool too_large = false;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    if (got > limit - bytes.size()) {
      too_large = true;
      break;
    }
    bytes.append(buffer, got);
  }
  const bool failed = std::ferror(file) != 0;
  const int read_errno = errno;
  std::fclose(file);
  if (too_large) throw fail(too_large_message(limit, limit, true));
  if (failed) throw fail(errno_message(read_errno));
#endif
  return bytes;
}

/// `path` with every symlink in its last component followed (a relative link is relative to
/// the link's folder): the file a save through `path` must replace. Throws the reason.
inline std::filesystem::path resolve_save_target(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  fs::path target = path;
  for (int depth = 0;; ++depth) {
    std::error_code ec;
    if (fs::symlink_status(target, ec).type() != fs::file_type::symlink) return target;
    if (depth == 40) throw std::runtime_error("too many levels of symbolic links");
    const fs::path link = fs::read_symlink(target, ec);
    if (ec) throw std::runtime_error("cannot read the symbolic link: " + ec.message());
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
}

/// A fresh random 64-bit number per call (per-process seed, then splitmix64), for temporary
/// names that neither another process nor a leftover file can predict or block.
inline std::uint64_t unique_number() {
  static const std::uint64_t seed = [] {
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ std::uint64_t{device()};
  }();
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (counter.fetch_add(1) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Writes `text` to `path` through a temporary file in the target's folder, renamed over the
/// target only once complete and flushed to disk: a failed write never leaves a truncated
/// file, and an existing file stays as it was. A symlink `path` is followed (its target is
/// replaced, the link stays); an existing target keeps its permission bits; a target that
/// exists but is not a regular file is refused. Throws std::runtime_error naming the path and
/// the reason.
inline void write_file_replacing(const char* function, const std::filesystem::path& path,
                                 const std::string& text) {
  namespace fs = std::filesystem;
  const auto fail = [&](const std::string& reason) {
    return std::runtime_error(
        fmt::format("{}: cannot write '{}': {}", function, path.string(), reason));
  };
  if (path.empty()) throw fail("empty path");
  fs::path target;
  try {
    target = resolve_save_target(path);
  } catch (const std::runtime_error& e) {
    throw fail(e.what());
  }
  const std::string through =
      target == path ? std::string() : fmt::format(" (the symlink's target '{}')", target.string());
  std::error_code ec;
  const fs::file_status status = fs::status(target, ec);
  const bool exists = !ec && fs::exists(status);
  if (exists && status.type() != fs::file_type::regular)
    throw fail(fmt::format("it is {}{}; only regular files are replaced", file_type_name(status.type()),
                           through));
  // A short name (not derived from the target's, which may already be as long as a name can
  // be), random and created exclusively: concurrent writers never share one, and leftovers of
  // a crashed process cannot be hit more than by chance (then the next name is tried).
  const auto temporary_name = [&] {
    return target.parent_path() / fmt::format(".nnfs-{:016x}.tmp", unique_number());
  };
  fs::path temporary;
#if !defined(_WIN32)
  struct stat target_stat {};
  const bool keep_mode = exists && ::stat(target.c_str(), &target_stat) == 0;
  FdCloser file;
  int open_errno = 0;
  for (int attempt = 0; attempt < 100 && file.fd < 0; ++attempt) {
    temporary = temporary_name();
    // 0666: a new file gets what fopen would give it (the umask applies).
    file.fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
    open_errno = errno;
    if (file.fd < 0 && open_errno != EEXIST) break;
  }
  if (file.fd < 0)
    throw fail(errno_message(open_errno) + " (creating " + temporary.string() + ")" + through);
  const auto discard = [&](const std::string& reason) {
    ::close(file.fd);
    file.fd = -1;
    ::unlink(temporary.c_str());
    return fail(reason + through);
  };
  if (keep_mode) {
    // Best effort: the owner can be kept only by root (or the group by a member); the mode
    // is kept wherever the file system has modes (fchown first: it may clear set-id bits).
    if (target_stat.st_uid != ::geteuid() || target_stat.st_gid != ::getegid())
      (void)!::fchown(file.fd, target_stat.st_uid, target_stat.st_gid);
    (void)!::fchmod(file.fd, target_stat.st_mode & 07777);
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ::ssize_t put = ::write(file.fd, text.data() + done, text.size() - done);
    if (put < 0) {
      if (errno == EINTR) continue;
      throw discard(errno_message(errno));
    }
    done += static_cast<std::size_t>(put);
  }
  // The data reaches the disk before the rename makes it the file: after a crash, the path
  // holds the old content or the new, never an empty file.
  if (::fsync(file.fd) != 0 && errno != EINVAL && errno != EROFS) throw discard(errno_message(errno));
  const int closed = ::close(file.fd);
  file.fd = -1;
  if (closed != 0) {
    const int close_errno = errno;
    ::unlink(temporary.c_str());
    throw fail(errno_message(close_errno) + through);
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temporary.c_str());
    throw fail(errno_message(rename_errno) + through);
  }
#else
  std::FILE* file = nullptr;
  for (int attempt = 0; attempt < 100 && file == nullptr; ++attempt) {
    temporary = temporary_name();
    errno = 0;
    file = std::fopen(temporary.string().c_str(), "wbx");
    if (file == nullptr && errno != EEXIST) break;
  }
  if (file == nullptr)
    throw fail(errno_message(errno) + " (creating " + temporary.string() + ")" + through);
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), file);
  const int write_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (written != text.size() || !closed) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw fail(errno_message(written != text.size() ? write_errno : errno) + through);
  }
  if (exists) {
    std::error_code ignored;
    fs::permissions(temporary, status.permissions(), fs::perm_options::replace, ignored);
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw fail(ec.message() + through);
  }
#endif
}

}  // namespace nnfs::detail
