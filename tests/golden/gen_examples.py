"""Expected output of every numbered example, produced by running the walk's Python programs.

Each example in examples/ is a C++ port of one Python program of the walk (the seed document
and the book, chapters 1-5). This script runs the Python program (with nnfs_book standing in
for the nnfs package, and the seed's printed-number mistakes corrected by simply running the
code) and stores exactly what it prints in tests/data/examples/<name>.txt. CTest runs the C++
example and requires identical output.

Run: /usr/bin/python3 tests/golden/gen_examples.py
"""
import contextlib
import io
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nnfs_book  # noqa: E402
from nnfs_book import spiral_data  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "examples")


def ex01():
    inputs = [2.5, 1.8, 0.7]
    weights = [0.6, -0.4, 1.2]
    bias = 0.8
    outputs = (inputs[0] * weights[0] + inputs[1] * weights[1] + inputs[2] * weights[2] + bias)
    print(outputs)


def ex02():
    inputs = [3.2, 1.5, 2.1, 0.9]
    weights = [0.3, -0.8, 0.5, 1.1]
    bias = 1.4
    output = (inputs[0] * weights[0] + inputs[1] * weights[1] + inputs[2] * weights[2] + inputs[3] * weights[3] + bias)
    print(output)


LAYER_INPUTS = [2.1, 1.7, 3.3, 0.8]
LAYER_WEIGHTS = [[0.5, -0.2, 0.9, -0.3], [0.7, 0.4, -0.6, 0.8], [-0.1, 0.6, 0.2, -0.7]]
LAYER_BIASES = [1.5, 2.2, 0.9]


def ex03():
    inputs, weights, biases = LAYER_INPUTS, LAYER_WEIGHTS, LAYER_BIASES
    outputs = [
        inputs[0] * weights[0][0] + inputs[1] * weights[0][1] + inputs[2] * weights[0][2] + inputs[3] * weights[0][3] + biases[0],
        inputs[0] * weights[1][0] + inputs[1] * weights[1][1] + inputs[2] * weights[1][2] + inputs[3] * weights[1][3] + biases[1],
        inputs[0] * weights[2][0] + inputs[1] * weights[2][1] + inputs[2] * weights[2][2] + inputs[3] * weights[2][3] + biases[2],
    ]
    print(outputs)


def ex04():
    inputs, weights, biases = LAYER_INPUTS, LAYER_WEIGHTS, LAYER_BIASES
    layer_outputs = []
    for neuron_weights, neuron_bias in zip(weights, biases):
        neuron_output = 0
        for n_input, weight in zip(inputs, neuron_weights):
            neuron_output += n_input * weight
        neuron_output += neuron_bias
        layer_outputs.append(neuron_output)
    print(layer_outputs)


def ex05():
    inputs = np.array(LAYER_INPUTS)
    weights = np.array(LAYER_WEIGHTS)
    biases = np.array(LAYER_BIASES)
    layer_outputs = np.dot(weights, inputs) + biases
    print(layer_outputs)


def ex06():
    # The walk's two layers, fed a batch: the walk's sample and the book's three chapter-2 samples.
    inputs = [[2.1, 1.7, 3.3, 0.8], [1, 2, 3, 2.5], [2.0, 5.0, -1.0, 2], [-1.5, 2.7, 3.3, -0.8]]
    weights = LAYER_WEIGHTS
    biases = LAYER_BIASES
    weights2 = [[0.3, -0.4, 0.6], [0.2, 0.5, -0.3], [0.8, -0.1, 0.4]]
    biases2 = [0.7, 1.2, -0.5]
    layer1_outputs = np.dot(inputs, np.array(weights).T) + biases
    layer2_outputs = np.dot(layer1_outputs, np.array(weights2).T) + biases2
    print("Layer 1 outputs:")
    print(layer1_outputs)
    print("\nLayer 2 outputs:")
    print(layer2_outputs)


def ex07(samples, classes, path):
    nnfs_book.init()
    X, y = spiral_data(samples=samples, classes=classes)
    print("X:", X.shape, X.dtype, " y:", y.shape)
    print(X[:5])
    print(y)
    print(f"wrote {path} ({len(X)} points, {classes} classes)")


def ex08(samples, classes, neurons):
    inputs = [0, 2, -1, 3.3, -2.7, 1.1, 2.2, -100]
    print(np.maximum(0, inputs))
    nnfs_book.init()
    X, y = spiral_data(samples=samples, classes=classes)
    weights = 0.01 * np.random.randn(2, neurons)
    biases = np.zeros((1, neurons))
    output = np.maximum(0, np.dot(X, weights) + biases)
    print(output[:5])


def ex09():
    inputs = [[1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]]
    exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
    probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
    print(probabilities)
    print(np.sum(probabilities, axis=1))


def ex10():
    def cce(y_pred, y_true):
        samples = len(y_pred)
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        if len(y_true.shape) == 1:
            correct_confidences = y_pred_clipped[range(samples), y_true]
        elif len(y_true.shape) == 2:
            correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
        return np.mean(-np.log(correct_confidences))

    # The book: class indices.
    softmax_outputs = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    class_targets = np.array([0, 1, 1])
    print("loss (class indices):", cce(softmax_outputs, class_targets))
    # The walk: one-hot targets.
    softmax_outputs = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.0, 0.98]])
    class_targets = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    print("loss (one-hot):", cce(softmax_outputs, class_targets))


def ex11(samples, classes, neurons):
    nnfs_book.init()
    X, y = spiral_data(samples=samples, classes=classes)
    W1 = 0.01 * np.random.randn(2, neurons)
    b1 = np.zeros((1, neurons))
    W2 = 0.01 * np.random.randn(neurons, classes)
    b2 = np.zeros((1, classes))
    out1 = np.maximum(0, np.dot(X, W1) + b1)
    out2 = np.dot(out1, W2) + b2
    exp_values = np.exp(out2 - np.max(out2, axis=1, keepdims=True))
    probs = exp_values / np.sum(exp_values, axis=1, keepdims=True)
    print(probs[:5])
    clipped = np.clip(probs, 1e-7, 1 - 1e-7)
    loss = np.mean(-np.log(clipped[range(len(probs)), y]))
    predictions = np.argmax(probs, axis=1)
    accuracy = np.mean(predictions == y)
    print("loss:", loss)
    print("acc:", accuracy)


CASES = {
    "01_single_neuron": lambda: ex01(),
    "02_neuron_4_inputs": lambda: ex02(),
    "03_layer_written_out": lambda: ex03(),
    "04_layer_with_loops": lambda: ex04(),
    "05_layer_dot_product": lambda: ex05(),
    "06_batch_two_layers": lambda: ex06(),
    "07_spiral_dataset": lambda: ex07(100, 3, "spiral_data.svg"),
    "07_spiral_dataset_320_5": lambda: ex07(320, 5, "spiral_320_5.svg"),
    "08_relu": lambda: ex08(100, 3, 3),
    "08_relu_100_5_5": lambda: ex08(100, 5, 5),
    "09_softmax": lambda: ex09(),
    "10_categorical_crossentropy": lambda: ex10(),
    "11_full_forward_pass": lambda: ex11(100, 3, 3),
    "11_full_forward_pass_100_5_5": lambda: ex11(100, 5, 5),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in CASES.items():
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            fn()
        nnfs_book.uninit()
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write(buf.getvalue())


if __name__ == "__main__":
    nnfs_book.ensure_portable_numpy()
    main()
