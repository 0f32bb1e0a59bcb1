"""Golden values for the engine's Bradley-Terry reward-model loss (dev.rlhf.engine.reward.RewardGraphs),
computed by PyTorch/transformers.

Run from the repository root:  python3 engine/src/test/python/make_reward_golden.py
It reads the tiny checkpoints of make_model_golden.py (golden/models/<name>/, with the reward head in
expected.json), builds transformers' ...ForSequenceClassification (num_labels=1) in float64, and for a
batch of three preference pairs (right-padded with 0) writes golden/reward/<name>.json:
  pairs:     chosen / rejected token rows and the margin of each pair
  centering: the coefficient of the reward-centering term
  rewards:   chosen and rejected rewards
  loss:      mean(-logsigmoid(r_c - r_r - margin)) + centering * mean((r_c + r_r)^2)   (TRL's RewardTrainer)
  gradients: d loss / d parameter, for a few parameters (all entries of small ones, 96 seeded flat
             indices of large ones)
torch and transformers are needed only to run this script, never to build or test the engine.
"""
import json
import pathlib

import torch
import torch.nn.functional as F
from transformers import GPT2ForSequenceClassification, LlamaForSequenceClassification

ROOT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden"
CHOSEN = [[5, 17, 99, 3, 200, 41, 7], [12, 250, 33, 8], [77, 1, 140, 66, 9]]
REJECTED = [[5, 17, 99, 3, 201], [12, 250, 34, 8, 90, 91], [77, 1, 140]]
MARGINS = [0.0, 0.5, 1.0]
CENTERING = 0.01
GRADIENTS = {
    "gpt2": ["score.weight", "transformer.ln_f.weight", "transformer.h.1.attn.c_attn.weight",
             "transformer.h.0.mlp.c_fc.weight", "transformer.wte.weight", "transformer.wpe.weight"],
    "llama": ["score.weight", "model.norm.weight", "model.layers.1.self_attn.q_proj.weight",
              "model.layers.0.mlp.down_proj.weight", "model.embed_tokens.weight"],
}
CLASSES = {"gpt2": GPT2ForSequenceClassification, "llama": LlamaForSequenceClassification}


def right_padded(rows):
    t = max(len(r) for r in rows)
    ids = torch.tensor([r + [0] * (t - len(r)) for r in rows])
    mask = torch.tensor([[1] * len(r) + [0] * (t - len(r)) for r in rows])
    positions = torch.arange(t).expand(len(rows), t)
    return ids, mask, positions


def rewards(model, rows):
    ids, mask, positions = right_padded(rows)
    return model(input_ids=ids, attention_mask=mask, position_ids=positions).logits[:, 0]


def sampled(grad, seed, limit=96):
    flat = grad.reshape(-1)
    if flat.numel() <= limit:
        index = list(range(flat.numel()))
    else:
        g = torch.Generator().manual_seed(seed)
        index = sorted(torch.randperm(flat.numel(), generator=g)[:limit].tolist())
    return {"index": index, "values": [flat[i].item() for i in index]}


def make(name):
    folder = ROOT / "models" / name
    expected = json.loads((folder / "expected.json").read_text())
    model = CLASSES[name].from_pretrained(folder, num_labels=1, attn_implementation="eager").double().eval()
    with torch.no_grad():
        model.score.weight.copy_(torch.tensor(expected["reward"]["score_weight"], dtype=torch.float64).reshape(1, -1))
    chosen, rejected = rewards(model, CHOSEN), rewards(model, REJECTED)
    margin = torch.tensor(MARGINS, dtype=torch.float64)
    loss = -F.logsigmoid(chosen - rejected - margin).mean() + CENTERING * ((chosen + rejected) ** 2).mean()
    model.zero_grad()
    loss.backward()
    named = dict(model.named_parameters())
    out = {
        "pairs": {"chosen": CHOSEN, "rejected": REJECTED, "margins": MARGINS},
        "centering": CENTERING,
        "rewards": {"chosen": chosen.tolist(), "rejected": rejected.tolist()},
        "loss": loss.item(),
        "gradients": {p: sampled(named[p].grad, i) for i, p in enumerate(GRADIENTS[name])},
    }
    (ROOT / "reward").mkdir(parents=True, exist_ok=True)
    (ROOT / "reward" / f"{name}.json").write_text(json.dumps(out, indent=1) + "\n")
    print(name, "loss", out["loss"])


if __name__ == "__main__":
    for n in ("gpt2", "llama"):
        make(n)
