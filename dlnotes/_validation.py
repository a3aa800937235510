"""Argument checks shared by every module: one place, one wording of the errors."""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray


def as_float_array(x: ArrayLike, name: str = "x") -> NDArray[np.floating]:
    """Return `x` as a floating-point array, or raise a `TypeError` naming `name`.

    Floating arrays keep their precision; integer input becomes float64.
    Booleans, complex numbers, strings and objects are rejected.
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be a real numeric array; {exc}") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "iu":
        return arr.astype(np.float64)
    raise TypeError(
        f"{name} must be a real numeric array, got dtype {arr.dtype} (shape {arr.shape})"
    )


def check_real(value: object, name: str) -> float:
    """Return `value` as a finite Python float, or raise a `TypeError`/`ValueError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive_int(value: object, name: str) -> int:
    """Return `value` as an ``int`` > 0, or raise a `TypeError`/`ValueError` naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def check_axis(axis: object, ndim: int) -> int:
    """Return `axis` normalised to ``0 <= axis < ndim``, or raise an ``AxisError``.

    ``numpy.exceptions.AxisError`` is a subclass of `ValueError`.
    """
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(
            f"axis {axis} is out of bounds for an input with {ndim} dimension(s)"
        )
    return int(axis) % ndim
