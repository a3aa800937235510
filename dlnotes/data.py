"""Data: mini-batches, toy data sets in the plane, splitting, scaling, and real digits.

- :func:`minibatches` cuts a data set into the batches of one epoch: ``batch_size = len(X)``
  is batch gradient descent (BGD), ``batch_size = 1`` stochastic gradient descent (SGD),
  anything between mini-batch gradient descent (MBGD);
- :func:`make_xor`, :func:`make_moons`, :func:`make_circles`, :func:`make_spirals` and
  :func:`make_linearly_separable` draw two-dimensional classification problems,
  each ``(n_samples, *, ..., rng) -> (X (n, 2) float64, y (n,) int64)``;
- :func:`train_test_split`, :class:`Standardizer` and :func:`one_hot` prepare data for training;
- :func:`load_digits` and :func:`digits_split` give the 8×8 handwritten digits that ship with
  scikit-learn (nothing is ever downloaded), and the one split of them every chapter uses.

Two more topics have modules of their own: :mod:`dlnotes.augment` enlarges a set of images
with shifted, rotated and noisy copies (chapter 6), and :mod:`dlnotes.resample` balances the
classes of an imbalanced data set (chapter 7). Their functions can also be imported from
here, where the handbook first uses them: ``from dlnotes.data import smote`` is
:func:`dlnotes.resample.smote`.

Everything random takes a ``numpy.random.Generator`` and is reproducible with it.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X, y = make_moons(100, noise=0.1, rng=rng)
>>> X.shape, y.shape, np.bincount(y).tolist()
((100, 2), (100,), [50, 50])
>>> [xb.shape for xb, yb in minibatches(X, y, 32, rng=rng)]
[(32, 2), (32, 2), (32, 2), (4, 2)]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import (
    as_class_indices,
    as_float_array,
    as_float_matrix,
    check_n_samples,
    check_nonnegative_real,
    check_positive_int,
    check_positive_real,
    check_real,
    check_rng,
)

# Published here too (the redundant aliases say so), where the chapters first import them.
from dlnotes.augment import add_noise as add_noise
from dlnotes.augment import augment_images as augment_images
from dlnotes.augment import rotate as rotate
from dlnotes.augment import rotate_images as rotate_images
from dlnotes.augment import shift_images as shift_images
from dlnotes.augment import translate as translate
from dlnotes.resample import random_oversample as random_oversample
from dlnotes.resample import random_undersample as random_undersample
from dlnotes.resample import smote as smote

__all__ = [  # the names defined here; those imported above belong to their own modules
    "Standardizer",
    "digits_split",
    "load_digits",
    "make_circles",
    "make_linearly_separable",
    "make_moons",
    "make_spirals",
    "make_xor",
    "minibatches",
    "one_hot",
    "train_test_split",
]

Array = NDArray[np.floating]
Labels = NDArray[np.int64]


# --------------------------------------------------------------------------------------------
# Mini-batches
# --------------------------------------------------------------------------------------------


def minibatches(
    X: ArrayLike,
    y: ArrayLike,
    batch_size: int,
    *,
    shuffle: bool = True,
    rng: np.random.Generator | None = None,
) -> Iterator[tuple[NDArray[Any], NDArray[Any]]]:
    """The mini-batches of one epoch: every sample exactly once.

    Parameters
    ----------
    X : array_like, shape (n, ...)
        Inputs; the first dimension indexes the samples.
    y : array_like, shape (n, ...)
        Targets, cut together with `X`; their dtype is kept.
    batch_size : int
        Samples per batch, ``1 <= batch_size <= n``. ``n`` gives one batch (BGD), ``1`` gives
        ``n`` batches of one sample (SGD). When `batch_size` does not divide ``n`` the last
        batch is smaller.
    shuffle : bool, default True
        Visit the samples in a fresh random order (drawn from `rng`); otherwise in order.
    rng : numpy.random.Generator, optional
        Required when `shuffle` is true.

    Yields
    ------
    X_batch : ndarray, shape (b, ...)
    y_batch : ndarray, shape (b, ...)
        ``b = batch_size`` except for the last batch.

    Examples
    --------
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in minibatches(X, y, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> [yb.tolist() for _, yb in minibatches(X, y, 2, rng=np.random.default_rng(0))]
    [[2, 4], [3, 0], [1]]
    """
    X = as_float_array(X, "X")
    y = np.asarray(y)
    n = check_n_samples(X, y)
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(
            f"batch_size must be at most the number of samples, {n} (X of shape {X.shape}), "
            f"got {batch_size}"
        )
    if shuffle:
        if rng is None:
            raise TypeError("rng (a numpy.random.Generator) is required when shuffle=True")
        order = check_rng(rng).permutation(n)
    else:
        order = np.arange(n)
    # cut `order` at batch_size, 2 batch_size, ...; returning a generator expression (instead
    # of yielding) makes the checks above run at the call, not at the first batch
    return ((X[idx], y[idx]) for idx in np.array_split(order, range(batch_size, n, batch_size)))


# --------------------------------------------------------------------------------------------
# Toy data sets in the plane
# --------------------------------------------------------------------------------------------


def _balanced_labels(n: int, n_classes: int) -> Labels:
    """``0, 1, ..., K-1, 0, 1, ...``: class sizes differ by at most one."""
    return np.arange(n, dtype=np.int64) % n_classes


def _shuffled(X: Array, y: Labels, rng: np.random.Generator) -> tuple[Array, Labels]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_xor(
    n_samples: int, *, noise: float = 0.3, rng: np.random.Generator
) -> tuple[Array, Labels]:
    """Four Gaussian clusters at :math:`(\\pm 1, \\pm 1)`; the label is the XOR of the signs.

    Clusters :math:`(1, 1)` and :math:`(-1, -1)` are class 0, :math:`(1, -1)` and
    :math:`(-1, 1)` class 1: no straight line separates the classes. A point keeps its
    cluster's label even if the noise carries it across an axis.

    Parameters
    ----------
    n_samples : int
        Number of points; the clusters (and so the classes) differ in size by at most one.
    noise : float, default 0.3
        Standard deviation of the Gaussian around each centre.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        Labels 0 and 1, in random order.

    Examples
    --------
    >>> X, y = make_xor(8, noise=0.0, rng=np.random.default_rng(0))
    >>> bool(np.all(y == (np.sign(X[:, 0]) != np.sign(X[:, 1]))))
    True
    """
    n = check_positive_int(n_samples, "n_samples")
    noise = check_nonnegative_real(noise, "noise")
    rng = check_rng(rng)
    centres = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])  # labels 0, 1, 0, 1
    cluster = _balanced_labels(n, 4)
    X = centres[cluster] + noise * rng.standard_normal((n, 2))
    return _shuffled(X, cluster % 2, rng)


def make_moons(
    n_samples: int, *, noise: float = 0.1, rng: np.random.Generator
) -> tuple[Array, Labels]:
    """Two interleaving half circles, as in scikit-learn.

    Class 0 lies on the upper half of the unit circle, class 1 on a lower half circle of the
    same radius centred at :math:`(1, 0.5)`; Gaussian noise is added to both coordinates.

    Parameters
    ----------
    n_samples : int
        Number of points; class 1 gets the odd one out.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        Class 0 on the upper half circle, class 1 on the lower one, in random order.

    Examples
    --------
    >>> X, y = make_moons(6, noise=0.0, rng=np.random.default_rng(0))
    >>> X[y == 0].round(3).tolist()
    [[-1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    n = check_positive_int(n_samples, "n_samples")
    noise = check_nonnegative_real(noise, "noise")
    rng = check_rng(rng)
    n_upper = n // 2
    t = np.concatenate([np.linspace(0.0, np.pi, n_upper), np.linspace(0.0, np.pi, n - n_upper)])
    y = (np.arange(n) >= n_upper).astype(np.int64)
    X = np.where(
        y[:, None] == 0,
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)]),
    )
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def make_circles(
    n_samples: int, *, factor: float = 0.5, noise: float = 0.05, rng: np.random.Generator
) -> tuple[Array, Labels]:
    """A circle inside a circle: class 0 on the unit circle, class 1 on radius `factor`.

    Parameters
    ----------
    n_samples : int
        Number of points; class 1 gets the odd one out.
    factor : float, default 0.5
        Radius of the inner circle, ``0 < factor < 1``.
    noise : float, default 0.05
        Standard deviation of the Gaussian noise added to both coordinates.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        Class 0 on the outer circle, class 1 on the inner one, in random order.

    Examples
    --------
    >>> X, y = make_circles(8, noise=0.0, rng=np.random.default_rng(0))
    >>> np.linalg.norm(X, axis=1)[np.argsort(y)].round(3).tolist()
    [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]
    """
    n = check_positive_int(n_samples, "n_samples")
    factor = check_real(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(f"factor must lie strictly between 0 and 1, got {factor}")
    noise = check_nonnegative_real(noise, "noise")
    rng = check_rng(rng)
    n_outer = n // 2
    t = np.concatenate(
        [
            np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False),
            np.linspace(0.0, 2 * np.pi, n - n_outer, endpoint=False),
        ]
    )
    y = (np.arange(n) >= n_outer).astype(np.int64)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def make_spirals(
    n_samples: int, *, n_classes: int = 3, noise: float = 0.05, rng: np.random.Generator
) -> tuple[Array, Labels]:
    """Interleaved spiral arms, one per class (the CS231n toy problem).

    Arm :math:`k` runs from the origin out to radius 1 while its angle turns by 4 radians,
    starting at :math:`2\\pi k / K`.

    Parameters
    ----------
    n_samples : int
        Number of points; class sizes differ by at most one.
    n_classes : int, default 3
        Number of arms :math:`K`.
    noise : float, default 0.05
        Standard deviation of the Gaussian noise added to both coordinates; it mixes the
        arms first near the centre, where they are closest.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        Labels ``0 .. n_classes - 1``.

    Examples
    --------
    >>> X, y = make_spirals(300, n_classes=3, rng=np.random.default_rng(0))
    >>> X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n = check_positive_int(n_samples, "n_samples")
    n_classes = check_positive_int(n_classes, "n_classes")
    noise = check_nonnegative_real(noise, "noise")
    rng = check_rng(rng)
    y = _balanced_labels(n, n_classes)
    radius = (np.arange(n) // n_classes + 1) / np.bincount(y)[y]  # in (0, 1] along each arm
    angle = 2 * np.pi * y / n_classes + 4.0 * radius
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def make_linearly_separable(
    n_samples: int, *, margin: float = 0.5, rng: np.random.Generator
) -> tuple[Array, Labels]:
    """Two classes on either side of a random straight line, with an empty strip between them.

    The line :math:`w^\\top x = c` has a random unit normal :math:`w` and offset
    :math:`|c| \\le 0.5`. Every point lies at distance :math:`\\ge` ``margin / 2`` from it
    (class 1 where :math:`w^\\top x > c`), so the strip of width `margin` around the line
    is empty and the perceptron is guaranteed to converge.

    Parameters
    ----------
    n_samples : int
        Number of points; class 1 gets the odd one out.
    margin : float, default 0.5
        Width of the empty strip, > 0.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
    y : ndarray of int64, shape (n_samples,)
        Class 1 on the side of the line its normal points to, in random order.

    Examples
    --------
    >>> X, y = make_linearly_separable(200, margin=0.5, rng=np.random.default_rng(0))
    >>> X.shape, np.bincount(y).tolist()
    ((200, 2), [100, 100])
    """
    n = check_positive_int(n_samples, "n_samples")
    margin = check_positive_real(margin, "margin")
    rng = check_rng(rng)
    angle = rng.uniform(0.0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    along = np.array([-normal[1], normal[0]])
    offset = rng.uniform(-0.5, 0.5)
    y = _balanced_labels(n, 2)
    distance = (2 * y - 1) * (margin / 2 + rng.uniform(0.0, 1.5, n))  # signed, |d| >= margin/2
    X = (offset + distance)[:, None] * normal + rng.uniform(-2.0, 2.0, (n, 1)) * along
    return _shuffled(X, y, rng)


# --------------------------------------------------------------------------------------------
# Preparing data
# --------------------------------------------------------------------------------------------


def train_test_split(
    X: ArrayLike,
    y: ArrayLike,
    *,
    test_size: float = 0.25,
    rng: np.random.Generator,
    stratify: bool = True,
) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Split a data set at random into a training set and a test set.

    Parameters
    ----------
    X : array_like, shape (n, ...)
    y : array_like, shape (n,)
        Class labels when `stratify` is true (any values; they are only compared).
    test_size : float, default 0.25
        Fraction of the samples that go to the test set, ``0 < test_size < 1``.
    rng : numpy.random.Generator
    stratify : bool, default True
        Keep the class proportions in both sets: class ``c`` with ``n_c`` samples gives the test
        set :math:`\\lfloor t\\,n_c \\rfloor` or :math:`\\lceil t\\,n_c \\rceil` of them
        (:math:`t` = `test_size`; the largest remainders round up). Otherwise the test samples
        are drawn from all samples alike. Either way the test set has :math:`t\\,n` samples,
        rounded half up.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        Samples of each set in random order; dtypes are kept.

    Examples
    --------
    >>> X, y = np.arange(40.0).reshape(20, 2), np.repeat([0, 1], [12, 8])
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, rng=np.random.default_rng(0))
    >>> X_train.shape, X_test.shape, np.bincount(y_test).tolist()
    ((15, 2), (5, 2), [3, 2])
    """
    X, y = np.asarray(X), np.asarray(y)
    n = check_n_samples(X, y)
    test_size = check_real(test_size, "test_size")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must lie strictly between 0 and 1, got {test_size}")
    rng = check_rng(rng)
    n_test = int(np.floor(test_size * n + 0.5))
    if not 0 < n_test < n:
        raise ValueError(
            f"test_size={test_size} on {n} samples (X of shape {X.shape}) leaves the "
            f"{'test' if n_test == 0 else 'training'} set empty"
        )
    if not stratify:
        order = rng.permutation(n)
        return X[order[n_test:]], X[order[:n_test]], y[order[n_test:]], y[order[:n_test]]
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels to stratify, got {y.shape}")
    _, label = np.unique(y, return_inverse=True)
    quota = test_size * np.bincount(label)  # ideal number of test samples per class
    k = np.floor(quota).astype(int)
    k[np.argsort(k - quota, kind="stable")[: n_test - k.sum()]] += 1  # largest remainders
    test, train = [], []
    for c, k_c in enumerate(k):
        members = rng.permutation(np.flatnonzero(label == c))
        test.append(members[:k_c])
        train.append(members[k_c:])
    test_idx, train_idx = (
        rng.permutation(np.concatenate(test)),
        rng.permutation(np.concatenate(train)),
    )
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


