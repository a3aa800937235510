"""Two trainings in dlnotes and in MindSpore, side by side
(run by ``nox -s mindspore``).

The digits CNN of chapter 9 (cnn.py) and the LSTM example of chapter 11 (lstm.py), each
trained from the same initial weights on the same data in both; ``nox -s mindspore``
runs this script. It prints one line per task and exits with status 1 if MindSpore's
test accuracy is more than one percentage point from dlnotes'.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

# MindSpore's CPU convolutions go through oneDNN, which on an AVX-512 machine picks for
# NCHW float32 a kernel ("jit_uni_ncsp") that is 50 to 100 times slower on the digits'
# 8 x 8 maps than the matrix-product one it picks when capped at AVX2: the digits CNN
# trains in about 11 s instead of 50 s. A machine without AVX-512 runs the AVX2 kernels
# anyway. The cap must be set before MindSpore is imported; a value already in the
# environment wins.
os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")

from cnn import dlnotes_digits_cnn, train_digits_cnn
from lstm import dlnotes_lstm_example, train_lstm_example

# task -> (dlnotes training, MindSpore training),
# each returning a test accuracy in [0, 1]
TASKS: dict[str, tuple[Callable[[], float], Callable[[], float]]] = {
    "digits CNN (chapter 9)": (dlnotes_digits_cnn, train_digits_cnn),
    "LSTM example (chapter 11)": (dlnotes_lstm_example, train_lstm_example),
}

TOLERANCE = 1.0  # percentage points


def main() -> int:
    width = max(len(task) for task in TASKS)
    print(f"{'task':<{width}} | dlnotes | MindSpore | difference (points) | time (s)")
    print(f"{'-' * width}-|---------|-----------|---------------------|---------")
    failed = []
    for task, (ours, theirs) in TASKS.items():
        start = time.perf_counter()
        a, b = 100 * ours(), 100 * theirs()
        seconds = time.perf_counter() - start
        diff = b - a
        print(
            f"{task:<{width}} | {a:6.2f}% | {b:8.2f}% | {diff:+19.2f} | {seconds:8.1f}"
        )
        if abs(diff) > TOLERANCE:
            failed.append(task)
    if failed:
        print(
            f"MindSpore is more than {TOLERANCE:g} point from dlnotes: "
            f"{', '.join(failed)}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
