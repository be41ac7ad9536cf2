// The file layer every reader and writer shares (nnfs/detail/file.hpp, docs/files.md): files
// that are not regular files are refused (FIFOs without blocking, devices without reading them
// to the end), the read limit and how it is raised, saves that keep the target's permissions,
// write through symlinks and use temporary names nothing can block; then the shape checks of
// IDX data sets and of hand-built arrays (nnfs/detail/shape.hpp, checked_image_shape).
// POSIX only (mkfifo, sockets, chmod, umask): the tests need a POSIX system.
#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nnfs/io/fashion_mnist.hpp>
#include <nnfs/io/idx.hpp>
#include <nnfs/io/model_parameters.hpp>
#include <nnfs/io/npz.hpp>
#include <nnfs/io/png.hpp>
#include <nnfs/nnfs.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "nnfs_catch.hpp"
#include "io_test_util.hpp"
#include "temp_dir.hpp"
#include "test_data.hpp"

namespace fs = std::filesystem;

namespace {

using nnfs_test::TempDir;
using nnfs_test::gzip;
using nnfs_test::idx;
using nnfs_test::read_back;
using nnfs_test::write_bytes;

/// Kills the test process (SIGALRM) if a test that must not block blocks: a hang becomes a
/// failure.
struct Watchdog {
  explicit Watchdog(unsigned seconds) { alarm(seconds); }
  ~Watchdog() { alarm(0); }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
};

/// Sets nnfs::max_read_bytes for one scope.
struct ReadLimit {
  std::uint64_t previous;
  explicit ReadLimit(std::uint64_t bytes) : previous(nnfs::set_max_read_bytes(bytes)) {}
  ~ReadLimit() { nnfs::set_max_read_bytes(previous); }
  ReadLimit(const ReadLimit&) = delete;
  ReadLimit& operator=(const ReadLimit&) = delete;
};

/// Sets the process umask for one scope.
struct Umask {
  mode_t previous;
  explicit Umask(mode_t mask) : previous(::umask(mask)) {}
  ~Umask() { ::umask(previous); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;
};

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::vector<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return {names.begin(), names.end()};
}

void make_fifo(const fs::path& path) { REQUIRE(::mkfifo(path.c_str(), 0600) == 0); }

/// A listening-less Unix socket bound at `path` (closed again: the socket file stays).
void make_socket(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  REQUIRE(path.string().size() < sizeof address.sun_path);
  std::strcpy(address.sun_path, path.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  ::close(fd);
}

nnfs::Model<float> small_model() {
  nnfs::Model<float> model;
  model.add(nnfs::Dense<float>(2, 3));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(3, 2));
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(), nnfs::CategoricalAccuracy());
  model.finalize();
  return model;
}

/// Every reader of the library, by name, each reading one path.
std::vector<std::pair<std::string, std::function<void(const fs::path&)>>> readers() {
  return {
      {"load_npy", [](const fs::path& p) { (void)nnfs::load_npy<float>(p); }},
      {"load_npy", [](const fs::path& p) { (void)nnfs::load_npy_labels(p); }},
      {"load_npz", [](const fs::path& p) { (void)nnfs::load_npz(p); }},
      {"load_npz", [](const fs::path& p) { (void)nnfs::NpzFile(p); }},
      {"nnfs::io::read_idx", [](const fs::path& p) { (void)nnfs::io::read_idx(p); }},
      {"nnfs::io::read_gray_png", [](const fs::path& p) { (void)nnfs::io::read_gray_png(p); }},
      {"Model::load", [](const fs::path& p) { (void)nnfs::Model<float>::load(p); }},
      {"load_npz", [](const fs::path& p) {
         auto model = small_model();
         nnfs::io::load_parameters(model, p);
       }}};
}

