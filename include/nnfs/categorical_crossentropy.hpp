// nnfs/categorical_crossentropy.hpp moved to nnfs/losses/categorical_crossentropy.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/losses/categorical_crossentropy.hpp> instead.
#pragma once

#include "nnfs/losses/categorical_crossentropy.hpp"  // IWYU pragma: export
