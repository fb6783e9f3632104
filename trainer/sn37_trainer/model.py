"""The model as it trains: transformers' causal LM with SDPA attention and float32 master weights, optional
activation checkpointing and LoRA, sharded with FSDP2 (fully_shard per decoder layer, then the root)."""

import torch
import torch.distributed as dist
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.fsdp import FSDPModule, MixedPrecisionPolicy, fully_shard
from transformers import AutoConfig, AutoModelForCausalLM
from transformers.utils import logging as hf_logging

from . import lora

DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}


def compute_dtype(job, world):
    """auto: bfloat16 on CUDA, float32 on CPU."""
    if job.compute_dtype == "auto":
        return torch.bfloat16 if world.kind == "cuda" else torch.float32
    return DTYPES[job.compute_dtype]


def hf_config(model_dir):
    config = AutoConfig.from_pretrained(model_dir, local_files_only=True)
    if hasattr(config, "attention_dropout"):
        config.attention_dropout = 0.0  # the DJL model has no dropout
    config.use_cache = False
    return config


def load(job, world, dtype):
    """Loads model_dir on every rank, adds LoRA, enables checkpointing, then shards (or places) it."""
    config = hf_config(job.model_dir)
    hf_logging.disable_progress_bar()  # one bar per rank in the job's log says nothing
    model = AutoModelForCausalLM.from_pretrained(job.model_dir, config=config, attn_implementation="sdpa",
                                                 dtype=torch.float32, local_files_only=True)
    if job.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    train = job.train
    if train.lora_rank > 0:
        model = lora.attach(model, train.lora_rank, train.lora_alpha, train.seed)
    else:
        model.requires_grad_(True)
    if job.fsdp:
        shard(model, world, dtype)
    else:
        model.to(world.device)
    model.train()
    return model


def decoder_layers(model):
    """The modules transformers says must not be split: the decoder layers, FSDP's units."""
    hf_model = model.get_base_model() if hasattr(model, "get_base_model") else model
    names = set(getattr(hf_model, "_no_split_modules", None) or ())
    if not names:
        raise ValueError(f"{type(hf_model).__name__} names no decoder layer class (_no_split_modules)")
    return [m for m in model.modules() if type(m).__name__ in names]


def shard(model, world, dtype):
    """FSDP2 full shard; in bfloat16 the shards gather as bf16 and gradients reduce in float32."""
    mesh = init_device_mesh(world.kind, (world.world_size,))
    policy = (MixedPrecisionPolicy(param_dtype=dtype, reduce_dtype=torch.float32)
              if dtype != torch.float32 else MixedPrecisionPolicy())
    for layer in decoder_layers(model):
        fully_shard(layer, mesh=mesh, mp_policy=policy)
    fully_shard(model, mesh=mesh, mp_policy=policy)
    for module in model.modules():
        if isinstance(module, FSDPModule):
            # Sum, not average: each rank's loss is already scaled by the whole micro-batch's token count.
            # A plain SUM (not NCCL's PREMUL_SUM) also runs on gloo.
            module.set_gradient_divide_factor(1.0)
            module.set_force_sum_reduction_for_comms(True)


def reduce_gradients(model, world, fsdp):
    """Without FSDP every rank holds all weights: sum their gradients here (FSDP's reduce-scatter does it)."""
    if fsdp or world.world_size == 1:
        return
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad)


def trainable(model):
    return [p for p in model.parameters() if p.requires_grad]


def trainable_names(model):
    return [n for n, p in model.named_parameters() if p.requires_grad]
