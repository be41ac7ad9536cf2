// nnfs/sigmoid.hpp moved to nnfs/layers/sigmoid.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/sigmoid.hpp> instead.
#pragma once

#include "nnfs/layers/sigmoid.hpp"  // IWYU pragma: export
