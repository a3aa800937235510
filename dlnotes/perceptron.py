"""Rosenblatt's perceptron, trained with the classic error-correction rule (chapter 2).

The bias is folded into the weights with the *augmented* input
:math:`\\tilde x = (x_1, \\dots, x_d, 1)`, so that :math:`w^\\top x + b = \\tilde w^\\top \\tilde x`
with :math:`\\tilde w = (w_1, \\dots, w_d, b)`. Starting from :math:`\\tilde w = 0`, each
sample in turn is classified as :math:`\\hat y = 1` if :math:`\\tilde w^\\top \\tilde x > 0`
else 0, and a mistake moves the weights towards the right answer:

.. math:: \\tilde w \\leftarrow \\tilde w + \\eta\\,(y - \\hat y)\\,\\tilde x.

With labels :math:`s \\in \\{-1, +1\\}` instead of {0, 1} the same rule reads
:math:`\\tilde w \\leftarrow \\tilde w + \\eta\\, s\\, \\tilde x` on a misclassified sample
(:math:`s\\, \\tilde w^\\top \\tilde x \\le 0`); :func:`sign_update` is one such step.

On linearly separable data this stops after finitely many mistakes (Novikoff: at most
:math:`(R/\\gamma)^2`, with :math:`R = \\max \\lVert\\tilde x\\rVert` and :math:`\\gamma` the
margin of a separating unit vector :math:`\\tilde w^*`); on XOR it never stops.

Examples
--------
>>> import numpy as np
>>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
>>> clf = Perceptron().fit(X, np.array([0, 0, 0, 1]))          # AND
>>> clf.converged_, clf.predict(X).tolist()
(True, [0, 0, 0, 1])
>>> clf = Perceptron(max_epochs=100).fit(X, np.array([0, 1, 1, 0]))   # XOR
>>> clf.converged_, min(clf.errors_)
(False, 2)
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

from dlnotes._validation import (
    as_class_indices,
    as_float_array,
    as_float_matrix,
    check_n_samples,
    check_positive_int,
    check_positive_real,
)

__all__ = ["Perceptron", "augment", "sign_update"]

Array = NDArray[np.floating]


def augment(X: ArrayLike) -> Array:
    """Append a constant 1 to every sample: the augmented matrix :math:`[X, \\mathbf 1]`.

    Parameters
    ----------
    X : array_like, shape (n, d) or (d,)

    Returns
    -------
    ndarray, shape (n, d + 1) or (d + 1,)

    Examples
    --------
    >>> augment(np.array([[2.0, 3.0], [4.0, 5.0]]))
    array([[2., 3., 1.],
           [4., 5., 1.]])
    """
    X = as_float_array(X, "X")
    if X.ndim not in (1, 2):
        raise ValueError(f"X must have shape (n, d) or (d,), got {X.shape}")
    return np.concatenate([X, np.ones((*X.shape[:-1], 1), dtype=X.dtype)], axis=-1)


def sign_update(weights: ArrayLike, x: ArrayLike, y: int, lr: float = 1.0) -> Array:
    """One step of the perceptron rule in sign form, labels :math:`y \\in \\{-1, +1\\}`.

    The sample :math:`x` is augmented to :math:`\\tilde x = (x, 1)` and predicted as
    :math:`\\operatorname{sign}(\\tilde w^\\top \\tilde x)`. It is misclassified when that
    differs from :math:`y`, that is when :math:`y\\, \\tilde w^\\top \\tilde x \\le 0` (a
    sample on the boundary, score 0, has sign 0 and is misclassified whatever its label); then

    .. math:: \\tilde w \\leftarrow \\tilde w + \\eta\\, y\\, \\tilde x ,

    otherwise :math:`\\tilde w` is unchanged. With :math:`y = 2t - 1` for a label
    :math:`t \\in \\{0, 1\\}` this is the step
    :math:`\\tilde w + \\eta\\,(t - \\hat t)\\,\\tilde x` that :meth:`Perceptron.fit` takes,
    except on the boundary: there the step function predicts 0, so a sample with
    :math:`t = 0` (:math:`y = -1`) counts as right and is not updated.

    Parameters
    ----------
    weights : array_like, shape (d + 1,)
        :math:`\\tilde w = (w, b)`, the bias last.
    x : array_like, shape (d,)
        One sample, not augmented.
    y : int
        Its label, -1 or +1.
    lr : float, default 1.0
        :math:`\\eta > 0`.

    Returns
    -------
    ndarray, shape (d + 1,)
        The weights after the step (a new array; `weights` is not modified).

    Examples
    --------
    :math:`\\tilde w = (1, -1, 0)`, :math:`x = (1, 2)`, :math:`y = +1`: the score
    :math:`1 - 2 + 0 = -1` has the wrong sign, so :math:`\\tilde w + 0.5 \\cdot (1, 2, 1)`:

    >>> sign_update([1.0, -1.0, 0.0], [1.0, 2.0], +1, lr=0.5)
    array([1.5, 0. , 0.5])

    A sample on the right side changes nothing:

    >>> sign_update([1.0, -1.0, 0.0], [1.0, 2.0], -1, lr=0.5)
    array([ 1., -1.,  0.])
    """
    w = as_float_array(weights, "weights")
    x = as_float_array(x, "x")
    if w.ndim != 1 or x.ndim != 1 or len(w) != len(x) + 1:
        raise ValueError(
            f"weights must have shape (d + 1,) for a sample x of shape (d,) (the bias last), "
            f"got weights of shape {w.shape} and x of shape {x.shape}"
        )
    if isinstance(y, bool | np.bool_) or not isinstance(y, numbers.Integral):
        raise TypeError(f"y must be the integer -1 or +1, got {y!r}")
    if y not in (-1, 1):
        raise ValueError(f"y must be -1 or +1 (the sign form of the labels), got {y}")
    eta = check_positive_real(lr, "lr")
    x_aug = augment(x)
    if y * (w @ x_aug) <= 0:  # wrong side, or on the boundary
        return w + eta * y * x_aug
    return w.copy()


class Perceptron:
    """A single threshold unit trained by the perceptron rule on the augmented matrix.

    Parameters
    ----------
    lr : float, default 1.0
        Step :math:`\\eta > 0`. With zero initial weights it only scales :math:`\\tilde w`, so
        the mistakes and predictions do not depend on it.
    max_epochs : int, default 1000
        Passes over the data before giving up on data that are not linearly separable.

    Attributes
    ----------
    weights_ : ndarray, shape (d + 1,)
        :math:`\\tilde w = (w, b)`, the bias last.
    coef_ : ndarray, shape (d,)
        :math:`w`.
    intercept_ : float
        :math:`b`.
    converged_ : bool
        Whether an epoch passed without a mistake (then every training point is classified
        correctly).
    n_epochs_ : int
        Epochs run, including that last error-free one.
    errors_ : list of int
        Mistakes (updates) in each epoch.
    weights_history_ : ndarray, shape (``n_epochs_``, d + 1)
        :math:`\\tilde w` after each epoch.

    Examples
    --------
    >>> X = np.array([[2.0, 1.0], [1.0, 3.0], [-1.0, -1.0], [-2.0, 0.5]])
    >>> y = np.array([1, 1, 0, 0])
    >>> clf = Perceptron().fit(X, y)
    >>> clf.weights_, clf.errors_
    (array([2., 1., 1.]), [1, 0])
    >>> clf.decision_function(X), clf.predict(X)
    (array([ 6. ,  6. , -2. , -2.5]), array([1, 1, 0, 0]))
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 1000) -> None:
        self.lr = check_positive_real(lr, "lr")
        self.max_epochs = check_positive_int(max_epochs, "max_epochs")
        self.weights_: Array | None = None

    def __repr__(self) -> str:
        return f"Perceptron(lr={self.lr}, max_epochs={self.max_epochs})"

    def fit(self, X: ArrayLike, y: ArrayLike) -> Perceptron:
        """Run the perceptron rule from zero weights until an epoch has no mistake.

        Parameters
        ----------
        X : array_like, shape (n, d)
        y : array_like of int, shape (n,)
            Labels 0 and 1.

        Returns
        -------
        self
        """
        X = as_float_matrix(X, "X")
        labels = as_class_indices(y, 2, "y")
        check_n_samples(X, labels)
        if labels.ndim != 1:
            raise ValueError(f"y must have shape (n,) = ({len(X)},), got {labels.shape}")
        X_aug = augment(X)
        w = np.zeros(X_aug.shape[1])
        errors, history = [], []
        for _ in range(self.max_epochs):
            mistakes = 0
            for x, target in zip(X_aug, labels, strict=True):  # in order, one sample at a time
                error = target - (1 if x @ w > 0 else 0)  # y - y_hat: -1, 0 or 1
                if error:
                    w += self.lr * error * x
                    mistakes += 1
            errors.append(mistakes)
            history.append(w.copy())
            if mistakes == 0:
                break
        self.weights_ = w
        self.errors_ = errors
        self.weights_history_ = np.array(history)
        self.n_epochs_ = len(errors)
        self.converged_ = errors[-1] == 0
        return self

    @property
    def coef_(self) -> Array:
        return self._fitted()[:-1]

    @property
    def intercept_(self) -> float:
        return float(self._fitted()[-1])

    def _fitted(self) -> Array:
        if self.weights_ is None:
            raise RuntimeError("Perceptron must be fitted first: call fit(X, y)")
        return self.weights_

    def decision_function(self, X: ArrayLike) -> Array:
        """:math:`\\tilde w^\\top \\tilde x` for every row of `X` (n, d); shape (n,)."""
        w = self._fitted()
        X = as_float_matrix(X, "X")
        if X.shape[1] != len(w) - 1:
            raise ValueError(f"X must have {len(w) - 1} features, as in fit, got shape {X.shape}")
        return augment(X) @ w

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """Labels 1 where :math:`\\tilde w^\\top \\tilde x > 0`, else 0; shape (n,)."""
        return (self.decision_function(X) > 0).astype(np.int64)
