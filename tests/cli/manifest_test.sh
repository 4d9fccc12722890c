#!/usr/bin/env bash
# --manifest (contract 7.7), checked with independent tools: the input and output hashes equal
# sha256sum's, the data hashes equal `sha256sum *.json | sha256sum` over the files loaded, and one
# changed policy file under --data-dir changes the policy hash.
# usage: manifest_test.sh FLOPLEDGER SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
cp -r "$src/models" models
py=/usr/bin/python3
field() { "$py" -c 'import json,sys; m=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"m": m}))' "$@"; }
fail() { echo "manifest_test: $*" >&2; exit 1; }

"$bin" assess models/ --format json --manifest m.json >out.json
[[ $(field m.json 'm["outputs"][0]["path"]') == "-" ]] || fail "stdout is not the output"
[[ $(field m.json 'm["outputs"][0]["sha256"]') == $(sha256sum out.json | cut -c1-64) ]] || fail "output hash differs from sha256sum"
n=0
for f in models/*.json; do
  want=$(sha256sum "$f" | cut -c1-64)
  got=$(field m.json "[i['sha256'] for i in m['inputs'] if i['path'] == '$f'][0]")
  [[ $got == "$want" ]] || fail "input hash of $f: $got, sha256sum: $want"
  n=$((n + 1))
done
[[ $(field m.json 'len(m["inputs"])') == "$n" ]] || fail "not one input per file"
[[ $(field m.json 'm["as_of_defaulted"]') == True ]] || fail "as_of_defaulted should be true"
[[ $(field m.json 'm["policy_data"]["sha256"]') == $(cd "$src/policies" && LC_ALL=C sha256sum *.json | sha256sum | cut -c1-64) ]] \
  || fail "embedded policy hash differs from the shipped files'"
[[ $(field m.json 'm["hardware_data"]["sha256"]') == $(cd "$src/hardware" && LC_ALL=C sha256sum *.json | sha256sum | cut -c1-64) ]] \
  || fail "embedded hardware hash differs from the shipped files'"

# -o FILE, --data-dir: the hash follows the files loaded.
mkdir -p data && cp -r "$src/policies" data/
"$bin" assess models/ --as-of 2026-06-01 --format jsonl --data-dir data -o a.jsonl --manifest a.json
[[ $(field a.json 'm["outputs"][0]["sha256"]') == $(sha256sum a.jsonl | cut -c1-64) ]] || fail "-o hash"
[[ $(field a.json 'm["as_of_defaulted"]') == False ]] || fail "as_of_defaulted should be false"
[[ $(field a.json 'm["policy_data"]["source"]') == data/policies ]] || fail "policy source"
before=$(field a.json 'm["policy_data"]["sha256"]')
sed -i 's/"title": "/"title": "Edited: /' data/policies/eu-ai-act-art51.json
"$bin" assess models/ --as-of 2026-06-01 --format jsonl --data-dir data -o b.jsonl --manifest b.json
after=$(field b.json 'm["policy_data"]["sha256"]')
[[ $before != "$after" ]] || fail "a changed policy file did not change the policy hash"
[[ $after == $(cd data/policies && LC_ALL=C sha256sum *.json | sha256sum | cut -c1-64) ]] || fail "policy hash after the edit"

# estimate and sensitivity write one too; the Markdown memo ends with the same facts.
"$bin" estimate models/gpt-4.json --format json --manifest e.json >/dev/null
[[ $(field e.json 'm["command"]') == estimate && $(field e.json 'm["as_of"]') == "[]" ]] || fail "estimate manifest"
"$bin" sensitivity models/gpt-4.json --format json --manifest s.json >s.out
[[ $(field s.json 'm["outputs"][0]["sha256"]') == $(sha256sum s.out | cut -c1-64) ]] || fail "sensitivity output hash"
"$bin" assess models/gpt-4.json --format md --as-of 2026-06-01 >memo.md
grep -q "^## Audit manifest" memo.md || fail "the memo has no manifest section"
grep -q "$(sha256sum models/gpt-4.json | cut -c1-64)" memo.md || fail "the memo lacks the input hash"
echo "manifest_test: ok"
