#!/usr/bin/env bash
# What a user's program costs to build: compile time, compiler memory and preprocessed size of a
# few programs that include nnfs, each one translation unit compiled with `g++ -O2` (no linking).
#
#   bash benchmarks/compile_time.sh                    # this checkout
#   bash benchmarks/compile_time.sh --reps 3 OLD NEW   # two checkouts side by side, same run
#
# The programs:
#   readme_model  the README's "A first network" program (umbrella header, trains a Model, plots)
#   umbrella      #include <nnfs/nnfs.hpp> and an empty main
#   dense         #include <nnfs/dense.hpp> (the old path: it works in every version) and a Dense forward
#   19_model      examples/19_model.cpp (chapter 18's Model program)
# and, where the checkout has the compiled mode (nnfs/detail/compiled.hpp), readme_model and
# 19_model again with -DNNFS_COMPILED, as a program linked with nnfs::compiled is compiled (the
# library's own build, src/compiled.cpp, is a separate row: it is paid once, not per program).
# Each is compiled --reps times; the table shows the fastest wall time, its CPU time (user + sys)
# and the compiler's peak resident memory, and the preprocessed line count (g++ -E | wc -l).
# Times depend on the machine and on what else runs: compare checkouts within one run.
set -euo pipefail

CXX=${CXX:-g++}
REPS=1
TREES=()
while (($#)); do
  case "$1" in
    --reps) REPS=$2; shift 2 ;;
    --cxx) CXX=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) TREES+=("$1"); shift ;;
  esac
done
((${#TREES[@]})) || TREES=("$(cd "$(dirname "$0")/.." && pwd)")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The README's first C++ block after "## A first network".
readme_program() {
  awk '/^## A first network/{s=1} s&&/^```cpp/{c=1;next} c&&/^```/{exit} c{print}' "$1/README.md"
}

flags=(-std=c++17 -O2 -isystem /usr/include/eigen3 -c -o /dev/null)

measure() {  # tree name source [extra compiler flags] → one table row
  local tree=$1 name=$2 src=$3 best="" best_cpu="" best_mem="" i out
  local extra=("${@:4}")
  for ((i = 0; i < REPS; i++)); do
    out=$(/usr/bin/time -f '%e %U %S %M' "$CXX" "${flags[@]}" "${extra[@]}" -I"$tree/include" "$src" 2>&1 >/dev/null | tail -1)
    read -r wall user sys mem <<<"$out"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
    if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN{exit !(a<b)}'; then
      best=$wall best_cpu=$cpu best_mem=$mem
    fi
  done
  local lines
  lines=$("$CXX" -std=c++17 -E -isystem /usr/include/eigen3 -I"$tree/include" "$src" | wc -l)
  printf '| %s | %s | %s s | %s s | %d MB | %s |\n' "$(basename "$tree")" "$name" "$best" "$best_cpu" \
    $((best_mem / 1024)) "$lines"
}

printf '| checkout | program | wall | CPU | peak memory | preprocessed lines |\n|---|---|---|---|---|---|\n'
for tree in "${TREES[@]}"; do
  tree=$(cd "$tree" && pwd)
  readme_program "$tree" >"$work/readme_model.cpp"
  [[ -s $work/readme_model.cpp ]] || { echo "no README program in $tree" >&2; exit 1; }
  printf '#include <nnfs/nnfs.hpp>\nint main() {}\n' >"$work/umbrella.cpp"
  cat >"$work/dense.cpp" <<'EOF'
#include <nnfs/dense.hpp>
int main() {
  nnfs::Dense<float> dense(2, 3);
  nnfs::Matrix<float> x = nnfs::Matrix<float>::Ones(4, 2);
  return dense.forward(x).rows() == 4 ? 0 : 1;
}
EOF
  measure "$tree" readme_model "$work/readme_model.cpp"
  measure "$tree" umbrella "$work/umbrella.cpp"
  measure "$tree" dense "$work/dense.cpp"
  measure "$tree" 19_model "$tree/examples/19_model.cpp"
  if [[ -f $tree/include/nnfs/detail/compiled.hpp ]]; then
    measure "$tree" "readme_model, compiled mode" "$work/readme_model.cpp" -DNNFS_COMPILED
    measure "$tree" "19_model, compiled mode" "$tree/examples/19_model.cpp" -DNNFS_COMPILED
    measure "$tree" "the library (src/compiled.cpp)" "$tree/src/compiled.cpp"
  fi
done