class Standardizer:
    """Scale every feature to mean 0 and standard deviation 1: :math:`(x - \\mu) / \\sigma`.

    Fit on the training set only, then transform training and test sets with the same
    :math:`\\mu, \\sigma`. A constant feature gets :math:`\\sigma = 1` (it becomes 0).

    Attributes
    ----------
    mean_ : ndarray, shape (n_features,)
    scale_ : ndarray, shape (n_features,)
        The standard deviation of each feature (population, ``ddof=0``), or 1.

    Examples
    --------
    >>> X = np.array([[1.0, 5.0], [3.0, 5.0]])
    >>> s = Standardizer().fit(X)
    >>> s.mean_, s.scale_
    (array([2., 5.]), array([1., 1.]))
    >>> s.transform(X)
    array([[-1.,  0.],
           [ 1.,  0.]])
    """

    def __init__(self) -> None:
        self.mean_: Array | None = None
        self.scale_: Array | None = None

    def __repr__(self) -> str:
        return "Standardizer()"

    def fit(self, X: ArrayLike) -> Standardizer:
        """Learn the mean and standard deviation of every column of `X`, shape (n, d)."""
        X = as_float_matrix(X, "X")
        if len(X) == 0:
            raise ValueError(f"X must hold at least one sample, got shape {X.shape}")
        self.mean_ = X.mean(axis=0)
        constant = X.max(axis=0) == X.min(axis=0)  # exact: std may be a rounding error > 0
        self.scale_ = np.where(constant, 1.0, X.std(axis=0))
        return self

    def _fitted(self, X: ArrayLike) -> tuple[Array, Array, Array]:
        """`X` checked against the fit, and the mean and scale learnt by it."""
        if self.mean_ is None or self.scale_ is None:
            raise RuntimeError("Standardizer must be fitted before transform: call fit(X) first")
        X = as_float_matrix(X, "X")
        if X.shape[1] != len(self.mean_):
            raise ValueError(
                f"X must have {len(self.mean_)} features, as in fit, got shape {X.shape}"
            )
        return X, self.mean_, self.scale_

    def transform(self, X: ArrayLike) -> Array:
        """:math:`(X - \\mu) / \\sigma`, shape (n, d)."""
        X, mean, scale = self._fitted(X)
        return (X - mean) / scale

    def fit_transform(self, X: ArrayLike) -> Array:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: ArrayLike) -> Array:
        """Undo :meth:`transform`: :math:`Z\\sigma + \\mu`, shape (n, d)."""
        Z, mean, scale = self._fitted(Z)
        return Z * scale + mean


