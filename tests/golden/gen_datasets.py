"""Golden data for nnfs::datasets (spiral_data, vertical_data, sine_data), computed with NumPy.

float32 files: the nnfs package after nnfs.init() (nnfs_book stands in for it), i.e. what the
book's programs get. float64 files: the same generators after np.random.seed(0) without
nnfs.init(), i.e. plain NumPy float64 -- what nnfs::datasets::*_data<double> reproduces.

Each spiral/vertical file holds, as whitespace-separated numbers:
  samples classes
  X            (samples*classes rows x 2, row-major)
  y            (samples*classes labels)
  next_randn   (the next 3 float64 draws of the generator after the call: they show that the
                C++ generator is left exactly where NumPy's is, including the cached normal)
float32 values are written with NumPy's shortest float32 repr (strtof reads them back exactly),
float64 values with Python's repr (strtod reads them back exactly).

sin and cos: on CPUs with AVX512_SKX, NumPy 1.24 evaluates float64 sin/cos with Intel's SVML
(up to 4 ulp from the C library's, which is what NumPy uses on every other CPU and what C++'s
std::sin/std::cos are). That changes float64 X in the last bits (the float32 book values are
identical either way: checked on spiral_data(10000, 3)). So that the float64 reference does
not depend on the machine that wrote it, this script runs NumPy with
NPY_DISABLE_CPU_FEATURES=AVX512_SKX, i.e. on its portable libm path.

Run: /usr/bin/python3 tests/golden/gen_datasets.py   (writes tests/data/datasets_*.txt)
"""
import os
import sys

import numpy as np
from numpy.core._multiarray_umath import __cpu_features__

if __cpu_features__.get("AVX512_SKX") and __name__ == "__main__":
    # Features are fixed when NumPy is imported: restart with SVML's dispatch target disabled.
    os.environ["NPY_DISABLE_CPU_FEATURES"] = "AVX512_SKX"
    os.execv(sys.executable, [sys.executable] + sys.argv)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnfs_book  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")

# (samples, classes) per generator and precision. The float32 (book) cases include the sizes
# the book uses (spiral 100x3, 100x2, 1000x3; vertical 100x3) and the degenerate ones (one
# sample: linspace gives its start; an odd number of draws leaves a normal in the cache).
# spiral 50x5: 49 * (1/49) != 1, so only NumPy's "last element is exactly stop" gives r = 1.
CASES = {
    ("spiral", "f32"): [(100, 3), (100, 2), (1000, 3), (50, 5), (1, 1), (2, 4), (3, 1)],
    ("spiral", "f64"): [(100, 3), (100, 2), (50, 5), (1, 1), (2, 4), (3, 1)],
    ("vertical", "f32"): [(100, 3), (100, 2), (37, 5), (1, 1), (2, 4), (3, 1)],
    ("vertical", "f64"): [(100, 3), (100, 2), (37, 5), (1, 1), (2, 4), (3, 1)],
}
SINE_SIZES = [1000, 7, 1]


def fmt(v):
    if isinstance(v, np.float32):
        return repr(v)  # shortest repr that round-trips as float32, e.g. 0.0029955569
    if isinstance(v, np.floating):
        return repr(float(v))
    return str(int(v))


def write(name, comments, values, per_line=8):
    with open(os.path.join(DATA, name), "w") as f:
        for c in comments:
            f.write("# " + c + "\n")
        f.write("# written by tests/golden/gen_datasets.py\n")
        for i in range(0, len(values), per_line):
            f.write(" ".join(fmt(v) for v in values[i:i + per_line]) + "\n")


def generate(kind, prec, samples, classes):
    gen = nnfs_book.spiral_data if kind == "spiral" else nnfs_book.vertical_data
    if prec == "f32":
        nnfs_book.init()
        X, y = gen(samples, classes)
        next_randn = nnfs_book._orig["randn"](3)  # float64 draws, not rounded by init()
        nnfs_book.uninit()
        assert X.dtype == np.float32
    else:
        nnfs_book.uninit()
        np.random.seed(0)
        X, y = gen(samples, classes)
        next_randn = np.random.randn(3)
        assert X.dtype == np.float64
    assert X.shape == (samples * classes, 2) and y.shape == (samples * classes,)
    assert next_randn.dtype == np.float64
    return X, y, next_randn


def main():
    os.makedirs(DATA, exist_ok=True)
    for (kind, prec), cases in CASES.items():
        mode = ("nnfs.init() (book: float32)" if prec == "f32"
                else "np.random.seed(0), no nnfs.init() (float64)")
        for samples, classes in cases:
            X, y, nxt = generate(kind, prec, samples, classes)
            values = [np.int64(samples), np.int64(classes)]
            values += list(X.reshape(-1)) + list(y) + list(nxt)
            write(f"datasets_{kind}_{prec}_{samples}x{classes}.txt",
                  [f"{kind}_data({samples}, {classes}) after {mode}",
                   "layout: samples classes, X row-major, y, next 3 float64 randn draws"],
                  values)

    # sine_data: no randomness, float64 (nnfs.init() does not change it).
    for samples in SINE_SIZES:
        X, y = nnfs_book.sine_data(samples) if samples != 1000 else nnfs_book.sine_data()
        assert X.dtype == np.float64 and y.dtype == np.float64 and X.shape == (samples, 1)
        values = [np.int64(samples)] + list(X.reshape(-1)) + list(y.reshape(-1))
        layout = "layout: samples, X, y"
        write(f"datasets_sine_{samples}.txt", [f"sine_data({samples}) (float64)", layout], values,
              per_line=4)


if __name__ == "__main__":
    main()
