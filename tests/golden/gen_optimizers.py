"""Golden data for the optimizers (book chapter 10): the book's optimizer classes as
book_reference.py implements them in NumPy (the same operations in the same order on the same
dtypes), run on two small dense layers that are updated in the same training step.

Book mode: float32 layers after nnfs.init() (nnfs_book stands in for the nnfs package). NumPy
1.24 then computes every update in float32, each Python-float hyper-parameter rounded to float32
first. Double: the same program in float64, as Python runs it without nnfs.init().

Every configuration takes 25 steps. The gradients are drawn per step from a fixed RandomState
(mixed magnitudes, about a fifth of them exactly zero, as after a ReLU) and set directly, as
backward() would. Each file holds, as '# shape' arrays:
    W_a, b_a, W_b, b_b                                  initial parameters (4x3, 1x3, 3x2, 1x2)
    then per step: dW_a, db_a, dW_b, db_b,              the gradients fed to this step
                   lr,                                  current_learning_rate used (float64, shape 1)
                   W_a, b_a, W_b, b_b                   the parameters after the step

Run: /usr/bin/python3 tests/golden/gen_optimizers.py   (writes tests/data/optimizers_*.txt)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import book_reference as br  # noqa: E402
import nnfs_book  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
STEPS = 25


def write(name, comment, *arrays):
    with open(os.path.join(DATA, name), "w") as f:
        f.write("# " + comment + "\n# written by tests/golden/gen_optimizers.py\n")
        for a in arrays:
            a = np.asarray(a)
            f.write("# shape " + " ".join(str(s) for s in a.shape) + " dtype " + str(a.dtype) + "\n")
            flat = a.reshape(-1)
            for i in range(0, flat.size, 8):
                f.write(" ".join(repr(v.item()) if a.dtype.kind == "f" else str(int(v)) for v in flat[i:i + 8]) + "\n")


# ---- The optimizers: book_reference.py, our NumPy implementation of the book's classes ---------

SGD = br.SGD
Adagrad = br.Adagrad
RMSprop = br.RMSprop
Adam = br.Adam


# ---- The runs -------------------------------------------------------------------------------------

class Layer:
    """What the optimizers touch of a Layer_Dense: weights, biases and their gradients."""

    def __init__(self, weights, biases):
        self.weights = weights
        self.biases = biases


# (file tag, description, factory). The tags are the names test_optimizers.cpp looks for.
CONFIGS = [
    ("sgd", "SGD()", lambda: SGD()),
    ("sgd_decay", "SGD(decay=0.1)", lambda: SGD(decay=0.1)),
    ("sgd_momentum", "SGD(learning_rate=0.5, momentum=0.9)", lambda: SGD(learning_rate=0.5, momentum=0.9)),
    ("sgd_decay_momentum", "SGD(decay=1e-3, momentum=0.9) (chapter 10)",
     lambda: SGD(decay=1e-3, momentum=0.9)),
    ("adagrad", "Adagrad(decay=1e-4) (chapter 10)", lambda: Adagrad(decay=1e-4)),
    ("rmsprop", "RMSprop()", lambda: RMSprop()),
    ("rmsprop_book", "RMSprop(learning_rate=0.02, decay=1e-5, rho=0.999) (chapter 10)",
     lambda: RMSprop(learning_rate=0.02, decay=1e-5, rho=0.999)),
    ("adam", "Adam()", lambda: Adam()),
    ("adam_book", "Adam(learning_rate=0.05, decay=5e-7) (chapters 10-11)",
     lambda: Adam(learning_rate=0.05, decay=5e-7)),
    ("adam_fast_decay", "Adam(learning_rate=0.02, decay=0.05, epsilon=1e-3, beta_1=0.8, beta_2=0.99)",
     lambda: Adam(learning_rate=0.02, decay=0.05, epsilon=1e-3, beta_1=0.8, beta_2=0.99)),
]


def gradient(rs, shape, dtype):
    g = rs.standard_normal(shape) * 10.0 ** rs.randint(-3, 2)
    g[rs.random_sample(shape) < 0.2] = 0.0
    return g.astype(dtype)


def run(make_optimizer, dtype, seed):
    rs = np.random.RandomState(seed)
    a = Layer((0.1 * rs.standard_normal((4, 3))).astype(dtype), np.zeros((1, 3), dtype=dtype))
    b = Layer((0.1 * rs.standard_normal((3, 2))).astype(dtype), np.zeros((1, 2), dtype=dtype))
    arrays = [a.weights.copy(), a.biases.copy(), b.weights.copy(), b.biases.copy()]
    optimizer = make_optimizer()
    for _ in range(STEPS):
        for layer in (a, b):
            layer.dweights = gradient(rs, layer.weights.shape, dtype)
            layer.dbiases = gradient(rs, layer.biases.shape, dtype)
        arrays += [a.dweights, a.dbiases, b.dweights, b.dbiases]
        # One training step: both layers between one pre_update and one post_update, as the
        # book's training loop does.
        optimizer.pre_update_params()
        optimizer.update_params(a)
        optimizer.update_params(b)
        optimizer.post_update_params()
        for layer in (a, b):
            assert layer.weights.dtype == dtype and layer.biases.dtype == dtype
        arrays += [np.array([optimizer.current_learning_rate], dtype=np.float64),
                   a.weights.copy(), a.biases.copy(), b.weights.copy(), b.biases.copy()]
    assert optimizer.iterations == STEPS
    return arrays


def check_book_learning_rates():
    """The learning rates the book prints at epoch 10000: current_learning_rate after the
    pre_update of the 10000th step (iterations == 9999 then). Also asserted in the C++ tests."""
    expected = [((0.05, 5e-7), 0.04975126853296942), ((0.02, 5e-7), 0.019900507413187767),
                ((0.05, 5e-5), 0.03333444448148271), ((0.001, 5e-7), 0.0009950253706593885),
                ((0.005, 1e-3), 0.00045458678061641964)]
    for (lr, decay), printed in expected:
        optimizer = Adam(learning_rate=lr, decay=decay)
        for _ in range(9999):
            optimizer.pre_update_params()
            optimizer.post_update_params()
        optimizer.pre_update_params()
        assert optimizer.current_learning_rate == printed, (lr, decay, optimizer.current_learning_rate)


def main():
    os.makedirs(DATA, exist_ok=True)
    check_book_learning_rates()
    for seed, (tag, description, make) in enumerate(CONFIGS):
        nnfs_book.init()
        arrays = run(make, np.float32, seed)
        nnfs_book.uninit()
        write(f"optimizers_f32_{tag}.txt",
              f"book mode (nnfs.init(), float32): {description}, two layers per step, {STEPS} steps: "
              "W_a b_a W_b b_b, then per step dW_a db_a dW_b db_b lr W_a b_a W_b b_b", *arrays)
        arrays = run(make, np.float64, seed)
        write(f"optimizers_f64_{tag}.txt",
              f"float64 (no nnfs.init()): {description}, two layers per step, {STEPS} steps: "
              "W_a b_a W_b b_b, then per step dW_a db_a dW_b db_b lr W_a b_a W_b b_b", *arrays)


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main()
