"""progress.jsonl: one JSON object per line, appended and flushed, for the Java side to follow.

Rank 0 writes every event; any rank may write an "error" event (named with its rank) before it exits 1.
"""

import json
import time


class Progress:
    def __init__(self, path, enabled):
        self.path = path
        self.enabled = enabled

    def event(self, kind, **fields):
        if self.enabled:
            self._append({"event": kind, **fields})

    def start(self, world, compute_dtype, planned_steps, resumed_from_step, start_note):
        self.event("start", world_size=world.world_size, device=world.kind, gpus=world.gpus,
                   gpu_name=world.gpu_name, compute_dtype=compute_dtype, planned_steps=planned_steps,
                   resumed_from_step=resumed_from_step, start=start_note, time=time.time())

    def step(self, step, total_steps, epoch, loss, lr, grad_norm, tokens, tokens_per_second):
        self.event("step", step=step, total_steps=total_steps, epoch=epoch, loss=loss, lr=lr, grad_norm=grad_norm,
                   tokens=tokens, tokens_per_second=tokens_per_second, time=time.time())

    def error(self, message):
        """Written whichever rank fails: an error must reach the Java side even when rank 0 is waiting."""
        self._append({"event": "error", "message": message, "time": time.time()})

    def _append(self, record):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write of one line in append mode: lines from several ranks do not interleave.
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, allow_nan=False) + "\n")
            f.flush()
