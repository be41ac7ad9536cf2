// nnfs/io/fashion_mnist_files.hpp — reading one half of Fashion-MNIST ("train" or "test") from
// either of its two layouts on disk; nnfs/io/fashion_mnist.hpp loads and shuffles both halves.
//
// Two layouts are read:
//
//  1. The book's folders (https://nnfs.io/datasets/fashion_mnist_images.zip):
//         <path>/train/<label>/<name>.png      <path>/test/<label>/<name>.png
//     one 28×28 8-bit gray PNG per sample, the label being the folder name. The Python
//     (load_mnist_dataset) walks os.listdir order, which the OS chooses; here it is fixed:
//     label folders in numeric order 0..9, files inside a folder sorted by name (byte order,
//     = Python's sorted()). Decided details:
//       - entries whose name starts with '.' are ignored everywhere (.DS_Store,
//         .ipynb_checkpoints, ...);
//       - in <path>/<dataset>, a folder named anything but 0..9 is an error; plain files there
//         are ignored; a missing label folder is allowed (a subset), but no image at all is an
//         error;
//       - in a label folder, only regular files ending in ".png" (any case) are read; other
//         files (Thumbs.db, README) and subfolders are ignored; a .png that does not decode is
//         an error;
//       - every image of a data set must have the size of its first image (in the order
//         above); X has width·height columns (784 for Fashion-MNIST). create_data_mnist also
//         requires test images of the training images' size. (libpng converts any PNG colour
//         type to 8-bit gray: see nnfs/io/png.hpp.)
//
//  2. The canonical IDX files (https://github.com/zalandoresearch/fashion-mnist), gzip'd or not:
//         <path>/train-images-idx3-ubyte[.gz]   <path>/train-labels-idx1-ubyte[.gz]
//         <path>/t10k-images-idx3-ubyte[.gz]    <path>/t10k-labels-idx1-ubyte[.gz]
//     (the uncompressed file is used when both exist). Images must be N×rows×cols, labels N,
//     every label in 0..9. Both layouts hold the same 60 000 + 10 000 images.
//
// Both layouts go through one shape check (detail::checked_image_shape): a data set needs at
// least one image, an image at least 1×1 and at most nnfs::io::kMaxPngPixels (2^28) pixels,
// and N × pixels must fit one matrix; an empty data set or an impossible shape is a
// std::runtime_error naming the file or folder and the shape, never an empty result or a
// std::bad_alloc later.
//
// Pixels are scaled as the book does, element by element in T:
//     X = (X.reshape(N, -1).astype(np.float32) - 127.5) / 127.5
// i.e. (T(x) − 127.5) / 127.5, bit-identical to NumPy for every byte value (float32 for
// T = float; T = double is the same formula in float64). The *_bytes variants return the
// unscaled 0..255 pixels instead.
//
// Every failure is a std::runtime_error naming the file or folder and what was wrong; a
// missing data set says where to get it.
//
// Needs the nnfs::io CMake target (libpng, zlib).
#pragma once

#include "nnfs/datasets/dataset.hpp"
#include "nnfs/detail/file.hpp"
#include "nnfs/io/idx.hpp"
#include "nnfs/io/png.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

namespace nnfs::io {

/// The book's pixel scaling of one byte: (T(x) − 127.5) / 127.5, in T.
template <class T = float>
T scale_pixel(std::uint8_t x) {
  static_assert(std::is_floating_point_v<T>, "scale_pixel<T>: T must be float or double");
  return (static_cast<T>(x) - static_cast<T>(127.5)) / static_cast<T>(127.5);
}

}  // namespace nnfs::io

