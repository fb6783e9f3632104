"""What must not change between a checkpoint and its resume: the architecture, what trains, the optimisation
settings and the data. Epochs, max_steps and the checkpoint cadence may change: a resume may extend a run."""

import hashlib
import json

# config.json keys that describe where the file came from, not the network.
_NOT_ARCHITECTURE = {"transformers_version", "_name_or_path", "torch_dtype", "dtype", "use_cache", "output_attentions",
                     "output_hidden_states", "return_dict"}


def fingerprint(hf_config, trainable_names, job, examples):
    digest = hashlib.sha256()
    architecture = {k: v for k, v in hf_config.to_dict().items() if k not in _NOT_ARCHITECTURE}
    digest.update(json.dumps(architecture, sort_keys=True, default=str).encode())
    digest.update(json.dumps(trainable_names).encode())
    t = job.train
    settings = [t.lr, t.weight_decay, t.beta1, t.beta2, t.eps, t.accumulation_steps, t.batch_size, t.seed,
                t.max_grad_norm, t.warmup_steps, t.min_lr_ratio, t.sequence_length, t.lora_rank, t.lora_alpha,
                job.pad_id]
    digest.update(json.dumps(settings).encode())
    for example in examples:
        digest.update(",".join(map(str, example.ids)).encode())
        digest.update(f"|{example.prompt_length}|".encode())
    return digest.hexdigest()
