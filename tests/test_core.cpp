// nnfs::init(), the numerics mode and the default generator.
#include "nnfs_catch.hpp"

#include <nnfs/core.hpp>
#include <nnfs/init.hpp>

TEST_CASE("init seeds the default generator like np.random.seed and switches to book numerics", "[core]") {
  nnfs::NumericsScope restore(nnfs::numerics());
  nnfs::set_numerics(nnfs::Numerics::fast);
  nnfs::default_random_state().randn();  // disturb the state (and leave a cached normal)

  nnfs::init();
  CHECK(nnfs::numerics() == nnfs::Numerics::book);
  CHECK(nnfs::book_mode());
  // np.random.seed(0); np.random.randn(2) — book-numerics.md, section 2
  CHECK(nnfs::default_random_state().randn() == 1.764052345967664);
  CHECK(nnfs::default_random_state().randn() == 0.4001572083672233);

  nnfs::init(0);
  CHECK(nnfs::default_random_state().randn() == 1.764052345967664);
}

TEST_CASE("init takes the seed", "[core]") {
  nnfs::NumericsScope restore(nnfs::numerics());
  nnfs::init(1);
  // np.random.seed(1); np.random.randn() == 1.6243453636632417
  CHECK(nnfs::default_random_state().randn() == 1.6243453636632417);
}

TEST_CASE("NumericsScope sets a mode for a scope and restores the previous one", "[core]") {
  nnfs::NumericsScope outer(nnfs::Numerics::fast);
  CHECK(nnfs::numerics() == nnfs::Numerics::fast);
  {
    nnfs::NumericsScope inner(nnfs::Numerics::book);
    CHECK(nnfs::book_mode());
  }
  CHECK(nnfs::numerics() == nnfs::Numerics::fast);
  nnfs::set_numerics(nnfs::Numerics::book);
  CHECK(nnfs::book_mode());
}
