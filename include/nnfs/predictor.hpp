// nnfs/predictor.hpp moved to nnfs/model/predictor.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/model/predictor.hpp> instead.
#pragma once

#include "nnfs/model/predictor.hpp"  // IWYU pragma: export
