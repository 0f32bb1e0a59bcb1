"""Runs an exported policy (engine PolicyExport) with the Python onnxruntime package.

Usage: python3 run_exported_policy.py MODEL.onnx FEEDS.json
FEEDS.json holds the generation inputs as lists (input_ids, attention_mask, uniforms, stop_tokens)
and scalars (greedy, temperature, top_k, top_p, repetition_penalty). Prints the outputs as JSON.
Used by PolicyExportTest to show the file loads outside Java; `pip install onnxruntime numpy`.
"""
import json
import sys

import numpy as np
import onnxruntime as ort

model, feeds_file = sys.argv[1], sys.argv[2]
with open(feeds_file) as f:
    raw = json.load(f)
types = {"input_ids": np.int64, "attention_mask": np.int64, "uniforms": np.float32, "stop_tokens": np.int64,
         "greedy": np.bool_, "temperature": np.float32, "top_k": np.int64, "top_p": np.float32,
         "repetition_penalty": np.float32}
feeds = {name: np.array(raw[name], dtype=types[name]) for name in types}
session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
names = [o.name for o in session.get_outputs()]
outputs = session.run(names, feeds)
print(json.dumps({n: v.tolist() for n, v in zip(names, outputs)}))
