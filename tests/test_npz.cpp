// .npz archives (nnfs/io/npz.hpp) against NumPy's: the golden archives in tests/data/npy/ were
// written by numpy.savez / savez_compressed and Python's zipfile (tests/golden/gen_npy.py); the
// expected arrays come from the same formulas, the expected bytes from NumPy's files.
#include "nnfs_catch.hpp"
#include "temp_dir.hpp"
#include "test_data.hpp"

#include <nnfs/io/npz.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nnfs::Index;
using nnfs::Labels;
using nnfs::Matrix;
using nnfs::NpyArray;
using nnfs::NpzArrays;

std::string npy_path(const std::string& name) { return nnfs_test::data_path("npy/" + name); }
std::string npy_file(const std::string& name) { return nnfs_test::read_text("npy/" + name); }

// The formulas of gen_npy.py.
template <class T, class F>
Matrix<T> matrix(Index rows, Index cols, F f) {
  Matrix<T> m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = static_cast<T>(f(static_cast<int>(i * cols + j)));
  return m;
}
float f4_2x3(int k) { return static_cast<float>(k) * 0.25f - 1.0f; }           // F4_2x3
double w_100x10(int k) { return static_cast<double>(k % 7) * 0.5; }             // W_100x10
float f4_1d(int k) { return static_cast<float>(k) * 1.5f - 2.0f; }              // F4_1D
Labels i4_labels() {                                                            // I4_LABELS
  Labels y(7);
  for (Index k = 0; k < 7; ++k) y(k) = static_cast<std::int32_t>(5 * k % 3);
  return y;
}

/// 8 bytes, little-endian, built with shifts.
std::string le64(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, 8);
  std::string out;
  for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>((u >> (8 * b)) & 0xFF));
  return out;
}

NpyArray arr(std::string descr, std::vector<std::int64_t> shape, std::string data) {
  NpyArray a;
  a.descr = std::move(descr);
  a.shape = std::move(shape);
  a.data = std::move(data);
  return a;
}

/// The arrays of arrays_stored.npz / arrays_compressed.npz, in numpy.savez's keyword order.
NpzArrays golden_arrays() {
  return {
      {"X", NpyArray::from(matrix<float>(2, 3, f4_2x3))},
      {"y", NpyArray::from_labels(i4_labels())},
      {"W", NpyArray::from(matrix<double>(100, 10, w_100x10))},
      {"s", arr("<f8", {}, le64(2.5))},
      {"empty", NpyArray::from(Matrix<float>(0, 3))},
  };
}

std::vector<std::string> names_of(const NpzArrays& arrays) {
  std::vector<std::string> out;
  for (const auto& a : arrays) out.push_back(a.first);
  return out;
}

using nnfs_test::TempDir;

std::pair<std::type_index, std::string> outcome(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return {std::type_index(typeid(e)), e.what()};
  } catch (...) {
    return {std::type_index(typeid(int)), "<not a std::exception>"};
  }
  return {std::type_index(typeid(void)), "<nothing was thrown>"};
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Zip structure offsets, for corrupting archives in place (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16).
std::uint32_t get32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}
std::uint16_t get16(const std::string& s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8));
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put16(std::string& s, std::size_t at, std::uint16_t v) {
  s[at] = static_cast<char>(v & 0xFF);
  s[at + 1] = static_cast<char>(v >> 8);
}
std::size_t eocd_of(const std::string& zip) { return zip.rfind(std::string("PK\x05\x06", 4)); }
/// Offsets of the central directory entries, in order.
std::vector<std::size_t> central_entries(const std::string& zip) {
  const std::size_t eocd = eocd_of(zip);
  std::size_t pos = get32(zip, eocd + 16);
  std::vector<std::size_t> out;
  for (int i = 0; i < get16(zip, eocd + 10); ++i) {
    out.push_back(pos);
    pos += 46u + get16(zip, pos + 28) + get16(zip, pos + 30) + get16(zip, pos + 32);
  }
  return out;
}

}  // namespace

