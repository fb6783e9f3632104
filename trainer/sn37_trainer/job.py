"""job.json and examples.jsonl: read, checked field by field, with relative paths resolved against job.json's folder.

A bad input raises JobError naming the field and what it expects, never the value found (the file may hold
anything). train.py turns it into ``error: <field>: <expected>`` on stderr and exit code 2.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path

FORMAT = 1
COMPUTE_DTYPES = ("auto", "bfloat16", "float32")
SAVE_DTYPES = ("bfloat16", "float16", "float32")


class JobError(Exception):
    def __init__(self, field, expected):
        super().__init__(f"{field}: {expected}")
        self.field = field
        self.expected = expected


@dataclass(frozen=True)
class TrainSettings:
    """The DJL trainer's TrainSettings plus the LoRA settings; the same names and rules."""

    lr: float
    weight_decay: float
    beta1: float
    beta2: float
    eps: float
    accumulation_steps: int
    batch_size: int
    num_epochs: int  # -1: until stopped
    max_steps: int  # -1: no limit
    checkpoint_every: int
    seed: int
    max_grad_norm: float  # 0: measure only
    warmup_steps: int  # -1: automatic
    min_lr_ratio: float
    sequence_length: int
    keep_checkpoints: int
    lora_rank: int  # 0: full fine-tuning
    lora_alpha: float


@dataclass(frozen=True)
class Example:
    ids: tuple  # prompt then answer token ids
    prompt_length: int  # leading ids never scored

    @property
    def length(self):
        return len(self.ids)

    @property
    def scored(self):
        return len(self.ids) - self.prompt_length


@dataclass(frozen=True)
class Job:
    folder: Path
    examples: Path
    model_dir: Path
    checkpoint_dir: Path
    checkpoint_dir_text: str  # as job.json wrote it: progress events and result.json name checkpoints this way
    progress: Path
    result_dir: Path
    stop_file: Path
    pad_id: int
    train: TrainSettings
    compute_dtype: str
    save_dtype: str
    gradient_checkpointing: bool
    fsdp: bool


_TOP = ("format", "examples", "model_dir", "checkpoint_dir", "progress", "result_dir", "stop_file", "pad_id",
        "train", "compute_dtype", "save_dtype", "gradient_checkpointing", "fsdp")

# field: (kind, check, what is expected); kind "int" takes whole JSON numbers only, "number" any finite one.
_TRAIN = {
    "lr": ("number", lambda v: v > 0, "a number > 0"),
    "weight_decay": ("number", lambda v: v >= 0, "a number >= 0"),
    "beta1": ("number", lambda v: 0 <= v < 1, "a number in [0, 1)"),
    "beta2": ("number", lambda v: 0 <= v < 1, "a number in [0, 1)"),
    "eps": ("number", lambda v: v > 0, "a number > 0"),
    "accumulation_steps": ("int", lambda v: v >= 1, "an integer >= 1"),
    "batch_size": ("int", lambda v: v >= 1, "an integer >= 1"),
    "num_epochs": ("int", lambda v: v == -1 or v >= 1, "-1 (until stopped) or an integer >= 1"),
    "max_steps": ("int", lambda v: v == -1 or v >= 1, "-1 (no limit) or an integer >= 1"),
    "checkpoint_every": ("int", lambda v: v >= 1, "an integer >= 1"),
    "seed": ("int", lambda v: -(1 << 63) <= v < 1 << 63, "an integer that fits a Java long"),
    "max_grad_norm": ("number", lambda v: v >= 0, "a number >= 0 (0 measures without clipping)"),
    "warmup_steps": ("int", lambda v: v >= -1, "-1 (automatic) or an integer >= 0"),
    "min_lr_ratio": ("number", lambda v: 0 <= v <= 1, "a number in [0, 1]"),
    "sequence_length": ("int", lambda v: v >= 2, "an integer >= 2"),
    "keep_checkpoints": ("int", lambda v: v >= 1, "an integer >= 1"),
    "lora_rank": ("int", lambda v: 0 <= v <= 1024, "an integer in [0, 1024] (0 = full fine-tuning)"),
    "lora_alpha": ("number", lambda v: v >= 0, "a number >= 0 (> 0 when lora_rank > 0)"),
}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _path(spec, field, folder):
    value = spec.get(field)
    if not isinstance(value, str) or not value or "\0" in value:
        raise JobError(field, "a non-empty path (relative to job.json's folder, or absolute)")
    return folder / value, value


def _train(value):
    if not isinstance(value, dict):
        raise JobError("train", "an object with " + ", ".join(_TRAIN))
    for key in value:
        if key not in _TRAIN:
            raise JobError("train", "only the keys " + ", ".join(_TRAIN) + " (it has an unknown one)")
    settings = {}
    for name, (kind, check, expected) in _TRAIN.items():
        if name not in value:
            raise JobError("train." + name, expected + " (missing)")
        v = value[name]
        ok = _is_int(v) if kind == "int" else _is_number(v)
        if not ok or not check(v):
            raise JobError("train." + name, expected)
        settings[name] = float(v) if kind == "number" else v
    if settings["lora_rank"] > 0 and settings["lora_alpha"] <= 0:
        raise JobError("train.lora_alpha", "a number > 0 when lora_rank > 0")
    return TrainSettings(**settings)


