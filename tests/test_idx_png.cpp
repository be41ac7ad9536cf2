// nnfs/io/png.hpp and nnfs/io/idx.hpp: decoding PNG and IDX files, raw and gzip'd, and every
// way a broken file is reported. Files are created by the tests (in a temporary folder) or
// committed under tests/data/fashion_mnist/ by tests/golden/gen_fashion_mnist.py, whose PNG and
// gzip writers are independent of libpng's and of zlib's deflate used here.
#include <fmt/format.h>
#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nnfs/io/idx.hpp>
#include <nnfs/io/png.hpp>
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

namespace {

using nnfs_test::TempDir;
using nnfs_test::fixture;
using nnfs_test::gzip;
using nnfs_test::idx;
using nnfs_test::write_bytes;

std::string read_bytes(const fs::path& path) { return nnfs::detail::read_file_bytes("test", path); }

std::string counting_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + 3) % 256);
  return s;
}

/// png/expected.txt: name width height pixels...
struct PngFixture {
  std::string name;
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

std::vector<PngFixture> png_fixtures() {
  std::ifstream in(nnfs_test::data_path("fashion_mnist/png/expected.txt"));
  REQUIRE(in.good());
  std::vector<PngFixture> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    PngFixture f;
    ls >> f.name >> f.width >> f.height;
    int v = 0;
    while (ls >> v) f.pixels.push_back(static_cast<std::uint8_t>(v));
    REQUIRE(f.pixels.size() ==
            static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height));
    out.push_back(std::move(f));
  }
  REQUIRE(out.size() == 11);
  return out;
}

}  // namespace

// ------------------------------------------------------------------------------------ PNG

TEST_CASE("png: files from an independent encoder decode to the expected gray bytes", "[io][png]") {
  for (const auto& f : png_fixtures()) {
    INFO(f.name);
    const nnfs::io::GrayImage image = nnfs::io::read_gray_png(fixture("png/" + f.name));
    REQUIRE(image.width == f.width);
    REQUIRE(image.height == f.height);
    REQUIRE(image.pixels == f.pixels);
  }
}

TEST_CASE("png: write_gray_png then read_gray_png round-trips every byte, row by row",
          "[io][png]") {
  TempDir dir;
  const int width = 37;
  const int height = 11;  // not square: width and height must not be swapped
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width * height));
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i % 256);
  const fs::path path = dir.path / "round.png";
  nnfs::io::write_gray_png(path, width, height, pixels);
  const auto image = nnfs::io::read_gray_png(path);
  REQUIRE(image.width == width);
  REQUIRE(image.height == height);
  REQUIRE(image.pixels == pixels);
  REQUIRE(image.at(2, 5) == static_cast<std::uint8_t>((2 * width + 5) % 256));

  SECTION("the same bytes from memory") {
    const std::string bytes = nnfs::io::encode_gray_png(width, height, pixels);
    REQUIRE(bytes == read_bytes(path));
    REQUIRE(nnfs::io::decode_gray_png(bytes).pixels == pixels);
  }
  SECTION("a GrayImage writes back as itself, replacing the file") {
    nnfs::io::GrayImage flipped = image;
    for (auto& p : flipped.pixels) p = static_cast<std::uint8_t>(255 - p);
    nnfs::io::write_gray_png(path, flipped);
    REQUIRE(nnfs::io::read_gray_png(path).pixels == flipped.pixels);
  }
  SECTION("a 1x1 image") {
    nnfs::io::write_gray_png(dir.path / "one.png", 1, 1, {200});
    const auto one = nnfs::io::read_gray_png(dir.path / "one.png");
    REQUIRE(one.width == 1);
    REQUIRE(one.height == 1);
    REQUIRE(one.pixels == std::vector<std::uint8_t>{200});
  }
}

TEST_CASE("png: bad arguments to the writer", "[io][png][misuse]") {
  TempDir dir;
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           nnfs::io::write_gray_png(dir.path / "a.png", 0, 3, {}),
                           "encode_gray_png", "0\u00d73");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument,
                           nnfs::io::write_gray_png(dir.path / "a.png", 2, 3, {1, 2, 3}),
                           "2\u00d73 image needs 6 pixels, got 3");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                           nnfs::io::write_gray_png(dir.path / "missing" / "a.png", 1, 1, {0}),
                           "write_gray_png", "cannot write", "a.png");
  REQUIRE(!fs::exists(dir.path / "a.png"));
}

