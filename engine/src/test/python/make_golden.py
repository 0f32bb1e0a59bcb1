"""Golden values for the engine's losses, computed by PyTorch in float64.

Run from the repository root:  python3 engine/src/test/python/make_golden.py
Writes engine/src/test/resources/golden/losses.json. Each case holds its inputs, the output of
the loss and the gradient of sum(output) with respect to every input marked differentiable.
The formulas follow PyTorch / TRL, written independently of the Java code they check.
torch is needed only to run this script, never to build or test the engine.
"""
import json
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
D = torch.float64


def real(*shape, lo=-2.0, hi=2.0):
    return (torch.rand(*shape, dtype=D) * (hi - lo) + lo).requires_grad_(True)


def mask(*shape):
    m = (torch.rand(*shape) > 0.3).to(D)
    m.view(-1)[0] = 1.0  # never an all-zero mask
    return m


def masked_mean(x, m):
    return (x * m).sum() / m.sum()


def case_token_ce():
    logits, targets, m = real(2, 5, 7), torch.randint(0, 7, (2, 5)), mask(2, 5)
    logp = torch.log_softmax(logits, -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    out = -(logp * m).sum() / m.sum()
    # cross-check with PyTorch's own cross_entropy over the selected positions
    keep = m.bool()
    ref = F.cross_entropy(logits[keep], targets[keep])
    assert torch.allclose(out, ref)
    return dict(logits=logits, targets=targets, mask=m), out


def case_sequence_logprobs():
    logits, targets, m = real(3, 4, 5), torch.randint(0, 5, (3, 4)), mask(3, 4)
    logp = torch.log_softmax(logits, -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    return dict(logits=logits, targets=targets, mask=m), (logp * m).sum(-1)


def case_bradley_terry():
    c, r, margin = real(6), real(6), torch.rand(6, dtype=D)
    return dict(chosen=c, rejected=r, margin=margin), -F.logsigmoid(c - r - margin).mean()


def pair():
    return dict(policy_chosen=real(6, lo=-30, hi=-5), policy_rejected=real(6, lo=-30, hi=-5),
                reference_chosen=torch.rand(6, dtype=D) * -25 - 5, reference_rejected=torch.rand(6, dtype=D) * -25 - 5)


def margin_of(p):
    return (p["policy_chosen"] - p["policy_rejected"]) - (p["reference_chosen"] - p["reference_rejected"])


def case_dpo():
    p = pair()
    return p, -F.logsigmoid(0.1 * margin_of(p)).mean()


def case_conservative_dpo():
    p, beta, eps = pair(), 0.1, 0.1
    h = beta * margin_of(p)
    return p, (-(1 - eps) * F.logsigmoid(h) - eps * F.logsigmoid(-h)).mean()


def case_ipo():
    p, tau = pair(), 0.1
    return p, ((margin_of(p) - 1 / (2 * tau)) ** 2).mean()


def case_kto():
    pol, ref = real(6, lo=-30, hi=-5), torch.rand(6, dtype=D) * -25 - 5
    desirable = torch.tensor([1, 0, 1, 1, 0, 0], dtype=D)
    z0 = torch.tensor(0.7, dtype=D)
    beta, wd, wu = 0.1, 1.0, 1.33
    r = pol - ref
    per = desirable * wd * (1 - torch.sigmoid(beta * (r - z0))) + (1 - desirable) * wu * (1 - torch.sigmoid(beta * (z0 - r)))
    return dict(policy=pol, reference=ref, desirable=desirable, reference_point=z0), per.mean()


def case_ppo():
    shape = (2, 5)
    logp = real(*shape, lo=-3, hi=-0.5)
    old = (logp.detach() + torch.rand(*shape, dtype=D) * 0.6 - 0.3)
    ref = logp.detach() + torch.rand(*shape, dtype=D) * 0.4 - 0.2
    adv = torch.randn(*shape, dtype=D)
    values = real(*shape)
    old_values = values.detach() + torch.rand(*shape, dtype=D) * 0.8 - 0.4
    returns = torch.randn(*shape, dtype=D)
    m = mask(*shape)
    eps, eps_v, vf, kl = 0.2, 0.2, 0.5, 0.05
    ratio = torch.exp(logp - old)
    pg = masked_mean(torch.max(-adv * ratio, -adv * torch.clamp(ratio, 1 - eps, 1 + eps)), m)
    v_clip = old_values + torch.clamp(values - old_values, -eps_v, eps_v)
    vloss = 0.5 * masked_mean(torch.max((values - returns) ** 2, (v_clip - returns) ** 2), m)
    klp = masked_mean(logp - ref, m)
    inputs = dict(log_probs=logp, old_log_probs=old, reference_log_probs=ref, advantages=adv,
                  values=values, old_values=old_values, returns=returns, mask=m)
    return inputs, pg + vf * vloss + kl * klp


def case_group_advantages():
    rewards = real(3, 4)
    return dict(rewards=rewards), (rewards - rewards.mean(1, keepdim=True)) / (rewards.std(1, keepdim=True) + 1e-4)


def case_grpo():
    shape = (4, 5)
    logp = real(*shape, lo=-3, hi=-0.5)
    old = logp.detach() + torch.rand(*shape, dtype=D) * 0.6 - 0.3
    ref = logp.detach() + torch.rand(*shape, dtype=D) * 0.4 - 0.2
    adv = torch.randn(4, dtype=D)
    m = mask(*shape)
    eps, beta = 0.2, 0.04
    ratio = torch.exp(logp - old)
    surrogate = torch.min(ratio * adv[:, None], torch.clamp(ratio, 1 - eps, 1 + eps) * adv[:, None])
    kl = torch.exp(ref - logp) - (ref - logp) - 1
    per_token = beta * kl - surrogate
    out = ((per_token * m).sum(1) / m.sum(1)).mean()
    return dict(log_probs=logp, old_log_probs=old, reference_log_probs=ref, advantages=adv, mask=m), out


def encode(t):
    t = t.detach()
    return {"shape": list(t.shape), "dtype": "int64" if t.dtype == torch.int64 else "float64",
            "data": t.reshape(-1).tolist()}


def main():
    cases = {}
    for name, fn in sorted((k[5:], v) for k, v in globals().items() if k.startswith("case_")):
        inputs, out = fn()
        out.sum().backward()
        cases[name] = {
            "inputs": {k: encode(v) for k, v in inputs.items()},
            "output": encode(out),
            "grads": {k: encode(v.grad) for k, v in inputs.items() if v.requires_grad},
        }
    path = pathlib.Path(__file__).resolve().parents[1] / "resources" / "golden" / "losses.json"
    path.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