namespace nnfs::detail {

inline constexpr const char* kFashionMnistWhere =
    "get Fashion-MNIST as the book's PNG folders from https://nnfs.io/datasets/"
    "fashion_mnist_images.zip (unzip it: <path>/train/0..9, <path>/test/0..9) or as the IDX "
    "files from https://github.com/zalandoresearch/fashion-mnist (train-images-idx3-ubyte.gz, "
    "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in <path>)";

/// scale_pixel for all 256 bytes, computed once.
template <class T>
const std::array<T, 256>& pixel_table() {
  static const std::array<T, 256> table = [] {
    std::array<T, 256> t{};
    for (int b = 0; b < 256; ++b)
      t[static_cast<std::size_t>(b)] = io::scale_pixel<T>(static_cast<std::uint8_t>(b));
    return t;
  }();
  return table;
}

inline void scale_pixel_row(const std::uint8_t* in, std::size_t n, float* out) {
  const auto& table = pixel_table<float>();
  for (std::size_t i = 0; i < n; ++i) out[i] = table[in[i]];
}
inline void scale_pixel_row(const std::uint8_t* in, std::size_t n, double* out) {
  const auto& table = pixel_table<double>();
  for (std::size_t i = 0; i < n; ++i) out[i] = table[in[i]];
}
inline void scale_pixel_row(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  std::copy(in, in + n, out);
}

/// The one check of a data set's shape, whichever layout it comes from (the book's folders or
/// IDX files): at least one image, images of at least 1×1 and at most kMaxPngPixels pixels
/// (the PNG reader's limit), and samples × pixels elements that fit one matrix. Returns the
/// pixels per image. Throws std::runtime_error naming `source` and the shape.
inline Index checked_image_shape(const char* function, const std::string& source,
                                 std::int64_t samples, std::int64_t rows, std::int64_t cols) {
  const auto fail = [&](const std::string& why) {
    return std::runtime_error(fmt::format("{}: {} holds {} images of {}\u00d7{} pixels: {}",
                                          function, source, samples, rows, cols, why));
  };
  if (samples <= 0) throw fail("a data set needs at least one image");
  if (rows <= 0 || cols <= 0) throw fail("an image needs at least one pixel");
  if (rows > static_cast<std::int64_t>(io::kMaxPngPixels) / cols)
    throw fail(fmt::format("more than the limit of {} pixels per image", io::kMaxPngPixels));
  const std::int64_t pixels = rows * cols;
  if (samples > std::numeric_limits<Index>::max() / pixels)
    throw fail("more elements than one matrix can index");
  return static_cast<Index>(pixels);
}

struct MnistImageFile {
  std::filesystem::path path;
  std::int32_t label;
};

inline bool hidden_entry(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

inline bool has_png_extension(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext == ".png";
}

/// The book layout's image files of <path>/<dataset>, in load order (labels 0..9, names sorted).
inline std::vector<MnistImageFile> list_mnist_images(const char* function,
                                                     const std::string& dataset,
                                                     const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  const fs::path root = path / dataset;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw std::runtime_error(
        fmt::format("{}: no data set folder '{}' ({}); {}", function, root.string(),
                    fs::exists(path, ec) ? "it does not exist or is not a folder"
                                         : "'" + path.string() + "' itself does not exist",
                    kFashionMnistWhere));
  const auto fail_listing = [&](const fs::path& dir, const std::error_code& error) {
    return std::runtime_error(fmt::format("{}: cannot list the folder '{}': {}", function,
                                          dir.string(), error.message()));
  };
  std::array<bool, 10> present{};
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& entry = it->path();
    if (hidden_entry(entry)) continue;
    std::error_code type_ec;
    if (!it->is_directory(type_ec)) continue;  // plain files next to the label folders
    const std::string name = entry.filename().string();
    if (name.size() != 1 || name[0] < '0' || name[0] > '9')
      throw std::runtime_error(fmt::format(
          "{}: '{}' is not a label folder: the folders of '{}' must be named 0..9 (one per "
          "Fashion-MNIST class)",
          function, entry.string(), root.string()));
    present[static_cast<std::size_t>(name[0] - '0')] = true;
  }
  if (ec) throw fail_listing(root, ec);

  std::vector<MnistImageFile> files;
  for (std::int32_t label = 0; label < 10; ++label) {
    if (!present[static_cast<std::size_t>(label)]) continue;
    const fs::path dir = root / std::to_string(label);
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& entry = it->path();
      std::error_code type_ec;
      if (hidden_entry(entry) || !has_png_extension(entry) || !it->is_regular_file(type_ec))
        continue;
      names.push_back(entry.filename().string());
    }
    if (ec) throw fail_listing(dir, ec);
    std::sort(names.begin(), names.end());  // byte order (char_traits compares as unsigned)
    for (const auto& name : names) files.push_back(MnistImageFile{dir / name, label});
  }
  if (files.empty())
    throw std::runtime_error(fmt::format(
        "{}: no PNG images in '{}' (expected label folders 0..9 holding *.png files); {}", function,
        root.string(), kFashionMnistWhere));
  return files;
}

