// nnfs/layer.hpp moved to nnfs/layers/layer.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/layer.hpp> instead.
#pragma once

#include "nnfs/layers/layer.hpp"  // IWYU pragma: export
