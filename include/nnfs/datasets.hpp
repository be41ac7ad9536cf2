// nnfs/datasets.hpp — the nnfs package's data sets: spiral_data, vertical_data, sine_data.
//
// Python's `from nnfs.datasets import spiral_data` becomes `#include "nnfs/datasets.hpp"` and
// `nnfs::datasets::spiral_data<float>(100, 3)`. Each generator reproduces the package bit for
// bit (after nnfs::init(), with T = float) — see the individual headers for the arithmetic.
#pragma once

#include "nnfs/datasets/dataset.hpp"
#include "nnfs/datasets/sine.hpp"
#include "nnfs/datasets/spiral.hpp"
#include "nnfs/datasets/vertical.hpp"
