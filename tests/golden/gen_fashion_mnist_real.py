#!/usr/bin/python3
"""Expected output of the book's chapter 19 program on the real Fashion-MNIST, from NumPy.

The book's program (chapter 19, final form):

    nnfs.init()
    X, y, X_test, y_test = create_data_mnist('fashion_mnist_images')
    keys = np.array(range(X.shape[0])); np.random.shuffle(keys); X = X[keys]; y = y[keys]
    X = (X.reshape(X.shape[0], -1).astype(np.float32) - 127.5) / 127.5   (and X_test)
    784-128-128-10 (ReLU, ReLU, softmax), categorical cross-entropy,
    Adam(learning_rate=0.001, decay=1e-3), categorical accuracy
    model.train(X, y, validation_data=(X_test, y_test), epochs=10, batch_size=128, print_every=100)

run with gen_model.py's NumPy Model (the book's Model class, chapter 22 form) under
nnfs_book.init(), on the four IDX files of Debian's dataset-fashion-mnist package (or of
https://github.com/zalandoresearch/fashion-mnist), read with gzip + NumPy. The images are taken
in IDX file order (the book's PNG folders list them by label instead, so the shuffle would
permute a different order: the golden lines hold for the IDX files only).

Writes tests/data/training/20_fashion_mnist_real.txt (the training lines, not the data):
CTest's example.20_fashion_mnist_real (label fashion_mnist_real) runs examples/20_fashion_mnist
on the same files and compares (examples/check_fashion_mnist_real.cmake).

With --drift, instead runs the same program with NumPy's own float32 np.dot (BLAS order, no
float64 accumulation) and compares it with the committed lines: how far last-bit differences in
the products move the end of the run (the band the CTest test allows; docs/fashion-mnist.md).

Run: /usr/bin/python3 tests/golden/gen_fashion_mnist_real.py [--drift] [idx_dir]
     (idx_dir defaults to /usr/share/datasets/fashion-mnist; a few minutes per run)
"""
import contextlib
import gzip
import io
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import book_reference as br  # noqa: E402
import nnfs_book  # noqa: E402
from gen_model import Accuracy, Loss, Model  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "training")
DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    """An IDX file of unsigned bytes (gzip'd or not) as a NumPy array of its sizes."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{os.path.join(directory, stem)}[.gz] not found")


def create_data_mnist(directory):
    """The book's create_data_mnist, from the IDX files: uint8 images and labels."""
    X = read_idx(find(directory, "train-images-idx3-ubyte"))
    y = read_idx(find(directory, "train-labels-idx1-ubyte"))
    X_test = read_idx(find(directory, "t10k-images-idx3-ubyte"))
    y_test = read_idx(find(directory, "t10k-labels-idx1-ubyte"))
    return X, y, X_test, y_test


def chapter19(directory, epochs=10):
    X, y, X_test, y_test = create_data_mnist(directory)
    keys = np.array(range(X.shape[0]))
    np.random.shuffle(keys)
    X = X[keys]
    y = y[keys]
    X = (X.reshape(X.shape[0], -1).astype(np.float32) - 127.5) / 127.5
    X_test = (X_test.reshape(X_test.shape[0], -1).astype(np.float32) - 127.5) / 127.5

    model = Model()
    model.add(br.Dense(X.shape[1], 128))
    model.add(br.ReLU())
    model.add(br.Dense(128, 128))
    model.add(br.ReLU())
    model.add(br.Dense(128, 10))
    model.add(br.Softmax())
    model.set(Loss("cce"), br.Adam(learning_rate=0.001, decay=1e-3), Accuracy("categorical"))
    model.finalize()
    model.train(X, y, validation_data=(X_test, y_test), epochs=epochs, batch_size=128, print_every=100)


def run(directory, dot_precision_workaround):
    start = time.time()
    nnfs_book.init(dot_precision_workaround=dot_precision_workaround)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        chapter19(directory)
    nnfs_book.uninit()
    return buf.getvalue(), time.time() - start


def main(args):
    drift = "--drift" in args
    args = [a for a in args if a != "--drift"]
    directory = args[0] if args else DEFAULT_DIR
    path = os.path.join(OUT, "20_fashion_mnist_real.txt")
    if drift:
        with open(path) as f:
            golden = f.read().splitlines()
        other, seconds = run(directory, dot_precision_workaround=False)
        other = other.splitlines()
        same = next((i for i, (p, q) in enumerate(zip(golden, other)) if p != q), len(golden))
        print(f"float32 np.dot run ({seconds:.1f} s): its first {same} lines are {path}'s; it ends with")
        print("\n".join(other[-2:]))
        print(f"where {path} ends with")
        print("\n".join(golden[-2:]))
        return
    text, seconds = run(directory, dot_precision_workaround=True)
    with open(path, "w") as f:
        f.write(text)
    print(f"wrote {path}: {seconds:.1f} s", file=sys.stderr)
    print("".join(text.splitlines(keepends=True)[-2:]), end="", file=sys.stderr)


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main(sys.argv[1:])
