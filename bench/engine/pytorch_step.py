"""PyTorch eager reference for bench/engine/run.sh: the same training steps as the engine's
TrainingStepBenchmark, nanoGPT-style modules, AdamW, on CPU with a fixed thread count.

usage: python3 pytorch_step.py {block|gpt2|gemm} THREADS STEPS
prints: RESULT case=... ms=... tokens_per_s=... gflops=...
FLOPs count the matrix products only (3x the forward's), the same formula as the Java side.
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.heads = heads

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, heads)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.c_proj = nn.Linear(4 * d, d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, d, heads):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)

    def forward(self, tokens):
        t = tokens.shape[1]
        x = self.wte(tokens) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.t()  # tied head, as the engine's


WARM_UP_SECONDS = 3.0  # the same rule as TrainingStepBenchmark.java


def timed(name, step, steps, tokens, flops):
    # warm-up: two steps, then more until WARM_UP_SECONDS have passed
    warm_up_end = time.perf_counter() + WARM_UP_SECONDS
    step()
    step()
    while time.perf_counter() < warm_up_end:
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)  # the same statistic as the Java side
    print(f"RESULT case={name} ms={seconds * 1e3:.2f} tokens_per_s={tokens / seconds:.1f} gflops={flops / seconds / 1e9:.1f}")


def bench_block(steps):
    b, t, d = 8, 128, 256
    model = Block(d, 4)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    x, target = torch.randn(b, t, d), torch.randn(b, t, d)

    def step():
        loss = F.mse_loss(model(x), target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    forward = b * t * 24.0 * d * d + 4.0 * b * t * t * d
    timed("block", step, steps, b * t, 3 * forward)


def bench_gpt2(steps):
    b, t, vocab, d, layers = 4, 128, 50257, 768, 12
    model = Gpt(vocab, 1024, layers, d, 12)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    tokens, targets = torch.randint(0, vocab, (b, t)), torch.randint(0, vocab, (b, t))

    def step():
        logits = model(tokens)
        loss = F.cross_entropy(logits.view(-1, vocab), targets.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    forward = layers * (b * t * 24.0 * d * d + 4.0 * b * t * t * d) + 2.0 * b * t * d * vocab
    timed("gpt2", step, steps, b * t, 3 * forward)


def bench_gemm(repeats):
    n = 2048
    a = torch.randn(n, n)
    a @ a
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - start)
    print(f"RESULT case=gemm ms={best * 1e3:.2f} tokens_per_s=0 gflops={2.0 * n ** 3 / best / 1e9:.1f}")


if __name__ == "__main__":
    case, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    {"block": bench_block, "gpt2": bench_gpt2, "gemm": bench_gemm}[case](steps)