TEST_CASE("npz_bytes writes the bytes numpy.savez and savez_compressed write", "[npz]") {
  CHECK(nnfs::npz_bytes(golden_arrays()) == npy_file("arrays_stored.npz"));
  CHECK(nnfs::npz_bytes(golden_arrays(), true) == npy_file("arrays_compressed.npz"));
  const NpzArrays positional = {
      {"arr_0", NpyArray::from(matrix<float>(1, 5, f4_1d))},
      {"arr_1", arr("|i1", {6}, std::string("\xfd\xfe\xff\x00\x01\x02", 6))},
  };
  // F4_1D is 1-D in NumPy: reshape the 1×5 matrix's array to (5,)
  NpzArrays positional_1d = positional;
  positional_1d[0].second.shape = {5};
  CHECK(nnfs::npz_bytes(positional_1d) == npy_file("positional.npz"));
  TempDir dir;
  nnfs::save_npz(dir.path / "a.npz", golden_arrays(), true);
  CHECK(nnfs::detail::read_file_bytes("test", dir.path / "a.npz") == npy_file("arrays_compressed.npz"));
}

TEST_CASE("golden .npz archives load in archive order with their values", "[npz]") {
  for (const char* file : {"arrays_stored.npz", "arrays_compressed.npz", "legacy_zip64.npz"}) {
    INFO("file: " << file);
    const nnfs::NpzFile npz(npy_path(file));
    CHECK(npz.names() == std::vector<std::string>{"X", "y", "W", "s", "empty"});
    CHECK(npz.size() == 5);
    CHECK(npz.matrix<float>("X") == matrix<float>(2, 3, f4_2x3));
    CHECK(npz.labels("y") == i4_labels());
    CHECK(npz.matrix<double>("W") == matrix<double>(100, 10, w_100x10));
    CHECK(npz.matrix<double>("s") == Matrix<double>::Constant(1, 1, 2.5));
    CHECK(npz.at("empty").shape == std::vector<std::int64_t>{0, 3});
    CHECK(npz.arrays() == golden_arrays());
  }
  for (const char* file : {"full_zip64.npz", "data_descriptor.npz"}) {
    INFO("file: " << file);
    const NpzArrays arrays = nnfs::load_npz(npy_path(file));
    REQUIRE(names_of(arrays) == std::vector<std::string>{"X", "y"});
    CHECK(arrays[0].second.to_matrix<float>() == matrix<float>(2, 3, f4_2x3));
    CHECK(arrays[1].second.to_labels() == i4_labels());
  }
  const nnfs::NpzFile positional(npy_path("positional.npz"));
  CHECK(positional.names() == std::vector<std::string>{"arr_0", "arr_1"});
  CHECK(positional.matrix<float>("arr_0") == matrix<float>(1, 5, f4_1d));
  CHECK(positional.labels("arr_1") == (Labels(6) << -3, -2, -1, 0, 1, 2).finished());
}

TEST_CASE("NpzFile looks .npz arrays up by name and names the missing ones", "[npz]") {
  const nnfs::NpzFile npz(npy_path("arrays_stored.npz"));
  CHECK(npz.contains("W"));
  CHECK_FALSE(npz.contains("w"));
  CHECK_FALSE(npz.contains("W.npy"));
  CHECK(npz["X"].descr == "<f4");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, npz.at("Z"), "no array 'Z'", "arrays_stored.npz",
                           "it has: 'X', 'y', 'W', 's', 'empty'");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, npz.matrix<float>("labels"), "no array 'labels'");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, nnfs::NpzFile().at("X"), "no array 'X'", "no arrays");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, npz.labels("X"), "to_labels", "got shape (2, 3)");
  const nnfs::NpzFile parsed = nnfs::NpzFile::parse(npy_file("arrays_compressed.npz"), "mem.npz");
  NNFS_REQUIRE_THROWS_WITH(std::out_of_range, parsed.at("Z"), "'mem.npz'");
}

