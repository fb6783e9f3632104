"""One attempt at a job on this rank: the model, its optimizer and the DJL Trainer.run loop, step for step."""

import resource
import sys
import time

import torch

from . import batches, checkpoints, distributed, final_save
from . import model as models
from .fingerprint import fingerprint
from .schedule import LearningRateSchedule, total_steps
from .train_state import TrainState

COMPLETED, MAX_STEPS, STOP_REQUESTED = "completed", "max_steps", "stop_requested"
_DTYPE_NAMES = {torch.bfloat16: "bfloat16", torch.float32: "float32", torch.float16: "float16"}


class TrainingError(Exception):
    """A failure the user can act on; its message is the whole story."""


class Session:
    """One attempt at a job: the model, optimizer and examples on this rank, and where the run stands."""

    def __init__(self, job, examples, world, progress):
        self.job, self.examples, self.world, self.progress = job, examples, world, progress
        self.train = job.train
        self.dtype = models.compute_dtype(job, world)
        config = models.hf_config(job.model_dir)
        self.model = models.load(job, world, self.dtype)
        self.lora = self.train.lora_rank > 0
        self.fingerprint = fingerprint(config, models.trainable_names(self.model), job, self.examples)
        self.parameters = models.trainable(self.model)
        t = self.train
        self.optimizer = torch.optim.AdamW(self.parameters, lr=t.lr, betas=(t.beta1, t.beta2), eps=t.eps,
                                           weight_decay=t.weight_decay)
        # Without FSDP, bf16 compute is autocast over float32 weights; FSDP's policy casts by itself.
        self.autocast = not job.fsdp and self.dtype != torch.float32
        self.last_checkpoint = None

    def run(self, stop):
        """The DJL Trainer.run loop, step for step; returns result.json's fields."""
        t = self.train
        resumed, note = self.resume()
        state = resumed.state if resumed else TrainState.start(t.seed, self.fingerprint)
        self.last_checkpoint = resumed
        total = total_steps(len(self.examples), t)
        schedule = LearningRateSchedule.of(t, total)
        self.progress.start(self.world, _DTYPE_NAMES[self.dtype], total,
                            resumed.state.step if resumed else None, note)
        stopped_by = COMPLETED
        started = time.monotonic()
        tokens_before = state.tokens
        while stopped_by == COMPLETED and (t.num_epochs == -1 or state.epoch < t.num_epochs):
            epoch_batches = batches.micro_batches(len(self.examples), t.batch_size, t.seed, state.epoch)
            while state.micro_batch < len(epoch_batches):
                if t.max_steps != -1 and state.step >= t.max_steps:
                    stopped_by = MAX_STEPS
                    break
                group = min(t.accumulation_steps, len(epoch_batches) - state.micro_batch)
                step_batches = [[self.examples[i] for i in b]
                                for b in epoch_batches[state.micro_batch:state.micro_batch + group]]
                losses = self.accumulate(step_batches, group, stop)
                if losses is None:
                    # Drop the half-accumulated step: the state still describes the last full one.
                    self.optimizer.zero_grad()
                    stopped_by = STOP_REQUESTED
                    break
                loss_sum = sum(losses)
                if not all(map(_finite, losses)):
                    raise TrainingError(f"training diverged: the loss is not finite at step {state.step + 1}; start "
                                        f"a new run with a lower lr (the last good checkpoint is in "
                                        f"{self.job.checkpoint_dir_text})")
                models.reduce_gradients(self.model, self.world, self.job.fsdp)
                norm = self.clip()
                lr = schedule.at(state.step)
                for group_settings in self.optimizer.param_groups:
                    group_settings["lr"] = lr
                self.optimizer.step()
                self.optimizer.zero_grad()
                state = state.after_step(group, loss_sum, sum(batches.real_tokens(b) for b in step_batches))
                seconds = time.monotonic() - started
                self.progress.step(state.step, total, state.epoch, loss_sum / group, lr, norm, state.tokens,
                                   (state.tokens - tokens_before) / seconds)
                if state.step % t.checkpoint_every == 0:
                    self.checkpoint(state)
            else:
                state = self.end_epoch(state, True)
        early = stopped_by == STOP_REQUESTED and total > 0 and state.step < total
        if stopped_by != COMPLETED and not early and state.epoch_micro_batches > 0:
            # A stop that ends the run mid-epoch ends that epoch early; its mean loss competes for the best
            # model. A stop short of the planned steps leaves the epoch open: the resume finishes it.
            state = self.end_epoch(state, False)
        if self.last_checkpoint is None or self.last_checkpoint.state != state:
            self.checkpoint(state)
        model_file = self.final_model(state, early)
        seconds = time.monotonic() - started
        session_tokens = state.tokens - tokens_before
        self.progress.event("end", stopped_by=stopped_by, step=state.step)
        steps = state.step_losses
        return model_file, {
            "steps": state.step, "tokens": state.tokens, "examples": len(self.examples),
            "epoch_losses": list(state.epoch_losses), "step_losses": list(steps), "best_loss": state.best_loss,
            "first_loss": steps[0] if steps else None, "last_loss": steps[-1] if steps else None,
            "tokens_per_second": session_tokens / seconds if seconds > 0 else 0.0, "stopped_by": stopped_by,
            "resumed_from_step": resumed.state.step if resumed else None, "planned_steps": total, "start": note,
            "last_checkpoint": self.checkpoint_text(self.last_checkpoint.dir.name), "world_size": self.world.world_size,
            "device": self.world.kind, "gpus": self.world.gpus, "gpu_name": self.world.gpu_name,
            "compute_dtype": _DTYPE_NAMES[self.dtype], "peak_memory_bytes": self.peak_memory()}

    def accumulate(self, step_batches, group, stop):
        """Forward and backward of the step's micro-batches; their mean losses, or None when a stop came first."""
        sums, scored = [], []
        for micro_batch in step_batches:
            if stop.agreed():
                return None
            mine = batches.rank_share(micro_batch, self.world.rank, self.world.world_size)
            tokens = batches.scored_tokens(micro_batch)
            with torch.autocast(self.world.kind, dtype=self.dtype, enabled=self.autocast):
                loss = batches.summed_loss(self.model, mine, self.job.pad_id, self.world.device)
            # Every rank scales by the whole micro-batch's scored tokens: summed over ranks this is the mean.
            (loss / (tokens * group)).backward()
            sums.append(loss.item())  # device→host sync, once per micro-batch
            scored.append(tokens)
        totals = distributed.all_sum(self.world, sums)
        return [s / n for s, n in zip(totals, scored, strict=True)]

    def clip(self):
        """Global gradient norm before clipping; max_grad_norm 0 only measures it."""
        limit = self.train.max_grad_norm if self.train.max_grad_norm > 0 else float("inf")
        norm = torch.nn.utils.clip_grad_norm_(self.parameters, limit)
        if hasattr(norm, "full_tensor"):
            norm = norm.full_tensor()
        return norm.item()

    def end_epoch(self, state, next_epoch):
        if state.epoch_micro_batches == 0:
            return state
        ended = state.end_epoch(next_epoch)
        self.progress.event("epoch", epoch=state.epoch, loss=ended.epoch_losses[-1], best_loss=ended.best_loss)
        if ended.last_epoch_is_best():
            final_save.save_best(self.job, self.model, self.world, ended.best_loss, ended.step)
        return ended

    def checkpoint(self, state):
        target = checkpoints.save(self.job.checkpoint_dir, state, self.model, self.optimizer, self.lora, self.world,
                                  self.train.keep_checkpoints)
        self.last_checkpoint = checkpoints.Found(target, state, None)
        self.progress.event("checkpoint", step=state.step, dir=self.checkpoint_text(target.name))

    def checkpoint_text(self, name):
        return self.job.checkpoint_dir_text.rstrip("/") + "/" + name

    def resume(self):
        """The newest checkpoint that passes its checks, loaded; damaged newer ones are skipped with a warning."""
        skipped = []
        # Rank 0 reads the folder for everyone: all ranks must pick the same checkpoint.
        found_all = distributed.from_main(self.world, checkpoints.scan(self.job.checkpoint_dir)
                                          if self.world.is_main else None)
        for found in found_all:
            if found.problem is not None:
                self.warn(f"checkpoint {found.dir.name} cannot be used: {found.problem}")
                skipped.append(f"{found.dir.name}: {found.problem}")
                continue
            if found.state.fingerprint != self.fingerprint:
                raise TrainingError(f"checkpoint {found.dir.name} in {self.job.checkpoint_dir_text} was written for "
                                    "another model architecture, data set or training configuration; start a new "
                                    "run (or delete that folder) to train this one from the start")
            checkpoints.load(found, self.model, self.optimizer, self.lora)
            note = (f"resumed from checkpoint {found.dir.name} (step {found.state.step})"
                    + (f"; skipped the newer {'; '.join(skipped)}" if skipped else ""))
            return found, note
        if skipped:
            return None, f"No usable checkpoint ({'; '.join(skipped)}): starting at step 0"
        return None, "No checkpoint: starting at step 0"

    def final_model(self, state, early):
        """The best weights' file; the last weights stand in when the best ones are missing (never mid-plan)."""
        best = final_save.best_model(self.job, state.best_loss) if self.world.is_main else None
        missing = distributed.from_main(self.world, best is None)
        if missing and state.best_loss is not None and not early:
            self.warn("the best model's weights are missing: saving the last weights in their place")
            final_save.save_best(self.job, self.model, self.world, state.best_loss, state.step)
            best = final_save.best_model(self.job, state.best_loss) if self.world.is_main else None
        return best

    def peak_memory(self):
        """Peak bytes over ranks: CUDA memory allocated on GPUs, the process's peak RSS on CPU."""
        if self.world.kind == "cuda":
            local = torch.cuda.max_memory_allocated(self.world.device)
        else:
            local = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
        return distributed.max_over_ranks(self.world, local)

    def warn(self, message):
        if self.world.is_main:
            print(f"warning: {message}", file=sys.stderr, flush=True)


def _finite(value):
    return value == value and abs(value) != float("inf")
