"""Golden data for nnfs/metrics/accuracy.hpp (binary accuracy, regression precision and accuracy), from NumPy.

What the book computes (chapters 16, 17, 21):
  binary:      np.mean((output > 0.5) * 1 == y)
  precision:   np.std(y) / 250                         (population std)
  regression:  np.mean(np.absolute(predictions - y) < precision)

How NumPy 1.24 evaluates them (what the C++ reproduces, checked here with asserts):
  * np.std of a float32 array works in float32: pairwise sums with float32 accumulators (in blocks
    of 8192 elements, the iterator's buffer size), float32 divisions, float32 sqrt. For float64 and
    integer arrays everything is float64.
  * np.float32(std) / 250 is a float64 (scalar promotion), so the precision is always a float64.
  * |float32 - float32| < float64 scalar compares in float32: value-based casting rounds the
    precision to float32 first. The book's chapter 17 subtracts float64 targets (sine_data) from
    float32 outputs, so there it is a float64 comparison.

Files (each a sequence of '# shape ... dtype ...' arrays, read by nnfs_test::read_arrays):
  accuracy_precision.txt        per case: y, [np.std(y)] (y's float dtype), [np.std(y) / 250]
  accuracy_precision_large.txt  per case: [rows, cols], [np.std(y)], [np.std(y) / 250] for
                                y_i = ((i*7919) % 1009) / 1009 + 100 (float64, then cast), made in
                                the test itself; big enough that the 8192-element blocks matter
  accuracy_binary.txt           per case: outputs, y (0/1 ints), [accuracy]
  accuracy_regression.txt       per case: predictions, y, [precision], [accuracy]

Run: /usr/bin/python3 tests/golden/gen_accuracy.py   (writes tests/data/accuracy_*.txt)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnfs_book  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def write(name, comment, *arrays):
    with open(os.path.join(DATA, name), "w") as f:
        f.write("# " + comment + "\n# written by tests/golden/gen_accuracy.py\n")
        for a in arrays:
            a = np.asarray(a)
            f.write("# shape " + " ".join(str(s) for s in a.shape) + " dtype " + str(a.dtype) + "\n")
            flat = a.reshape(-1)
            for i in range(0, flat.size, 8):
                f.write(" ".join(repr(v.item()) if a.dtype.kind == "f" else str(int(v)) for v in flat[i:i + 8]) + "\n")


def pairwise(a):
    """NumPy's pairwise_sum over a whole 1-D array, with accumulators of a's dtype."""
    t = a.dtype.type
    n = len(a)
    if n < 8:
        r = t(0)
        for v in a:
            r = t(r + v)
        return r
    if n <= 128:
        r = [a[j] for j in range(8)]
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] = t(r[j] + a[i + j])
            i += 8
        res = t(t(t(r[0] + r[1]) + t(r[2] + r[3])) + t(t(r[4] + r[5]) + t(r[6] + r[7])))
        for v in a[i:]:
            res = t(res + v)
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return t(pairwise(a[:n2]) + pairwise(a[n2:]))


def blocked_sum(a, block=8192):
    t = a.dtype.type
    total = t(0)
    for s in range(0, len(a), block):
        total = t(total + pairwise(a[s:s + block]))
    return total


def emulated_std(y, blocked=True):
    """nnfs::numpy_std's algorithm, to check the description above against np.std."""
    s = blocked_sum if blocked else pairwise
    f = y.reshape(-1).astype(np.float32 if y.dtype == np.float32 else np.float64)
    t, n = f.dtype.type, f.size
    mean = t(float(s(f)) / n)
    d = (f - mean).astype(f.dtype)
    var = t(float(s((d * d).astype(f.dtype))) / n)
    return t(np.sqrt(var))


def check_std(y):
    sd = np.std(y)
    assert sd.dtype == (np.float32 if y.dtype == np.float32 else np.float64)
    assert sd == emulated_std(y), (y.shape, y.dtype)
    p = sd / 250
    assert isinstance(p, np.float64)
    return sd, p


def precision_cases():
    _, y = nnfs_book.sine_data()
    rng = np.random.default_rng(17)
    normal = rng.standard_normal((37, 3)) * 2.5 + 0.7
    return [
        ("sine_data() targets, float64 (the book's chapter 17)", y),
        ("sine_data() targets as float32", y.astype(np.float32)),
        ("normal 37x3 float32", normal.astype(np.float32)),
        ("normal 37x3 float64", normal),
        ("7x1 float32", (rng.standard_normal((7, 1)) * 0.01 - 3).astype(np.float32)),
        ("1x1 float64 (std 0)", np.array([[4.25]])),
        ("constant 0.3 float32 (std 0: the float32 mean is exactly 0.3f)", np.full((5, 1), 0.3, np.float32)),
        ("int64 5x2 (np.std works in float64)", np.array([[1, 2], [3, 4], [5, 6], [7, 8], [9, 100]])),
        ("200x1 float32 near 1000 (float32 accumulation differs from float64's, rounded)",
         (rng.standard_normal((200, 1)) * 0.05 + 1000).astype(np.float32)),
    ]


