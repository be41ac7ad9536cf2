// nnfs/rmsprop.hpp moved to nnfs/optimizers/rmsprop.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/optimizers/rmsprop.hpp> instead.
#pragma once

#include "nnfs/optimizers/rmsprop.hpp"  // IWYU pragma: export
