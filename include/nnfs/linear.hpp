// nnfs/linear.hpp moved to nnfs/layers/identity.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/layers/identity.hpp> instead.
#pragma once

#include "nnfs/layers/identity.hpp"  // IWYU pragma: export
