"""Entry point of the PyTorch evaluator: python trainer/evaluate.py --job JOB_DIR/eval-job.json"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sn37_trainer.evaluate import main  # noqa: E402 - the package lies beside this file

if __name__ == "__main__":
    sys.exit(main())
