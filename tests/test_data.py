"""Tests for dlnotes.data: mini-batches, toy data sets, splitting, scaling, one-hot, digits."""

import importlib
import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlnotes.data
from dlnotes.data import (
    Standardizer,
    digits_split,
    load_digits,
    make_circles,
    make_linearly_separable,
    make_moons,
    make_spirals,
    make_xor,
    minibatches,
    one_hot,
    train_test_split,
)

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "data.make_xor",
    "data.make_moons",
    "data.make_circles",
    "data.make_spirals",
    "data.make_linearly_separable",
    "data.minibatches",
    "data.train_test_split",
    "data.Standardizer",
    "data.one_hot",
    "data.load_digits",
    "data.digits_split",
)

# --------------------------------------------------------------------------------------------
# minibatches
# --------------------------------------------------------------------------------------------


def numbered(n: int) -> tuple[np.ndarray, np.ndarray]:
    """X whose row i is (i, -i), y = i: every batch says which samples it holds."""
    i = np.arange(n)
    return np.column_stack([i, -i]).astype(float), i


@settings(max_examples=100)
@given(data=st.data(), n=st.integers(1, 60), shuffle=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_batches_partition_the_data(data, n, shuffle, seed):
    """Each epoch is a partition: concatenated, the batches are a permutation of the data (the
    identity without shuffle); all batches are full except possibly the last."""
    batch_size = data.draw(st.integers(1, n), label="batch_size")
    X, y = numbered(n)
    batches = list(minibatches(X, y, batch_size, shuffle=shuffle, rng=np.random.default_rng(seed)))
    assert len(batches) == math.ceil(n / batch_size)
    sizes = [len(yb) for _, yb in batches]
    assert all(s == batch_size for s in sizes[:-1]) and 1 <= sizes[-1] <= batch_size
    for xb, yb in batches:
        np.testing.assert_array_equal(xb, X[yb])  # X and y stay paired
    order = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(order), np.arange(n))
    if not shuffle:
        np.testing.assert_array_equal(order, np.arange(n))


def test_bgd_and_sgd_extremes(rng):
    X, y = numbered(7)
    (only,) = list(minibatches(X, y, 7, shuffle=False))  # BGD: one batch, the whole set
    np.testing.assert_array_equal(only[0], X)
    sgd = list(minibatches(X, y, 1, rng=rng))  # SGD: seven batches of one sample
    assert [xb.shape for xb, _ in sgd] == [(1, 2)] * 7


def test_shuffle_is_reproducible_and_fresh_every_epoch():
    X, y = numbered(50)

    def epoch(rng):
        return np.concatenate([yb for _, yb in minibatches(X, y, 8, rng=rng)])

    a, b = np.random.default_rng(5), np.random.default_rng(5)
    first, second = epoch(a), epoch(a)
    np.testing.assert_array_equal(first, epoch(b))
    np.testing.assert_array_equal(second, epoch(b))
    assert not np.array_equal(first, second)  # a new order each epoch
    assert not np.array_equal(first, np.arange(50))


def test_minibatches_keep_shapes_and_target_dtype(rng):
    X = rng.normal(size=(10, 3, 4, 4))  # NCHW images
    y = rng.normal(size=(10, 2)).astype(np.float32)
    xb, yb = next(minibatches(X, y, 4, rng=rng))
    assert xb.shape == (4, 3, 4, 4) and yb.shape == (4, 2)
    assert yb.dtype == np.float32 and xb.dtype == np.float64


def test_rng_required_iff_shuffle():
    X, y = numbered(4)
    with pytest.raises(TypeError, match="rng"):
        minibatches(X, y, 2)  # raised at the call, before any batch is requested
    with pytest.raises(TypeError, match="rng"):
        minibatches(X, y, 2, rng=np.random.RandomState(0))
    assert len(list(minibatches(X, y, 2, shuffle=False))) == 2


