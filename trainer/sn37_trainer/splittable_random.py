"""java.util.SplittableRandom (JDK 17), bit for bit: the DJL trainer orders examples and draws LoRA's A with it."""

import numpy as np

_MASK64 = (1 << 64) - 1
_GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def java_long(value):
    """The value wrapped to a Java long, as Java's long arithmetic leaves it."""
    value &= _MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def _mix32(z):
    z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & _MASK64
    return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & _MASK64) >> 32


def _java_int(value):
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


class SplittableRandom:
    """new SplittableRandom(seed): nextInt, nextInt(bound), nextLong, nextDouble."""

    def __init__(self, seed):
        self._seed = seed & _MASK64

    def _next_seed(self):
        self._seed = (self._seed + _GOLDEN_GAMMA) & _MASK64
        return self._seed

    def next_int(self, bound=None):
        if bound is None:
            return _java_int(_mix32(self._next_seed()))
        if bound <= 0:
            raise ValueError("bound must be positive")
        # RandomSupport.boundedNextInt: rejection keeps every residue equally likely.
        r = _java_int(_mix32(self._next_seed()))
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if _java_int(u + m - r) >= 0:
                return r
            u = (_mix32(self._next_seed()) & 0xFFFFFFFF) >> 1

    def next_long(self):
        return java_long(_mix64(self._next_seed()))

    def next_double(self):
        return (_mix64(self._next_seed()) >> 11) * 2.0**-53

    def next_doubles(self, count):
        """The next ``count`` nextDouble() values at once, as float64 [count]."""
        steps = np.arange(1, count + 1, dtype=np.uint64)
        z = np.uint64(self._seed) + steps * np.uint64(_GOLDEN_GAMMA)
        self._seed = (self._seed + count * _GOLDEN_GAMMA) & _MASK64
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def epoch_order(count, seed, epoch):
    """The Trainer's example order for one epoch: Fisher-Yates driven by SplittableRandom(seed * 1_000_003 + epoch)."""
    order = list(range(count))
    random = SplittableRandom(java_long(seed * 1_000_003 + epoch))
    for i in range(count - 1, 0, -1):
        j = random.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order