/// Decodes the book layout's images into X (one row each, converted by scale_row) and y.
template <class Scalar>
nnfs::datasets::Dataset<Scalar> load_mnist_folder(const char* function, const std::string& dataset,
                                                  const std::filesystem::path& path) {
  const std::vector<MnistImageFile> files = list_mnist_images(function, dataset, path);
  const auto rows = static_cast<Index>(files.size());
  nnfs::datasets::Dataset<Scalar> out;
  out.y.resize(rows);
  int width = 0;
  int height = 0;
  std::size_t pixels = 0;
  std::vector<std::uint8_t> buffer;
  for (Index i = 0; i < rows; ++i) {
    const MnistImageFile& file = files[static_cast<std::size_t>(i)];
    const std::string bytes = nnfs::detail::read_file_bytes(function, file.path);
    const std::string name = quoted_path(file.path);
    PngImageGuard png;
    begin_gray_png(png, function, name, bytes.data(), bytes.size(), io::kMaxPngPixels);
    const auto w = static_cast<int>(png.image.width);
    const auto h = static_cast<int>(png.image.height);
    if (i == 0) {
      width = w;
      height = h;
      const Index cols = checked_image_shape(function, quoted_path(path / dataset), rows, h, w);
      pixels = static_cast<std::size_t>(cols);
      out.X.resize(rows, cols);
      buffer.resize(pixels);
    } else if (w != width || h != height) {
      throw std::runtime_error(fmt::format(
          "{}: {} is {}\u00d7{} pixels (width\u00d7height), but '{}', the first image of the "
          "data set, is {}\u00d7{}; all images must have the same size (Fashion-MNIST's are "
          "28\u00d728)",
          function, name, w, h, files.front().path.string(), width, height));
    }
    if constexpr (std::is_same_v<Scalar, std::uint8_t>) {
      finish_gray_png(png, function, name, out.X.row(i).data());  // rows are contiguous
    } else {
      finish_gray_png(png, function, name, buffer.data());
      scale_pixel_row(buffer.data(), pixels, out.X.row(i).data());
    }
    out.y(i) = file.label;
  }
  return out;
}

inline std::string idx_prefix(const char* function, const std::string& dataset) {
  if (dataset == "train") return "train";
  if (dataset == "test") return "t10k";
  throw std::invalid_argument(
      fmt::format("{}: the data set must be \"train\" or \"test\", got \"{}\"", function, dataset));
}

/// <dir>/<stem> if it exists, else <dir>/<stem>.gz; empty when neither does.
inline std::filesystem::path find_idx_file(const std::filesystem::path& dir,
                                           const std::string& stem) {
  std::error_code ec;
  auto plain = dir / stem;
  if (std::filesystem::is_regular_file(plain, ec)) return plain;
  auto gz = dir / (stem + ".gz");
  if (std::filesystem::is_regular_file(gz, ec)) return gz;
  return {};
}

