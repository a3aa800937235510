"""What every bench script shares: one thread everywhere, and fair median timings.

Import this module before NumPy: it limits BLAS/OpenMP to one thread through the
environment, which only works before NumPy loads its BLAS.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import contextlib  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402

MIN_REPEATS, MIN_SECONDS = 15, 1.0


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """torch and BLAS on one thread (threadpoolctl, where installed, enforces it too)."""
    import torch

    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the environment variables above already limit BLAS
        yield
        return
    with threadpool_limits(1):
        yield


def median_times(*steps: Callable[[], object]) -> list[float]:
    """Median wall time of each step, over at least MIN_REPEATS rounds and MIN_SECONDS.

    The steps take turns within every round, so a change in the machine's load during the
    measurement affects them alike and their ratio stays meaningful.
    """
    for step in steps:  # warm-up
        for _ in range(3):
            step()
    times: list[list[float]] = [[] for _ in steps]
    start = time.perf_counter()
    while len(times[0]) < MIN_REPEATS or time.perf_counter() - start < MIN_SECONDS:
        for step, record in zip(steps, times, strict=True):
            t0 = time.perf_counter()
            step()
            record.append(time.perf_counter() - t0)
    return [statistics.median(record) for record in times]
