// nnfs/softmax.hpp moved to nnfs/layers/softmax.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/softmax.hpp> instead.
#pragma once

#include "nnfs/layers/softmax.hpp"  // IWYU pragma: export
