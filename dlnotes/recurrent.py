"""Recurrent networks (chapters 10 and 11): the tanh RNN and the LSTM, forward and BPTT.

Sequences are batch-first arrays ``(N, T, D)``: ``N`` sequences of ``T`` time steps, each
step a vector of ``D`` features, as ``torch.nn.RNN(..., batch_first=True)`` expects. A
recurrent layer carries a hidden state :math:`h_t \\in \\mathbb{R}^H` from one step to the
next and uses the *same* weights at every step.

Tanh RNN (:func:`rnn_forward`, :func:`rnn_backward`):

.. math:: h_t = \\tanh(x_t W_{ih}^\\top + b_{ih} + h_{t-1} W_{hh}^\\top + b_{hh})

LSTM (:func:`lstm_forward`, :func:`lstm_backward`), with the four gates stacked in
PyTorch's order *i, f, g, o* (rows ``0:H``, ``H:2H``, ``2H:3H``, ``3H:4H`` of the weights):

.. math::

    a_t &= x_t W_{ih}^\\top + b_{ih} + h_{t-1} W_{hh}^\\top + b_{hh}
        = [a^i_t, a^f_t, a^g_t, a^o_t] \\\\
    i_t &= \\sigma(a^i_t), \\quad f_t = \\sigma(a^f_t), \\quad
        g_t = \\tanh(a^g_t), \\quad o_t = \\sigma(a^o_t) \\\\
    c_t &= f_t \\odot c_{t-1} + i_t \\odot g_t \\\\
    h_t &= o_t \\odot \\tanh(c_t)

The forget gate :math:`f_t` chooses what the cell state keeps, the input gate :math:`i_t`
what it takes of the candidate :math:`g_t` (:math:`\\tilde C_t` in the notes), the output
gate :math:`o_t` what of the cell shows in :math:`h_t`. Multiplying
:math:`[h_{t-1}, x_t]` by one stacked matrix :math:`[W_{hh}, W_{ih}]` is the same as the two
products above; PyTorch, and this module, keep the two halves apart.

Shapes (``G = 1`` for the RNN, ``G = 4`` for the LSTM): ``weight_ih`` ``(G·H, D)``,
``weight_hh`` ``(G·H, H)``, ``bias_ih`` and ``bias_hh`` ``(G·H,)``; initial states ``h0`` and
``c0`` ``(N, H)`` (zeros when omitted); outputs ``(N, T, H)``.

How it is computed: the input part :math:`x_t W_{ih}^\\top + b_{ih} + b_{hh}` of every step
does not depend on the recurrence, so it is one matrix product for all ``N·T`` steps at
once; only :math:`h_{t-1} W_{hh}^\\top` and the elementwise gate functions run in a Python
loop over ``t``, each over the whole batch and all hidden units. The LSTM's four gates are
one ``(N, H) @ (H, 4H)`` product per step, not four. Inside, the arrays are stored steps
first, ``(T, N, ...)``, so that the slice of one step is one contiguous block of memory;
the functions return them batch-first as views (``swapaxes(0, 1)``), without a copy.

Back-propagation through time (BPTT) runs the same loop backwards. Write
:math:`\\delta_t = \\partial L/\\partial h_t` for the *total* gradient reaching
:math:`h_t`: the gradient from the output at step ``t`` (``dout[:, t]``) plus the one that
comes back through :math:`h_{t+1}`. For the tanh RNN, with
:math:`\\delta^a_t = \\delta_t \\odot (1 - h_t^2)` the gradient at the pre-activation,

.. math::

    \\delta_t = \\frac{\\partial L}{\\partial y_t} + \\delta^a_{t+1} W_{hh}, \\qquad
    \\frac{\\partial L}{\\partial W_{hh}} = \\sum_t (\\delta^a_t)^\\top h_{t-1}, \\qquad
    \\frac{\\partial L}{\\partial W_{ih}} = \\sum_t (\\delta^a_t)^\\top x_t, \\qquad
    \\frac{\\partial L}{\\partial x_t} = \\delta^a_t W_{ih},

and both biases get :math:`\\sum_t \\sum_n \\delta^a_t`. The gradient reaching an early step
is a product of one factor :math:`\\operatorname{diag}(1 - h_t^2)\\,W_{hh}` per step: it
shrinks geometrically when those factors are small (vanishing gradients, the RNN forgets)
and grows when :math:`W_{hh}` is large (exploding gradients; cap them with
:func:`dlnotes.optim.clip_grad_norm`). In the LSTM the cell state's own path back is
:math:`\\partial c_t/\\partial c_{t-1} = f_t`, an elementwise factor with no weight matrix
and no squashing derivative: with :math:`f_t \\approx 1` the gradient crosses many steps
intact.

Examples
--------
One hidden unit, weights chosen by hand: :math:`h_1 = \\tanh(1) = 0.7616` and
:math:`h_2 = \\tanh(0 + 0.5 h_1) = \\tanh(0.3808) = 0.3634`.

>>> import numpy as np
>>> x = np.array([[[1.0], [0.0]]])                  # N = 1, T = 2, D = 1
>>> w_ih, w_hh, b = np.array([[1.0]]), np.array([[0.5]]), np.zeros(1)
>>> rnn_forward(x, w_ih, w_hh, b, b).round(4)
array([[[0.7616],
        [0.3634]]])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_float_array

__all__ = [
    "lstm_backward",
    "lstm_forward",
    "rnn_backward",
    "rnn_forward",
]

Array = NDArray[np.floating]


# --------------------------------------------------------------------------------------------
# Argument checks
# --------------------------------------------------------------------------------------------


def check_sequence(x: ArrayLike, input_size: int, owner: str) -> Array:
    """`x` as a float array ``(N, T, input_size)`` with ``N, T >= 1``, or a ValueError
    naming `owner` (a layer or function) and the shapes."""
    x = as_float_array(x, "x")
    if x.ndim != 3 or x.shape[2] != input_size or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(
            f"{owner} expects a batch-first sequence x of shape (N, T, {input_size}) "
            f"with N, T >= 1, got x of shape {x.shape}"
        )
    return x


def check_state(state: ArrayLike | None, n: int, hidden_size: int, name: str) -> Array:
    """An initial state ``(N, H)``: zeros when None, else checked against `x`'s batch size."""
    if state is None:
        return np.zeros((n, hidden_size))
    state = as_float_array(state, name)
    if state.shape != (n, hidden_size):
        raise ValueError(
            f"{name} must have shape (N, H) = {(n, hidden_size)} for a batch of {n} "
            f"sequences and hidden size {hidden_size}, got {name} of shape {state.shape}"
        )
    return state


