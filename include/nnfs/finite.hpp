// nnfs/finite.hpp moved to nnfs/ops/finite.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/ops/finite.hpp> instead.
#pragma once

#include "nnfs/ops/finite.hpp"  // IWYU pragma: export
