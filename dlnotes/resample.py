"""Resampling: balance the classes of an imbalanced data set (chapter 7).

- :func:`random_undersample` keeps as many samples of each class as the smallest class has;
- :func:`random_oversample` repeats samples of each class up to the size of the largest;
- :func:`smote` makes new samples of the smaller classes, each on the segment between a
  sample and one of its :func:`nearest_neighbours` in its class.

Everything random takes a ``numpy.random.Generator`` and is reproducible with it. These
samplers are also importable from :mod:`dlnotes.data`, where the handbook first uses them.

Examples
--------
>>> import numpy as np
>>> X, y = np.arange(12.0).reshape(6, 2), np.array([0, 0, 0, 0, 1, 1])
>>> np.bincount(random_oversample(X, y, rng=np.random.default_rng(0))[1]).tolist()
[4, 4]
>>> np.bincount(random_undersample(X, y, rng=np.random.default_rng(0))[1]).tolist()
[2, 2]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import as_float_matrix, check_n_samples, check_positive_int, check_rng

__all__ = ["nearest_neighbours", "random_oversample", "random_undersample", "smote"]

Array = NDArray[np.floating]


def _classes(
    X: NDArray[Any], y: NDArray[Any], sampler: str
) -> tuple[NDArray[Any], list[NDArray[Any]]]:
    """The labels and the sample indices of each class, checking what every sampler needs."""
    check_n_samples(X, y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels, got shape {y.shape}")
    labels, inverse = np.unique(y, return_inverse=True)
    if len(labels) < 2:
        raise ValueError(
            f"{sampler} balances classes, but y holds a single class ({labels[0].item()!r}, "
            f"{len(y)} samples): there is nothing to balance"
        )
    order = np.argsort(inverse, kind="stable")
    members = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
    return labels, members


def _counts_message(labels: NDArray[Any], members: list[NDArray[Any]]) -> str:
    return ", ".join(
        f"{label.item()!r}: {len(idx)}" for label, idx in zip(labels, members, strict=True)
    )


def random_undersample(
    X: ArrayLike, y: ArrayLike, *, rng: np.random.Generator
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Balance the classes by discarding samples: keep as many of each class as the smallest has.

    From every class, :math:`n_{\\min}` samples (the size of the smallest class) are kept,
    drawn at random without replacement. Nothing is invented, but information is thrown
    away: with a very rare class little data is left, and when a class has a single
    example, every class shrinks to one sample — under-sampling is then useless, and
    over-sampling (:func:`random_oversample`, :func:`~dlnotes.augment.augment_images`) is
    the way out.

    Parameters
    ----------
    X : array_like, shape (n, ...)
        Samples; any dtype and shape after the first dimension.
    y : array_like, shape (n,)
        Class labels (any values that can be sorted), at least two classes.
    rng : numpy.random.Generator

    Returns
    -------
    X_res : ndarray, shape (K * n_min, ...)
    y_res : ndarray, shape (K * n_min,)
        The kept samples, in their original order; dtypes are kept.

    Examples
    --------
    >>> X, y = np.arange(20.0).reshape(10, 2), np.array([0, 0, 0, 0, 0, 0, 1, 1, 2, 2])
    >>> X_res, y_res = random_undersample(X, y, rng=np.random.default_rng(0))
    >>> np.bincount(y_res).tolist(), y_res.tolist()
    ([2, 2, 2], [0, 0, 1, 1, 2, 2])
    """
    X, y = np.asarray(X), np.asarray(y)
    _, members = _classes(X, y, "random_undersample")
    rng = check_rng(rng)
    n_min = min(len(idx) for idx in members)
    keep = np.sort(np.concatenate([rng.choice(idx, n_min, replace=False) for idx in members]))
    return X[keep], y[keep]


