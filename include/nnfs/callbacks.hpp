// nnfs/callbacks.hpp moved to nnfs/model/callbacks.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/model/callbacks.hpp> instead.
#pragma once

#include "nnfs/model/callbacks.hpp"  // IWYU pragma: export