template <class Scalar>
nnfs::datasets::Dataset<Scalar> load_idx_pair(const char* function,
                                              const std::filesystem::path& dir,
                                              const std::string& dataset) {
  const std::string prefix = idx_prefix(function, dataset);
  const std::string image_stem = prefix + "-images-idx3-ubyte";
  const std::string label_stem = prefix + "-labels-idx1-ubyte";
  const auto image_path = find_idx_file(dir, image_stem);
  const auto label_path = find_idx_file(dir, label_stem);
  if (image_path.empty() || label_path.empty())
    throw std::runtime_error(fmt::format("{}: no '{}' or '{}.gz' in '{}'; {}", function,
                                         image_path.empty() ? image_stem : label_stem,
                                         image_path.empty() ? image_stem : label_stem, dir.string(),
                                         kFashionMnistWhere));

  const io::IdxArray labels = io::read_idx(label_path);
  if (labels.dims.size() != 1)
    throw std::runtime_error(
        fmt::format("{}: '{}' must hold a 1-D array of labels, it holds {} ({} dimensions)",
                    function, label_path.string(), idx_dims_str(labels.dims), labels.dims.size()));
  for (std::size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] > 9)
      throw std::runtime_error(
          fmt::format("{}: '{}': label {} of sample {} is not a Fashion-MNIST class (0..9)",
                      function, label_path.string(), labels.data[i], i));

  io::IdxArray images = io::read_idx(image_path);
  if (images.dims.size() != 3)
    throw std::runtime_error(
        fmt::format("{}: '{}' must hold images as samples\u00d7rows\u00d7columns, it holds {} ({} "
                    "dimensions)",
                    function, image_path.string(), idx_dims_str(images.dims), images.dims.size()));
  const Index cols = checked_image_shape(function, quoted_path(image_path), images.dims[0],
                                         images.dims[1], images.dims[2]);
  if (images.dims[0] != labels.dims[0])
    throw std::runtime_error(fmt::format("{}: '{}' holds {} images but '{}' holds {} labels",
                                         function, image_path.string(), images.dims[0],
                                         label_path.string(), labels.dims[0]));

  const auto rows = static_cast<Index>(images.dims[0]);
  nnfs::datasets::Dataset<Scalar> out{Matrix<Scalar>(rows, cols), Labels(rows)};
  const auto n = static_cast<std::size_t>(cols);
  for (Index i = 0; i < rows; ++i) {
    scale_pixel_row(images.data.data() + static_cast<std::size_t>(i) * n, n, out.X.row(i).data());
    out.y(i) = static_cast<std::int32_t>(labels.data[static_cast<std::size_t>(i)]);
  }
  return out;
}

template <class T>
void check_pixel_scalar() {
  static_assert(std::is_floating_point_v<T>,
                "nnfs::io Fashion-MNIST loaders: T must be float or double (the *_bytes "
                "variants return the unscaled pixels)");
}

}  // namespace nnfs::detail

namespace nnfs::io {

// ------------------------------------------------------------------------- book folders

/// The book's load_mnist_dataset(dataset, path): the PNGs of <path>/<dataset>/0..9/, in label
/// order then file-name order, X scaled to (x − 127.5)/127.5 (rows × width·height), y the
/// labels. Throws std::runtime_error for a missing folder (saying where to get the data),
/// a folder other than 0..9, an undecodable PNG or one of a different size.
template <class T = float>
nnfs::datasets::Dataset<T> load_mnist_dataset(const std::string& dataset,
                                              const std::filesystem::path& path) {
  detail::check_pixel_scalar<T>();
  return detail::load_mnist_folder<T>("nnfs::io::load_mnist_dataset", dataset, path);
}

/// load_mnist_dataset without the scaling: X holds the pixels 0..255.
inline nnfs::datasets::Dataset<std::uint8_t> load_mnist_dataset_bytes(
    const std::string& dataset, const std::filesystem::path& path) {
  return detail::load_mnist_folder<std::uint8_t>("nnfs::io::load_mnist_dataset_bytes", dataset,
                                                 path);
}

// ---------------------------------------------------------------------------- IDX files

/// The IDX files of `dataset` ("train" → train-*, "test" → t10k-*) in `dir`, gzip'd or not:
/// X scaled like load_mnist_dataset (N × rows·cols), y the labels. Throws
/// std::invalid_argument for another dataset name, std::runtime_error for missing or malformed
/// files, image and label counts that differ, or a label above 9.
template <class T = float>
nnfs::datasets::Dataset<T> load_fashion_mnist_idx(const std::filesystem::path& dir,
                                                  const std::string& dataset) {
  detail::check_pixel_scalar<T>();
  return detail::load_idx_pair<T>("nnfs::io::load_fashion_mnist_idx", dir, dataset);
}

/// load_fashion_mnist_idx without the scaling: X holds the pixels 0..255.
inline nnfs::datasets::Dataset<std::uint8_t> load_fashion_mnist_idx_bytes(
    const std::filesystem::path& dir, const std::string& dataset) {
  return detail::load_idx_pair<std::uint8_t>("nnfs::io::load_fashion_mnist_idx_bytes", dir,
                                             dataset);
}

}  // namespace nnfs::io
