"""Fine-tunes a Hugging Face causal LM exactly as the DJL trainer does, on one process or many under torchrun.

    python -m torch.distributed.run --nproc_per_node 2 trainer/train.py --job JOB_DIR/job.json

Reads job.json (see trainer/README.md), appends events to progress.jsonl, writes checkpoints and, at the end,
result_dir/ (model.safetensors + result.json). Exit 0 when it ended (completed, max_steps or a stop), 2 for a
bad job.json or examples file, 1 for anything else. The inputs are checked before torch is imported, so a
bad job fails in a fraction of a second.
"""

import argparse
import os
import sys
import traceback

from .job import JobError, load_examples, load_job, model_vocab_size
from .progress import Progress


def main(argv=None):
    parser = argparse.ArgumentParser(description="Fine-tune a causal LM as the DJL trainer does (torchrun).")
    parser.add_argument("--job", required=True, help="path of job.json")
    args = parser.parse_args(argv)
    job = None
    try:
        job = load_job(args.job)
        examples = load_examples(job, model_vocab_size(job))
    except JobError as e:
        print(f"error: {e}", file=sys.stderr, flush=True)
        if job is not None and os.environ.get("RANK", "0") == "0":
            Progress(job.progress, True).error(f"error: {e}")
        return 2
    # torch and transformers take seconds to import: only now that the inputs are known good.
    from . import distributed, final_save
    from .session import Session, TrainingError
    from .stop import StopRequest

    world = distributed.start()
    progress = Progress(job.progress, world.is_main)
    try:
        stop = StopRequest(job.stop_file, world)
        session = Session(job, examples, world, progress)
        model_file, result = session.run(stop)
        if world.is_main:
            final_save.write_result(job, result, model_file)
        distributed.barrier(world)
        return 0
    except TrainingError as e:
        # Every rank reaches the same verdict (they share the data and the reduced losses): rank 0 reports it.
        print(f"error: {e}", file=sys.stderr, flush=True)
        if world.is_main:
            progress.error(str(e))
        return 1
    except Exception as e:  # noqa: BLE001 - reported, then the process exits 1
        traceback.print_exc()
        progress.error(f"rank {world.rank}: {type(e).__name__}: {e}")
        return 1
    finally:
        distributed.stop()


if __name__ == "__main__":
    sys.exit(main())
