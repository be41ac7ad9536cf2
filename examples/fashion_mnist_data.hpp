// Where the Fashion-MNIST examples (20, 21) find the data set, in this order:
//   1. the folder given on the command line;
//   2. the folder named by the environment variable NNFS_FASHION_MNIST;
//   3. fashion_mnist_images/ in the working directory (the book's zip, unpacked);
//   4. /usr/share/datasets/fashion-mnist/ (Debian's package dataset-fashion-mnist: IDX .gz files).
// A folder holds the data when it has the book's train/ folder or the IDX file
// train-images-idx3-ubyte[.gz]. docs/fashion-mnist.md tells the whole story.
#pragma once

#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace example {

inline constexpr const char* kFashionMnistVariable = "NNFS_FASHION_MNIST";
inline constexpr const char* kBookFolder = "fashion_mnist_images";
inline constexpr const char* kDebianFolder = "/usr/share/datasets/fashion-mnist";

/// Whether `dir` holds Fashion-MNIST in one of the layouts nnfs::io::load_fashion_mnist reads.
inline bool holds_fashion_mnist(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_directory(dir / "train", ec) ||
         std::filesystem::exists(dir / "train-images-idx3-ubyte", ec) ||
         std::filesystem::exists(dir / "train-images-idx3-ubyte.gz", ec);
}

/// The data folder: `explicit_dir` when given (whether it holds the data or not: the caller
/// asked for it), else the first of $NNFS_FASHION_MNIST, ./fashion_mnist_images and Debian's
/// folder that holds the data. std::nullopt when none does; `tried` lists the places looked at.
inline std::optional<std::filesystem::path> find_fashion_mnist(const std::optional<std::string>& explicit_dir,
                                                                std::vector<std::string>& tried) {
  if (explicit_dir) {
    tried.push_back(*explicit_dir + " (command line)");
    if (holds_fashion_mnist(*explicit_dir)) return std::filesystem::path(*explicit_dir);
    return std::nullopt;
  }
  if (const char* variable = std::getenv(kFashionMnistVariable); variable != nullptr && *variable != '\0') {
    tried.push_back(fmt::format("{} (${})", variable, kFashionMnistVariable));
    if (holds_fashion_mnist(variable)) return std::filesystem::path(variable);
  } else {
    tried.push_back(fmt::format("${} (not set)", kFashionMnistVariable));
  }
  for (const char* dir : {kBookFolder, kDebianFolder}) {
    tried.emplace_back(dir);
    if (holds_fashion_mnist(dir)) return std::filesystem::path(dir);
  }
  return std::nullopt;
}

/// What to say when find_fashion_mnist found nothing: where it looked and how to get the data.
inline void print_how_to_get_fashion_mnist(const std::vector<std::string>& tried, const char* program) {
  fmt::print("Fashion-MNIST was not found. Looked in:\n");
  for (const std::string& place : tried) fmt::print("  {}\n", place);
  fmt::print(
      "Get it with one of:\n"
      "  apt-get install dataset-fashion-mnist    (Debian/Ubuntu: IDX files in {})\n"
      "  the book's images: https://nnfs.io/datasets/fashion_mnist_images.zip, unzipped here "
      "(./{}/train, ./{}/test)\n"
      "  the IDX files of https://github.com/zalandoresearch/fashion-mnist (data/fashion/*.gz)\n"
      "then run {} <folder>, or set {}=<folder> (docs/fashion-mnist.md).\n",
      kDebianFolder, kBookFolder, kBookFolder, program, kFashionMnistVariable);
}

}  // namespace example
