// nnfs/mean_squared_error.hpp moved to nnfs/losses/mean_squared_error.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/losses/mean_squared_error.hpp> instead.
#pragma once

#include "nnfs/losses/mean_squared_error.hpp"  // IWYU pragma: export
