// nnfs/init.hpp — nnfs::init(), the C++ counterpart of Python's `nnfs.init()`.
//
// The Python book starts every program with `nnfs.init()`, which (1) seeds NumPy's global
// legacy RandomState with 0, (2) makes float32 the default dtype and (3) replaces np.dot by a
// version that accumulates in float64 and rounds once to float32. nnfs::init() seeds
// nnfs::default_random_state() (random_state.hpp) and switches the library to Numerics::book
// (core.hpp), in which every operation follows the book's precision rules (nnfs/ops/reference.hpp).
// Without init() the library runs in Numerics::fast: the same algorithms and the same random
// draws, but products, exp/log and sums use Eigen's vectorized float arithmetic.
//
// Both settings are process-wide and not synchronized: call init() before starting threads that
// use the library.
#pragma once

#include "nnfs/core.hpp"
#include "nnfs/random_state.hpp"

#include <cstdint>

namespace nnfs {

/// Seeds the default generator and switches to the book's numerics, so the book's printed
/// numbers come out of a line-by-line port.
inline void init(std::uint32_t seed = 0) {
  default_random_state().seed(seed);
  set_numerics(Numerics::book);
}

}  // namespace nnfs
