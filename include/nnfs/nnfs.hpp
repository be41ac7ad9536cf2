// nnfs/nnfs.hpp — the whole library in one include.
#pragma once

#include "nnfs/accuracy.hpp"
#include "nnfs/categorical_crossentropy.hpp"
#include "nnfs/core.hpp"
#include "nnfs/datasets.hpp"
#include "nnfs/dense.hpp"
#include "nnfs/kernels.hpp"
#include "nnfs/plot.hpp"
#include "nnfs/print.hpp"
#include "nnfs/random_state.hpp"
#include "nnfs/relu.hpp"
#include "nnfs/softmax.hpp"
#include "nnfs/types.hpp"
