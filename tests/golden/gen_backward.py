"""Golden data for every backward pass and loss, computed with NumPy.

The layers, activations and losses come from book_reference.py, our own NumPy implementation
of the book's semantics (Dense with L1/L2 regularization, Dropout, ReLU, Softmax with its
Jacobian backward, categorical cross-entropy alone and fused with softmax, Sigmoid, binary
cross-entropy, Linear, mean squared and mean absolute error). It performs the same NumPy
operations in the same order on the same dtypes as the book's programs, so the data carries
NumPy's dtype promotion and rounding exactly as those programs do. One deliberate deviation:
the mean-absolute-error gradient is written with the correct sign (see regression()).

Book files (*_book.txt): the program runs after nnfs.init() (nnfs_book stands in for the nnfs
package), i.e. float32 with the double-accumulated np.dot and correctly rounded exp/log.
Double files (*_double.txt): the same program in float64 after np.random.seed(0), without init().
Fixtures that are not drawn by the program itself (weights with exact zeros, logits, targets)
come from private RandomState generators, stored in float64 and rounded to float32 for the
book files.

File format (read by tests/test_data.hpp's read_arrays): per array a '# array NAME' line, then
'# shape d0 d1 dtype X', then the values, 8 per line. float32 values are written as NumPy's
shortest float32 repr; the script checks that strtod followed by a float cast (what the C++
reader does) gives the same float32 back. float64 values use Python's repr.

Run: /usr/bin/python3 tests/golden/gen_backward.py   (writes tests/data/backward_*.txt)
"""
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import book_reference as br  # noqa: E402
import nnfs_book  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")


# --------------------------------------------------------------------------------------------
# Writing

def fmt(v, dtype):
    if dtype == np.float32:
        s = str(v)  # NumPy's shortest repr of a float32
        back = np.float32(float(s))  # strtod, then a cast to float: the C++ reader's path
        assert back == v and np.signbit(back) == np.signbit(v), (s, v)
        return s
    if dtype.kind == "f":
        return repr(float(v))
    return str(int(v))


def write(name, comment, arrays):
    """arrays: list of (label, array)."""
    with open(os.path.join(DATA, name), "w") as f:
        f.write("# " + comment + "\n# written by tests/golden/gen_backward.py\n")
        for label, a in arrays:
            a = np.asarray(a)
            f.write(f"# array {label}\n")
            f.write("# shape " + " ".join(str(s) for s in a.shape) + " dtype " + str(a.dtype) + "\n")
            flat = a.reshape(-1)
            for i in range(0, flat.size, 8):
                f.write(" ".join(fmt(v, a.dtype) for v in flat[i:i + 8]) + "\n")


def check_dtype(arrays, dtype):
    for label, a in arrays:
        a = np.asarray(a)
        if a.dtype.kind == "f":
            assert a.dtype == dtype, (label, a.dtype, dtype)


# --------------------------------------------------------------------------------------------
# Programs. Each returns a list of (label, array); `f` is the float type of the run.

def chapter9(f, samples):
    """The book's chapter 9 program: forward, then the combined softmax+CCE backward through
    Dense-ReLU-Dense; plus the separate CCE.backward -> Softmax.backward (Jacobian) path.
    The book runs it on spiral(100, 3); the float64 file uses spiral(40, 3) to stay small."""
    X, y = nnfs_book.spiral_data(samples=samples, classes=3)
    dense1 = br.Dense(2, 3)
    activation1 = br.ReLU()
    dense2 = br.Dense(3, 3)
    loss_activation = br.SoftmaxCCE()
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)

    loss_function = br.CCE()
    loss_function.backward(loss_activation.output, y)
    activation = br.Softmax()
    activation.output = loss_activation.output
    activation.backward(loss_function.dinputs)

    # the combined backward with one-hot targets gives the same array
    onehot = br.SoftmaxCCE()
    onehot.backward(loss_activation.output, np.eye(3, dtype=np.uint8)[y])
    assert np.array_equal(onehot.dinputs, loss_activation.dinputs)

    return [("loss", np.asarray([loss], dtype=f)),
            ("combined.dinputs", loss_activation.dinputs),
            ("dense2.dweights", dense2.dweights),
            ("dense2.dbiases", dense2.dbiases),
            ("dense2.dinputs", dense2.dinputs),
            ("relu.dinputs", activation1.dinputs),
            ("dense1.dweights", dense1.dweights),
            ("dense1.dbiases", dense1.dbiases),
            ("dense1.dinputs", dense1.dinputs),
            ("cce.dinputs", loss_function.dinputs),
            ("softmax.dinputs", activation.dinputs)]


