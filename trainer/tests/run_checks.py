"""End-to-end checks of the trainer on CPU: torchrun with gloo on a tiny random Llama, in about a minute.

    <venv>/bin/python trainer/tests/run_checks.py [--keep DIR]

Run it with the venv's python (trainer/setup-venv makes one); it exits non-zero when a check fails. Checks:
  - a bad job.json or examples line: exit 2 and one "error: <field>: ..." line;
  - step 1's loss equals transformers' own loss (labels -100 outside the answer) on the same micro-batches;
  - two ranks give the losses and weights of one rank (within 1e-5);
  - the stop file mid-run: exit 0, stopped_by stop_requested, a checkpoint; the rerun resumes from it and ends
    with the uninterrupted run's step losses and weights;
  - SIGTERM to torchrun: the workers write a checkpoint and result.json with stopped_by stop_requested;
  - LoRA through two torchrun agents (c10d rendezvous, as two nodes would; one example per micro-batch, so
    one rank has none): the losses of one process, A drawn
    as the DJL trainer draws it, the merged weights W + alpha/r B A, other weights untouched, tied head left out.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM
from transformers.utils import logging as hf_logging

TRAINER = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TRAINER))

from sn37_trainer import lora  # noqa: E402
from sn37_trainer.splittable_random import epoch_order  # noqa: E402

TOLERANCE = 1e-5
# Float.floatToIntBits of the DJL LoraAdapters' first 8 A values: SplittableRandom(0), fan-in 64 (jshell, JDK 17).
JAVA_LORA_A = [1036271952, -1131660531, -1108183226, 1039210353, -1110864659, -1120874108, -1113130293, 1032521766]

TRAIN = {"lr": 2e-3, "weight_decay": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "accumulation_steps": 2,
         "batch_size": 3, "num_epochs": 2, "max_steps": -1, "checkpoint_every": 3, "seed": 7, "max_grad_norm": 1.0,
         "warmup_steps": -1, "min_lr_ratio": 0.1, "sequence_length": 96, "keep_checkpoints": 2, "lora_rank": 0,
         "lora_alpha": 0.0}

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def make_model(folder, tie):
    torch.manual_seed(0)
    config = LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, vocab_size=300, max_position_embeddings=128, tie_word_embeddings=tie,
                         bos_token_id=1, eos_token_id=2)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


def make_examples(path, count):
    r = random.Random(1)
    with open(path, "w") as f:
        for _ in range(count):
            n = r.randint(20, 90)
            f.write(json.dumps({"ids": [r.randint(3, 299) for _ in range(n)], "prompt_length": r.randint(1, n - 1)})
                    + "\n")


def make_job(folder, model_dir, examples, **changes):
    folder.mkdir(parents=True)
    shutil.copyfile(examples, folder / "examples.jsonl")
    train = dict(TRAIN, **changes.pop("train", {}))
    job = {"format": 1, "examples": "examples.jsonl", "model_dir": str(model_dir), "checkpoint_dir": "checkpoints",
           "progress": "progress.jsonl", "result_dir": "final", "stop_file": "STOP", "pad_id": 2, "train": train,
           "compute_dtype": "auto", "save_dtype": "float32", "gradient_checkpointing": True, "fsdp": True}
    job.update(changes)
    (folder / "job.json").write_text(json.dumps(job, indent=1))
    return folder


def trainer_command(job_dir, ranks=None, agents=None):
    """One process (no torchrun), torchrun with ``ranks`` processes, or ``agents`` torchrun agents of one rank."""
    entry = [str(TRAINER / "train.py"), "--job", str(job_dir / "job.json")]
    if ranks is None and agents is None:
        return [[sys.executable] + entry]
    run = [sys.executable, "-m", "torch.distributed.run"]
    if ranks is not None:
        return [run + ["--standalone", "--nproc_per_node", str(ranks)] + entry]
    port = free_port()
    return [run + ["--nnodes", str(agents), "--nproc_per_node", "1", "--node_rank", str(i), "--rdzv_backend", "c10d",
                   "--rdzv_endpoint", f"127.0.0.1:{port}", "--rdzv_id", "checks"] + entry for i in range(agents)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train(job_dir, ranks=None, agents=None, on_step=None):
    """Runs the job to its end; ``on_step(step, process)`` sees each step event. Returns the exit codes."""
    log = open(job_dir / "log.txt", "ab")
    processes = [subprocess.Popen(c, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                 for c in trainer_command(job_dir, ranks, agents)]
    if on_step is not None:
        threading.Thread(target=watch, args=(job_dir / "progress.jsonl", processes[0], on_step), daemon=True).start()
    try:
        codes = [p.wait(timeout=240) for p in processes]
        if any(codes):
            log.flush()
            tail = (job_dir / "log.txt").read_text(errors="replace").splitlines()[-25:]
            print(f"note {job_dir.name}: exit codes {codes}; the log ends:\n  " + "\n  ".join(tail))
        return codes
    finally:
        for p in processes:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
        log.close()


def watch(progress, process, on_step):
    seen = 0
    while process.poll() is None:
        for event in events(progress)[seen:]:
            seen += 1
            if event["event"] == "step" and on_step(event["step"], process):
                return
        time.sleep(0.005)


def events(progress):
    if not progress.exists():
        return []
    return [json.loads(line) for line in progress.read_text().splitlines() if line.endswith("}")]


def result(job_dir):
    return json.loads((job_dir / "final" / "result.json").read_text())


def weights(job_dir):
    return load_file(str(job_dir / "final" / "model.safetensors"))


def close(a, b):
    return len(a) == len(b) and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=False))


def weights_close(a, b):
    return list(a) == list(b) and all(torch.allclose(a[k], b[k], atol=TOLERANCE, rtol=0) for k in a)


def reference_first_loss(model_dir, examples_path, train_settings):
    """Step 1's loss from transformers' own loss (labels -100 outside the answer), micro-batch by micro-batch."""
    examples = [json.loads(line) for line in open(examples_path)]
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    order = epoch_order(len(examples), train_settings["seed"], 0)
    size = train_settings["batch_size"]
    losses = []
    for start in range(0, size * train_settings["accumulation_steps"], size):
        batch = [examples[i] for i in order[start:start + size]]
        time_ = max(len(e["ids"]) for e in batch)
        ids = torch.full((len(batch), time_), 2)
        labels = torch.full((len(batch), time_), -100)
        for b, e in enumerate(batch):
            ids[b, :len(e["ids"])] = torch.tensor(e["ids"])
            labels[b, e["prompt_length"]:len(e["ids"])] = torch.tensor(e["ids"][e["prompt_length"]:])
        with torch.no_grad():
            losses.append(model(input_ids=ids, labels=labels).loss.item())
    return sum(losses) / len(losses)


def check_bad_inputs(root, model_dir, examples):
    bad = make_job(root / "bad-lr", model_dir, examples, train={"lr": -1})
    run = subprocess.run(trainer_command(bad)[0], capture_output=True, text=True)
    check(run.returncode == 2 and run.stderr.strip().startswith("error: train.lr:"),
          "a bad train.lr exits 2 with one line naming train.lr")
    broken = make_job(root / "bad-example", model_dir, examples)
    with open(broken / "examples.jsonl", "a") as f:
        f.write('{"ids": [5, 6], "prompt_length": 2}\n')
    run = subprocess.run(trainer_command(broken)[0], capture_output=True, text=True)
    line = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    check(run.returncode == 2 and line.startswith("error: examples: line 25:"),
          "an example without answer tokens exits 2 naming its line")


def check_full(root, tied, examples):
    one = make_job(root / "full-1", tied, examples)
    codes = train(one)
    check(codes == [0] and result(one)["stopped_by"] == "completed", "one process completes")
    r1 = result(one)
    expected = reference_first_loss(tied, examples, TRAIN)
    check(abs(r1["first_loss"] - expected) <= TOLERANCE,
          f"step 1's loss {r1['first_loss']:.7f} equals transformers' {expected:.7f}")
    check("lm_head.weight" not in weights(one), "a tied lm_head is left out of model.safetensors")

    two = make_job(root / "full-2", tied, examples)
    codes = train(two, ranks=2)
    r2 = result(two)
    check(codes == [0] and r2["world_size"] == 2, "torchrun with two ranks completes")
    check(close(r1["step_losses"], r2["step_losses"]) and close(r1["epoch_losses"], r2["epoch_losses"]),
          "two ranks give one rank's step and epoch losses")
    check(weights_close(weights(one), weights(two)), "two ranks give one rank's final weights")

    stopped = make_job(root / "stop-file", tied, examples)
    def touch_stop(step, process):
        if step >= 2:
            (stopped / "STOP").touch()
        return step >= 2

    codes = train(stopped, ranks=2, on_step=touch_stop)
    r = result(stopped)
    check(codes == [0] and r["stopped_by"] == "stop_requested" and 2 <= r["steps"] < r["planned_steps"],
          f"the stop file stops the run at step {r['steps']} of {r['planned_steps']} with exit 0")
    check((stopped / r["last_checkpoint"] / "state.json").is_file(), "the stop writes a checkpoint")
    (stopped / "STOP").unlink()
    codes = train(stopped, ranks=2)
    r = result(stopped)
    check(codes == [0] and r["resumed_from_step"] is not None and r["resumed_from_step"] >= 2,
          f"the rerun resumes from step {r['resumed_from_step']}")
    check(close(r["step_losses"], r1["step_losses"]) and close(r["epoch_losses"], r1["epoch_losses"]),
          "stopped and resumed gives the uninterrupted step losses")
    check(weights_close(weights(stopped), weights(one)), "stopped and resumed gives the uninterrupted weights")
    kept = sorted(p.name for p in (stopped / "checkpoints").glob("step-*"))
    check(len(kept) == TRAIN["keep_checkpoints"], f"keep_checkpoints={TRAIN['keep_checkpoints']} keeps {kept}")

    newest = stopped / "checkpoints" / kept[-1]
    shard = sorted(newest.glob("*.distcp"))[-1]
    shard.write_bytes(shard.read_bytes()[:100])
    codes = train(stopped)
    r = result(stopped)
    check(codes == [0] and r["resumed_from_step"] == int(kept[0][len("step-"):]) and "cut short" in r["start"],
          f"a cut-short checkpoint is skipped: {r['start']}")
    check(close(r["step_losses"], r1["step_losses"]), "one process resumes two ranks' checkpoint with the same losses")

    term = make_job(root / "sigterm", tied, examples)
    codes = train(term, ranks=2, on_step=lambda step, p: step >= 2 and (p.send_signal(signal.SIGTERM) or True))
    r = result(term)
    check(r["stopped_by"] == "stop_requested" and (term / r["last_checkpoint"] / "state.json").is_file(),
          f"SIGTERM to torchrun: checkpoint at step {r['steps']}, stopped_by stop_requested (torchrun exit {codes[0]})")
    check("exitcode" not in (term / "log.txt").read_text(), "SIGTERM: no worker failed")

    job = json.loads((term / "job.json").read_text())
    job["train"]["lr"] *= 2
    (term / "job.json").write_text(json.dumps(job))
    codes = train(term)
    last = events(term / "progress.jsonl")[-1]
    check(codes == [1] and last["event"] == "error" and "another model architecture" in last["message"],
          "a checkpoint of other settings is refused: exit 1 after an error event")
    return r1


def check_lora(root, untied, examples):
    # One example per micro-batch: the second rank has none and runs the zero-weighted dummy forward.
    settings = {"lora_rank": 4, "lora_alpha": 8.0, "num_epochs": 1, "batch_size": 1, "accumulation_steps": 3}
    one = make_job(root / "lora-1", untied, examples, train=settings)
    codes = train(one)
    check(codes == [0], "LoRA on one process completes")
    agents = make_job(root / "lora-agents", untied, examples, train=settings)
    codes = train(agents, agents=2)
    r1, r2 = result(one), result(agents)
    check(codes == [0, 0] and r2["world_size"] == 2, "two torchrun agents (c10d rendezvous) complete")
    check(close(r1["step_losses"], r2["step_losses"]), "two agents give one process's LoRA losses")
    check(weights_close(weights(one), weights(agents)), "two agents give one process's merged weights")

    base = load_file(str(untied / "model.safetensors"))
    merged = weights(one)
    check("lm_head.weight" in merged and set(merged) == set(base), "the merged file has the HF model's tensor names")
    adapters = checkpoint_tensors(one, result(one)["last_checkpoint"], root / "lora-ckpt.pt")
    scale = settings["lora_alpha"] / settings["lora_rank"]
    ok = True
    for name, tensor in base.items():
        prefix = "base_model.model." + name[:-len(".weight")]
        a = adapters.get(prefix + ".lora_A.default.weight")
        if a is None:
            ok &= torch.equal(merged[name], tensor)
        else:
            b = adapters[prefix + ".lora_B.default.weight"]
            ok &= torch.allclose(merged[name], tensor + scale * b @ a, atol=1e-6, rtol=0)
    check(ok, "merged = W + alpha/r B A on the projections, every other tensor unchanged")

    model = LlamaForCausalLM.from_pretrained(untied, dtype=torch.float32)
    a = lora.attach(model, 4, 8.0, 0).get_base_model().model.layers[0].self_attn.q_proj.lora_A["default"].weight
    bits = a.detach().flatten()[:8].view(torch.int32).tolist()
    check(bits == JAVA_LORA_A, "LoRA A is drawn as the DJL trainer draws it (SplittableRandom, bit for bit)")


def checkpoint_tensors(job_dir, checkpoint, out):
    from torch.distributed.checkpoint.format_utils import dcp_to_torch_save

    dcp_to_torch_save(str(job_dir / checkpoint), str(out))
    return torch.load(out, weights_only=False)["model"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary one, removed)")
    args = parser.parse_args()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sn37-trainer-checks-"))
    root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    hf_logging.disable_progress_bar()
    try:
        tied = make_model(root / "model-tied", tie=True)
        untied = make_model(root / "model-untied", tie=False)
        examples = root / "examples.jsonl"
        make_examples(examples, 24)
        check_bad_inputs(root, tied, examples)
        check_full(root, tied, examples)
        check_lora(root, untied, examples)
    except Exception as e:  # noqa: BLE001 - a crash of the checks is a failure too
        import traceback

        traceback.print_exc()
        failures.append(f"{type(e).__name__}: {e}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{len(failures)} failure(s) in {time.monotonic() - started:.0f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
