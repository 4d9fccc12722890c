#!/usr/bin/env python3
"""The brief renders cleanly through a Markdown renderer (cmark, CommonMark's reference).

Renders `assess models/ --format brief` (the registry-wide brief) and the GPT-4 brief, and checks
that the HTML has the expected structure (headings, a bold conclusion, lists, links) and that no
Markdown syntax survives as literal text (stray ** or backslash escapes, table pipes).
Usage: check_brief_markdown.py FLOPLEDGER_BINARY REPOSITORY_ROOT
"""
import re
import shutil
import subprocess
import sys

binary, root = sys.argv[1], sys.argv[2]
cmark = shutil.which("cmark")
if cmark is None:
    print("cmark is not installed (scripts/deps.sh installs it)")
    sys.exit(1)
failures = []
for args in (["models/gpt-4.json"], ["models/", "--curated-only"]):
    cmd = [binary, "assess"] + args + ["--format", "brief", "--as-of", "2025-09-01"]
    md = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=True).stdout
    html = subprocess.run([cmark], input=md, capture_output=True, text=True, check=True).stdout
    text = re.sub(r"<[^>]+>", "", html)
    where = " ".join(args)
    for needle, what in (("<h1>", "a title"),                          ("<h3>", "sections"),
                         ("<strong>", "a bold conclusion"), ("<ul>", "lists"),
                         ("<a href=", "links to sources")):
        if needle not in html:
            failures.append("%s: no %s (%s)" % (where, what, needle))
    for literal in ("**", "\\", "|", "<!--"):
        if literal in text:
            failures.append("%s: literal %r in the rendered text" % (where, literal))
for f in failures:
    print("FAIL", f)
print("%d passed, %d failed" % (2 if not failures else 0, len(failures)))
sys.exit(1 if failures else 0)
