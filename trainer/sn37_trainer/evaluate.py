"""Scores one loss task of one model with transformers in bfloat16, as the competition's validators do.

    python trainer/evaluate.py --job JOB_DIR/eval-job.json

The Java side (eval/torch/TorchLosses) tokenizes and builds the prompts, so both evaluation backends score the
same ids; this process only runs the model. eval-job.json (every key required, no other; relative paths under
its folder):

    {"format": 1, "model_dir": "/abs/model", "model_dtype": "bfloat16", "logits_dtype": "bfloat16",
     "device": "auto", "task": "WORD_SORTING", "method": "reference_loss", "pad_id": null,
     "samples": "samples.jsonl", "progress": "progress.jsonl", "result": "result.json"}

- method reference_loss: samples lines {"ids": [int, ...], "reference_length": int}, ids = context + reference;
  compute_reference_loss (finetune/eval/method.py @afd44037): cross-entropy of the shifted logits on the last
  reference_length positions (0: all of them, as Python's [-0:]), the mean over samples.
- method text_loss: samples lines {"ids": [int, ...]} and pad_id an integer; compute_text_loss: the sanity check
  (check_for_reasonable_output: 20 greedy tokens from the first two texts), then the mean over texts of the
  cross-entropy over all shifted positions.
- model_dtype bfloat16: the competitions' kwargs (torch_dtype=bfloat16) plus use_cache=True, as
  neurons/validator.py loads a model; attention is SDPA, transformers' default where torch has it.
- logits_dtype bfloat16: the logits stay bf16 into CrossEntropyLoss (transformers >= 4.46, the validators' pin
  since 2025-02); float32: they are upcast first, as transformers 4.44.1's LlamaForCausalLM.forward did.
- device: auto (cuda when torch sees one, else cpu), cpu, cuda or cuda:N.

After each sample one line {"done": k, "total": n} is appended to progress. The result is written to
result.tmp and renamed: {"format", "task", "method", "samples", "loss", "failure", "device", "model_dtype",
"logits_dtype", "attn_implementation", "torch", "transformers"}. "loss" is null, and "failure" says why, where
validators score the task +inf: a sample that raised, a failed sanity check, fewer than two texts, a loss that is
not finite. Exit 0 with a result; 2 for a bad job (one line "error: <field>: <expected>" on stderr, never the
value found); 1 when the model cannot be loaded or run at all (no result is written).
"""

import argparse
import json
import math
import os
import sys
import time
import traceback
from pathlib import Path

from .job import JobError, _is_int, model_vocab_size

FORMAT = 1
METHODS = ("reference_loss", "text_loss")
_KEYS = ("format", "model_dir", "model_dtype", "logits_dtype", "device", "task", "method", "pad_id", "samples",
         "progress", "result")
# check_for_reasonable_output: output_length = 20
CHECK_TOKENS = 20


class EvalJob:
    def __init__(self, spec, folder):
        self.model_dir = folder / spec["model_dir"]
        self.model_dtype = spec["model_dtype"]
        self.logits_dtype = spec["logits_dtype"]
        self.device = spec["device"]
        self.task = spec["task"]
        self.method = spec["method"]
        self.pad_id = spec["pad_id"]
        self.samples = folder / spec["samples"]
        self.progress = folder / spec["progress"]
        self.result = folder / spec["result"]


def _text(spec, field):
    value = spec.get(field)
    if not isinstance(value, str) or not value or "\0" in value:
        raise JobError(field, "a non-empty string")
    return value


