"""Reference implementation of the book's layers, losses and optimizers in NumPy.

Written for this project (not copied from the book's code), it performs the same NumPy
operations in the same order on the same dtypes as the book's classes, so that under
nnfs_book.init() it prints what the book's programs print. The training, optimizer and
backward-pass golden data (gen_training.py, gen_optimizers.py, gen_backward.py) are produced
with it; the C++ library is checked against that data.

Every np.* function is looked up when it is called, so nnfs_book.init()'s float32 replacements
(np.dot, np.random.randn, np.zeros, np.eye, np.exp, np.log) take effect here.
"""
import numpy as np


class Dense:
    def __init__(self, n_in, n_out, l1w=0.0, l2w=0.0, l1b=0.0, l2b=0.0, scale=0.01):
        self.weights = scale * np.random.randn(n_in, n_out)
        self.biases = np.zeros((1, n_out))
        self.l1w, self.l2w, self.l1b, self.l2b = l1w, l2w, l1b, l2b

    def forward(self, x):
        self.inputs = x
        self.output = np.dot(x, self.weights) + self.biases

    def backward(self, d):
        self.dweights = np.dot(self.inputs.T, d)
        self.dbiases = np.sum(d, axis=0, keepdims=True)
        if self.l1w > 0:
            sign = np.ones_like(self.weights)
            sign[self.weights < 0] = -1
            self.dweights += self.l1w * sign
        if self.l2w > 0:
            self.dweights += 2 * self.l2w * self.weights
        if self.l1b > 0:
            sign = np.ones_like(self.biases)
            sign[self.biases < 0] = -1
            self.dbiases += self.l1b * sign
        if self.l2b > 0:
            self.dbiases += 2 * self.l2b * self.biases
        self.dinputs = np.dot(d, self.weights.T)

    def penalty(self):
        total = 0
        if self.l1w > 0:
            total += self.l1w * np.sum(np.abs(self.weights))
        if self.l2w > 0:
            total += self.l2w * np.sum(self.weights * self.weights)
        if self.l1b > 0:
            total += self.l1b * np.sum(np.abs(self.biases))
        if self.l2b > 0:
            total += self.l2b * np.sum(self.biases * self.biases)
        return total


class Dropout:
    """The mask is float64 (an int array divided by a Python float), so NumPy promotes the
    output and the gradient to float64. With store_dtype set, they are rounded once to that
    dtype instead -- what a library storing float32 does (see gen_training.py, 16_dropout)."""

    def __init__(self, rate, store_dtype=None):
        self.keep = 1 - rate
        self.store_dtype = store_dtype

    def forward(self, x):
        self.mask = np.random.binomial(1, self.keep, size=x.shape) / self.keep
        self.output = self._store(x * self.mask)

    def backward(self, d):
        self.dinputs = self._store(d * self.mask)

    def _store(self, a):
        return a.astype(self.store_dtype) if self.store_dtype else a


class ReLU:
    def forward(self, x):
        self.inputs = x
        self.output = np.maximum(0, x)

    def backward(self, d):
        self.dinputs = d.copy()
        self.dinputs[self.inputs <= 0] = 0


class Softmax:
    def forward(self, x):
        e = np.exp(x - np.max(x, axis=1, keepdims=True))
        self.output = e / np.sum(e, axis=1, keepdims=True)

    def backward(self, d):
        """Full Jacobian, one sample at a time: J = diag(s) - s s^T for the sample's output
        column s, and the sample's gradient is J times its incoming gradient row. Uses
        self.output, which may be set directly instead of calling forward()."""
        self.dinputs = np.empty_like(d)
        for i, d_row in enumerate(d):
            s = self.output[i].reshape(-1, 1)
            jac = np.diagflat(s) - np.dot(s, s.T)
            self.dinputs[i] = np.dot(jac, d_row)


class Sigmoid:
    def forward(self, x):
        self.output = 1 / (1 + np.exp(-x))

    def backward(self, d):
        self.dinputs = d * (1 - self.output) * self.output


class Linear:
    def forward(self, x):
        self.output = x

    def backward(self, d):
        self.dinputs = d.copy()


def cce_sample_losses(p, y):
    c = np.clip(p, 1e-7, 1 - 1e-7)
    if y.ndim == 1:
        conf = c[range(len(c)), y]
    else:
        conf = np.sum(c * y, axis=1)
    return -np.log(conf)


class CCE:
    """Categorical cross-entropy as a loss of its own (not fused with softmax). Targets are
    class indices (1-D) or one-hot rows (2-D); indices are expanded with np.eye, whose dtype is
    float32 under nnfs_book.init() and float64 otherwise."""

    def sample_losses(self, p, y):
        return cce_sample_losses(p, y)

    def calculate(self, p, y):
        return np.mean(cce_sample_losses(p, y))

    def backward(self, d, y):
        n, k = d.shape
        target = np.eye(k)[y] if y.ndim == 1 else y
        self.dinputs = -target / d
        self.dinputs = self.dinputs / n