def one_hot(y: ArrayLike, n_classes: int) -> Array:
    """One-hot rows: row ``i`` is 1 in column ``y[i]`` and 0 elsewhere.

    Parameters
    ----------
    y : array_like of int, shape (N,)
        Labels in ``[0, n_classes)``.
    n_classes : int

    Returns
    -------
    ndarray of float64, shape (N, n_classes)

    Examples
    --------
    >>> one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    n_classes = check_positive_int(n_classes, "n_classes")
    labels = as_class_indices(y, n_classes, "y")
    if labels.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels, got shape {labels.shape}")
    return np.eye(n_classes)[labels]


# --------------------------------------------------------------------------------------------
# Handwritten digits
# --------------------------------------------------------------------------------------------


def load_digits() -> tuple[Array, Labels]:
    """The 1797 handwritten digits (8×8 pixels) bundled with scikit-learn.

    Nothing is downloaded: the data ship inside scikit-learn's wheel, which this function
    needs (``pip install 'dlnotes[data]'``).

    Returns
    -------
    X : ndarray of float64, shape (1797, 64)
        Pixel intensities 0..16, row by row (``X[i].reshape(8, 8)`` is the image).
    y : ndarray of int64, shape (1797,)
        Digits 0..9.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.min()), float(X.max())
    ((1797, 64), (1797,), 0.0, 16.0)
    """
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError:
        raise ImportError("load_digits needs scikit-learn: pip install 'dlnotes[data]'") from None
    X, y = sklearn_load_digits(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def digits_split(*, test_size: float = 0.25, seed: int = 0) -> tuple[Array, Array, Labels, Labels]:
    """The split of the digits that every chapter uses: stratified, pixels scaled to [0, 1].

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of each digit held out for testing.
    seed : int, default 0
        Seed of the generator that draws the split; keep the default to compare chapters.

    Returns
    -------
    X_train : ndarray of float64, shape (1348, 64)
    X_test : ndarray of float64, shape (449, 64)
    y_train, y_test : ndarray of int64, shapes (1348,) and (449,)
        Shapes for the defaults.

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = digits_split()
    >>> X_train.shape, X_test.shape, float(X_train.max())
    ((1348, 64), (449, 64), 1.0)
    """
    X, y = load_digits()
    return train_test_split(X / 16.0, y, test_size=test_size, rng=np.random.default_rng(seed))
