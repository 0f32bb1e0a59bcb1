"""Inputs of the reward-model benchmark: a TRL preference file (standard form) and a tiny Llama.

The texts are long enough that every rendered text ("user: <prompt>\nassistant: <completion>", the
reward-model worker's rendering) is longer than --max-length tokens, so both trainers see sequences of
exactly --max-length tokens (each keeps the last ones). The tiny model is SmolLM2's architecture shrunk
(2 layers, width 64) with SmolLM2's tokenizer, fresh weights, saved as a Hugging Face folder that both
the engine and transformers load.

usage: make_inputs.py --gguf SmolLM2.gguf --out DIR [--pairs N] [--seed S]
"""
import argparse
import json
import os
import random

import torch
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

WORDS = ("the a model rater prefers answers that are short clear kind correct long vague rude wrong "
         "because when while after before every some many few river stone cloud light number seven").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--pairs", type=int, default=256)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    with open(os.path.join(args.out, "pairs.jsonl"), "w") as f:
        for i in range(args.pairs):
            plain, digit = sentence(rng, 60), sentence(rng, 60)
            cut = rng.randrange(len(digit))
            digit = digit[:cut] + str(rng.randrange(10)) + digit[cut:]
            f.write(json.dumps({"prompt": f"question {i}: " + sentence(rng, 30), "chosen": digit, "rejected": plain}) + "\n")

    tokenizer = AutoTokenizer.from_pretrained(os.path.dirname(args.gguf), gguf_file=os.path.basename(args.gguf))
    torch.manual_seed(args.seed)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         rms_norm_eps=1e-5, tie_word_embeddings=True, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    model = LlamaForCausalLM(config)
    tiny = os.path.join(args.out, "tiny")
    model.save_pretrained(tiny, safe_serialization=True)
    tokenizer.save_pretrained(tiny)


if __name__ == "__main__":
    main()
