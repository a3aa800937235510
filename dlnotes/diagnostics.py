"""Measurements of a network's health: dead units, and later gradient norms.

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

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_float_array

__all__ = ["dead_units"]


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
