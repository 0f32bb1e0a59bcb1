#!/usr/bin/env bash
# One training step (forward, backward, AdamW) of the engine beside PyTorch eager on CPU, same
# shapes and thread count, plus the machine's float32 GEMM peak. Called by `./rlhf bench engine`.
# Environment: THREADS (default: all cores), BLOCK_STEPS (50), BLOCK_ROUNDS (3), GPT2_STEPS (5), GEMM_REPEATS (10);
# GPT2_STEPS=0 skips GPT-2 small (its ratio then prints as n/a), e.g. to rerun only the block case.
# Each figure is the median timed step after a warm-up of two steps and at least 3 s (both sides);
# the GEMM figure is the best of its repeats. The block case alternates engine and PyTorch for
# BLOCK_ROUNDS rounds and reports each side's median round: on a shared machine the speed drifts
# by 10-15% over tens of seconds, and a single pair of runs can land on either side of a drift.
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=${THREADS:-$(nproc)}
BLOCK_STEPS=${BLOCK_STEPS:-50}
BLOCK_ROUNDS=${BLOCK_ROUNDS:-3}
GPT2_STEPS=${GPT2_STEPS:-5}
GEMM_REPEATS=${GEMM_REPEATS:-10}
OUT=engine/target/bench
mkdir -p "$OUT"

mvn -B -q -pl engine test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt" >&2
CP="engine/target/classes:engine/target/test-classes:$(cat "$OUT/classpath.txt")"
if ! python3 -c "import torch" 2>/dev/null; then
  echo "installing torch for the comparison (never a build dependency)" >&2
  python3 -m pip install --quiet torch >&2
fi

engine() { java -Xmx12g -cp "$CP" dev.rlhf.engine.bench.TrainingStepBenchmark "$@" | grep '^RESULT'; }
pytorch() { python3 bench/engine/pytorch_step.py "$@" | grep '^RESULT'; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }
# the RESULT line with the median ms among the arguments (the lower middle one for an even count)
median_result() { printf '%s\n' "$@" | sort -t' ' -k3.4 -n | sed -n "$(( ($# + 1) / 2 ))p"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), threads used: $THREADS" >&2
E_GEMM=$(engine gemm "$THREADS" "$GEMM_REPEATS");      echo "engine  $E_GEMM" >&2
T_GEMM=$(pytorch gemm "$THREADS" "$GEMM_REPEATS");     echo "pytorch $T_GEMM" >&2
E_BLOCKS=(); T_BLOCKS=()
for round in $(seq 1 "$BLOCK_ROUNDS"); do
  E_BLOCKS+=("$(engine block "$THREADS" "$BLOCK_STEPS")");  echo "engine  round $round ${E_BLOCKS[-1]}" >&2
  T_BLOCKS+=("$(pytorch block "$THREADS" "$BLOCK_STEPS")"); echo "pytorch round $round ${T_BLOCKS[-1]}" >&2
done
E_BLOCK=$(median_result "${E_BLOCKS[@]}");             echo "engine  median $E_BLOCK" >&2
T_BLOCK=$(median_result "${T_BLOCKS[@]}");             echo "pytorch median $T_BLOCK" >&2
E_GPT2="case=gpt2 skipped"; T_GPT2="case=gpt2 skipped"
if [ "$GPT2_STEPS" -gt 0 ]; then
  E_GPT2=$(engine gpt2 "$THREADS" "$GPT2_STEPS");      echo "engine  $E_GPT2" >&2
  T_GPT2=$(pytorch gpt2 "$THREADS" "$GPT2_STEPS");     echo "pytorch $T_GPT2" >&2
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

PEAK=$(python3 -c "print(max($(field gflops "$E_GEMM"), $(field gflops "$T_GEMM")))")
python3 - "$PEAK" "$E_BLOCK" "$T_BLOCK" "$E_GPT2" "$T_GPT2" <<'PY'
import re, sys
peak = float(sys.argv[1])
def parse(line):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}
eb, tb, eg, tg = (parse(x) for x in sys.argv[2:])
print("| step | engine ms | engine tokens/s | engine GFLOP/s | PyTorch ms | PyTorch tokens/s | PyTorch GFLOP/s | engine/PyTorch |")
print("|---|---|---|---|---|---|---|---|")
def ratio(e, t):
    return f"{e['tokens_per_s'] / t['tokens_per_s']:.2f}" if e and t else "n/a"
for name, e, t in (("block d=256 h=4, 8x128", eb, tb), ("gpt2-small, 4x128", eg, tg)):
    if not e:
        continue
    print(f"| {name} | {e['ms']:.1f} | {e['tokens_per_s']:.0f} | {e['gflops']:.1f} | {t['ms']:.1f} | "
          f"{t['tokens_per_s']:.0f} | {t['gflops']:.1f} | {ratio(e, t)} |")
print(f"\nfloat32 GEMM peak (2048^3, best of engine and PyTorch): {peak:.1f} GFLOP/s")
print(f"engine/pytorch tokens/s ratio: {ratio(eb, tb)} (block), "
      f"{ratio(eg, tg)} (gpt2-small); GEMM peak share: {eb['gflops'] / peak:.2f}")
PY
