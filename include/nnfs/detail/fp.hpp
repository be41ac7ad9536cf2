// nnfs/detail/fp.hpp — forcing a floating-point value to be rounded where NumPy rounds it.
#pragma once

namespace nnfs::detail {

/// Returns x after forcing it to be rounded to T and stored. NumPy rounds every intermediate
/// result (a product, then a sum); a compiler allowed to contract `a * b + c` into one fused
/// multiply-add (GCC does with -ffp-contract=fast, its GNU-mode default, on FMA hardware)
/// would skip that rounding and change the last bit. Reading back a volatile cannot be fused.
/// Used only where a bit-exact NumPy stream depends on it (random draws, datasets).
template <class T>
T rounded(T x) {
  volatile T stored = x;
  return stored;
}

}  // namespace nnfs::detail
