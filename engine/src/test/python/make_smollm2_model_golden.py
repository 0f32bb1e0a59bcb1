"""What transformers computes with the real SmolLM2-135M-Instruct GGUF, for the engine's opt-in
SmolLm2ModelTest. Run from the repository root:
  export RLHF_SMOLLM2_GGUF=$(engine/src/test/python/fetch_smollm2.sh)
  python3 engine/src/test/python/make_smollm2_model_golden.py
Writes engine/src/test/resources/golden/models/smollm2.json: the chat prompt "What is the capital of
France?" as token ids (transformers' tokenizer and chat template), the greedy continuation
(model.generate, do_sample=False, up to and including eos) and its text, and the last position's logits at 256 fixed vocabulary
indices plus the top 32 (the full row is 49152 numbers). The model file itself is never committed.
"""
import json
import os
import pathlib

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden" / "models" / "smollm2.json"
NEW_TOKENS = 12

path = pathlib.Path(os.environ["RLHF_SMOLLM2_GGUF"])
torch.set_num_threads(2)
tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32).eval()
messages = [{"role": "user", "content": "What is the capital of France?"}]
prompt = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
ids = prompt["input_ids"]
with torch.no_grad():
    last = model(input_ids=ids).logits[0, -1]
    out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                         max_new_tokens=NEW_TOKENS)   # stops at eos, which is then the last token
greedy = out[0, ids.shape[1]:]
index = sorted(set(torch.randperm(last.numel(), generator=torch.Generator().manual_seed(5))[:256].tolist())
               | set(last.topk(32).indices.tolist()))
OUT.write_text(json.dumps({
    "file": path.name, "prompt_ids": ids[0].tolist(), "greedy": greedy.tolist(),
    "greedy_text": tok.decode(greedy, skip_special_tokens=True),
    "last_logits": {"index": index, "values": [last[i].item() for i in index]},
}, indent=1) + "\n")
print(OUT, tok.decode(greedy, skip_special_tokens=True))
