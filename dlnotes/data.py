"""Data: mini-batches, toy data sets in the plane, splitting, scaling, and real digits.

- :func:`minibatches` cuts a data set into the batches of one epoch: ``batch_size = len(X)``
  is batch gradient descent (BGD), ``batch_size = 1`` stochastic gradient descent (SGD),
  anything between mini-batch gradient descent (MBGD);
- :func:`make_xor`, :func:`make_moons`, :func:`make_circles`, :func:`make_spirals` and
  :func:`make_linearly_separable` draw two-dimensional classification problems,
  each ``(n_samples, *, ..., rng) -> (X (n, 2) float64, y (n,) int64)``;
- :func:`train_test_split`, :class:`Standardizer` and :func:`one_hot` prepare data for training;
- :func:`load_digits` and :func:`digits_split` give the 8×8 handwritten digits that ship with
  scikit-learn (nothing is ever downloaded), and the one split of them every chapter uses;
- :func:`augment_images` enlarges a set of images (N, H, W) or (N, C, H, W) with shifted
  (:func:`shift_images`, :func:`translate`), rotated (:func:`rotate_images`, :func:`rotate`)
  and noisy (:func:`add_noise`) copies (chapter 6);
- :func:`random_undersample`, :func:`random_oversample` and :func:`smote` balance the classes
  of an imbalanced data set (chapter 7).

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

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import (
    as_class_indices,
    as_float_array,
    as_float_matrix,
    check_n_samples,
    check_nonnegative_int,
    check_nonnegative_real,
    check_positive_int,
    check_positive_real,
    check_real,
    check_rng,
)

__all__ = [
    "Standardizer",
    "add_noise",
    "augment_images",
    "digits_split",
    "load_digits",
    "make_circles",
    "make_linearly_separable",
    "make_moons",
    "make_spirals",
    "make_xor",
    "minibatches",
    "one_hot",
    "random_oversample",
    "random_undersample",
    "rotate",
    "rotate_images",
    "shift_images",
    "smote",
    "train_test_split",
    "translate",
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
) -> Iterator[tuple[NDArray, NDArray]]:
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
        Standard deviation of the Gaussian noise added to both coordinates.
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
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
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

    def _check(self, X: ArrayLike) -> Array:
        if self.mean_ is None:
            raise RuntimeError("Standardizer must be fitted before transform: call fit(X) first")
        X = as_float_matrix(X, "X")
        if X.shape[1] != len(self.mean_):
            raise ValueError(
                f"X must have {len(self.mean_)} features, as in fit, got shape {X.shape}"
            )
        return X

    def transform(self, X: ArrayLike) -> Array:
        """:math:`(X - \\mu) / \\sigma`, shape (n, d)."""
        return (self._check(X) - self.mean_) / self.scale_

    def fit_transform(self, X: ArrayLike) -> Array:
        """``fit(X).transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, Z: ArrayLike) -> Array:
        """Undo :meth:`transform`: :math:`Z\\sigma + \\mu`, shape (n, d)."""
        return self._check(Z) * self.scale_ + self.mean_


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


# --------------------------------------------------------------------------------------------
# Data augmentation for images
# --------------------------------------------------------------------------------------------


def _as_images(x: ArrayLike, name: str = "x") -> Array:
    """`x` as a float array of images (N, H, W) or (N, C, H, W), or raise naming the shape."""
    x = as_float_array(x, name)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{name} must hold images of shape (N, H, W) or (N, C, H, W), got shape {x.shape}"
        )
    return x


def _per_image(value: ArrayLike, n: int, name: str, *, integer: bool = False) -> NDArray:
    """A scalar or one value per image, as an array of shape (n,)."""
    arr = np.asarray(value)
    if integer and arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    if not integer:
        arr = as_float_array(arr, name)
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.shape != (n,):
        raise ValueError(
            f"{name} must be a scalar or have one value per image, shape ({n},), got {arr.shape}"
        )
    return arr