def book_walk_example():
    """The chapter 9 comparison of the combined and the separate backward on the 3x3 example
    (float64, as the plain arrays are)."""
    softmax_outputs = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    class_targets = np.array([0, 1, 1])
    softmax_loss = br.SoftmaxCCE()
    softmax_loss.backward(softmax_outputs, class_targets)
    activation = br.Softmax()
    activation.output = softmax_outputs
    loss = br.CCE()
    loss.backward(softmax_outputs, class_targets)
    activation.backward(loss.dinputs)
    return [("walk.combined.dinputs", softmax_loss.dinputs), ("walk.separate.dinputs", activation.dinputs)]


REG_CASES = [  # (weight_l1, weight_l2, bias_l1, bias_l2)
    (0, 0, 0, 0),
    (0.0123, 0, 0, 0),
    (0, 0.0045, 0, 0),
    (0, 0, 0.017, 0),
    (0, 0, 0, 0.0061),
    (0.0123, 0.0045, 0.017, 0.0061),
    (0, 5e-4, 0, 5e-4),  # the book's chapter 14-16 setting
]


def regularization(f):
    """Dense(10 -> 13) with given parameters (exact zeros, -0, mixed-sign nonzero biases) under
    each regularization setting: backward and the regularization loss (Dense.penalty)."""
    rs = np.random.RandomState(1414)
    W = rs.standard_normal((10, 13)) * 0.1
    W[0, 0] = 0.0
    W[3, 5] = 0.0
    W[7, 12] = -0.0
    W[9, 1] = 0.0
    b = rs.standard_normal((1, 13)) * 0.05
    b[0, 2] = 0.0
    b[0, 8] = -0.0
    X = rs.standard_normal((8, 10))
    dvalues = rs.standard_normal((8, 13)) * 0.01
    W, b, X, dvalues = (a.astype(f) for a in (W, b, X, dvalues))
    out = [("weights", W), ("biases", b), ("inputs", X), ("dvalues", dvalues)]
    # output and dinputs do not depend on the regularization: written once, checked every time
    for k, (wl1, wl2, bl1, bl2) in enumerate(REG_CASES):
        layer = br.Dense(1, 1, wl1, wl2, bl1, bl2)
        layer.weights = W.copy()
        layer.biases = b.copy()
        layer.forward(X)
        layer.backward(dvalues)
        reg = layer.penalty()
        assert isinstance(reg, (int, float, np.float64)), type(reg)
        if k == 0:
            out += [("output", layer.output), ("dinputs", layer.dinputs)]
        out += [(f"case{k}.dweights", layer.dweights),
                (f"case{k}.dbiases", layer.dbiases),
                (f"case{k}.regularization_loss", np.asarray([reg], dtype=np.float64))]
    return out


def binary(f):
    """Sigmoid forward/backward and BCE forward/mean/backward: k = 1 with uint8 targets
    reshaped to (-1, 1) (the book's chapter 16 shape), and k = 3 with float targets."""
    rs = np.random.RandomState(1616)
    out = []
    z1 = rs.standard_normal((150, 1)) * 3
    # saturation and clipping: sigmoid 1 (clipped to 1-1e-7), below 1e-7 (clipped up), exp
    # overflow (float32 only for -100, both types for -800), exactly 0.5
    z1[:6, 0] = [40.0, -40.0, -100.0, -800.0, 0.0, 16.5]
    y1 = (rs.random_sample(150) > 0.5).astype(np.uint8).reshape(-1, 1)
    z3 = rs.standard_normal((40, 3)) * 2
    z3[0] = [30.0, -30.0, 0.0]
    y3 = (rs.random_sample((40, 3)) > 0.5).astype(np.float64)
    y3[1] = [0.25, 0.5, 1.0]  # soft targets are allowed (any value in [0, 1])
    for name, z, y in (("k1", z1.astype(f), y1), ("k3", z3.astype(f), y3.astype(f))):
        sigmoid = br.Sigmoid()
        loss = br.BCE()
        with np.errstate(over="ignore"):
            sigmoid.forward(z)
        sample_losses = loss.sample_losses(sigmoid.output, y)
        data_loss = loss.calculate(sigmoid.output, y)
        loss.backward(sigmoid.output, y)
        sigmoid.backward(loss.dinputs)
        out += [(f"{name}.inputs", z), (f"{name}.targets", y), (f"{name}.sigmoid.output", sigmoid.output),
                (f"{name}.sample_losses", sample_losses), (f"{name}.loss", np.asarray([data_loss])),
                (f"{name}.bce.dinputs", loss.dinputs), (f"{name}.sigmoid.dinputs", sigmoid.dinputs)]
    return out


