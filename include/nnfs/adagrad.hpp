// nnfs/adagrad.hpp moved to nnfs/optimizers/adagrad.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/optimizers/adagrad.hpp> instead.
#pragma once

#include "nnfs/optimizers/adagrad.hpp"  // IWYU pragma: export