@pytest.mark.parametrize(
    ("batch_size", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (6, ValueError),
        (2.0, TypeError),
        ("2", TypeError),
        (True, TypeError),
    ],
)
def test_bad_batch_size(batch_size, error, rng):
    X, y = numbered(5)
    with pytest.raises(error, match="batch_size"):
        minibatches(X, y, batch_size, rng=rng)


def test_batch_size_larger_than_data_names_the_sizes(rng):
    X, y = numbered(5)
    with pytest.raises(ValueError, match=r"\b5\b.*\(5, 2\).*\b6\b"):
        minibatches(X, y, 6, rng=rng)


def test_minibatches_length_mismatch_names_shapes(rng):
    with pytest.raises(ValueError, match=r"X.*y.*\(5, 2\).*\(4,\)"):
        minibatches(np.zeros((5, 2)), np.zeros(4), 2, rng=rng)
    with pytest.raises(ValueError, match="at least one sample"):
        minibatches(np.zeros((0, 2)), np.zeros(0), 1, rng=rng)


# --------------------------------------------------------------------------------------------
# Toy data sets: properties shared by all generators
# --------------------------------------------------------------------------------------------

GENERATORS = {
    "xor": (make_xor, 2),
    "moons": (make_moons, 2),
    "circles": (make_circles, 2),
    "spirals": (make_spirals, 3),
    "spirals5": (lambda n, **kw: make_spirals(n, n_classes=5, **kw), 5),
    "linearly_separable": (make_linearly_separable, 2),
}


@pytest.mark.parametrize("name", GENERATORS)
@pytest.mark.parametrize("n", [1, 2, 7, 100, 301])
def test_generator_shapes_dtypes_and_balance(name, n):
    make, n_classes = GENERATORS[name]
    X, y = make(n, rng=np.random.default_rng(0))
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    counts = np.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes  # labels 0 .. K-1
    assert counts.max() - counts.min() <= 1  # as balanced as possible


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_deterministic_given_the_rng(name):
    make, _ = GENERATORS[name]
    X1, y1 = make(50, rng=np.random.default_rng(3))
    X2, y2 = make(50, rng=np.random.default_rng(3))
    X3, _ = make(50, rng=np.random.default_rng(4))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_shuffles_the_classes(name):
    """Samples come in random order, not all of class 0 first."""
    _, y = GENERATORS[name][0](100, rng=np.random.default_rng(0))
    assert not np.all(np.diff(y) >= 0)


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_argument_errors(name):
    make, _ = GENERATORS[name]
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_samples"):
        make(0, rng=rng)
    with pytest.raises(TypeError, match="n_samples"):
        make(10.0, rng=rng)
    with pytest.raises(TypeError, match="rng"):
        make(10, rng=None)
    with pytest.raises(TypeError):
        make(10, np.random.default_rng(0))  # rng is keyword-only


@pytest.mark.parametrize("make", [make_xor, make_moons, make_circles, make_spirals])
def test_noise_must_be_non_negative(make, rng):
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-0.1, rng=rng)
    with pytest.raises(TypeError, match="noise"):
        make(10, noise="0.1", rng=rng)


