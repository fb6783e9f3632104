"""The weights the run hands back: gathered whole on rank 0, LoRA merged by PEFT, cast to save_dtype, written as
model.safetensors with the HF model's state_dict() names (a tied lm_head left out, as save_pretrained does).

Each epoch that sets a new best loss writes them to <checkpoint_dir>/best/ (so a resumed run still has them);
the end of the run copies them into result_dir with result.json, through result_dir.tmp renamed into place.
"""

import json
import os
import shutil

import torch
from safetensors.torch import save_file
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from transformers import AutoModelForCausalLM

from . import distributed, lora
from .model import DTYPES, hf_config

MODEL = "model.safetensors"
RESULT = "result.json"
BEST = "best"
BEST_INFO = "best.json"


def save_best(job, model, world, loss, step):
    """Writes the model's current weights as the best (a collective: every rank calls it)."""
    full = get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))
    if world.is_main:
        tensors = hf_tensors(job, full)
        del full
        best = job.checkpoint_dir / BEST
        partial = job.checkpoint_dir / f".{BEST}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        save_file(tensors, str(partial / MODEL), metadata={"format": "pt"})
        _write_json(partial / BEST_INFO, {"loss": loss, "step": step})
        _replace(partial, best)
    distributed.barrier(world)


def best_model(job, best_loss):
    """The best weights' file when they are the ones ``best_loss`` names, else None."""
    best = job.checkpoint_dir / BEST
    try:
        with open(best / BEST_INFO, encoding="utf-8") as f:
            info = json.load(f)
    except (OSError, ValueError):
        return None
    if best_loss is None or info.get("loss") != best_loss or not (best / MODEL).is_file():
        return None
    return best / MODEL


def hf_tensors(job, full_state):
    """HF-named tensors in save_dtype from the training model's full state dict (PEFT names when LoRA)."""
    config = hf_config(job.model_dir)
    with torch.device("meta"):
        skeleton = AutoModelForCausalLM.from_config(config)
    if job.train.lora_rank > 0:
        skeleton = lora.attach_empty(skeleton, job.train.lora_rank, job.train.lora_alpha)
    skeleton.load_state_dict(full_state, strict=True, assign=True)
    if job.train.lora_rank > 0:
        skeleton = skeleton.merge_and_unload()
    state = skeleton.state_dict()
    if getattr(config, "tie_word_embeddings", False):
        state.pop("lm_head.weight", None)
    dtype = DTYPES[job.save_dtype]
    return {name: t.detach().to(dtype).contiguous() for name, t in state.items()}


def write_result(job, result, model_file):
    """result_dir/ with result.json and, when there is one, model.safetensors: complete or absent."""
    final = job.result_dir
    partial = final.with_name(final.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if model_file is not None:
        try:
            os.link(model_file, partial / MODEL)
        except OSError:
            shutil.copyfile(model_file, partial / MODEL)
    _write_json(partial / RESULT, result)
    _replace(partial, final)


def _replace(partial, target):
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
        os.rename(partial, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(partial, target)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, allow_nan=False)
        f.flush()
        os.fsync(f.fileno())
