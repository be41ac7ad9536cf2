// 07 — The spiral dataset (book chapter 3), and a picture of it.
//
// spiral_data(samples, classes) draws `classes` interleaved spiral arms of `samples` points
// each: no straight line separates them, which is why the network will need hidden layers and a
// non-linearity. The scatter plot, coloured by class with matplotlib's 'brg' colours as the
// walk does with plt.scatter(X[:,0], X[:,1], c=y, cmap='brg'), is written as an SVG file.
//
// usage: 07_spiral_dataset [samples=100] [classes=3] [output=spiral_data.svg]
//        (the walk's figure: 07_spiral_dataset 320 5)
#include "example_args.hpp"
#include "example_main.hpp"

#include <nnfs/datasets.hpp>
#include <nnfs/init.hpp>
#include <nnfs/plot/plot.hpp>
#include <nnfs/print/print.hpp>

#include <fmt/core.h>

#include <exception>

namespace {

int run(int argc, char** argv) {
  const long samples = example::positive_arg(argc, argv, 1, 100, "samples");
  const long classes = example::positive_arg(argc, argv, 2, 3, "classes");
  const std::string path = example::string_arg(argc, argv, 3, "spiral_data.svg");
  try {
    nnfs::init();
    const auto [X, y] = nnfs::datasets::spiral_data<float>(samples, classes);
    fmt::print("X: ({}, {}) float32  y: ({},)\n", X.rows(), X.cols(), y.size());
    fmt::print("{}\n", nnfs::np(X.topRows(5)));
    fmt::print("{}\n", nnfs::np(y));

    nnfs::plot::ScatterOptions options;
    options.title = fmt::format("spiral_data(samples={}, classes={})", samples, classes);
    nnfs::plot::scatter_svg(path, X, y, options);
    fmt::print("wrote {} ({} points, {} classes)\n", path, X.rows(), classes);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
