// nnfs/detail/compiled.hpp — the compiled mode: the library's templates for float and double are
// built once, in the static library nnfs::compiled, instead of in every program that uses them.
//
// A header lists the instances it offers with NNFS_COMPILED_INSTANCE(class Dense<float>) lines
// at its end. What such a line is depends on how the unit is built:
//   header-only (the default)             nothing: a program compiles every template it uses;
//   linked with nnfs::compiled            `extern template class Dense<float>;` — the program does
//     (CMake defines NNFS_COMPILED)       not compile Dense<float>'s members again (forward,
//                                         backward, the Model's train...), the linker takes
//                                         them from the library;
//   src/compiled.cpp, the library itself  `template class Dense<float>;` — the one place that
//     (defines NNFS_COMPILED_DEFINITIONS) compiles them.
// Both modes run the same source, so they give the same numbers; the compiled mode only moves
// where the work of compiling happens (docs/cmake.md, "The compiled mode", has the figures).
#pragma once

#if defined(NNFS_COMPILED_DEFINITIONS)
#define NNFS_COMPILED_INSTANCE(...) template __VA_ARGS__;
#elif defined(NNFS_COMPILED)
#define NNFS_COMPILED_INSTANCE(...) extern template __VA_ARGS__;
#else
#define NNFS_COMPILED_INSTANCE(...)
#endif
