#!/usr/bin/env bash
# Profiles one trm-bench measurement with perf and prints where its time goes (behind
# `make profile`). The child runs with --no-ceiling, so the samples hold the model's work alone
# (plus its set-up: building the model and one warm-up step). perf's data stays in a temporary
# folder that is removed on exit.
#
# Usage: scripts/profile.sh CONFIG/train|infer/BATCH [SECONDS]
#   e.g. scripts/profile.sh sudoku-mlp-small/train/64 10
# Expects the release build (.build/release/trm-bench) and perf (Debian: linux-perf).
set -euo pipefail

job=${1:?usage: scripts/profile.sh CONFIG/train|infer/BATCH [SECONDS]}
seconds=${2:-10}
cd "$(dirname "$0")/.."
bench=.build/release/trm-bench

if ! command -v perf >/dev/null 2>&1; then
  echo "profile.sh: perf not found; on Debian install it with: sudo apt-get install -y linux-perf" >&2
  exit 1
fi
if [ ! -x "$bench" ]; then
  echo "profile.sh: $bench not found; build it with: make profile (or swift build -c release --product trm-bench)" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/trm-profile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# cpu-clock is a software event: it works in VMs without hardware counters and samples user and
# kernel time of every thread of the process (OpenBLAS's and Dispatch's workers included).
echo "perf record: $job, at least $seconds s of measured work, all cores" >&2
if ! perf record -q -e cpu-clock -F 1000 -o "$tmp/perf.data" -- \
  "$bench" --child "$job" --no-ceiling --min-seconds "$seconds" >"$tmp/measurement.json"; then
  echo "profile.sh: perf record failed. Kernel samples need root or kernel.perf_event_paranoid <= 1" >&2
  echo "  (sudo sysctl kernel.perf_event_paranoid=1); a bad JOB is reported by trm-bench above." >&2
  exit 1
fi
perf report -i "$tmp/perf.data" --stdio --no-children --sort symbol -g none -F overhead,sample,sym >"$tmp/report.txt" 2>"$tmp/report.err" || {
  cat "$tmp/report.err" >&2
  exit 1
}
python3 scripts/profile.py --measurement "$tmp/measurement.json" "$tmp/report.txt"
