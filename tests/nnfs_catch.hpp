// The one Catch2 shim: lets the suite build against Debian's Catch2 2.13 (single header) and
// against Catch2 v3 (split headers). Tests use only what both share: TEST_CASE, SECTION,
// TEMPLATE_TEST_CASE, GENERATE, REQUIRE/CHECK, REQUIRE_THROWS_AS, REQUIRE_THAT with
// WithinRel/WithinAbs. (v3 declares GENERATE only in generators/catch_generators.hpp.)
// Exception messages are checked with NNFS_REQUIRE_THROWS_WITH (below), not with Catch's
// version-specific string matchers.
#pragma once

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#define NNFS_CATCH_VERSION 3
#else
#include <catch2/catch.hpp>
#define NNFS_CATCH_VERSION 2
#endif

#include <string>
#include <vector>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace nnfs_test {

/// Runs f, expecting an exception of type E whose what() contains every one of `parts`.
/// Returns the message ("" when nothing or something else was thrown) so a test can
/// REQUIRE(message_has(...)) and print the message on failure.
template <class E, class F>
std::string thrown_message(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (...) {
    return "<a different exception type was thrown>";
  }
  return "<nothing was thrown>";
}

inline bool contains_all(const std::string& text, const std::vector<std::string>& parts) {
  for (const auto& p : parts)
    if (text.find(p) == std::string::npos) return false;
  return true;
}

}  // namespace nnfs_test

/// REQUIRE that `expr` throws `type` and that the message contains each listed substring.
#define NNFS_REQUIRE_THROWS_WITH(type, expr, ...)                                           \
  do {                                                                                      \
    const std::string nnfs_msg_ = nnfs_test::thrown_message<type>([&] { (void)(expr); });   \
    INFO("message: " << nnfs_msg_);                                                         \
    REQUIRE(nnfs_test::contains_all(nnfs_msg_, std::vector<std::string>{__VA_ARGS__}));     \
  } while (false)