@pytest.mark.parametrize("make", [make_xor, make_moons, make_circles, make_spirals])
def test_noise_is_the_standard_deviation(make):
    """The same draw with noise s is the noise-free data plus s times one Gaussian sample."""
    X0, y0 = make(2000, noise=0.0, rng=np.random.default_rng(1))
    X1, y1 = make(2000, noise=0.2, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(y0, y1)
    assert np.std(X1 - X0) == pytest.approx(0.2, rel=0.05)


# --------------------------------------------------------------------------------------------
# Toy data sets: the geometry of each
# --------------------------------------------------------------------------------------------


def test_xor_geometry():
    X, y = make_xor(40, noise=0.0, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(np.abs(X), 1.0)  # exactly the four centres
    np.testing.assert_array_equal(y, (X[:, 0] > 0) ^ (X[:, 1] > 0))
    assert len(np.unique(X, axis=0)) == 4
    X, y = make_xor(400, noise=0.2, rng=np.random.default_rng(0))
    agree = np.mean(y == ((X[:, 0] > 0) ^ (X[:, 1] > 0)))
    assert agree > 0.99  # noise rarely carries a point across an axis


def test_moons_geometry():
    X, y = make_moons(101, noise=0.0, rng=np.random.default_rng(0))
    upper, lower = X[y == 0], X[y == 1]
    assert len(upper) == 50 and len(lower) == 51
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, rtol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0, rtol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


@pytest.mark.parametrize("factor", [0.2, 0.5, 0.9])
def test_circles_geometry(factor):
    X, y = make_circles(60, factor=factor, noise=0.0, rng=np.random.default_rng(0))
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(radius[y == 1], factor, rtol=1e-12)


@pytest.mark.parametrize("factor", [0.0, 1.0, 1.5, -0.5])
def test_circles_factor_must_lie_in_0_1(factor, rng):
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=factor, rng=rng)


@pytest.mark.parametrize("n_classes", [1, 2, 3, 6])
def test_spirals_geometry(n_classes):
    """Without noise, point of arm k at radius r has angle 2 pi k / K + 4 r."""
    X, y = make_spirals(120, n_classes=n_classes, noise=0.0, rng=np.random.default_rng(0))
    r = np.linalg.norm(X, axis=1)
    assert np.all((r > 0) & (r <= 1 + 1e-12))
    assert r.max() == pytest.approx(1.0)
    angle = np.arctan2(X[:, 1], X[:, 0])
    offset = np.angle(np.exp(1j * (angle - 4 * r - 2 * np.pi * y / n_classes)))  # wrapped
    np.testing.assert_allclose(offset, 0.0, atol=1e-9)


def test_spirals_rejects_bad_n_classes(rng):
    with pytest.raises(ValueError, match="n_classes"):
        make_spirals(10, n_classes=0, rng=rng)


@pytest.mark.parametrize("margin", [0.1, 0.5, 2.0])
@pytest.mark.parametrize("seed", range(4))
def test_linearly_separable_has_the_promised_gap(margin, seed):
    """A hard-margin linear SVM separates the classes, with a strip at least `margin` wide."""
    from sklearn.svm import SVC

    X, y = make_linearly_separable(200, margin=margin, rng=np.random.default_rng(seed))
    svm = SVC(kernel="linear", C=1e8).fit(X, y)
    assert svm.score(X, y) == 1.0
    w, b = svm.coef_[0], svm.intercept_[0]
    distance = (2 * y - 1) * (X @ w + b) / np.linalg.norm(w)
    assert distance.min() >= margin / 2 * (1 - 1e-6)


@pytest.mark.parametrize("margin", [0.0, -1.0])
def test_linearly_separable_margin_must_be_positive(margin, rng):
    with pytest.raises(ValueError, match="margin"):
        make_linearly_separable(10, margin=margin, rng=rng)


# --------------------------------------------------------------------------------------------
# train_test_split
# --------------------------------------------------------------------------------------------


def test_stratified_split_by_hand(rng):
    X, y = numbered(100)
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, rng=rng)
    assert np.bincount(y_test).tolist() == [12, 6, 2]
    assert np.bincount(y_train).tolist() == [48, 24, 8]
    ids = np.concatenate([X_train[:, 0], X_test[:, 0]]).astype(int)
    np.testing.assert_array_equal(np.sort(ids), np.arange(100))  # a partition
    np.testing.assert_array_equal(y[X_test[:, 0].astype(int)], y_test)  # rows stay paired
    assert not np.all(np.diff(y_test) >= 0)  # shuffled, not sorted by class