/// Every writer of the library, by name, each writing fixed content to one path.
std::vector<std::pair<std::string, std::function<void(const fs::path&)>>> writers() {
  return {
      {"save_npy",
       [](const fs::path& p) {
         nnfs::Matrix<float> m(2, 3);
         m << 1, 2, 3, 4, 5, 6;
         nnfs::save_npy(p, m);
       }},
      {"save_npz",
       [](const fs::path& p) {
         nnfs::Matrix<double> m(1, 2);
         m << 0.5, -1.5;
         nnfs::save_npz(p, {{"a", nnfs::NpyArray::from(m)}}, true);
       }},
      {"Model::save",
       [](const fs::path& p) {
         static const nnfs::Model<float> model = small_model();  // the same weights every time
         model.save(p);
       }},
      {"nnfs::io::write_gray_png",
       [](const fs::path& p) { nnfs::io::write_gray_png(p, 2, 2, {0, 64, 128, 255}); }},
      {"nnfs::History::write_csv",
       [](const fs::path& p) {
         nnfs::History history;
         history.records.push_back({});
         history.write_csv(p);
       }},
      {"nnfs::plot::scatter_svg",
       [](const fs::path& p) {
         nnfs::Matrix<double> X(3, 2);
         X << 0, 0, 1, 1, -1, 0.5;
         nnfs::plot::scatter_svg(p, X);
       }},
  };
}

}  // namespace

// ------------------------------------------------------------------ reads: not regular files

TEST_CASE("every reader refuses FIFOs, devices, sockets and directories, without blocking", "[files]") {
  Watchdog watchdog(60);  // a FIFO opened for reading would block forever: fail instead
  TempDir dir;
  make_fifo(dir / "pipe");
  make_socket(dir / "sock");
  fs::create_directory(dir / "folder");
  fs::create_symlink(dir / "pipe", dir / "link-to-pipe");
  std::vector<std::pair<fs::path, std::string>> cases = {
      {dir / "pipe", "a FIFO (named pipe)"},
      {dir / "link-to-pipe", "a FIFO (named pipe)"},
      {dir / "sock", "a socket"},
      {dir / "folder", "a directory"},
  };
  for (const char* device : {"/dev/zero", "/dev/null", "/dev/urandom"})
    if (fs::exists(device)) cases.emplace_back(device, "a character device");
  REQUIRE(cases.size() >= 5);  // /dev/zero at least, on any Linux
  for (const auto& reader : readers())
    for (const auto& file : cases) {
      const std::string& name = reader.first;
      const auto& read = reader.second;
      const fs::path& path = file.first;
      const std::string& what = file.second;
      INFO(name << " on " << path);
      NNFS_REQUIRE_THROWS_WITH(std::runtime_error, read(path), name, "cannot read", path.string(),
                               "it is " + what, "only regular files are read");
    }
  REQUIRE(fs::is_fifo(dir / "pipe"));
}

TEST_CASE("the folder and IDX data set loaders skip or refuse FIFOs without blocking", "[files]") {
  Watchdog watchdog(60);
  TempDir dir;
  // A FIFO where an IDX file is expected is not a data set file.
  make_fifo(dir / "train-images-idx3-ubyte");
  make_fifo(dir / "train-labels-idx1-ubyte");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::load_fashion_mnist_idx(dir.path, "train"),
                           "load_fashion_mnist_idx", "no 'train-images-idx3-ubyte'");
  // A FIFO among the PNGs of a label folder is skipped like any other non-regular file.
  fs::create_directories(dir / "train" / "4");
  nnfs::io::write_gray_png(dir.path / "train" / "4" / "a.png", 2, 1, {0, 255});
  make_fifo(dir.path / "train" / "4" / "b.png");
  const auto data = nnfs::io::load_mnist_dataset_bytes("train", dir.path);
  REQUIRE(data.X.rows() == 1);
  REQUIRE(data.X.cols() == 2);
  REQUIRE(data.y(0) == 4);
}

TEST_CASE("readers follow a symlink to a regular file", "[files]") {
  TempDir dir;
  fs::create_symlink(nnfs_test::data_path("npy/f4_2x3.npy"), dir / "link.npy");
  fs::create_symlink("link.npy", dir / "link2.npy");  // relative, and a chain
  const nnfs::Matrix<float> direct = nnfs::load_npy<float>(nnfs_test::data_path("npy/f4_2x3.npy"));
  REQUIRE(nnfs::load_npy<float>(dir / "link2.npy") == direct);
  fs::create_symlink("missing.npy", dir / "dangling.npy");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::load_npy<float>(dir / "dangling.npy"), "load_npy",
                           "cannot read", "dangling.npy", "No such file or directory");
}

// ------------------------------------------------------------------------------ read limit

