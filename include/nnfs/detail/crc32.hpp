// nnfs/detail/crc32.hpp — CRC-32 as zlib, PNG and ZIP compute it (reflected polynomial
// 0xEDB88320, initial value and final xor 0xFFFFFFFF), table-driven, with no dependency.
//
//     crc32("123456789") == 0xCBF43926      (the standard check value)
//     crc32(b, crc32(a)) == crc32(a + b)     (chainable like zlib's crc32(crc, buf, len))
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nnfs::detail {

struct Crc32Table {
  std::uint32_t entries[256];
};

/// entries[b] = the CRC register after shifting the byte b through it (8 steps of the
/// reflected polynomial).
constexpr Crc32Table make_crc32_table() {
  Crc32Table table{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int k = 0; k < 8; ++k) c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table.entries[b] = c;
  }
  return table;
}

inline constexpr Crc32Table crc32_table = make_crc32_table();

/// The CRC-32 of `size` bytes at `data`, continuing from `crc` (the CRC of the bytes before
/// them; 0 to start), exactly as zlib's crc32(crc, data, size).
inline std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t c = crc ^ 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) c = crc32_table.entries[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

inline std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept {
  return crc32(bytes.data(), bytes.size(), crc);
}

}  // namespace nnfs::detail
