// nnfs/io/fashion_mnist.hpp: the book's chapter-19 loading, bit-identical to its NumPy code.
// The data sets are made here, in a temporary folder: synthetic 28×28 images whose pixels are
// pattern(id, row, col), in the book's folder layout (PNG) and as IDX files (raw and gzip'd).
// Golden values (scaling, shuffle keys, the whole pipeline) come from
// tests/golden/gen_fashion_mnist.py, which runs the book's code on the same images.
#include <fmt/format.h>
#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nnfs/core.hpp>
#include <nnfs/init.hpp>
#include <nnfs/io/fashion_mnist.hpp>
#include <nnfs/random_state.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "nnfs_catch.hpp"
#include "temp_dir.hpp"
#include "io_test_util.hpp"
#include "test_data.hpp"

namespace fs = std::filesystem;
using nnfs::Index;

namespace {

using nnfs_test::TempDir;
using nnfs_test::fixture;
using nnfs_test::gzip;
using nnfs_test::idx;
using nnfs_test::write_bytes;

/// The synthetic image's pixel (the same function as in gen_fashion_mnist.py).
std::uint8_t pattern(long long id, int r, int c) {
  const long long row = r;
  const long long col = c;
  return static_cast<std::uint8_t>((id * 53 + row * 17 + col * 29 + (row * col) % 11) % 256);
}

std::vector<std::uint8_t> pattern_image(long long id, int width = 28, int height = 28) {
  std::vector<std::uint8_t> pixels;
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) pixels.push_back(pattern(id, r, c));
  return pixels;
}

struct FileEntry {
  int label;
  std::string name;
  long long id;
};

/// pipeline_*_files.txt: label name id.
std::vector<FileEntry> read_files(const std::string& name) {
  const auto tokens = nnfs_test::read_tokens("fashion_mnist/" + name);
  REQUIRE(tokens.size() % 3 == 0);
  std::vector<FileEntry> out;
  for (std::size_t i = 0; i < tokens.size(); i += 3)
    out.push_back({std::stoi(tokens[i]), tokens[i + 1], std::stoll(tokens[i + 2])});
  return out;
}

struct ExpectedRow {
  std::int32_t label;
  long long id;
  double sum;
};

std::vector<ExpectedRow> read_expected(const std::string& name) {
  const auto tokens = nnfs_test::read_tokens("fashion_mnist/" + name);
  REQUIRE(tokens.size() % 3 == 0);
  std::vector<ExpectedRow> out;
  for (std::size_t i = 0; i < tokens.size(); i += 3)
    out.push_back({static_cast<std::int32_t>(std::stoi(tokens[i])), std::stoll(tokens[i + 1]),
                   std::strtod(tokens[i + 2].c_str(), nullptr)});
  return out;
}

/// Writes the book's folder layout <root>/<set>/<label>/<name> for the listed images.
void make_folder_set(const fs::path& root, const std::string& set,
                     const std::vector<FileEntry>& files) {
  for (const auto& f : files) {
    const fs::path dir = root / set / std::to_string(f.label);
    fs::create_directories(dir);
    nnfs::io::write_gray_png(dir / f.name, 28, 28, pattern_image(f.id));
  }
}

/// The load order: labels 0..9, names sorted (what the loader must do, independently coded).
std::vector<FileEntry> load_order(std::vector<FileEntry> files) {
  std::stable_sort(files.begin(), files.end(), [](const FileEntry& a, const FileEntry& b) {
    return a.label != b.label ? a.label < b.label : a.name < b.name;
  });
  return files;
}

/// IDX files of the images in load order: <dir>/<prefix>-{images,labels}-idx?-ubyte[.gz].
void make_idx_set(const fs::path& dir, const std::string& prefix,
                  const std::vector<FileEntry>& files, bool gzipped) {
  std::string images;
  std::string labels;
  for (const auto& f : load_order(files)) {
    const auto pixels = pattern_image(f.id);
    images.append(pixels.begin(), pixels.end());
    labels.push_back(static_cast<char>(f.label));
  }
  const auto n = static_cast<std::uint32_t>(files.size());
  std::string image_file = idx({n, 28, 28}, images);
  std::string label_file = idx({n}, labels);
  const std::string suffix = gzipped ? ".gz" : "";
  if (gzipped) {
    image_file = gzip(image_file, 6);
    label_file = gzip(label_file, 6);
  }
  fs::create_directories(dir);
  write_bytes(dir / (prefix + "-images-idx3-ubyte" + suffix), image_file);
  write_bytes(dir / (prefix + "-labels-idx1-ubyte" + suffix), label_file);
}

