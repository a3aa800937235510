"""Measurements of a network's health: dead units, pre-activations, gradient norms.

Examples
--------
>>> import numpy as np
>>> pre = np.array([[-1.0, 2.0, -3.0], [-0.5, 1.0, 4.0]])   # 2 inputs, 3 units
>>> dead_units(pre)
array([ True, False, False])
>>> float(dead_units(pre).mean())   # fraction of dead units
0.3333333333333333
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_float_array
from dlnotes.layers import Linear, Sequential

__all__ = ["dead_units", "layer_gradient_norms", "pre_activations"]

Array = NDArray[np.floating]


def dead_units(pre_activations: ArrayLike) -> NDArray[np.bool_]:
    """Which ReLU units are dead on a data set.

    A ReLU unit is *dead* when its pre-activation :math:`z = w^\\top x + b` is
    :math:`\\le 0` for every input: its output is then always 0 and its local
    gradient :math:`\\mathrm{relu}'(z)` is always 0, so no gradient reaches its
    weights and gradient descent can never revive it.

    Parameters
    ----------
    pre_activations : array_like, shape (n_samples, n_units)
        The inputs of the ReLU for every sample of the data set.

    Returns
    -------
    ndarray of bool, shape (n_units,)
        True for units that are dead on all `n_samples` inputs.
    """
    z = as_float_array(pre_activations, "pre_activations")
    if z.ndim != 2 or z.shape[0] == 0:
        raise ValueError(
            "pre_activations must have shape (n_samples, n_units) with n_samples > 0, "
            f"got shape {z.shape}"
        )
    return np.all(z <= 0, axis=0)


def _check_sequential(net: object) -> Sequential:
    if not isinstance(net, Sequential):
        raise TypeError(f"net must be a dlnotes Sequential, got {type(net).__name__}")
    return net


def _linear_layers(net: Sequential) -> Iterator[Linear]:
    """The `Linear` layers of `net` in forward order, looking inside nested `Sequential`s."""
    for layer in net:
        if isinstance(layer, Sequential):
            yield from _linear_layers(layer)
        elif isinstance(layer, Linear):
            yield layer


def _forward_recording(net: Sequential, x: Array, record: list[Array]) -> Array:
    for layer in net:
        if isinstance(layer, Sequential):
            x = _forward_recording(layer, x, record)
        else:
            x = layer.forward(x, training=False)
            if isinstance(layer, Linear):
                record.append(x)
    return x


def pre_activations(net: Sequential, x: ArrayLike) -> list[Array]:
    """The output of every `Linear` layer of `net` on input `x`, in forward order.

    These are the pre-activations :math:`z = W h + b` fed to the activation functions: the
    input of :func:`dead_units`, or of a histogram that shows saturation. The forward pass runs
    in evaluation mode (``training=False``).

    Parameters
    ----------
    net : Sequential
        Nested ``Sequential`` containers are searched too.
    x : array_like, shape (N, in_features)

    Returns
    -------
    list of ndarray
        One array of shape ``(N, out_features)`` per `Linear` layer.

    Examples
    --------
    >>> from dlnotes.layers import ReLU
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential(Linear(2, 8, rng=rng), ReLU(), Linear(8, 3, rng=rng))
    >>> [z.shape for z in pre_activations(net, rng.normal(size=(5, 2)))]
    [(5, 8), (5, 3)]
    """
    record: list[Array] = []
    _forward_recording(_check_sequential(net), as_float_array(x), record)
    return record


def layer_gradient_norms(net: Sequential) -> list[float]:
    """Frobenius norm :math:`\\lVert \\partial L / \\partial W \\rVert_F` of every `Linear` weight.

    Call it after a backward pass. Input side first, so a list that grows from left to right
    shows vanishing gradients: the layers near the input learn slowest.

    Parameters
    ----------
    net : Sequential
        Nested ``Sequential`` containers are searched too.

    Returns
    -------
    list of float
        One norm per `Linear` layer, in forward order.

    Examples
    --------
    >>> from dlnotes.layers import Sigmoid
    >>> rng = np.random.default_rng(0)
    >>> layers = [Linear(16, 16, rng=rng) if i % 2 == 0 else Sigmoid() for i in range(10)]
    >>> net = Sequential(*layers)
    >>> out = net(rng.normal(size=(32, 16)))
    >>> _ = net.backward(np.ones_like(out))
    >>> norms = layer_gradient_norms(net)
    >>> len(norms), bool(np.all(np.diff(norms) > 0))     # vanishing towards the input
    (5, True)
    """
    return [
        float(np.linalg.norm(layer.weight.grad)) for layer in _linear_layers(_check_sequential(net))
    ]
