// nnfs/regularization.hpp moved to nnfs/layers/regularization.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/regularization.hpp> instead.
#pragma once

#include "nnfs/layers/regularization.hpp"  // IWYU pragma: export
