// nnfs/loss.hpp moved to nnfs/losses/loss.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/losses/loss.hpp> instead.
#pragma once

#include "nnfs/losses/loss.hpp"  // IWYU pragma: export
