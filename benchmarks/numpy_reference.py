#!/usr/bin/python3
"""The workloads in NumPy, written in the style of the book's classes (Layer_Dense,
Activation_ReLU, the combined softmax + cross-entropy, Optimizer_Adam): forward and backward
as array expressions, state kept on the layers.

    numpy_reference.py --workload W1|W2|W3-1|W3-256 --threads N --reps R --data DIR
                       [--variant book|float32]

--variant book (W1 only) replaces the dot product as nnfs.init() does (operands widened to
float64, the product rounded once to float32) and evaluates exp and log in float64, rounded
once (correctly rounded, as the book's printed figures are; NumPy's SIMD float32 exp can be
1 ulp off on AVX-512 machines — tests/golden/nnfs_book.py does the same). With it the W1 run
is the book's chapter 10 program and must end on exactly nnfs's book-mode loss. --variant float32 (the default, and
always for W2/W3) uses NumPy's own float32 np.dot.

Prints one JSON line per repetition, like the C++ runners. Uses only what /usr/bin/python3 and
Debian's python3-numpy provide; NumPy's BLAS is whatever libblas.so.3 points to (single-threaded
reference BLAS on a plain Debian 12), so --threads only labels the result.
"""

import argparse
import json
import time

import numpy as np

# The workloads' constants (benchmarks/common.hpp has the same).
W1_EPOCHS = 10001
W1_LR, W1_DECAY = 0.05, 5e-7
W2_SAMPLES, W2_BATCH, W2_LR = 60000, 128, 1e-3
W3_SINGLE_CALLS, W3_BATCH, W3_BATCH_CALLS, W3_WARMUP = 20000, 256, 400, 50

dot, exp, log = np.dot, np.exp, np.log


def dot_float64(a, b):
    """nnfs.init()'s np.dot: accumulate in float64, round once to float32."""
    return np.dot(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)


def exp_rounded(x):
    return np.exp(x.astype(np.float64)).astype(np.float32)


def log_rounded(x):
    return np.log(x.astype(np.float64)).astype(np.float32)


class Dense:
    def __init__(self, weights):
        self.weights = weights.copy()
        self.biases = np.zeros((1, weights.shape[1]), dtype=np.float32)

    def forward(self, inputs):
        self.inputs = inputs
        self.output = dot(inputs, self.weights) + self.biases

    def backward(self, dvalues, need_dinputs=True):
        self.dweights = dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        if need_dinputs:  # the first layer's would be the data's gradient: nobody uses it
            self.dinputs = dot(dvalues, self.weights.T)


class ReLU:
    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues):
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class Softmax:
    def forward(self, inputs):
        shifted = exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = shifted / np.sum(shifted, axis=1, keepdims=True)


class SoftmaxCrossEntropy:
    """Softmax, then the mean clipped cross-entropy; backward is (ŷ − onehot) / N."""

    def __init__(self):
        self.activation = Softmax()

    def forward(self, inputs, y):
        self.activation.forward(inputs)
        self.output = self.activation.output
        clipped = np.clip(self.output, 1e-7, 1 - 1e-7)
        return np.mean(-log(clipped[range(len(clipped)), y]))

    def backward(self, dvalues, y):
        samples = len(dvalues)
        self.dinputs = dvalues.copy()
        self.dinputs[range(samples), y] -= 1
        self.dinputs = self.dinputs / samples


