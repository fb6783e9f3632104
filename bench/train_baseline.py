"""PyTorch eager baseline of bench/train: transformers' LlamaForCausalLM, same config and loop.

Run by TrainBench when given --python PY (a Python with torch and transformers). Prints one JSON line.
Usage: train_baseline.py HIDDEN LAYERS HEADS KV_HEADS INTERMEDIATE VOCAB SEQ BATCH STEPS WARMUP THREADS
"""
import json
import sys
import time

import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM


def peak_rss_mb():
    # VmHWM, not getrusage: a child of the JVM would report the JVM's peak through ru_maxrss.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    hidden, layers, heads, kv, inter, vocab, seq, batch, steps, warmup, threads = map(int, sys.argv[1:12])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=vocab, hidden_size=hidden, intermediate_size=inter, num_hidden_layers=layers,
                         num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=seq,
                         tie_word_embeddings=False)
    model = LlamaForCausalLM(config).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    generator = torch.Generator().manual_seed(1)
    started = None
    for step in range(warmup + steps):
        if step == warmup:
            started = time.perf_counter()
        ids = torch.randint(0, vocab, (batch, seq), generator=generator)
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        loss.item()
    seconds = time.perf_counter() - started
    print(json.dumps({
        "impl": f"pytorch {torch.__version__} eager, transformers {transformers.__version__}"
                f" ({model.config._attn_implementation} attention)",
        "tokens_per_s": steps * batch * seq / seconds,
        "ms_per_step": 1000 * seconds / steps,
        "peak_rss_mb": peak_rss_mb(),
        "last_loss": loss.item(),
    }))


if __name__ == "__main__":
    main()
