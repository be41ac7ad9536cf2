// nnfs/core.hpp — the numerics mode.
//
// Numerics::book follows the book's precision rules (nnfs.init()'s float64 np.dot, correctly
// rounded exp/log, NumPy's pairwise sums): nnfs::init() (nnfs/init.hpp) switches to it. The
// default, Numerics::fast, runs the same algorithms with Eigen's vectorized float arithmetic.
// Both modes are deterministic for a given seed. nnfs/ops/ holds both implementations of every
// operation and is the one place that reads the mode to compute.
//
// The mode is process-wide, like NumPy's global state, and not synchronized: set it before
// starting threads that use the library.
#pragma once

#include <atomic>

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
