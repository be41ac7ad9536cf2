// A fresh folder under the system's temporary directory, removed with its content: the scratch
// space of the tests that write files (ctest runs test executables in parallel, so every folder
// gets a random name).
#pragma once

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace nnfs_test {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "nnfs-test") {
    static std::atomic<unsigned> counter{0};
    path = std::filesystem::temp_directory_path() /
           (prefix + "-" + std::to_string(std::random_device{}()) + "-" +
            std::to_string(counter.fetch_add(1)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

}  // namespace nnfs_test
