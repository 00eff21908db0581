#!/usr/bin/env python3
"""Groups a perf profile of trm-bench into kinds of work and prints each kind's share.

Reads the text of `perf report --stdio --no-children --sort symbol -g none` (with or without the
Overhead and Samples columns, with or without `-t` separators) and prints a table of categories
(sgemm compute, sgemm packing, the engine's own kernels, idle worker spin, page faults, ...) with
their samples and share, then the top symbols (Swift names demangled when `swift` is on PATH).
Standard library only. `make profile` (scripts/profile.sh) records and runs this; the test
TRMBenchTests.ProfileScriptTests feeds it a canned report.

Usage: profile.py [--json] [--no-demangle] [--top N] [--measurement FILE] REPORT|-
"""
import argparse
import json
import re
import shutil
import subprocess
import sys

USER, KERNEL, ANY = "user", "kernel", "any"

# First match wins, so the specific sgemm and engine kernels come before the broad kernel and
# "other" buckets. Patterns are searched in the raw (mangled) symbol: Swift manglings keep type
# names whole (`8SiLUGateO7forward`), so substrings find them without demangling.
CATEGORIES = [
    ("sgemm compute kernel", USER, r"gemm_kernel|gemm_small_kernel"),
    ("sgemm packing/copy", USER, r"gemm_\w*copy"),
    ("sgemm beta (C scaling)", USER, r"gemm_beta"),
    ("SiLU gate", ANY, r"SiLUGate"),
    ("RMSNorm", ANY, r"RMSNorm"),
    ("softmax", ANY, r"Softmax"),
    ("RoPE", ANY, r"RotaryTable|RoPE"),
    ("optimizer (Adam-atan2, sign SGD)", ANY, r"Optimizer|SignSGD|atan"),
    # Threads waiting for work: OpenBLAS's server and inner-thread spin (sched_yield in a loop),
    # Dispatch workers parking, and the scheduler paths those waits run through.
    (
        "idle worker spin",
        ANY,
        r"sched_yield|^schedule$|__schedule|finish_task_switch|pick_next_task|yield_task|futex"
        r"|blas_thread_server|inner_thread|exec_blas|_dispatch_|_pthread_|pthread_cond",
    ),
    ("memory copies (memmove/memset/memcpy)", USER, r"memmove|memset|memcpy"),
    ("page faults and other kernel", KERNEL, r""),
    ("other", ANY, r""),
]

LINE = re.compile(r"^\s*(?:(?P<percent>[\d.]+)%\s+)?(?:(?P<samples>\d+)\s+)?\[(?P<mode>[^\]]+)\]\s+(?P<rest>.*)$")


def parse(text):
    """(weight, mode, symbol) per report line; weight is the sample count, else the percentage."""
    rows = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = LINE.match(line)
        if not match:
            continue
        # The symbol ends at a `-t` separator or at the run of spaces before perf's IPC columns.
        symbol = re.split(r"\t|\s{2,}", match["rest"].strip())[0].strip()
        weight = int(match["samples"]) if match["samples"] else float(match["percent"] or 0)
        mode = KERNEL if match["mode"].strip() == "k" else USER
        rows.append((weight, mode, symbol))
    return rows


def category(mode, symbol):
    """The first category whose mode and pattern fit the symbol."""
    for name, wanted, pattern in CATEGORIES:
        if wanted in (ANY, mode) and re.search(pattern, symbol):
            return name
    return "other"


def group(rows):
    """Samples per category, in the table's order (all categories, zeros included)."""
    totals = {name: 0 for name, _, _ in CATEGORIES}
    for weight, mode, symbol in rows:
        totals[category(mode, symbol)] += weight
    return totals


def top_symbols(rows, count):
    """The `count` heaviest symbols, merged by name."""
    merged = {}
    for weight, mode, symbol in rows:
        merged[(symbol, mode)] = merged.get((symbol, mode), 0) + weight
    return sorted(merged.items(), key=lambda item: -item[1])[:count]


def demangle(symbols):
    """Swift symbols demangled with `swift demangle --simplified`; unchanged without swift."""
    swift = shutil.which("swift")
    if not swift or not symbols:
        return list(symbols)
    try:
        result = subprocess.run(
            [swift, "demangle", "--simplified"], input="\n".join(symbols) + "\n", capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return list(symbols)
    lines = result.stdout.splitlines()
    return lines if result.returncode == 0 and len(lines) == len(symbols) else list(symbols)


def measurement_line(path):
    """One line from the child's JSON measurement (the last line of its output)."""
    try:
        with open(path) as handle:
            lines = [line for line in handle.read().splitlines() if line.strip()]
        m = json.loads(lines[-1])
    except (OSError, IndexError, ValueError) as error:
        return f"(no measurement in {path}: {error})"
    kind = "training step" if m["kind"] == "train" else "inference solve (full K)"
    return (
        f"{m['config']} {kind}, batch {m['batch']}: {m['secondsPerStep']:.4f} s median over {m['samples']} samples, "
        f"{m['gflops']:.1f} GFLOP/s"
    )


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", help="perf report --stdio text, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print the grouping as JSON instead of tables")
    parser.add_argument("--no-demangle", action="store_true", help="print symbols as perf reports them")
    parser.add_argument("--top", type=int, default=15, help="symbols to list below the table (default 15)")
    parser.add_argument("--measurement", help="the child's JSON output, summarised above the table")
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.report == "-" else open(args.report).read()
    rows = parse(text)
    if not rows:
        sys.exit(f"profile.py: no samples found in {args.report} (expected `perf report --stdio` lines like '42.0%  123  [.] symbol')")
    total = sum(weight for weight, _, _ in rows)
    totals = group(rows)
    top = top_symbols(rows, args.top)
    names = [symbol for (symbol, _), _ in top]
    shown = names if args.no_demangle else demangle(names)
    if args.json:
        print(json.dumps({
            "total": total,
            "categories": {name: {"samples": value, "share": value / total} for name, value in totals.items()},
            "top": [{"symbol": name, "mode": mode, "samples": value} for name, ((_, mode), value) in zip(shown, top)],
        }, indent=2))
        return
    if args.measurement:
        print(measurement_line(args.measurement))
        print()
    # Without a Samples column the weights are perf's percentages.
    unit = "samples" if all(isinstance(weight, int) for weight, _, _ in rows) else "percent"
    width = max(len(name) for name in totals)
    print(f"{'category':<{width}}  {unit:>8}  {'share':>7}")
    for name, value in totals.items():
        print(f"{name:<{width}}  {value:>8g}  {100 * value / total:>6.1f}%")
    print(f"{'total':<{width}}  {total:>8g}  {100.0:>6.1f}%")
    print()
    print(f"top {len(top)} symbols")
    print(f"{unit:>8}  {'share':>7}  symbol")
    for name, ((_, mode), value) in zip(shown, top):
        label = name if len(name) <= 120 else name[:117] + "..."
        print(f"{value:>8g}  {100 * value / total:>6.1f}%  {label}{'  [kernel]' if mode == KERNEL else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