@settings(max_examples=60)
@given(
    labels=st.lists(st.integers(0, 3), min_size=4, max_size=80),
    test_size=st.floats(0.1, 0.9),
    stratify=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_is_a_partition(labels, test_size, stratify, seed):
    y = np.array(labels)
    n = len(y)
    X = np.arange(n)
    try:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=test_size, rng=np.random.default_rng(seed), stratify=stratify
        )
    except ValueError as exc:  # only when rounding leaves one side empty
        assert "empty" in str(exc)
        return
    np.testing.assert_array_equal(np.sort(np.concatenate([X_train, X_test])), np.arange(n))
    np.testing.assert_array_equal(y[X_train], y_train)
    np.testing.assert_array_equal(y[X_test], y_test)
    assert len(X_test) == math.floor(test_size * n + 0.5)
    if stratify:  # every class within one sample of its share
        for c in np.unique(y):
            assert abs(np.sum(y_test == c) - test_size * np.sum(y == c)) < 1


def test_unstratified_split_and_determinism():
    X, y = numbered(40)
    a = train_test_split(X, y, test_size=0.3, rng=np.random.default_rng(1), stratify=False)
    b = train_test_split(X, y, test_size=0.3, rng=np.random.default_rng(1), stratify=False)
    assert a[1].shape == (12, 2) and a[0].shape == (28, 2)
    assert not np.array_equal(np.sort(a[3]), np.arange(12))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


def test_split_keeps_dtypes_and_sample_shapes(rng):
    X = rng.integers(0, 255, size=(20, 1, 3, 3)).astype(np.uint8)
    y = np.arange(20) % 2
    X_train, X_test, y_train, _ = train_test_split(X, y, rng=rng)
    assert X_train.dtype == np.uint8 and X_test.shape == (5, 1, 3, 3)
    assert y_train.dtype == y.dtype


@pytest.mark.parametrize(
    ("test_size", "error"),
    [
        (0.0, ValueError),
        (1.0, ValueError),
        (1.5, ValueError),
        (-0.2, ValueError),
        ("0.2", TypeError),
        (None, TypeError),
    ],
)
def test_split_bad_test_size(test_size, error, rng):
    X, y = numbered(10)
    with pytest.raises(error, match="test_size"):
        train_test_split(X, y, test_size=test_size, rng=rng)


def test_split_errors(rng):
    X, y = numbered(10)
    with pytest.raises(ValueError, match="empty"):
        train_test_split(X[:2], y[:2], test_size=0.1, rng=rng)
    with pytest.raises(ValueError, match=r"\(10, 2\).*\(9,\)"):
        train_test_split(X, y[:9], rng=rng)
    with pytest.raises(ValueError, match="stratify"):
        train_test_split(X, X, rng=rng)
    with pytest.raises(TypeError, match="rng"):
        train_test_split(X, y, rng=None)


# --------------------------------------------------------------------------------------------
# Standardizer and one_hot
# --------------------------------------------------------------------------------------------


def test_standardizer_gives_zero_mean_unit_variance(rng):
    X = rng.normal(loc=[5.0, -3.0, 0.0], scale=[10.0, 0.1, 1.0], size=(200, 3))
    scaler = Standardizer()
    Z = scaler.fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(scaler.mean_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scaler.scale_, X.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-12)


def test_standardizer_applies_training_statistics_to_new_data(rng):
    scaler = Standardizer().fit(np.array([[0.0], [2.0]]))  # mean 1, std 1
    np.testing.assert_array_equal(scaler.transform(np.array([[3.0], [1.0]])), [[2.0], [0.0]])


def test_standardizer_constant_columns_get_scale_one():
    X = np.column_stack([np.full(7, 0.1), np.arange(7.0), np.zeros(7)])
    assert np.std(X[:, 0]) > 0  # rounding makes the std of 0.1, 0.1, ... tiny but not 0
    scaler = Standardizer().fit(X)
    np.testing.assert_array_equal(scaler.scale_[[0, 2]], 1.0)
    Z = scaler.transform(X)
    np.testing.assert_allclose(Z[:, [0, 2]], 0.0, atol=1e-15)
    assert np.all(np.isfinite(Z))


def test_standardizer_errors(rng):
    scaler = Standardizer()
    with pytest.raises(RuntimeError, match="fit"):
        scaler.transform(np.zeros((2, 3)))
    scaler.fit(rng.normal(size=(5, 3)))
    with pytest.raises(ValueError, match=r"\b3 features.*\(5, 4\)"):
        scaler.transform(np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"X.*\(5,\)"):
        Standardizer().fit(np.zeros(5))
    with pytest.raises(ValueError, match="at least one sample"):
        Standardizer().fit(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="X"):
        Standardizer().fit([["a"]])


