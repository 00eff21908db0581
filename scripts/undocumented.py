#!/usr/bin/env python3
"""Lists public declarations of the library targets that have no `///` documentation comment.

A declaration counts when it is written `public` or `open`, or when it is implicitly public: an
enum case of a public enum, or a requirement of a public protocol. Extensions are skipped (DocC
documents their members, not the extension), and so are conformance members whose documentation
DocC inherits from the protocol (`init(from:)`, `encode(to:)`, `description`, `hash(into:)`, `==`,
`<`, `errorDescription`, `makeIterator()`).

Usage: scripts/undocumented.py [--summary] [TARGET ...]
Default targets: TRMCore TRMModel TRMData TRMExperiment TRMServe. Exits 0; prints `file:line: declaration`
per finding, then a count per target (`--summary` prints only the counts).
"""

import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DEFAULT_TARGETS = ["TRMCore", "TRMModel", "TRMData", "TRMExperiment", "TRMServe"]

MODIFIERS = (
    r"(?:(?:static|class|final|override|mutating|nonmutating|convenience|required|lazy|nonisolated|"
    r"indirect|dynamic|weak|unowned|(?:private|fileprivate|internal|package)\(set\)|@\w+(?:\([^)]*\))?)\s+)*"
)
KINDS = r"(func|var|let|init|subscript|struct|enum|class|protocol|typealias|actor|case|extension|associatedtype|macro)\b"
EXPLICIT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + r"(?:public|open)\s+" + MODIFIERS + KINDS)
IMPLICIT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + KINDS)
INHERITED = re.compile(
    r"\b(init\(from decoder|func encode\(to encoder|(?:var|let) description\b|var debugDescription\b|"
    r"var errorDescription\b|func hash\(into|func ==|func <|func makeIterator\(\))"
)


def strip_code(line):
    """The line without string literals and `//` comments, for brace counting."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    return line.split("//", 1)[0]


def documented(lines, index):
    """Whether the declaration at `index` is preceded by a doc comment (above its attributes)."""
    i = index - 1
    while i >= 0 and lines[i].strip().startswith("@"):
        i -= 1
    if i < 0:
        return False
    previous = lines[i].strip()
    return previous.startswith("///") or previous.endswith("*/")


def scan(path):
    findings = []
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    # Stack of (kind, is_public, depth) for enclosing type bodies.
    stack = []
    depth = 0
    in_multiline_string = False
    for index, line in enumerate(lines):
        if line.count('"""') % 2 == 1:
            in_multiline_string = not in_multiline_string
            continue
        if in_multiline_string:
            continue
        stripped = line.strip()
        enclosing = stack[-1] if stack and stack[-1][2] == depth - 1 else None
        explicit = EXPLICIT.match(line)
        match = explicit
        if not match and enclosing and enclosing[1]:
            implicit = IMPLICIT.match(line)
            if implicit and (
                (enclosing[0] == "enum" and implicit.group(1) == "case")
                or (enclosing[0] == "protocol" and implicit.group(1) != "case")
                or (enclosing[0] == "extension" and implicit.group(1) not in ("case", "extension")
                    and not re.match(r"^\s*(?:@\w+\s+)*(private|fileprivate|internal|package)\b", line))
            ):
                match = implicit
        kind = match.group(1) if match else None
        if match and kind != "extension" and not INHERITED.search(line):
            # Inside a function body nothing is public API.
            if enclosing is not None or depth == 0:
                if not documented(lines, index):
                    findings.append((index + 1, stripped))
        code = strip_code(line)
        opens, closes = code.count("{"), code.count("}")
        type_match = re.match(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + r"(?:(public|open)\s+)?" + MODIFIERS
                              + r"(struct|enum|class|protocol|actor|extension)\b", line)
        if type_match and opens > closes:
            is_public = bool(type_match.group(1))
            stack.append((type_match.group(2), is_public, depth))
        depth += opens - closes
        while stack and stack[-1][2] >= depth:
            stack.pop()
    return findings


def main(argv):
    summary_only = "--summary" in argv
    targets = [a for a in argv if not a.startswith("--")] or DEFAULT_TARGETS
    counts = {}
    for target in targets:
        base = os.path.join(ROOT, "Sources", target)
        total = 0
        for directory, _, files in sorted(os.walk(base)):
            for name in sorted(files):
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(directory, name)
                for line, text in scan(path):
                    total += 1
                    if not summary_only:
                        print(f"{os.path.relpath(path, ROOT)}:{line}: {text}")
        counts[target] = total
    for target, total in counts.items():
        print(f"{target}: {total} undocumented public declarations")
    print(f"total: {sum(counts.values())}")


if __name__ == "__main__":
    main(sys.argv[1:])
