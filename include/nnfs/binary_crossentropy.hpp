// nnfs/binary_crossentropy.hpp moved to nnfs/losses/binary_crossentropy.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/losses/binary_crossentropy.hpp> instead.
#pragma once

#include "nnfs/losses/binary_crossentropy.hpp"  // IWYU pragma: export
