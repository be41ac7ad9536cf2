// nnfs/random_state.hpp — NumPy's legacy RandomState (MT19937), bit for bit.
//
// The book's numbers depend on the exact stream of random numbers NumPy draws after
// np.random.seed(0). This class reproduces numpy.random.RandomState (NumPy 1.24, whose legacy
// streams are frozen): the same MT19937 state and seeding (init_genrand for an integer,
// init_by_array for an array), the same 53-bit doubles, the same polar Box–Muller normals with
// their one-value cache, the same binomial algorithms (inversion and BTPE), and the same
// masked-rejection integers behind randint and shuffle. Each method names the NumPy call it
// mirrors; the algorithms are ports of numpy/random/src/{distributions,legacy}/*.c and
// mtrand.pyx, kept in NumPy's order of operations because a reordered product or sum can
// change a comparison and with it the whole stream that follows.
//
// Bit-exactness needs the compiler to evaluate double arithmetic as written: no -ffast-math.
// randn and the inversion binomial (dropout's) force NumPy's roundings with detail::rounded, so
// FMA contraction cannot change them; the BTPE binomial (n·p > 30) assumes no contraction
// (-ffp-contract=off when targeting FMA hardware, as nnfs's own builds do).
#pragma once

#include "nnfs/detail/fp.hpp"
#include "nnfs/types.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nnfs {

class RandomState {
 public:
  explicit RandomState(std::uint32_t seed_value = 0) { seed(seed_value); }

  // ---------------------------------------------------------------- seeding

  /// np.random.seed(s): MT19937 init_genrand(s); clears the normal cache.
  void seed(std::uint32_t seed_value) {
    std::uint32_t s = seed_value;
    for (std::size_t i = 0; i < kStateLen; ++i) {
      key_[i] = s;
      s = 1812433253U * (s ^ (s >> 30U)) + static_cast<std::uint32_t>(i + 1);
    }
    pos_ = kStateLen;
    reset_gauss();
  }

  /// np.random.seed([a, b, ...]): MT19937 init_by_array. A braced list selects this overload,
  /// so seed({5}) is NumPy's seed([5]) and differs from seed(5), exactly as in Python.
  void seed(std::initializer_list<std::uint32_t> key) { seed_by_array(key.begin(), key.size()); }
  void seed(const std::vector<std::uint32_t>& key) { seed_by_array(key.data(), key.size()); }

  // ------------------------------------------------------------- raw output

  /// One raw 32-bit output of the Mersenne Twister.
  std::uint32_t next_uint32() {
    if (pos_ == kStateLen) regenerate();
    std::uint32_t y = key_[pos_++];
    // Tempering: makes each output equidistributed in its bits.
    y ^= y >> 11U;
    y ^= (y << 7U) & 0x9d2c5680U;
    y ^= (y << 15U) & 0xefc60000U;
    y ^= y >> 18U;
    return y;
  }

  /// Two 32-bit outputs as one 64-bit value, the first one in the high half (NumPy's
  /// mt19937_next64).
  std::uint64_t next_uint64() {
    const std::uint64_t hi = next_uint32();
    const std::uint64_t lo = next_uint32();
    return (hi << 32U) | lo;
  }

  /// A uniform integer in [0, max] by masked rejection (NumPy's random_interval): draw
  /// next_uint32 (or next_uint64 when max needs more than 32 bits), keep the bits of the
  /// smallest mask 2^k-1 >= max, retry while the value exceeds max. No draw when max == 0.
  /// shuffle and randint are built on it.
  std::uint64_t random_interval(std::uint64_t max) {
    if (max == 0) return 0;
    std::uint64_t mask = max;
    mask |= mask >> 1U;
    mask |= mask >> 2U;
    mask |= mask >> 4U;
    mask |= mask >> 8U;
    mask |= mask >> 16U;
    mask |= mask >> 32U;
    std::uint64_t value = 0;
    if (max <= 0xffffffffULL) {
      do {
        value = next_uint32() & mask;
      } while (value > max);
    } else {
      do {
        value = next_uint64() & mask;
      } while (value > max);
    }
    return value;
  }

