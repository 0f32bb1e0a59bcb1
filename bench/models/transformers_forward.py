"""transformers' side of DecoderForwardBenchmark: the same random-weight config, prefill of (B, T) then
one-token decode steps with the KV cache, on CPU with the given threads.
Usage: python3 transformers_forward.py config.json batch prompt steps threads
Prints RESULT batch=.. prompt=.. prefill_ms=.. decode_ms_per_step=.. (medians of three rounds)."""
import json
import statistics
import sys
import time

import torch
from transformers import AutoConfig, AutoModelForCausalLM

config_path, b, t, steps, threads = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(threads)
torch.manual_seed(1)
config = AutoConfig.for_model(**json.load(open(config_path)))
model = AutoModelForCausalLM.from_config(config).float().eval()
ids = (torch.arange(b * t) * 7919 % config.vocab_size).reshape(b, t)
prefill, decode = [], []
with torch.inference_mode():
    for _ in range(3):
        s = time.perf_counter()
        out = model(input_ids=ids, attention_mask=torch.ones(b, t, dtype=torch.long), use_cache=True,
                    logits_to_keep=1)
        prefill.append((time.perf_counter() - s) * 1e3)
        cache = out.past_key_values
        for step in range(steps):
            s = time.perf_counter()
            out = model(input_ids=torch.full((b, 1), 42), attention_mask=torch.ones(b, t + step + 1, dtype=torch.long),
                        past_key_values=cache, use_cache=True)
            decode.append((time.perf_counter() - s) * 1e3)
            cache = out.past_key_values
print(f"RESULT batch={b} prompt={t} prefill_ms={statistics.median(prefill):.1f} "
      f"decode_ms_per_step={statistics.median(decode):.2f}")