template <class T>
bool row_is_image(const nnfs::Matrix<T>& X, Index row, long long id) {
  const auto pixels = pattern_image(id);
  for (Index c = 0; c < X.cols(); ++c)
    if (X(row, c) != nnfs::io::scale_pixel<T>(pixels[static_cast<std::size_t>(c)])) return false;
  return true;
}

/// Checks a loaded set against the golden rows: labels, which image each row holds (pixel by
/// pixel), and the float64 row sums NumPy computed.
template <class T>
void check_against(const nnfs::datasets::Dataset<T>& data, const std::vector<ExpectedRow>& rows) {
  REQUIRE(data.X.rows() == static_cast<Index>(rows.size()));
  REQUIRE(data.X.cols() == 784);
  REQUIRE(data.y.size() == data.X.rows());
  for (Index i = 0; i < data.X.rows(); ++i) {
    const auto& e = rows[static_cast<std::size_t>(i)];
    INFO("row " << i << ": image " << e.id);
    REQUIRE(data.y(i) == e.label);
    REQUIRE(row_is_image(data.X, i, e.id));
    if constexpr (std::is_same_v<T, float>) {
      double sum = 0;
      for (Index c = 0; c < data.X.cols(); ++c) sum += static_cast<double>(data.X(i, c));
      REQUIRE(sum == e.sum);  // exact: 784 float32 values of this size sum exactly in float64
    }
  }
}

/// shuffle_keys.txt: the random_sample() NumPy draws right after shuffling N keys (seed 0).
double next_after_shuffle(long long n) {
  const auto tokens = nnfs_test::read_tokens("fashion_mnist/shuffle_keys.txt");
  for (std::size_t pos = 0; pos + 1 < tokens.size();) {
    const long long record_n = std::stoll(tokens[pos]);
    if (record_n == n) return std::strtod(tokens[pos + 1].c_str(), nullptr);
    pos += 2 + static_cast<std::size_t>(record_n);
  }
  INFO("no record for N = " << n << " in shuffle_keys.txt");
  REQUIRE(false);
  return 0.0;
}

}  // namespace

TEST_CASE("fashion-mnist: the book's label names", "[io][fashion_mnist]") {
  REQUIRE(nnfs::io::fashion_mnist_labels.size() == 10);
  REQUIRE(std::string(nnfs::io::fashion_mnist_labels[0]) == "T-shirt/top");
  REQUIRE(std::string(nnfs::io::fashion_mnist_labels[5]) == "Sandal");
  REQUIRE(std::string(nnfs::io::fashion_mnist_labels[9]) == "Ankle boot");
}

TEST_CASE("fashion-mnist: pixel scaling is NumPy's float32 and float64 bit for bit",
          "[io][fashion_mnist]") {
  const auto tokens = nnfs_test::read_tokens("fashion_mnist/scale.txt");
  REQUIRE(tokens.size() == 3 * std::size_t{256});
  nnfs::Matrix<std::uint8_t> bytes(16, 16);
  for (int b = 0; b < 256; ++b) bytes(b / 16, b % 16) = static_cast<std::uint8_t>(b);
  const nnfs::Matrix<float> f = nnfs::io::scale_pixels<float>(bytes);
  const nnfs::Matrix<double> d = nnfs::io::scale_pixels<double>(bytes);
  for (int b = 0; b < 256; ++b) {
    INFO("byte " << b);
    const auto i = static_cast<std::size_t>(b);
    REQUIRE(std::stoi(tokens[3 * i]) == b);
    const float f_ref = std::strtof(tokens[3 * i + 1].c_str(), nullptr);
    const double d_ref = std::strtod(tokens[3 * i + 2].c_str(), nullptr);
    const float f_got = nnfs::io::scale_pixel<float>(static_cast<std::uint8_t>(b));
    const double d_got = nnfs::io::scale_pixel<double>(static_cast<std::uint8_t>(b));
    REQUIRE(std::memcmp(&f_got, &f_ref, sizeof f_got) == 0);
    REQUIRE(std::memcmp(&d_got, &d_ref, sizeof d_got) == 0);
    REQUIRE(f(b / 16, b % 16) == f_ref);
    REQUIRE(d(b / 16, b % 16) == d_ref);
  }
}

