"""TRL's RewardTrainer on CPU, timed like the engine's run: pairs/s over --steps steps after --warmup-steps.

Same inputs as the engine (bench/rm/run.sh): the TRL preference file rendered as the reward-model worker
renders it ("user: <prompt>\nassistant: <completion>"), tokenized with the model's tokenizer and cut to its
last --max-length tokens, handed to RewardTrainer pre-tokenized (chosen_ids/rejected_ids) so both sides train
on sequences of the same length. LoRA on q/k/v/o (the engine's LoraConfig.attentionWeights()), the score head
trained in full; AdamW, no dropout, gradient clipping at 1.0, float32.

usage: trl_reward.py --model DIR|FILE.gguf --data pairs.jsonl [--lora-rank 16] [--batch-size 4]
                     [--max-length 64] [--warmup-steps 2] [--steps 6] [--threads N]
Prints: trl pairs/s: X
"""
import argparse
import json
import os
import tempfile
import time

import torch
from datasets import Dataset
from peft import LoraConfig
from transformers import AutoModelForSequenceClassification, AutoTokenizer, TrainerCallback
from trl import RewardConfig, RewardTrainer


class StepClock(TrainerCallback):
    def __init__(self):
        self.ends = []

    def on_step_end(self, args, state, control, **kwargs):
        self.ends.append(time.perf_counter())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--lora-rank", type=int, default=16)
    ap.add_argument("--lora-alpha", type=float, default=32)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--warmup-steps", type=int, default=2)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--lr", type=float, default=1e-4)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    if args.model.endswith(".gguf"):
        where = dict(pretrained_model_name_or_path=os.path.dirname(os.path.abspath(args.model)),
                     gguf_file=os.path.basename(args.model))
    else:
        where = dict(pretrained_model_name_or_path=args.model)
    tokenizer = AutoTokenizer.from_pretrained(**where)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForSequenceClassification.from_pretrained(**where, num_labels=1, dtype=torch.float32)
    model.config.pad_token_id = tokenizer.pad_token_id
    if "gguf_file" in where:
        # transformers dequantises a GGUF file to float32 tensors at load, but keeps a GGUF "quantizer" on the model,
        # which the Trainer refuses to train. The weights are plain float32 (checked), as in the engine: drop the marker.
        bad = [n for n, p in model.named_parameters() if p.dtype != torch.float32]
        if bad:
            raise SystemExit(f"{args.model}: not dequantised to float32: {bad[:3]}")
        model.hf_quantizer = None
        if getattr(model, "is_quantized", False):
            model.is_quantized = False
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config

    total = args.warmup_steps + args.steps
    rows = []
    with open(args.data) as f:
        for line in f:
            p = json.loads(line)
            prompt = "user: " + p["prompt"] + "\nassistant: "
            ids = [tokenizer(prompt + p[k])["input_ids"][-args.max_length:] for k in ("chosen", "rejected")]
            if min(len(i) for i in ids) < args.max_length:
                raise SystemExit(f"a text of {args.data} has fewer than {args.max_length} tokens: lengths would differ")
            rows.append({"chosen_ids": ids[0], "rejected_ids": ids[1]})
    need = total * args.batch_size
    rows = (rows * (need // len(rows) + 1))[:need]   # the file again when the steps need more (as epochs would)
    dataset = Dataset.from_list(rows)

    peft_config = None
    if args.lora_rank > 0:
        peft_config = LoraConfig(r=args.lora_rank, lora_alpha=args.lora_alpha, lora_dropout=0.0, task_type="SEQ_CLS",
                                 target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
    clock = StepClock()
    with tempfile.TemporaryDirectory() as out:
        config = RewardConfig(output_dir=out, per_device_train_batch_size=args.batch_size, max_steps=total,
                              learning_rate=args.lr, weight_decay=0.0, max_grad_norm=1.0, max_length=args.max_length,
                              save_strategy="no", report_to=[], use_cpu=True, dataloader_num_workers=0,
                              logging_steps=total, disable_tqdm=True, bf16=False, fp16=False, seed=42,
                              gradient_checkpointing=False)
        trainer = RewardTrainer(model=model, args=config, train_dataset=dataset, processing_class=tokenizer,
                                peft_config=peft_config, callbacks=[clock])
        trainer.train()
    measured = clock.ends[args.warmup_steps - 1:] if args.warmup_steps > 0 else None
    seconds = measured[-1] - measured[0]
    print(f"trl sequence length: {args.max_length}, batch: {args.batch_size} pairs, threads: {torch.get_num_threads()}, "
          f"steps timed: {args.steps}")
    print(f"trl pairs/s: {args.steps * args.batch_size / seconds:.3f}")


if __name__ == "__main__":
    main()
