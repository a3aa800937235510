"""Optimisers: update parameters from their gradients (chapters 3, 5 and 8).

:class:`SGD`, :class:`Momentum`, :class:`Adagrad`, :class:`RMSprop`, :class:`Adadelta` and
:class:`Adam`, and :func:`clip_grad_norm`; learning-rate schedules are in :mod:`dlnotes.schedules`.

Every optimiser holds a list of :class:`~dlnotes.layers.Parameter` and follows
the loop of ``torch.optim``:

``zero_grad()``
    Set every ``.grad`` to zeros.
``step()``
    Update every ``.value`` *in place* from its ``.grad``.

Weight decay :math:`\\lambda` (``weight_decay``) adds :math:`\\lambda w` to each
gradient before the update, which is gradient descent on the loss plus the L2
penalty :math:`\\frac{\\lambda}{2}\\lVert w\\rVert^2` (chapter 6). The numbers are
those of ``torch.optim`` with the same arguments.

Examples
--------
>>> import numpy as np
>>> from dlnotes.layers import Parameter
>>> w = Parameter([1.0, -2.0])
>>> opt = SGD([w], lr=0.1)
>>> w.grad = np.array([0.5, 1.0])
>>> opt.step()
>>> w.value
array([ 0.95, -2.1 ])
>>> opt.zero_grad()
>>> w.grad
array([0., 0.])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._core import Parameter, parameter_list
from dlnotes._validation import (
    check_bool,
    check_nonnegative_real,
    check_positive_int,
    check_positive_real,
    check_unit_interval,
)

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "Momentum",
    "Optimizer",
    "RMSprop",
    "clip_grad_norm",
    "trajectory",
    "tune_learning_rate",
]

Array = NDArray[np.floating]


class Optimizer:
    """Base class: holds the parameters, the learning rate and the weight decay.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update, such as ``net.parameters()``; at least one.
    lr : float
        Learning rate :math:`\\eta > 0`.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`: the gradient used is
        :math:`g + \\lambda w`.

    Notes
    -----
    A subclass implements ``_update(param, grad, state)``, which changes
    ``param.value`` in place given the (weight-decayed) gradient; ``state`` is
    a dict owned by that parameter (for velocities, running averages, ...):
    ``self.state[i]`` belongs to ``self.params[i]`` and starts empty, so the
    first ``step()`` creates it. The keys are those of ``torch.optim``'s state.
    """

    def __init__(self, params: Iterable[Parameter], lr: float, *, weight_decay: float = 0.0):
        self.params = parameter_list(params)
        self.lr = check_positive_real(lr, "lr")
        self.weight_decay = check_nonnegative_real(weight_decay, "weight_decay")
        self.state: list[dict[str, Any]] = [{} for _ in self.params]

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({args})"

    def _hyperparameters(self) -> dict[str, Any]:
        """The arguments shown by ``repr``; subclasses add theirs."""
        return {"lr": self.lr, "weight_decay": self.weight_decay}

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to zeros."""
        for p in self.params:
            p.grad = np.zeros_like(p.value)

    def step(self) -> None:
        """Update every parameter in place from its current gradient."""
        for p, state in zip(self.params, self.state, strict=True):
            if p.grad.shape != p.value.shape:
                raise ValueError(
                    f"gradient of parameter {p.name!r} has shape {p.grad.shape}, "
                    f"but its value has shape {p.value.shape}"
                )
            grad = p.grad + self.weight_decay * p.value if self.weight_decay else p.grad
            self._update(p, grad, state)

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent :math:`w \\leftarrow w - \\eta\\,(g + \\lambda w)`.

    Whether this is batch, mini-batch or stochastic gradient descent depends only
    on how many samples the gradient :math:`g` was averaged over (chapter 3).
    Same numbers as ``torch.optim.SGD(params, lr, weight_decay=...)``.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update.
    lr : float
        Learning rate :math:`\\eta > 0`.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`.

    Examples
    --------
    One step on :math:`f(w) = w^2` from :math:`w = 3` (gradient 6) with
    :math:`\\eta = 0.25` lands on :math:`3 - 1.5 = 1.5`:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([3.0])
    >>> opt = SGD([w], lr=0.25)
    >>> w.grad = 2 * w.value
    >>> opt.step()
    >>> w.value
    array([1.5])

    With weight decay 0.5 the gradient becomes :math:`6 + 0.5 \\cdot 3 = 7.5`:

    >>> w = Parameter([3.0])
    >>> w.grad = np.array([6.0])
    >>> SGD([w], lr=0.25, weight_decay=0.5).step()
    >>> w.value
    array([1.125])
    """

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        param.value -= self.lr * grad


class Momentum(Optimizer):
    """Gradient descent with momentum (heavy ball).

    A velocity :math:`v` accumulates the past gradients, and the step follows it:

    .. math::

        v_t = \\mu\\, v_{t-1} + g_t, \\qquad w_t = w_{t-1} - \\eta\\, v_t,
        \\qquad v_1 = g_1,

    with :math:`g_t` the gradient (plus :math:`\\lambda w` under weight decay).
    Unrolled, :math:`v_t = \\sum_{k \\le t} \\mu^{t-k} g_k`: gradients that keep
    their sign add up (up to :math:`1/(1-\\mu)` times one gradient along a steady
    slope), those that flip sign, as across a narrow valley, cancel. Same numbers
    as ``torch.optim.SGD(params, lr, momentum=momentum, weight_decay=...)``
    (dampening 0, not Nesterov), whose first velocity is the gradient itself.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update; at least one.
    lr : float
        Learning rate :math:`\\eta > 0`; along a steady slope the step grows to
        :math:`\\eta/(1-\\mu)` times the gradient.
    momentum : float, default 0.9
        :math:`\\mu \\in [0, 1)`: the fraction of the velocity kept from one step
        to the next. 0 gives plain :class:`SGD`; 0.9 lets about the last ten
        gradients count.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`, added to the gradient as
        :math:`\\lambda w`.

    Notes
    -----
    ``state[i]["momentum_buffer"]`` holds the velocity of ``params[i]``.

    Examples
    --------
    On :math:`f(w) = w^2` from :math:`w = 3` with :math:`\\eta = 0.1`,
    :math:`\\mu = 0.5`: first :math:`v = g = 6`, :math:`w = 3 - 0.6 = 2.4`;
    then :math:`g = 4.8`, :math:`v = 0.5 \\cdot 6 + 4.8 = 7.8`,
    :math:`w = 2.4 - 0.78 = 1.62`:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([3.0])
    >>> opt = Momentum([w], lr=0.1, momentum=0.5)
    >>> for _ in range(2):
    ...     w.grad = 2 * w.value
    ...     opt.step()
    >>> w.value.round(12), opt.state[0]["momentum_buffer"].round(12)
    (array([1.62]), array([7.8]))
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float,
        momentum: float = 0.9,
        *,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr, weight_decay=weight_decay)
        self.momentum = check_unit_interval(momentum, "momentum")

    def _hyperparameters(self) -> dict[str, Any]:
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay}

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        if "momentum_buffer" not in state:
            state["momentum_buffer"] = grad.copy()
        else:
            state["momentum_buffer"] = self.momentum * state["momentum_buffer"] + grad
        param.value -= self.lr * state["momentum_buffer"]


class Adagrad(Optimizer):
    """Adagrad: divide each coordinate's step by the root of its summed squared gradients.

    .. math::

        r_t = r_{t-1} + g_t \\odot g_t, \\qquad
        w_t = w_{t-1} - \\eta\\, \\frac{g_t}{\\sqrt{r_t} + \\varepsilon},
        \\qquad r_0 = 0,

    elementwise. Coordinates with large or frequent gradients get small steps,
    rare ones large steps. Because :math:`r_t` only grows, the effective step
    :math:`\\eta/(\\sqrt{r_t} + \\varepsilon)` shrinks like :math:`1/\\sqrt{t}` for
    gradients of steady size and training eventually stalls (:class:`RMSprop`
    fixes that). The first step is :math:`\\eta\\, g_1/(|g_1| + \\varepsilon)`, about
    :math:`\\eta` in every coordinate whatever the gradient's scale. Same numbers as
    ``torch.optim.Adagrad(params, lr, eps=eps, weight_decay=...)``
    (``lr_decay=0``, ``initial_accumulator_value=0``).

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update; at least one.
    lr : float
        Learning rate :math:`\\eta > 0`, the largest step per coordinate.
    eps : float, default 1e-10
        :math:`\\varepsilon > 0`, added to :math:`\\sqrt{r_t}` so that a coordinate
        whose gradients have all been zero is not divided by zero.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`, added to the gradient as
        :math:`\\lambda w`.

    Notes
    -----
    ``state[i]["sum"]`` holds :math:`r_t` for ``params[i]``.

    Examples
    --------
    Gradients 4 then 3: :math:`r = 16`, a step of :math:`0.5 \\cdot 4/4 = 0.5`;
    then :math:`r = 25`, a step of :math:`0.5 \\cdot 3/5 = 0.3`:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([1.0])
    >>> opt = Adagrad([w], lr=0.5)
    >>> for g in (4.0, 3.0):
    ...     w.grad = np.array([g])
    ...     opt.step()
    >>> w.value.round(12), opt.state[0]["sum"]
    (array([0.2]), array([25.]))
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float,
        *,
        eps: float = 1e-10,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr, weight_decay=weight_decay)
        self.eps = check_positive_real(eps, "eps")

    def _hyperparameters(self) -> dict[str, Any]:
        return {"lr": self.lr, "eps": self.eps, "weight_decay": self.weight_decay}

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        r = state.setdefault("sum", np.zeros_like(param.value))
        r += grad * grad
        param.value -= self.lr * grad / (np.sqrt(r) + self.eps)


