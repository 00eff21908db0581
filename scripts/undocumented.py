#!/usr/bin/env python3
"""Lists public declarations of the library targets that have no `///` documentation comment.

A declaration counts when it is written `public` or `open`, or when it is implicitly public: an
enum case of a public enum (also cases written on the enum's own line, `enum E { case a, b }`,
which no comment can describe one by one), or a requirement of a public protocol. Extensions are
skipped (DocC documents their members, not the extension), and so are conformance members whose
documentation DocC inherits from the protocol: `init(from:)`, `encode(to:)`, `hash(into:)`, `==`,
`<`, `makeIterator()`, and the witnesses `description: String` / `debugDescription: String` of a
type declared CustomStringConvertible / CustomDebugStringConvertible and `errorDescription` of a
LocalizedError. Any other `description` (an optional config field, say) needs its own comment.

Usage: scripts/undocumented.py [--summary] [TARGET ...]
Default targets: TRMCore TRMModel TRMData TRMExperiment TRMServe. Prints `file:line: declaration`
per finding, then a count per target (`--summary` prints only the counts). Exits 1 when it finds
anything, 0 otherwise, so CI can run it as a gate.
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
INHERITED = re.compile(r"\b(init\(from decoder|func encode\(to encoder|func hash\(into|func ==|func <|func makeIterator\(\))")
# Protocol witnesses whose documentation DocC inherits, with the protocol the enclosing type must
# declare. Only the exact requirement type counts: `var description: String?` is not a witness.
WITNESSES = [
    (re.compile(r"\b(?:var|let)\s+description\s*:\s*String\b(?!\s*\?)"), "CustomStringConvertible"),
    (re.compile(r"\b(?:var|let)\s+debugDescription\s*:\s*String\b(?!\s*\?)"), "CustomDebugStringConvertible"),
    (re.compile(r"\bvar\s+errorDescription\s*:\s*String\?"), "LocalizedError"),
]
TYPE_DECLARATION = re.compile(
    r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*" + MODIFIERS + r"(?:(public|open)\s+)?" + MODIFIERS
    + r"(struct|enum|class|protocol|actor|extension)\s+(?!(?:func|var|let|init|subscript|typealias)\b)[A-Za-z_]"
)
SAME_LINE_CASES = re.compile(r"\{\s*case\b[^}]*\}")


def inherited(line, header):
    """Whether the declaration is a conformance member DocC documents from its protocol."""
    if INHERITED.search(line):
        return True
    return any(pattern.search(line) and protocol in header for pattern, protocol in WITNESSES)


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
    # Stack of (kind, is_public, depth, header) for enclosing type bodies; header is the
    # declaration's text up to its `{` (conformances may wrap onto further lines).
    stack = []
    pending = None
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
        header = enclosing[3] if enclosing else ""
        if match and kind != "extension" and not inherited(line, header):
            # Inside a function body nothing is public API.
            if enclosing is not None or depth == 0:
                if not documented(lines, index):
                    findings.append((index + 1, stripped))
        code = strip_code(line)
        opens, closes = code.count("{"), code.count("}")
        type_match = TYPE_DECLARATION.match(line)
        if type_match and type_match.group(2) == "enum" and type_match.group(1) and SAME_LINE_CASES.search(code):
            findings.append((index + 1, stripped + "  (cases on the enum's line: give each case its own line and ///)"))
        if type_match:
            pending = (type_match.group(2), bool(type_match.group(1)), depth, "")
        if pending:
            # The header runs to the line that opens the body.
            pending = pending[:3] + (pending[3] + " " + code,)
            if opens:
                if opens > closes:
                    stack.append(pending)
                pending = None
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
    total = sum(counts.values())
    print(f"total: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