def _check_weights(
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    biases: tuple[ArrayLike, ...],
    gates: int,
) -> tuple[Array, Array, tuple[Array, ...]]:
    """Validate weight_ih (G·H, D), weight_hh (G·H, H) and the biases (G·H,)."""
    weight_ih = as_float_array(weight_ih, "weight_ih")
    weight_hh = as_float_array(weight_hh, "weight_hh")
    if weight_hh.ndim != 2 or weight_hh.shape[0] != gates * weight_hh.shape[1]:
        raise ValueError(f"weight_hh must have shape ({gates}·H, H), got {weight_hh.shape}")
    rows = weight_hh.shape[0]
    if weight_ih.ndim != 2 or weight_ih.shape[0] != rows:
        raise ValueError(
            f"weight_ih must have shape ({rows}, D) to match weight_hh of shape "
            f"{weight_hh.shape}, got {weight_ih.shape}"
        )
    checked = []
    for name, bias in zip(("bias_ih", "bias_hh"), biases, strict=False):
        bias = as_float_array(bias, name)
        if bias.shape != (rows,):
            raise ValueError(
                f"{name} must have shape ({rows},) to match weight_hh of shape "
                f"{weight_hh.shape}, got {bias.shape}"
            )
        checked.append(bias)
    return weight_ih, weight_hh, tuple(checked)