TEST_CASE("png: broken files are runtime_errors naming the file and the problem",
          "[io][png][misuse]") {
  TempDir dir;
  const std::string good = read_bytes(fixture("png/gray8_filters.png"));
  const fs::path path = dir.path / "bad.png";

  SECTION("missing file") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_gray_png(dir.path / "nope.png"),
                             "read_gray_png", "nope.png", "cannot read");
  }
  SECTION("not a PNG") {
    write_bytes(path, "P5\n28 28\n255\n....");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_gray_png(path), path.string(),
                             "not a PNG file");
    write_bytes(path, "");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_gray_png(path), "0 bytes");
  }
  SECTION("truncated anywhere before the end of the image data") {
    for (const std::size_t n : {std::size_t{8}, std::size_t{20}, std::size_t{33}, std::size_t{60},
                                good.size() / 2, good.size() - 13}) {
      INFO("cut at " << n);
      write_bytes(path, good.substr(0, n));
      NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_gray_png(path), path.string(),
                               "truncated");
    }
  }
  SECTION("corrupt compressed data") {
    std::string bad = good;
    bad[60] = static_cast<char>(bad[60] ^ 0x55);
    write_bytes(path, bad);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_gray_png(path), path.string(),
                             "cannot decode PNG");
  }
  SECTION("a header claiming a huge image is refused before any allocation") {
    // IHDR of 1000000 × 1000000 8-bit gray (libpng's own default limit) with a valid CRC.
    std::string ihdr = "IHDR";
    for (const std::uint32_t v : {1000000U, 1000000U})
      for (int shift = 24; shift >= 0; shift -= 8)
        ihdr.push_back(static_cast<char>((v >> shift) & 0xFFU));
    ihdr += std::string{'\x08', '\0', '\0', '\0', '\0'};
    const uLong crc =
        crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), static_cast<uInt>(ihdr.size()));
    std::string png = good.substr(0, 8) + std::string{'\0', '\0', '\0', '\x0d'} + ihdr;
    for (int shift = 24; shift >= 0; shift -= 8)
      png.push_back(static_cast<char>((crc >> shift) & 0xFFU));
    png += good.substr(33);  // the rest of a real file (its IDAT is far too small)
    write_bytes(path, png);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::read_gray_png(path), path.string(),
                             "implausible image size 1000000\u00d71000000");
  }
  SECTION("a caller's pixel limit") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::decode_gray_png(good, "small", 100),
                             "small", "28\u00d728", "784 pixels", "limit is 100");
    REQUIRE(nnfs::io::decode_gray_png(good, "exact", 784).pixels.size() == 784);
  }
}

// ------------------------------------------------------------------------------------ IDX

TEST_CASE("idx: raw and gzip'd bytes give the same array", "[io][idx]") {
  const std::string data = counting_bytes(std::size_t{24});
  const std::string raw = idx({2, 3, 4}, data);
  const nnfs::io::IdxArray a = nnfs::io::parse_idx(raw);
  const nnfs::io::IdxArray b = nnfs::io::parse_idx(gzip(raw));
  REQUIRE(a.dims == std::vector<std::int64_t>{2, 3, 4});
  REQUIRE(a.element_count() == 24);
  REQUIRE(a.data == std::vector<std::uint8_t>(data.begin(), data.end()));
  REQUIRE(b.dims == a.dims);
  REQUIRE(b.data == a.data);

  SECTION("one dimension, and an empty array") {
    const auto labels = nnfs::io::parse_idx(idx({5}, std::string("\x00\x09\x03\x01\x07", 5)));
    REQUIRE(labels.dims == std::vector<std::int64_t>{5});
    REQUIRE(labels.data == std::vector<std::uint8_t>{0, 9, 3, 1, 7});
    const auto empty = nnfs::io::parse_idx(gzip(idx({0, 28, 28}, "")));
    REQUIRE(empty.dims == std::vector<std::int64_t>{0, 28, 28});
    REQUIRE(empty.data.empty());
  }
  SECTION("from files, and larger than one inflate chunk") {
    TempDir dir;
    const std::string big = idx({3, 1000, 1000}, counting_bytes(3000000));
    write_bytes(dir.path / "big.idx", big);
    write_bytes(dir.path / "big.idx.gz", gzip(big));
    const auto r = nnfs::io::read_idx(dir.path / "big.idx");
    const auto z = nnfs::io::read_idx(dir.path / "big.idx.gz");
    REQUIRE(r.dims == std::vector<std::int64_t>{3, 1000, 1000});
    REQUIRE(z.dims == r.dims);
    REQUIRE(z.data == r.data);
    REQUIRE(r.data.size() == 3000000);
  }
}

TEST_CASE("idx: files written by Python's gzip module", "[io][idx]") {
  const auto gz = nnfs::io::read_idx(fixture("idx/train-images-idx3-ubyte.gz"));  // FNAME, mtime
  REQUIRE(gz.dims == std::vector<std::int64_t>{5, 28, 28});
  const auto raw = nnfs::io::read_idx(fixture("idx/t10k-images-idx3-ubyte"));
  REQUIRE(raw.dims == std::vector<std::int64_t>{3, 28, 28});
  const auto labels = nnfs::io::read_idx(fixture("idx/t10k-labels-idx1-ubyte.gz"));
  REQUIRE(labels.data == std::vector<std::uint8_t>{1, 8, 0});
  SECTION("two concatenated gzip members read as one stream") {
    const auto multi = nnfs::io::read_idx(fixture("idx/multi_member.idx.gz"));
    REQUIRE(multi.dims == std::vector<std::int64_t>{2, 3, 4});
    for (std::size_t i = 0; i < 24; ++i) REQUIRE(multi.data[i] == static_cast<std::uint8_t>(i * 7));
  }
}

