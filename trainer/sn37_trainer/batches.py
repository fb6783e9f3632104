"""Micro-batches and their loss, as the DJL trainer builds them (Trainer.microBatches, Batch, TokenLoss).

A micro-batch's loss is the mean next-token cross-entropy over its scored positions: position t predicts
t + 1 for t in [prompt_length - 1, length - 1). Sequences are padded on the right with pad_id; real tokens keep
their positions and the causal mask keeps them from seeing the padding, so no attention mask is needed.

Across W ranks, rank r takes examples r, r + W, ... of each micro-batch and returns its summed cross-entropy;
the caller divides by the scored tokens of the whole micro-batch, so the gradient is the same for any W.
"""

import torch
import torch.nn.functional as F

from .splittable_random import epoch_order


def micro_batches(example_count, batch_size, seed, epoch):
    """The epoch's example indices in the seeded order, cut into micro-batches (the last may be smaller)."""
    order = epoch_order(example_count, seed, epoch)
    return [order[start:start + batch_size] for start in range(0, example_count, batch_size)]


def rank_share(batch, rank, world_size):
    """The examples rank ``rank`` computes: positions r, r + W, ... of the micro-batch (possibly none)."""
    return batch[rank::world_size]


class Padded:
    """Examples padded on the right to the longest, with the scored rows and their targets."""

    def __init__(self, examples, pad_id, device):
        time = max(e.length for e in examples)
        ids = torch.full((len(examples), time), pad_id, dtype=torch.long)
        batch_rows, positions, targets = [], [], []
        for b, example in enumerate(examples):
            ids[b, :example.length] = torch.tensor(example.ids, dtype=torch.long)
            for t in range(example.prompt_length - 1, example.length - 1):
                batch_rows.append(b)
                positions.append(t)
                targets.append(example.ids[t + 1])
        # Only positions from the first scored one on go through the LM head: [B, K, vocab], not [B, T, vocab].
        self.first = min(positions)
        self.keep = torch.arange(self.first, max(positions) + 1, device=device)
        self.ids = ids.to(device)  # [B, T]
        self.batch_rows = torch.tensor(batch_rows, device=device)  # [scored]
        self.columns = torch.tensor(positions, device=device) - self.first  # [scored], indexes keep
        self.targets = torch.tensor(targets, device=device)  # [scored]


def summed_loss(model, examples, pad_id, device):
    """Sum of the cross-entropy over the examples' scored tokens (float32 scalar with a graph).

    With no examples this rank still runs forward and backward, so the FSDP collectives of every rank
    line up, on one padding token with its output multiplied by 0.
    """
    if not examples:
        ids = torch.full((1, 1), pad_id, dtype=torch.long, device=device)
        logits = model(input_ids=ids, logits_to_keep=1, use_cache=False).logits
        return logits.float().sum() * 0.0
    batch = Padded(examples, pad_id, device)
    logits = model(input_ids=batch.ids, logits_to_keep=batch.keep, use_cache=False).logits  # [B, K, vocab]
    # One example scores exactly the kept positions: a view, not a copy of [K, vocab].
    chosen = logits[0] if len(examples) == 1 else logits[batch.batch_rows, batch.columns]  # [scored, vocab]
    del logits
    # float32 log-softmax, as the DJL trainer computes it; its input copy is freed once it is taken.
    return F.cross_entropy(chosen.float(), batch.targets, reduction="sum")


def scored_tokens(examples):
    return sum(e.scored for e in examples)


def real_tokens(examples):
    return sum(e.length for e in examples)
