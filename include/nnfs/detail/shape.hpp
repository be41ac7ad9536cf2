// nnfs/detail/shape.hpp — the element count of an array shape, with checked arithmetic: the
// one product of dimensions behind NpyArray::size and IdxArray::element_count, whose shapes
// may be hand-built or read from hostile files (2^62 × 2^62 must not wrap to a small count).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace nnfs::detail {

/// Product of the dimensions (1 for no dimensions) into `count`, or false when a dimension is
/// negative or the product does not fit in an int64. A zero dimension makes the count 0
/// whatever the others are.
inline bool shape_element_count(const std::vector<std::int64_t>& shape, std::int64_t& count) noexcept {
  bool zero = false;
  for (const std::int64_t d : shape) {
    if (d < 0) return false;
    if (d == 0) zero = true;
  }
  if (zero) {
    count = 0;
    return true;
  }
  std::int64_t n = 1;
  for (const std::int64_t d : shape) {
    if (n > std::numeric_limits<std::int64_t>::max() / d) return false;
    n *= d;
  }
  count = n;
  return true;
}

}  // namespace nnfs::detail
