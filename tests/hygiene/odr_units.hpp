// What odr_a.cpp and odr_b.cpp define (the same code under the names a_* and b_*).
#pragma once

#include <cstdint>
#include <string>

namespace odr {

#define NNFS_ODR_DECLARE(unit)                          \
  const void* unit##_default_random_state();            \
  const void* unit##_numerics_flag();                   \
  const void* unit##_max_legend_entries();              \
  void unit##_init(std::uint32_t seed);                 \
  void unit##_set_fast();                               \
  bool unit##_book_mode();                              \
  double unit##_draw();                                 \
  std::string unit##_exercise();

NNFS_ODR_DECLARE(a)
NNFS_ODR_DECLARE(b)

#undef NNFS_ODR_DECLARE

}  // namespace odr
