"""Peak resident memory of training a randomly initialised transformers Llama on CPU.

Prints one JSON line: the process's resident size before the model exists (the Python, torch and
transformers runtime), its peak while building the model and taking `--steps` AdamW steps, and the
difference, which is what MemoryPlanner estimates for a CPU plan less its runtime overhead.
The peak is reset after the baseline by writing 5 to /proc/self/clear_refs (Linux >= 4.0). glibc's
dynamic mmap threshold would keep freed tensor memory resident (RSS then grows with the allocation
history, not with live tensors), so the script re-executes itself with MALLOC_MMAP_THRESHOLD_ fixed.
The loss is the PyTorch trainer's (trainer/sn37_trainer/batches.py): the scored rows' logits copied
out, then float32 cross-entropy summed; here every position but the last is scored.

    python peak_rss.py --hidden 256 --layers 4 --heads 8 --kv-heads 4 --intermediate 688 \
        --vocab 8000 --sequence-length 1024 --batch 2 [--lora-rank 16] [--checkpointing]
"""
import argparse
import gc
import json
import os
import sys

if os.environ.get("MALLOC_MMAP_THRESHOLD_") is None:
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536"))

import torch
import torch.nn.functional as F
import transformers
from transformers import LlamaConfig, LlamaForCausalLM


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError("no " + field + " in /proc/self/status")


def summed_loss(model, ids):
    logits = model(input_ids=ids, use_cache=False).logits  # [B, T, vocab]
    chosen = logits[:, :-1].reshape(-1, logits.shape[-1])  # [scored, vocab], a copy
    del logits
    return F.cross_entropy(chosen.float(), ids[:, 1:].reshape(-1), reduction="sum")


def main():
    p = argparse.ArgumentParser()
    for name in ("hidden", "layers", "heads", "kv-heads", "intermediate", "vocab", "sequence-length", "batch"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--steps", type=int, default=2)
    p.add_argument("--lora-rank", type=int, default=0)
    p.add_argument("--checkpointing", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if a.lora_rank:
        import peft  # imported before the baseline: it is runtime, not plan
    gc.collect()
    baseline = status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")

    config = LlamaConfig(hidden_size=a.hidden, num_hidden_layers=a.layers, num_attention_heads=a.heads,
                         num_key_value_heads=a.kv_heads, intermediate_size=a.intermediate, vocab_size=a.vocab,
                         max_position_embeddings=a.sequence_length, tie_word_embeddings=False)
    model = LlamaForCausalLM(config).to(torch.float32)
    model.config._attn_implementation = "sdpa"
    if a.checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if a.lora_rank:
        targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
        model = peft.get_peft_model(model, peft.LoraConfig(r=a.lora_rank, lora_alpha=2 * a.lora_rank,
                                                           target_modules=targets, lora_dropout=0.0))
    model.train()
    trainable = [q for q in model.parameters() if q.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=1e-4)
    ids = torch.randint(0, a.vocab, (a.batch, a.sequence_length))
    losses = []
    for _ in range(a.steps):
        loss = summed_loss(model, ids) / ids[:, 1:].numel()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(round(loss.item(), 4))
    peak = status_kib("VmHWM")
    print(json.dumps({"baseline_rss_bytes": baseline * 1024, "peak_rss_bytes": peak * 1024,
                      "delta_bytes": (peak - baseline) * 1024,
                      "parameters": sum(q.numel() for q in model.parameters()),
                      "trainable_parameters": sum(q.numel() for q in trainable), "losses": losses,
                      "torch": torch.__version__, "transformers": transformers.__version__}))


if __name__ == "__main__":
    main()