def translate(x: ArrayLike, rows: ArrayLike, cols: ArrayLike) -> Array:
    """Shift every image by a whole number of pixels; pixels shifted in are 0.

    Output pixel :math:`(i, j)` of image :math:`n` is input pixel
    :math:`(i - r_n, j - c_n)`, or 0 where that lies outside the image: positive `rows`
    move the content down, positive `cols` move it right.

    Parameters
    ----------
    x : array_like, shape (N, H, W) or (N, C, H, W)
        Images (NCHW); all channels of an image move together.
    rows, cols : int or array_like of int, shape (N,)
        Shift of each image (one value for all, or one per image).

    Returns
    -------
    ndarray of float, the shape of `x`

    See Also
    --------
    shift_images : random shifts.

    Examples
    --------
    >>> x = np.arange(1.0, 10.0).reshape(1, 3, 3)
    >>> translate(x, 1, -1)[0]                     # one down, one left
    array([[0., 0., 0.],
           [2., 3., 0.],
           [5., 6., 0.]])
    """
    x = _as_images(x)
    images = x if x.ndim == 4 else x[:, None]
    n, _, h, w = images.shape
    src_r = np.arange(h) - _per_image(rows, n, "rows", integer=True)[:, None]  # (N, H)
    src_c = np.arange(w) - _per_image(cols, n, "cols", integer=True)[:, None]  # (N, W)
    inside_r, inside_c = (src_r >= 0) & (src_r < h), (src_c >= 0) & (src_c < w)
    out = np.take_along_axis(images, np.clip(src_r, 0, h - 1)[:, None, :, None], axis=2)
    out = np.take_along_axis(out, np.clip(src_c, 0, w - 1)[:, None, None, :], axis=3)
    out = np.where(inside_r[:, None, :, None] & inside_c[:, None, None, :], out, 0.0)
    return out.reshape(x.shape)


def rotate(x: ArrayLike, degrees: ArrayLike) -> Array:
    """Rotate every image about its centre by bilinear interpolation; outside pixels are 0.

    Positive angles turn the picture counter-clockwise as displayed (row 0 at the top),
    like ``numpy.rot90``. Pixel :math:`(i, j)` is at :math:`(i - c_i, j - c_j)` from the centre
    :math:`c = ((H-1)/2, (W-1)/2)`; output pixel :math:`(i, j)` takes the value of the input at
    the point that the rotation carries onto it,

    .. math:: \\begin{pmatrix} u \\\\ v \\end{pmatrix} = c +
              \\begin{pmatrix} \\cos\\theta & \\sin\\theta \\\\
                              -\\sin\\theta & \\cos\\theta \\end{pmatrix}
              \\begin{pmatrix} i - c_i \\\\ j - c_j \\end{pmatrix},

    a point between pixels in general: its value is the bilinear interpolation of the four
    surrounding pixels, :math:`(1-a)(1-b)\\,x_{r,s} + (1-a)\\,b\\,x_{r,s+1} + a(1-b)\\,x_{r+1,s}
    + a\\,b\\,x_{r+1,s+1}` with :math:`r = \\lfloor u\\rfloor, a = u - r, s = \\lfloor v\\rfloor,
    b = v - s`; pixels outside the image count as 0.

    Parameters
    ----------
    x : array_like, shape (N, H, W) or (N, C, H, W)
        Images (NCHW); all channels of an image turn together.
    degrees : float or array_like, shape (N,)
        Angle :math:`\\theta` in degrees, one for all images or one per image.

    Returns
    -------
    ndarray of float, the shape of `x`
        A rotation by 0 returns the images unchanged; interpolation blurs other angles a
        little, and the corners turned out of the frame are lost.

    See Also
    --------
    rotate_images : random small rotations.

    Examples
    --------
    >>> x = np.arange(1.0, 10.0).reshape(1, 3, 3)
    >>> rotate(x, 90)[0].round(12)                 # a quarter turn is exact
    array([[3., 6., 9.],
           [2., 5., 8.],
           [1., 4., 7.]])
    >>> rotate(x, 45)[0].round(2)                  # the corners take in some zero fill
    array([[1.17, 3.59, 3.51],
           [2.17, 5.  , 7.83],
           [2.34, 6.41, 4.69]])
    """
    x = _as_images(x)
    images = x if x.ndim == 4 else x[:, None]
    n, _, h, w = images.shape
    theta = np.deg2rad(_per_image(degrees, n, "degrees"))[:, None, None]  # (N, 1, 1)
    ci, cj = (h - 1) / 2, (w - 1) / 2
    di, dj = np.meshgrid(np.arange(h) - ci, np.arange(w) - cj, indexing="ij")  # (H, W)
    u = ci + np.cos(theta) * di + np.sin(theta) * dj  # source row, (N, H, W)
    v = cj - np.sin(theta) * di + np.cos(theta) * dj  # source column
    r, s = np.floor(u).astype(np.intp), np.floor(v).astype(np.intp)
    a, b = u - r, v - s
    pixels = images.transpose(0, 2, 3, 1)  # (N, H, W, C): gather whole pixels
    image = np.arange(n)[:, None, None]
    out = np.zeros(pixels.shape, dtype=pixels.dtype)
    for dr, ds, weight in ((0, 0, (1 - a) * (1 - b)), (0, 1, (1 - a) * b),
                           (1, 0, a * (1 - b)), (1, 1, a * b)):  # fmt: skip
        rr, ss = r + dr, s + ds
        inside = (rr >= 0) & (rr < h) & (ss >= 0) & (ss < w)
        value = pixels[image, np.clip(rr, 0, h - 1), np.clip(ss, 0, w - 1)]
        out += np.where(inside, weight, 0.0)[..., None] * value
    return out.transpose(0, 3, 1, 2).reshape(x.shape)


