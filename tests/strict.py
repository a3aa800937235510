"""The context the tests check extreme inputs in: no warning, no overflow, no NaN."""

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def strict_fp() -> Iterator[None]:
    """Turn every warning and every floating-point overflow/invalid/divide into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield
