"""Tests for dlnotes.perceptron: the augmented matrix and the perceptron rule."""

import numpy as np
import pytest

from dlnotes.data import make_linearly_separable, make_xor
from dlnotes.perceptron import Perceptron, augment, sign_update

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "perceptron.Perceptron", "perceptron.augment", "perceptron.sign_update"
)

# --------------------------------------------------------------------------------------------
# augment
# --------------------------------------------------------------------------------------------


def test_augment_appends_a_column_of_ones(rng):
    X = rng.normal(size=(5, 3))
    X_aug = augment(X)
    assert X_aug.shape == (5, 4)
    np.testing.assert_array_equal(X_aug[:, :3], X)
    np.testing.assert_array_equal(X_aug[:, 3], 1.0)
    np.testing.assert_array_equal(X, augment(X)[:, :-1])  # the input is not modified


def test_augment_makes_the_bias_a_weight(rng):
    """w . x + b = (w, b) . (x, 1)."""
    X, w, b = rng.normal(size=(6, 2)), rng.normal(size=2), 0.7
    np.testing.assert_allclose(augment(X) @ np.append(w, b), X @ w + b, rtol=1e-14)


def test_augment_single_sample_and_integers():
    out = augment([3, 4])
    np.testing.assert_array_equal(out, [3.0, 4.0, 1.0])
    assert out.dtype == np.float64


def test_augment_rejects_other_shapes():
    with pytest.raises(ValueError, match=r"X.*\(2, 2, 2\)"):
        augment(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"\(\)"):
        augment(1.0)


# --------------------------------------------------------------------------------------------
# The rule, by hand
# --------------------------------------------------------------------------------------------


def test_rule_by_hand():
    """Trace of w <- w + lr (y - y_hat) x_aug, samples in order, w starting at 0.

    epoch 1: x1=(1,1,1), y=1: w.x=0, y_hat=0 -> w = 0.5*(1,1,1) = (.5,.5,.5)
             x2=(2,0,1), y=0: w.x=1.5 > 0, y_hat=1 -> w -= 0.5*(2,0,1) -> (-.5,.5,0)
             x3=(0,2,1), y=1: w.x=1 > 0 -> correct
    epoch 2: x1: w.x=0 -> y_hat=0, wrong -> w = (0,1,.5); x2: 0.5 > 0, wrong -> (-1,1,0);
             x3: 2 > 0 correct
    epoch 3: x1: 0 -> wrong -> (-.5,1.5,.5); x2: -.5 -> correct; x3: 3.5 -> correct
    epoch 4: x1: 1.5 correct; x2: -.5 correct; x3: 3.5 correct -> converged
    """
    X = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 2.0]])
    y = np.array([1, 0, 1])
    clf = Perceptron(lr=0.5).fit(X, y)
    assert clf.errors_ == [2, 2, 1, 0]
    np.testing.assert_array_equal(
        clf.weights_history_,
        [[-0.5, 0.5, 0.0], [-1.0, 1.0, 0.0], [-0.5, 1.5, 0.5], [-0.5, 1.5, 0.5]],
    )
    np.testing.assert_array_equal(clf.weights_, [-0.5, 1.5, 0.5])
    np.testing.assert_array_equal(clf.coef_, [-0.5, 1.5])
    assert clf.intercept_ == 0.5 and isinstance(clf.intercept_, float)
    assert clf.converged_ is True and clf.n_epochs_ == 4


@pytest.mark.parametrize(
    ("name", "y"), [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0])]
)
def test_learns_the_linearly_separable_gates(name, y):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    clf = Perceptron().fit(X, np.array(y))
    assert clf.converged_, name
    np.testing.assert_array_equal(clf.predict(X), y)


def test_all_one_class():
    clf = Perceptron().fit(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 0]))
    assert clf.converged_ and clf.errors_ == [0]  # w = 0 already predicts 0 everywhere
    clf = Perceptron().fit(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1, 1]))
    assert clf.converged_ and clf.predict(np.array([[1.0, 2.0], [3.0, 4.0]])).tolist() == [1, 1]


# --------------------------------------------------------------------------------------------
# The rule in sign form, labels -1 and +1
# --------------------------------------------------------------------------------------------


def test_sign_update_by_hand():
    """w = (1, -1, 0), x = (1, 2) -> x_aug = (1, 2, 1), score w . x_aug = -1."""
    w = np.array([1.0, -1.0, 0.0])
    np.testing.assert_array_equal(sign_update(w, [1.0, 2.0], 1, lr=0.5), [1.5, 0.0, 0.5])
    np.testing.assert_array_equal(sign_update(w, [1.0, 2.0], -1, lr=0.5), w)  # right side
    np.testing.assert_array_equal(w, [1.0, -1.0, 0.0])  # the input is not modified
    # a negative sample on the positive side is pushed away: w - lr * x_aug
    np.testing.assert_array_equal(sign_update(w, [2.0, 0.0], -1), [-1.0, -1.0, -1.0])