def _as_shaped(arr: ArrayLike, name: str, shape: tuple[int, ...], what: str) -> Array:
    """`arr` as a float array of `shape`, or a ValueError naming it (`what` says what it is)."""
    arr = as_float_array(arr, name)
    if arr.shape != shape:
        raise ValueError(f"{name} must have the shape {what} = {shape}, got {arr.shape}")
    return arr


# --------------------------------------------------------------------------------------------
# What the RNN and the LSTM compute alike
# --------------------------------------------------------------------------------------------


def _steps_first(a: Array) -> Array:
    """``(N, T, ...)`` as a contiguous ``(T, N, ...)`` array: free for the batch-first views
    this module returns, a copy for any other array."""
    return np.ascontiguousarray(a.swapaxes(0, 1))


def _input_part(x: Array, weight_ih: Array, bias: Array) -> Array:
    """:math:`x_t W_{ih}^\\top + b` for every step, ``(T, N, G·H)``: it does not depend on
    the recurrence, so one ``(T·N, D) @ (D, G·H)`` product computes it for all steps."""
    n, steps, d = x.shape
    a = _steps_first(x).reshape(steps * n, d) @ weight_ih.T
    a += bias
    return a.reshape(steps, n, -1)


def _weight_gradients(
    da: Array, x: Array, hs: Array, h0: Array, weight_ih: Array
) -> tuple[Array, Array, Array, Array, Array]:
    """``dx``, ``dweight_ih``, ``dweight_hh``, ``dbias_ih``, ``dbias_hh`` from the gradients
    :math:`\\delta^a_t` at the pre-activations of every step, ``da`` ``(T, N, G·H)``
    (``hs`` steps first too, ``x`` batch-first).

    The sums over steps are matrix products over all ``T·N`` rows at once:
    :math:`\\sum_t (\\delta^a_t)^\\top [x_t, h_{t-1}]` (both weight gradients in one product),
    :math:`\\sum_t \\mathbf 1^\\top \\delta^a_t` (both biases) and :math:`\\delta^a_t W_{ih}`.
    """
    steps, n, rows = da.shape
    d = x.shape[2]
    d2 = da.reshape(steps * n, rows)
    xh = np.empty((steps, n, d + hs.shape[2]))  # [x_t, h_{t-1}] at every step
    xh[..., :d] = x.swapaxes(0, 1)
    xh[0, :, d:] = h0
    xh[1:, :, d:] = hs[:-1]
    dw = xh.reshape(steps * n, -1).T @ d2  # (D + H, G·H): [dweight_ih, dweight_hh] transposed
    dbias = d2.sum(axis=0)
    dx = (d2 @ weight_ih).reshape(steps, n, d).swapaxes(0, 1)
    return dx, dw[:d].T.copy(), dw[d:].T.copy(), dbias, dbias.copy()


# --------------------------------------------------------------------------------------------
# Tanh RNN
# --------------------------------------------------------------------------------------------


def rnn_forward(
    x: ArrayLike,
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    bias_ih: ArrayLike,
    bias_hh: ArrayLike,
    h0: ArrayLike | None = None,
) -> Array:
    """All hidden states of a tanh RNN: :math:`h_t = \\tanh(x_t W_{ih}^\\top + b_{ih} +
    h_{t-1} W_{hh}^\\top + b_{hh})`.

    Parameters
    ----------
    x : array_like, shape (N, T, D)
        Batch-first input sequences.
    weight_ih : array_like, shape (H, D)
    weight_hh : array_like, shape (H, H)
    bias_ih, bias_hh : array_like, shape (H,)
    h0 : array_like, shape (N, H), optional
        Initial hidden state :math:`h_0`; zeros when omitted.

    Returns
    -------
    ndarray, shape (N, T, H)
        :math:`h_1, \\dots, h_T` (``[:, t]`` is step ``t + 1``); the final state
        :math:`h_T` is ``[:, -1]``.

    Examples
    --------
    With :math:`W_{hh} = 0` every step forgets the past: :math:`h_t = \\tanh(x_t W_{ih}^\\top)`.

    >>> x = np.array([[[0.5], [-1.0]]])
    >>> h = rnn_forward(x, [[2.0]], [[0.0]], [0.0], [0.0])
    >>> bool(np.allclose(h, np.tanh(2 * x)))
    True
    """
    weight_ih, weight_hh, (bias_ih, bias_hh) = _check_weights(
        weight_ih, weight_hh, (bias_ih, bias_hh), 1
    )
    x = check_sequence(x, weight_ih.shape[1], "rnn_forward")
    h = check_state(h0, x.shape[0], weight_hh.shape[1], "h0")
    hs = _input_part(x, weight_ih, bias_ih + bias_hh)  # (T, N, H), the input part of every step
    w_hh_t = np.ascontiguousarray(weight_hh.T)  # (H, H) row by row: BLAS reads it fastest
    for step in hs:  # hs[t], a view: the pre-activation becomes the state in place
        step += h @ w_hh_t
        h = np.tanh(step, out=step)
    return hs.swapaxes(0, 1)


