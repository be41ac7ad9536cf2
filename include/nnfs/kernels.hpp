// nnfs/kernels.hpp moved to nnfs/ops/kernels.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/ops/kernels.hpp> instead.
#pragma once

#include "nnfs/ops/kernels.hpp"  // IWYU pragma: export
