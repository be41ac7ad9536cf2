// nnfs/dense.hpp moved to nnfs/layers/dense.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/dense.hpp> instead.
#pragma once

#include "nnfs/layers/dense.hpp"  // IWYU pragma: export
