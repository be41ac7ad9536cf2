#!/usr/bin/env bash
# Fuzz the file parsers with libFuzzer, on Debian 12 / Ubuntu 24.04 (as root, or a user with sudo):
#
#   bash scripts/fuzz.sh [seconds-per-target [target...]]   # default: 30 seconds, every target
#   bash scripts/fuzz.sh 60                                  # every fuzz/fuzz_*.cpp, 60 s each
#   bash scripts/fuzz.sh 300 npz                             # only fuzz/fuzz_npz.cpp
#
# The targets run NNFS_FUZZ_JOBS at a time (default: one per CPU core, `nproc`), each on one core
# for its full time.
#
# Installs what is missing (clang, its libFuzzer runtime libclang-rt-<N>-dev, and the build
# dependencies), configures build/fuzz (Ninja, clang++, NNFS_BUILD_FUZZERS=ON, no tests or
# examples), builds every fuzz/fuzz_<name>.cpp and runs each for the given time with
#     -max_total_time=<seconds> -timeout=10 -rss_limit_mb=2048
# on a scratch copy of its seed corpus fuzz/corpus/<name>/ (the committed corpus is never
# modified), with the dictionary fuzz/dict/<name>.dict when there is one. Exits non-zero when any
# target finds a crash, a sanitizer report, a leak, a timeout or an out-of-memory; the input that
# triggered it is kept as build/fuzz/artifacts/<name>/crash-… (or leak-, timeout-, oom-), and
#     build/fuzz/fuzz/fuzz_<name> build/fuzz/artifacts/<name>/crash-…
# reproduces it. Works from any directory; never asks questions.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

readonly BUILD_DIR=build/fuzz
readonly PACKAGES=(clang cmake ninja-build libeigen3-dev libfmt-dev zlib1g-dev libpng-dev)

say() { printf '[fuzz] %s\n' "$*"; }
die() { printf '[fuzz] error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
usage: bash scripts/fuzz.sh [seconds-per-target [target...]]
  seconds-per-target  how long each fuzzer runs (default 30)
  target              fuzzer names (fuzz/fuzz_<name>.cpp → <name>); default: all of them
EOF
}