TEST_CASE("C++ save_npz then load_npz round-trips, stored and compressed", "[npz]") {
  TempDir dir;
  const Matrix<float> X = matrix<float>(300, 7, [](int k) { return std::sin(0.01 * k); });
  const Matrix<double> W = matrix<double>(13, 11, [](int k) { return std::exp(-0.1 * k) - 0.3; });
  Labels y(300);
  for (Index k = 0; k < y.size(); ++k) y(k) = static_cast<std::int32_t>(k % 3);
  for (const bool compressed : {false, true}) {
    INFO("compressed: " << compressed);
    const fs::path file = dir.path / (compressed ? "c.npz" : "s.npz");
    nnfs::save_npz(file, {{"X", NpyArray::from(X)}, {"y", NpyArray::from_labels(y)}, {"W", NpyArray::from(W)},
                          {"gr\xc3\xb6\xc3\x9f" "e", NpyArray::from(Matrix<float>(0, 2))}},
                   compressed);
    const nnfs::NpzFile npz(file);
    CHECK(npz.names() == std::vector<std::string>{"X", "y", "W", "gr\xc3\xb6\xc3\x9f" "e"});
    CHECK(npz.matrix<float>("X") == X);
    CHECK(npz.labels("y") == y);
    CHECK(npz.matrix<double>("W") == W);
    CHECK(npz.matrix<float>("gr\xc3\xb6\xc3\x9f" "e").cols() == 2);
    const std::string bytes = nnfs::detail::read_file_bytes("test", file);
    // every member is deflated (method 8) or stored (method 0)
    for (const std::size_t entry : central_entries(bytes)) CHECK(get16(bytes, entry + 10) == (compressed ? 8 : 0));
    // a non-ASCII name carries the UTF-8 flag (general purpose bit 11) in both headers
    const std::size_t last = central_entries(bytes).back();
    CHECK((get16(bytes, last + 8) & 0x800) != 0);
    CHECK((get16(bytes, get32(bytes, last + 42) + 6) & 0x800) != 0);
  }
  // no arrays at all is a valid (empty) archive
  nnfs::save_npz(dir.path / "none.npz", {});
  CHECK(nnfs::load_npz(dir.path / "none.npz").empty());
}

TEST_CASE("save_npz refuses names numpy.load could not give back", "[npz][misuse]") {
  const NpyArray a = NpyArray::from(Matrix<float>::Zero(1, 1));
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)nnfs::npz_bytes({{"", a}}), "save_npz", "empty");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)nnfs::npz_bytes({{"a/b", a}}), "'a/b'");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)nnfs::npz_bytes({{std::string("a\0b", 3), a}}), "NUL");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)nnfs::npz_bytes({{"X", a}, {"y", a}, {"X", a}}),
                           "'X' appears twice");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)nnfs::npz_bytes({{"\xff\xfe", a}}), "not valid UTF-8");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, (void)nnfs::npz_bytes({{"X", arr("<f4", {2}, "")}}),
                           "needs 8 bytes");
}

TEST_CASE("the .npz misuse table: every broken archive throws runtime_error naming the file and the problem",
          "[npz][misuse]") {
  struct Row {
    std::string file;
    std::vector<std::string> parts;
  };
  const std::vector<Row> rows = {
      {"broken_bzip2.npz", {"member 'X.npy'", "unsupported compression method 12"}},
      {"broken_duplicate.npz", {"member 'X.npy'", "appears twice"}},
      {"broken_not_npy_member.npz", {"member 'readme.txt'", "not an .npy member"}},
      {"broken_crc.npz", {"member 'X.npy'", "CRC-32 mismatch"}},
      {"broken_truncated.npz", {"no end-of-central-directory record"}},
      {"broken_encrypted.npz", {"member 'X.npy'", "encrypted"}},
      {"broken_member.npz", {"member 'X.npy'", "truncated: header says shape (2, 3) of <f4 = 24 bytes, file has 20"}},
      {"f4_2x3.npy", {"this is a .npy file", "load_npy"}},
      {"broken_empty.npy", {"not a zip archive"}},
  };
  for (const Row& row : rows) {
    const std::string path = npy_path(row.file);
    const auto [type, message] = outcome([&] { (void)nnfs::NpzFile(path); });
    INFO("file: " << row.file << "\nmessage: " << message);
    CHECK(type == std::type_index(typeid(std::runtime_error)));
    CHECK(starts_with(message, path + ": "));
    CHECK(nnfs_test::contains_all(message, row.parts));
  }
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::load_npz(npy_path("no_such_file.npz")), "load_npz",
                           "cannot read", "no_such_file.npz");
}

