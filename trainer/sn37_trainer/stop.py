"""A stop asked for by SIGTERM, SIGINT or the stop file, agreed by all ranks at a micro-batch boundary.

torchrun forwards SIGTERM/SIGINT to its workers and SIGKILLs them after --shutdown_timeout seconds (default 30):
the final checkpoint must be written within that time, so launchers give it room.
"""

import signal

from . import distributed


class StopRequest:
    def __init__(self, stop_file, world):
        self.stop_file = stop_file
        self.world = world
        self.signalled = None
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, frame):
        self.signalled = signal.Signals(signum).name

    def agreed(self):
        """True on every rank once any rank got a signal or sees the stop file (one small all-reduce)."""
        local = self.signalled is not None or self.stop_file.exists()
        return distributed.any_rank(self.world, local)
