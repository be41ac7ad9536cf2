// nnfs/plot.hpp moved to nnfs/plot/plot.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/plot/plot.hpp> instead.
#pragma once

#include "nnfs/plot/plot.hpp"  // IWYU pragma: export
