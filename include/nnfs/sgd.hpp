// nnfs/sgd.hpp moved to nnfs/optimizers/sgd.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/optimizers/sgd.hpp> instead.
#pragma once

#include "nnfs/optimizers/sgd.hpp"  // IWYU pragma: export
