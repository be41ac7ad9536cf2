// nnfs/relu.hpp moved to nnfs/layers/relu.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/relu.hpp> instead.
#pragma once

#include "nnfs/layers/relu.hpp"  // IWYU pragma: export
