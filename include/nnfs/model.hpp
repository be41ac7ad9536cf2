// nnfs/model.hpp moved to nnfs/model/model.hpp. This forwarding header keeps old programs building for one
// release (0.x); include <nnfs/model/model.hpp> instead.
#pragma once

#include "nnfs/model/model.hpp"  // IWYU pragma: export
// Model::save and Model::load, which lived in nnfs/model.hpp, are the io layer's now.
#include "nnfs/io/model_file.hpp"  // IWYU pragma: export
