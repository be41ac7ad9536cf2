// nnfs/dropout.hpp moved to nnfs/layers/dropout.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/dropout.hpp> instead.
#pragma once

#include "nnfs/layers/dropout.hpp"  // IWYU pragma: export