TEST_CASE(".npz archives corrupted in memory throw runtime_error saying what is wrong", "[npz][misuse]") {
  const std::string stored = nnfs::npz_bytes(golden_arrays());
  const std::string deflated = nnfs::npz_bytes(golden_arrays(), true);
  const std::vector<std::size_t> cd = central_entries(stored);
  const std::vector<std::size_t> cdz = central_entries(deflated);
  const std::size_t eocd = eocd_of(stored);
  struct Row {
    std::string name;
    std::string bytes;
    std::vector<std::string> parts;
  };
  std::vector<Row> rows;
  const auto add = [&](std::string name, const std::string& base, const std::function<void(std::string&)>& edit,
                       std::vector<std::string> parts) {
    std::string b = base;
    edit(b);
    rows.push_back({std::move(name), std::move(b), std::move(parts)});
  };
  add("central directory offset past the end", stored, [&](std::string& b) { put32(b, eocd + 16, 0x7FFFFFF0); },
      {"central directory", "outside the archive"});
  add("more entries than the directory can hold", stored, [&](std::string& b) {
    put16(b, eocd + 8, 1000);
    put16(b, eocd + 10, 1000);
  }, {"1000 entries cannot fit"});
  add("a central directory signature broken", stored, [&](std::string& b) { b[cd[1]] = 'X'; },
      {"central directory entry 1", "bad central directory signature"});
  add("a local header signature broken", stored, [&](std::string& b) { b[get32(b, cd[2] + 42)] = 'X'; },
      {"member 'W.npy'", "bad local header signature"});
  add("a local header offset beyond the data", stored, [&](std::string& b) { put32(b, cd[0] + 42, static_cast<std::uint32_t>(cd[0])); },
      {"member 'X.npy'", "out of range"});
  add("a member's data running into the next member", stored, [&](std::string& b) {
    // X.npy stored: grow its sizes (directory and local header) by 10 bytes
    const std::size_t local = get32(b, cd[0] + 42);
    for (const std::size_t at : {cd[0] + 20, cd[0] + 24}) put32(b, at, get32(b, at) + 10);
    for (const std::size_t at : {local + 18, local + 22}) put32(b, at, get32(b, at) + 10);
  }, {"members 'X.npy' and 'y.npy' overlap"});
  add("local header and directory disagree on the CRC", stored, [&](std::string& b) {
    const std::size_t local = get32(b, cd[1] + 42);
    put32(b, local + 14, get32(b, local + 14) ^ 1u);
  }, {"member 'y.npy'", "local header", "disagrees"});
  add("local header names another member", stored, [&](std::string& b) {
    b[get32(b, cd[1] + 42) + 30] = 'z';
  }, {"member 'y.npy'", "names it 'z.npy'"});
  add("stored sizes that differ", stored, [&](std::string& b) { put32(b, cd[0] + 24, get32(b, cd[0] + 24) + 1); },
      {"member 'X.npy'", "stored member"});
  add("a size of 0xFFFFFFFF without a ZIP64 field", stored, [&](std::string& b) {
    put32(b, cd[0] + 20, 0xFFFFFFFF);
  }, {"member 'X.npy'", "no ZIP64 extra field"});
  add("an unsupported method", stored, [&](std::string& b) { put16(b, cd[3] + 10, 14); },
      {"member 's.npy'", "unsupported compression method 14"});
  add("a declared size deflate cannot reach (zip bomb)", deflated, [&](std::string& b) {
    const std::size_t local = get32(b, cdz[2] + 42);
    put32(b, cdz[2] + 24, 0x7FFFFFF0);
    put32(b, local + 22, 0x7FFFFFF0);
  }, {"member 'W.npy'", "more than deflate can produce"});
  add("a deflate stream longer than declared", deflated, [&](std::string& b) {
    const std::size_t local = get32(b, cdz[2] + 42);
    put32(b, cdz[2] + 24, get32(b, cdz[2] + 24) - 1);
    put32(b, local + 22, get32(b, local + 22) - 1);
  }, {"member 'W.npy'", "more than the declared"});
  add("a deflate stream shorter than declared", deflated, [&](std::string& b) {
    const std::size_t local = get32(b, cdz[2] + 42);
    put32(b, cdz[2] + 24, get32(b, cdz[2] + 24) + 1);
    put32(b, local + 22, get32(b, local + 22) + 1);
  }, {"member 'W.npy'", "inflates to", "declares"});
  add("corrupt deflate data", deflated, [&](std::string& b) {
    const std::size_t local = get32(b, cdz[0] + 42);
    b[local + 30 + 5 + 20] = static_cast<char>(0xff);  // the first byte of the stream: an invalid block type
  }, {"member 'X.npy'"});
  add("a multi-disk archive", stored, [&](std::string& b) { put16(b, eocd + 4, 1); }, {"multi-disk"});
  add("a comment length that does not reach the end", stored, [&](std::string& b) { put16(b, eocd + 20, 5); },
      {"no end-of-central-directory record"});

  for (const Row& row : rows) {
    const auto [type, message] = outcome([&] { (void)nnfs::parse_npz(row.bytes, "mem.npz"); });
    INFO("case: " << row.name << "\nmessage: " << message);
    CHECK(type == std::type_index(typeid(std::runtime_error)));
    CHECK(starts_with(message, "mem.npz: "));
    CHECK(nnfs_test::contains_all(message, row.parts));
  }
}