def shift_images(x: ArrayLike, max_shift: int, *, rng: np.random.Generator) -> Array:
    """Shift each image by a random whole number of pixels in each direction; zero fill.

    The row and column shifts of every image are drawn independently and uniformly from
    ``-max_shift, ..., max_shift`` (see :func:`translate`). A digit moved by a pixel is still
    the same digit: the label does not change.

    Parameters
    ----------
    x : array_like, shape (N, H, W) or (N, C, H, W)
    max_shift : int
        Largest shift, >= 0; 0 returns the images unchanged.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float, the shape of `x`

    Examples
    --------
    >>> x = np.zeros((2, 5, 5))
    >>> x[:, 2, 2] = 1.0                           # a dot in the centre
    >>> out = shift_images(x, 2, rng=np.random.default_rng(0))
    >>> [np.argwhere(image).tolist() for image in out]   # where the dots went
    [[[4, 2]], [[3, 1]]]
    """
    x = _as_images(x)
    max_shift = check_nonnegative_int(max_shift, "max_shift")
    rng = check_rng(rng)
    rows, cols = rng.integers(-max_shift, max_shift, size=(2, len(x)), endpoint=True)
    return translate(x, rows, cols)


def rotate_images(x: ArrayLike, max_degrees: float, *, rng: np.random.Generator) -> Array:
    """Rotate each image by a random angle drawn uniformly from ``[-max_degrees, max_degrees]``.

    Small rotations (about 10°) keep a digit recognisable; see :func:`rotate` for the
    bilinear interpolation and the zero fill.

    Parameters
    ----------
    x : array_like, shape (N, H, W) or (N, C, H, W)
    max_degrees : float
        Largest angle in degrees, >= 0; 0 returns the images unchanged.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float, the shape of `x`

    Examples
    --------
    >>> x = np.zeros((1, 5, 5))
    >>> x[0, 2, :] = 1.0                           # a horizontal bar
    >>> rotate_images(x, 10, rng=np.random.default_rng(0))[0].round(2)
    array([[0.  , 0.  , 0.  , 0.  , 0.  ],
           [0.  , 0.  , 0.  , 0.05, 0.09],
           [0.9 , 0.95, 1.  , 0.95, 0.9 ],
           [0.09, 0.05, 0.  , 0.  , 0.  ],
           [0.  , 0.  , 0.  , 0.  , 0.  ]])
    """
    x = _as_images(x)
    max_degrees = check_nonnegative_real(max_degrees, "max_degrees")
    rng = check_rng(rng)
    return rotate(x, rng.uniform(-max_degrees, max_degrees, size=len(x)))


def add_noise(x: ArrayLike, std: float, *, rng: np.random.Generator) -> Array:
    """Add independent Gaussian noise :math:`\\mathcal{N}(0, \\text{std}^2)` to every element.

    Parameters
    ----------
    x : array_like
        Any shape (images or feature vectors).
    std : float
        Standard deviation, >= 0; 0 returns a copy of `x`.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float, the shape of `x`

    Examples
    --------
    >>> noisy = add_noise(np.zeros((1000, 8, 8)), 0.1, rng=np.random.default_rng(0))
    >>> noisy.shape, round(float(noisy.std()), 2)
    ((1000, 8, 8), 0.1)
    """
    x = as_float_array(x, "x")
    std = check_nonnegative_real(std, "std")
    rng = check_rng(rng)
    return x + std * rng.standard_normal(x.shape)


