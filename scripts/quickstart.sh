#!/usr/bin/env bash
# Quick start on a fresh Debian 12 / Ubuntu 24.04 machine (as root, or as a user with sudo):
#
#   bash scripts/quickstart.sh example   # build the flagship example alone, then run it
#   bash scripts/quickstart.sh test      # build everything, then run the test suite
#
# Installs the build dependencies that are missing (and only those), configures with the
# `default` CMake preset (Release, Ninja, into build/default), then either builds the one
# example program and runs it, or builds every target and runs the tests (`ctest --preset
# default`: all but the label `long`, the book's full-length runs, which CI runs on their own
# with `ctest --preset long`). Works from any directory; never asks questions.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# Everything the build and the tests need, as Debian/Ubuntu package names.
readonly PACKAGES=(g++ cmake ninja-build libeigen3-dev libfmt-dev catch2 pkg-config zlib1g-dev libpng-dev)
readonly EXAMPLE=examples/11_full_forward_pass   # under the preset's build directory
readonly BUILD_DIR=build/default                 # binaryDir of the `default` preset
readonly MIN_CMAKE=3.25                          # CMakePresets.json is version 6

say() { printf '[quickstart] %s\n' "$*"; }
die() { printf '[quickstart] error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
usage: bash scripts/quickstart.sh <example|test>
  example  install missing dependencies, build and run ${BUILD_DIR}/${EXAMPLE} (only that target)
  test     install missing dependencies, build everything, run the tests (ctest --preset default;
           the book's full-length runs, label long: ctest --preset long)
EOF
}

# Installs whichever of PACKAGES dpkg does not report as installed.
install_missing_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "dpkg/apt-get not found: not a Debian-like system, so not installing anything."
    say "Make sure these (or their equivalents) are installed: ${PACKAGES[*]}"
    return 0
  fi

  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != *"ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    say "all dependencies are installed: ${PACKAGES[*]}"
    return 0
  fi

  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      die "missing packages: ${missing[*]}. Not root and no sudo; as root, run:
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
    fi
  fi
  say "installing missing packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

check_cmake_version() {
  command -v cmake >/dev/null 2>&1 || die "cmake is not on PATH"
  local version
  version=$(cmake --version | sed -n '1s/^cmake version \([0-9][0-9.]*\).*/\1/p')
  if [[ -z "$version" ]] ||
     [[ "$(printf '%s\n%s\n' "$MIN_CMAKE" "$version" | sort -V | head -n 1)" != "$MIN_CMAKE" ]]; then
    die "CMake ${version:-?} is too old: the presets need CMake >= ${MIN_CMAKE} (Debian 12 and Ubuntu 24.04 have it)"
  fi
}

configure() {
  say "configuring (cmake --preset default)"
  cmake --preset default
}

# Builds the given targets, or everything without arguments.
build() {
  if (($# > 0)); then
    say "building $* (cmake --build --preset default --target $*)"
    cmake --build --preset default --target "$@"
  else
    say "building everything (cmake --build --preset default)"
    cmake --build --preset default
  fi
}

main() {
  if (($# != 1)); then
    usage >&2
    exit 2
  fi
  local mode=$1
  case "$mode" in
    example | test) ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac

  # The repository root, wherever the script is called from.
  cd "$(dirname "${BASH_SOURCE[0]}")/.."

  install_missing_packages
  check_cmake_version
  configure

  case "$mode" in
    example)
      # Only the program (and nothing else: no tests, no other examples) is compiled.
      build "$(basename "$EXAMPLE")"
      [[ -x "${BUILD_DIR}/${EXAMPLE}" ]] || die "the build did not produce ${BUILD_DIR}/${EXAMPLE}"
      say "running ${BUILD_DIR}/${EXAMPLE}"
      "./${BUILD_DIR}/${EXAMPLE}"
      ;;
    test)
      build
      say "running the tests (ctest --preset default)"
      ctest --preset default
      say "all tests passed"
      ;;
  esac
}

main "$@"