TEST_CASE("fashion-mnist: the keys shuffle matches np.random.shuffle after seed 0",
          "[io][fashion_mnist]") {
  const auto tokens = nnfs_test::read_tokens("fashion_mnist/shuffle_keys.txt");
  std::size_t pos = 0;
  int cases = 0;
  while (pos < tokens.size()) {
    const auto n = static_cast<Index>(std::stoll(tokens[pos]));
    const double next = std::strtod(tokens[pos + 1].c_str(), nullptr);
    pos += 2;
    INFO("N = " << n);
    // The book's code: keys = np.array(range(N)); np.random.shuffle(keys).
    nnfs::RandomState rng(0);
    std::vector<std::int64_t> keys(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) keys[static_cast<std::size_t>(i)] = i;
    rng.shuffle(keys);
    for (Index i = 0; i < n; ++i)
      REQUIRE(keys[static_cast<std::size_t>(i)] ==
              std::stoll(tokens[pos + static_cast<std::size_t>(i)]));
    REQUIRE(rng.random_sample() == next);
    // shuffle_dataset applies the same permutation to X and y, and draws the same numbers.
    nnfs::datasets::Dataset<float> data{nnfs::Matrix<float>(n, 3), nnfs::Labels(n)};
    for (Index i = 0; i < n; ++i) {
      data.X.row(i) << static_cast<float>(i), static_cast<float>(-i), 0.5f;
      data.y(i) = static_cast<std::int32_t>(i % 10);
    }
    nnfs::RandomState rng2(0);
    nnfs::io::shuffle_dataset(data, rng2);
    for (Index i = 0; i < n; ++i) {
      const auto k = keys[static_cast<std::size_t>(i)];
      REQUIRE(data.X(i, 0) == static_cast<float>(k));
      REQUIRE(data.X(i, 1) == static_cast<float>(-k));
      REQUIRE(data.y(i) == static_cast<std::int32_t>(k % 10));
    }
    REQUIRE(rng2.random_sample() == next);
    pos += static_cast<std::size_t>(n);
    ++cases;
  }
  REQUIRE(cases == 7);
}

TEST_CASE("fashion-mnist: the 60000-sample training shuffle matches NumPy", "[io][fashion_mnist]") {
  const auto v = nnfs_test::read_tokens("fashion_mnist/shuffle_60000.txt");
  REQUIRE(v.size() == 2 + 32 + 1);
  const Index n = 60000;
  nnfs::datasets::Dataset<double> data{nnfs::Matrix<double>(n, 1), nnfs::Labels(n)};
  for (Index i = 0; i < n; ++i) {
    data.X(i, 0) = static_cast<double>(i);
    data.y(i) = static_cast<std::int32_t>(i);
  }
  const nnfs::NumericsScope restore(nnfs::numerics());  // init() switches to book mode
  nnfs::init();
  nnfs::io::shuffle_dataset(data, nnfs::default_random_state());
  for (std::size_t i = 0; i < 16; ++i) {
    REQUIRE(data.y(static_cast<Index>(i)) == std::stoll(v[2 + i]));
    REQUIRE(data.y(n - 16 + static_cast<Index>(i)) == std::stoll(v[18 + i]));
  }
  long long checksum = 0;
  for (Index i = 0; i < n; ++i) {
    REQUIRE(data.X(i, 0) == static_cast<double>(data.y(i)));
    checksum += static_cast<long long>(i) * data.y(i);
  }
  REQUIRE(checksum == std::stoll(v[34]));
  REQUIRE(nnfs::default_random_state().random_sample() == std::strtod(v[1].c_str(), nullptr));

  SECTION("X and y must agree") {
    nnfs::datasets::Dataset<float> bad{nnfs::Matrix<float>(3, 2), nnfs::Labels(2)};
    nnfs::RandomState rng(0);
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::io::shuffle_dataset(bad, rng),
                             "X has 3 rows but y has 2 labels");
  }
}