def augment_images(
    x: ArrayLike,
    y: ArrayLike,
    copies: int,
    *,
    rng: np.random.Generator,
    max_shift: int = 1,
    max_degrees: float = 10.0,
    noise_std: float = 0.0,
) -> tuple[Array, NDArray]:
    """Enlarge an image data set with randomly transformed copies of it.

    Each copy of each image is rotated (:func:`rotate_images`), then shifted
    (:func:`shift_images`), then made noisy (:func:`add_noise`), each with fresh random
    numbers; its label is the original's. More varied training data teach the model that
    these changes do not matter, which reduces overfitting when the data set is small.

    Parameters
    ----------
    x : array_like, shape (N, H, W) or (N, C, H, W)
        Images (digits stored as rows of 64 pixels: ``X.reshape(-1, 8, 8)``).
    y : array_like, shape (N, ...)
        Labels, repeated for the copies.
    copies : int
        Number of transformed copies of each image, >= 0.
    rng : numpy.random.Generator
    max_shift : int, default 1
        Largest shift in pixels.
    max_degrees : float, default 10.0
        Largest rotation in degrees.
    noise_std : float, default 0.0
        Standard deviation of the added Gaussian noise.

    Returns
    -------
    x_aug : ndarray of float, shape (N * (1 + copies), ...)
        The originals first, then the first copy of every image, then the second, ...
    y_aug : ndarray, shape (N * (1 + copies), ...)
        ``y`` repeated ``1 + copies`` times, in the same order.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X_aug, y_aug = augment_images(X[:100].reshape(-1, 8, 8), y[:100], 3,
    ...                               rng=np.random.default_rng(0))
    >>> X_aug.shape, y_aug.shape
    ((400, 8, 8), (400,))
    >>> bool(np.array_equal(X_aug[:100].reshape(100, 64), X[:100]))   # the originals first
    True
    >>> bool(np.all(y_aug[300:] == y[:100]))                          # labels repeated
    True
    """
    x = _as_images(x)
    y = np.asarray(y)
    check_n_samples(x, y, "x", "y")
    copies = check_nonnegative_int(copies, "copies")
    max_shift = check_nonnegative_int(max_shift, "max_shift")
    max_degrees = check_nonnegative_real(max_degrees, "max_degrees")
    noise_std = check_nonnegative_real(noise_std, "noise_std")
    rng = check_rng(rng)
    new = []
    for _ in range(copies):
        copy = shift_images(rotate_images(x, max_degrees, rng=rng), max_shift, rng=rng)
        new.append(add_noise(copy, noise_std, rng=rng) if noise_std else copy)
    return np.concatenate([x, *new]), np.concatenate([y] * (copies + 1))


# --------------------------------------------------------------------------------------------
# Imbalanced data: resampling
# --------------------------------------------------------------------------------------------


def _classes(X: NDArray, y: NDArray, sampler: str) -> tuple[NDArray, list[NDArray]]:
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


def _counts_message(labels: NDArray, members: list[NDArray]) -> str:
    return ", ".join(
        f"{label.item()!r}: {len(idx)}" for label, idx in zip(labels, members, strict=True)
    )


def random_undersample(
    X: ArrayLike, y: ArrayLike, *, rng: np.random.Generator
) -> tuple[NDArray, NDArray]:
    """Balance the classes by discarding samples: keep as many of each class as the smallest has.

    From every class, :math:`n_{\\min}` samples (the size of the smallest class) are kept,
    drawn at random without replacement. Nothing is invented, but information is thrown
    away: with a very rare class little data is left, and when a class has a single
    example, every class shrinks to one sample — under-sampling is then useless, and
    over-sampling (:func:`random_oversample`, :func:`augment_images`) is the way out.

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
) -> tuple[NDArray, NDArray]:
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


def _nearest_neighbours(P: Array, k: int) -> NDArray[np.intp]:
    """Indices (n, k) of the `k` nearest other rows of `P` by Euclidean distance, nearest first."""
    sq = np.sum(P * P, axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (P @ P.T)  # |p_i - p_j|^2 for all pairs, (n, n)
    np.fill_diagonal(d2, np.inf)  # a point is not its own neighbour
    nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
    order = np.argsort(np.take_along_axis(d2, nearest, axis=1), axis=1, kind="stable")
    return np.take_along_axis(nearest, order, axis=1)


def smote(
    X: ArrayLike, y: ArrayLike, k_neighbors: int = 5, *, rng: np.random.Generator
) -> tuple[Array, NDArray]:
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
        neighbours = _nearest_neighbours(P, k)
        base = rng.integers(len(idx), size=m)
        other = neighbours[base, rng.integers(k, size=m)]
        u = rng.random((m, 1))
        new_X.append(P[base] + u * (P[other] - P[base]))
        new_y.append(np.full(m, label, dtype=y.dtype))
    return np.concatenate(new_X), np.concatenate(new_y)
