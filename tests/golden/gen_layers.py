"""Golden data for the forward-pass building blocks (Dense, ReLU, Softmax, CCE, accuracy) and
for the book-mode kernels (pairwise sums, means), computed with NumPy.

Book mode: the book's chapter 3-5 program after nnfs.init() (nnfs_book stands in for the nnfs
package). Double: the same program in float64 after np.random.seed(0), as Python runs it
without nnfs.init().

Run: /usr/bin/python3 tests/golden/gen_layers.py   (writes tests/data/layers_*.txt, kernels_*.txt)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnfs_book  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


def write(name, comment, *arrays):
    with open(os.path.join(DATA, name), "w") as f:
        f.write("# " + comment + "\n# written by tests/golden/gen_layers.py\n")
        for a in arrays:
            a = np.asarray(a)
            f.write("# shape " + " ".join(str(s) for s in a.shape) + " dtype " + str(a.dtype) + "\n")
            flat = a.reshape(-1)
            for i in range(0, flat.size, 8):
                f.write(" ".join(repr(v.item()) if a.dtype.kind == "f" else str(int(v)) for v in flat[i:i + 8]) + "\n")


def forward_program(samples, classes, neurons):
    """Chapter 5's full forward pass: spiral -> Dense(2,n) -> ReLU -> Dense(n,classes) -> Softmax -> CCE."""
    X, y = nnfs_book.spiral_data(samples, classes)
    W1 = 0.01 * np.random.randn(2, neurons)
    b1 = np.zeros((1, neurons))
    W2 = 0.01 * np.random.randn(neurons, classes)
    b2 = np.zeros((1, classes))
    out1 = np.dot(X, W1) + b1
    relu = np.maximum(0, out1)
    out2 = np.dot(relu, W2) + b2
    exp_values = np.exp(out2 - np.max(out2, axis=1, keepdims=True))
    probs = exp_values / np.sum(exp_values, axis=1, keepdims=True)
    clipped = np.clip(probs, 1e-7, 1 - 1e-7)
    sample_losses = -np.log(clipped[range(len(probs)), y])
    loss = np.mean(sample_losses)
    acc = np.mean(np.argmax(probs, axis=1) == y)
    return dict(X=X, y=y, W1=W1, out1=out1, relu=relu, W2=W2, out2=out2, probs=probs,
                sample_losses=sample_losses, loss=np.asarray([loss]), acc=np.asarray([acc]))


def main():
    os.makedirs(DATA, exist_ok=True)
    keys = ["W1", "out1", "relu", "W2", "out2", "probs", "sample_losses", "loss", "acc"]
    for (samples, classes, neurons) in [(100, 3, 3), (100, 5, 5), (50, 4, 7)]:
        nnfs_book.init()
        r = forward_program(samples, classes, neurons)
        nnfs_book.uninit()
        assert r["out1"].dtype == np.float32 and r["probs"].dtype == np.float32 and r["loss"].dtype == np.float32
        write(f"layers_book_{samples}_{classes}_{neurons}.txt",
              f"book mode (nnfs.init()) forward pass spiral({samples},{classes}), {neurons} neurons: " + ", ".join(keys),
              *[r[k] for k in keys])
        np.random.seed(0)
        r = forward_program(samples, classes, neurons)
        assert r["out1"].dtype == np.float64
        write(f"layers_double_{samples}_{classes}_{neurons}.txt",
              f"float64 forward pass (np.random.seed(0), no nnfs.init()) spiral({samples},{classes}), {neurons} neurons: "
              + ", ".join(keys), *[r[k] for k in keys])

    # Softmax of the walk's example scores (float64, as the plain-Python example computes it).
    inputs = np.array([[1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]])
    e = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
    write("layers_softmax_walk.txt", "softmax of [[1,2,3,2.5],[2,5,-1,2],[-1.5,2.7,3.3,-0.8]] in float64; row sums",
          e / np.sum(e, axis=1, keepdims=True), np.sum(e / np.sum(e, axis=1, keepdims=True), axis=1))
    # ...and in float32 with the book's rounding (correctly rounded exp).
    nnfs_book.init()
    x32 = inputs.astype(np.float32)
    e32 = np.exp(x32 - np.max(x32, axis=1, keepdims=True))
    p32 = e32 / np.sum(e32, axis=1, keepdims=True)
    nnfs_book.uninit()
    assert p32.dtype == np.float32
    write("layers_softmax_walk_f32.txt", "softmax of the same scores in float32, book rounding", p32)

    # Categorical cross-entropy examples (float64): the book's with class indices, the walk's
    # with one-hot targets.
    book_pred = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    book_idx = np.array([0, 1, 1])
    walk_pred = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.0, 0.98]])
    walk_onehot = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])

    def cce(pred, target):
        c = np.clip(pred, 1e-7, 1 - 1e-7)
        if target.ndim == 1:
            conf = c[range(len(c)), target]
        else:
            conf = np.sum(c * target, axis=1)
        return -np.log(conf)

    write("layers_cce_examples.txt",
          "CCE: book example sample losses + mean; walk one-hot example sample losses + mean; "
          "walk example with class indices [0,1,2]",
          cce(book_pred, book_idx), [np.mean(cce(book_pred, book_idx))],
          cce(walk_pred, walk_onehot), [np.mean(cce(walk_pred, walk_onehot))],
          [np.mean(cce(walk_pred, np.array([0, 1, 2])))])

    # Book-mode kernels: NumPy's float32 pairwise sum and mean for many lengths.
    rs = np.random.RandomState(7)
    lengths = [1, 2, 7, 8, 9, 15, 16, 17, 100, 127, 128, 129, 130, 255, 256, 257, 300, 1000, 1001, 4097, 8192, 12000]
    with open(os.path.join(DATA, "kernels_pairwise.txt"), "w") as f:
        f.write("# float32 np.sum and np.mean of random arrays: per case 'n', n values, sum, mean\n")
        f.write("# written by tests/golden/gen_layers.py\n")
        for n in lengths:
            a = (rs.standard_normal(n) * 10.0 ** rs.randint(-3, 4, size=n)).astype(np.float32)
            # str() of a float32 is its shortest round-trip repr: strtof reads it back exactly
            f.write(f"{n}\n" + " ".join(str(v) for v in a) + "\n")
            f.write(str(np.sum(a)) + " " + str(np.mean(a)) + "\n")
    # Row sums (last axis) of a float32 matrix with 150 columns (pairwise with recursion).
    m = rs.standard_normal((5, 150)).astype(np.float32)
    write("kernels_rowsums.txt", "a 5x150 float32 matrix and np.sum(m, axis=1)", m, np.sum(m, axis=1))
    # Column sums (axis 0): row by row for several columns, pairwise for a single column.
    arrays = []
    for shape in [(200, 1), (1000, 1), (17, 1), (200, 2), (300, 3), (129, 5)]:
        a = (rs.standard_normal(shape) * 10.0 ** rs.randint(-3, 3, size=shape)).astype(np.float32)
        arrays += [a, np.sum(a, axis=0, keepdims=True)]
    write("kernels_colsums.txt", "float32 matrices and np.sum(m, axis=0, keepdims=True), in pairs", *arrays)


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main()
