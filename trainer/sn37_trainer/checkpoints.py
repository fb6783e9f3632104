"""Training checkpoints, complete or absent: checkpoints/step-%08d/ holds the model and AdamW state as a
torch.distributed.checkpoint (DCP, every rank writes its shards) and state.json (the TrainState), written last.

All of it goes into a hidden .step-N.partial folder that is renamed into place, so a step-N folder is complete
unless a file was removed or cut short since; scan() checks that before a resume uses it. With LoRA only the
adapters (what trains) are stored: the frozen base weights come from model_dir again, which the fingerprint pins.
A checkpoint at step 0 holds no optimizer state: AdamW has none before its first step.
"""

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import torch.distributed.checkpoint as dcp
from torch.distributed.checkpoint import FileSystemReader
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_state_dict,
    set_model_state_dict,
    set_state_dict,
)

from . import distributed
from .train_state import TrainState

STATE = "state.json"
_NAME = re.compile(r"step-(\d{8,})")


def name(step):
    return f"step-{step:08d}"


@dataclass(frozen=True)
class Found:
    dir: Path
    state: TrainState | None
    problem: str | None  # why it cannot be used, or None


def scan(root):
    """Every step-N folder under ``root``, newest first, each with its state or the reason it is unusable."""
    if not root.is_dir():
        return []
    found = []
    for entry in root.iterdir():
        match = _NAME.fullmatch(entry.name)
        if match and entry.is_dir():
            found.append((int(match.group(1)), entry))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [_check(path) for _, path in found]


def _check(path):
    try:
        with open(path / STATE, "rb") as f:
            state = TrainState.from_json(json.loads(f.read().decode("utf-8")))
    except FileNotFoundError:
        return Found(path, None, f"{STATE} is missing")
    except (OSError, ValueError, KeyError, TypeError):
        return Found(path, None, f"{STATE} cannot be read")
    try:
        metadata = FileSystemReader(str(path)).read_metadata()
    except Exception:  # noqa: BLE001 - any failure to read DCP's index means the same: unusable
        return Found(path, None, "its DCP .metadata is missing or cannot be read")
    needed = {}
    for info in metadata.storage_data.values():
        needed[info.relative_path] = max(needed.get(info.relative_path, 0), info.offset + info.length)
    for relative, size in sorted(needed.items()):
        file = path / relative
        if not file.is_file():
            return Found(path, None, f"its file {relative} is missing")
        if file.stat().st_size < size:
            return Found(path, None, f"its file {relative} is cut short")
    return Found(path, state, None)


def _options(lora):
    return StateDictOptions(ignore_frozen_params=lora)


def save(root, state, model, optimizer, lora, world, keep):
    """Writes ``state``'s checkpoint (a collective: every rank calls it), then keeps the newest ``keep``."""
    target = root / name(state.step)
    partial = root / f".{name(state.step)}.partial"
    if world.is_main:
        root.mkdir(parents=True, exist_ok=True)
        for leftover in root.glob(".step-*.partial"):
            shutil.rmtree(leftover, ignore_errors=True)
        partial.mkdir()
    distributed.barrier(world)
    dcp.save(_state_dict(model, optimizer, lora, state.step), checkpoint_id=str(partial))
    distributed.barrier(world)
    if world.is_main:
        _write_json(partial / STATE, state.to_json())
        if target.exists():
            shutil.rmtree(target)
        os.rename(partial, target)
        _fsync_dir(root)
        complete = [f for f in scan(root) if f.problem is None]
        for older in complete[keep:]:
            shutil.rmtree(older.dir, ignore_errors=True)
    distributed.barrier(world)
    return target


def load(found, model, optimizer, lora):
    """Loads ``found`` into the (sharded) model and optimizer; every rank calls it."""
    state_dict = _state_dict(model, optimizer, lora, found.state.step)
    dcp.load(state_dict, checkpoint_id=str(found.dir))
    if "optim" in state_dict:
        set_state_dict(model, optimizer, model_state_dict=state_dict["model"], optim_state_dict=state_dict["optim"],
                       options=_options(lora))
    else:
        set_model_state_dict(model, state_dict["model"], options=_options(lora))


def _state_dict(model, optimizer, lora, step):
    if step == 0:
        # get_state_dict would take a zero step to create AdamW's state, and that step would count.
        return {"model": get_model_state_dict(model, options=_options(lora))}
    model_state, optim_state = get_state_dict(model, optimizer, options=_options(lora))
    return {"model": model_state, "optim": optim_state}


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