def random_oversample(
    X: ArrayLike, y: ArrayLike, *, rng: np.random.Generator
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Balance the classes by repeating samples: grow every class to the size of the largest.

    All samples are kept; each class with :math:`n_c < n_{\\max}` samples gets
    :math:`n_{\\max} - n_c` more, drawn at random *with* replacement from its own samples.
    No information is lost, but the copies are exact duplicates, so a flexible model
    can memorise the few minority samples (overfitting); :func:`smote` interpolates instead.

    Parameters
    ----------
    X : array_like, shape (n, ...)
        Samples; any dtype and shape after the first dimension.
    y : array_like, shape (n,)
        Class labels, at least two classes.
    rng : numpy.random.Generator

    Returns
    -------
    X_res : ndarray, shape (K * n_max, ...)
    y_res : ndarray, shape (K * n_max,)
        The original samples first, in their order, then the duplicates, class by class.

    Examples
    --------
    >>> X, y = np.arange(10.0).reshape(5, 2), np.array([0, 0, 0, 1, 1])
    >>> X_res, y_res = random_oversample(X, y, rng=np.random.default_rng(0))
    >>> y_res.tolist()
    [0, 0, 0, 1, 1, 1]
    >>> bool(np.array_equal(X_res[:5], X)), X_res[5].tolist() in X[3:].tolist()
    (True, True)
    """
    X, y = np.asarray(X), np.asarray(y)
    _, members = _classes(X, y, "random_oversample")
    rng = check_rng(rng)
    n_max = max(len(idx) for idx in members)
    extra = np.concatenate(
        [rng.choice(idx, n_max - len(idx), replace=True) for idx in members]
    ).astype(np.intp)
    return np.concatenate([X, X[extra]]), np.concatenate([y, y[extra]])


def nearest_neighbours(P: ArrayLike, k: int) -> NDArray[np.intp]:
    """The `k` nearest other rows of every row of `P`, by Euclidean distance, nearest first.

    The neighbours :func:`smote` interpolates towards: a point is not its own neighbour.

    Parameters
    ----------
    P : array_like, shape (n, d)
        Points, one per row.
    k : int
        Number of neighbours, ``1 <= k < n``.

    Returns
    -------
    ndarray of intp, shape (n, k)
        Row ``i`` holds the indices of the `k` rows nearest to ``P[i]``, other than ``i``.

    Examples
    --------
    >>> P = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [7.0, 0.0]])
    >>> nearest_neighbours(P, 2)
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    """
    P = as_float_matrix(P, "P")
    k = check_positive_int(k, "k")
    if k >= len(P):
        raise ValueError(
            f"k must be smaller than the number of points (a point is not its own "
            f"neighbour): k={k}, P of shape {P.shape}"
        )
    sq = np.sum(P * P, axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (P @ P.T)  # |p_i - p_j|^2 for all pairs, (n, n)
    np.fill_diagonal(d2, np.inf)  # a point is not its own neighbour
    nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
    order = np.argsort(np.take_along_axis(d2, nearest, axis=1), axis=1, kind="stable")
    return np.take_along_axis(nearest, order, axis=1)


def smote(
    X: ArrayLike, y: ArrayLike, k_neighbors: int = 5, *, rng: np.random.Generator
) -> tuple[Array, NDArray[Any]]:
    """SMOTE: balance the classes with new minority samples interpolated between neighbours.

    For every class with fewer samples than the largest class (size :math:`n_{\\max}`),
    :math:`n_{\\max} - n_c` synthetic samples are made, each as follows: pick a sample
    :math:`x_i` of the class at random, pick :math:`x_{nn}` at random among its `k_neighbors`
    nearest neighbours *in the same class* (Euclidean distance), draw :math:`u \\sim U(0, 1)`
    and take the point

    .. math:: x_{\\text{new}} = x_i + u\\,(x_{nn} - x_i)

    on the segment between them. Unlike :func:`random_oversample`, the new points are not
    copies: they fill in the region the class occupies (Chawla et al., 2002).

    A class needs at least ``k_neighbors + 1`` samples (a point's neighbours are the others);
    a class with a single example has no neighbour to interpolate towards at all.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Numeric features (scale them first: distances mix all features).
    y : array_like, shape (n,)
        Class labels, at least two classes.
    k_neighbors : int, default 5
        Number of nearest neighbours to choose from, ``1 <= k_neighbors < n_c`` for every
        class that is over-sampled.
    rng : numpy.random.Generator

    Returns
    -------
    X_res : ndarray of float, shape (K * n_max, d)
    y_res : ndarray, shape (K * n_max,)
        The original samples first, in their order, then the synthetic ones, class by class.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0],
    ...               [0.0, 1.0], [0.0, 2.0]])
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> X_res, y_res = smote(X, y, k_neighbors=1, rng=np.random.default_rng(0))
    >>> np.bincount(y_res).tolist()
    [4, 4]
    >>> X_res[6:].round(3)                         # on the segment from (0, 1) to (0, 2)
    array([[0.   , 1.73 ],
           [0.   , 1.959]])
    """
    X = as_float_matrix(X, "X")
    y = np.asarray(y)
    labels, members = _classes(X, y, "smote")
    k = check_positive_int(k_neighbors, "k_neighbors")
    rng = check_rng(rng)
    n_max = max(len(idx) for idx in members)
    for label, idx in zip(labels, members, strict=True):
        if len(idx) == n_max:
            continue
        if len(idx) == 1:
            raise ValueError(
                f"smote cannot over-sample class {label.item()!r}: it has a single example, so "
                "there is no other point of its class to interpolate towards; use "
                "random_oversample (or augment_images) for such a class"
            )
        if k >= len(idx):
            raise ValueError(
                f"k_neighbors={k} must be smaller than the number of samples of every class "
                f"that is over-sampled (a point's neighbours are the other samples of its "
                f"class), but class {label.item()!r} has {len(idx)}; class sizes: "
                f"{_counts_message(labels, members)}"
            )
    new_X, new_y = [X], [y]
    for label, idx in zip(labels, members, strict=True):
        m = n_max - len(idx)
        if m == 0:
            continue
        P = X[idx]
        neighbours = nearest_neighbours(P, k)
        base = rng.integers(len(idx), size=m)
        other = neighbours[base, rng.integers(k, size=m)]
        u = rng.random((m, 1))
        new_X.append(P[base] + u * (P[other] - P[base]))
        new_y.append(np.full(m, label, dtype=y.dtype))
    return np.concatenate(new_X), np.concatenate(new_y)
