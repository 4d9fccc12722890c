#!/usr/bin/env python3
"""Example 05: the C API from Python through ctypes (standard library only).

usage: assess.py LIBFLOPLEDGER_C REGISTRY [YYYY-MM-DD]

Loads libflopledger_c.so, assesses the registry against four policies as of the date and prints
the same table as example 02 (C++), so both front ends can be checked against one expectation.
"""
import ctypes
import json
import sys

POLICIES = ["eu-ai-act-art51", "us-eo-14110-general", "ca-sb53-frontier", "kr-ai-basic-act"]


def load(path):
    lib = ctypes.CDLL(path)
    lib.flopledger_new.restype = ctypes.c_void_p
    lib.flopledger_new.argtypes = [ctypes.c_char_p]
    # Results are returned as raw pointers so that they can be given back to flopledger_free.
    for name in ("flopledger_estimate", "flopledger_assess"):
        fn = getattr(lib, name)
        fn.restype = ctypes.c_void_p
        fn.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.flopledger_last_error.restype = ctypes.c_char_p
    lib.flopledger_last_error.argtypes = [ctypes.c_void_p]
    lib.flopledger_free.argtypes = [ctypes.c_void_p]
    lib.flopledger_delete.argtypes = [ctypes.c_void_p]
    lib.flopledger_version.restype = ctypes.c_char_p
    return lib


def assess(lib, records, options):
    handle = lib.flopledger_new(None)
    if not handle:
        raise RuntimeError(lib.flopledger_last_error(None).decode())
    try:
        raw = lib.flopledger_assess(handle, records.encode(), json.dumps(options).encode())
        if not raw:
            raise RuntimeError(lib.flopledger_last_error(handle).decode())
        try:
            return json.loads(ctypes.string_at(raw).decode())
        finally:
            lib.flopledger_free(raw)
    finally:
        lib.flopledger_delete(handle)


def scientific(text, digits=3):
    """The contract's exact decimal string, to `digits` significant digits (text output)."""
    value = float(text)
    mantissa, exponent = ("%.*e" % (digits - 1, value)).split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return "%se%d" % (mantissa, int(exponent))


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    lib = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        records = f.read()
    as_of = sys.argv[3] if len(sys.argv) > 3 else "2026-06-01"
    results = assess(lib, records, {"as_of": as_of, "policies": POLICIES})

    print("as of %s" % results[0]["as_of"])
    for i, v in enumerate(results[0]["verdicts"]):
        standing = "in force" if v["in_force"] else "not in force"
        print("[%d] %-21s%s, %s" % (i + 1, v["policy"], v["legal_status"], standing))
    rows = [["model", "total"] + ["[%d]" % (i + 1) for i in range(len(POLICIES))]]
    for r in results:
        rows.append([r["id"], scientific(r["total"]["central"])] +
                    [v["status"] for v in r["verdicts"]])
    for row in rows:
        line = "%-22s%-10s" % (row[0], row[1]) + "".join("%-15s" % s for s in row[2:])
        print(line.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
