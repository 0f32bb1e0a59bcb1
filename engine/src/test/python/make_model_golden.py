"""Golden values for the engine's GPT-2 and Llama builders, computed by transformers.

Run from the repository root:  python3 engine/src/test/python/make_model_golden.py
For each tiny random checkpoint (seeded) it writes engine/src/test/resources/golden/models/<name>/:
  config.json, model.safetensors   the checkpoint as save_pretrained writes it (float32)
  expected.json                    what transformers computes from it:
    batch:     input_ids, attention_mask (left padding) and position_ids as generate() derives them
    logits:    (B, T, V) forward logits for that batch (padding positions included but not compared)
    greedy:    model.generate(do_sample=False) continuation tokens (B, N) for the same batch
    loss:      the LM loss (labels = input_ids, -100 on padding) and its gradient for a few parameters
               (at 384 seeded flat indices for large ones)
    reward:    score.weight of a ...ForSequenceClassification (num_labels=1) over the same backbone,
               its scores for the batch (left padding) and for the same rows right-padded
torch and transformers are needed only to run this script, never to build or test the engine.
"""
import copy
import json
import pathlib

import torch
from safetensors.torch import save_file
from transformers import (GPT2Config, GPT2ForSequenceClassification, GPT2LMHeadModel, LlamaConfig,
                          LlamaForCausalLM, LlamaForSequenceClassification)

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden" / "models"
NEW_TOKENS = 8
# three rows of different lengths, left-padded with 0 (HF generate's convention)
ROWS = [[5, 17, 99, 3, 200, 41, 7], [12, 250, 33, 8], [77, 1, 140, 66, 9, 128]]


def gpt2_config():
    return GPT2Config(vocab_size=256, n_positions=32, n_embd=64, n_layer=2, n_head=4, n_inner=128,
                      activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                      initializer_range=0.2, bos_token_id=1, eos_token_id=2, pad_token_id=0,
                      tie_word_embeddings=True)


def llama_config():
    return LlamaConfig(vocab_size=256, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=64,
                       rope_theta=100000.0, rms_norm_eps=1e-5, initializer_range=0.2, tie_word_embeddings=False,
                       bos_token_id=1, eos_token_id=2, pad_token_id=0, attention_bias=False, mlp_bias=False)


def batch():
    t = max(len(r) for r in ROWS)
    ids = torch.tensor([[0] * (t - len(r)) + r for r in ROWS])
    mask = torch.tensor([[0] * (t - len(r)) + [1] * len(r) for r in ROWS])
    positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)   # as generate() computes them
    return ids, mask, positions


def right_padded():
    t = max(len(r) for r in ROWS)
    ids = torch.tensor([r + [0] * (t - len(r)) for r in ROWS])
    mask = torch.tensor([[1] * len(r) + [0] * (t - len(r)) for r in ROWS])
    positions = torch.arange(t).expand(len(ROWS), t)
    return ids, mask, positions


def make(name, config, lm_class, reward_class, grad_params, seed):
    torch.manual_seed(seed)
    config._attn_implementation = "eager"
    model = lm_class(config).float().eval()
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    for extra in folder.iterdir():
        if extra.name not in ("config.json", "model.safetensors"):
            extra.unlink()

    ids, mask, positions = batch()
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=mask, position_ids=positions).logits
        generated = model.generate(input_ids=ids, attention_mask=mask, do_sample=False,
                                   max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, pad_token_id=0)
    greedy = generated[:, ids.shape[1]:]
    check_margins(model, ids, mask, greedy, config.eos_token_id)

    labels = ids.masked_fill(mask == 0, -100)
    model.zero_grad()
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions, labels=labels)
    out.loss.backward()
    named = dict(model.named_parameters())
    grads = {p: sampled(named[p].grad.reshape(-1), seed) for p in grad_params}

    torch.manual_seed(seed + 1)
    reward_config = copy.deepcopy(config)
    reward_config.num_labels = 1
    reward = reward_class(reward_config).float().eval()
    backbone = {k: v for k, v in model.state_dict().items() if not k.startswith("lm_head")}
    missing, unexpected = reward.load_state_dict(backbone, strict=False)
    assert missing == ["score.weight"] and not unexpected, (missing, unexpected)
    with torch.no_grad():
        left = reward(input_ids=ids, attention_mask=mask, position_ids=positions).logits[:, 0]
        r_ids, r_mask, r_pos = right_padded()
        right = reward(input_ids=r_ids, attention_mask=r_mask, position_ids=r_pos).logits[:, 0]

    expected = {
        "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": positions.tolist(),
        "logits": rounded(logits), "greedy": greedy.tolist(),
        "loss": out.loss.item(), "gradients": grads,
        "reward": {"score_weight": reward.score.weight.reshape(-1).tolist(),
                   "left_padded": left.tolist(),
                   "right_padded": {"input_ids": r_ids.tolist(), "attention_mask": r_mask.tolist(),
                                    "position_ids": r_pos.tolist(), "scores": right.tolist()}},
    }
    (folder / "expected.json").write_text(json.dumps(expected))