class SoftmaxCCE:
    def __init__(self):
        self.softmax = Softmax()

    def forward(self, x, y):
        self.softmax.forward(x)
        self.output = self.softmax.output
        return np.mean(cce_sample_losses(self.output, y))

    def backward(self, d, y):
        n = len(d)
        if y.ndim == 2:  # one-hot rows: back to class indices
            y = np.argmax(y, axis=1)
        self.dinputs = d.copy()
        self.dinputs[range(n), y] -= 1
        self.dinputs = self.dinputs / n


class BCE:
    def sample_losses(self, p, y):
        """Per sample: the mean over the k outputs of the elementwise binary cross-entropy."""
        c = np.clip(p, 1e-7, 1 - 1e-7)
        per = -(y * np.log(c) + (1 - y) * np.log(1 - c))
        return np.mean(per, axis=-1)

    def calculate(self, p, y):
        return np.mean(self.sample_losses(p, y))

    def backward(self, d, y):
        n, k = d.shape
        c = np.clip(d, 1e-7, 1 - 1e-7)
        self.dinputs = -(y / c - (1 - y) / (1 - c)) / k
        self.dinputs = self.dinputs / n


class MSE:
    def sample_losses(self, p, y):
        return np.mean((y - p) ** 2, axis=-1)

    def calculate(self, p, y):
        return np.mean(self.sample_losses(p, y))

    def backward(self, d, y):
        n, k = d.shape
        self.dinputs = -2 * (y - d) / k
        self.dinputs = self.dinputs / n


class MAE:
    """Mean absolute error. backward() gives the true derivative of |t - p| with respect to p,
    sign(p - t) / k / n, which is what nnfs implements (include/nnfs/losses/mean_absolute_error.hpp).
    The book's mean-absolute-error backward uses sign(t - p), the negation; book_sign=True
    produces that array (same rounding: np.sign(0) is +0 either way), for comparison only."""

    def __init__(self, book_sign=False):
        self.book_sign = book_sign

    def sample_losses(self, p, y):
        return np.mean(np.abs(y - p), axis=-1)

    def calculate(self, p, y):
        return np.mean(self.sample_losses(p, y))

    def backward(self, d, y):
        n, k = d.shape
        diff = (y - d) if self.book_sign else (d - y)
        self.dinputs = np.sign(diff) / k
        self.dinputs = self.dinputs / n


class Optimizer:
    def __init__(self, learning_rate, decay):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0

    def pre(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1. / (1. + self.decay * self.iterations))

    def post(self):
        self.iterations += 1

    def step(self, *layers):
        self.pre()
        for layer in layers:
            self.update(layer)
        self.post()

    # the book's method names
    def pre_update_params(self):
        self.pre()

    def update_params(self, layer):
        self.update(layer)

    def post_update_params(self):
        self.post()


class SGD(Optimizer):
    def __init__(self, learning_rate=1., decay=0., momentum=0.):
        super().__init__(learning_rate, decay)
        self.momentum = momentum

    def update(self, layer):
        if self.momentum:
            if not hasattr(layer, "weight_momentums"):
                layer.weight_momentums = np.zeros_like(layer.weights)
                layer.bias_momentums = np.zeros_like(layer.biases)
            wu = self.momentum * layer.weight_momentums - self.current_learning_rate * layer.dweights
            layer.weight_momentums = wu
            bu = self.momentum * layer.bias_momentums - self.current_learning_rate * layer.dbiases
            layer.bias_momentums = bu
        else:
            wu = -self.current_learning_rate * layer.dweights
            bu = -self.current_learning_rate * layer.dbiases
        layer.weights += wu
        layer.biases += bu


class Adagrad(Optimizer):
    def __init__(self, learning_rate=1., decay=0., epsilon=1e-7):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon

    def update(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache += layer.dweights ** 2
        layer.bias_cache += layer.dbiases ** 2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)


class RMSprop(Optimizer):
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9):
        super().__init__(learning_rate, decay)
        self.epsilon = epsilon
        self.rho = rho

    def update(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_cache = np.zeros_like(layer.biases)
        layer.weight_cache = self.rho * layer.weight_cache + (1 - self.rho) * layer.dweights ** 2
        layer.bias_cache = self.rho * layer.bias_cache + (1 - self.rho) * layer.dbiases ** 2
        layer.weights += -self.current_learning_rate * layer.dweights / (np.sqrt(layer.weight_cache) + self.epsilon)
        layer.biases += -self.current_learning_rate * layer.dbiases / (np.sqrt(layer.bias_cache) + self.epsilon)


class Adam(Optimizer):
    def __init__(self, learning_rate=0.001, decay=0., epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        super().__init__(learning_rate, decay)
        self.epsilon, self.beta_1, self.beta_2 = epsilon, beta_1, beta_2

    def update(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        t = self.iterations + 1
        layer.weight_momentums = self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        layer.bias_momentums = self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        wm = layer.weight_momentums / (1 - self.beta_1 ** t)
        bm = layer.bias_momentums / (1 - self.beta_1 ** t)
        layer.weight_cache = self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights ** 2
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases ** 2
        wc = layer.weight_cache / (1 - self.beta_2 ** t)
        bc = layer.bias_cache / (1 - self.beta_2 ** t)
        layer.weights += -self.current_learning_rate * wm / (np.sqrt(wc) + self.epsilon)
        layer.biases += -self.current_learning_rate * bm / (np.sqrt(bc) + self.epsilon)