def load_job(path):
    """Reads and checks eval-job.json; raises JobError."""
    path = Path(path).absolute()
    try:
        spec = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise JobError("--job", "an existing eval-job.json file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise JobError("--job", "a readable UTF-8 JSON file") from None
    if not isinstance(spec, dict):
        raise JobError("--job", "a JSON object")
    for key in _KEYS:
        if key not in spec:
            raise JobError(key, "a value (missing)")
    if set(spec) != set(_KEYS):
        raise JobError("eval-job.json", "only the keys " + ", ".join(_KEYS) + " (it has an unknown one)")
    if spec["format"] != FORMAT or isinstance(spec["format"], bool):
        raise JobError("format", f"{FORMAT} (the job format this evaluator reads)")
    for field in ("model_dir", "task", "samples", "progress", "result"):
        _text(spec, field)
    if spec["model_dtype"] != "bfloat16":
        raise JobError("model_dtype", "bfloat16 (validators load every competition's model in bfloat16)")
    if spec["logits_dtype"] not in ("bfloat16", "float32"):
        raise JobError("logits_dtype", "bfloat16 or float32")
    device = spec["device"]
    if device not in ("auto", "cpu", "cuda") and not (isinstance(device, str) and device.startswith("cuda:")
                                                      and device[5:].isdigit() and len(device) <= 7):
        raise JobError("device", "auto, cpu, cuda or cuda:N")
    if spec["method"] not in METHODS:
        raise JobError("method", " or ".join(METHODS))
    pad = spec["pad_id"]
    if spec["method"] == "text_loss" and not (_is_int(pad) and pad >= 0):
        raise JobError("pad_id", "a token id, an integer >= 0, for text_loss")
    if spec["method"] == "reference_loss" and pad is not None:
        raise JobError("pad_id", "null for reference_loss")
    job = EvalJob(spec, path.parent)
    if not (job.model_dir / "config.json").is_file():
        raise JobError("model_dir", "a Hugging Face model folder holding config.json")
    if not job.samples.is_file():
        raise JobError("samples", "an existing samples file")
    return job


def load_samples(job):
    """[(ids, reference_length)] for reference_loss, [(ids, None)] for text_loss; raises JobError naming the line."""
    keys = {"ids", "reference_length"} if job.method == "reference_loss" else {"ids"}
    expected = 'an object {"ids": [int, ...], "reference_length": int}' if job.method == "reference_loss" \
        else 'an object {"ids": [int, ...]}'
    samples = []
    try:
        with open(job.samples, "rb") as f:
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                where = f"samples: line {number}"
                try:
                    line = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise JobError(where, expected) from None
                if not isinstance(line, dict) or set(line) != keys:
                    raise JobError(where, expected + " with no other key")
                ids = line["ids"]
                if not isinstance(ids, list) or not all(_is_int(i) and i >= 0 for i in ids):
                    raise JobError(where, "ids: a list of token ids >= 0")
                reference = line.get("reference_length")
                if job.method == "reference_loss":
                    if len(ids) < 2:
                        raise JobError(where, "ids: at least 2 tokens")
                    if not _is_int(reference) or not 0 <= reference <= len(ids):
                        raise JobError(where, "reference_length: an integer in [0, len(ids)]")
                samples.append((ids, reference))
    except OSError:
        raise JobError("samples", "a readable samples file") from None
    return samples


def main(argv=None):
    parser = argparse.ArgumentParser(description="Score one loss task of a model as validators do (bfloat16).")
    parser.add_argument("--job", required=True, help="path of eval-job.json")
    args = parser.parse_args(argv)
    try:
        job = load_job(args.job)
        samples = load_samples(job)
        vocab_size = model_vocab_size(job)
    except JobError as e:
        print(f"error: {e}", file=sys.stderr, flush=True)
        return 2
    try:
        _remove(job.result)
        _remove(job.progress)
        result = Evaluator(job, vocab_size).run(samples)
        _write_atomically(job.result, result)
        print(f"{job.task}: loss {result['loss']} over {result['samples']} samples"
              + (f" ({result['failure']})" if result["failure"] else ""), flush=True)
        return 0
    except Exception as e:  # noqa: BLE001 - reported, then the process exits 1
        traceback.print_exc()
        print(f"error: the model could not be evaluated: {type(e).__name__}", file=sys.stderr, flush=True)
        return 1


class Evaluator:
    def __init__(self, job, vocab_size):
        # torch and transformers take seconds to import: only once the job is known good.
        import torch
        import transformers
        from transformers import AutoModelForCausalLM
        from transformers.utils import logging as hf_logging

        self.torch = torch
        self.transformers = transformers
        self.job = job
        self.vocab_size = vocab_size
        device = job.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.device = torch.device(device)
        hf_logging.disable_progress_bar()
        self.model = AutoModelForCausalLM.from_pretrained(job.model_dir, dtype=torch.bfloat16, use_cache=True,
                                                          attn_implementation="sdpa", local_files_only=True)
        self.model.to(self.device)
        self.model.eval()

    def run(self, samples):
        loss, failure = None, None
        with self.torch.inference_mode():
            try:
                if self.job.method == "reference_loss":
                    loss = self._reference_loss(samples)
                else:
                    loss, failure = self._text_loss(samples)
            except Exception as e:  # noqa: BLE001 - validators score the task +inf on any failure
                traceback.print_exc()
                failure = f"a sample raised {type(e).__name__}"
        if failure is None and not math.isfinite(loss):
            loss, failure = None, f"the loss is not finite ({loss})"
        if failure is not None:
            loss = None
        return {
            "format": FORMAT, "task": self.job.task, "method": self.job.method, "samples": len(samples),
            "loss": loss, "failure": failure, "device": str(self.device), "model_dtype": self.job.model_dtype,
            "logits_dtype": self.job.logits_dtype, "attn_implementation": self.model.config._attn_implementation,
            "torch": self.torch.__version__.split("+")[0], "transformers": self.transformers.__version__,
        }

    def _logits(self, inputs):
        from transformers import DynamicCache

        self._check_vocabulary(inputs)
        # validators pass a fresh DynamicCache; it changes nothing in the logits of one forward pass
        logits = self.model(inputs, past_key_values=DynamicCache(config=self.model.config)).logits
        return logits.float() if self.job.logits_dtype == "float32" else logits

    def _check_vocabulary(self, inputs):
        # validators' embedding lookup fails on such an id (on CUDA with a device assert that poisons the context)
        if int(inputs.max()) >= self.vocab_size:
            raise IndexError("a token id is outside the model's vocabulary")

    def _cross_entropy(self, logits, labels):
        loss_fct = self.torch.nn.CrossEntropyLoss()
        return loss_fct(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1)).item()

    def _reference_loss(self, samples):
        """compute_reference_loss: one forward over context + reference; the loss on the last len(ref) positions."""
        losses = []
        for ids, reference_length in samples:
            inputs = self.torch.tensor(ids).unsqueeze(0).to(self.device)
            logits = self._logits(inputs)
            shift_logits = logits[..., :-1, :].contiguous()
            shift_labels = inputs[..., 1:].contiguous()
            losses.append(self._cross_entropy(shift_logits[..., -reference_length:, :],
                                              shift_labels[..., -reference_length:]))
            self._progress(len(losses), len(samples))
        return sum(losses) / len(losses) if losses else math.inf

    def _text_loss(self, samples):
        """compute_text_loss: the sanity check on the first two texts, then the mean loss over all positions."""
        if len(samples) < 2:
            return None, "fewer than two texts (validators' check needs two)"
        if not self._reasonable(samples[0][0], samples[1][0]):
            return None, "the model failed validators' check for reasonable output"
        losses = []
        for ids, _ in samples:
            if len(ids) < 2:
                return None, "a text has fewer than 2 tokens"
            inputs = self.torch.tensor(ids).unsqueeze(0).to(self.device)
            logits = self._logits(inputs)
            losses.append(self._cross_entropy(logits[..., :-1, :].contiguous(), inputs[..., 1:].contiguous()))
            self._progress(len(losses), len(samples))
        return sum(losses) / len(losses), None

    def _reasonable(self, first, second):
        """check_for_reasonable_output: 20 tokens each, EOS suppressed, with the model's own generation config."""
        outputs = []
        for ids in (first, second):
            inputs = self.torch.tensor(ids).unsqueeze(0).to(self.device)
            self._check_vocabulary(inputs)
            generated = self.model.generate(inputs, min_new_tokens=CHECK_TOKENS, max_new_tokens=CHECK_TOKENS,
                                            pad_token_id=self.job.pad_id)
            outputs.append(generated[:, -CHECK_TOKENS:])
        if self.torch.sum(self.torch.eq(outputs[0], outputs[1])).item() >= CHECK_TOKENS / 2:
            return False
        most_common = [self.torch.unique(t, return_counts=True)[1].max().item() for t in outputs]
        return not all(count > CHECK_TOKENS / 2 for count in most_common)

    def _progress(self, done, total):
        with open(self.job.progress, "a", encoding="utf-8") as f:
            f.write(json.dumps({"done": done, "total": total, "time": time.time()}) + "\n")
            f.flush()


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _write_atomically(path, result):
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps(result, allow_nan=False))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