def check_margins(model, ids, mask, greedy, eos):
    """Greedy tokens are only a fair test when no step is a near-tie; and eos must not end a row early."""
    seq, m = ids, mask
    with torch.no_grad():
        for step in range(greedy.shape[1]):
            positions = (m.cumsum(-1) - 1).masked_fill(m == 0, 1)
            last = model(input_ids=seq, attention_mask=m, position_ids=positions).logits[:, -1]
            top = last.topk(2, dim=-1).values
            assert (top[:, 0] - top[:, 1]).min() > 1e-3, f"near-tie at step {step}: pick another seed"
            assert torch.equal(last.argmax(-1), greedy[:, step]), "generate() disagrees with the forward pass"
            seq = torch.cat([seq, greedy[:, step:step + 1]], dim=1)
            m = torch.cat([m, torch.ones_like(m[:, :1])], dim=1)
    assert not (greedy == eos).any(), "eos generated: pick another seed"


def sampled(flat, seed, keep=384):
    """A large gradient is stored at {keep} seeded flat indices (the whole of a small one)."""
    if flat.numel() <= keep:
        index = torch.arange(flat.numel())
    else:
        index = torch.randperm(flat.numel(), generator=torch.Generator().manual_seed(seed))[:keep].sort().values
    return {"index": index.tolist(), "values": [float(f"{g:.8g}") for g in flat[index].tolist()]}


def rounded(t):
    return [[[float(f"{v:.7g}") for v in row] for row in seq] for seq in t.tolist()]


ROPE_CASES = {
    # transformers 4 style keys, as SmolLM2 and TinyLlama ship them
    "default": {"rope_theta": 100000.0},
    "linear": {"rope_theta": 10000.0, "rope_scaling": {"type": "linear", "factor": 2.0}},
    # Llama-3.1/3.2 scaling, in transformers 5's rope_parameters form
    "llama3": {"rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                                   "high_freq_factor": 4.0, "original_max_position_embeddings": 64}},
}


def make_rope():
    """cos and sin of LlamaRotaryEmbedding at a few positions, for each kind of rope scaling."""
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding
    positions = [0, 1, 7, 63, 1000, 5000]
    cases = {}
    for name, rope in ROPE_CASES.items():
        config = {"model_type": "llama", "vocab_size": 8, "hidden_size": 64, "intermediate_size": 8,
                  "num_hidden_layers": 1, "num_attention_heads": 4, "head_dim": 16,
                  "max_position_embeddings": 8192, **rope}
        kwargs = {k: v for k, v in config.items() if k != "model_type"}
        rotary = LlamaRotaryEmbedding(LlamaConfig(**kwargs))
        assert rotary.attention_scaling == 1.0
        cos, sin = rotary(torch.zeros(1, len(positions), 16), torch.tensor([positions]))
        cases[name] = {"config": config, "positions": positions, "cos": cos[0].tolist(), "sin": sin[0].tolist()}
    (OUT / "rope.json").write_text(json.dumps(cases))


if __name__ == "__main__":
    make_rope()
    make("gpt2", gpt2_config(), GPT2LMHeadModel, GPT2ForSequenceClassification,
         ["transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.attn.c_attn.weight",
          "transformer.h.0.attn.c_attn.bias", "transformer.h.1.mlp.c_proj.weight", "transformer.ln_f.weight"], seed=7)
    make("llama", llama_config(), LlamaForCausalLM, LlamaForSequenceClassification,
         ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.weight",
          "model.layers.1.mlp.gate_proj.weight", "model.layers.1.input_layernorm.weight", "model.norm.weight",
          "lm_head.weight"], seed=11)
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {OUT} ({total / 1e6:.2f} MB)")
