// Helpers that several test sources share. The unit-test executables are unity builds (several
// test sources compiled as one translation unit, which halves their build time), so a helper
// that two sources need is defined once, here, and a helper local to one source has a name no
// other source uses.
#pragma once

#include "nnfs_catch.hpp"

#include <nnfs/nnfs.hpp>

#include <cstddef>
#include <cstring>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace nnfs_test {

inline constexpr double nan_ = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inf_ = std::numeric_limits<double>::infinity();
inline const std::string x_ = "\u00d7";  // shape_str's "rows×cols"

/// v with every digit that tells it apart from its neighbours.
template <class T>
std::string show(T v) {
  std::ostringstream s;
  s << std::setprecision(std::numeric_limits<T>::max_digits10) << v;
  return s.str();
}

/// The same bits: −0 and +0 differ, a NaN equals the same NaN.
template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

/// The same shape and every element the same bits.
template <class D>
bool same_bits(const Eigen::PlainObjectBase<D>& a, const Eigen::PlainObjectBase<D>& b) {
  using Scalar = typename D::Scalar;
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 ||
          std::memcmp(a.data(), b.data(), sizeof(Scalar) * static_cast<std::size_t>(a.size())) == 0);
}

/// As many elements, each the same bits.
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_bits(a[i], b[i])) return false;
  return true;
}

/// Every element identical to the bit (a −0 where NumPy has +0 counts as a difference); on a
/// failure, the count of mismatches and the first one.
template <class DA, class T>
void check_bits(const Eigen::MatrixBase<DA>& actual_in, const nnfs::Matrix<T>& expected, const std::string& what) {
  const nnfs::Matrix<T> actual = actual_in;
  INFO(what);
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  nnfs::Index bad = 0;
  nnfs::Index first = -1;
  for (nnfs::Index i = 0; i < expected.size(); ++i)
    if (std::memcmp(actual.data() + i, expected.data() + i, sizeof(T)) != 0) {
      if (first < 0) first = i;
      ++bad;
    }
  INFO("mismatches: " << bad << " of " << expected.size()
                      << (first >= 0 ? ", first at flat index " + std::to_string(first) + ": " +
                                           show(actual.data()[first]) + " vs NumPy " + show(expected.data()[first])
                                     : std::string()));
  CHECK(bad == 0);
}

inline const char* mode_name(nnfs::Numerics mode) { return mode == nnfs::Numerics::book ? "book" : "fast"; }

/// Training options that print nothing: `epochs` epochs of batches of `batch_size` (0: the
/// whole data set).
template <class T>
nnfs::TrainOptions<T> quiet(std::size_t epochs, std::size_t batch_size = 0) {
  nnfs::TrainOptions<T> o;
  o.epochs = epochs;
  o.batch_size = batch_size;
  o.book_log = false;
  return o;
}

}  // namespace nnfs_test