def test_sign_update_on_the_boundary_is_a_mistake():
    """Score 0: sign 0 matches neither label, so both +1 and -1 are updated."""
    w = np.array([1.0, -1.0, 0.0])
    np.testing.assert_array_equal(sign_update(w, [3.0, 3.0], 1), [4.0, 2.0, 1.0])
    np.testing.assert_array_equal(sign_update(w, [3.0, 3.0], -1), [-2.0, -4.0, -1.0])
    np.testing.assert_array_equal(sign_update(np.zeros(3), [3.0, 3.0], -1), [-3.0, -3.0, -1.0])


def test_sign_update_after_a_mistake_moves_the_score_up(rng):
    """After an update y w.x_aug grows by lr |x_aug|^2."""
    for _ in range(20):
        w, x, lr = rng.normal(size=4), rng.normal(size=3), rng.uniform(0.1, 2.0)
        y = -1 if w @ augment(x) > 0 else 1  # a label the current weights get wrong
        new = sign_update(w, x, y, lr=lr)
        gain = y * (new @ augment(x)) - y * (w @ augment(x))
        np.testing.assert_allclose(gain, lr * augment(x) @ augment(x), rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_sign_form_retraces_the_0_1_rule(seed):
    """Sweeping sign_update with s = 2y - 1 gives Perceptron.fit's weights after each epoch.

    The two forms differ only on a score of exactly 0 with y = 0; starting from weights off
    zero, on continuous data, that never happens."""
    rng = np.random.default_rng(seed)
    X, y = make_xor(30, noise=0.3, rng=rng)  # not separable: many updates of both kinds
    w0 = np.array([0.1, -0.2, 0.05])
    w, lr = w0.copy(), 0.3
    history = []
    for _ in range(5):
        for x, t in zip(X, y, strict=True):
            w = sign_update(w, x, int(2 * t - 1), lr=lr)
        history.append(w)
    v = w0.copy()  # the 0/1 rule of Perceptron.fit, written out from the same start
    for epoch in range(5):
        for x, t in zip(augment(X), y, strict=True):
            v = v + lr * (t - (1 if x @ v > 0 else 0)) * x
        np.testing.assert_allclose(history[epoch], v, rtol=1e-12, atol=1e-12)
    # from zero weights too, once the first sample is positive (no score is 0 after it)
    first = int(np.argmax(y == 1))
    X, y = np.roll(X, -first, axis=0), np.roll(y, -first)
    clf = Perceptron(lr=lr, max_epochs=3).fit(X, y)
    w = np.zeros(3)
    for epoch in range(3):
        for x, t in zip(X, y, strict=True):
            w = sign_update(w, x, int(2 * t - 1), lr=lr)
        np.testing.assert_allclose(w, clf.weights_history_[epoch], rtol=1e-12, atol=1e-12)


def test_sign_update_errors():
    with pytest.raises(ValueError, match=r"weights.*\(3,\).*x.*\(3,\)"):
        sign_update(np.zeros(3), np.zeros(3), 1)  # x given already augmented
    with pytest.raises(ValueError, match=r"weights.*\(2, 3\)"):
        sign_update(np.zeros((2, 3)), np.zeros(2), 1)
    with pytest.raises(ValueError, match=r"y.*-1 or \+1.*0"):
        sign_update(np.zeros(3), np.zeros(2), 0)
    for label in (1.0, True, "1"):
        with pytest.raises(TypeError, match="y"):
            sign_update(np.zeros(3), np.zeros(2), label)
    with pytest.raises(ValueError, match="lr"):
        sign_update(np.zeros(3), np.zeros(2), 1, lr=0.0)
    with pytest.raises(TypeError, match="weights"):
        sign_update(["a", "b", "c"], np.zeros(2), 1)


# --------------------------------------------------------------------------------------------
# Convergence on separable data, Novikoff's bound, and XOR
# --------------------------------------------------------------------------------------------


def separating_margin(X: np.ndarray, y: np.ndarray) -> float:
    """Margin gamma = min_i s_i (w* . x_aug_i) of the maximum-margin separator w*, normalised
    as a vector (w, b) in the augmented space (s_i = +-1). Any unit separator bounds the
    perceptron's mistakes; a wide one gives a tight bound."""
    from sklearn.svm import SVC

    svm = SVC(kernel="linear", C=1e8).fit(X, y)
    w_aug = np.append(svm.coef_[0], svm.intercept_[0])
    gamma = np.min((2 * y - 1) * (augment(X) @ w_aug)) / np.linalg.norm(w_aug)
    assert gamma > 0
    return gamma


@pytest.mark.parametrize("lr", [1.0, 0.1])
@pytest.mark.parametrize(("seed", "margin"), [(0, 0.5), (1, 0.5), (2, 0.2), (3, 1.0), (4, 0.1)])
def test_converges_on_separable_data_within_novikoffs_bound(seed, margin, lr):
    X, y = make_linearly_separable(200, margin=margin, rng=np.random.default_rng(seed))
    clf = Perceptron(lr=lr).fit(X, y)
    assert clf.converged_
    assert clf.errors_[-1] == 0 and min(clf.errors_[:-1], default=1) > 0
    np.testing.assert_array_equal(clf.predict(X), y)  # every training point right
    radius = np.max(np.linalg.norm(augment(X), axis=1))
    mistakes = sum(clf.errors_)
    assert mistakes <= (radius / separating_margin(X, y)) ** 2


def test_learning_rate_only_scales_the_weights():
    """From w = 0 the rule is invariant to lr: same mistakes, weights scaled by lr."""
    X, y = make_linearly_separable(100, rng=np.random.default_rng(7))
    a, b = Perceptron(lr=1.0).fit(X, y), Perceptron(lr=0.01).fit(X, y)
    assert a.errors_ == b.errors_
    np.testing.assert_allclose(b.weights_history_, 0.01 * a.weights_history_, rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_never_converges_on_xor(seed):
    X, y = make_xor(40, noise=0.2, rng=np.random.default_rng(seed))
    clf = Perceptron(max_epochs=60).fit(X, y)
    assert clf.converged_ is False
    assert clf.n_epochs_ == 60 and len(clf.errors_) == 60
    assert min(clf.errors_) > 0
    assert clf.weights_history_.shape == (60, 3)
    assert np.mean(clf.predict(X) == y) < 1.0


def test_four_point_xor_keeps_making_mistakes():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    clf = Perceptron(max_epochs=200).fit(X, np.array([0, 1, 1, 0]))
    assert not clf.converged_ and min(clf.errors_) >= 1


# --------------------------------------------------------------------------------------------
# Attributes and predictions
# --------------------------------------------------------------------------------------------


def test_predict_is_the_sign_of_the_decision_function(rng):
    X, y = make_linearly_separable(80, rng=rng)
    clf = Perceptron().fit(X, y)
    X_new = rng.normal(scale=2.0, size=(500, 2))
    score = clf.decision_function(X_new)
    np.testing.assert_allclose(score, X_new @ clf.coef_ + clf.intercept_, rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X_new), (score > 0).astype(int))
    assert clf.predict(X_new).dtype == np.int64
    assert set(np.unique(clf.predict(X_new))) == {0, 1}


def test_weights_history_ends_with_the_weights(rng):
    X, y = make_linearly_separable(50, rng=rng)
    clf = Perceptron().fit(X, y)
    assert clf.weights_history_.shape == (clf.n_epochs_, 3)
    np.testing.assert_array_equal(clf.weights_history_[-1], clf.weights_)
    # the converged epoch changes nothing
    np.testing.assert_array_equal(clf.weights_history_[-1], clf.weights_history_[-2])


def test_refit_starts_again_from_zero(rng):
    X, y = make_linearly_separable(50, rng=rng)
    clf = Perceptron()
    first = clf.fit(X, y).weights_.copy()
    np.testing.assert_array_equal(clf.fit(X, y).weights_, first)


def test_fit_returns_self_and_repr():
    clf = Perceptron(lr=0.5, max_epochs=10)
    assert clf.fit(np.eye(2), np.array([0, 1])) is clf
    assert repr(clf) == "Perceptron(lr=0.5, max_epochs=10)"


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("labels", [[-1, 1, 1], [0, 1, 2], [1, 2, 2]])
def test_labels_must_be_0_or_1(labels):
    with pytest.raises(ValueError, match=r"y.*\[0, 2\)"):
        Perceptron().fit(np.zeros((3, 2)), np.array(labels))


@pytest.mark.parametrize("labels", [[0.0, 1.0, 1.0], [True, False, True], ["a", "b", "a"]])
def test_labels_must_be_integers(labels):
    with pytest.raises(TypeError, match="y"):
        Perceptron().fit(np.zeros((3, 2)), np.array(labels))


def test_fit_shape_errors():
    with pytest.raises(ValueError, match=r"X.*y.*\(3, 2\).*\(2,\)"):
        Perceptron().fit(np.zeros((3, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"X.*\(3,\)"):
        Perceptron().fit(np.zeros(3), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match=r"y.*\(3, 1\)"):
        Perceptron().fit(np.zeros((3, 2)), np.array([[0], [1], [0]]))


def test_predict_errors():
    clf = Perceptron()
    with pytest.raises(RuntimeError, match="fit"):
        clf.predict(np.zeros((2, 2)))
    with pytest.raises(RuntimeError, match="fit"):
        clf.coef_  # noqa: B018
    clf.fit(np.eye(2), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"\b2 features.*\(4, 3\)"):
        clf.predict(np.zeros((4, 3)))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"lr": 0.0}, ValueError),
        ({"lr": -1.0}, ValueError),
        ({"lr": "1"}, TypeError),
        ({"max_epochs": 0}, ValueError),
        ({"max_epochs": 1.5}, TypeError),
    ],
)
def test_bad_hyper_parameters(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        Perceptron(**kwargs)
