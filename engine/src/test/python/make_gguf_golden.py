"""Golden files for the engine's weight and tokenizer import (dev.rlhf.engine.weights / .tokenizer).

Writes into engine/src/test/resources/weights/:
  quants.gguf                  one tensor per ggml type (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K,
                               Q5_K, Q6_K; and Q2_K, which the engine refuses),
                               random blocks, alignment 64, and one metadata key of every value type
  quants-expected.safetensors  each tensor dequantised by gguf.quants.dequantize (float32)
  tiny-llama.gguf              a random 2-layer Llama converted the way llama.cpp's converter does
                               (names, q/k rows permuted for rotary, F32 norms, F16 matrices) with a
                               byte-level BPE vocabulary, SmolLM2's chat template and special tokens
  tiny-llama-expected.safetensors  the state dict transformers builds when it loads tiny-llama.gguf (stored as
                               bfloat16, which holds these values exactly)
  tiny-vocab-bos-llama3.gguf   vocabulary only, with add_bos_token and llama-3's split regex, and its expected ids
  tiny-vocab-spm.gguf          a SentencePiece vocabulary (no merges: recovered from scores), and its expected ids
  *-transformers-tokenizer.json  the tokenizer.json transformers writes for tiny-llama.gguf and tiny-vocab-spm.gguf
  tiny-gpt2.gguf               a random GPT-2 converted as llama.cpp does (Conv1D weights transposed), with
                               tiny-gpt2-expected.safetensors/.json from transformers' load of it
  tiny-llama-f16/              the same model as a Hugging Face folder, float16, sharded (index.json)
  tiny-llama-bf16/             the same model as a Hugging Face folder, bfloat16, one file
  tiny-llama-expected.json     transformers' config from the GGUF, token ids, decoded text and
                               chat renderings from AutoTokenizer(gguf_file=...)
  smollm2-expected.json        (only when the SmolLM2 GGUF is present, see fetch_smollm2.sh) token ids,
                               chat prompt ids and per-tensor checksums transformers gives

Weights are rounded to bfloat16 first (and tiny values zeroed), so the f32, f16 and bf16 copies hold
identical numbers and one expected state dict serves them all.

Run: python3 engine/src/test/python/make_gguf_golden.py   (needs torch, transformers, gguf, tokenizers)
"""
import json
import os
import shutil
import sys
from pathlib import Path

import gguf
import numpy as np
import torch
from gguf import GGMLQuantizationType as Q
from gguf import quants
from safetensors.numpy import save_file
from safetensors.torch import save_file as save_torch
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers, AddedToken
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

