"""Argument checks shared by every module: one place, one wording of the errors."""

from __future__ import annotations

import numbers
from typing import Any

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


def describe_non_finite(x: NDArray[Any], name: str) -> str | None:
    """Say how many entries of `x` are NaN or infinite, or return None if none is.

    The one wording of a non-finite array: the input checks raise it as a `ValueError`
    (:func:`check_finite`), and :func:`dlnotes.train.fit` puts it in its divergence report.
    Integer arrays are always finite.

    Examples
    --------
    >>> describe_non_finite(np.array([1.0, np.nan, np.inf, 2.0]), "pred")
    'pred has 2 non-finite entries (NaN or infinity) of 4'
    >>> describe_non_finite(np.array([[1.0, -np.inf]]), "x")
    'x has 1 non-finite entry (NaN or infinity) of 2'
    >>> describe_non_finite(np.arange(3), "target") is None
    True
    """
    if x.dtype.kind not in "fc":
        return None
    bad = x.size - int(np.count_nonzero(np.isfinite(x)))
    if bad == 0:
        return None
    entries = "entry" if bad == 1 else "entries"
    return f"{name} has {bad} non-finite {entries} (NaN or infinity) of {x.size}"


def check_finite(x: NDArray[Any], name: str) -> None:
    """Raise a `ValueError` naming `name` and the count if `x` holds NaN or infinity.

    Examples
    --------
    >>> check_finite(np.array([0.5, 2.0]), "pred")
    >>> check_finite(np.array([0.5, np.nan, 2.0]), "pred")
    Traceback (most recent call last):
      ...
    ValueError: pred has 1 non-finite entry (NaN or infinity) of 3
    """
    problem = describe_non_finite(x, name)
    if problem is not None:
        raise ValueError(problem)


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


def check_nonnegative_int(value: object, name: str) -> int:
    """Return `value` as an ``int`` >= 0, or raise a `TypeError`/`ValueError` naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}")
    return int(value)


def as_int_pair(value: object, name: str, *, allow_zero: bool = False) -> tuple[int, int]:
    """Return `value` (an int, or a pair of ints) as ``(height, width)``, or raise naming it.

    Kernel sizes and strides must be positive; paddings (``allow_zero=True``) may be 0.
    """
    check = check_nonnegative_int if allow_zero else check_positive_int
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return check(value[0], f"{name}[0]"), check(value[1], f"{name}[1]")
    size = check(value, name)
    return size, size


def check_axis(axis: object, ndim: int) -> int:
    """Return `axis` normalised to ``0 <= axis < ndim``, or raise an ``AxisError``.

    ``numpy.exceptions.AxisError`` is a subclass of `ValueError`.
    """
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(
            f"axis {axis} is out of bounds for an input with {ndim} dimension(s)"
        )
    return axis % ndim


def check_positive_real(value: object, name: str) -> float:
    """Return `value` as a finite float > 0, or raise a `TypeError`/`ValueError` naming it."""
    value = check_real(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def check_nonnegative_real(value: object, name: str) -> float:
    """Return `value` as a finite float >= 0, or raise a `TypeError`/`ValueError` naming it."""
    value = check_real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_unit_interval(value: object, name: str) -> float:
    """Return `value` as a float in ``[0, 1)``, or raise a `TypeError`/`ValueError` naming it.

    The range of a decay rate (momentum, moving-average coefficients): 0 keeps no memory,
    values near 1 a long one, and 1 itself would never forget the first value.
    """
    value = check_real(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return value


def check_bool(value: object, name: str) -> bool:
    """Return `value` if it is a ``bool``, else raise a `TypeError` naming it."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_rng(rng: object) -> np.random.Generator:
    """Return `rng` if it is a ``numpy.random.Generator``, else raise a `TypeError`."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def as_class_indices(y: ArrayLike, n_classes: int, name: str = "target") -> NDArray[np.intp]:
    """Return integer class labels in ``[0, n_classes)`` as an index array, or raise.

    Non-integer dtypes (floats, even 1.0, and booleans) raise a `TypeError`, except that
    NaN or infinity among floats raises the `ValueError` of :func:`check_finite`; labels
    out of range raise a `ValueError` naming the range.
    """
    try:
        arr = np.asarray(y)
    except (TypeError, ValueError) as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be an array of integer class indices; {exc}") from None
    check_finite(arr, name)
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must hold integer class indices, got dtype {arr.dtype} (shape {arr.shape})"
        )
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        raise ValueError(
            f"{name} must hold class indices in [0, {n_classes}), "
            f"got values from {arr.min()} to {arr.max()}"
        )
    return arr.astype(np.intp)


def as_float_matrix(x: ArrayLike, name: str = "X") -> NDArray[np.floating]:
    """Return `x` as a 2-D floating-point array ``(n_samples, n_features)``, or raise."""
    arr = as_float_array(x, name)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_features), got shape {arr.shape}"
        )
    return arr


def check_n_samples(x: NDArray[Any], y: NDArray[Any], x_name: str = "X", y_name: str = "y") -> int:
    """Return the common number of samples of `x` and `y` (their first dimension), or raise.

    Raises a `ValueError` naming both arrays and their shapes when the lengths differ,
    when either is 0-D, or when there are no samples.
    """
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples (first dimension), "
            f"got {x_name} of shape {x.shape} and {y_name} of shape {y.shape}"
        )
    if len(x) == 0:
        raise ValueError(
            f"{x_name} and {y_name} must hold at least one sample, "
            f"got {x_name} of shape {x.shape} and {y_name} of shape {y.shape}"
        )
    return len(x)
