"""Writes the golden files of sn37.miner.model.llama tests; see README.md in this folder."""
import json
import os

import torch
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))

# Configs in the transformers 4.44 layout the validators read (rope_theta and rope_scaling at the top).
LLAMA = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 128, "hidden_size": 64,
    "intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
    "head_dim": 32, "hidden_act": "silu", "max_position_embeddings": 64, "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0, "attention_bias": True, "mlp_bias": True, "attention_dropout": 0.0,
    "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2, "initializer_range": 0.02,
    "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                     "original_max_position_embeddings": 32},
}
MISTRAL = {
    "architectures": ["MistralForCausalLM"], "model_type": "mistral", "vocab_size": 128, "hidden_size": 64,
    "intermediate_size": 80, "num_hidden_layers": 2, "num_attention_heads": 8, "num_key_value_heads": 2,
    "hidden_act": "silu", "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
    "sliding_window": 5, "attention_dropout": 0.0, "tie_word_embeddings": True, "bos_token_id": 1,
    "eos_token_id": 2, "initializer_range": 0.02,
}


def build(name, config, dtype):
    """Saves a randomly initialised model with weights large enough to make attention non-trivial."""
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")

    model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(folder), dtype=torch.float32)
    with torch.no_grad():
        for key, tensor in model.state_dict().items():
            if key.endswith("norm.weight"):
                tensor.copy_(1 + 0.2 * torch.randn_like(tensor))
            elif key.endswith("bias"):
                tensor.copy_(0.1 * torch.randn_like(tensor))
            else:
                tensor.copy_(0.15 * torch.randn_like(tensor))
    tensors = {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}
    if config["tie_word_embeddings"]:
        del tensors["lm_head.weight"]
    save_file(tensors, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    # Reload what was written, widened to float32, as the Java side does.
    reloaded = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    return reloaded


def main():
    torch.manual_seed(37)
    llama = build("llama-gqa-bias", LLAMA, torch.bfloat16)
    mistral = build("mistral-tied-window", MISTRAL, torch.float16)
    ids = torch.randint(0, 128, (2, 16), dtype=torch.int64)
    out = {"input_ids": ids}
    with torch.no_grad():
        for name, model in (("llama", llama), ("mistral", mistral)):
            for impl in ("eager", "sdpa"):
                model.config._attn_implementation = impl
                out[f"{name}_logits_{impl}"] = model(ids).logits.float().contiguous()
    save_file(out, os.path.join(HERE, "logits.safetensors"), metadata={"format": "pt"})
    # What save_pretrained orders shards by, and what num_parameters() counts (a tied head once).
    facts = {name: {"state_dict_keys": list(model.state_dict().keys()), "num_parameters": model.num_parameters()}
             for name, model in (("llama", llama), ("mistral", mistral))}
    with open(os.path.join(HERE, "state_dicts.json"), "w") as f:
        json.dump(facts, f, indent=2)
        f.write("\n")

    # torch.optim.AdamW, defaults but lr and weight decay, on one tensor: three steps with given
    # gradients and a learning rate that changes between steps, as a schedule changes it.
    param = torch.randn(3, 5)
    opt_param = param.clone().requires_grad_(True)
    opt = torch.optim.AdamW([opt_param], lr=1e-2, weight_decay=0.01)
    adam = {"param0": param.clone()}
    for step, lr in enumerate((1e-2, 3e-3, 5e-2)):
        grad = torch.randn(3, 5) * (10.0 ** (step - 1))
        for group in opt.param_groups:
            group["lr"] = lr
        opt_param.grad = grad.clone()
        opt.step()
        adam[f"grad{step + 1}"] = grad
        adam[f"param{step + 1}"] = opt_param.detach().clone()
        state = opt.state[opt_param]
        adam[f"exp_avg{step + 1}"] = state["exp_avg"].clone()
        adam[f"exp_avg_sq{step + 1}"] = state["exp_avg_sq"].clone()
    save_file(adam, os.path.join(HERE, "adamw.safetensors"), metadata={"format": "pt"})


if __name__ == "__main__":
    main()
