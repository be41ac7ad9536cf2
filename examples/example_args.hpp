// Command-line parsing shared by the examples: positional positive integers with defaults.
#pragma once

#include <fmt/core.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace example {

/// argv[index] as a positive integer, or `fallback` when absent. Exits with a message (status 2)
/// on anything that is not a positive integer.
inline long positive_arg(int argc, char** argv, int index, long fallback, const char* name) {
  if (index >= argc) return fallback;
  const std::string text = argv[index];
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || value <= 0 || value > 10'000'000) {
    fmt::print(stderr, "{}: {} must be a positive integer, got '{}'\n", argv[0], name, text);
    std::exit(2);
  }
  return value;
}

/// argv[index] as a string, or `fallback`.
inline std::string string_arg(int argc, char** argv, int index, const char* fallback) {
  return index < argc ? std::string(argv[index]) : std::string(fallback);
}

}  // namespace example
