// nnfs/accuracy.hpp moved to nnfs/metrics/accuracy.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/metrics/accuracy.hpp> instead.
#pragma once

#include "nnfs/metrics/accuracy.hpp"  // IWYU pragma: export
