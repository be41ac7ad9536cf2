"""Expected output of programs built on the Model class (book chapters 18-22), from NumPy.

book_reference.Model below is our NumPy implementation of the book's Model (chapter 22 form:
batches, accumulated epoch figures, evaluate), with the chapter 18 form of train() for
full-batch runs (one line every print_every epochs, validation once at the end). It is written
from the book's description, not copied. Outputs go to tests/data/model/<name>.txt (the examples' to tests/data/training/); the C++
Model prints the same lines (tests/test_model.cpp, examples/19_model.cpp).

Dropout outputs are rounded to float32 (store_dtype), as in gen_training.py's 16_dropout: the
C++ library stores float32 (see that file for the float64-mask discussion).

Run: /usr/bin/python3 tests/golden/gen_model.py [name ...]
     (19_model, the book's 10 000-epoch chapter 18 run, takes several minutes)
"""
import contextlib
import io
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import book_reference as br  # noqa: E402
import nnfs_book  # noqa: E402
from nnfs_book import sine_data, spiral_data  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "model")
# The example programs' outputs sit with the other examples' (examples/CMakeLists.txt).
OUT_EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "training")


class Loss:
    def __init__(self, kind):
        self.kind = kind
        self.impl = {"cce": br.CCE(), "bce": br.BCE(), "mse": br.MSE()}[kind]
        self.new_pass()

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0

    def calculate(self, output, y):
        sample_losses = (br.cce_sample_losses(output, y) if self.kind == "cce"
                         else self.impl.sample_losses(output, y))
        data_loss = np.mean(sample_losses)
        self.accumulated_sum += np.sum(sample_losses)
        self.accumulated_count += len(sample_losses)
        return data_loss

    def calculate_accumulated(self):
        return self.accumulated_sum / self.accumulated_count

    def backward(self, output, y):
        self.impl.backward(output, y)
        self.dinputs = self.impl.dinputs


class Accuracy:
    def __init__(self, kind):
        self.kind = kind  # "categorical", "binary", "regression"
        self.precision = None
        self.new_pass()

    def init(self, y):
        if self.kind == "regression" and self.precision is None:
            self.precision = np.std(y) / 250

    def new_pass(self):
        self.accumulated_sum = 0
        self.accumulated_count = 0

    def calculate(self, predictions, y):
        if self.kind == "regression":
            comparisons = np.absolute(predictions - y) < self.precision
        else:
            if self.kind == "categorical" and len(y.shape) == 2:
                y = np.argmax(y, axis=1)
            comparisons = predictions == y
        self.accumulated_sum += np.sum(comparisons)
        self.accumulated_count += len(comparisons)
        return np.mean(comparisons)

    def calculate_accumulated(self):
        return self.accumulated_sum / self.accumulated_count


