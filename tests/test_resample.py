"""Tests for the resampling of imbalanced data, dlnotes.resample: random_undersample,
random_oversample, smote, nearest_neighbours."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.resample import nearest_neighbours, random_oversample, random_undersample, smote

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "resample.random_undersample",
    "resample.random_oversample",
    "resample.smote",
    "resample.nearest_neighbours",
)

try:
    import imblearn  # noqa: F401
except ImportError:  # pragma: no cover - imbalanced-learn is in the test extra
    HAVE_IMBLEARN = False
else:
    HAVE_IMBLEARN = True

needs_imblearn = pytest.mark.skipif(
    not HAVE_IMBLEARN, reason="imbalanced-learn is not installed (pip install 'dlnotes[test]')"
)


@st.composite
def imbalanced(draw, min_size=1, max_classes=4, d=3):
    """(X, y, seed): 2-4 classes of random sizes, labels not necessarily 0..K-1, distinct
    points on a grid (so that nearest neighbours are well defined)."""
    n_classes = draw(st.integers(2, max_classes))
    sizes = draw(st.lists(st.integers(min_size, 12), min_size=n_classes, max_size=n_classes))
    labels = draw(
        st.lists(st.integers(-5, 20), min_size=n_classes, max_size=n_classes, unique=True)
    )
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(labels, sizes))
    X = rng.normal(size=(len(y), d)).round(3) + 0.001 * np.arange(len(y))[:, None]
    return X, y, seed


def counts(y):
    return dict(zip(*np.unique(y, return_counts=True), strict=True))


def as_rows(X):
    return [tuple(row) for row in np.asarray(X).tolist()]


def resample_balanced(sampler, data, size):
    """Resample the drawn data; every class must now have size(class counts) samples."""
    X, y, seed = data
    X_res, y_res = sampler(X, y, rng=np.random.default_rng(seed))
    assert counts(y_res) == dict.fromkeys(counts(y), size(counts(y).values()))
    return X, y, X_res, y_res


# --------------------------------------------------------------------------------------------
# Random under- and over-sampling
# --------------------------------------------------------------------------------------------


@given(imbalanced())
def test_undersample_balances_to_the_smallest_class(data):
    X, y, X_res, y_res = resample_balanced(random_undersample, data, min)
    # a subset of the original samples, each used at most once, in the original order
    index = {row: i for i, row in enumerate(as_rows(X))}
    picked = [index[row] for row in as_rows(X_res)]
    assert picked == sorted(set(picked))
    np.testing.assert_array_equal(y_res, y[picked])


@given(imbalanced())
def test_oversample_balances_to_the_largest_class_and_keeps_the_originals(data):
    X, y, X_res, y_res = resample_balanced(random_oversample, data, max)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    # every added sample is a copy of an original of the same class
    original = set(zip(as_rows(X), y.tolist(), strict=True))
    assert set(zip(as_rows(X_res), y_res.tolist(), strict=True)) <= original


def test_samplers_keep_dtypes_and_shapes(rng):
    X = rng.integers(0, 255, size=(9, 4, 4), dtype=np.uint8)  # images, not only tables
    y = np.array(["cat"] * 6 + ["dog"] * 3)
    X_u, y_u = random_undersample(X, y, rng=rng)
    X_o, y_o = random_oversample(X, y, rng=rng)
    assert X_u.shape == (6, 4, 4) and X_o.shape == (12, 4, 4)
    assert X_u.dtype == X_o.dtype == np.uint8 and y_u.dtype == y_o.dtype == y.dtype
    assert counts(y_u) == {"cat": 3, "dog": 3} and counts(y_o) == {"cat": 6, "dog": 6}


def test_balanced_data_are_returned_unchanged_by_oversampling(rng):
    X, y = rng.normal(size=(6, 2)), np.array([0, 1, 0, 1, 0, 1])
    for sampler in (random_oversample, smote):
        X_res, y_res = sampler(X, y, rng=rng)
        np.testing.assert_array_equal(X_res, X)
        np.testing.assert_array_equal(y_res, y)


def test_undersampling_a_class_with_one_example_leaves_one_per_class(rng):
    """The notes' remark: with a class of a single example, under-sampling keeps one sample of
    every class, throwing away nearly all the data."""
    X, y = rng.normal(size=(2001, 2)), np.array([0] * 2000 + [1])
    X_res, y_res = random_undersample(X, y, rng=rng)
    assert len(X_res) == 2 and counts(y_res) == {0: 1, 1: 1}


# --------------------------------------------------------------------------------------------
# SMOTE
# --------------------------------------------------------------------------------------------


@given(st.integers(2, 12), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_nearest_neighbours_are_the_k_closest_other_points_nearest_first(n, d, seed):
    P = np.random.default_rng(seed).normal(size=(n, d))
    dist = np.sqrt(((P[:, None] - P[None]) ** 2).sum(-1))
    np.fill_diagonal(dist, np.inf)
    for k in range(1, n):
        got = nearest_neighbours(P, k)
        assert got.shape == (n, k) and got.dtype == np.intp
        assert all(len(set(row)) == k and i not in row for i, row in enumerate(got.tolist()))
        np.testing.assert_allclose(
            np.take_along_axis(dist, got, axis=1), np.sort(dist, axis=1)[:, :k], rtol=1e-9
        )


def test_nearest_neighbours_errors():
    P = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError, match=r"k must be smaller than the number of points.*k=3"):
        nearest_neighbours(P, 3)
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        nearest_neighbours(P, 0)
    with pytest.raises(ValueError, match=r"P must be a 2-D array .* \(6,\)"):
        nearest_neighbours(P.ravel(), 1)


def on_segment_to_a_neighbour(point, P, k):
    """Whether `point` = P[i] + u (P[j] - P[i]) for some i, u in [0, 1] and j among the k
    nearest other rows of P (ties at the k-th distance allowed)."""
    d = np.sqrt(((P[:, None] - P[None]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    kth = np.sort(d, axis=1)[:, k - 1]
    scale = 1.0 + np.abs(P).max()
    for i in range(len(P)):
        for j in np.flatnonzero(d[i] <= kth[i] * (1 + 1e-12)):
            seg = P[j] - P[i]
            u = np.dot(point - P[i], seg) / np.dot(seg, seg)
            if -1e-12 <= u <= 1 + 1e-12 and np.allclose(
                P[i] + u * seg, point, rtol=0, atol=1e-12 * scale
            ):
                return True
    return False


@given(imbalanced(min_size=2), st.integers(1, 5))
def test_smote_balances_keeps_originals_and_interpolates_between_neighbours(data, k):
    X, y, seed = data
    sizes = counts(y)
    n_max = max(sizes.values())
    if any(n <= k for n in sizes.values() if n < n_max):
        with pytest.raises(ValueError, match="k_neighbors"):
            smote(X, y, k, rng=np.random.default_rng(seed))
        return
    X_res, y_res = smote(X, y, k, rng=np.random.default_rng(seed))
    assert counts(y_res) == dict.fromkeys(sizes, n_max)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert X_res.dtype == np.float64 and y_res.dtype == y.dtype
    for point, label in zip(X_res[len(X) :], y_res[len(y) :], strict=True):
        assert on_segment_to_a_neighbour(point, X[y == label], k), (point, label)


def test_smote_by_hand():
    """Class 1 has two points: every synthetic point lies between them."""
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [5.0, 5.0], [7.0, 5.0]])
    y = np.array([0, 0, 0, 1, 1])
    X_res, y_res = smote(X, y, k_neighbors=1, rng=np.random.default_rng(0))
    assert y_res.tolist() == [0, 0, 0, 1, 1, 1]
    new = X_res[5]
    assert new[1] == 5.0 and 5.0 <= new[0] <= 7.0


def test_smote_picks_neighbours_not_far_points():
    """Class 1: a tight pair far from a tight pair. With k = 1 every synthetic point stays
    within its own pair; it never lands in the gap between the pairs."""
    X = np.array([[0.0, 0.0]] * 20 + [[0.0, 10.0], [0.1, 10.0], [10.0, 10.0], [10.1, 10.0]])
    X[:20, 0] = np.arange(20)
    y = np.array([0] * 20 + [1] * 4)
    X_res, _ = smote(X, y, k_neighbors=1, rng=np.random.default_rng(0))
    xs = X_res[24:, 0]
    assert len(xs) == 16 and np.all((xs <= 0.1) | (xs >= 10.0))


def test_smote_uses_each_minority_point_and_several_neighbours(rng):
    X = rng.normal(size=(60, 2))
    y = np.array([0] * 50 + [1] * 10)
    X_res, _ = smote(X, y, k_neighbors=3, rng=rng)
    new = X_res[60:]
    assert len(new) == 40 and len(np.unique(new, axis=0)) == 40  # no duplicates


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sampler", [random_undersample, random_oversample, smote])
def test_errors_common_to_all_samplers(sampler, rng):
    X = rng.normal(size=(6, 2))
    with pytest.raises(ValueError, match=r"single class \(1, 6 samples\).*nothing to balance"):
        sampler(X, np.ones(6, dtype=int), rng=rng)
    with pytest.raises(ValueError, match=r"X and y .* \(6, 2\) .* \(5,\)"):
        sampler(X, np.array([0, 0, 0, 1, 1]), rng=rng)
    with pytest.raises(ValueError, match=r"y must be a 1-D array .* \(6, 1\)"):
        sampler(X, np.zeros((6, 1), dtype=int), rng=rng)
    with pytest.raises(TypeError, match="rng"):
        sampler(X, np.array([0, 0, 0, 0, 1, 1]), rng=None)


def test_smote_errors(rng):
    X = rng.normal(size=(8, 2))
    y = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    with pytest.raises(
        ValueError, match=r"k_neighbors=3 .* class 1 has 3; class sizes: 0: 5, 1: 3"
    ):
        smote(X, y, k_neighbors=3, rng=rng)
    smote(X, y, k_neighbors=2, rng=rng)  # 2 neighbours of each of 3 points exist
    with pytest.raises(ValueError, match=r"class 2: it has a single example.*random_oversample"):
        smote(np.vstack([X, [[9.0, 9.0]]]), np.append(y, 2), k_neighbors=1, rng=rng)
    with pytest.raises(ValueError, match="k_neighbors must be a positive integer, got 0"):
        smote(X, y, k_neighbors=0, rng=rng)
    with pytest.raises(ValueError, match=r"X must be a 2-D array .* \(8, 2, 1\)"):
        smote(X[..., None], y, rng=rng)
    with pytest.raises(TypeError, match="X must be a real numeric array"):
        smote(X.astype(str), y, rng=rng)


# --------------------------------------------------------------------------------------------
# The same class counts as imbalanced-learn
# --------------------------------------------------------------------------------------------


@needs_imblearn
@pytest.mark.parametrize("seed", range(6))
def test_class_counts_agree_with_imbalanced_learn(seed):
    from imblearn.over_sampling import SMOTE, RandomOverSampler
    from imblearn.under_sampling import RandomUnderSampler

    rng = np.random.default_rng(seed)
    sizes = rng.integers(7, 40, size=int(rng.integers(2, 5)))
    y = rng.permutation(np.repeat(np.arange(len(sizes)) * 3 + 1, sizes))
    X = rng.normal(size=(len(y), 4))
    pairs = [
        (random_undersample, RandomUnderSampler(random_state=seed)),
        (random_oversample, RandomOverSampler(random_state=seed)),
        (lambda X, y, rng: smote(X, y, 5, rng=rng), SMOTE(k_neighbors=5, random_state=seed)),
    ]
    for ours, theirs in pairs:
        X_res, y_res = ours(X, y, rng=rng)
        X_ref, y_ref = theirs.fit_resample(X, y)
        assert counts(y_res) == counts(y_ref)
        assert X_res.shape == X_ref.shape
