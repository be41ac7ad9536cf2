// nnfs/ops/kernels.hpp — forwarding header: the operations are in nnfs/ops/ops.hpp (namespace
// nnfs::ops, also reachable as nnfs::kernels).
#pragma once

#include "nnfs/ops/ops.hpp"
