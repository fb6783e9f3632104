"""GPU training throughput of the PyTorch trainer's model path at competition 4's scale. Prints ONE JSON line.

A randomly initialised Llama shaped like a competition-4 model (DISTILLED_REASONING_3B: 3.2-3.4 B parameters,
16,384 tokens, bf16) trains for a few steps exactly as trainer/ trains: float32 master weights, FSDP2
fully_shard per decoder layer then the root (on one GPU too) with bf16 compute and float32 reduction,
activation checkpointing, SDPA attention, AdamW, the trainer's loss (only scored positions reach the LM head).

    python bench/gpu_train.py [--steps 4] [--warmup 1] [--seq 16384] [--answer-tokens 0]
                              [--planner-estimate-bytes N] [--peak-tflops 989] [--tiny]

Needs torch and transformers (carry pure-Python wheels of transformers and its pure-Python dependencies
where the GPU image lacks them). --tiny runs a toy shape on the CPU to test the script itself.

Model FLOPs per step (MFU counts these, not the recomputation of activation checkpointing):
    6 * (N_body * tokens + N_head * scored) + 6 * layers * hidden * seq * tokens
N_body: every weight a token's forward multiplies by, without the input embedding (a lookup) and the LM head;
N_head: the LM head (vocab * hidden), applied to scored positions only; the last term is attention's
QK^T and AV (2 matmuls * 2 FLOPs * seq * hidden forward, x3 with backward) halved for the causal mask.
mfu_full_attention counts attention unhalved (12 * layers * hidden * seq, torchtitan's and PaLM's formula).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True")  # before torch allocates

import torch  # noqa: E402

try:
    import transformers
    from transformers import LlamaConfig, LlamaForCausalLM
except ImportError as e:
    print(f"error: bench/gpu_train.py needs transformers ({e}); carry its wheels (pip download transformers "
          "and its pure-Python dependencies) and pip install them with --no-index --find-links", file=sys.stderr)
    sys.exit(1)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "trainer"))

from sn37_trainer import batches, distributed  # noqa: E402
from sn37_trainer import model as models  # noqa: E402
from sn37_trainer.job import Example  # noqa: E402

TINY = {"hidden": 64, "layers": 2, "heads": 4, "kv_heads": 2, "intermediate": 128, "vocab": 300, "seq": 128}


def arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=4, help="timed optimizer steps")
    p.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    p.add_argument("--seq", type=int, default=16384, help="tokens per sequence (competition 4: 16,384)")
    p.add_argument("--batch", type=int, default=1, help="sequences per step")
    p.add_argument("--answer-tokens", type=int, default=0,
                   help="scored positions per sequence, at its end; 0 scores every one (model(ids, labels=ids))")
    p.add_argument("--hidden", type=int, default=3072)
    p.add_argument("--layers", type=int, default=28)
    p.add_argument("--heads", type=int, default=24)
    p.add_argument("--kv-heads", type=int, default=8)
    p.add_argument("--intermediate", type=int, default=8192)
    p.add_argument("--vocab", type=int, default=100288, help="Xenova/gpt-4's vocabulary, padded as models pad it")
    p.add_argument("--tie", action="store_true", help="tie the LM head to the embedding")
    p.add_argument("--no-checkpointing", action="store_true", help="keep every activation")
    p.add_argument("--dtype", choices=["bfloat16", "float32"], default="bfloat16", help="compute dtype")
    p.add_argument("--peak-tflops", type=float, default=989.0, help="the device's dense peak (H100 SXM bf16: 989)")
    p.add_argument("--planner-estimate-bytes", type=int, default=None, help="the memory planner's figure")
    p.add_argument("--tiny", action="store_true", help="a toy shape at seq 128, runnable on a CPU")
    args = p.parse_args()
    if args.tiny:
        for key, value in TINY.items():
            setattr(args, key, value)
    if args.steps < 1 or args.warmup < 0 or args.seq < 2 or args.batch < 1 or not 0 <= args.answer_tokens < args.seq:
        p.error("need --steps >= 1, --warmup >= 0, --seq >= 2, --batch >= 1, 0 <= --answer-tokens < --seq")
    return args


def build(args, world, dtype):
    config = LlamaConfig(vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.intermediate,
                         num_hidden_layers=args.layers, num_attention_heads=args.heads,
                         num_key_value_heads=args.kv_heads, max_position_embeddings=args.seq,
                         tie_word_embeddings=args.tie, use_cache=False, attention_dropout=0.0)
    torch.manual_seed(0)
    with world.device:
        model = LlamaForCausalLM._from_config(config, attn_implementation="sdpa", dtype=torch.float32)
    if not args.no_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    models.shard(model, world, dtype)
    model.train()
    return model, config


def counts(config):
    """(all parameters, a tied head once; N_body: the decoder layers' matmul weights; N_head: the LM head's)."""
    hidden, kv = config.hidden_size, config.num_key_value_heads * (config.hidden_size // config.num_attention_heads)
    matmul = 2 * hidden * hidden + 2 * hidden * kv + 3 * hidden * config.intermediate_size  # q, o; k, v; MLP
    body = config.num_hidden_layers * matmul
    norms = (2 * config.num_hidden_layers + 1) * hidden
    head = config.vocab_size * hidden
    total = head + body + norms + (0 if config.tie_word_embeddings else head)
    return total, body, head


def main():
    args = arguments()
    world = distributed.start()
    dtype = models.DTYPES[args.dtype]
    model, config = build(args, world, dtype)
    params = sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
    expected_params, n_body, n_head = counts(config)
    assert params == expected_params, (params, expected_params)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.01)
    generator = torch.Generator().manual_seed(1)
    prompt = 1 if args.answer_tokens == 0 else args.seq - args.answer_tokens
    scored = args.batch * (args.seq - prompt)
    tokens = args.batch * args.seq
    cuda = world.kind == "cuda"
    loss_value = None
    started = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            if cuda:
                torch.cuda.synchronize()
            started = time.perf_counter()
        ids = torch.randint(0, args.vocab, (args.batch, args.seq), generator=generator).tolist()
        examples = [Example(tuple(row), prompt) for row in ids]
        loss = batches.summed_loss(model, examples, 0, world.device)
        (loss / scored).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        loss_value = loss.item() / scored  # device→host sync: the step is done
    seconds = time.perf_counter() - started
    flops_step = (6 * (n_body * tokens + n_head * scored)
                  + 6 * args.layers * args.hidden * args.seq * tokens)
    flops_full = flops_step + 6 * args.layers * args.hidden * args.seq * tokens
    per_second = args.steps / seconds
    peak = args.peak_tflops * 1e12
    if cuda:
        peak_memory = torch.cuda.max_memory_allocated()
        reserved = torch.cuda.max_memory_reserved()
    else:
        import resource

        peak_memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        reserved = None
    line = {
        "bench": "gpu_train", "device": world.kind, "gpu_name": world.gpu_name, "torch": torch.__version__,
        "transformers": transformers.__version__, "params": params, "params_body": n_body, "params_head": n_head,
        "tie_word_embeddings": args.tie, "layers": args.layers, "hidden": args.hidden, "heads": args.heads,
        "kv_heads": args.kv_heads, "intermediate": args.intermediate, "vocab": args.vocab, "seq": args.seq,
        "batch": args.batch, "scored_tokens_per_step": scored, "compute_dtype": args.dtype,
        "activation_checkpointing": not args.no_checkpointing, "attention": model.config._attn_implementation,
        "fsdp": "fully_shard per decoder layer + root", "world_size": world.world_size, "steps": args.steps,
        "warmup": args.warmup, "ms_per_step": 1000 * seconds / args.steps,
        "tokens_per_second": tokens * per_second, "model_flops_per_step": flops_step,
        "flops_formula": "6*(N_body*tokens + N_head*scored) + 6*layers*hidden*seq*tokens (causal attention)",
        "peak_tflops": args.peak_tflops, "mfu": flops_step * per_second / peak,
        "mfu_full_attention": flops_full * per_second / peak,
        "peak_gpu_memory_bytes" if cuda else "peak_rss_bytes": peak_memory, "peak_gpu_reserved_bytes": reserved,
        "planner_estimate_bytes": args.planner_estimate_bytes,
        "planner_estimate_over_peak": (args.planner_estimate_bytes / peak_memory
                                       if args.planner_estimate_bytes else None),
        "last_loss": loss_value,
    }
    if world.is_main:
        print(json.dumps(line), flush=True)
    distributed.stop()


if __name__ == "__main__":
    main()
