#!/usr/bin/python3
"""Package test: the installed Python module (PYTHONPATH=<prefix>/lib/python3/dist-packages)
assesses models/ and must give exactly what `flopledger assess models/ --format json` printed:
equal objects, and equal bytes (the manifest's output hash is the sha256 of the CLI's output).

usage: python_consumer.py PREFIX MODELS_DIR CLI_OUTPUT.json
"""
import hashlib
import json
import os
import sys

import flopledger

prefix, models, cli_output = sys.argv[1:4]
where = os.path.realpath(flopledger.__file__)
if not where.startswith(os.path.realpath(prefix) + os.sep):
    sys.exit("flopledger was imported from %s, not from the installed prefix" % where)
with open(cli_output, "rb") as f:
    expected = f.read()
results = flopledger.assess(models)
if results != json.loads(expected):
    sys.exit("flopledger.assess(models/) differs from the CLI's --format json")
manifest = flopledger.manifest()
if manifest["outputs"][0]["sha256"] != hashlib.sha256(expected).hexdigest():
    sys.exit("the module's JSON bytes differ from the CLI's")
print("python (installed): %d results equal to the CLI's, byte for byte" % len(results))