class Adam:
    def __init__(self, learning_rate=0.001, decay=0.0, epsilon=1e-7, beta_1=0.9, beta_2=0.999):
        self.learning_rate = self.current_learning_rate = learning_rate
        self.decay, self.epsilon, self.beta_1, self.beta_2 = decay, epsilon, beta_1, beta_2
        self.iterations = 0

    def pre_update_params(self):
        if self.decay:
            self.current_learning_rate = self.learning_rate * (1.0 / (1.0 + self.decay * self.iterations))

    def update_params(self, layer):
        if not hasattr(layer, "weight_cache"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.weight_cache = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
            layer.bias_cache = np.zeros_like(layer.biases)
        t = self.iterations + 1
        layer.weight_momentums = self.beta_1 * layer.weight_momentums + (1 - self.beta_1) * layer.dweights
        layer.bias_momentums = self.beta_1 * layer.bias_momentums + (1 - self.beta_1) * layer.dbiases
        weight_m_hat = layer.weight_momentums / (1 - self.beta_1**t)
        bias_m_hat = layer.bias_momentums / (1 - self.beta_1**t)
        layer.weight_cache = self.beta_2 * layer.weight_cache + (1 - self.beta_2) * layer.dweights**2
        layer.bias_cache = self.beta_2 * layer.bias_cache + (1 - self.beta_2) * layer.dbiases**2
        weight_v_hat = layer.weight_cache / (1 - self.beta_2**t)
        bias_v_hat = layer.bias_cache / (1 - self.beta_2**t)
        layer.weights += -self.current_learning_rate * weight_m_hat / (np.sqrt(weight_v_hat) + self.epsilon)
        layer.biases += -self.current_learning_rate * bias_m_hat / (np.sqrt(bias_v_hat) + self.epsilon)

    def post_update_params(self):
        self.iterations += 1


def report(impl, args, rep, wall, cpu, loss, accuracy, per=1):
    print(json.dumps({"impl": impl, "workload": args.workload, "threads": args.threads, "rep": rep,
                      "seconds": wall / per, "cpu_seconds": cpu / per, "loss": float(loss),
                      "accuracy": float(accuracy)}), flush=True)


def load(args, prefix, layers):
    X = np.load(f"{args.data}/{prefix}_X.npy")
    y = np.load(f"{args.data}/{prefix}_y.npy").astype(np.int64)
    weights = [np.load(f"{args.data}/{prefix}_W{i}.npy") for i in range(1, layers + 1)]
    return X, y, weights


def w1(args, impl):
    X, y, (W1, W2) = load(args, "w1", 2)
    for rep in range(args.reps):
        dense1, activation1, dense2 = Dense(W1), ReLU(), Dense(W2)
        loss_activation = SoftmaxCrossEntropy()
        optimizer = Adam(learning_rate=W1_LR, decay=W1_DECAY)
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(W1_EPOCHS):
            dense1.forward(X)
            activation1.forward(dense1.output)
            dense2.forward(activation1.output)
            loss = loss_activation.forward(dense2.output, y)
            accuracy = np.mean(np.argmax(loss_activation.output, axis=1) == y)
            loss_activation.backward(loss_activation.output, y)
            dense2.backward(loss_activation.dinputs)
            activation1.backward(dense2.dinputs)
            dense1.backward(activation1.dinputs, need_dinputs=False)
            optimizer.pre_update_params()
            optimizer.update_params(dense1)
            optimizer.update_params(dense2)
            optimizer.post_update_params()
        report(impl, args, rep, time.perf_counter() - wall, time.process_time() - cpu, loss, accuracy)


class Mlp:
    def __init__(self, weights):
        self.dense1, self.relu1 = Dense(weights[0]), ReLU()
        self.dense2, self.relu2 = Dense(weights[1]), ReLU()
        self.dense3 = Dense(weights[2])

    def forward(self, x):
        self.dense1.forward(x)
        self.relu1.forward(self.dense1.output)
        self.dense2.forward(self.relu1.output)
        self.relu2.forward(self.dense2.output)
        self.dense3.forward(self.relu2.output)
        return self.dense3.output


def w2(args):
    X, y, weights = load(args, "w2", 3)
    steps = (W2_SAMPLES + W2_BATCH - 1) // W2_BATCH
    for rep in range(args.reps):
        net, loss_activation, optimizer = Mlp(weights), SoftmaxCrossEntropy(), Adam(learning_rate=W2_LR)
        loss_sum = accuracy_sum = 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        for step in range(steps):
            batch_X = X[step * W2_BATCH:(step + 1) * W2_BATCH]
            batch_y = y[step * W2_BATCH:(step + 1) * W2_BATCH]
            loss_sum += loss_activation.forward(net.forward(batch_X), batch_y)
            accuracy_sum += np.mean(np.argmax(loss_activation.output, axis=1) == batch_y)
            loss_activation.backward(loss_activation.output, batch_y)
            net.dense3.backward(loss_activation.dinputs)
            net.relu2.backward(net.dense3.dinputs)
            net.dense2.backward(net.relu2.dinputs)
            net.relu1.backward(net.dense2.dinputs)
            net.dense1.backward(net.relu1.dinputs, need_dinputs=False)
            optimizer.pre_update_params()
            for layer in (net.dense1, net.dense2, net.dense3):
                optimizer.update_params(layer)
            optimizer.post_update_params()
        report("numpy", args, rep, time.perf_counter() - wall, time.process_time() - cpu, loss_sum / steps,
               accuracy_sum / steps)


def w3(args):
    X, _, weights = load(args, "w2", 3)
    batch = 1 if args.workload == "W3-1" else W3_BATCH
    calls = W3_SINGLE_CALLS if batch == 1 else W3_BATCH_CALLS
    batches = W2_SAMPLES // batch
    net, softmax = Mlp(weights), Softmax()
    classes = np.arange(1, 11, dtype=np.float64)

    def predict(call):
        start = (call % batches) * batch
        softmax.forward(net.forward(X[start:start + batch]))
        return softmax.output

    for call in range(W3_WARMUP):
        predict(call)
    for rep in range(args.reps):
        checksum = 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        for call in range(calls):
            checksum += float(np.dot(predict(call)[0].astype(np.float64), classes))
        report("numpy", args, rep, time.perf_counter() - wall, time.process_time() - cpu, checksum / calls, 0.0,
               per=calls)


def main():
    global dot, exp, log
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", required=True, choices=["W1", "W2", "W3-1", "W3-256"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--data", default="data")
    parser.add_argument("--variant", default="float32", choices=["float32", "book"])
    args = parser.parse_args()
    if args.variant == "book":
        if args.workload != "W1":
            parser.error("--variant book is measured on W1 only")
        dot, exp, log = dot_float64, exp_rounded, log_rounded
    if args.workload == "W1":
        w1(args, "numpy-book" if args.variant == "book" else "numpy")
    elif args.workload == "W2":
        w2(args)
    else:
        w3(args)


if __name__ == "__main__":
    main()
