// nnfs/core.hpp — nnfs::init(), the process-wide generator and the numerics mode.
//
// The Python book starts every program with `nnfs.init()`, which (1) seeds NumPy's global
// legacy RandomState with 0, (2) makes float32 the default dtype and (3) replaces np.dot by a
// version that accumulates in float64 and rounds once to float32. nnfs::init() is the C++
// counterpart: it seeds nnfs::default_random_state() and switches the library to
// Numerics::book, in which every kernel follows the book's precision rules (see
// nnfs/detail/book_math.hpp). Without init() the library runs in Numerics::fast: same
// algorithms and the same random draws, but products, exp/log and sums use Eigen's vectorized
// float arithmetic. Both modes are deterministic for a given seed.
//
// The mode and the default generator are process-wide, like NumPy's global state. They are
// not synchronized: set them before starting threads that use the library, or pass an
// explicit RandomState& to every API that draws random numbers (they all accept one).
#pragma once

#include "nnfs/random_state.hpp"

#include <atomic>
#include <cstdint>

namespace nnfs {

/// How the library evaluates products, exp/log and reductions.
enum class Numerics {
  fast,  ///< Eigen's vectorized arithmetic in the scalar type (the default).
  book   ///< The book's rules: double-accumulated dot, correctly rounded exp/log, pairwise sums.
};

namespace detail {
inline std::atomic<Numerics>& numerics_flag() {
  static std::atomic<Numerics> flag{Numerics::fast};
  return flag;
}
}  // namespace detail

/// The numerics mode in effect for everything the library computes from now on.
inline Numerics numerics() { return detail::numerics_flag().load(std::memory_order_relaxed); }

/// Switch the numerics mode (process-wide).
inline void set_numerics(Numerics mode) {
  detail::numerics_flag().store(mode, std::memory_order_relaxed);
}

inline bool book_mode() { return numerics() == Numerics::book; }

/// The process-wide generator used when no explicit RandomState is passed. It starts seeded
/// with 0, so programs are reproducible even without init().
inline RandomState& default_random_state() {
  static RandomState state{0};
  return state;
}

/// The C++ counterpart of Python's `nnfs.init()`: seeds the default generator and switches to
/// the book's numerics, so the book's printed numbers come out of a line-by-line port.
inline void init(std::uint32_t seed = 0) {
  default_random_state().seed(seed);
  set_numerics(Numerics::book);
}

/// RAII: sets a numerics mode for a scope and restores the previous one (handy in tests).
class NumericsScope {
 public:
  explicit NumericsScope(Numerics mode) : previous_(numerics()) { set_numerics(mode); }
  ~NumericsScope() { set_numerics(previous_); }
  NumericsScope(const NumericsScope&) = delete;
  NumericsScope& operator=(const NumericsScope&) = delete;

 private:
  Numerics previous_;
};

}  // namespace nnfs