def rnn_backward(
    dout: ArrayLike,
    x: ArrayLike,
    hs: ArrayLike,
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    h0: ArrayLike | None = None,
) -> tuple[Array, Array, Array, Array, Array, Array]:
    """Back-propagation through time for :func:`rnn_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, T, H)
        :math:`\\partial L/\\partial h_t` from everything *outside* the recurrence (the
        layers above): zero at the steps whose output the loss does not use.
    x : array_like, shape (N, T, D)
        The input of the forward pass.
    hs : array_like, shape (N, T, H)
        Its output, the hidden states.
    weight_ih, weight_hh : array_like
        The weights of the forward pass.
    h0 : array_like, shape (N, H), optional
        The initial state of the forward pass (zeros when omitted).

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dweight_ih : ndarray, shape (H, D)
    dweight_hh : ndarray, shape (H, H)
    dbias_ih, dbias_hh : ndarray, shape (H,)
        Equal: both biases enter the same sum.
    dh0 : ndarray, shape (N, H)
        :math:`\\partial L/\\partial h_0`.

    Notes
    -----
    Going back from :math:`t = T` to 1, with :math:`\\delta_{T+1}^a = 0`:

    .. math::

        \\delta_t = \\text{dout}_t + \\delta^a_{t+1} W_{hh}, \\qquad
        \\delta^a_t = \\delta_t \\odot (1 - h_t^2)

    then :math:`\\partial L/\\partial W_{ih} = \\sum_t (\\delta^a_t)^\\top x_t`,
    :math:`\\partial L/\\partial W_{hh} = \\sum_t (\\delta^a_t)^\\top h_{t-1}`,
    :math:`\\partial L/\\partial b = \\sum_t \\mathbf 1^\\top \\delta^a_t`,
    :math:`\\partial L/\\partial x_t = \\delta^a_t W_{ih}` and
    :math:`\\partial L/\\partial h_0 = \\delta^a_1 W_{hh}`. Only the recurrence
    :math:`\\delta_t \\leftarrow \\delta^a_{t+1}` runs step by step; the weight gradients are
    three matrix products over all steps at once.

    Examples
    --------
    One step, one unit: :math:`h_1 = \\tanh(x w)`, so
    :math:`\\partial h_1/\\partial w = (1 - h_1^2)\\,x`.

    >>> x, w = np.array([[[2.0]]]), np.array([[0.3]])
    >>> hs = rnn_forward(x, w, [[0.0]], [0.0], [0.0])
    >>> dx, dw_ih, dw_hh, db_ih, db_hh, dh0 = rnn_backward(np.ones((1, 1, 1)), x, hs, w, [[0.0]])
    >>> bool(np.isclose(dw_ih[0, 0], (1 - np.tanh(0.6) ** 2) * 2.0))
    True
    """
    weight_ih, weight_hh, _ = _check_weights(weight_ih, weight_hh, (), 1)
    x = check_sequence(x, weight_ih.shape[1], "rnn_backward")
    n, steps, hidden = shape = (x.shape[0], x.shape[1], weight_hh.shape[1])
    hs = _steps_first(_as_shaped(hs, "hs", shape, "(N, T, H)"))
    dout = _as_shaped(dout, "dout", shape, "(N, T, H) of the hidden states").swapaxes(0, 1)
    h0 = check_state(h0, n, hidden, "h0")
    da = 1.0 - hs * hs  # (T, N, H): tanh'(a_t); becomes δᵃ_t step by step below
    dh = np.zeros((n, hidden))  # the gradient coming back through h_t from step t + 1
    for t in range(steps - 1, -1, -1):
        dh += dout[t]
        step = da[t]
        step *= dh
        dh = step @ weight_hh
    return (*_weight_gradients(da, x, hs, h0, weight_ih), dh)