class RMSprop(Optimizer):
    """RMSprop: Adagrad with a moving average of the squared gradients instead of a sum.

    .. math::

        r_t = \\alpha\\, r_{t-1} + (1 - \\alpha)\\, g_t \\odot g_t, \\qquad
        w_t = w_{t-1} - \\eta\\, \\frac{g_t}{\\sqrt{r_t} + \\varepsilon},
        \\qquad r_0 = 0,

    elementwise. :math:`r_t` follows the recent squared gradients (over about
    :math:`1/(1-\\alpha)` steps), so the effective step
    :math:`\\eta/(\\sqrt{r_t} + \\varepsilon)` no longer dies out as in
    :class:`Adagrad`. Same numbers as
    ``torch.optim.RMSprop(params, lr, alpha=alpha, eps=eps, weight_decay=...)``
    (``momentum=0``, ``centered=False``). With :math:`r_0 = 0` and no bias
    correction the first steps are large: :math:`\\eta/\\sqrt{1-\\alpha}`, ten times
    :math:`\\eta` for :math:`\\alpha = 0.99`.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update; at least one.
    lr : float
        Learning rate :math:`\\eta > 0`, about the size of a step in each coordinate (the
        gradient is divided by its root mean square).
    alpha : float, default 0.99
        :math:`\\alpha \\in [0, 1)`, the decay of the moving average: the larger,
        the longer the memory of past squared gradients.
    eps : float, default 1e-8
        :math:`\\varepsilon > 0`, added to :math:`\\sqrt{r_t}` against division by zero.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`, added to the gradient as
        :math:`\\lambda w`.

    Notes
    -----
    ``state[i]["square_avg"]`` holds :math:`r_t` for ``params[i]``.

    Examples
    --------
    With :math:`\\alpha = 0.75` and gradient 2: :math:`r = 0.25 \\cdot 4 = 1`, a step
    of :math:`0.1 \\cdot 2/1 = 0.2`:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([1.0])
    >>> w.grad = np.array([2.0])
    >>> opt = RMSprop([w], lr=0.1, alpha=0.75, eps=1e-12)
    >>> opt.step()
    >>> w.value.round(12), opt.state[0]["square_avg"]
    (array([0.8]), array([1.]))
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float,
        alpha: float = 0.99,
        eps: float = 1e-8,
        *,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr, weight_decay=weight_decay)
        self.alpha = check_unit_interval(alpha, "alpha")
        self.eps = check_positive_real(eps, "eps")

    def _hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "alpha": self.alpha,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
        }

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        r = state.setdefault("square_avg", np.zeros_like(param.value))
        r *= self.alpha
        r += (1 - self.alpha) * grad * grad
        param.value -= self.lr * grad / (np.sqrt(r) + self.eps)


class Adadelta(Optimizer):
    """Adadelta: RMSprop whose step size is a moving average of the past steps themselves.

    With :math:`r_0 = s_0 = 0`:

    .. math::

        r_t &= \\rho\\, r_{t-1} + (1 - \\rho)\\, g_t \\odot g_t \\\\
        \\Delta_t &= \\frac{\\sqrt{s_{t-1} + \\varepsilon}}{\\sqrt{r_t + \\varepsilon}}
            \\odot g_t \\\\
        s_t &= \\rho\\, s_{t-1} + (1 - \\rho)\\, \\Delta_t \\odot \\Delta_t \\\\
        w_t &= w_{t-1} - \\eta\\, \\Delta_t,

    elementwise. :math:`r_t` is the moving average of the squared gradients, as in
    :class:`RMSprop`; :math:`s_t` is that of the squared steps :math:`\\Delta_t`. Where
    RMSprop multiplies :math:`g_t/\\sqrt{r_t}` by a learning rate, Adadelta multiplies it
    by the root mean square of its own recent steps, which has the units of :math:`w`
    (Zeiler, 2012): hence :math:`\\eta = 1` by default, and the step size adapts by
    itself. Since :math:`s_0 = 0`, the first steps are small,
    :math:`\\Delta_1 = \\sqrt{\\varepsilon}\\, g_1 / \\sqrt{(1-\\rho) g_1^2 + \\varepsilon}
    \\approx \\sqrt{\\varepsilon/(1-\\rho)} \\operatorname{sign}(g_1)`, about 0.0032 for the
    defaults whatever the gradient's size; they grow as the steps taken build up
    :math:`s_t`. Same numbers as
    ``torch.optim.Adadelta(params, lr, rho=rho, eps=eps, weight_decay=...)``.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update; at least one.
    lr : float, default 1.0
        :math:`\\eta > 0`, a factor on the step :math:`\\Delta_t`; 1 is Zeiler's rule.
    rho : float, default 0.9
        :math:`\\rho \\in [0, 1)`, the decay of both moving averages (a memory of about
        :math:`1/(1-\\rho) = 10` steps).
    eps : float, default 1e-6
        :math:`\\varepsilon > 0`, inside both roots: it keeps the denominator from 0 and
        gives the first step its size.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`, added to the gradient as
        :math:`\\lambda w`.

    Notes
    -----
    ``state[i]["square_avg"]`` holds :math:`r_t` and ``state[i]["acc_delta"]``
    :math:`s_t` for ``params[i]``, as in ``torch.optim.Adadelta``. PyTorch also accepts
    :math:`\\rho = 1`, where both averages stay 0 and every step is :math:`\\eta g_t`
    (plain SGD); here :math:`\\rho` must be below 1, like every other decay rate of
    this module.

    Examples
    --------
    The first step is about :math:`\\sqrt{10^{-6}/0.1} \\approx 0.0032` in every
    coordinate, against the sign of its gradient:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([0.0, 0.0, 0.0])
    >>> w.grad = np.array([0.1, -5.0, 300.0])
    >>> Adadelta([w]).step()
    >>> w.value.round(4)
    array([-0.0032,  0.0032, -0.0032])

    By hand with :math:`\\rho = 0.5`, :math:`\\varepsilon = 1` and gradient 4:
    :math:`r_1 = 0.5 \\cdot 16 = 8`, :math:`\\Delta_1 = \\sqrt{0 + 1}/\\sqrt{8 + 1}
    \\cdot 4 = 4/3`, :math:`s_1 = 0.5 \\cdot 16/9 = 8/9`; with :math:`\\eta = 0.75` the
    step is 1:

    >>> w = Parameter([1.0])
    >>> w.grad = np.array([4.0])
    >>> opt = Adadelta([w], lr=0.75, rho=0.5, eps=1.0)
    >>> opt.step()
    >>> w.value.round(12), opt.state[0]["square_avg"], opt.state[0]["acc_delta"].round(6)
    (array([0.]), array([8.]), array([0.888889]))
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        *,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr, weight_decay=weight_decay)
        self.rho = check_unit_interval(rho, "rho")
        self.eps = check_positive_real(eps, "eps")

    def _hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "rho": self.rho,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
        }

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        if not state:
            state.update(
                square_avg=np.zeros_like(param.value), acc_delta=np.zeros_like(param.value)
            )
        r, s = state["square_avg"], state["acc_delta"]
        # A tiny gradient's step, or its square, may underflow to 0: its value in float64.
        with np.errstate(under="ignore"):
            r *= self.rho
            r += (1 - self.rho) * grad * grad
            delta = np.sqrt(s + self.eps) / np.sqrt(r + self.eps) * grad
            s *= self.rho
            s += (1 - self.rho) * delta * delta
        param.value -= self.lr * delta


class Adam(Optimizer):
    """Adam: momentum on the gradient, RMSprop on its square, both bias-corrected.

    With :math:`m_0 = v_0 = 0` and the step counter :math:`t = 1, 2, \\ldots`:

    .. math::

        m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1)\\, g_t \\\\
        v_t &= \\beta_2 v_{t-1} + (1 - \\beta_2)\\, g_t \\odot g_t \\\\
        \\hat m_t &= \\frac{m_t}{1 - \\beta_1^t}, \\qquad
        \\hat v_t = \\frac{v_t}{1 - \\beta_2^t} \\\\
        w_t &= w_{t-1} - \\eta\\, \\frac{\\hat m_t}{\\sqrt{\\hat v_t} + \\varepsilon}.

    :math:`m_t`, the first moment, is a moving average of the gradient (momentum);
    :math:`v_t`, the second moment, one of its elementwise square (as in
    :class:`RMSprop`); :math:`\\hat m_t` and :math:`\\hat v_t` are their bias-corrected
    versions.

    Because the averages start at 0, :math:`m_t` is :math:`(1 - \\beta_1^t)`
    times a weighted mean of the gradients; dividing by :math:`1 - \\beta_1^t` undoes
    that shrinkage (so :math:`\\hat m_1 = g_1`, :math:`\\hat v_1 = g_1^2`), and the
    correction fades as :math:`\\beta^t \\to 0`. The first step is therefore
    :math:`\\eta\\, g_1/(|g_1| + \\varepsilon) \\approx \\eta \\operatorname{sign}(g_1)`
    in every coordinate. Same numbers as
    ``torch.optim.Adam(params, lr, betas, eps, weight_decay=...)``
    (``amsgrad=False``). Weight decay is added to the gradient as
    :math:`\\lambda w` (L2 regularisation, as ``torch.optim.Adam``), not decoupled
    from it as in AdamW.

    Parameters
    ----------
    params : iterable of Parameter
        The parameters to update; at least one.
    lr : float, default 1e-3
        Learning rate :math:`\\eta > 0`, about the largest step per coordinate.
    betas : (float, float), default (0.9, 0.999)
        :math:`(\\beta_1, \\beta_2)`, each in :math:`[0, 1)`: the decays of the moving
        averages of the gradient (memory of about :math:`1/(1-\\beta_1) = 10`
        steps) and of its square (about 1000 steps).
    eps : float, default 1e-8
        :math:`\\varepsilon > 0`, added to :math:`\\sqrt{\\hat v_t}` against division
        by zero.
    weight_decay : float, default 0.0
        L2 coefficient :math:`\\lambda \\ge 0`, added to the gradient as
        :math:`\\lambda w`.
    bias_correction : bool, default True
        ``False`` uses :math:`m_t` and :math:`v_t` in place of :math:`\\hat m_t`
        and :math:`\\hat v_t`, to show what the correction is for (the first
        steps are then :math:`(1-\\beta_1)/\\sqrt{1-\\beta_2} \\approx 3.2` times too
        large). For teaching only: ``torch.optim.Adam`` has no such switch and
        always corrects.

    Notes
    -----
    ``state[i]`` holds ``"step"`` (:math:`t`), ``"exp_avg"`` (:math:`m_t`) and
    ``"exp_avg_sq"`` (:math:`v_t`) for ``params[i]``. The update is computed as
    ``torch.optim.Adam`` orders it,
    :math:`\\frac{\\eta}{1-\\beta_1^t}\\, m_t \\big/ \\big(\\sqrt{v_t}/\\sqrt{1-\\beta_2^t}
    + \\varepsilon\\big)`, which is the rule above.

    Examples
    --------
    The first step moves every weight by about :math:`\\eta`, against the sign
    of its gradient, however large or small the gradient is:

    >>> from dlnotes.layers import Parameter
    >>> w = Parameter([1.0, 1.0, 1.0])
    >>> w.grad = np.array([1e-3, -5.0, 200.0])
    >>> opt = Adam([w], lr=0.1)
    >>> opt.step()
    >>> w.value.round(4)   # the tiny gradient feels eps: 0.1 * 1e-3 / (1e-3 + 1e-8)
    array([0.9, 1.1, 0.9])

    Without bias correction the same step is :math:`0.1 \\cdot 0.1/\\sqrt{0.001}
    \\approx 0.316`:

    >>> w = Parameter([1.0])
    >>> w.grad = np.array([2.0])
    >>> Adam([w], lr=0.1, bias_correction=False).step()
    >>> w.value.round(6)
    array([0.683772])
    """

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        *,
        weight_decay: float = 0.0,
        bias_correction: bool = True,
    ):
        super().__init__(params, lr, weight_decay=weight_decay)
        if isinstance(betas, str) or not isinstance(betas, Iterable):
            raise TypeError(f"betas must be a pair of floats, got {type(betas).__name__}")
        pair = tuple(betas)
        if len(pair) != 2:
            raise ValueError(f"betas must be a pair of floats, got {len(pair)} value(s)")
        self.betas = (
            check_unit_interval(pair[0], "betas[0]"),
            check_unit_interval(pair[1], "betas[1]"),
        )
        self.eps = check_positive_real(eps, "eps")
        self.bias_correction = check_bool(bias_correction, "bias_correction")

    def _hyperparameters(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "betas": self.betas,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "bias_correction": self.bias_correction,
        }

    def _update(self, param: Parameter, grad: Array, state: dict[str, Any]) -> None:
        beta1, beta2 = self.betas
        if not state:
            state.update(
                step=0, exp_avg=np.zeros_like(param.value), exp_avg_sq=np.zeros_like(param.value)
            )
        state["step"] += 1
        t, m, v = state["step"], state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        if self.bias_correction:
            correction1, correction2 = 1 - beta1**t, 1 - beta2**t
        else:
            correction1 = correction2 = 1.0
        denom = np.sqrt(v) / math.sqrt(correction2) + self.eps
        param.value -= self.lr / correction1 * m / denom


def clip_grad_norm(params: Iterable[Parameter], max_norm: float) -> float:
    """Rescale the gradients so that their total L2 norm is at most `max_norm`.

    The total norm is that of all gradients stacked into one vector,
    :math:`\\lVert g\\rVert = \\sqrt{\\sum_p \\lVert g_p\\rVert^2}`. If
    :math:`c = \\text{max\\_norm} / (\\lVert g\\rVert + 10^{-6}) < 1`, every gradient is
    multiplied by :math:`c` in place: the direction of the update is kept, only its
    length is capped (chapter 5: a remedy for exploding gradients). Exactly
    ``torch.nn.utils.clip_grad_norm_(params, max_norm)``, including the
    :math:`10^{-6}` that guards against division by zero.

    Parameters
    ----------
    params : iterable of Parameter
        Parameters whose ``.grad`` is clipped.
    max_norm : float
        Largest allowed total norm, > 0.

    Returns
    -------
    float
        The total norm *before* clipping (useful to monitor training).

    Examples
    --------
    >>> from dlnotes.layers import Parameter
    >>> a, b = Parameter([0.0, 0.0]), Parameter([0.0])
    >>> a.grad, b.grad = np.array([3.0, 0.0]), np.array([4.0])   # total norm 5
    >>> clip_grad_norm([a, b], max_norm=1.0)
    5.0
    >>> a.grad.round(6), b.grad.round(6)
    (array([0.6, 0. ]), array([0.8]))
    """
    params = parameter_list(params)
    max_norm = check_positive_real(max_norm, "max_norm")
    total = float(np.linalg.norm([np.linalg.norm(p.grad) for p in params]))
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for p in params:
            p.grad *= coef
    return total


def trajectory(
    make_optimizer: Callable[[list[Parameter]], Optimizer],
    grad: Callable[[Array], ArrayLike],
    start: ArrayLike,
    steps: int,
    *,
    bound: float = math.inf,
) -> Array | None:
    """The points an optimiser visits on a function whose gradient is known in closed form.

    A single :class:`~dlnotes.layers.Parameter` starts at `start`; each step sets its
    ``.grad`` to ``grad(value)`` and calls ``optimizer.step()``. This is how the optimiser
    chapter draws paths on contour plots.

    Parameters
    ----------
    make_optimizer : callable
        Builds the optimiser from a parameter list, e.g. ``lambda p: Adam(p, lr=0.1)``.
    grad : callable
        Gradient of the function at a point, same shape as the point.
    start : array_like
        Starting point.
    steps : int
        Number of optimiser steps.
    bound : float, default inf
        The run counts as diverged when a coordinate's magnitude reaches `bound`.

    Returns
    -------
    ndarray of shape ``(steps + 1, *start.shape)``, or None
        The start and every point after it; None if the run diverged.

    Examples
    --------
    >>> path = trajectory(lambda p: SGD(p, lr=0.25), lambda w: 2 * w, [1.0], steps=3)
    >>> path.ravel().tolist()       # w <- w - 0.25 * 2w halves w
    [1.0, 0.5, 0.25, 0.125]
    >>> trajectory(lambda p: SGD(p, lr=2.0), lambda w: 2 * w, [1.0], 10, bound=100.0) is None
    True
    """
    steps = check_positive_int(steps, "steps")
    w = Parameter(start, name="w")
    optimizer = make_optimizer([w])
    path = [w.value.copy()]
    for _ in range(steps):
        w.grad = np.asarray(grad(w.value.copy()), dtype=np.float64).reshape(w.shape)
        optimizer.step()
        if not np.all(np.abs(w.value) < bound):
            return None
        path.append(w.value.copy())
    return np.array(path)


def tune_learning_rate(
    make_optimizer: Callable[[list[Parameter], float], Optimizer],
    grad: Callable[[Array], ArrayLike],
    loss: Callable[[Array], ArrayLike],
    start: ArrayLike,
    steps: int,
    learning_rates: Iterable[float],
    *,
    last: int = 1,
    bound: float = math.inf,
) -> tuple[float, Array]:
    """The learning rate from a grid whose :func:`trajectory` ends lowest, and that path.

    Each rate runs ``trajectory(lambda p: make_optimizer(p, lr), grad, start, steps,
    bound=bound)``. Among the runs that stay within `bound`, the winner has the smallest
    largest `loss` over its last `last` points (so a path still oscillating at the end
    loses to one that has settled); a tie goes to the rate listed first. This is how the
    optimiser chapter's gallery gives each optimiser its best rate before comparing them.

    Parameters
    ----------
    make_optimizer : callable
        Builds the optimiser from a parameter list and a learning rate, e.g.
        ``lambda p, lr: Momentum(p, lr, momentum=0.9)``.
    grad : callable
        Gradient of the function at a point, same shape as the point.
    loss : callable
        The function itself, evaluated on an array of points ``(k, *start.shape)``, one
        value per point.
    start : array_like
        Starting point.
    steps : int
        Number of optimiser steps of each run.
    learning_rates : iterable of float
        The grid to try, in order of preference for ties.
    last : int, default 1
        How many final points of a path the comparison looks at.
    bound : float, default inf
        As in :func:`trajectory`: a run that reaches it has diverged and is left out.

    Returns
    -------
    lr : float
        The winning learning rate.
    path : ndarray of shape ``(steps + 1, *start.shape)``
        Its trajectory.

    Raises
    ------
    ValueError
        If the grid is empty or every run diverged.

    Examples
    --------
    On :math:`f(w) = w^2`, SGD with :math:`\\eta = 0.5` lands on the minimum in one step,
    :math:`\\eta = 0.1` only shrinks :math:`w` by 0.8 a step and :math:`\\eta = 1.5` diverges:

    >>> lr, path = tune_learning_rate(
    ...     SGD, lambda w: 2 * w, lambda w: (w**2).sum(axis=-1), [1.0], 5, [0.1, 0.5, 1.5],
    ...     bound=100.0,
    ... )
    >>> lr, path.ravel().tolist()
    (0.5, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    last = check_positive_int(last, "last")

    def at(lr: float) -> Callable[[list[Parameter]], Optimizer]:
        return lambda params: make_optimizer(params, lr)

    paths: dict[float, Array] = {}
    for lr in learning_rates:
        path = trajectory(at(lr), grad, start, steps, bound=bound)
        if path is not None:
            paths.setdefault(lr, path)
    if not paths:
        raise ValueError("every learning rate in learning_rates diverged (or it is empty)")
    best = min(paths, key=lambda lr: float(np.max(loss(paths[lr][-last:]))))
    return best, paths[best]
