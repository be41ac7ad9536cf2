// nnfs/npy.hpp moved to nnfs/io/npy.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/io/npy.hpp> instead.
#pragma once

#include "nnfs/io/npy.hpp"  // IWYU pragma: export
