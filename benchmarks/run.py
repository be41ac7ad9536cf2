#!/usr/bin/python3
"""Runs every benchmark implementation, alternating them rep by rep, and prints one table.

    /usr/bin/python3 benchmarks/run.py --build build/bench [--reps 5] [--threads 1,2]
                                       [--workloads W1,W2,W3-1,W3-256] [--numpy-reps 3] [--no-numpy]

(`bash benchmarks/run.sh` configures and builds build/bench first, then runs this.)

For each workload and thread count, repetition r runs every implementation once, in turn, each
in a fresh process (`<runner> --workload W --threads N --reps 1`), so slow drifts of the machine
(other jobs, frequency, temperature) hit every implementation alike. The table reports, per
implementation: the median wall time and its spread (min–max), the median CPU time, the ratio
of the median to nnfs (fast numerics) at the same thread count, the achieved GFLOP/s and its
share of the measured FMA peak (benchmarks/peak.cpp), and the final loss with a check that it
agrees with nnfs's (see TOLERANCES) — so that nobody wins by doing less work.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"  # Debian's interpreter, which has python3-numpy

# W1: spiral 300 samples, 2-64-3; W2: 784-128-128-10, batch 128, 60 000 samples.
W1 = dict(samples=300, layers=[(2, 64), (64, 3)], epochs=10001)
W2 = dict(samples=60000, batch=128, layers=[(784, 128), (128, 128), (128, 10)])

# How close each final loss must be to nnfs-fast's, and why.
#  W1: 10 001 epochs of Adam at lr 0.05 are chaotic: float32 rounding differences (summation
#      order, FMA, exp/log implementations, log-softmax instead of softmax then log) change the
#      trajectory, and correct runs of the same program end anywhere in about 0.07-0.095 (the
#      NumPy book run: 0.0779; the repository's training test accepts 0-0.09 for nnfs). The check
#      is |loss − nnfs-fast| ≤ 0.03 and accuracy ≥ 0.95.
#  W2: one epoch, 469 steps of Adam at lr 1e-3 from identical weights: rounding differences
#      stay small; mean epoch loss within 0.5% of nnfs-fast's.
#  W3: same weights, same inputs, forward only: checksum within 1e-5 (relative).
TOLERANCES = {"W1": ("abs", 0.03), "W2": ("rel", 0.005), "W3-1": ("rel", 1e-5), "W3-256": ("rel", 1e-5)}


def layer_flops(n, layers, first_needs_dinputs=False):
    """FLOPs of one training step on n samples: per Dense layer (in→out) the forward product
    2·n·in·out and bias n·out, the weight gradient 2·n·in·out and bias gradient n·out, and the
    input gradient 2·n·in·out for every layer but the first; softmax + cross-entropy and its
    gradient ~5 per logit; Adam ~13 per parameter (two moment updates, bias corrections, √, ÷)."""
    flops = 0
    params = 0
    for i, (fan_in, fan_out) in enumerate(layers):
        flops += 2 * (2 * n * fan_in * fan_out) + 2 * n * fan_out
        if i > 0 or first_needs_dinputs:
            flops += 2 * n * fan_in * fan_out
        params += fan_in * fan_out + fan_out
    flops += 5 * n * layers[-1][1]
    flops += 13 * params
    return flops


def forward_flops(n, layers):
    """FLOPs of one prediction on n samples: products, biases, ~4 per logit for softmax."""
    return sum(2 * n * i * o + n * o for i, o in layers) + 4 * n * layers[-1][1]


def workload_flops(workload):
    """FLOPs of what one reported time covers: W1 the whole run, W2 the epoch, W3 one call."""
    if workload == "W1":
        return W1["epochs"] * layer_flops(W1["samples"], W1["layers"])
    if workload == "W2":
        full, rest = divmod(W2["samples"], W2["batch"])
        return full * layer_flops(W2["batch"], W2["layers"]) + (layer_flops(rest, W2["layers"]) if rest else 0)
    n = 1 if workload == "W3-1" else 256
    return forward_flops(n, W2["layers"])


def implementations(build, workload, threads, numpy, openblas):
    """(name, command, extra environment) of every implementation measured for this workload
    and thread count; a command of None means "not built"."""
    bench = os.path.join(build, "benchmarks")
    data = os.path.join(build, "data")

    def runner(name, *extra):
        path = os.path.join(bench, name)
        if not os.path.exists(path):
            return None
        return [path, "--workload", workload, "--threads", str(threads), "--reps", "1", "--data", data, *extra]

    # LibTorch and NumPy call the BLAS behind libblas.so.3: Debian's default alternative is the
    # single-threaded reference BLAS. --openblas DIR adds rows with OpenBLAS loaded from DIR
    # instead (LD_LIBRARY_PATH, nothing installed system-wide), OPENBLAS_NUM_THREADS = threads.
    blas = {"LD_LIBRARY_PATH": openblas, "OPENBLAS_NUM_THREADS": str(threads)} if openblas else None
    impls = [("nnfs-fast", runner("nnfs_bench_nnfs"), {}),
             ("nnfs-model", runner("nnfs_bench_nnfs", "--variant", "model"), {})]
    if workload == "W1" and threads == 1:
        impls.append(("nnfs-book", runner("nnfs_bench_nnfs", "--variant", "book"), {}))
    impls.append(("eigen-hand", runner("nnfs_bench_eigen"), {}))
    impls.append(("torch", runner("nnfs_bench_torch"), {}))
    if blas:
        impls.append(("torch+openblas", runner("nnfs_bench_torch"), blas))
    script = [PYTHON, os.path.join(HERE, "numpy_reference.py"), "--workload", workload, "--threads", str(threads),
              "--reps", "1", "--data", data]
    if numpy and threads == 1:  # NumPy on the reference BLAS is single-threaded
        impls.append(("numpy", script, {}))
        if workload == "W1":
            impls.append(("numpy-book", script + ["--variant", "book"], {}))
    if numpy and blas:
        impls.append(("numpy+openblas", script, blas))
    return impls


def run_one(command, env, name):
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({out.returncode}):\n{out.stderr}")
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if len(lines) != 1:
        raise RuntimeError(f"{' '.join(command)}: expected one result line, got:\n{out.stdout}")
    lines[0]["impl"] = name
    return lines[0]


def measure(build, workload, threads, reps, numpy_reps, numpy, openblas, log):
    impls = implementations(build, workload, threads, numpy, openblas)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
               OPENBLAS_NUM_THREADS=str(threads))
    results = {name: [] for name, _, _ in impls}
    for rep in range(reps):
        for name, command, extra in impls:
            if command is None:
                continue
            if name.startswith("numpy") and rep >= numpy_reps:
                continue
            r = run_one(command, dict(env, **extra), name)
            results[name].append(r)
            log(f"  {workload} threads={threads} rep {rep + 1}/{reps} {name}: {r['seconds']:.6g} s "
                f"(cpu {r['cpu_seconds']:.6g}), loss {r['loss']:.7g}")
    return [(name, command is not None, results[name]) for name, command, _ in impls]


def fmt_time(seconds):
    if seconds >= 1.0:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


def loss_ok(workload, loss, reference, accuracy):
    kind, tol = TOLERANCES[workload]
    if kind == "abs":
        ok = abs(loss - reference) <= tol
        if workload == "W1":
            ok = ok and accuracy >= 0.95
        return ok
    return abs(loss - reference) <= tol * abs(reference)


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build", "bench"))
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--numpy-reps", type=int, default=3, help="repetitions of the (slow) NumPy runs")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--workloads", default="W1,W2,W3-1,W3-256")
    parser.add_argument("--no-numpy", action="store_true")
    parser.add_argument("--openblas", help="also run LibTorch and NumPy with the libblas.so.3 in this directory "
                        "(e.g. OpenBLAS extracted from Debian's libopenblas0-pthread, see benchmarks/README.md)")
    parser.add_argument("--json", help="also write every raw result to this file")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    threads_list = [int(t) for t in args.threads.split(",")]
    workloads = args.workloads.split(",")

    def log(message):
        print(message, file=sys.stderr, flush=True)

    data = os.path.join(build, "data")
    if not os.path.exists(os.path.join(data, "w2_X.npy")):
        log(f"writing the shared data to {data}")
        subprocess.run([os.path.join(build, "benchmarks", "nnfs_bench_data"), data], check=True)
    peak = json.loads(subprocess.run([os.path.join(build, "benchmarks", "nnfs_bench_peak")], capture_output=True,
                                     text=True, check=True).stdout)
    log(f"measured FMA peak ({peak['isa']}): {peak['gflops']} GFLOP/s")
    load_before = os.getloadavg()
    started = time.time()

    rows = []
    raw = []
    medians = {}
    for workload in workloads:
        for threads in threads_list:
            for name, built, results in measure(build, workload, threads, args.reps, args.numpy_reps,
                                                not args.no_numpy, args.openblas, log):
                raw.extend(results)
                rows.append((workload, threads, name, built, results))
                if results:
                    medians[(workload, threads, name)] = statistics.median(r["seconds"] for r in results)

    load_after = os.getloadavg()
    minutes = (time.time() - started) / 60

    print(f"**Machine:** {machine()}; measured single-precision FMA peak ({peak['isa']}): "
          f"{peak['gflops']['1']:.0f} GFLOP/s on 1 core, {peak['gflops']['2']:.0f} on 2.  ")
    print(f"**Run:** {args.reps} alternating repetitions ({args.numpy_reps} for NumPy), {minutes:.1f} min, "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after.")
    print()
    print("| workload | threads | implementation | median (min–max) | CPU time | ratio vs nnfs-fast | GFLOP/s (% of peak) "
          "| final loss / checksum | same result |")
    print("|---|---|---|---|---|---|---|---|---|")
    for workload, threads, name, built, results in rows:
        if not built:
            print(f"| {workload} | {threads} | {name} | not built | | | | | |")
            continue
        if not results:
            continue
        times = [r["seconds"] for r in results]
        med = statistics.median(times)
        cpu = statistics.median(r["cpu_seconds"] for r in results)
        base = medians.get((workload, threads, "nnfs-fast"))
        ratio = f"{med / base:.2f}×" if base else "—"
        gflops = workload_flops(workload) / med / 1e9
        share = 100 * gflops / peak["gflops"][str(threads)] if str(threads) in peak["gflops"] else float("nan")
        loss = results[0]["loss"]
        reference = next((r for w, t, n, b, r in rows if w == workload and t == threads and n == "nnfs-fast"), None)
        if reference:
            ok = all(loss_ok(workload, r["loss"], reference[0]["loss"], r["accuracy"]) for r in results)
            same = "yes" if ok else "**NO**"
        else:
            same = "—"
        shown_loss = f"{loss:.7g}" + (f" (acc {results[0]['accuracy']:.3f})" if workload in ("W1", "W2") else "")
        print(f"| {workload} | {threads} | {name} | {fmt_time(med)} ({fmt_time(min(times))}–{fmt_time(max(times))}) "
              f"| {fmt_time(cpu)} | {ratio} | {gflops:.1f} ({share:.0f}%) | {shown_loss} | {same} |")

    def ratio(a, b):
        return medians[a] / medians[b] if a in medians and b in medians else None

    print()
    print("**Targets** (ratios of medians in this run):")
    checks = []
    if ("W1", 1, "nnfs-fast") in medians:
        r = ratio(("W1", 1, "nnfs-fast"), ("W1", 1, "eigen-hand"))
        if r is not None:
            checks.append((f"W1 no slower than the hand-written Eigen loop: nnfs-fast / eigen-hand = {r:.2f}", r <= 1.0))
        for torch in ("torch", "torch+openblas"):
            r = ratio(("W1", 1, torch), ("W1", 1, "nnfs-fast"))
            if r is not None:
                checks.append((f"W1 at least 5× faster than LibTorch: {torch} / nnfs-fast = {r:.1f}×", r >= 5.0))
    for threads in threads_list:
        r = ratio(("W2", threads, "nnfs-fast"), ("W2", threads, "eigen-hand"))
        if r is not None:
            checks.append((f"W2 at least as fast as the hand-written Eigen loop, {threads} thread(s): "
                           f"nnfs-fast / eigen-hand = {r:.2f}", r <= 1.0))
    if 2 in threads_list:
        for torch in ("torch", "torch+openblas"):
            r = ratio(("W2", 1, torch), ("W2", 2, "nnfs-fast"))
            if r is not None:
                checks.append((f"W2 with 2 threads at least 2.5× LibTorch's single-threaded throughput: "
                               f"{torch}(1 thread) / nnfs-fast(2 threads) = {r:.1f}×", r >= 2.5))
    if ("W3-1", 1, "nnfs-fast") in medians:
        t = medians[("W3-1", 1, "nnfs-fast")]
        checks.append((f"W3 single-sample predict under 5 µs: {t * 1e6:.2f} µs", t < 5e-6))
    for text, ok in checks:
        print(f"- {'met' if ok else '**missed**'}: {text}")

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"peak": peak, "results": raw}, f, indent=1)


if __name__ == "__main__":
    main()