  // ---------------------------------------------------------------- uniform

  /// np.random.random_sample(): a double in [0, 1) with 53 random bits.
  double random_sample() {
    const std::uint32_t a = next_uint32() >> 5U;  // 27 bits
    const std::uint32_t b = next_uint32() >> 6U;  // 26 bits
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /// np.random.random_sample((rows, cols)) stored as T (row-major fill; float rounds each
  /// double once).
  template <class T>
  Matrix<T> random_sample(Index rows, Index cols) {
    check_shape("random_sample", rows, cols);
    Matrix<T> out(rows, cols);
    for (Index i = 0; i < out.size(); ++i) out.data()[i] = static_cast<T>(random_sample());
    return out;
  }

  /// np.random.rand(rows, cols): the same draws as random_sample.
  template <class T>
  Matrix<T> rand(Index rows, Index cols) {
    check_shape("rand", rows, cols);
    return random_sample<T>(rows, cols);
  }

  /// np.random.uniform(low, high): low + (high - low) * random_sample(). As in NumPy, high < low
  /// is allowed (the interval is then (high, low]); a range that is not finite is not.
  double uniform(double low, double high) {
    const double range = high - low;
    if (!std::isfinite(range))
      throw std::invalid_argument(fmt::format(
          "RandomState::uniform: high - low must be finite, got low = {}, high = {}", low, high));
    return low + range * random_sample();
  }

  // ----------------------------------------------------------------- normal

  /// np.random.randn(): standard normal by the polar method; each accepted pair yields two
  /// values, the second kept for the next call (only seed() discards it).
  double randn() {
    if (has_gauss_) {
      has_gauss_ = false;
      return gauss_;
    }
    double x1 = 0.0;
    double x2 = 0.0;
    double r2 = 0.0;
    do {
      x1 = 2.0 * random_sample() - 1.0;
      x2 = 2.0 * random_sample() - 1.0;
      // both squares rounded before the sum, as NumPy does, even where FMA contraction is on
      r2 = detail::rounded(x1 * x1) + detail::rounded(x2 * x2);
    } while (r2 >= 1.0 || r2 == 0.0);
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss_ = f * x1;
    has_gauss_ = true;
    return f * x2;
  }

  /// np.random.randn(rows, cols) stored as T (NumPy fills row-major; under nnfs.init() the
  /// float64 draws are then rounded to float32, which static_cast<float> does).
  template <class T>
  Matrix<T> randn(Index rows, Index cols) {
    check_shape("randn", rows, cols);
    Matrix<T> out(rows, cols);
    for (Index i = 0; i < out.size(); ++i) out.data()[i] = static_cast<T>(randn());
    return out;
  }

  /// np.random.normal(loc, scale) = loc + scale * randn(), sharing randn's cache. NumPy also
  /// rejects scale = -0.0; unlike NumPy, NaN or infinite arguments are rejected too.
  double normal(double loc, double scale) {
    if (!std::isfinite(loc) || !std::isfinite(scale) || std::signbit(scale))
      throw std::invalid_argument(fmt::format(
          "RandomState::normal: loc must be finite and scale finite and >= 0, got loc = {}, "
          "scale = {}",
          loc, scale));
    return loc + scale * randn();
  }

  // --------------------------------------------------------------- binomial

  /// np.random.binomial(n, p): number of successes in n trials of probability p. NumPy's
  /// legacy dispatch: work with r = min(p, 1-p); inversion when r*n <= 30, else BTPE; for
  /// p > 0.5 return n minus the count of failures. Even n == 0 or p == 0 consumes one double,
  /// as in NumPy. Dropout masks are binomial(1, 1-rate): one double per element.
  std::int64_t binomial(std::int64_t n, double p) {
    check_binomial(n, p);
    if (p <= 0.5) {
      return p * static_cast<double>(n) <= 30.0 ? binomial_inversion(n, p) : binomial_btpe(n, p);
    }
    const double q = 1.0 - p;
    return n - (q * static_cast<double>(n) <= 30.0 ? binomial_inversion(n, q)
                                                     : binomial_btpe(n, q));
  }

  /// np.random.binomial(n, p, size=(rows, cols)) stored as T, filled row-major.
  template <class T>
  Matrix<T> binomial(std::int64_t n, double p, Index rows, Index cols) {
    check_binomial(n, p);
    check_shape("binomial", rows, cols);
    Matrix<T> out(rows, cols);
    for (Index i = 0; i < out.size(); ++i) out.data()[i] = static_cast<T>(binomial(n, p));
    return out;
  }

  // ---------------------------------------------------------------- integers

  /// np.random.randint(low, high): an int64 in [low, high) (high exclusive). Masked rejection
  /// on the range high-1-low (32-bit draws when it fits in 32 bits); a range of one value
  /// draws nothing.
  std::int64_t randint(std::int64_t low, std::int64_t high) {
    check_randint(low, high);
    return low_plus(low, random_interval(randint_range(low, high)));
  }

  /// np.random.randint(low, high, size=count): the same draws, one after another.
  Vector<std::int64_t> randint(std::int64_t low, std::int64_t high, Index count) {
    check_randint(low, high);
    if (count < 0)
      throw std::invalid_argument(
          fmt::format("RandomState::randint: count must be >= 0, got count = {}", count));
    const std::uint64_t range = randint_range(low, high);
    Vector<std::int64_t> out(count);
    for (Index i = 0; i < count; ++i) out(i) = low_plus(low, random_interval(range));
    return out;
  }

  // ---------------------------------------------------------- permutations

  /// np.random.shuffle on an Eigen object, in place. A vector (one row or one column at compile
  /// time) has its elements shuffled, like a 1-D array; a matrix has its rows shuffled, like
  /// NumPy shuffles a 2-D array along axis 0. Both use the draws of the 1-D case: for
  /// i = n-1 down to 1, j = random_interval(i), swap items i and j.
  template <class Derived>
  void shuffle(Eigen::DenseBase<Derived>& x) {
    if constexpr (Derived::IsVectorAtCompileTime) {
      shuffle_indices(x.size(), [&x](Index i, Index j) {
        using std::swap;
        swap(x(i), x(j));
      });
    } else {
      shuffle_indices(x.rows(), [&x](Index i, Index j) { x.row(i).swap(x.row(j)); });
    }
  }

  /// The same for a temporary view, e.g. shuffle(m.col(0)) or shuffle(m.topRows(10)).
  template <class Derived>
  void shuffle(Eigen::DenseBase<Derived>&& x) {
    shuffle(x);
  }

  /// np.random.shuffle on a 1-D sequence of any element type.
  template <class T, class Alloc>
  void shuffle(std::vector<T, Alloc>& v) {
    shuffle_indices(static_cast<Index>(v.size()), [&v](Index i, Index j) {
      std::iter_swap(std::next(v.begin(), i), std::next(v.begin(), j));
    });
  }

  /// np.random.permutation(n): arange(n) as int64, then shuffled.
  Vector<std::int64_t> permutation(Index n) {
    if (n < 0)
      throw std::invalid_argument(
          fmt::format("RandomState::permutation: n must be >= 0, got n = {}", n));
    Vector<std::int64_t> out(n);
    for (Index i = 0; i < n; ++i) out(i) = static_cast<std::int64_t>(i);
    shuffle(out);
    return out;
  }

 private:
  static constexpr std::size_t kStateLen = 624;  // MT19937 state words
  static constexpr std::size_t kShift = 397;     // MT19937 middle word offset

  // NumPy's binomial_t: the set-up of the last (n, p) handed to inversion or BTPE. Both
  // algorithms share it, as in NumPy; since a given (n, p) always takes the same algorithm the
  // cache saves work (an exp/log per dropout element) and never changes a result.
  struct BinomialCache {
    bool valid = false;
    std::int64_t nsave = 0;
    double psave = 0.0;
    double r = 0.0, q = 0.0, fm = 0.0;
    std::int64_t m = 0;
    double p1 = 0.0, xm = 0.0, xl = 0.0, xr = 0.0, c = 0.0;
    double laml = 0.0, lamr = 0.0, p2 = 0.0, p3 = 0.0, p4 = 0.0;
  };

  void reset_gauss() {
    has_gauss_ = false;
    gauss_ = 0.0;
  }

  // Reference MT19937 init_by_array (Matsumoto & Nishimura, 2002), as NumPy uses it.
  void seed_by_array(const std::uint32_t* init_key, std::size_t key_length) {
    if (key_length == 0)
      throw std::invalid_argument("RandomState::seed: the seed array is empty (size 0)");
    seed(19650218U);
    std::array<std::uint32_t, kStateLen>& mt = key_;
    std::size_t i = 1;
    std::size_t j = 0;
    for (std::size_t k = (kStateLen > key_length ? kStateLen : key_length); k > 0; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30U)) * 1664525U)) + init_key[j] +
              static_cast<std::uint32_t>(j);
      ++i;
      ++j;
      if (i >= kStateLen) {
        mt[0] = mt[kStateLen - 1];
        i = 1;
      }
      if (j >= key_length) j = 0;
    }
    for (std::size_t k = kStateLen - 1; k > 0; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30U)) * 1566083941U)) -
              static_cast<std::uint32_t>(i);
      ++i;
      if (i >= kStateLen) {
        mt[0] = mt[kStateLen - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000U;  // MSB set: the state is never all zero
    pos_ = kStateLen;
    reset_gauss();
  }

  // Produce the next 624 state words at once (the "twist"), in place and in index order:
  // words past the middle already see the new values of the words before them.
  void regenerate() {
    const auto twist = [](std::uint32_t upper, std::uint32_t lower, std::uint32_t far) {
      const std::uint32_t y = (upper & 0x80000000U) | (lower & 0x7fffffffU);
      return far ^ (y >> 1U) ^ ((y & 1U) != 0U ? 0x9908b0dfU : 0U);
    };
    std::size_t i = 0;
    for (; i < kStateLen - kShift; ++i) key_[i] = twist(key_[i], key_[i + 1], key_[i + kShift]);
    for (; i < kStateLen - 1; ++i)
      key_[i] = twist(key_[i], key_[i + 1], key_[i + kShift - kStateLen]);
    key_[i] = twist(key_[i], key_[0], key_[kShift - 1]);
    pos_ = 0;
  }

  template <class Swap>
  void shuffle_indices(Index n, Swap&& swap_items) {
    for (Index i = n - 1; i > 0; --i) {
      const auto j = static_cast<Index>(random_interval(static_cast<std::uint64_t>(i)));
      if (j != i) swap_items(i, j);
    }
  }

  static void check_shape(const char* function, Index rows, Index cols) {
    if (rows < 0 || cols < 0)
      throw std::invalid_argument(
          fmt::format("RandomState::{}: the shape must not be negative, got {}", function,
                      shape_str(rows, cols)));
  }

  static void check_binomial(std::int64_t n, double p) {
    if (n < 0)
      throw std::invalid_argument(
          fmt::format("RandomState::binomial: n must be >= 0, got n = {}", n));
    if (!(p >= 0.0 && p <= 1.0))  // also catches NaN
      throw std::invalid_argument(
          fmt::format("RandomState::binomial: p must be in [0, 1], got p = {}", p));
  }

  static void check_randint(std::int64_t low, std::int64_t high) {
    if (low >= high)
      throw std::invalid_argument(fmt::format(
          "RandomState::randint: low must be < high (high is exclusive), got low = {}, high = {}",
          low, high));
  }

  // high-1-low as an unsigned count; modular arithmetic makes it exact for any low < high.
  static std::uint64_t randint_range(std::int64_t low, std::int64_t high) {
    return static_cast<std::uint64_t>(high - 1) - static_cast<std::uint64_t>(low);
  }

  // low + offset without signed overflow (the sum itself is at most high-1).
  static std::int64_t low_plus(std::int64_t low, std::uint64_t offset) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (offset <= kMax) return low + static_cast<std::int64_t>(offset);
    return (low + std::numeric_limits<std::int64_t>::max()) +
           static_cast<std::int64_t>(offset - kMax);
  }

  // Inversion (NumPy's random_binomial_inversion), for p <= 0.5 and n*p <= 30: walk the
  // cumulative probabilities f(0), f(1), ... until the uniform draw is used up, restarting
  // with a fresh draw if the walk passes a bound far in the tail.
  std::int64_t binomial_inversion(std::int64_t n, double p) {
    BinomialCache& b = binomial_;
    if (!b.valid || b.nsave != n || b.psave != p) {
      b.valid = true;
      b.nsave = n;
      b.psave = p;
      b.q = 1.0 - p;
      b.r = std::exp(static_cast<double>(n) * std::log(b.q));  // f(0) = q^n
      b.c = static_cast<double>(n) * p;                       // mean
      const double limit = b.c + detail::rounded(10.0 * std::sqrt(detail::rounded(b.c * b.q) + 1.0));
      b.m = static_cast<double>(n) < limit ? n : static_cast<std::int64_t>(limit);
    }
    const double q = b.q;
    const double qn = b.r;
    const std::int64_t bound = b.m;
    std::int64_t x = 0;
    double px = qn;
    double u = random_sample();
    while (u > px) {
      ++x;
      if (x > bound) {
        x = 0;
        px = qn;
        u = random_sample();
      } else {
        u -= px;
        px = (static_cast<double>(n - x + 1) * p * px) / (static_cast<double>(x) * q);
      }
    }
    return x;
  }

  // BTPE (Kachitvichyanukul & Schmeiser 1988; NumPy's random_binomial_btpe), for p <= 0.5 and
  // n*p > 30: acceptance/rejection under a hat made of a triangle, two parallelograms and two
  // exponential tails. NumPy writes it with goto; here every `continue` is NumPy's
  // "goto Step10" (reject, draw again) and every `break` accepts y.
  std::int64_t binomial_btpe(std::int64_t n, double p) {
    BinomialCache& b = binomial_;
    const auto nd = static_cast<double>(n);
    if (!b.valid || b.nsave != n || b.psave != p) {
      b.valid = true;
      b.nsave = n;
      b.psave = p;
      b.r = p < 1.0 - p ? p : 1.0 - p;
      b.q = 1.0 - b.r;
      b.fm = nd * b.r + b.r;
      b.m = static_cast<std::int64_t>(std::floor(b.fm));  // the mode
      b.p1 = std::floor(2.195 * std::sqrt(nd * b.r * b.q) - 4.6 * b.q) + 0.5;
      b.xm = static_cast<double>(b.m) + 0.5;
      b.xl = b.xm - b.p1;
      b.xr = b.xm + b.p1;
      b.c = 0.134 + 20.5 / (15.3 + static_cast<double>(b.m));
      double a = (b.fm - b.xl) / (b.fm - b.xl * b.r);
      b.laml = a * (1.0 + a / 2.0);
      a = (b.xr - b.fm) / (b.xr * b.q);
      b.lamr = a * (1.0 + a / 2.0);
      b.p2 = b.p1 * (1.0 + 2.0 * b.c);
      b.p3 = b.p2 + b.c / b.laml;
      b.p4 = b.p3 + b.c / b.lamr;
    }
    const double r = b.r, q = b.q, xm = b.xm, xl = b.xl, xr = b.xr, c = b.c;
    const double p1 = b.p1, p2 = b.p2, p3 = b.p3, p4 = b.p4, laml = b.laml, lamr = b.lamr;
    const std::int64_t m = b.m;
    // A floor() result at or above this cannot be converted to int64 (and exceeds any n).
    constexpr double kInt64Limit = 9223372036854775808.0;

    std::int64_t y = 0;
    for (;;) {
      // Step 10: pick a region of the hat.
      const double nrq = nd * r * q;
      const double u = random_sample() * p4;
      double v = random_sample();
      if (u <= p1) {  // triangle: always accepted
        y = static_cast<std::int64_t>(std::floor(xm - p1 * v + u));
        break;
      }
      if (u <= p2) {  // Step 20: parallelograms
        const double x = xl + (u - p1) / c;
        v = v * c + 1.0 - std::fabs(static_cast<double>(m) - x + 0.5) / p1;
        if (v > 1.0) continue;
        y = static_cast<std::int64_t>(std::floor(x));
      } else if (u <= p3) {  // Step 30: left exponential tail
        // NumPy tests v == 0 after a cast that would be undefined; rejecting first is the
        // same outcome without the undefined cast.
        if (v == 0.0) continue;
        const double yd = std::floor(xl + std::log(v) / laml);
        if (yd < 0.0) continue;
        y = static_cast<std::int64_t>(yd);
        v = v * (u - p2) * laml;
      } else {  // Step 40: right exponential tail
        if (v == 0.0) continue;
        const double yd = std::floor(xr - std::log(v) / lamr);
        if (yd >= kInt64Limit) continue;
        y = static_cast<std::int64_t>(yd);
        if (y > n) continue;
        v = v * (u - p3) * lamr;
      }

      // Step 50: y is far from the mode m only when k is large; near it, compare v with
      // f(y)/f(m) computed by the recurrence.
      const std::int64_t k = y > m ? y - m : m - y;
      const auto kd = static_cast<double>(k);
      if (!(k > 20 && kd < nrq / 2.0 - 1)) {
        const double s = r / q;
        const double a = s * static_cast<double>(n + 1);
        double F = 1.0;
        if (m < y) {
          for (std::int64_t i = m + 1; i <= y; ++i) F *= (a / static_cast<double>(i) - s);
        } else if (m > y) {
          for (std::int64_t i = y + 1; i <= m; ++i) F /= (a / static_cast<double>(i) - s);
        }
        if (v > F) continue;
        break;
      }

      // Step 52: squeeze log(v) between bounds of log f(y)/f(m), then decide with Stirling's
      // formula.
      const double rho =
          (kd / nrq) * ((kd * (kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
      const double t = -(kd * kd) / (2 * nrq);  // NumPy: -k*k in integers, exact here too
      const double A = std::log(v);
      if (A < t - rho) break;
      if (A > t + rho) continue;

      const auto x1 = static_cast<double>(y + 1);
      const auto f1 = static_cast<double>(m + 1);
      const auto z = static_cast<double>(n + 1 - m);
      const auto w = static_cast<double>(n - y + 1);
      const double x2 = x1 * x1;
      const double f2 = f1 * f1;
      const double z2 = z * z;
      const double w2 = w * w;
      const double bound =
          xm * std::log(f1 / x1) + (static_cast<double>(n - m) + 0.5) * std::log(z / w) +
          static_cast<double>(y - m) * std::log(w * r / (x1 * q)) +
          (13680. - (462. - (132. - (99. - 140. / f2) / f2) / f2) / f2) / f1 / 166320. +
          (13680. - (462. - (132. - (99. - 140. / z2) / z2) / z2) / z2) / z / 166320. +
          (13680. - (462. - (132. - (99. - 140. / x2) / x2) / x2) / x2) / x1 / 166320. +
          (13680. - (462. - (132. - (99. - 140. / w2) / w2) / w2) / w2) / w / 166320.;
      if (A > bound) continue;
      break;
    }
    return y;
  }

  std::array<std::uint32_t, kStateLen> key_{};
  std::size_t pos_ = kStateLen;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
  BinomialCache binomial_;
};

/// The process-wide generator used when no explicit RandomState is passed (nnfs::init() seeds
/// it). It starts seeded with 0, so programs are reproducible even without init(). Like
/// NumPy's global state it is not synchronized: pass an explicit RandomState& to every API that
/// draws random numbers when several threads draw at once (they all accept one).
inline RandomState& default_random_state() {
  static RandomState state{0};
  return state;
}

}  // namespace nnfs
