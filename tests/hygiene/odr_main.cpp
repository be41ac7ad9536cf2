// The ODR test: odr_a.cpp and odr_b.cpp both include <nnfs/nnfs.hpp> and use the library.
// That this program links at all shows that no header defines a non-inline function or
// variable (it would be defined twice). At run time it checks that what must be one object
// per process is one object: the default generator, the numerics mode, inline variables —
// and that both units compute the same results from the same code.
#include "odr_units.hpp"

#include <nnfs/random_state.hpp>

#include <cstdio>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

}  // namespace

int main() {
  using namespace odr;
  check(a_default_random_state() == b_default_random_state(),
        "nnfs::default_random_state() is one generator in both translation units");
  check(a_numerics_flag() == b_numerics_flag(), "the numerics flag is one object in both translation units");
  check(a_max_legend_entries() == b_max_legend_entries(),
        "an inline constexpr variable has one address in both translation units");

  a_init(0);
  check(b_book_mode(), "nnfs::init() in one unit switches the other to book numerics");
  b_set_fast();
  check(!a_book_mode(), "set_numerics(fast) in one unit is seen by the other");

  // One stream, drawn from alternately: NumPy's randn() after seed 0, in order.
  a_init(0);
  nnfs::RandomState reference(0);
  bool same_stream = true;
  for (int i = 0; i < 6; ++i) {
    const double drawn = (i % 2 == 0) ? a_draw() : b_draw();
    same_stream = same_stream && drawn == reference.randn();
  }
  check(same_stream, "draws from both units continue one default generator's stream");

  for (const bool book : {false, true}) {
    if (book)
      a_init(0);
    else
      b_set_fast();
    const std::string from_a = a_exercise();
    const std::string from_b = b_exercise();
    check(!from_a.empty() && from_a == from_b,
          book ? "both units compute the same training log (book numerics)"
               : "both units compute the same training log (fast numerics)");
    if (from_a != from_b) std::printf("--- unit a:\n%s\n--- unit b:\n%s\n", from_a.c_str(), from_b.c_str());
  }
  b_set_fast();

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
