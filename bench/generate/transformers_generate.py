"""transformers' generate on CPU, the comparison for the engine's in-graph decode loop.

Usage: python3 transformers_generate.py GGUF HF_DIR THREADS REPEATS
Loads SmolLM2-135M-Instruct from its GGUF file (transformers dequantises it to float32), saves it
as a Hugging Face folder HF_DIR (if absent) so the engine loads the very same weights, and prints

  RESULT case=prefill batch=8 ms=... tokens_per_s=...
  RESULT case=generate batch=B ms=... tokens_per_s=...   (B = 1 and 8)

Prompts are 64 random token ids (seed 0) per row; generation is greedy, exactly 128 new tokens
(min_new_tokens, so an end-of-sequence token cannot shorten a run); tokens/s counts new tokens of
all rows. ms is the median of REPEATS timed runs after one warm-up. torch uses THREADS threads.
"""
import json
import os
import statistics
import sys
import time

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

PROMPT, NEW = 64, 128


def main():
    gguf, hf_dir, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    if not os.path.exists(os.path.join(hf_dir, "model.safetensors")):
        model = AutoModelForCausalLM.from_pretrained(os.path.dirname(gguf), gguf_file=os.path.basename(gguf),
                                                     dtype=torch.float32)
        # save_pretrained refuses models loaded from GGUF; their weights are plain float32 by now
        os.makedirs(hf_dir, exist_ok=True)
        state = {k: v.contiguous() for k, v in model.state_dict().items()}
        if model.config.tie_word_embeddings:
            state.pop("lm_head.weight", None)
        save_file(state, os.path.join(hf_dir, "model.safetensors"), metadata={"format": "pt"})
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        with open(os.path.join(hf_dir, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
    model = AutoModelForCausalLM.from_pretrained(hf_dir, dtype=torch.float32).eval()
    vocab = model.config.vocab_size
    gen = torch.Generator().manual_seed(0)
    prompts = torch.randint(10, vocab, (8, PROMPT), generator=gen)   # ids below 10 are special tokens
    with open(os.path.join(hf_dir, "bench_prompts.json"), "w") as f:
        json.dump(prompts.tolist(), f)

    def timed(fn):
        fn()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    with torch.inference_mode():
        ids = prompts[:8]
        ms = timed(lambda: model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=True, logits_to_keep=1))
        print(f"RESULT case=prefill batch=8 ms={ms:.1f} tokens_per_s={8 * PROMPT / ms * 1000:.1f}", flush=True)
        for batch in (1, 8):
            ids = prompts[:batch]
            ms = timed(lambda: model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                              max_new_tokens=NEW, min_new_tokens=NEW,
                                              pad_token_id=model.config.eos_token_id))
            print(f"RESULT case=generate batch={batch} ms={ms:.1f} tokens_per_s={batch * NEW / ms * 1000:.1f}",
                  flush=True)


if __name__ == "__main__":
    main()