# --------------------------------------------------------------------------------------------
# LSTM
# --------------------------------------------------------------------------------------------


def lstm_forward(
    x: ArrayLike,
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    bias_ih: ArrayLike,
    bias_hh: ArrayLike,
    h0: ArrayLike | None = None,
    c0: ArrayLike | None = None,
) -> tuple[Array, Array, Array]:
    """All hidden states, cell states and gate activations of an LSTM.

    Parameters
    ----------
    x : array_like, shape (N, T, D)
        Batch-first input sequences.
    weight_ih : array_like, shape (4H, D)
        The four gates' input weights stacked in the order i, f, g, o.
    weight_hh : array_like, shape (4H, H)
        Their recurrent weights, same order.
    bias_ih, bias_hh : array_like, shape (4H,)
    h0, c0 : array_like, shape (N, H), optional
        Initial hidden and cell states; zeros when omitted.

    Returns
    -------
    hs : ndarray, shape (N, T, H)
        :math:`h_t = o_t \\odot \\tanh(c_t)` for every step.
    cs : ndarray, shape (N, T, H)
        :math:`c_t = f_t \\odot c_{t-1} + i_t \\odot g_t` for every step.
    gates : ndarray, shape (N, T, 4H)
        The activations :math:`[i_t, f_t, g_t, o_t]` (after :math:`\\sigma` or tanh):
        ``gates[..., :H]`` is the input gate, ``gates[..., H:2*H]`` the forget gate,
        ``gates[..., 2*H:3*H]`` the candidate, ``gates[..., 3*H:]`` the output gate.

    Examples
    --------
    A forget gate pinned open (bias +30, :math:`f = 1`) and an input gate pinned shut
    (bias −30, :math:`i = 0`): the cell keeps :math:`c_0` whatever the input.

    >>> H = 2
    >>> w_ih, w_hh = np.zeros((4 * H, 1)), np.zeros((4 * H, H))
    >>> b = np.zeros(4 * H)
    >>> b[:H], b[H:2 * H] = -30.0, 30.0
    >>> x = np.random.default_rng(0).normal(size=(1, 5, 1))
    >>> hs, cs, gates = lstm_forward(x, w_ih, w_hh, b, 0 * b, c0=[[1.0, -2.0]])
    >>> cs[0, -1]
    array([ 1., -2.])
    >>> gates.shape
    (1, 5, 8)
    """
    weight_ih, weight_hh, (bias_ih, bias_hh) = _check_weights(
        weight_ih, weight_hh, (bias_ih, bias_hh), 4
    )
    x = check_sequence(x, weight_ih.shape[1], "lstm_forward")
    n, steps, hidden = x.shape[0], x.shape[1], weight_hh.shape[1]
    h = check_state(h0, n, hidden, "h0")
    c = check_state(c0, n, hidden, "c0")
    # σ(a) = ½·tanh(½·a) + ½ and tanh(a) = 1·tanh(1·a) + 0: with s = ½ for the rows of i, f
    # and o and s = 1 for those of g, every gate is s·tanh(s·a) + (1 - s), one tanh for all
    # four. The weights are scaled once (by powers of 2: exact).
    s = np.full(4 * hidden, 0.5)
    s[2 * hidden : 3 * hidden] = 1.0
    shift = 1.0 - s
    gates = _input_part(x, weight_ih * s[:, None], (bias_ih + bias_hh) * s)  # (T, N, 4H): s·a
    w_hh_t = np.ascontiguousarray((weight_hh * s[:, None]).T)  # (H, 4H) row by row, for BLAS
    hs = np.empty((steps, n, hidden))
    cs = np.empty((steps, n, hidden))
    for t in range(steps):
        a = gates[t]  # (N, 4H): pre-activations, then activations, in place
        a += h @ w_hh_t
        np.tanh(a, out=a)
        a *= s
        a += shift  # σ for i, f and o, tanh for g
        i, f, g, o = (a[:, k * hidden : (k + 1) * hidden] for k in range(4))
        c_prev, c = c, cs[t]
        np.multiply(f, c_prev, out=c)
        c += i * g
        h = hs[t]
        np.tanh(c, out=h)
        h *= o
    return hs.swapaxes(0, 1), cs.swapaxes(0, 1), gates.swapaxes(0, 1)


