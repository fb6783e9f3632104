"""The process group: gloo on CPU, nccl on CUDA (one GPU per process, LOCAL_RANK's); one process works too."""

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class World:
    rank: int
    world_size: int
    device: torch.device
    gpu_name: str | None

    @property
    def is_main(self):
        return self.rank == 0

    @property
    def kind(self):
        return self.device.type  # "cpu" or "cuda"

    @property
    def gpus(self):
        """GPUs the job uses in all: one per process on CUDA."""
        return self.world_size if self.kind == "cuda" else 0


def start():
    """Joins the group torchrun describes (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_*), or makes a group of one."""
    cuda = torch.cuda.is_available()
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    backend = "nccl" if cuda else "gloo"
    if "WORLD_SIZE" in os.environ:
        dist.init_process_group(backend, device_id=device if cuda else None)
    else:
        dist.init_process_group(backend, store=dist.HashStore(), rank=0, world_size=1,
                                device_id=device if cuda else None)
    return World(dist.get_rank(), dist.get_world_size(), device,
                 torch.cuda.get_device_name(device) if cuda else None)


def stop():
    if dist.is_initialized():
        dist.destroy_process_group()


def all_sum(world, values):
    """Element-wise sum over ranks of a list of floats (float64 on the wire)."""
    t = torch.tensor(values, dtype=torch.float64, device=world.device)
    dist.all_reduce(t)
    return t.tolist()


def any_rank(world, flag):
    """True on every rank when ``flag`` is true on at least one."""
    t = torch.tensor([1 if flag else 0], dtype=torch.int32, device=world.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def max_over_ranks(world, value):
    t = torch.tensor([value], dtype=torch.int64, device=world.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return int(t.item())


def from_main(world, value):
    """Rank 0's ``value`` (any picklable object) on every rank."""
    box = [value]
    dist.broadcast_object_list(box, src=0, device=world.device)
    return box[0]


def barrier(world):
    dist.barrier(device_ids=[world.device.index] if world.kind == "cuda" else None)