TEST_CASE("fashion-mnist: the book's folder layout, end to end against NumPy",
          "[io][fashion_mnist]") {
  TempDir dir;
  const auto train_files = read_files("pipeline_train_files.txt");
  const auto test_files = read_files("pipeline_test_files.txt");
  REQUIRE(train_files.size() == 37);
  make_folder_set(dir.path, "train", train_files);
  make_folder_set(dir.path, "test", test_files);
  // Entries the loader must ignore.
  fs::create_directories(dir.path / "train" / ".ipynb_checkpoints");
  write_bytes(dir.path / "train" / "README.txt", "not an image");
  write_bytes(dir.path / "train" / "0" / ".DS_Store", "junk");
  write_bytes(dir.path / "train" / "0" / "Thumbs.db", "junk");
  write_bytes(dir.path / "train" / "3" / "notes.txt", "junk");
  fs::create_directories(dir.path / "train" / "3" / "more.png");  // a folder, not a file
  write_bytes(dir.path / "test" / "1" / "._t0.png", "AppleDouble junk");

  const auto train_expected = read_expected("pipeline_train_expected.txt");
  const auto test_expected = read_expected("pipeline_test_expected.txt");
  const double next = next_after_shuffle(37);

  SECTION("create_data_mnist with an explicit generator") {
    nnfs::RandomState rng(0);
    const auto data = nnfs::io::create_data_mnist<float>(dir.path, rng);
    check_against(data.train, train_expected);
    check_against(data.test, test_expected);
    REQUIRE(rng.random_sample() == next);  // the shuffle drew exactly NumPy's numbers
  }
  SECTION("create_data_mnist after nnfs::init(), in float64") {
    const nnfs::NumericsScope restore(nnfs::numerics());
    nnfs::init();
    const auto data = nnfs::io::create_data_mnist<double>(dir.path);
    check_against(data.train, train_expected);
    check_against(data.test, test_expected);
  }
  SECTION("load_mnist_dataset: label order, then file-name order, no shuffle") {
    const auto train = nnfs::io::load_mnist_dataset<float>("train", dir.path);
    const auto ordered = load_order(train_files);
    REQUIRE(train.X.rows() == 37);
    for (Index i = 0; i < 37; ++i) {
      const auto& f = ordered[static_cast<std::size_t>(i)];
      INFO("row " << i << ": " << f.label << "/" << f.name);
      REQUIRE(train.y(i) == f.label);
      REQUIRE(row_is_image(train.X, i, f.id));
    }
    // Spot checks of the order rule itself.
    REQUIRE(ordered.front().label == 0);
    const auto bytes = nnfs::io::load_mnist_dataset_bytes("train", dir.path);
    REQUIRE(bytes.y == train.y);
    REQUIRE(nnfs::io::scale_pixels<float>(bytes.X) == train.X);
    REQUIRE(bytes.X(0, 0) == pattern(ordered.front().id, 0, 0));
    REQUIRE(bytes.X(0, 28 * 2 + 3) == pattern(ordered.front().id, 2, 3));  // row 2, column 3
  }
  SECTION("a failed load does not touch the generator") {
    fs::remove_all(dir.path / "test");
    nnfs::RandomState rng(0);
    REQUIRE_THROWS_AS(nnfs::io::create_data_mnist<float>(dir.path, rng), std::runtime_error);
    REQUIRE(rng.random_sample() == nnfs::RandomState(0).random_sample());
  }
}