def load_job(path):
    """Reads and checks job.json; raises JobError."""
    path = Path(path).absolute()
    try:
        with open(path, "rb") as f:
            spec = json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        raise JobError("--job", "an existing job.json file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise JobError("--job", "a readable UTF-8 JSON file") from None
    if not isinstance(spec, dict):
        raise JobError("--job", "a JSON object")
    for key in spec:
        if key not in _TOP:
            raise JobError("job.json", "only the keys " + ", ".join(_TOP) + " (it has an unknown one)")
    if spec.get("format") != FORMAT or isinstance(spec.get("format"), bool):
        raise JobError("format", f"{FORMAT} (the job format this trainer reads)")
    folder = path.parent
    examples, _ = _path(spec, "examples", folder)
    model_dir, _ = _path(spec, "model_dir", folder)
    checkpoint_dir, checkpoint_text = _path(spec, "checkpoint_dir", folder)
    progress, _ = _path(spec, "progress", folder)
    result_dir, _ = _path(spec, "result_dir", folder)
    stop_file, _ = _path(spec, "stop_file", folder)
    pad_id = spec.get("pad_id")
    if not _is_int(pad_id) or pad_id < 0:
        raise JobError("pad_id", "a token id, an integer >= 0")
    if "train" not in spec:
        raise JobError("train", "an object with " + ", ".join(_TRAIN) + " (missing)")
    train = _train(spec["train"])
    compute = spec.get("compute_dtype")
    if compute not in COMPUTE_DTYPES:
        raise JobError("compute_dtype", " or ".join(COMPUTE_DTYPES))
    save = spec.get("save_dtype")
    if save not in SAVE_DTYPES:
        raise JobError("save_dtype", " or ".join(SAVE_DTYPES))
    for flag in ("gradient_checkpointing", "fsdp"):
        if not isinstance(spec.get(flag), bool):
            raise JobError(flag, "true or false")
    if not (model_dir / "config.json").is_file():
        raise JobError("model_dir", "a Hugging Face model folder holding config.json")
    if not examples.is_file():
        raise JobError("examples", "an existing examples.jsonl file")
    return Job(folder, examples, model_dir, checkpoint_dir, checkpoint_text, progress, result_dir, stop_file,
               pad_id, train, compute, save, spec["gradient_checkpointing"], spec["fsdp"])


def model_vocab_size(job):
    """vocab_size from model_dir/config.json (or its text_config), read without transformers."""
    try:
        with open(job.model_dir / "config.json", "rb") as f:
            config = json.loads(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise JobError("model_dir", "a model folder whose config.json is readable JSON") from None
    if not isinstance(config, dict):
        raise JobError("model_dir", "a model folder whose config.json is a JSON object")
    size = config.get("vocab_size", (config.get("text_config") or {}).get("vocab_size"))
    if not _is_int(size) or size < 1:
        raise JobError("model_dir", "a model folder whose config.json has a positive integer vocab_size")
    return size


def load_examples(job, vocab_size):
    """Reads examples.jsonl: one {"ids": [...], "prompt_length": n} per line; raises JobError naming the line."""
    limit = job.train.sequence_length
    if job.pad_id >= vocab_size:
        raise JobError("pad_id", "a token id below the model's vocab_size")
    examples = []
    try:
        with open(job.examples, "rb") as f:
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                examples.append(_example(raw, f"examples: line {number}", limit, vocab_size))
    except OSError:
        raise JobError("examples", "a readable examples.jsonl file") from None
    if not examples:
        raise JobError("examples", "at least one example line")
    return examples


def _example(raw, where, limit, vocab_size):
    try:
        line = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise JobError(where, 'a JSON object {"ids": [int, ...], "prompt_length": int}') from None
    if not isinstance(line, dict) or set(line) != {"ids", "prompt_length"}:
        raise JobError(where, 'an object with exactly the keys "ids" and "prompt_length"')
    ids, prompt = line["ids"], line["prompt_length"]
    if not isinstance(ids, list) or not all(_is_int(i) and 0 <= i < vocab_size for i in ids):
        raise JobError(where, "ids: a list of token ids in [0, vocab_size)")
    if len(ids) > limit:
        raise JobError(where, f"ids: at most sequence_length ({limit}) tokens")
    if not _is_int(prompt) or not 1 <= prompt < len(ids):
        raise JobError(where, "prompt_length: at least one prompt and one answer token (1 <= prompt_length < len(ids))")
    return Example(tuple(ids), prompt)

