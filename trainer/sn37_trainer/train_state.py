"""Where a run stands after an optimizer step: the DJL trainer's TrainState, field for field.

Examples are visited in an order fixed by the seed and the epoch, so the seed and the data cursor (epoch,
micro_batch) are the whole RNG state. state.json uses the Java record's component names, so either trainer's
state reads the same.
"""

from dataclasses import asdict, dataclass, replace

_JSON_NAMES = {
    "step": "step", "epoch": "epoch", "micro_batch": "microBatch", "seed": "seed",
    "epoch_loss_sum": "epochLossSum", "epoch_micro_batches": "epochMicroBatches", "epoch_losses": "epochLosses",
    "best_loss": "bestLoss", "step_losses": "stepLosses", "tokens": "tokens", "fingerprint": "fingerprint",
}


@dataclass(frozen=True)
class TrainState:
    step: int  # optimizer steps done
    epoch: int  # current epoch, 0-based
    micro_batch: int  # the next micro-batch of this epoch
    seed: int
    epoch_loss_sum: float  # sum of this epoch's micro-batch losses so far
    epoch_micro_batches: int  # how many micro-batches that sum covers
    epoch_losses: tuple  # mean loss of each finished epoch
    best_loss: float | None  # the lowest epoch loss so far (the best model's)
    step_losses: tuple  # mean micro-batch loss of every optimizer step
    tokens: int  # real tokens trained on
    fingerprint: str  # architecture, data and optimisation settings; resuming needs the same

    @classmethod
    def start(cls, seed, fingerprint):
        return cls(0, 0, 0, seed, 0.0, 0, (), None, (), 0, fingerprint)

    def after_step(self, micro_batches, loss_sum, step_tokens):
        return replace(self, step=self.step + 1, micro_batch=self.micro_batch + micro_batches,
                       epoch_loss_sum=self.epoch_loss_sum + loss_sum,
                       epoch_micro_batches=self.epoch_micro_batches + micro_batches,
                       step_losses=self.step_losses + (loss_sum / micro_batches,), tokens=self.tokens + step_tokens)

    def end_epoch(self, next_epoch):
        """Closes the current (possibly partial) epoch: its mean loss joins the list, and the best if lower."""
        mean = self.epoch_loss_sum / self.epoch_micro_batches
        best = mean if self.best_loss is None or mean < self.best_loss else self.best_loss
        return replace(self, epoch=self.epoch + 1 if next_epoch else self.epoch,
                       micro_batch=0 if next_epoch else self.micro_batch, epoch_loss_sum=0.0,
                       epoch_micro_batches=0, epoch_losses=self.epoch_losses + (mean,), best_loss=best)

    def last_epoch_is_best(self):
        return bool(self.epoch_losses) and self.best_loss is not None and self.best_loss == self.epoch_losses[-1]

    def to_json(self):
        fields = asdict(self)
        return {_JSON_NAMES[k]: list(v) if isinstance(v, tuple) else v for k, v in fields.items()}

    @classmethod
    def from_json(cls, data):
        """Raises KeyError/TypeError/ValueError when a field is missing or of another kind."""
        values = {k: data[j] for k, j in _JSON_NAMES.items()}
        for k in ("step", "epoch", "micro_batch", "seed", "epoch_micro_batches", "tokens"):
            if not isinstance(values[k], int) or isinstance(values[k], bool):
                raise TypeError(k)
        if not isinstance(values["fingerprint"], str):
            raise TypeError("fingerprint")
        values["epoch_loss_sum"] = float(values["epoch_loss_sum"])
        values["epoch_losses"] = tuple(float(x) for x in values["epoch_losses"])
        values["step_losses"] = tuple(float(x) for x in values["step_losses"])
        values["best_loss"] = None if values["best_loss"] is None else float(values["best_loss"])
        return cls(**values)
