// The examples' main(): the program's body runs inside a try block, so that an error (a file
// that cannot be read, a bad argument the library refuses, ...) is printed with its message
// and the program exits with status 1, instead of ending in std::terminate (an abort).
#pragma once

#include <fmt/core.h>

#include <cstdio>
#include <exception>

namespace example {

/// body()'s status, or 1 after printing what it threw on standard error (after what the
/// program printed so far on standard output).
template <class Body>
int guarded_main(const char* program, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: error: {}\n", program, e.what());
  } catch (...) {
    std::fflush(stdout);
    fmt::print(stderr, "{}: error: an exception of unknown type\n", program);
  }
  return 1;
}

/// guarded_main for `int run(int argc, char** argv)`.
template <class Body>
int guarded_main(int argc, char** argv, Body body) {
  return guarded_main(argc > 0 ? argv[0] : "example", [&] { return body(argc, argv); });
}

/// guarded_main for `int run()`.
template <class Body>
int guarded_main(Body body) {
  return guarded_main("example", body);
}

}  // namespace example