TEST_CASE("the read limit: 4 GiB by default, raised or lowered for the process", "[files]") {
  REQUIRE(nnfs::kDefaultMaxReadBytes == 4ull * 1024 * 1024 * 1024);
  REQUIRE(nnfs::max_read_bytes() == nnfs::kDefaultMaxReadBytes);
  {
    ReadLimit limit(123);
    REQUIRE(limit.previous == nnfs::kDefaultMaxReadBytes);
    REQUIRE(nnfs::max_read_bytes() == 123);
    REQUIRE(nnfs::set_max_read_bytes(456) == 123);
  }
  REQUIRE(nnfs::max_read_bytes() == nnfs::kDefaultMaxReadBytes);
}

TEST_CASE("every reader refuses a file above the read limit and reads one at it", "[files]") {
  TempDir dir;
  const fs::path model_file = dir / "model.nnfs";
  small_model().save(model_file);
  const fs::path parameters_file = dir / "parameters.npz";
  nnfs::io::save_parameters(small_model(), parameters_file);
  const std::vector<fs::path> files = {
      nnfs_test::data_path("npy/f4_2x3.npy"),
      nnfs_test::data_path("npy/i4_labels_7.npy"),
      nnfs_test::data_path("npy/arrays_stored.npz"),
      nnfs_test::data_path("npy/arrays_compressed.npz"),
      nnfs_test::data_path("fashion_mnist/idx/train-labels-idx1-ubyte"),
      nnfs_test::data_path("fashion_mnist/png/gray8_w5_h3.png"),
      model_file,
      parameters_file,
  };
  const auto all = readers();
  REQUIRE(all.size() == files.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& name = all[i].first;
    const auto& read = all[i].second;
    const std::uint64_t size = fs::file_size(files[i]);
    INFO(name << " on " << files[i] << " (" << size << " bytes)");
    {
      ReadLimit limit(size - 1);
      NNFS_REQUIRE_THROWS_WITH(std::runtime_error, read(files[i]), name, files[i].string(),
                               fmt::format("the file is {} bytes, more than the read limit of {} bytes", size,
                                           size - 1),
                               "nnfs::set_max_read_bytes");
    }
    {
      ReadLimit limit(size);
      REQUIRE_NOTHROW(read(files[i]));
    }
  }
}

TEST_CASE("a gzip'd IDX file may inflate to no more than the read limit", "[files]") {
  TempDir dir;
  const std::string raw = idx({1, 100, 100}, std::string(10000, '\x07'));
  const std::string packed = gzip(raw);
  REQUIRE(packed.size() < 200);  // zeros... sevens compress well: the file is far below the limit
  write_bytes(dir / "images.gz", packed);
  {
    ReadLimit limit(9999);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_idx(dir / "images.gz"), "read_idx",
                             "images.gz", "1\u00d7100\u00d7100 describe more than the limit of 9999 bytes",
                             "nnfs::set_max_read_bytes");
    // parse_idx on bytes in memory has only its own max_bytes
    REQUIRE(nnfs::io::parse_idx(packed).data.size() == 10000);
  }
  {
    ReadLimit limit(10000);
    const auto array = nnfs::io::read_idx(dir / "images.gz");
    REQUIRE(array.dims == std::vector<std::int64_t>{1, 100, 100});
    REQUIRE(array.data == std::vector<std::uint8_t>(10000, 7));
  }
  // the max_bytes argument still applies below the read limit
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_idx(dir / "images.gz", 5000), "read_idx",
                           "describe more than the limit of 5000 bytes");
}

// ---------------------------------------------------------------- saves: modes and symlinks

TEST_CASE("a save keeps the permissions of the file it replaces", "[files]") {
  TempDir dir;
  for (const auto& writer : writers())
    for (const mode_t mode : {mode_t{0600}, mode_t{0640}, mode_t{0604}, mode_t{0755}, mode_t{0444}}) {
      const std::string& name = writer.first;
      const auto& write = writer.second;
      INFO(name << " over a file of mode " << std::oct << mode);
      const fs::path path = dir / "target";
      write_bytes(path, "old content");
      REQUIRE(::chmod(path.c_str(), mode) == 0);
      write(path);
      REQUIRE(mode_of(path) == mode);
      write(dir / "fresh");
      REQUIRE(read_back(path) == read_back(dir / "fresh"));
      REQUIRE(listing(dir.path) == std::vector<std::string>{"fresh", "target"});
      fs::remove(path);
      fs::remove(dir / "fresh");
    }
}

