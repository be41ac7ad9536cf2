// nnfs/model_file.hpp moved to nnfs/io/model_file.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/io/model_file.hpp> instead.
#pragma once

#include "nnfs/io/model_file.hpp"  // IWYU pragma: export