TEST_CASE("idx: malformed input is a runtime_error naming the file and the problem",
          "[io][idx][misuse]") {
  const std::string data = counting_bytes(12);
  SECTION("wrong magic") {
    NNFS_REQUIRE_THROWS_WITH(
        std::runtime_error,
        nnfs::io::parse_idx(std::string("\x01\x00\x08\x01\x00\x00\x00\x00", 8), "m.idx"), "m.idx",
        "not an IDX file", "found 01 00 08 01");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(std::string("\x89PNG\r\n\x1a\n", 8)), "<memory>",
                             "not an IDX file", "89 50 4e 47");
  }
  SECTION("unsupported type") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(idx({3}, "abcdefghijkl", 0x0D)),
                             "type 0x0d (float32) is not supported", "0x08 (unsigned byte)");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(idx({3}, "abc", 0x07)),
                             "type 0x07 (not an IDX type)");
  }
  SECTION("no dimensions") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(idx({}, "")),
                             "declares 0 dimensions");
  }
  SECTION("truncated header") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(std::string("\x00\x00", 2)),
                             "ends inside the IDX header", "2 of its first 4 bytes");
    NNFS_REQUIRE_THROWS_WITH(
        std::runtime_error, nnfs::io::parse_idx(idx({60000, 28, 28}, "").substr(0, 10)),
        "ends inside the IDX header", "3 dimensions need 12 bytes of sizes, found 6");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(gzip(std::string("\x00\x00\x08", 3))),
                             "the decompressed data ends inside the IDX header");
  }
  SECTION("data shorter or longer than the header says") {
    NNFS_REQUIRE_THROWS_WITH(
        std::runtime_error, nnfs::io::parse_idx(idx({60000, 28, 28}, counting_bytes(1234)), "x"),
        "header says 60000\u00d728\u00d728 = 47040000 data bytes, file has 1234");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(idx({3, 2, 2}, data + "zz")),
                             "header says 3\u00d72\u00d72 = 12 data bytes, file has 14");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(gzip(idx({60000, 28, 28}, counting_bytes(1234)))),
                             "47040000 data bytes, the gzip stream holds only 1234");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(gzip(idx({3, 2, 2}, data + "zz"))),
                             "12 data bytes, the gzip stream holds 2 more");
  }
  SECTION("negative and overflowing sizes") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(idx({2, 0xFFFFFFFFU}, data)),
                             "size 4294967295 of dimension 1 is negative", "ff ff ff ff");
    NNFS_REQUIRE_THROWS_WITH(
        std::runtime_error, nnfs::io::parse_idx(idx({0x7FFFFFFFU, 0x7FFFFFFFU, 0x7FFFFFFFU}, data)),
        "2147483647\u00d72147483647\u00d72147483647 describe more than the limit");
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(idx({3, 2, 2}, data), "cap", 10),
                             "3\u00d72\u00d72 describe more than the limit of 10 bytes");
  }
  SECTION("gzip truncated, corrupt, or followed by garbage") {
    const std::string z = gzip(idx({3, 2, 2}, data));
    for (const std::size_t n :
         {std::size_t{2}, std::size_t{10}, z.size() / 2, z.size() - 4, z.size() - 1}) {
      INFO("cut at " << n);
      const std::string cut = z.substr(0, n);
      const std::string message =
          nnfs_test::thrown_message<std::runtime_error>([&] { nnfs::io::parse_idx(cut, "t.gz"); });
      INFO(message);
      REQUIRE(nnfs_test::contains_all(message, {"t.gz"}));
      REQUIRE((message.find("truncated") != std::string::npos ||
               message.find("ends inside the IDX header") != std::string::npos));
    }
    std::string crc = z;
    crc[crc.size() - 6] = static_cast<char>(crc[crc.size() - 6] ^ 1);  // the CRC-32 trailer
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(crc), "corrupt gzip data",
                             "incorrect data check");
    std::string body = z;
    body[12] = static_cast<char>(body[12] ^ 0xFF);
    REQUIRE_THROWS_AS(nnfs::io::parse_idx(body), std::runtime_error);
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::io::parse_idx(z + "junk"),
                             "4 bytes of trailing data after the end of the gzip stream");
    REQUIRE(nnfs::io::parse_idx(z + gzip("")).data.size() == 12);  // an empty extra member
  }
  SECTION("gzip inside gzip") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::parse_idx(gzip(gzip(idx({3, 2, 2}, data)))),
                             "not an IDX file", "gzip inside gzip");
  }
  SECTION("missing file") {
    NNFS_REQUIRE_THROWS_WITH(std::runtime_error,
                             nnfs::io::read_idx("/nonexistent/train-images-idx3-ubyte"), "read_idx",
                             "/nonexistent/train-images-idx3-ubyte", "cannot read");
  }
}
