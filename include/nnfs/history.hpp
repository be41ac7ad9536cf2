// nnfs/history.hpp moved to nnfs/model/history.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/model/history.hpp> instead.
#pragma once

#include "nnfs/model/history.hpp"  // IWYU pragma: export