TEST_CASE("fashion-mnist: IDX files, raw and gzip'd, give what the folders give",
          "[io][fashion_mnist]") {
  TempDir dir;
  const auto train_files = read_files("pipeline_train_files.txt");
  const auto test_files = read_files("pipeline_test_files.txt");
  make_folder_set(dir.path / "folders", "train", train_files);
  make_folder_set(dir.path / "folders", "test", test_files);
  make_idx_set(dir.path / "raw", "train", train_files, false);
  make_idx_set(dir.path / "raw", "t10k", test_files, false);
  make_idx_set(dir.path / "gz", "train", train_files, true);
  make_idx_set(dir.path / "gz", "t10k", test_files, true);

  nnfs::RandomState r1(0);
  nnfs::RandomState r2(0);
  nnfs::RandomState r3(0);
  const auto from_folders = nnfs::io::create_data_mnist<float>(dir.path / "folders", r1);
  const auto from_raw = nnfs::io::create_data_mnist<float>(dir.path / "raw", r2);
  const auto from_gz = nnfs::io::create_data_mnist<float>(dir.path / "gz", r3);
  check_against(from_raw.train, read_expected("pipeline_train_expected.txt"));
  check_against(from_gz.test, read_expected("pipeline_test_expected.txt"));
  for (const auto* other : {&from_raw, &from_gz}) {
    REQUIRE(other->train.X == from_folders.train.X);
    REQUIRE(other->train.y == from_folders.train.y);
    REQUIRE(other->test.X == from_folders.test.X);
    REQUIRE(other->test.y == from_folders.test.y);
  }
  SECTION("the raw file wins over the .gz one") {
    make_idx_set(dir.path / "raw", "train", {{4, "x.png", 999}}, true);  // different .gz files
    const auto train = nnfs::io::load_fashion_mnist_idx<float>(dir.path / "raw", "train");
    REQUIRE(train.X.rows() == 37);
  }
  SECTION("unscaled and float64 variants") {
    const auto bytes = nnfs::io::load_fashion_mnist_idx_bytes(dir.path / "gz", "test");
    const auto f64 = nnfs::io::load_fashion_mnist_idx<double>(dir.path / "gz", "test");
    REQUIRE(nnfs::io::scale_pixels<double>(bytes.X) == f64.X);
    REQUIRE(bytes.y == from_folders.test.y);
  }
}

TEST_CASE("fashion-mnist: IDX files written by Python's gzip module", "[io][fashion_mnist]") {
  const auto tokens = nnfs_test::read_tokens("fashion_mnist/idx/expected.txt");
  const auto data = nnfs::io::load_fashion_mnist<float>(fixture("idx"));
  std::vector<ExpectedRow> train;
  std::vector<ExpectedRow> test;
  for (std::size_t i = 0; i < tokens.size(); i += 3)
    (tokens[i] == "train" ? train : test)
        .push_back(
            {static_cast<std::int32_t>(std::stoi(tokens[i + 1])), std::stoll(tokens[i + 2]), 0.0});
  REQUIRE(data.train.X.rows() == 5);
  REQUIRE(data.test.X.rows() == 3);
  for (std::size_t i = 0; i < train.size(); ++i) {
    REQUIRE(data.train.y(static_cast<Index>(i)) == train[i].label);
    REQUIRE(row_is_image(data.train.X, static_cast<Index>(i), train[i].id));
  }
  for (std::size_t i = 0; i < test.size(); ++i) {
    REQUIRE(data.test.y(static_cast<Index>(i)) == test[i].label);
    REQUIRE(row_is_image(data.test.X, static_cast<Index>(i), test[i].id));
  }
}

