"""The run's length and learning rate, as the DJL trainer's Trainer.totalSteps and LearningRateSchedule."""

import math

_INT_MAX = 2**31 - 1


def total_steps(example_count, train):
    """Optimizer steps of the whole run, or 0 when it trains until stopped."""
    micro_batches = -(-example_count // train.batch_size)
    per_epoch = -(-micro_batches // train.accumulation_steps)
    epochs = 0 if train.num_epochs == -1 else train.num_epochs * per_epoch
    if train.max_steps == -1:
        return min(_INT_MAX, epochs)
    return train.max_steps if epochs == 0 else min(epochs, train.max_steps)


def warmup_steps(train, total):
    """-1 chooses 5 % of the total (at least 1), or 20 when the run has no planned end."""
    if train.warmup_steps >= 0:
        return train.warmup_steps
    return max(1, total // 20) if total > 0 else 20


class LearningRateSchedule:
    """Linear warm-up, then half a cosine down to min_ratio * peak at total (nanoGPT's get_lr)."""

    def __init__(self, peak, warmup, total, min_ratio):
        self.peak = peak
        self.warmup = warmup
        self.total = total
        self.min_ratio = min_ratio

    @classmethod
    def of(cls, train, total):
        return cls(train.lr, warmup_steps(train, total), total, train.min_lr_ratio)

    def at(self, step):
        """The rate for 0-based optimizer step ``step``."""
        if step < self.warmup:
            return self.peak * (step + 1) / (self.warmup + 1)
        if self.total <= 0:
            return self.peak
        if step >= self.total:
            return self.peak * self.min_ratio
        progress = (step - self.warmup) / max(1, self.total - self.warmup)
        low = self.peak * self.min_ratio
        return low + 0.5 * (1 + math.cos(math.pi * progress)) * (self.peak - low)