def test_one_hot():
    out = one_hot(np.array([2, 0, 1, 2]), 4)
    np.testing.assert_array_equal(out, [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])
    assert out.dtype == np.float64 and out.shape == (4, 4)
    assert one_hot(np.array([], dtype=int), 3).shape == (0, 3)


@settings(max_examples=30)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=30))
def test_one_hot_inverts_argmax(labels):
    out = one_hot(labels, 10)
    np.testing.assert_array_equal(out.sum(axis=1), 1.0)
    np.testing.assert_array_equal(out.argmax(axis=1), labels)


@pytest.mark.parametrize(
    ("y", "n_classes", "error", "match"),
    [
        ([0, 3], 3, ValueError, r"\[0, 3\)"),
        ([-1, 0], 3, ValueError, r"\[0, 3\)"),
        ([0.0, 1.0], 3, TypeError, "integer"),
        ([[0, 1]], 3, ValueError, r"\(1, 2\)"),
        ([0, 1], 0, ValueError, "n_classes"),
        ([0, 1], 2.0, TypeError, "n_classes"),
    ],
)
def test_one_hot_errors(y, n_classes, error, match):
    with pytest.raises(error, match=match):
        one_hot(np.array(y), n_classes)


# --------------------------------------------------------------------------------------------
# Digits
# --------------------------------------------------------------------------------------------


def test_load_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 16.0
    np.testing.assert_array_equal(X, np.round(X))  # integer intensities
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_load_digits_without_scikit_learn(monkeypatch):
    """None in sys.modules makes `import sklearn...` fail as if it were not installed."""
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"^load_digits needs scikit-learn: pip install "):
        load_digits()
    with pytest.raises(ImportError, match=r"dlnotes\[data\]"):
        digits_split()


def test_digits_split_is_fixed_stratified_and_scaled():
    X_train, X_test, y_train, y_test = digits_split()
    assert X_train.shape == (1348, 64) and X_test.shape == (449, 64)
    assert y_train.shape == (1348,) and y_test.shape == (449,)
    assert X_train.min() == 0.0 and max(X_train.max(), X_test.max()) == 1.0
    np.testing.assert_array_equal(X_train * 16, np.round(X_train * 16))
    X, y = load_digits()
    counts = np.bincount(y)
    assert np.all(np.abs(np.bincount(y_test) - counts / 4) < 1)  # stratified
    np.testing.assert_array_equal(np.bincount(y_train) + np.bincount(y_test), counts)
    np.testing.assert_allclose(X_train.sum() + X_test.sum(), X.sum() / 16)
    again = digits_split()  # the same split every time: chapters can be compared
    for a, b in zip((X_train, X_test, y_train, y_test), again, strict=True):
        np.testing.assert_array_equal(a, b)
    half = digits_split(test_size=0.5)
    assert len(half[3]) == 899  # 1797 / 2 rounded half up
    assert not np.array_equal(digits_split(seed=1)[3], y_test)


# --------------------------------------------------------------------------------------------
# Names the chapters import from dlnotes.data, defined in dlnotes.augment and dlnotes.resample
# --------------------------------------------------------------------------------------------


MOVED = {
    "augment": [
        "translate",
        "rotate",
        "shift_images",
        "rotate_images",
        "add_noise",
        "augment_images",
    ],
    "resample": ["random_undersample", "random_oversample", "smote"],
}


@pytest.mark.parametrize(("module", "name"), [(m, n) for m, names in MOVED.items() for n in names])
def test_data_still_publishes_augmentation_and_resampling(module, name):
    home = importlib.import_module(f"dlnotes.{module}")
    assert getattr(dlnotes.data, name) is getattr(home, name)
    assert name in home.__all__ and name not in dlnotes.data.__all__  # documented at home