def lstm_backward(
    dout: ArrayLike,
    x: ArrayLike,
    hs: ArrayLike,
    cs: ArrayLike,
    gates: ArrayLike,
    weight_ih: ArrayLike,
    weight_hh: ArrayLike,
    h0: ArrayLike | None = None,
    c0: ArrayLike | None = None,
) -> tuple[Array, Array, Array, Array, Array, Array, Array]:
    """Back-propagation through time for :func:`lstm_forward`.

    Parameters
    ----------
    dout : array_like, shape (N, T, H)
        :math:`\\partial L/\\partial h_t` from the layers above (zero where unused).
    x : array_like, shape (N, T, D)
        The input of the forward pass.
    hs, cs, gates : array_like
        What :func:`lstm_forward` returned.
    weight_ih, weight_hh : array_like
        The weights of the forward pass.
    h0, c0 : array_like, shape (N, H), optional
        The initial states of the forward pass (zeros when omitted).

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dweight_ih : ndarray, shape (4H, D)
    dweight_hh : ndarray, shape (4H, H)
    dbias_ih, dbias_hh : ndarray, shape (4H,)
        Equal: both biases enter the same sum.
    dh0, dc0 : ndarray, shape (N, H)
        :math:`\\partial L/\\partial h_0` and :math:`\\partial L/\\partial c_0`.

    Notes
    -----
    Two gradients run back in time: :math:`\\delta^h_t` reaching :math:`h_t` and
    :math:`\\delta^c_t` reaching :math:`c_t`. From :math:`t = T` down to 1, starting from
    zero,

    .. math::

        \\delta^h_t &= \\text{dout}_t + \\delta^a_{t+1} W_{hh} \\\\
        \\delta^c_t &= f_{t+1} \\odot \\delta^c_{t+1}
            + \\delta^h_t \\odot o_t \\odot (1 - \\tanh^2 c_t) \\\\
        \\delta^a_t &= \\big[\\,\\delta^c_t \\odot g_t \\odot i_t(1 - i_t),\\;
            \\delta^c_t \\odot c_{t-1} \\odot f_t(1 - f_t),\\;
            \\delta^c_t \\odot i_t \\odot (1 - g_t^2),\\;
            \\delta^h_t \\odot \\tanh(c_t) \\odot o_t(1 - o_t)\\,\\big]

    (:math:`\\delta^a_t`, shape ``(N, 4H)``, is the gradient at the four pre-activations).
    Then, as for the RNN, :math:`\\partial L/\\partial W_{ih} = \\sum_t (\\delta^a_t)^\\top x_t`,
    :math:`\\partial L/\\partial W_{hh} = \\sum_t (\\delta^a_t)^\\top h_{t-1}`, both bias
    gradients are :math:`\\sum_t \\mathbf 1^\\top \\delta^a_t`, :math:`\\partial L/\\partial x_t =
    \\delta^a_t W_{ih}`, :math:`\\partial L/\\partial h_0 = \\delta^a_1 W_{hh}` and
    :math:`\\partial L/\\partial c_0 = f_1 \\odot \\delta^c_1`. The cell's own path, the
    term :math:`f_t \\odot \\delta^c_t` of :math:`\\delta^c_{t-1}`, has no weight matrix and
    no squashing derivative: this is why an LSTM's gradient survives many steps.

    Examples
    --------
    With the forget gate pinned open (:math:`f = 1`) and the other gates shut, the gradient
    on the final cell state reaches :math:`c_0` unchanged after any number of steps:

    >>> H = 1
    >>> b = np.array([-30.0, 30.0, 0.0, 30.0])      # i = 0, f = 1, o = 1
    >>> w_ih, w_hh = np.zeros((4, 1)), np.zeros((4, 1))
    >>> x = np.zeros((1, 20, 1))
    >>> c0 = np.array([[0.5]])
    >>> hs, cs, gates = lstm_forward(x, w_ih, w_hh, b, 0 * b, c0=c0)
    >>> dout = np.zeros((1, 20, 1))
    >>> dout[0, -1] = 1.0                            # L = h_T = tanh(c_T) = tanh(c_0)
    >>> grads = lstm_backward(dout, x, hs, cs, gates, w_ih, w_hh, c0=c0)
    >>> bool(np.isclose(grads[-1][0, 0], 1 - np.tanh(0.5) ** 2))   # dL/dc_0
    True
    """
    weight_ih, weight_hh, _ = _check_weights(weight_ih, weight_hh, (), 4)
    x = check_sequence(x, weight_ih.shape[1], "lstm_backward")
    n, steps, hidden = shape = (x.shape[0], x.shape[1], weight_hh.shape[1])
    hs, cs = (
        _steps_first(_as_shaped(a, name, shape, "(N, T, H)"))
        for name, a in (("hs", hs), ("cs", cs))
    )
    gates = _steps_first(_as_shaped(gates, "gates", (n, steps, 4 * hidden), "(N, T, 4H)"))
    dout = _as_shaped(dout, "dout", shape, "(N, T, H) of the hidden states").swapaxes(0, 1)
    h0 = check_state(h0, n, hidden, "h0")
    c0 = check_state(c0, n, hidden, "c0")
    i, f, g, o = (gates[..., k * hidden : (k + 1) * hidden] for k in range(4))  # (T, N, H)
    # The local derivatives do not depend on the gradients coming back, so they are computed
    # for all steps at once: ∂c_t/∂a for the i, f and g blocks of da, ∂h_t/∂a for the o
    # block, and ∂h_t/∂c_t; the loop then only multiplies them by δᶜ_t and δʰ_t. (In place:
    # temporaries of this size would cost more than the arithmetic.)
    da = np.subtract(1.0, gates)  # (T, N, 4H), becomes δᵃ_t, the gradient at the pre-activations
    da *= gates  # σ' = σ(1 - σ) for i, f and o (the g block is replaced below)
    blocks = da.reshape(steps, n, 4, hidden)  # a view: blocks[t, :, k] is gate k at step t
    da_i, da_f, da_g, da_o = (blocks[:, :, k] for k in range(4))
    da_i *= g  # g ⊙ i(1 - i)
    da_f[0] *= c0
    da_f[1:] *= cs[:-1]  # c_{t-1} ⊙ f(1 - f)
    np.multiply(g, g, out=da_g)
    np.subtract(1.0, da_g, out=da_g)
    da_g *= i  # i ⊙ (1 - g²)
    tanh_c = np.tanh(cs)
    da_o *= tanh_c  # tanh(c) ⊙ o(1 - o)
    dh_dc = np.multiply(tanh_c, tanh_c, out=tanh_c)
    np.subtract(1.0, dh_dc, out=dh_dc)
    dh_dc *= o  # o ⊙ (1 - tanh² c)
    dh = np.zeros((n, hidden))  # comes back through h_t from step t + 1
    dc = np.zeros((n, hidden))  # comes back through c_t from step t + 1
    for t in range(steps - 1, -1, -1):
        dh += dout[t]
        dc += dh * dh_dc[t]
        blocks[t, :, :3] *= dc[:, None]  # i, f, g reach the loss through c_t
        blocks[t, :, 3] *= dh  # o through h_t
        dh = da[t] @ weight_hh
        dc *= f[t]
    return (*_weight_gradients(da, x, hs, h0, weight_ih), dh, dc)
