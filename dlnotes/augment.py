"""Image augmentation: shifted, rotated and noisy copies of a set of images (chapter 6).

- :func:`translate` and :func:`rotate` move every image by a given number of pixels or turn
  it by a given angle (zero fill), :func:`shift_images` and :func:`rotate_images` do so by
  random amounts, and :func:`add_noise` adds Gaussian noise;
- :func:`augment_images` enlarges a data set with randomly transformed copies of its images,
  each keeping its label.

Images are (N, H, W) or (N, C, H, W); all channels of an image move together. Everything
random takes a ``numpy.random.Generator`` and is reproducible with it. These names are also
importable from :mod:`dlnotes.data`, where the handbook first uses them.

Examples
--------
>>> import numpy as np
>>> x = np.zeros((1, 3, 3))
>>> x[0, 1, 1] = 1.0                               # a dot in the centre
>>> translate(x, 1, 1)[0]                          # one down, one right
array([[0., 0., 0.],
       [0., 0., 0.],
       [0., 0., 1.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import (
    as_float_array,
    check_n_samples,
    check_nonnegative_int,
    check_nonnegative_real,
    check_rng,
)

__all__ = ["add_noise", "augment_images", "rotate", "rotate_images", "shift_images", "translate"]

Array = NDArray[np.floating]


def _as_images(x: ArrayLike, name: str = "x") -> Array:
    """`x` as a float array of images (N, H, W) or (N, C, H, W), or raise naming the shape."""
    x = as_float_array(x, name)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"{name} must hold images of shape (N, H, W) or (N, C, H, W), got shape {x.shape}"
        )
    return x


def _channels_first(x: Array) -> tuple[Array, int, int, int]:
    """Images (N, H, W) as (N, 1, H, W), a view, and (N, C, H, W) as they are; and N, H, W."""
    images = x if x.ndim == 4 else x[:, None]
    n, _, h, w = images.shape
    return images, n, h, w


def _per_image(value: ArrayLike, n: int, name: str, *, integer: bool = False) -> NDArray[Any]:
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
        The images moved, each by its own shift.

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
    images, n, h, w = _channels_first(x)
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
    images, n, h, w = _channels_first(x)
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
        Images; the channels of an image move together.
    max_shift : int
        Largest shift, >= 0; 0 returns the images unchanged.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of float, the shape of `x`
        Each image moved by its own random shift, zeros shifted in.

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
        Each image turned by its own random angle.

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
        `x` plus the noise.

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
) -> tuple[Array, NDArray[Any]]:
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
    >>> from dlnotes.data import load_digits
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
