// Helpers that the file-format test sources share (they are compiled as one unity translation
// unit, so a helper two of them need is defined once, here): writing bytes, gzip, IDX headers,
// and the committed Fashion-MNIST fixtures.
#pragma once

#include "nnfs_catch.hpp"
#include "test_data.hpp"

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace nnfs_test {

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

/// The bytes of a file, read with the standard library (not with nnfs's reader).
inline std::string read_back(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// gzip (RFC 1952) of `data` with zlib's deflate at the given level.
inline std::string gzip(const std::string& data, int level = 9) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  REQUIRE(rc == Z_STREAM_END);
  out.resize(zs.total_out);
  return out;
}

/// An IDX header (element type `type`, 0x08 = unsigned byte) for the given sizes, then `data`.
inline std::string idx(const std::vector<std::uint32_t>& dims, const std::string& data, unsigned type = 0x08) {
  std::string out{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((d >> shift) & 0xFFU));
  return out + data;
}

/// A file under tests/data/fashion_mnist.
inline std::filesystem::path fixture(const std::string& relative) {
  return std::filesystem::path(data_path("fashion_mnist")) / relative;
}

}  // namespace nnfs_test