TEST_CASE("a new file gets 0666 minus the umask, as fopen gives", "[files]") {
  TempDir dir;
  for (const auto& writer : writers())
    for (const mode_t mask : {mode_t{022}, mode_t{077}, mode_t{027}, mode_t{0}}) {
      const std::string& name = writer.first;
      const auto& write = writer.second;
      INFO(name << " with umask " << std::oct << mask);
      const Umask umask(mask);
      write(dir / "new");
      REQUIRE(mode_of(dir / "new") == (0666 & ~mask));
      fs::remove(dir / "new");
    }
}

TEST_CASE("a save through a symlink replaces its target and keeps the link", "[files]") {
  TempDir dir;
  for (const auto& writer : writers()) {
    const std::string& name = writer.first;
    const auto& write = writer.second;
    INFO(name);
    write(dir / "expected");
    const std::string expected = read_back(dir / "expected");
    const fs::path a = dir / "a";
    const fs::path b = dir / "b";
    const auto fresh_folders = [&] {
      fs::remove_all(a);
      fs::remove_all(b);
      fs::create_directories(a);
      fs::create_directories(b);
    };
    // No temporary file is left, in the link's folder or the target's.
    const auto check_no_leftovers = [&](const std::vector<std::string>& in_a) {
      REQUIRE(listing(b) == std::vector<std::string>{"file"});
      REQUIRE(listing(a) == in_a);
    };

    // an absolute link to a file of mode 0600
    fresh_folders();
    write_bytes(b / "file", "old");
    REQUIRE(::chmod((b / "file").c_str(), 0600) == 0);
    fs::create_symlink(b / "file", a / "link");
    write(a / "link");
    REQUIRE(fs::is_symlink(a / "link"));
    REQUIRE(fs::read_symlink(a / "link") == b / "file");
    REQUIRE(read_back(b / "file") == expected);
    REQUIRE(mode_of(b / "file") == 0600);
    check_no_leftovers({"link"});

    // a chain of relative links into another folder
    fresh_folders();
    write_bytes(b / "file", "old");
    fs::create_symlink("../b/file", a / "link1");
    fs::create_symlink("link1", a / "link2");
    write(a / "link2");
    REQUIRE(fs::read_symlink(a / "link2") == "link1");
    REQUIRE(fs::read_symlink(a / "link1") == "../b/file");
    REQUIRE(read_back(b / "file") == expected);
    check_no_leftovers({"link1", "link2"});

    // a dangling link creates its target
    fresh_folders();
    fs::create_symlink("../b/file", a / "link");
    write(a / "link");
    REQUIRE(fs::is_symlink(a / "link"));
    REQUIRE(read_back(b / "file") == expected);
    check_no_leftovers({"link"});
  }
}

TEST_CASE("a save refuses targets that are not regular files and leaves them as they were", "[files]") {
  Watchdog watchdog(60);
  TempDir dir;
  make_fifo(dir / "pipe");
  make_socket(dir / "sock");
  fs::create_directories(dir / "folder" / "inner");
  fs::create_symlink("folder", dir / "link-to-folder");
  fs::create_symlink("pipe", dir / "link-to-pipe");
  fs::create_symlink("loop2", dir / "loop1");
  fs::create_symlink("loop1", dir / "loop2");
  const std::vector<std::string> before = listing(dir.path);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pipe", "it is a FIFO (named pipe); only regular files are replaced"},
      {"sock", "it is a socket; only regular files are replaced"},
      {"folder", "it is a directory; only regular files are replaced"},
      {"link-to-folder", "it is a directory (the symlink's target"},
      {"link-to-pipe", "it is a FIFO (named pipe) (the symlink's target"},
      {"loop1", "too many levels of symbolic links"},
  };
  for (const auto& writer : writers())
    for (const auto& c : cases) {
      const std::string& name = writer.first;
      const auto& write = writer.second;
      const std::string& target = c.first;
      const std::string& message = c.second;
      INFO(name << " to " << target);
      NNFS_REQUIRE_THROWS_WITH(std::runtime_error, write(dir / target), name, "cannot write",
                               (dir / target).string(), message);
    }
  REQUIRE(listing(dir.path) == before);
  REQUIRE(fs::is_fifo(dir / "pipe"));
  REQUIRE(fs::is_socket(dir / "sock"));
  REQUIRE(listing(dir / "folder") == std::vector<std::string>{"inner"});
}