TEST_CASE("every truncation of a valid .npz throws runtime_error", "[npz][misuse]") {
  const NpzArrays small = {{"X", NpyArray::from(matrix<float>(2, 3, f4_2x3))}, {"y", NpyArray::from_labels(i4_labels())}};
  for (const bool compressed : {false, true}) {
    const std::string bytes = nnfs::npz_bytes(small, compressed);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const auto [type, message] = outcome([&] { (void)nnfs::parse_npz(bytes.substr(0, n)); });
      INFO("compressed: " << compressed << ", first " << n << " bytes\nmessage: " << message);
      CHECK(type == std::type_index(typeid(std::runtime_error)));
      CHECK(starts_with(message, "npz data: "));
    }
  }
}

TEST_CASE("every single-byte corruption of a valid .npz parses or throws runtime_error", "[npz][misuse]") {
  const NpzArrays small = {{"X", NpyArray::from(matrix<float>(2, 3, f4_2x3))}, {"y", NpyArray::from_labels(i4_labels())}};
  for (const bool compressed : {false, true}) {
    const std::string bytes = nnfs::npz_bytes(small, compressed);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (const int x : {0x01, 0x80, 0xff}) {
        std::string bad = bytes;
        bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ static_cast<unsigned char>(x));
        const auto [type, message] = outcome([&] { (void)nnfs::parse_npz(bad); });
        INFO("compressed: " << compressed << ", byte " << i << " ^ " << static_cast<int>(x) << "\nmessage: " << message);
        CHECK((type == std::type_index(typeid(void)) || type == std::type_index(typeid(std::runtime_error))));
      }
    }
  }
}

TEST_CASE("a failed .npz save throws runtime_error and leaves an existing file intact", "[npz][misuse]") {
  TempDir dir;
  const fs::path keep = dir.path / "keep.npz";
  nnfs::save_npz(keep, golden_arrays());
  const std::string before = nnfs::detail::read_file_bytes("test", keep);
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::save_npz(dir.path / "missing-dir" / "a.npz", golden_arrays()),
                           "save_npz", "cannot write", "missing-dir");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::save_npz(keep / "a.npz", golden_arrays()), "save_npz",
                           "cannot write");
  fs::create_directories(dir.path / "dir.npz" / "inner");
  NNFS_REQUIRE_THROWS_WITH(std::runtime_error, nnfs::save_npz(dir.path / "dir.npz", golden_arrays()), "save_npz",
                           "cannot write", "dir.npz");
  NNFS_REQUIRE_THROWS_WITH(std::invalid_argument, nnfs::save_npz(keep, {{"a", NpyArray{}}, {"a", NpyArray{}}}),
                           "appears twice");
  CHECK(nnfs::detail::read_file_bytes("test", keep) == before);
  CHECK(fs::is_directory(dir.path / "dir.npz" / "inner"));
}