class Model:
    def __init__(self):
        self.layers = []

    def add(self, layer):
        self.layers.append(layer)

    def set(self, loss, optimizer, accuracy):
        self.loss, self.optimizer, self.accuracy = loss, optimizer, accuracy

    def finalize(self):
        self.trainable = [l for l in self.layers if isinstance(l, br.Dense)]
        self.combined = isinstance(self.layers[-1], br.Softmax) and self.loss.kind == "cce"

    def forward(self, X, training):
        out = X
        for layer in self.layers:
            if isinstance(layer, br.Dropout) and not training:
                continue  # the identity in evaluation
            layer.forward(out)
            out = layer.output
        return out

    def predictions(self, output):
        last = self.layers[-1]
        if isinstance(last, br.Softmax):
            return np.argmax(output, axis=1)
        if isinstance(last, br.Sigmoid):
            return (output > 0.5) * 1
        return output

    def regularization_loss(self):
        total = 0
        for layer in self.trainable:
            total += layer.penalty()
        return total

    def backward(self, output, y):
        if self.combined:
            c = br.SoftmaxCCE()
            c.backward(output, y)
            d = c.dinputs
            layers = self.layers[:-1]
        else:
            self.loss.backward(output, y)
            d = self.loss.dinputs
            layers = self.layers
        for layer in reversed(layers):
            layer.backward(d)
            d = layer.dinputs

    def step(self, X, y):
        output = self.forward(X, training=True)
        data_loss = self.loss.calculate(output, y)
        regularization_loss = self.regularization_loss()
        loss = data_loss + regularization_loss
        accuracy = self.accuracy.calculate(self.predictions(output), y)
        self.backward(output, y)
        self.optimizer.step(*self.trainable)
        return accuracy, loss, data_loss, regularization_loss

    def train(self, X, y, epochs=1, batch_size=None, print_every=1, validation_data=None):
        self.accuracy.init(y)
        if batch_size is None:  # chapter 18
            for epoch in range(1, epochs + 1):
                self.loss.new_pass()
                self.accuracy.new_pass()
                accuracy, loss, data_loss, reg = self.step(X, y)
                if not epoch % print_every:
                    print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f} (data_loss: {data_loss:.3f}, "
                          f"reg_loss: {reg:.3f}), lr: {self.optimizer.current_learning_rate}")
            if validation_data is not None:
                self.evaluate(*validation_data)
            return
        steps = len(X) // batch_size
        if steps * batch_size < len(X):
            steps += 1
        for epoch in range(1, epochs + 1):
            print(f"epoch: {epoch}")
            self.loss.new_pass()
            self.accuracy.new_pass()
            for step in range(steps):
                bx = X[step * batch_size:(step + 1) * batch_size]
                by = y[step * batch_size:(step + 1) * batch_size]
                accuracy, loss, data_loss, reg = self.step(bx, by)
                if not step % print_every or step == steps - 1:
                    print(f"step: {step}, acc: {accuracy:.3f}, loss: {loss:.3f} (data_loss: {data_loss:.3f}, "
                          f"reg_loss: {reg:.3f}), lr: {self.optimizer.current_learning_rate}")
            data_loss = self.loss.calculate_accumulated()
            reg = self.regularization_loss()
            accuracy = self.accuracy.calculate_accumulated()
            print(f"training, acc: {accuracy:.3f}, loss: {data_loss + reg:.3f} (data_loss: {data_loss:.3f}, "
                  f"reg_loss: {reg:.3f}), lr: {self.optimizer.current_learning_rate}")
            if validation_data is not None:
                self.evaluate(*validation_data, batch_size=batch_size)

    def evaluate(self, X, y, batch_size=None):
        steps = 1
        if batch_size is not None:
            steps = len(X) // batch_size
            if steps * batch_size < len(X):
                steps += 1
        self.loss.new_pass()
        self.accuracy.new_pass()
        for step in range(steps):
            if batch_size is None:
                bx, by = X, y
            else:
                bx = X[step * batch_size:(step + 1) * batch_size]
                by = y[step * batch_size:(step + 1) * batch_size]
            output = self.forward(bx, training=False)
            self.loss.calculate(output, by)
            self.accuracy.calculate(self.predictions(output), by)
        print(f"validation, acc: {self.accuracy.calculate_accumulated():.3f}, "
              f"loss: {self.loss.calculate_accumulated():.3f}")


def ch18(epochs, dropout_store=np.float32):
    """The book's chapter 18 program (examples/19_model.cpp). dropout_store=None is the
    unmodified NumPy program, whose float64 dropout mask promotes everything after it."""
    X, y = spiral_data(samples=1000, classes=3)
    X_test, y_test = spiral_data(samples=100, classes=3)
    model = Model()
    model.add(br.Dense(2, 512, l2w=5e-4, l2b=5e-4))
    model.add(br.ReLU())
    model.add(br.Dropout(0.1, dropout_store))
    model.add(br.Dense(512, 3))
    model.add(br.Softmax())
    model.set(Loss("cce"), br.Adam(learning_rate=0.05, decay=5e-5), Accuracy("categorical"))
    model.finalize()
    model.train(X, y, validation_data=(X_test, y_test), epochs=epochs, print_every=100)