def large_y(rows, cols, dtype):
    i = np.arange(rows * cols, dtype=np.int64)
    y = (i * 7919 % 1009) / 1009.0 + 100.0
    return y.reshape(rows, cols).astype(dtype)


LARGE = [(24581, 1), (8200, 3), (20000, 1)]


def binary_cases():
    rng = np.random.default_rng(5)
    out = []
    for rows, cols, dtype in [(100, 1, np.float32), (40, 3, np.float64)]:
        o = rng.uniform(0, 1, (rows, cols)).astype(dtype)
        flat = o.reshape(-1)
        flat[::7] = 0.5                                     # ties: 0.5 > 0.5 is false -> 0
        flat[3::11] = np.nextafter(dtype(0.5), dtype(1))    # just above: 1
        flat[5::13] = np.nextafter(dtype(0.5), dtype(0))    # just below: 0
        y = rng.integers(0, 2, (rows, cols))
        y.reshape(-1)[::7] = rng.integers(0, 2, y.reshape(-1)[::7].size)
        acc = np.mean((o > 0.5) * 1 == y)
        out.append((f"outputs {rows}x{cols} {np.dtype(dtype).name}", o, y, acc))
    return out


def regression_cases():
    rng = np.random.default_rng(9)
    _, y64 = nnfs_book.sine_data()
    y32 = y64.astype(np.float32)
    cases = []

    def add(name, pred, y):
        precision = np.std(y) / 250
        acc = np.mean(np.absolute(pred - y) < precision)
        cases.append((name, pred, y, precision, acc))

    # Noise of a few precisions, plus points exactly at the threshold (in float32: fl32(precision)).
    for y, dtype in [(y32, np.float32), (y64, np.float64)]:
        p = np.std(y) / 250
        pred = (y + rng.standard_normal(y.shape) * 1.5 * p).astype(dtype)
        pt = dtype(p)
        for k, delta in enumerate([pt, -pt, np.nextafter(pt, dtype(0)), np.nextafter(pt, dtype(1))]):
            pred[k * 50 + 1, 0] = dtype(y[k * 50 + 1, 0] + delta)
        add(f"sine targets {np.dtype(dtype).name}, predictions {np.dtype(dtype).name}", pred, y)
    # The book's chapter 17: float32 outputs against float64 targets (compared in float64).
    pred = (y64 + rng.standard_normal(y64.shape) * 1.2 * (np.std(y64) / 250)).astype(np.float32)
    add("sine targets float64, predictions float32 (chapter 17)", pred, y64)
    # float32 data whose float64 precision (0.01) rounds *down* to float32 (0.0099999998): a
    # difference of exactly fl32(0.01) is right in float64 but wrong in float32, as NumPy does it.
    y = np.array([[0], [5], [0], [5], [0], [5]], np.float32)
    pred = np.array([[np.float32(0.01)], [5], [np.nextafter(np.float32(0.01), np.float32(0))], [5.5], [-0.02], [5]],
                    np.float32)
    add("y = 0/5 float32, precision 0.01 rounds down in float32", pred, y)
    assert cases[-1][4] == 0.5 and np.mean(np.absolute(pred.astype(np.float64) - y) < 0.01) == 4 / 6
    return cases


def main():
    nnfs_book.ensure_portable_numpy()  # sine_data's sin must be the C library's
    os.makedirs(DATA, exist_ok=True)

    arrays, names = [], []
    for name, y in precision_cases():
        sd, p = check_std(y)
        arrays += [y, np.array([sd]), np.array([p])]
        names.append(name)
    y = precision_cases()[-1][1]
    assert np.std(y) != np.float32(np.std(y.astype(np.float64))), "the last case must show float32 arithmetic"
    write("accuracy_precision.txt", "np.std(y) and np.std(y)/250; cases: " + "; ".join(names), *arrays)

    arrays, discriminating = [], False
    for rows, cols in LARGE:
        for dtype in (np.float32, np.float64):
            y = large_y(rows, cols, dtype)
            sd, p = check_std(y)
            discriminating |= emulated_std(y, blocked=False) != sd
            arrays += [np.array([rows, cols]), np.array([sd]), np.array([p])]
    assert discriminating, "no large case tells 8192-element blocks from a plain pairwise sum"
    write("accuracy_precision_large.txt",
          "np.std(y), np.std(y)/250 of y_i = ((i*7919) % 1009)/1009 + 100; per (rows, cols) in "
          + str(LARGE) + ": float32 then float64", *arrays)

    arrays = []
    for _, o, y, acc in binary_cases():
        arrays += [o, y, np.array([acc])]
    write("accuracy_binary.txt", "np.mean((outputs > 0.5) * 1 == y); cases: "
          + "; ".join(c[0] for c in binary_cases()), *arrays)

    arrays = []
    for _, pred, y, p, acc in regression_cases():
        arrays += [pred, y, np.array([p]), np.array([acc])]
    write("accuracy_regression.txt", "np.mean(np.absolute(pred - y) < np.std(y)/250); cases: "
          + "; ".join(c[0] for c in regression_cases()), *arrays)


if __name__ == "__main__":
    main()