// ------------------------------------------------------------------ saves: temporary names

TEST_CASE("leftover temporary files never block a save", "[files]") {
  TempDir dir;
  // What an earlier scheme (a per-process counter from 0, 100 tries) could never get past,
  // and names of this scheme's form.
  for (int i = 0; i < 200; ++i) write_bytes(dir / fmt::format(".nnfs-{}.tmp", i), "left over");
  std::mt19937_64 rng(42);
  for (int i = 0; i < 50; ++i) write_bytes(dir / fmt::format(".nnfs-{:016x}.tmp", rng()), "left over");
  const std::size_t leftovers = listing(dir.path).size();
  REQUIRE(leftovers == 250);
  for (const auto& writer : writers()) {
    const std::string& name = writer.first;
    const auto& write = writer.second;
    INFO(name);
    for (int i = 0; i < 5; ++i) write(dir / "target");
  }
  REQUIRE(listing(dir.path).size() == leftovers + 1);
  REQUIRE(read_back(dir / ".nnfs-0.tmp") == "left over");
}

TEST_CASE("concurrent saves to one path never share a temporary file", "[files]") {
  TempDir dir;
  const fs::path path = dir / "shared.npy";
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        nnfs::Matrix<double> m(1, 1);
        m(0, 0) = t * 1000 + i;
        try {
          nnfs::save_npy(path, m);
        } catch (...) {
          ++failures;
        }
      }
    });
  for (auto& thread : threads) thread.join();
  REQUIRE(failures == 0);
  const double last = nnfs::load_npy<double>(path)(0, 0);  // a complete file from one of them
  REQUIRE(std::set<double>{0 * 1000 + 24, 1000 + 24, 2000 + 24, 3000 + 24}.count(last) == 1);
  REQUIRE(listing(dir.path) == std::vector<std::string>{"shared.npy"});
}

// --------------------------------------------------------------- IDX data sets: their shapes

TEST_CASE("IDX data sets with no images or impossible shapes are refused like empty folders", "[files]") {
  TempDir dir;
  const auto write_set = [&](std::uint32_t n, std::uint32_t rows, std::uint32_t cols, std::size_t data_bytes,
                             std::uint32_t labels) {
    write_bytes(dir / "train-images-idx3-ubyte", idx({n, rows, cols}, std::string(data_bytes, '\x01')));
    write_bytes(dir / "train-labels-idx1-ubyte", idx({labels}, std::string(labels, '\x02')));
  };
  const std::string images = (dir / "train-images-idx3-ubyte").string();
  struct Case {
    std::uint32_t n, rows, cols;
    std::size_t data_bytes;
    std::string message;
  };
  const std::vector<Case> cases = {
      {0, 28, 28, 0, "holds 0 images of 28\u00d728 pixels: a data set needs at least one image"},
      {0, 2147483647, 2147483647, 0,
       "holds 0 images of 2147483647\u00d72147483647 pixels: a data set needs at least one image"},
      {3, 0, 28, 0, "holds 3 images of 0\u00d728 pixels: an image needs at least one pixel"},
      {3, 28, 0, 0, "holds 3 images of 28\u00d70 pixels: an image needs at least one pixel"},
      {5, 2147483647, 0, 0, "holds 5 images of 2147483647\u00d70 pixels: an image needs at least one pixel"},
  };
  for (const auto& c : cases) {
    INFO(c.message);
    write_set(c.n, c.rows, c.cols, c.data_bytes, c.n);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             "nnfs::io::load_fashion_mnist_idx", images, c.message);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::load_fashion_mnist_idx_bytes(dir.path, "train"),
                             "nnfs::io::load_fashion_mnist_idx_bytes", images, c.message);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::load_fashion_mnist<double>(dir.path),
                             "nnfs::io::load_fashion_mnist", images, c.message);
  }
  // The folder layout refuses an empty data set too (its own message says where to get one).
  fs::create_directories(dir / "folders" / "train" / "0");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::load_mnist_dataset("train", dir / "folders"),
                           "no PNG images");
  // And the smallest real set loads: 1 image of 1×1.
  write_set(1, 1, 1, 1, 1);
  const auto one = nnfs::io::load_fashion_mnist_idx_bytes(dir.path, "train");
  REQUIRE(one.X.rows() == 1);
  REQUIRE(one.X.cols() == 1);
  REQUIRE(one.X(0, 0) == 1);
  REQUIRE(one.y(0) == 2);
}

