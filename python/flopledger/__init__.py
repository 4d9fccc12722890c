"""FLOP Ledger: exact training-compute accounting against legal compute thresholds.

    import flopledger
    results = flopledger.assess("models/", as_of="2026-01-01")
    print(flopledger.manifest())

estimate(), assess() and sensitivity() take registry text, a path (file or directory), a dict
(one record) or a list of dicts, plus the CLI's options as keyword arguments (as_of, policies,
convention, prefer, samples, seed, threads, data_dir, format, ...; the same names as the C
API's options_json). They return the JSON documents of `flopledger estimate/assess/sensitivity
--format json` as Python objects (json.loads of the very same bytes). Bad input raises
InputError with code, line, pointer and message. The work runs without the GIL.

Numbers in dicts are written with json.dumps: give exact values as strings ("3.14e23").
"""
import json as _json
import os as _os
import threading as _threading

from . import _flopledger

__version__ = _flopledger.__version__
__all__ = ["estimate", "assess", "sensitivity", "manifest", "InputError", "__version__"]

_last = _threading.local()


class InputError(ValueError):
    """Invalid input. code: "E310"-style code (docs/errors.md); line: 1-based line (0 when not
    known); pointer: JSON pointer ("" when not known); message: what to change; diagnostics:
    every error line, FILE:LINE[:POINTER]: error CODE: message."""

    def __init__(self, code, line, pointer, message, diagnostics):
        super().__init__("\n".join(diagnostics))
        self.code = code
        self.line = line
        self.pointer = pointer
        self.message = message
        self.diagnostics = list(diagnostics)


def _input(records):
    if isinstance(records, (dict, list)):
        return "text", _json.dumps(records)
    if isinstance(records, _os.PathLike):
        return "path", _os.fspath(records)
    if isinstance(records, bytes):
        records = records.decode("utf-8")
    if not isinstance(records, str):
        raise TypeError("records must be registry text, a path, a dict or a list of dicts")
    stripped = records.lstrip()
    if stripped[:1] in ("{", "[") or "\n" in records:
        return "text", records
    return "path", records


def _call(command, records, options):
    kind, value = _input(records)
    outcome = _flopledger.run(command, kind, value, _json.dumps(options))
    if not outcome[0]:
        raise InputError(*outcome[1:])
    _last.manifest = outcome[2]
    return _json.loads(outcome[1])


def estimate(records, **options):
    """The `estimate --format json` document of `records` as Python objects."""
    return _call("estimate", records, options)


def assess(records, **options):
    """The `assess --format json` document of `records` as Python objects."""
    return _call("assess", records, options)


def sensitivity(records, **options):
    """The `sensitivity --format json` document of `records` as Python objects."""
    return _call("sensitivity", records, options)


def manifest():
    """The audit manifest (contract 7.7) of this thread's last successful call, as a dict; None
    before the first."""
    text = getattr(_last, "manifest", None)
    return None if text is None else _json.loads(text)
