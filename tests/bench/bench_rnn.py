"""RNN and LSTM forward + BPTT: dlnotes against PyTorch, float64, one thread.

Run by ``nox -s bench`` (or directly, with torch==2.13.0 installed). Prints one table: for
batch 32, T = 50 steps and a few sizes D = H, the median time of a forward pass over the whole
sequence and a full backward pass through time (dx and every weight and bias gradient) of
``dlnotes.layers.RNN``/``LSTM`` and of ``torch.nn.RNN``/``torch.nn.LSTM``
(``batch_first=True``), and their ratio. Nothing is asserted: times depend on the machine.
The targets (issues 7 and 13) are a ratio of at most 1.5 for the RNN and 1.0 for the LSTM.

Not collected by pytest (tests/conftest.py ignores this directory).
"""

from __future__ import annotations

from timing import median_times, one_thread  # first: sets one thread before NumPy

# isort: split

import platform

import numpy as np
import torch

from dlnotes.layers import LSTM, RNN

BATCH, STEPS = 32, 50
SIZES = (32, 64, 128)  # D = H


def bench(cls: type, size: int) -> tuple[float, float]:
    """(dlnotes seconds, torch seconds) for one forward + BPTT at batch 32, T = 50."""
    rng = np.random.default_rng(0)
    layer = cls(size, size, rng=rng)
    x = rng.normal(size=(BATCH, STEPS, size))
    dout = rng.normal(size=(BATCH, STEPS, size))

    def ours() -> None:
        layer.forward(x)
        layer.backward(dout)

    module = getattr(torch.nn, cls.__name__)(size, size, batch_first=True).double()
    with torch.no_grad():
        for p in layer.parameters():
            getattr(module, f"{p.name}_l0").copy_(torch.from_numpy(p.value))
    xt, dt = torch.tensor(x, requires_grad=True), torch.tensor(dout)

    def theirs() -> None:
        module.zero_grad(set_to_none=True)
        xt.grad = None
        module(xt)[0].backward(dt)

    return tuple(median_times(ours, theirs))


def main() -> None:
    with one_thread():
        rows = [
            (f"{cls.__name__} D=H={size}", *bench(cls, size))
            for cls in (RNN, LSTM)
            for size in SIZES
        ]
    print(
        f"RNN and LSTM forward + BPTT, batch {BATCH}, T = {STEPS}, float64, one thread; "
        f"NumPy {np.__version__}, torch {torch.__version__}, "
        f"{platform.processor() or platform.machine()}"
    )
    header = f"{'layer':<20} {'dlnotes ms':>10} {'torch ms':>9} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for name, ours, theirs in rows:
        print(f"{name:<20} {ours * 1e3:>10.3f} {theirs * 1e3:>9.3f} {ours / theirs:>6.2f}")
    print("ratio = dlnotes / torch (median times); target: <= 1.5 for the RNN, <= 1.0 for the LSTM")


if __name__ == "__main__":
    main()
