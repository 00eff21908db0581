#!/usr/bin/env bash
# Coverage gate: runs the test suite with code coverage and prints line coverage per target from
# the toolchain's llvm-cov. The library targets (TRMCore, TRMModel, TRMData, TRMExperiment,
# TRMServe) form the gate: the script exits non-zero when their overall line coverage is below
# COVERAGE_MIN (default 70 %). The executables (trm-exp, trm-bench) are reported but not gated.
#
# Usage: scripts/coverage.sh [extra swift build/test flags, e.g. -Xswiftc -target-cpu -Xswiftc haswell]
# Environment: COVERAGE_MIN (percent, default 70), COVERAGE_BUILD_PATH (default .build-coverage:
# a separate build folder, so switching between `make test` and `make coverage` rebuilds nothing).
set -euo pipefail
cd "$(dirname "$0")/.."

min="${COVERAGE_MIN:-70}"
scratch="${COVERAGE_BUILD_PATH:-.build-coverage}"
library_targets=(TRMCore TRMModel TRMData TRMExperiment TRMServe)
executable_targets=(trm-exp trm-bench)

# llvm-cov from the toolchain that runs swift (its profile format matches the compiler's).
swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
llvm_cov="$swift_bin/llvm-cov"
[ -x "$llvm_cov" ] || llvm_cov="$(command -v llvm-cov)" || { echo "llvm-cov not found next to swift" >&2; exit 2; }

swift build --scratch-path "$scratch" --build-tests --enable-code-coverage "$@"
swift test --scratch-path "$scratch" --skip-build --enable-code-coverage "$@"

bin_path="$(swift build --scratch-path "$scratch" --show-bin-path "$@")"
codecov_json="$(swift test --scratch-path "$scratch" --show-codecov-path "$@")"
profdata="$(dirname "$codecov_json")/default.profdata"
[ -f "$profdata" ] || { echo "no coverage profile at $profdata" >&2; exit 2; }

# The test bundle (Linux: an executable named *.xctest; macOS: a bundle with the binary inside).
bundle="$(find "$bin_path" -maxdepth 1 -name '*PackageTests.xctest' | head -n 1)"
[ -n "$bundle" ] || { echo "no test bundle in $bin_path" >&2; exit 2; }
if [ -d "$bundle" ]; then
    objects=("$(find "$bundle/Contents/MacOS" -type f | head -n 1)")
else
    objects=("$bundle")
fi
# The CLI tests run the trm-exp binary built with coverage; count what it executed too.
for exe in "${executable_targets[@]}"; do
    [ -x "$bin_path/$exe" ] && objects+=(-object "$bin_path/$exe")
done

# Prints "<lines> <missed>" for the given source folders.
line_counts() {
    "$llvm_cov" report "${objects[@]}" -instr-profile "$profdata" "$@" 2>/dev/null |
        awk '$1 == "TOTAL" { print $8, $9; found = 1 } END { if (!found) print 0, 0 }'
}

row() { # name lines missed
    awk -v name="$1" -v lines="$2" -v missed="$3" 'BEGIN {
        pct = lines > 0 ? 100 * (lines - missed) / lines : 0
        printf "%-24s %8d %8d %8.2f %%\n", name, lines, missed, pct }'
}

echo
printf "%-24s %8s %8s %10s\n" "target" "lines" "missed" "coverage"
sources=()
for target in "${library_targets[@]}"; do
    read -r lines missed < <(line_counts "$PWD/Sources/$target")
    row "$target" "$lines" "$missed"
    sources+=("$PWD/Sources/$target")
done
read -r total_lines total_missed < <(line_counts "${sources[@]}")
for target in "${executable_targets[@]}"; do
    read -r lines missed < <(line_counts "$PWD/Sources/$target")
    row "$target (not gated)" "$lines" "$missed"
done
row "libraries overall" "$total_lines" "$total_missed"

awk -v lines="$total_lines" -v missed="$total_missed" -v min="$min" 'BEGIN {
    pct = lines > 0 ? 100 * (lines - missed) / lines : 0
    if (pct < min) { printf "FAIL: library line coverage %.2f %% is below %s %%\n", pct, min; exit 1 }
    printf "OK: library line coverage %.2f %% (gate: %s %%)\n", pct, min }'
