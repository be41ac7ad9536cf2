// nnfs/io/fashion_mnist.hpp — loading Fashion-MNIST (book chapter 19).
//
// The two layouts it reads, and how, are described in nnfs/io/fashion_mnist_files.hpp: the
// book's folders of PNGs (<path>/train/<label>/<name>.png) and the canonical IDX files
// (<path>/train-images-idx3-ubyte[.gz] ...), 60 000 + 10 000 images in both.
//
// create_data_mnist(path) = the book's create_data_mnist followed by its one-time shuffle of
// the training set:
//     keys = np.array(range(X.shape[0])); np.random.shuffle(keys); X = X[keys]; y = y[keys]
// drawn from nnfs::default_random_state() (seeded by nnfs::init()) or a given RandomState,
// bit-identical to NumPy. The shuffle happens in place after loading: no second copy of X.
// Memory: the 60 000 × 784 float training matrix is 188 MB; PNGs are decoded straight into
// their rows, IDX files hold their 47 MB of bytes while X is filled.
//
// Every failure is a std::runtime_error naming the file or folder and what was wrong; a
// missing data set says where to get it.
//
// Needs the nnfs::io CMake target (libpng, zlib).
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/datasets/dataset.hpp"
#include "nnfs/io/fashion_mnist_files.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace nnfs::io {

/// The class names of Fashion-MNIST labels 0..9 (the book's fashion_mnist_labels).
inline constexpr std::array<const char*, 10> fashion_mnist_labels = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

/// Both halves of the data set.
template <class T>
struct FashionMnist {
  nnfs::datasets::Dataset<T> train;
  nnfs::datasets::Dataset<T> test;
};

// ------------------------------------------------------------------- whole data set

/// Scales unscaled pixels the book's way: (T(x) − 127.5) / 127.5, element by element.
template <class T = float>
Matrix<T> scale_pixels(const Matrix<std::uint8_t>& pixels) {
  detail::check_pixel_scalar<T>();
  Matrix<T> out(pixels.rows(), pixels.cols());
  detail::scale_pixel_row(pixels.data(), static_cast<std::size_t>(pixels.size()), out.data());
  return out;
}

/// The book's one-time shuffle, in place:
///     keys = np.array(range(len(X))); np.random.shuffle(keys); X = X[keys]; y = y[keys]
/// (the rows are permuted in place, following the permutation's cycles: no copy of X).
/// Throws std::invalid_argument when X and y disagree on the number of samples.
template <class T>
void shuffle_dataset(nnfs::datasets::Dataset<T>& data, RandomState& rng) {
  const Index n = data.X.rows();
  if (data.y.size() != n)
    throw std::invalid_argument(fmt::format(
        "nnfs::io::shuffle_dataset: X has {} rows but y has {} labels", n, data.y.size()));
  std::vector<std::int64_t> keys(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) keys[static_cast<std::size_t>(i)] = i;
  rng.shuffle(keys);  // np.random.shuffle on the int64 array: the same draws, bit for bit
  // new[i] = old[keys[i]]: walk each cycle i → keys[i] → keys[keys[i]] → … back to i.
  std::vector<bool> done(static_cast<std::size_t>(n), false);
  RowVector<T> held(data.X.cols());
  for (Index start = 0; start < n; ++start) {
    if (done[static_cast<std::size_t>(start)]) continue;
    held = data.X.row(start);
    const std::int32_t held_label = data.y(start);
    Index i = start;
    for (;;) {
      done[static_cast<std::size_t>(i)] = true;
      const auto from = static_cast<Index>(keys[static_cast<std::size_t>(i)]);
      if (from == start) {
        data.X.row(i) = held;
        data.y(i) = held_label;
        break;
      }
      data.X.row(i) = data.X.row(from);
      data.y(i) = data.y(from);
      i = from;
    }
  }
}

/// Both halves, unshuffled, from either layout: the book's folders when <path>/train is a
/// folder, else the IDX files in <path>. Throws std::runtime_error (saying where to get the
/// data) when neither is there, and when train and test images differ in size.
template <class T = float>
FashionMnist<T> load_fashion_mnist(const std::filesystem::path& path) {
  detail::check_pixel_scalar<T>();
  constexpr const char* function = "nnfs::io::load_fashion_mnist";
  std::error_code ec;
  FashionMnist<T> out;
  if (std::filesystem::is_directory(path / "train", ec)) {
    out.train = detail::load_mnist_folder<T>(function, "train", path);
    out.test = detail::load_mnist_folder<T>(function, "test", path);
  } else if (!detail::find_idx_file(path, "train-images-idx3-ubyte").empty()) {
    out.train = detail::load_idx_pair<T>(function, path, "train");
    out.test = detail::load_idx_pair<T>(function, path, "test");
  } else {
    throw std::runtime_error(fmt::format(
        "{}: '{}' holds neither the book's folders ('{}') nor the IDX files ('{}[.gz]'); {}",
        function, path.string(), (path / "train").string(),
        (path / "train-images-idx3-ubyte").string(), detail::kFashionMnistWhere));
  }
  if (out.train.X.cols() != out.test.X.cols())
    throw std::runtime_error(
        fmt::format("{}: the training images have {} pixels but the test images {}", function,
                    out.train.X.cols(), out.test.X.cols()));
  return out;
}

/// The book's
///     X, y, X_test, y_test = create_data_mnist('fashion_mnist_images')
///     keys = np.array(range(X.shape[0])); np.random.shuffle(keys); X = X[keys]; y = y[keys]
///     X = (X.reshape(X.shape[0], -1).astype(np.float32) - 127.5) / 127.5   (and X_test)
/// from either layout (see load_fashion_mnist), the shuffle drawing from `rng` (only after
/// everything loaded: a failed load leaves it untouched).
template <class T = float>
FashionMnist<T> create_data_mnist(const std::filesystem::path& path, RandomState& rng) {
  FashionMnist<T> data = load_fashion_mnist<T>(path);
  shuffle_dataset(data.train, rng);
  return data;
}

/// create_data_mnist drawing from nnfs::default_random_state() (seeded by nnfs::init()).
template <class T = float>
FashionMnist<T> create_data_mnist(const std::filesystem::path& path) {
  return create_data_mnist<T>(path, default_random_state());
}

}  // namespace nnfs::io
