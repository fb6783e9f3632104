"""LoRA through PEFT on every attention and MLP projection, as the DJL trainer's LoraAdapters.

The DJL side draws A [rank, in] uniform in +-1/sqrt(in) (PEFT's kaiming_uniform_(a=sqrt(5)) bound) from
SplittableRandom(seed), layer by layer, projection by projection in PROJECTIONS' order, and sets B to zero.
The same draw is made here, so both trainers start from the same adapters and keep the same losses after
step 1, not only at it. The update is W x + (alpha / rank) B A x, without dropout.
"""

import numpy as np
import torch
from peft import LoraConfig, get_peft_model

from .splittable_random import SplittableRandom

# The DJL trainer's LoraAdapters.PROJECTIONS, in its order.
PROJECTIONS = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
               "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")


def config(rank, alpha):
    return LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
                      target_modules=[p.split(".")[-1] for p in PROJECTIONS])


def attach(model, rank, alpha, seed):
    """Wraps the HF model in PEFT with adapters drawn as the DJL trainer draws them; only they train."""
    peft_model = get_peft_model(model, config(rank, alpha))
    random = SplittableRandom(seed)
    base = peft_model.get_base_model()
    with torch.no_grad():
        for layer in range(base.config.num_hidden_layers):
            for projection in PROJECTIONS:
                module = base.get_submodule(f"model.layers.{layer}.{projection}")
                a = module.lora_A["default"].weight  # [rank, in]
                fan_in = a.shape[1]
                bound = np.float64(np.float32(1 / np.sqrt(fan_in)))  # Java: (float) (1 / Math.sqrt(in))
                values = ((random.next_doubles(a.numel()) * 2 - 1) * bound).astype(np.float32)
                a.copy_(torch.from_numpy(values).view(a.shape))
                module.lora_B["default"].weight.zero_()
    return peft_model


def attach_empty(model, rank, alpha):
    """The same PEFT wrapping with adapters left as PEFT made them: a skeleton to load saved adapters into."""
    return get_peft_model(model, config(rank, alpha))
