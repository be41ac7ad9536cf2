// nnfs/adam.hpp moved to nnfs/optimizers/adam.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/optimizers/adam.hpp> instead.
#pragma once

#include "nnfs/optimizers/adam.hpp"  // IWYU pragma: export