TEST_CASE("fashion-mnist: misuse of the folder layout", "[io][fashion_mnist][misuse]") {
  TempDir dir;
  const std::vector<FileEntry> files{{0, "a.png", 1}, {0, "b.png", 2}, {3, "c.png", 3}};
  make_folder_set(dir.path, "train", files);
  make_folder_set(dir.path, "test", files);

  SECTION("missing folder says where to get the data") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path / "nowhere"),
                             "load_mnist_dataset", "nowhere", "does not exist",
                             "https://nnfs.io/datasets/fashion_mnist_images.zip",
                             "https://github.com/zalandoresearch/fashion-mnist");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("validation", dir.path),
                             "validation", "fashion_mnist_images.zip");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::create_data_mnist<float>(dir.path / "nowhere"),
                             "load_fashion_mnist", "neither", "zalandoresearch");
  }
  SECTION("a label folder other than 0..9") {
    fs::create_directories(dir.path / "train" / "10");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path),
                             (dir.path / "train" / "10").string(), "must be named 0..9");
    fs::remove(dir.path / "train" / "10");
    fs::create_directories(dir.path / "train" / "cat");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path), "cat",
                             "not a label folder");
  }
  SECTION("an image of another size") {
    nnfs::io::write_gray_png(dir.path / "train" / "3" / "d.png", 27, 28, pattern_image(4, 27, 28));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path),
                             (dir.path / "train" / "3" / "d.png").string(), "is 27\u00d728 pixels",
                             (dir.path / "train" / "0" / "a.png").string(), "is 28\u00d728");
  }
  SECTION("all images of another size are fine, but not against the training set") {
    fs::remove_all(dir.path / "test");
    fs::create_directories(dir.path / "test" / "1");
    nnfs::io::write_gray_png(dir.path / "test" / "1" / "z.png", 4, 2, {1, 2, 3, 4, 5, 6, 7, 8});
    const auto small = nnfs::io::load_mnist_dataset_bytes("test", dir.path);
    REQUIRE(small.X.rows() == 1);
    REQUIRE(small.X.cols() == 8);
    REQUIRE(small.X(0, 5) == 6);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::create_data_mnist<float>(dir.path),
                             "training images have 784 pixels but the test images 8");
  }
  SECTION("a truncated PNG") {
    const fs::path path = dir.path / "train" / "0" / "b.png";
    const std::string bytes = nnfs::detail::read_file_bytes("test", path);
    write_bytes(path, bytes.substr(0, bytes.size() / 2));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path),
                             "load_mnist_dataset", path.string(), "truncated");
  }
  SECTION("a file named .png that is not a PNG") {
    const fs::path path = dir.path / "train" / "3" / "fake.png";
    write_bytes(path, "GIF89a....");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path), path.string(),
                             "not a PNG file");
  }
  SECTION("label folders without images") {
    fs::remove_all(dir.path / "train");
    fs::create_directories(dir.path / "train" / "0");
    write_bytes(dir.path / "train" / "0" / "readme.txt", "no images here");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_mnist_dataset<float>("train", dir.path),
                             "no PNG images in", "fashion_mnist_images.zip");
  }
}

TEST_CASE("fashion-mnist: misuse of the IDX layout", "[io][fashion_mnist][misuse]") {
  TempDir dir;
  const std::string images = idx({3, 28, 28}, std::string(3 * std::size_t{784}, '\x10'));
  const fs::path image_path = dir.path / "train-images-idx3-ubyte";
  const fs::path label_path = dir.path / "train-labels-idx1-ubyte";
  write_bytes(image_path, images);

  SECTION("no labels file") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             "train-labels-idx1-ubyte", "zalandoresearch");
  }
  SECTION("counts that differ") {
    write_bytes(label_path, idx({4}, std::string("\x01\x02\x03\x04", 4)));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             "holds 3 images but", "holds 4 labels");
  }
  SECTION("a label above 9") {
    write_bytes(label_path, idx({3}, std::string("\x01\x0b\x03", 3)));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             label_path.string(), "label 11 of sample 1", "0..9");
  }
  SECTION("images that are not samples x rows x columns, labels that are not 1-D") {
    write_bytes(label_path, idx({3}, std::string("\x01\x02\x03", 3)));
    write_bytes(image_path, idx({3, 784}, std::string(3 * std::size_t{784}, '\x10')));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             "3\u00d7784 (2 dimensions)");
    write_bytes(label_path, idx({3, 1}, std::string("\x01\x02\x03", 3)));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             "1-D array of labels", "3\u00d71");
  }
  SECTION("wrong magic") {
    write_bytes(label_path, idx({3}, std::string("\x01\x02\x03", 3)));
    write_bytes(image_path, "\x1f\x8c not really anything");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             image_path.string(), "not an IDX file");
  }
  SECTION("a truncated gzip file") {
    fs::remove(image_path);
    write_bytes(label_path, idx({3}, std::string("\x01\x02\x03", 3)));
    const std::string z = gzip(images, 6);
    write_bytes(dir.path / "train-images-idx3-ubyte.gz", z.substr(0, z.size() / 2));
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "train"),
                             "train-images-idx3-ubyte.gz", "truncated");
  }
  SECTION("a data set name other than train and test") {
    NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                             nnfs::io::load_fashion_mnist_idx<float>(dir.path, "valid"),
                             "\"train\" or \"test\"", "\"valid\"");
  }
}