def shuffled(X, y):
    """The book's one-time shuffle (chapter 19): keys = 0..n-1 shuffled by the RandomState."""
    keys = np.array(range(X.shape[0]))
    np.random.shuffle(keys)
    return X[keys], y[keys]


def minibatch_classifier():
    """Mini-batches with a partial last batch (300 = 4 x 64 + 44), dropout, validation in batches."""
    X, y = shuffled(*spiral_data(samples=100, classes=3))
    X_test, y_test = spiral_data(samples=50, classes=3)
    model = Model()
    model.add(br.Dense(2, 64, l2w=5e-4, l2b=5e-4))
    model.add(br.ReLU())
    model.add(br.Dropout(0.1, np.float32))
    model.add(br.Dense(64, 3))
    model.add(br.Softmax())
    model.set(Loss("cce"), br.Adam(learning_rate=0.02, decay=1e-3), Accuracy("categorical"))
    model.finalize()
    model.train(X, y, validation_data=(X_test, y_test), epochs=4, batch_size=64, print_every=2)


def minibatch_binary():
    """Sigmoid + binary cross-entropy with (N, 1) float targets, batches of 50."""
    X, y = shuffled(*spiral_data(samples=100, classes=2))
    y = y.reshape(-1, 1)
    X_test, y_test = spiral_data(samples=50, classes=2)
    y_test = y_test.reshape(-1, 1)
    model = Model()
    model.add(br.Dense(2, 32, l2w=5e-4, l2b=5e-4))
    model.add(br.ReLU())
    model.add(br.Dense(32, 1))
    model.add(br.Sigmoid())
    model.set(Loss("bce"), br.Adam(learning_rate=0.01, decay=5e-7), Accuracy("binary"))
    model.finalize()
    model.train(X, y, validation_data=(X_test, y_test), epochs=3, batch_size=50, print_every=1)


def minibatch_regression():
    """Linear output + mean squared error, regression accuracy (precision from the training y)."""
    X, y = sine_data(samples=200)
    X, y = shuffled(X.astype(np.float32), y.astype(np.float32))  # nnfs stores float32
    model = Model()
    model.add(br.Dense(1, 64, scale=0.1))
    model.add(br.ReLU())
    model.add(br.Dense(64, 1, scale=0.1))
    model.add(br.Linear())
    model.set(Loss("mse"), br.Adam(learning_rate=0.005, decay=1e-3), Accuracy("regression"))
    model.finalize()
    model.train(X, y, epochs=3, batch_size=64, print_every=2)


def fullbatch_short():
    """Chapter 18's form on a small problem: full batch, print every 5 epochs, validation at the end."""
    X, y = spiral_data(samples=100, classes=3)
    X_test, y_test = spiral_data(samples=100, classes=3)
    model = Model()
    model.add(br.Dense(2, 64))
    model.add(br.ReLU())
    model.add(br.Dense(64, 3))
    model.add(br.Softmax())
    model.set(Loss("cce"), br.Adam(learning_rate=0.05, decay=5e-7), Accuracy("categorical"))
    model.finalize()
    model.train(X, y, validation_data=(X_test, y_test), epochs=20, print_every=5)


CASES = {
    "19_model": lambda: ch18(10000),
    "19_model_300": lambda: ch18(300),
    "19_model_numpy": lambda: ch18(10000, dropout_store=None),
    "minibatch_classifier": minibatch_classifier,
    "minibatch_binary": minibatch_binary,
    "minibatch_regression": minibatch_regression,
    "fullbatch_short": fullbatch_short,
}


def main(names):
    os.makedirs(OUT, exist_ok=True)
    for name in names or CASES:
        out_dir = OUT_EXAMPLES if name.startswith("19_") else OUT
        start = time.time()
        nnfs_book.init()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            CASES[name]()
        nnfs_book.uninit()
        with open(os.path.join(out_dir, name + ".txt"), "w") as f:
            f.write(buf.getvalue())
        print(f"{name}: {time.time() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main(sys.argv[1:])
