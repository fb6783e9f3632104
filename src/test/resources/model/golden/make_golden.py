"""Writes the golden files that sn37.miner.model tests compare against byte for byte.

Run from this directory with safetensors, torch and huggingface_hub importable (see README.md).
Everything is deterministic: running it again must give identical bytes.
"""
import json
import os
import shutil

import torch
from huggingface_hub import split_torch_state_dict_into_shards
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))


def f32(values):
    return torch.tensor(values, dtype=torch.float32)


def mixed():
    # Names sort differently from dtypes so the file order shows the (dtype desc, name) rule.
    ramp = torch.arange(12, dtype=torch.float32) * 0.37 - 2.0
    tensors = {
        "model.embed_tokens.weight": ramp.reshape(4, 3).to(torch.bfloat16),
        "lm_head.weight": ramp[:6].reshape(2, 3),
        "norm.weight": f32([1 + 2**-11, 1 + 3 * 2**-11, 2**-25, 3 * 2**-25, 65520.0, -65519.0]).to(torch.float16),
        "special": f32([float("inf"), float("-inf"), -0.0, -1.00390625,
                        1.00390625, 1.01171875, 3.4028234663852886e38, 1e-40]).to(torch.bfloat16),
        "position_ids": torch.tensor([0, 1, 2], dtype=torch.int64),
        "mask": torch.tensor([True, False]),
        "\u00e9mbed.\u00fc": f32([0.5]),
        'quote"and\\backslash': f32(7.25),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    save_file(tensors, os.path.join(HERE, "mixed.safetensors"), metadata={"format": "pt"})


def conversions():
    # F32 sources and what torch makes of them in F16 and BF16 (round to nearest even).
    g = torch.Generator().manual_seed(37)
    bits = torch.randint(-(2**31), 2**31, (4096,), generator=g, dtype=torch.int64).to(torch.int32)
    random = bits.view(torch.float32)
    # F16 values (every subnormal, then every 31st pattern) and the midpoints to their upper
    # neighbours: the tie cases of F32 -> F16.
    lower = torch.cat([torch.arange(0, 0x400), torch.arange(0x400, 0x7BFF, 31)]).to(torch.int16)
    halfs = lower.view(torch.float16).to(torch.float64)
    uppers = (lower + 1).view(torch.float16).to(torch.float64)
    mids = (halfs + uppers) / 2
    source = torch.cat([random, halfs.to(torch.float32), mids.to(torch.float32), -mids.to(torch.float32)])
    tensors = {
        "source": source,
        "f16": source.to(torch.float16),
        "bf16": source.to(torch.bfloat16),
    }
    save_file(tensors, os.path.join(HERE, "conversions.safetensors"), metadata={"format": "pt"})


def checkpoint():
    # A tiny Llama-shaped state dict in module order, saved the way transformers 4.44.1
    # save_pretrained(safe_serialization=True, max_shard_size="1KB") saves it.
    out = os.path.join(HERE, "checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    g = torch.Generator().manual_seed(4441)

    def w(*shape):
        return (torch.randn(*shape, generator=g) * 0.02).to(torch.bfloat16)

    # 1024 bytes, over the 1000-byte limit: the first shard, alone.
    state = {"model.embed_tokens.weight": w(64, 8)}
    for i in range(2):
        p = f"model.layers.{i}."
        for proj in ("q", "k", "v", "o"):
            state[p + f"self_attn.{proj}_proj.weight"] = w(8, 8)
        state[p + "mlp.gate_proj.weight"] = w(24, 8)
        state[p + "mlp.up_proj.weight"] = w(24, 8)
        state[p + "mlp.down_proj.weight"] = w(8, 24)
        state[p + "input_layernorm.weight"] = torch.ones(8, dtype=torch.bfloat16)
        state[p + "post_attention_layernorm.weight"] = torch.ones(8, dtype=torch.bfloat16)
    state["model.norm.weight"] = torch.ones(8, dtype=torch.bfloat16)
    # 1024 bytes: bigger than the 1000-byte limit, so it gets a shard of its own while the
    # shard that holds model.norm.weight is still open.
    state["lm_head.weight"] = w(64, 8)

    split = split_torch_state_dict_into_shards(
        state, filename_pattern="model{suffix}.safetensors", max_shard_size="1KB")
    for filename, names in split.filename_to_tensors.items():
        shard = {name: state[name].contiguous() for name in names}
        save_file(shard, os.path.join(out, filename), metadata={"format": "pt"})
    index = {"metadata": split.metadata, "weight_map": split.tensor_to_filename}
    with open(os.path.join(out, "model.safetensors.index.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(index, indent=2, sort_keys=True) + "\n")

    config = {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 8,
        "initializer_range": 0.02,
        "intermediate_size": 24,
        "max_position_embeddings": 64,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 2,
        "num_hidden_layers": 2,
        "num_key_value_heads": 2,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-05,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.44.1",
        "use_cache": True,
        "vocab_size": 64,
        "_name_or_path": "tiny/llama-\u00e9t\u00e9",
    }
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(config, indent=2, sort_keys=True) + "\n")
    generation = {"_from_model_config": True, "bos_token_id": 1, "eos_token_id": 2,
                  "transformers_version": "4.44.1"}
    with open(os.path.join(out, "generation_config.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(generation, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    mixed()
    conversions()
    checkpoint()
