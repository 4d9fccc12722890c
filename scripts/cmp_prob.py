#!/usr/bin/env python3
"""cmp_prob.py OLD NEW: compares two `flopledger assess` outputs of the same command that may
differ only in their printed probabilities and the probabilities' method notes, as after a
change of probability method (docs/performance.md, round 8, eval10). Every other byte must be
identical: both files are masked (each probability replaced by '#', each method note
"probability exact under ... (...)", "probability by quadrature ... (...)", "probability by
quasi-Monte Carlo ... (...)" by '<method>') and the masked texts compared byte for byte.

Formats: JSON and JSON Lines (the "probability" members; with --compact, an outcome array's 7th
element, checked against the number of outcomes), CSV (the "probability" column; rows compared
field by field after csv parsing), Markdown (the "P(exceeds)" column). The text table prints no
probabilities: it must be identical. Prints how many notes and probabilities changed and the
largest change (with its line); exit 0 when only those differ, 1 otherwise."""
import csv
import io
import json
import re
import sys

NOTE = re.compile(r'probability (?:exact under|by quadrature|by quasi-Monte Carlo)[^()"\n]*'
                  r'\([^()"\n]*\)')
NUM = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
JSON_PROB = re.compile(r'("probability": ?)(' + NUM + r"|null)")
STR = r'(?:"[^"\\]*"|null)'
# --compact: [status, compute status, counted FLOP (a string or [low, central, high]),
# threshold, comparator, margin, probability, ...]
COMPACT = re.compile(r'(\["[a-z-]+","[a-z-]+",(?:' + STR + r'|\["[^"]*","[^"]*","[^"]*"\]),'
                     + STR + "," + STR + ",(?:" + NUM + r"|null),)(" + NUM + r"|null)(?=[,\]])")
MD_HEADER = "| policy | verdict | counted FLOP | threshold | margin (log10) | P(exceeds) | legal status |"


def value(text):
    try:
        return float(text)
    except ValueError:
        return None  # null, '-' or empty: no probability


def mask_regex(text, regex):
    """The text with group 2 of each match replaced by '#', and [(line, value text)]."""
    found, line, pos = [], 1, 0
    def sub(m):
        nonlocal line, pos
        line += text.count("\n", pos, m.start())
        pos = m.start()
        found.append((line, m.group(2)))
        return m.group(1) + "#"
    return regex.sub(sub, text), found


def mask_json(text):
    masked, found = mask_regex(text, JSON_PROB)
    if len(found) != text.count('"probability"'):
        raise SystemExit('a "probability" member the mask does not read')
    if '"outcomes":[[' in text:  # --compact
        masked, compact = mask_regex(masked, COMPACT)
        outcomes = 0
        for line in text.splitlines():
            if line.strip():
                outcomes += len(json.loads(line).get("outcomes", []))
        if len(compact) != outcomes:
            raise SystemExit(f"{outcomes} compact outcomes, {len(compact)} read")
        found += compact
    return masked, found


def mask_csv(text):
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else []
    cols = [i for i, name in enumerate(header) if name == "probability"]
    found, out = [], []
    for n, row in enumerate(rows):
        if n > 0 and len(row) == len(header):
            for i in cols:
                found.append((n + 1, row[i]))
                row = row[:i] + ["#"] + row[i + 1:]
        out.append("\x1f".join(row))
    return "\x1e".join(out), found


def mask_markdown(text):
    lines, found, in_table = text.split("\n"), [], False
    for n, line in enumerate(lines):
        if line == MD_HEADER:
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("|---"):
            cells = line.split(" | ")
            if len(cells) != 7:
                raise SystemExit(f"line {n + 1}: a P(exceeds) row of {len(cells)} cells")
            found.append((n + 1, cells[5]))
            cells[5] = "#"
            lines[n] = " | ".join(cells)
    return "\n".join(lines), found


def mask(text):
    text, notes = NOTE.subn("<method>", text)
    head = text.lstrip()[:1]
    if head in ("{", "["):
        masked, found = mask_json(text)
    elif text.startswith("id,"):
        masked, found = mask_csv(text)
    elif MD_HEADER in text:
        masked, found = mask_markdown(text)
    else:
        masked, found = text, []
    return masked, found


def main(old, new):
    a, b = open(old, encoding="utf-8").read(), open(new, encoding="utf-8").read()
    if a == b:
        print("identical")
        return 0
    notes_a, notes_b = NOTE.findall(a), NOTE.findall(b)
    ma, pa = mask(a)
    mb, pb = mask(b)
    if ma != mb or len(pa) != len(pb):
        at = next((i for i, (x, y) in enumerate(zip(ma, mb)) if x != y), min(len(ma), len(mb)))
        print(f"DIFFERENT outside probabilities and method notes (masked text, offset {at}):")
        print(f"  old: {ma[max(0, at - 80):at + 80]!r}\n  new: {mb[max(0, at - 80):at + 80]!r}")
        return 1
    kinds = {}
    for x, y in zip(notes_a, notes_b):
        if x != y:
            key = (re.sub(r"\d+ points", "N points", x), re.sub(r"\d+ points", "N points", y))
            kinds[key] = kinds.get(key, 0) + 1
    print(f"{sum(kinds.values())} of {len(notes_a)} method notes differ")
    for (x, y), c in sorted(kinds.items(), key=lambda kv: -kv[1])[:6]:
        print(f"  {c}x: {x} -> {y}")
    changed, worst, where = 0, 0.0, None
    for (line, x), (_, y) in zip(pa, pb):
        if x == y:
            continue
        vx, vy = value(x), value(y)
        if vx is None or vy is None:
            print(f"DIFFERENT: line {line}: a probability {x!r} -> {y!r}")
            return 1
        changed += 1
        if abs(vx - vy) > worst:
            worst, where = abs(vx - vy), (line, x, y)
    print(f"{changed} of {len(pa)} probabilities differ; largest difference {worst:.6g}"
          + (f" (line {where[0]}: {where[1]} -> {where[2]})" if where else ""))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
