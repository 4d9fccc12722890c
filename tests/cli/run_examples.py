#!/usr/bin/env python3
"""Runs every example command of the `--help` texts and of docs/cli.md and docs/analyst-guide.md.

An example is a line starting with "flopledger " (after optional "$ " or "cat ... |") inside a
help footer's "Examples:" block or a fenced code block of the docs. Each runs with bash in a
scratch directory that holds the repository's models/, policies/, hardware/ and the sample files
the examples name (registry.jsonl, all_ml_systems.csv). An example passes when it exits 0, or 1
with --fail-on (a matched gate), or it is `plot` and flopledger-gui was not built. Usage:
run_examples.py FLOPLEDGER_BINARY REPOSITORY_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

binary, root = sys.argv[1], sys.argv[2]
binary = os.path.abspath(binary)


def help_examples():
    out = []
    top = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^\s{2}([a-z]+)\s", top.split("Subcommands:")[-1], re.M)
    for c in commands:
        texts = [subprocess.run([binary, c, "--help"], capture_output=True, text=True).stdout]
        for sub in re.findall(r"^\s{2}([a-z]+)\s", texts[0].split("Subcommands:")[-1], re.M) \
                if "Subcommands:" in texts[0] else []:
            texts.append(subprocess.run([binary, c, sub, "--help"], capture_output=True,
                                        text=True).stdout)
        for t in texts:
            if "Examples:" not in t:
                continue
            block = t.split("Examples:", 1)[1]
            pending = ""
            for line in block.splitlines()[1:]:
                if not line.startswith("  ") and not pending:
                    break
                line = pending + line.strip()
                if line.endswith("\\"):  # a command continued on the next line
                    pending = line[:-1] + " "
                    continue
                pending = ""
                out.append(("--help of " + c, line))
    return out


def doc_examples(path):
    out = []
    fenced = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fenced = not fenced
                continue
            s = line.strip()
            if s.startswith("$ "):
                s = s[2:]
            if fenced and (s.startswith("flopledger ") or re.match(r"cat \S+ \| flopledger ", s)):
                out.append((os.path.basename(path), s))
    return out


examples = help_examples()
if not examples:
    print("no example found in the --help texts")
    sys.exit(1)
for doc in ("docs/cli.md", "docs/analyst-guide.md"):
    p = os.path.join(root, doc)
    if os.path.exists(p):
        examples += doc_examples(p)

work = tempfile.mkdtemp(prefix="flopledger-examples-")
# models/ is copied: an example may write into it (import epoch ... -o models/epoch/...).
shutil.copytree(os.path.join(root, "models"), os.path.join(work, "models"))
for d in ("policies", "hardware", "docs"):
    os.symlink(os.path.join(root, d), os.path.join(work, d))
shutil.copy(os.path.join(root, "tests/cli/inputs/registry.jsonl"), os.path.join(work, "registry.jsonl"))
for name in ("all_ml_systems.csv", "all_ml_systems_full_view_2025-08-07.csv"):
    shutil.copy(os.path.join(root, "tests/cli/inputs/epoch-sample.csv"), os.path.join(work, name))
os.mkdir(os.path.join(work, "out"))
bindir = os.path.join(work, "bin")
os.mkdir(bindir)
os.symlink(binary, os.path.join(bindir, "flopledger"))
gui = os.path.join(os.path.dirname(os.path.dirname(binary)), "gui", "flopledger-gui")
env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"], QT_QPA_PLATFORM="offscreen")
if os.path.exists(gui):
    env["FLOPLEDGER_GUI"] = gui

passed = failed = 0
for where, cmd in examples:
    command = cmd.split("  #")[0].strip()
    if "-o models/" in command:
        # Writes into the registry (the shipped import's own command): a fresh copy after it.
        restore = True
    else:
        restore = False
    r = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True,
                       timeout=600)
    ok = r.returncode == 0 or (r.returncode == 1 and "--fail-on" in command)
    if not ok and " plot " in " " + command and "needs flopledger-gui" in r.stderr:
        ok = True
    if restore:
        shutil.rmtree(os.path.join(work, "models"))
        shutil.copytree(os.path.join(root, "models"), os.path.join(work, "models"))
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL (%s) exit %d: %s\n  %s" % (where, r.returncode, command,
                                            r.stderr.strip().replace("\n", "\n  ")))
shutil.rmtree(work, ignore_errors=True)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
