#!/usr/bin/env bash
# One command for the whole benchmark: configure build/bench with the `bench` preset
# (Release, -DNNFS_BUILD_BENCHMARKS=ON, -march=native on the benchmark targets only), build it,
# then run every implementation alternately and print the table (benchmarks/run.py; its options,
# e.g. --reps 3 --threads 1 --workloads W1, are passed through).
#
#   bash benchmarks/run.sh
#
# Needs: cmake >= 3.25, ninja, g++, libeigen3-dev, libfmt-dev; optional: libtorch-dev (the
# LibTorch column), python3-numpy (the NumPy rows; run with Debian's /usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cmake --preset bench >/dev/null
cmake --build --preset bench
exec /usr/bin/python3 benchmarks/run.py --build build/bench "$@"
