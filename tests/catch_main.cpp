// Catch2 v2 needs one translation unit that defines main(); v3 links Catch2::Catch2WithMain,
// so this file is empty there. (The define must precede the first include of catch.hpp.)
#if !__has_include(<catch2/catch_test_macros.hpp>)
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#endif