def chapter16(f):
    """The chapter 16 network's first step: spiral(100, 2), Dense(2, 64, L2 5e-4 on weights and
    biases)-ReLU-Dense(64, 1)-Sigmoid, BCE; forward, losses, then the whole backward pass."""
    X, y = nnfs_book.spiral_data(samples=100, classes=2)
    y = y.reshape(-1, 1)
    dense1 = br.Dense(2, 64, l2w=5e-4, l2b=5e-4)
    activation1 = br.ReLU()
    dense2 = br.Dense(64, 1)
    activation2 = br.Sigmoid()
    loss_function = br.BCE()
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    activation2.forward(dense2.output)
    sample_losses = loss_function.sample_losses(activation2.output, y)
    data_loss = loss_function.calculate(activation2.output, y)
    regularization_loss = dense1.penalty() + dense2.penalty()
    loss_function.backward(activation2.output, y)
    activation2.backward(loss_function.dinputs)
    dense2.backward(activation2.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    # (the per-element Sigmoid/BCE arrays are covered by binary(); these are the pass's results)
    return [("data_loss", np.asarray([data_loss])),
            ("regularization_loss", np.asarray([regularization_loss], dtype=np.float64)),
            ("sigmoid.dinputs", activation2.dinputs),
            ("dense2.dweights", dense2.dweights), ("dense2.dbiases", dense2.dbiases),
            ("dense1.dweights", dense1.dweights), ("dense1.dbiases", dense1.dbiases)]


def regression(f):
    """Linear forward/backward, MSE and MAE forward/mean/backward, N x 1 and N x 3, with targets
    of the same float type as the predictions (some equal to them: np.sign(0) = 0). For MAE the
    correctly signed dinputs, sign(p - t) / k / N, are written: what nnfs computes. The book's
    Loss_MeanAbsoluteError backward has sign(t - p), their negation, which is checked here
    (br.MAE(book_sign=True)) but not written."""
    rs = np.random.RandomState(1717)
    out = []
    for name, shape in (("k1", (150, 1)), ("k3", (40, 3))):
        pred = rs.standard_normal(shape)
        target = pred + rs.standard_normal(shape) * 0.3
        target.reshape(-1)[::9] = pred.reshape(-1)[::9]
        pred, target = pred.astype(f), target.astype(f)
        out += [(f"{name}.inputs", pred), (f"{name}.targets", target)]
        for lname, cls in (("mse", br.MSE), ("mae", br.MAE)):
            linear = br.Linear()
            linear.forward(pred)
            loss = cls()
            sample_losses = loss.sample_losses(linear.output, target)
            data_loss = loss.calculate(linear.output, target)
            loss.backward(linear.output, target)
            linear.backward(loss.dinputs)
            assert np.array_equal(linear.dinputs, loss.dinputs)
            out += [(f"{name}.{lname}.sample_losses", sample_losses), (f"{name}.{lname}.loss", np.asarray([data_loss]))]
            if lname == "mse":
                out += [(f"{name}.mse.dinputs", loss.dinputs)]
            else:  # the book's array negated (and np.sign(0) = +0 either way): only nnfs's is written
                book_signed = br.MAE(book_sign=True)
                book_signed.backward(linear.output, target)
                assert np.array_equal(loss.dinputs, -book_signed.dinputs)
                out += [(f"{name}.mae.dinputs_corrected", loss.dinputs)]
    return out


DROPOUT_CASES = [(0, 0.1), (1, 0.1), (42, 0.1), (7, 0.5), (3, 0.3), (5, 0.0)]  # (seed, rate)


def dropout():
    """Dropout masks after np.random.seed(s) and the generator's next normal; output and dinputs
    for float32 and float64 inputs. NumPy's mask is float64 (an int array divided by a Python
    float), so its output/dinputs for float32 inputs are float64 arrays: a float32 layer rounds
    them once (not x * float32(mask), which differs in about half of the elements)."""
    rs = np.random.RandomState(1515)
    x = rs.standard_normal((5, 7))
    x[0, 0] = -0.0
    x[1, 1] = 0.0
    dv = rs.standard_normal((5, 7)) * 0.1
    x32, dv32 = x.astype(np.float32), dv.astype(np.float32)
    out = [("x64", x), ("dvalues64", dv), ("x32", x32), ("dvalues32", dv32)]
    for seed, rate in DROPOUT_CASES:
        np.random.seed(seed)
        layer = br.Dropout(rate)
        layer.forward(x32)
        layer.backward(dv32)
        next_normal = np.random.randn()
        mask = layer.mask
        assert mask.dtype == np.float64 and layer.output.dtype == np.float64
        tag = f"s{seed}_r{rate}"
        assert np.all((mask == 0) | (mask == 1 / (1 - rate)))
        out += [(f"{tag}.mask", mask), (f"{tag}.next_randn", np.asarray([next_normal])),
                (f"{tag}.output_f32", layer.output), (f"{tag}.dinputs_f32", layer.dinputs)]
        np.random.seed(seed)
        layer64 = br.Dropout(rate)
        layer64.forward(x)
        layer64.backward(dv)
        assert np.array_equal(layer64.mask, mask)
        out += [(f"{tag}.output64", layer64.output), (f"{tag}.dinputs64", layer64.dinputs)]

    # The normal cache survives binomial draws: seed, one normal (its pair is cached), a mask,
    # then the cached normal and a fresh one.
    np.random.seed(0)
    first = np.random.randn()
    mask = np.random.binomial(1, 0.9, size=(5, 7)) / 0.9
    after = np.random.randn(2)
    out += [("cache.first", np.asarray([first])), ("cache.mask", mask), ("cache.after", after)]

    # Two forward passes draw two masks in a row; then a larger mask (120 x 64, rate 0.1),
    # stored as the flat indices of the dropped units.
    np.random.seed(0)
    layer = br.Dropout(0.1)
    layer.forward(x32)
    m1 = layer.mask
    layer.forward(x32)
    out += [("twice.mask1", m1), ("twice.mask2", layer.mask)]
    np.random.seed(0)
    big = np.random.binomial(1, 0.9, size=(120, 64)) / 0.9
    out += [("big.dropped", np.flatnonzero(big == 0).astype(np.int64)),
            ("big.next_randn", np.asarray([np.random.randn()]))]
    return out


def main():
    os.makedirs(DATA, exist_ok=True)
    warnings.simplefilter("error")  # no silent NumPy warnings except where expected

    programs = [("ch9", chapter9, "chapter 9 pass: spiral(100,3) (float64: spiral(40,3)) Dense(2,3) ReLU "
                                  "Dense(3,3) softmax+CCE, forward then backward; separate CCE->Softmax Jacobian path"),
                ("regularization", regularization, "Dense(10->13) backward and regularization_loss, "
                                                   "cases (wl1,wl2,bl1,bl2) = " + repr(REG_CASES)),
                ("bce", binary, "Sigmoid and BinaryCrossentropy, k=1 (uint8 targets) and k=3"),
                ("ch16", chapter16, "chapter 16 first step: spiral(100,2) Dense(2,64,L2) ReLU Dense(64,1) "
                                    "Sigmoid BCE, forward and backward"),
                ("regression", regression, "Linear, MeanSquaredError and MeanAbsoluteError, k=1 and k=3")]
    for name, program, comment in programs:
        nnfs_book.init()
        arrays = program(np.float32, 100) if name == "ch9" else program(np.float32)
        nnfs_book.uninit()
        check_dtype([a for a in arrays if not a[0].endswith("regularization_loss")], np.float32)
        write(f"backward_{name}_book.txt", "book mode (nnfs.init()): " + comment, arrays)

        np.random.seed(0)
        arrays = program(np.float64, 40) if name == "ch9" else program(np.float64)
        if name == "ch9":
            arrays += book_walk_example()
        check_dtype(arrays, np.float64)
        write(f"backward_{name}_double.txt", "float64 (np.random.seed(0), no nnfs.init()): " + comment, arrays)

    write("backward_dropout.txt", "Dropout masks, outputs and dinputs; cases (seed, rate) = " + repr(DROPOUT_CASES),
          dropout())


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main()
