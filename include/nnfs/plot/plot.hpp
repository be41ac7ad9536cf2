// nnfs/plot/plot.hpp — the pictures a learner wants to look at, as self-contained SVG files:
// a scatter plot of 2-D data, the decision regions of a trained classifier, training curves.
//
// The book looks at its data with matplotlib:
//     plt.scatter(X[:, 0], X[:, 1], c=y, cmap='brg'); plt.show()
// The C++ counterpart writes an SVG (any browser shows it, no plotting library needed):
//     nnfs::plot::scatter_svg("spiral.svg", X, y, {.title = "spiral_data(100, 3)"});   // C++20
//     nnfs::plot::ScatterOptions opt; opt.title = "spiral_data(100, 3)";               // C++17
//     nnfs::plot::scatter_svg("spiral.svg", X, y, opt);
// Colours follow matplotlib: with labels, class c of k is brg(c / (k − 1)) — the same colours
// as `c=y, cmap='brg'` when the labels run 0..k−1 — and without labels every point is
// matplotlib's default blue (C0). Axis limits are the data range plus matplotlib's 5% margins,
// with "nice" ticks (steps of 1, 2, 2.5 or 5 × 10^n, as matplotlib's MaxNLocator picks).
//
// What a trained network makes of the plane (matplotlib: contourf of its predictions over a
// mesh grid with alpha=0.3, the scatter on top):
//     nnfs::plot::decision_regions_svg("regions.svg",
//         [&](const nnfs::Matrix<float>& P) { return scores_of(P); }, X, y);
// classify runs once, on every grid point as one batch, and returns labels or scores.
//
// Loss, accuracy and learning rate per epoch, from a History (Keras's history.history):
//     nnfs::plot::training_curves_svg("curves.svg", history);
//
// The output depends only on the inputs (no dates, no locale), so it can be compared or diffed.
//
// One header per kind of plot (nnfs/plot/scatter.hpp, decision_regions.hpp, training_curves.hpp),
// all built on nnfs/plot/svg.hpp; this header includes them all.
#pragma once

#include "nnfs/plot/decision_regions.hpp"  // IWYU pragma: export
#include "nnfs/plot/scatter.hpp"           // IWYU pragma: export
#include "nnfs/plot/svg.hpp"               // IWYU pragma: export
#include "nnfs/plot/training_curves.hpp"   // IWYU pragma: export