# Debian/Ubuntu packages that dpkg does not report as installed.
missing_packages() {
  local pkg
  for pkg in "$@"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != *"ok installed" ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

apt_install() {
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      die "missing packages: $*. Not root and no sudo; as root, run:
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $*"
    fi
  fi
  say "installing missing packages: $*"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# clang first, then the libFuzzer/sanitizer runtime that matches its major version
# (libclang-rt-14-dev on Debian 12, libclang-rt-18-dev on Ubuntu 24.04).
install_missing_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "dpkg/apt-get not found: not a Debian-like system, so not installing anything."
    say "Make sure clang++ with its libFuzzer runtime and these are installed: ${PACKAGES[*]}"
    return 0
  fi
  local missing
  mapfile -t missing < <(missing_packages "${PACKAGES[@]}")
  if ((${#missing[@]} > 0)); then apt_install "${missing[@]}"; fi

  local major
  major=$(clang++ --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
  [[ -n "$major" ]] || die "cannot tell clang++'s version from: $(clang++ --version | head -n 1)"
  mapfile -t missing < <(missing_packages "libclang-rt-${major}-dev")
  if ((${#missing[@]} > 0)); then apt_install "${missing[@]}"; fi
  say "clang ${major} with libclang-rt-${major}-dev and ${PACKAGES[*]} are installed"
}

build() {
  say "configuring ${BUILD_DIR} (clang++, NNFS_BUILD_FUZZERS=ON)"
  cmake -S . -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ \
    -DNNFS_BUILD_FUZZERS=ON -DNNFS_BUILD_TESTS=OFF -DNNFS_BUILD_EXAMPLES=OFF -DNNFS_BUILD_COMPILED=OFF -DNNFS_IO=ON
  say "building the fuzz targets"
  cmake --build "$BUILD_DIR"
}

# Runs one fuzzer; writes its summary line to ${BUILD_DIR}/logs/<name>.summary (and, when it
# failed, the report to stderr) and returns its exit status.
run_target() {
  local name=$1 seconds=$2
  local binary="${BUILD_DIR}/fuzz/fuzz_${name}"
  local corpus="fuzz/corpus/${name}"
  local dict="fuzz/dict/${name}.dict"
  local artifacts="${BUILD_DIR}/artifacts/${name}"
  local log="${BUILD_DIR}/logs/${name}.log"
  local summary="${BUILD_DIR}/logs/${name}.summary"
  rm -f "$summary"
  [[ -x "$binary" ]] || die "the build did not produce ${binary}"

  # libFuzzer adds every new interesting input to its first corpus directory: a scratch copy.
  local scratch
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/nnfs-fuzz-${name}.XXXXXX")
  # shellcheck disable=SC2064  # expand now: this subshell's own scratch folder
  trap "rm -rf '${scratch}'" EXIT
  if [[ -d "$corpus" ]]; then
    cp -R "$corpus/." "$scratch/"
  else
    say "warning: no seed corpus ${corpus}/, starting from nothing"
  fi
  mkdir -p "$artifacts" "$(dirname "$log")"

  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              -artifact_prefix="${artifacts}/")
  [[ -f "$dict" ]] && args+=(-dict="$dict")
  say "running fuzz_${name} for ${seconds} s on $(find "$scratch" -type f | wc -l) seeds (log: ${log})"
  local status=0
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
    "$binary" "${args[@]}" "$scratch" >"$log" 2>&1 || status=$?

  local runs execs rss corpus_size
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  corpus_size=$(find "$scratch" -type f | wc -l)
  if ((status == 0)); then
    printf '%-10s ok      %12s runs  %8s exec/s  peak RSS %5s MB  corpus %s\n' \
      "$name" "${runs:-?}" "${execs:-?}" "${rss:-?}" "$corpus_size" >"$summary"
  else
    printf '%-10s FAILED  (exit %d) see %s; inputs in %s/\n' "$name" "$status" "$log" "$artifacts" >"$summary"
    # the report itself: the sanitizer or libFuzzer message and the stack
    grep -E -A 30 'ERROR: |runtime error:|==[0-9]+==|deadly signal|Test unit written' "$log" | head -n 60 >&2 || true
  fi
  return "$status"
}

main() {
  local seconds=30
  if (($# > 0)); then
    case "$1" in
      -h | --help) usage; exit 0 ;;
    esac
    [[ "$1" =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }
    seconds=$1
    shift
  fi

  # The repository root, wherever the script is called from.
  cd "$(dirname "${BASH_SOURCE[0]}")/.."

  local targets=("$@")
  if ((${#targets[@]} == 0)); then
    local source
    for source in fuzz/fuzz_*.cpp; do
      [[ -e "$source" ]] || die "no fuzz/fuzz_*.cpp targets found"
      source=${source#fuzz/fuzz_}
      targets+=("${source%.cpp}")
    done
  fi
  local target
  for target in "${targets[@]}"; do
    [[ -f "fuzz/fuzz_${target}.cpp" ]] || die "unknown target '${target}': no fuzz/fuzz_${target}.cpp"
  done

  install_missing_packages
  build

  local jobs=${NNFS_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
  [[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "NNFS_FUZZ_JOBS must be a positive integer, not '${jobs}'"
  say "running ${#targets[@]} targets, ${jobs} at a time"
  local failed=0 running=0
  for target in "${targets[@]}"; do
    if ((running == jobs)); then
      wait -n || failed=1
      running=$((running - 1))
    fi
    run_target "$target" "$seconds" &
    running=$((running + 1))
  done
  while ((running > 0)); do
    wait -n || failed=1
    running=$((running - 1))
  done

  say "summary (${seconds} s per target):"
  for target in "${targets[@]}"; do
    say "  $(cat "${BUILD_DIR}/logs/${target}.summary" 2>/dev/null || echo "${target}: no summary (the run did not finish)")"
  done
  if ((failed)); then
    die "a fuzz target failed (crash, sanitizer report, leak, timeout or out-of-memory)"
  fi
  say "no failures"
}

main "$@"