TEST_CASE("the one image-shape check shared by both layouts", "[files]") {
  using nnfs::detail::checked_image_shape;
  const char* f = "fn";
  REQUIRE(checked_image_shape(f, "'x'", 1, 1, 1) == 1);
  REQUIRE(checked_image_shape(f, "'x'", 60000, 28, 28) == 784);
  REQUIRE(checked_image_shape(f, "'x'", 1, 16384, 16384) == 268435456);  // 2^28: the limit itself
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, checked_image_shape(f, "'x'", 1, 16384, 16385), "fn: 'x'",
                           "1 images of 16384\u00d716385 pixels", "more than the limit of 268435456 pixels");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, checked_image_shape(f, "'x'", 1, 2147483647, 2147483647),
                           "more than the limit of 268435456 pixels");
  // 2^40 images of 2^28 pixels: 2^68 elements
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           checked_image_shape(f, "'x'", std::int64_t{1} << 40, 16384, 16384),
                           "1099511627776 images", "more elements than one matrix can index");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, checked_image_shape(f, "'x'", -1, 28, 28), "at least one image");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, checked_image_shape(f, "'x'", 2, -28, 28), "at least one pixel");
}

// -------------------------------------------------------- element counts of hand-built shapes

TEST_CASE("IdxArray::element_count: checked product of hand-built sizes", "[files]") {
  const auto count = [](std::vector<std::int64_t> dims) {
    nnfs::io::IdxArray a;
    a.dims = std::move(dims);
    return a.element_count();
  };
  REQUIRE(count({}) == 1);
  REQUIRE(count({3, 4}) == 12);
  REQUIRE(count({60000, 28, 28}) == 47040000);
  REQUIRE(count({std::int64_t{1} << 31, std::int64_t{1} << 31}) == std::int64_t{1} << 62);
  REQUIRE(count({0, std::int64_t{1} << 40, std::int64_t{1} << 40}) == 0);  // 0 before the overflow
  REQUIRE(count({std::int64_t{1} << 40, std::int64_t{1} << 40, 0}) == 0);
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, count({std::int64_t{1} << 32, std::int64_t{1} << 32}),
                           "IdxArray::element_count", "4294967296\u00d74294967296", "beyond int64");
  // 2^31 · 2^31 · 2 = 2^63: one past the largest int64
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           count({std::int64_t{1} << 31, std::int64_t{1} << 31, 2}), "beyond int64");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, count({-1, 5}), "-1\u00d75", "negative");
}

TEST_CASE("hand-built NpyArrays with overflowing shapes: typed errors, nothing written", "[files]") {
  TempDir dir;
  const auto array = [](std::string descr, std::vector<std::int64_t> shape) {
    nnfs::NpyArray a;
    a.descr = std::move(descr);
    a.shape = std::move(shape);
    a.data = std::string(8, '\0');
    return a;
  };
  // 2^32 · 2^32 = 2^64 elements; 2^61 float64s = 2^64 bytes; a negative size.
  for (const auto& a : {array("<f4", {std::int64_t{1} << 32, std::int64_t{1} << 32}),
                        array("<f8", {std::int64_t{1} << 61}), array("<i4", {-2, 1})}) {
    INFO(nnfs::detail::npy_shape_str(a.shape));
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)a.to_matrix<double>(), "to_matrix",
                             "negative dimension or too many elements");
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)a.to_labels(), "negative dimension or too many elements");
    REQUIRE_THROWS_AS((void)nnfs::npy_bytes(a), std::invalid_argument);
    REQUIRE_THROWS_AS(nnfs::save_npy(dir / "a.npy", a), std::invalid_argument);
    REQUIRE_THROWS_AS(nnfs::save_npz(dir / "a.npz", {{"a", a}}), std::invalid_argument);
  }
  REQUIRE_THROWS_AS((void)array("<f4", {std::int64_t{1} << 32, std::int64_t{1} << 32}).size(), std::invalid_argument);
  REQUIRE(array("<f8", {std::int64_t{1} << 61}).size() == std::int64_t{1} << 61);  // the count fits, the bytes do not
  REQUIRE(listing(dir.path).empty());
}
