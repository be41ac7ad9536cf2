"""Expected output of the training examples (book chapters 6-17), from NumPy.

Each function is the book's training program for one chapter, written with book_reference.py
(our NumPy implementation of the book's classes) under nnfs_book.init(), printing exactly the
book's lines. The outputs go to tests/data/training/<name>.txt. CTest runs the matching C++
example and requires (examples/check_training.cmake): the leading lines identical (the book's
numerics reproduce short runs exactly), every printed learning rate identical, and the final
figures within bands, since 10 000-epoch runs are chaotic in the last bits.

Run: /usr/bin/python3 tests/golden/gen_training.py [name ...]   (takes a few minutes)
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
from nnfs_book import sine_data, spiral_data, vertical_data  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "training")


def accuracy_of(probs, y):
    return np.mean(np.argmax(probs, axis=1) == y)


def ch06(data):
    X, y = (vertical_data if data == "vertical" else spiral_data)(samples=100, classes=3)
    dense1, relu, dense2, softmax = br.Dense(2, 3), br.ReLU(), br.Dense(3, 3), br.Softmax()
    lowest = 9999999
    best = [dense1.weights.copy(), dense1.biases.copy(), dense2.weights.copy(), dense2.biases.copy()]
    for iteration in range(10000):
        dense1.weights += 0.05 * np.random.randn(2, 3)
        dense1.biases += 0.05 * np.random.randn(1, 3)
        dense2.weights += 0.05 * np.random.randn(3, 3)
        dense2.biases += 0.05 * np.random.randn(1, 3)
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        softmax.forward(dense2.output)
        loss = np.mean(br.cce_sample_losses(softmax.output, y))
        accuracy = accuracy_of(softmax.output, y)
        if loss < lowest:
            print("New set of weights found, iteration:", iteration, "loss:", loss, "acc:", accuracy)
            best = [dense1.weights.copy(), dense1.biases.copy(), dense2.weights.copy(), dense2.biases.copy()]
            lowest = loss
        else:
            dense1.weights, dense1.biases = best[0].copy(), best[1].copy()
            dense2.weights, dense2.biases = best[2].copy(), best[3].copy()


def ch09():
    X, y = spiral_data(samples=100, classes=3)
    dense1, relu, dense2, loss_activation = br.Dense(2, 3), br.ReLU(), br.Dense(3, 3), br.SoftmaxCCE()
    dense1.forward(X)
    relu.forward(dense1.output)
    dense2.forward(relu.output)
    loss = loss_activation.forward(dense2.output, y)
    print(loss_activation.output[:5])
    print("loss:", loss)
    print("acc:", accuracy_of(loss_activation.output, y))
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    relu.backward(dense2.dinputs)
    dense1.backward(relu.dinputs)
    print(dense1.dweights)
    print(dense1.dbiases)
    print(dense2.dweights)
    print(dense2.dbiases)


OPTIMIZERS = {
    "adam": lambda: br.Adam(learning_rate=0.05, decay=5e-7),
    "sgd": lambda: br.SGD(),
    "sgd-momentum": lambda: br.SGD(decay=1e-3, momentum=0.9),
    "adagrad": lambda: br.Adagrad(decay=1e-4),
    "rmsprop": lambda: br.RMSprop(learning_rate=0.02, decay=1e-5, rho=0.999),
}


def classifier_program(samples, optimizer, reg=0.0, dropout=None, validate=True, dropout_store=None):
    """Chapters 10-15: spiral -> Dense(2,64[,L2]) -> ReLU [-> Dropout] -> Dense(64,3) -> softmax+CCE."""
    X, y = spiral_data(samples=samples, classes=3)
    dense1 = br.Dense(2, 64, l2w=reg, l2b=reg)
    relu = br.ReLU()
    drop = br.Dropout(dropout, dropout_store) if dropout else None
    dense2 = br.Dense(64, 3)
    loss_activation = br.SoftmaxCCE()
    for epoch in range(10001):
        dense1.forward(X)
        relu.forward(dense1.output)
        if drop:
            drop.forward(relu.output)
        dense2.forward(drop.output if drop else relu.output)
        data_loss = loss_activation.forward(dense2.output, y)
        accuracy = accuracy_of(loss_activation.output, y)
        if not epoch % 100:
            if reg:
                regularization_loss = dense1.penalty() + dense2.penalty()
                loss = data_loss + regularization_loss
                print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f} (data_loss: {data_loss:.3f}, "
                      f"reg_loss: {regularization_loss:.3f}), lr: {optimizer.current_learning_rate}")
            else:
                print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {data_loss:.3f}, "
                      f"lr: {optimizer.current_learning_rate}")
        loss_activation.backward(loss_activation.output, y)
        dense2.backward(loss_activation.dinputs)
        if drop:
            drop.backward(dense2.dinputs)
        relu.backward(drop.dinputs if drop else dense2.dinputs)
        dense1.backward(relu.dinputs)
        optimizer.step(dense1, dense2)
    if validate:
        X_test, y_test = spiral_data(samples=100, classes=3)
        dense1.forward(X_test)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        loss = loss_activation.forward(dense2.output, y_test)
        print(f"validation, acc: {accuracy_of(loss_activation.output, y_test):.3f}, loss: {loss:.3f}")


def ch16():
    X, y = spiral_data(samples=100, classes=2)
    y = y.reshape(-1, 1)
    dense1 = br.Dense(2, 64, l2w=5e-4, l2b=5e-4)
    relu = br.ReLU()
    dense2 = br.Dense(64, 1)
    sigmoid = br.Sigmoid()
    loss_function = br.BCE()
    optimizer = br.Adam(decay=5e-7)
    for epoch in range(10001):
        dense1.forward(X)
        relu.forward(dense1.output)
        dense2.forward(relu.output)
        sigmoid.forward(dense2.output)
        data_loss = loss_function.calculate(sigmoid.output, y)
        regularization_loss = dense1.penalty() + dense2.penalty()
        loss = data_loss + regularization_loss
        accuracy = np.mean(((sigmoid.output > 0.5) * 1) == y)
        if not epoch % 100:
            print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f} (data_loss: {data_loss:.3f}, "
                  f"reg_loss: {regularization_loss:.3f}), lr: {optimizer.current_learning_rate}")
        loss_function.backward(sigmoid.output, y)
        sigmoid.backward(loss_function.dinputs)
        dense2.backward(sigmoid.dinputs)
        relu.backward(dense2.dinputs)
        dense1.backward(relu.dinputs)
        optimizer.step(dense1, dense2)
    X_test, y_test = spiral_data(samples=100, classes=2)
    y_test = y_test.reshape(-1, 1)
    dense1.forward(X_test)
    relu.forward(dense1.output)
    dense2.forward(relu.output)
    sigmoid.forward(dense2.output)
    loss = loss_function.calculate(sigmoid.output, y_test)
    accuracy = np.mean(((sigmoid.output > 0.5) * 1) == y_test)
    print(f"validation, acc: {accuracy:.3f}, loss: {loss:.3f}")


def ch17():
    X, y = sine_data()
    dense1, relu1 = br.Dense(1, 64, scale=0.1), br.ReLU()
    dense2, relu2 = br.Dense(64, 64, scale=0.1), br.ReLU()
    dense3, linear = br.Dense(64, 1, scale=0.1), br.Linear()
    loss_function = br.MSE()
    optimizer = br.Adam(learning_rate=0.005, decay=1e-3)
    precision = np.std(y) / 250
    for epoch in range(10001):
        dense1.forward(X)
        relu1.forward(dense1.output)
        dense2.forward(relu1.output)
        relu2.forward(dense2.output)
        dense3.forward(relu2.output)
        linear.forward(dense3.output)
        data_loss = loss_function.calculate(linear.output, y)
        regularization_loss = dense1.penalty() + dense2.penalty() + dense3.penalty()
        loss = data_loss + regularization_loss
        accuracy = np.mean(np.absolute(linear.output - y) < precision)
        if not epoch % 100:
            print(f"epoch: {epoch}, acc: {accuracy:.3f}, loss: {loss:.3f} (data_loss: {data_loss:.3f}, "
                  f"reg_loss: {regularization_loss:.3f}), lr: {optimizer.current_learning_rate}")
        loss_function.backward(linear.output, y)
        linear.backward(loss_function.dinputs)
        dense3.backward(linear.dinputs)
        relu2.backward(dense3.dinputs)
        dense2.backward(relu2.dinputs)
        relu1.backward(dense2.dinputs)
        dense1.backward(relu1.dinputs)
        optimizer.step(dense1, dense2, dense3)


CASES = {
    "12_random_search": lambda: ch06("vertical"),
    "12_random_search_spiral": lambda: ch06("spiral"),
    "13_backpropagation": ch09,
    "14_optimizers": lambda: classifier_program(100, OPTIMIZERS["adam"]()),
    "14_optimizers_sgd": lambda: classifier_program(100, OPTIMIZERS["sgd"]()),
    "14_optimizers_sgd-momentum": lambda: classifier_program(100, OPTIMIZERS["sgd-momentum"]()),
    "14_optimizers_adagrad": lambda: classifier_program(100, OPTIMIZERS["adagrad"]()),
    "14_optimizers_rmsprop": lambda: classifier_program(100, OPTIMIZERS["rmsprop"]()),
    "15_l2_regularization": lambda: classifier_program(100, br.Adam(learning_rate=0.02, decay=5e-7), reg=5e-4),
    # Chapter 15's dropout mask is float64, so NumPy silently promotes the dropout output and its
    # gradient (and from there the first layer's bias gradient and Adam state) to float64. A
    # float32 library cannot hold those values; nnfs computes the products in double and rounds
    # once to float32. 16_dropout is the book's program with exactly that rounding, which the C++
    # example reproduces line for line; 16_dropout_numpy is the unmodified program, for reference
    # (both land in the book's bands).
    "16_dropout": lambda: classifier_program(1000, br.Adam(learning_rate=0.05, decay=5e-5), reg=5e-4, dropout=0.1,
                                             dropout_store=np.float32),
    "16_dropout_numpy": lambda: classifier_program(1000, br.Adam(learning_rate=0.05, decay=5e-5), reg=5e-4,
                                                   dropout=0.1),
    "17_binary_logistic_regression": ch16,
    "18_regression": ch17,
}


def main(names):
    os.makedirs(OUT, exist_ok=True)
    for name in names or CASES:
        start = time.time()
        nnfs_book.init()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            CASES[name]()
        nnfs_book.uninit()
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write(buf.getvalue())
        print(f"{name}: {time.time() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main(sys.argv[1:])
