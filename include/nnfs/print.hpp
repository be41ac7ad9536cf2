// nnfs/print.hpp moved to nnfs/print/print.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/print/print.hpp> instead.
#pragma once

#include "nnfs/print/print.hpp"  // IWYU pragma: export