OUT = Path(__file__).resolve().parents[1] / "resources" / "weights"
SMOLLM2_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
TEXTS = [
    "Hello world",
    " leading space and  double  spaces",
    "numbers 12345 and symbols !?#",
    "unicode: café, naïve, 日本語 🙂",
    "<|im_start|>user\nhi there<|im_end|>\n",
    "<think>reasoning</think> done",
    "What is the capital of France?",
]
CONVERSATIONS = [
    ([{"role": "user", "content": "What is the capital of France?"}], True),
    ([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
      {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Name a colour."}], True),
    ([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}], False),
]


# ---------------------------------------------------------------- quantised blocks

def random_blocks(qtype, n_blocks, rng):
    """Random block bytes with finite, moderate f16 scales (quantize() has no numpy Q4_K/Q6_K)."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    def half(cols):
        for c in cols:
            raw[:, c:c + 2] = rng.uniform(-0.5, 0.5, size=n_blocks).astype(np.float16).view(np.uint8).reshape(n_blocks, 2)
    if qtype in (Q.Q8_0, Q.Q4_0, Q.Q5_0):
        half([0])
    elif qtype in (Q.Q4_1, Q.Q5_1, Q.Q4_K, Q.Q5_K):
        half([0, 2])
    elif qtype == Q.Q6_K:
        half([208])
    elif qtype == Q.Q2_K:
        half([80, 82])
    return raw


def make_quants(rng):
    writer = gguf.GGUFWriter(str(OUT / "quants.gguf"), "quants-test")
    writer.add_custom_alignment(64)
    writer.add_uint8("test.u8", 200)
    writer.add_int8("test.i8", -100)
    writer.add_uint16("test.u16", 60000)
    writer.add_int16("test.i16", -30000)
    writer.add_uint32("test.u32", 4000000000)
    writer.add_int32("test.i32", -2000000000)
    writer.add_float32("test.f32", 0.1)
    writer.add_uint64("test.u64", 2 ** 40)
    writer.add_int64("test.i64", -(2 ** 40))
    writer.add_float64("test.f64", 0.1)
    writer.add_bool("test.bool", True)
    writer.add_string("test.string", "héllo")
    writer.add_array("test.ints", [1, -2, 3])
    writer.add_array("test.strings", ["a", "bc", ""])
    writer.add_array("test.floats", [0.5, 1.5])
    expected = {}
    plain = {"f32": (Q.F32, np.float32), "f16": (Q.F16, np.float16)}
    for name, (qtype, dtype) in plain.items():
        x = rng.standard_normal((3, 40)).astype(dtype)
        writer.add_tensor(name, x, raw_dtype=qtype)
        expected[name] = x.astype(np.float32)
    x = rng.standard_normal((3, 40)).astype(np.float32)
    bf16 = quants.quantize(x, Q.BF16)
    writer.add_tensor("bf16", bf16, raw_dtype=Q.BF16)
    expected["bf16"] = quants.dequantize(bf16, Q.BF16).reshape(3, 40)
    for name, qtype, rows, blocks_per_row in [("q8_0", Q.Q8_0, 3, 4), ("q4_0", Q.Q4_0, 3, 4), ("q4_1", Q.Q4_1, 3, 4),
                                              ("q4_k", Q.Q4_K, 2, 2), ("q6_k", Q.Q6_K, 2, 2),
                                              ("q5_0", Q.Q5_0, 3, 4), ("q5_1", Q.Q5_1, 3, 4), ("q5_k", Q.Q5_K, 2, 2)]:
        block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
        raw = random_blocks(qtype, rows * blocks_per_row, rng).reshape(rows, blocks_per_row * type_size)
        writer.add_tensor(name, raw, raw_dtype=qtype)
        expected[name] = quants.dequantize(raw, qtype).astype(np.float32).reshape(rows, blocks_per_row * block_size)
    # a real quantisation too: Q8_0/Q4_0/Q4_1 of smooth data, as llama.cpp's quantize writes them
    x = np.sin(np.arange(2 * 64, dtype=np.float32) / 7).reshape(2, 64)
    for name, qtype in [("q8_0_sin", Q.Q8_0), ("q4_1_sin", Q.Q4_1)]:
        q = quants.quantize(x, qtype)
        writer.add_tensor(name, q, raw_dtype=qtype)
        expected[name] = quants.dequantize(q, qtype).astype(np.float32).reshape(2, 64)
    # a type the engine does not dequantise: reading it must fail naming the tensor and the type
    writer.add_tensor("q2_k", random_blocks(Q.Q2_K, 2, rng), raw_dtype=Q.Q2_K)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    save_file({k: np.ascontiguousarray(v) for k, v in expected.items()}, str(OUT / "quants-expected.safetensors"))


# ---------------------------------------------------------------- tiny llama

def make_tokenizer():
    corpus = [
        "The quick brown fox jumps over the lazy dog. " * 3,
        "What is the capital of France? Paris is the capital of France.",
        "Hello world! Numbers 0 1 2 3 4 5 6 7 8 9 and symbols.",
        "user assistant system You are a helpful AI assistant named SmolLM, trained by Hugging Face",
    ]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=420, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    tok.add_tokens([AddedToken("<think>", normalized=False, special=False)])
    return tok


def bf16_exact(t):
    t = t.to(torch.bfloat16).float()
    t[t.abs() < 2 ** -14] = 0.0      # keeps every value exact in float16 as well
    return t


def save_bf16(state, path):
    """Expected float32 values stored as bfloat16 to halve the files: exact, as every weight is bf16-exact."""
    out = {}
    for k, v in state.items():
        t = torch.from_numpy(np.ascontiguousarray(v))
        b = t.to(torch.bfloat16)
        assert torch.equal(b.float(), t), f"{k} is not bfloat16-exact"
        out[k] = b
    save_torch(out, str(path))


def permute(w, n_head, n_head_kv):
    """llama.cpp convert_hf_to_gguf.LlamaModel.permute"""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def gguf_name(hf):
    fixed = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
             "lm_head.weight": "output.weight"}
    if hf in fixed:
        return fixed[hf]
    parts = hf.split(".")
    block = {"input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm", "self_attn.q_proj": "attn_q",
             "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
             "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    return f"blk.{parts[2]}.{block['.'.join(parts[3:-1])]}.{parts[-1]}"


def make_tiny_llama(tok):
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    config = LlamaConfig(vocab_size=len(tokens), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=False,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2)
    torch.manual_seed(0)
    model = LlamaForCausalLM(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(bf16_exact(torch.randn_like(p) * (0.3 if p.dim() == 1 else 0.05) + (1.0 if p.dim() == 1 else 0.0)))
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    # GGUF, as convert_hf_to_gguf.py writes a Llama
    path = OUT / "tiny-llama.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("tiny-llama")
    w.add_context_length(config.max_position_embeddings)
    w.add_embedding_length(config.hidden_size)
    w.add_block_count(config.num_hidden_layers)
    w.add_feed_forward_length(config.intermediate_size)
    w.add_rope_dimension_count(config.hidden_size // config.num_attention_heads)
    w.add_head_count(config.num_attention_heads)
    w.add_head_count_kv(config.num_key_value_heads)
    w.add_rope_freq_base(rope_theta(config))
    w.add_layer_norm_rms_eps(config.rms_norm_eps)
    w.add_vocab_size(len(tokens))
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"}
    w.add_token_types([3 if t in specials else 4 if t == "<think>" else 1 for t in tokens])
    merges = json.loads(tok.to_str())["model"]["merges"]
    w.add_token_merges([" ".join(m) if isinstance(m, list) else m for m in merges])
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_pad_token_id(2)
    w.add_add_bos_token(False)
    w.add_chat_template(SMOLLM2_TEMPLATE)
    for name, t in state.items():
        data = t.numpy()
        if name.endswith("q_proj.weight"):
            data = permute(data, config.num_attention_heads, config.num_attention_heads)
        elif name.endswith("k_proj.weight"):
            data = permute(data, config.num_attention_heads, config.num_key_value_heads)
        if data.ndim == 1:
            w.add_tensor(gguf_name(name), data.astype(np.float32))
        else:
            w.add_tensor(gguf_name(name), data.astype(np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    # what transformers makes of it: the oracle
    loaded = AutoModelForCausalLM.from_pretrained(str(OUT), gguf_file=path.name, dtype=torch.float32)
    hf_state = {k: v.detach().float().contiguous().numpy() for k, v in loaded.state_dict().items()}
    for k, v in state.items():
        assert np.array_equal(hf_state[k], v.numpy()), f"transformers' GGUF load changed {k}"
    save_bf16(hf_state, OUT / "tiny-llama-expected.safetensors")

    # the same model as Hugging Face folders: float16 sharded, bfloat16 single file
    hf_tok = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|im_start|>", eos_token="<|im_end|>",
                                     pad_token="<|im_end|>", unk_token="<|endoftext|>")
    hf_tok.chat_template = SMOLLM2_TEMPLATE
    for folder, dtype, shard in [("tiny-llama-f16", torch.float16, "100KB"), ("tiny-llama-bf16", torch.bfloat16, "10GB")]:
        shutil.rmtree(OUT / folder, ignore_errors=True)
        model.to(dtype).save_pretrained(str(OUT / folder), max_shard_size=shard)
        hf_tok.save_pretrained(str(OUT / folder))
        for extra in ["generation_config.json"]:
            (OUT / folder / extra).unlink(missing_ok=True)
    model.float()

    g_tok = AutoTokenizer.from_pretrained(str(OUT), gguf_file=path.name)
    save_tokenizer_json(g_tok, "tiny-llama-transformers-tokenizer.json")
    c = loaded.config
    expected = {
        "config": {
            "model_type": c.model_type, "hidden_size": c.hidden_size, "intermediate_size": c.intermediate_size,
            "num_hidden_layers": c.num_hidden_layers, "num_attention_heads": c.num_attention_heads,
            "num_key_value_heads": c.num_key_value_heads, "head_dim": c.head_dim,
            "max_position_embeddings": c.max_position_embeddings, "rms_norm_eps": c.rms_norm_eps,
            "rope_theta": rope_theta(c), "vocab_size": c.vocab_size, "tie_word_embeddings": c.tie_word_embeddings,
            "bos_token_id": c.bos_token_id, "eos_token_id": c.eos_token_id, "pad_token_id": c.pad_token_id,
        },
        **tokenizer_expectations(g_tok),
        "folder_token_ids": {t: hf_tok(t, add_special_tokens=False)["input_ids"] for t in TEXTS},
    }
    (OUT / "tiny-llama-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


def save_tokenizer_json(tok, name):
    """The tokenizer.json transformers writes for a tokenizer it built from a GGUF."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        tok.save_pretrained(tmp)
        shutil.copy(Path(tmp) / "tokenizer.json", OUT / name)


def rope_theta(c):
    theta = getattr(c, "rope_theta", None)
    if theta is None:
        theta = c.rope_parameters["rope_theta"]
    return theta


def tokenizer_expectations(tok):
    chats = []
    for messages, gen in (CONVERSATIONS if tok.chat_template else []):
        text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=gen)
        ids = tok(text, add_special_tokens=False)["input_ids"]
        chats.append({"messages": messages, "add_generation_prompt": gen, "text": text, "ids": ids})
    ids = {t: tok(t, add_special_tokens=False)["input_ids"] for t in TEXTS}
    return {
        "special_tokens": {"bos": tok.bos_token, "eos": tok.eos_token, "pad": tok.pad_token, "unk": tok.unk_token},
        "token_ids": ids,
        "token_ids_with_specials": {t: tok(t, add_special_tokens=True)["input_ids"] for t in TEXTS},
        "decoded": {t: tok.decode(i, skip_special_tokens=False) for t, i in ids.items()},
        "decoded_skip_special": {t: tok.decode(i, skip_special_tokens=True) for t, i in ids.items()},
        "chats": chats,
    }


def make_vocab_variant(tok):
    """Vocabulary only: BOS added by the post-processor and llama-3's split regex (tokenizer.ggml.pre)."""
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    path = OUT / "tiny-vocab-bos-llama3.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("llama-bpe")
    w.add_token_list(tokens)
    specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"}
    w.add_token_types([3 if t in specials else 4 if t == "<think>" else 1 for t in tokens])
    merges = json.loads(tok.to_str())["model"]["merges"]
    w.add_token_merges([" ".join(m) if isinstance(m, list) else m for m in merges])
    w.add_bos_token_id(0)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    g_tok = AutoTokenizer.from_pretrained(str(OUT), gguf_file=path.name)
    texts = TEXTS + ["it's 2024: 1234567 apples\n\n  and   more"]
    expected = {
        "token_ids": {t: g_tok(t, add_special_tokens=False)["input_ids"] for t in texts},
        "token_ids_with_specials": {t: g_tok(t, add_special_tokens=True)["input_ids"] for t in texts},
    }
    (OUT / "tiny-vocab-bos-llama3-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


def make_tiny_gpt2(tok):
    """A random GPT-2 converted as convert_hf_to_gguf.py's GPT2Model does: Conv1D weights transposed,
    `output.weight` written as a copy of the embedding; and the state dict transformers loads from it."""
    from transformers import GPT2Config, GPT2LMHeadModel
    vocab = tok.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    config = GPT2Config(vocab_size=len(tokens), n_positions=1024,  # transformers reads context_length into n_ctx only
                        n_embd=32, n_layer=2, n_head=4,
                        bos_token_id=0, eos_token_id=0)
    torch.manual_seed(1)
    model = GPT2LMHeadModel(config).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(bf16_exact(torch.randn_like(p) * 0.05 + (1.0 if p.dim() == 1 else 0.0)))
    names = {"transformer.wte": "token_embd", "transformer.wpe": "position_embd", "transformer.ln_f": "output_norm",
             "ln_1": "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output", "ln_2": "ffn_norm",
             "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down"}
    path = OUT / "tiny-gpt2.gguf"
    w = gguf.GGUFWriter(str(path), "gpt2")
    w.add_block_count(config.n_layer)
    w.add_context_length(config.n_positions)
    w.add_embedding_length(config.n_embd)
    w.add_feed_forward_length(4 * config.n_embd)
    w.add_head_count(config.n_head)
    w.add_layer_norm_eps(config.layer_norm_epsilon)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_types([3 if t in {"<|endoftext|>", "<|im_start|>", "<|im_end|>"} else 1 for t in tokens])
    merges = json.loads(tok.to_str())["model"]["merges"]
    w.add_token_merges([" ".join(m) if isinstance(m, list) else m for m in merges])
    w.add_bos_token_id(0)
    w.add_eos_token_id(0)
    for name, t in model.state_dict().items():
        if name.endswith((".attn.bias", ".attn.masked_bias")) or name == "lm_head.weight":
            continue
        data = t.numpy()
        if name.endswith((".c_attn.weight", ".c_proj.weight", ".c_fc.weight")):
            data = data.T.copy()
        if name.startswith("transformer.h."):
            parts = name.split(".")
            gname = f"blk.{parts[2]}.{names['.'.join(parts[3:-1])]}.{parts[-1]}"
        else:
            gname = names[name.rsplit(".", 1)[0]] + "." + name.rsplit(".", 1)[1]
        w.add_tensor(gname, data.astype(np.float16 if data.ndim == 2 else np.float32))
        if gname == "token_embd.weight":
            w.add_tensor("output.weight", data.astype(np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    loaded = AutoModelForCausalLM.from_pretrained(str(OUT), gguf_file=path.name, dtype=torch.float32)
    hf_state = {k: v.detach().float().contiguous().numpy() for k, v in loaded.state_dict().items()}
    original = model.state_dict()
    for k, v in hf_state.items():
        assert np.array_equal(v, original[k].numpy()), f"transformers' GGUF load changed {k}"
    save_bf16(hf_state, OUT / "tiny-gpt2-expected.safetensors")
    c = loaded.config
    expected = {"config": {"model_type": c.model_type, "n_embd": c.n_embd, "n_layer": c.n_layer, "n_head": c.n_head,
                           "n_positions": c.n_positions, "layer_norm_epsilon": c.layer_norm_epsilon,
                           "vocab_size": c.vocab_size, "activation_function": c.activation_function,
                           "bos_token_id": c.bos_token_id, "eos_token_id": c.eos_token_id}}
    (OUT / "tiny-gpt2-expected.json").write_text(json.dumps(expected, indent=1) + "\n")


def make_sentencepiece_vocab():
    """A SentencePiece-style vocabulary (tokenizer.ggml.model = llama) as llama.cpp writes one: <unk>, <s>, </s>,
    256 byte tokens, scored pieces, no merges, one user-defined token; and what transformers makes of it."""
    corpus = ["The quick brown fox jumps over the lazy dog. " * 3,
              "What is the capital of France? Paris is the capital of France.",
              "Hello world! Numbers 0 1 2 3 4 5 6 7 8 9 and symbols.", "user assistant system You are a helpful AI assistant"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first")
    bpe.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=150, show_progress=False))
    pieces = [t for t, _ in sorted(bpe.get_vocab().items(), key=lambda kv: kv[1])]
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + pieces + ["<|user|>"]
    scores = [0.0] * 259 + [-float(i) for i in range(len(pieces))] + [0.0]
    path = OUT / "tiny-vocab-spm.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_tokenizer_model("llama")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types([2, 3, 3] + [6] * 256 + [1] * len(pieces) + [4])
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    tok = AutoTokenizer.from_pretrained(str(OUT), gguf_file=path.name)
    save_tokenizer_json(tok, "tiny-vocab-spm-transformers-tokenizer.json")
    expected = tokenizer_expectations(tok)
    (OUT / "tiny-vocab-spm-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


def make_bad_llamas():
    """Small llama GGUFs that must be refused: a tensor with no HF name, an embedding of the wrong shape."""
    for name, tensors in [("bad-name", {"token_embd.weight": (10, 8), "blk.0.attn_qkv.weight": (24, 8)}),
                          ("bad-shape", {"token_embd.weight": (10, 9), "output_norm.weight": (8,)})]:
        w = gguf.GGUFWriter(str(OUT / f"tiny-llama-{name}.gguf"), "llama")
        w.add_context_length(16)
        w.add_embedding_length(8)
        w.add_block_count(1)
        w.add_feed_forward_length(16)
        w.add_head_count(2)
        w.add_head_count_kv(1)
        w.add_layer_norm_rms_eps(1e-5)
        w.add_vocab_size(10)
        for t, shape in tensors.items():
            w.add_tensor(t, np.zeros(shape, dtype=np.float32))
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()


# ---------------------------------------------------------------- SmolLM2 (when present)

def smollm2(path):
    path = Path(path)
    tok = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    sums = {}
    for k, v in model.state_dict().items():
        v = v.detach().double()
        sums[k] = {"shape": list(v.shape), "sum": v.sum().item(), "abs_sum": v.abs().sum().item(),
                   "first": v.flatten()[:4].tolist(), "last": v.flatten()[-4:].tolist()}
    expected = {"file": path.name, "tensors": sums, **tokenizer_expectations(tok)}
    (OUT / "smollm2-expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1234)
    make_quants(rng)
    tokenizer = make_tokenizer()
    make_tiny_llama(tokenizer)
    make_vocab_variant(tokenizer)
    make_tiny_gpt2(tokenizer)
    make_sentencepiece_vocab()
    make_bad_llamas()
    smol = os.environ.get("RLHF_SMOLLM2_GGUF")
    if smol and Path(smol).exists():
        smollm2(smol)
    else:
        print("RLHF_SMOLLM2_GGUF not set or missing: smollm2-expected.json left as it is", file=sys.stderr)
