"""Chapter 8 in MindSpore: the six optimisers of dlnotes.optim
and MindSpore's own update rules.

Shown in docs/chapters/08-optimisers.md (section "在 MindSpore 中"); every optimiser is
run for ten steps on the same gradients as dlnotes.optim and compared by
tests/mindspore/test_optimisers_ms.py (``nox -s mindspore``).

Precision: nn.SGD, nn.RMSProp and nn.Adam refuse float64 parameters on the CPU (their
kernels take float16 and float32 only), so they run in float32. nn.Momentum, nn.Adagrad
and nn.Adadelta accept float64 parameters, but keep the learning rate as a float32
number and update in float32 precision: after a step every weight is a float32 value
stored in a float64 tensor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mindspore as ms
import numpy as np
from mindspore import nn

from dlnotes.layers import Parameter
from dlnotes.optim import Optimizer

ms.set_device("CPU")

Arrays = Sequence[np.ndarray]


# --- dlnotes' optimisers written with MindSpore: its names, dlnotes' defaults ---------


def sgd(params: list[ms.Parameter], lr: float, *, weight_decay: float = 0.0) -> nn.SGD:
    """optim.SGD(params, lr): nn.SGD with momentum 0
    (float16/float32 parameters only)."""
    # learning_rate defaults to 0.1 (PyTorch: 0.001, dlnotes: no default)
    return nn.SGD(params, learning_rate=lr, momentum=0.0, weight_decay=weight_decay)


def momentum(
    params: list[ms.Parameter],
    lr: float,
    momentum: float = 0.9,
    *,
    weight_decay: float = 0.0,
) -> nn.Momentum:
    """optim.Momentum(params, lr, momentum): v = momentum * v + g, w -= lr * v."""
    # both learning_rate and momentum are required, and momentum must be a float
    # (an int is refused)
    return nn.Momentum(
        params, learning_rate=lr, momentum=float(momentum), weight_decay=weight_decay
    )


def adagrad(
    params: list[ms.Parameter], lr: float, *, weight_decay: float = 0.0
) -> nn.Adagrad:
    """optim.Adagrad(params, lr): r starts at 0
    (the CPU kernel adds 1e-8 under the root)."""
    # accum (the first r) defaults to 0.1, learning_rate to 0.001; accum comes first,
    # so nn.Adagrad(params, 0.01) sets accum, not the learning rate.
    # There is no eps argument.
    return nn.Adagrad(params, accum=0.0, learning_rate=lr, weight_decay=weight_decay)


def rmsprop(
    params: list[ms.Parameter],
    lr: float,
    alpha: float = 0.99,
    eps: float = 1e-8,
    *,
    weight_decay: float = 0.0,
) -> nn.RMSProp:
    """optim.RMSprop(params, lr, alpha, eps) as far as arguments go
    (float32 parameters only).

    What no argument changes: r starts at 1, not 0,
    and eps is added under the square root.
    """
    # decay is dlnotes' alpha and defaults to 0.9;
    # epsilon defaults to 1e-10, learning_rate to 0.1
    return nn.RMSProp(
        params,
        learning_rate=lr,
        decay=alpha,
        momentum=0.0,
        epsilon=eps,
        weight_decay=weight_decay,
    )


def adam(
    params: list[ms.Parameter],
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    *,
    weight_decay: float = 0.0,
) -> nn.Adam:
    """optim.Adam(params, lr, betas, eps) (float32 parameters only);
    eps enters differently."""
    beta1, beta2 = betas  # two arguments in MindSpore; lr= or betas= raise a KeyError
    return nn.Adam(
        params,
        learning_rate=lr,
        beta1=beta1,
        beta2=beta2,
        eps=eps,
        weight_decay=weight_decay,
    )


def adadelta(
    params: list[ms.Parameter],
    lr: float = 1.0,
    rho: float = 0.9,
    eps: float = 1e-6,
    *,
    weight_decay: float = 0.0,
) -> nn.Adadelta:
    """optim.Adadelta(params, lr, rho, eps):
    the same rule and defaults, eps named epsilon."""
    return nn.Adadelta(
        params, learning_rate=lr, rho=rho, epsilon=eps, weight_decay=weight_decay
    )


# --- ten steps on given gradients, in MindSpore and in dlnotes ------------------------


def mindspore_steps(
    build: Callable[..., nn.Optimizer],
    weights: Arrays,
    grads: Sequence[Arrays],
    dtype: ms.Type = ms.float64,
    **hyper: object,
) -> list[np.ndarray]:
    """The weights after one optimiser step per entry of grads
    (one array per weight each)."""
    params = [
        ms.Parameter(ms.Tensor(w, dtype), name=f"w{i}") for i, w in enumerate(weights)
    ]
    # a function above, or an nn class with its own names
    optimizer = build(params, **hyper)
    for step in grads:
        # the gradients, in params' order
        optimizer(tuple(ms.Tensor(g, dtype) for g in step))
    return [p.asnumpy().astype(np.float64) for p in params]


def dlnotes_steps(
    optimizer_cls: Callable[..., Optimizer],
    weights: Arrays,
    grads: Sequence[Arrays],
    start: dict[str, float] | None = None,
    **hyper: object,
) -> list[np.ndarray]:
    """The same loop with dlnotes.optim;
    start={"sum": 0.1} fills a state before the first step."""
    params = [Parameter(w, name=f"w{i}") for i, w in enumerate(weights)]
    optimizer = optimizer_cls(params, **hyper)
    for p, state in zip(params, optimizer.state, strict=True):
        state.update(
            {key: np.full_like(p.value, value) for key, value in (start or {}).items()}
        )
    for step in grads:
        for p, g in zip(params, step, strict=True):
            p.grad = np.array(g, dtype=np.float64)
        optimizer.step()
    return [p.value for p in params]


# --- MindSpore's own rules written out in NumPy ---------------------------------------


def adagrad_rule(
    weights: Arrays,
    grads: Sequence[Arrays],
    learning_rate: float = 0.001,
    accum: float = 0.1,
    weight_decay: float = 0.0,
) -> list[np.ndarray]:
    """nn.Adagrad (ApplyAdagrad on the CPU): r starts at accum,
    and 1e-8 is added under the root."""
    out = []
    for i, w in enumerate(weights):
        w, r = np.array(w, dtype=np.float64), np.full(np.shape(w), accum)
        for step in grads:
            g = step[i] + weight_decay * w
            r = r + g * g
            # 1e-8: the kernel's, undocumented
            w = w - learning_rate * g / np.sqrt(r + 1e-8)
        out.append(w)
    return out


def rmsprop_rule(
    weights: Arrays,
    grads: Sequence[Arrays],
    learning_rate: float = 0.1,
    decay: float = 0.9,
    momentum: float = 0.0,
    epsilon: float = 1e-10,
    weight_decay: float = 0.0,
) -> list[np.ndarray]:
    """nn.RMSProp (ApplyRMSProp): r starts at 1, eps under the root,
    lr inside the momentum."""
    out = []
    for i, w in enumerate(weights):
        w = np.array(w, dtype=np.float64)
        r, m = np.ones_like(w), np.zeros_like(w)  # the mean square starts at 1, not 0
        for step in grads:
            g = step[i] + weight_decay * w
            r = decay * r + (1 - decay) * g * g
            m = momentum * m + learning_rate * g / np.sqrt(r + epsilon)
            w = w - m
        out.append(w)
    return out


def adam_rule(
    weights: Arrays,
    grads: Sequence[Arrays],
    learning_rate: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
) -> list[np.ndarray]:
    """nn.Adam (the Adam primitive):
    the bias correction goes into the learning rate, not into v."""
    out = []
    for i, w in enumerate(weights):
        w = np.array(w, dtype=np.float64)
        m, v = np.zeros_like(w), np.zeros_like(w)
        for t, step in enumerate(grads, start=1):
            g = step[i] + weight_decay * w
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            lr_t = learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
            # eps is added to sqrt(v), not sqrt(v_hat)
            w = w - lr_t * m / (np.sqrt(v) + eps)
        out.append(w)
    return out
