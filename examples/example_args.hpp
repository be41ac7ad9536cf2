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

/// N from `--epochs N`, the only argument the book's training programs take, or `fallback` (the
/// book's count) without it: the sanitizer build runs them shortened. Exits with a message
/// (status 2) on any other argument.
inline long epochs_option(int argc, char** argv, long fallback) {
  long epochs = fallback;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--epochs" && i + 1 < argc) {
      ++i;
      epochs = positive_arg(argc, argv, i, fallback, "epochs");
    } else {
      fmt::print(stderr, "usage: {} [--epochs N]   (the book's {} epochs without it)\n", argv[0], fallback);
      std::exit(2);
    }
  }
  return epochs;
}

/// argv[index] as a string, or `fallback`.
inline std::string string_arg(int argc, char** argv, int index, const char* fallback) {
  return index < argc ? std::string(argv[index]) : std::string(fallback);
}

}  // namespace example
