// nnfs/optimizer.hpp moved to nnfs/optimizers/optimizer.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/optimizers/optimizer.hpp> instead.
#pragma once

#include "nnfs/optimizers/optimizer.hpp"  // IWYU pragma: export
