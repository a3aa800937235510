"""Tests for image augmentation, dlnotes.augment: translate, rotate, shift_images, rotate_images,
add_noise, augment_images."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlnotes.augment import (
    add_noise,
    augment_images,
    rotate,
    rotate_images,
    shift_images,
    translate,
)
from dlnotes.data import load_digits

# the components these tests check, listed on the verification page
pytestmark = pytest.mark.covers(
    "augment.translate",
    "augment.rotate",
    "augment.shift_images",
    "augment.rotate_images",
    "augment.add_noise",
    "augment.augment_images",
)

SHAPES = [(3, 5, 5), (2, 3, 4, 6), (1, 1, 8, 8)]


def loop_translate(x, rows, cols):
    """Reference: one image at a time, by slicing."""
    out = np.zeros_like(x)
    h, w = x.shape[-2:]
    for n, (r, c) in enumerate(zip(rows, cols, strict=True)):
        if abs(r) >= h or abs(c) >= w:
            continue  # moved out of the frame entirely
        dst_r, src_r = slice(max(r, 0), min(h + r, h)), slice(max(-r, 0), min(h - r, h))
        dst_c, src_c = slice(max(c, 0), min(w + c, w)), slice(max(-c, 0), min(w - c, w))
        out[n, ..., dst_r, dst_c] = x[n, ..., src_r, src_c]
    return out


# --------------------------------------------------------------------------------------------
# Shifts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_translate_matches_slicing(shape, rng):
    x = rng.normal(size=shape)
    h, w = shape[-2:]
    rows = rng.integers(-h - 1, h + 2, size=shape[0])
    cols = rng.integers(-w - 1, w + 2, size=shape[0])
    np.testing.assert_array_equal(translate(x, rows, cols), loop_translate(x, rows, cols))


def test_translate_by_hand():
    x = np.arange(1.0, 7.0).reshape(1, 1, 2, 3)
    np.testing.assert_array_equal(translate(x, 0, 1)[0, 0], [[0, 1, 2], [0, 4, 5]])
    np.testing.assert_array_equal(translate(x, -1, 0)[0, 0], [[4, 5, 6], [0, 0, 0]])
    np.testing.assert_array_equal(translate(x, 2, 0), 0.0)  # moved out of the frame


@pytest.mark.parametrize("shape", SHAPES)
def test_zero_shift_is_the_identity(shape, rng):
    x = rng.normal(size=shape)
    np.testing.assert_array_equal(shift_images(x, 0, rng=rng), x)
    np.testing.assert_array_equal(translate(x, 0, 0), x)


@given(seed=st.integers(0, 2**32 - 1), max_shift=st.integers(0, 3))
def test_random_shifts_are_integer_shifts_within_range(seed, max_shift):
    """Each output image is its input moved by some (r, c) with |r|, |c| <= max_shift."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 2.0, size=(4, 2, 7, 7))  # no zeros: the shift can be read off
    out = shift_images(x, max_shift, rng=rng)
    assert out.shape == x.shape
    for n in range(len(x)):
        matches = [
            (r, c)
            for r in range(-max_shift, max_shift + 1)
            for c in range(-max_shift, max_shift + 1)
            if np.array_equal(out[n : n + 1], translate(x[n : n + 1], r, c))
        ]
        assert len(matches) == 1


def test_random_shifts_cover_the_range(rng):
    x = np.zeros((2000, 5, 5))
    x[:, 2, 2] = 1.0
    out = shift_images(x, 1, rng=rng)
    rows, cols = np.nonzero(out)[1:]
    assert set(rows - 2) == set(cols - 2) == {-1, 0, 1}
    assert np.array_equal(np.count_nonzero(out, axis=(1, 2)), np.ones(2000))


# --------------------------------------------------------------------------------------------
# Rotations
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_rotation_by_zero_is_the_identity(shape, rng):
    x = rng.normal(size=shape)
    np.testing.assert_array_equal(rotate_images(x, 0.0, rng=rng), x)
    np.testing.assert_array_equal(rotate(x, 0.0), x)
    np.testing.assert_array_equal(rotate(x, np.zeros(shape[0])), x)


@pytest.mark.parametrize("size", [1, 2, 5, 8, 9])
@pytest.mark.parametrize("quarter_turns", [1, 2, 3, -1])
def test_quarter_turns_equal_rot90(size, quarter_turns, rng):
    """A square image turned by k * 90 degrees is np.rot90(image, k): the sample points fall on
    pixel centres, up to rounding of cos and sin (which only leaks ~1e-16 of the zero fill at
    the borders)."""
    x = rng.normal(size=(3, 2, size, size))
    expected = np.rot90(x, quarter_turns, axes=(2, 3))
    np.testing.assert_allclose(rotate(x, 90.0 * quarter_turns), expected, rtol=0, atol=1e-12)


def test_rotation_turns_counter_clockwise_and_keeps_the_centre():
    x = np.zeros((1, 5, 5))
    x[0, 2, 4] = 1.0  # a dot right of the centre
    out = rotate(x, 90)[0]
    assert out[0, 2] == pytest.approx(1.0)  # now above the centre
    y = np.zeros((1, 5, 5))
    y[0, 2, 2] = 7.0
    assert rotate(y, 33.0)[0, 2, 2] == pytest.approx(7.0)  # the centre does not move


def test_bilinear_interpolation_by_hand():
    """Turn a 3x3 image by 45 degrees counter-clockwise: the output's top-middle pixel (0, 1),
    at (-1, 0) from the centre (1, 1), comes from the input point up and to the right,
    (1 - cos 45, 1 + sin 45) = (0.293, 1.707), between the input pixels (0, 1), (0, 2),
    (1, 1), (1, 2) with weights from a = 0.293 (rows) and b = 0.707 (columns)."""
    x = np.arange(1.0, 10.0).reshape(1, 3, 3)
    a, b = 1 - np.cos(np.pi / 4), np.sin(np.pi / 4)
    expected = (1 - a) * (1 - b) * 2 + (1 - a) * b * 3 + a * (1 - b) * 5 + a * b * 6
    assert rotate(x, 45)[0, 0, 1] == pytest.approx(expected, rel=1e-14)


def test_rotation_is_linear_and_channels_turn_together(rng):
    x, z = rng.normal(size=(2, 3, 6, 6)), rng.normal(size=(2, 3, 6, 6))
    angles = np.array([17.0, -8.0])
    np.testing.assert_allclose(rotate(2 * x + z, angles), 2 * rotate(x, angles) + rotate(z, angles))
    for c in range(3):  # each channel as a grey image, with the same angle
        np.testing.assert_allclose(rotate(x[:, c], angles), rotate(x, angles)[:, c], rtol=1e-15)


def test_rotation_of_a_constant_image_inside_the_disc(rng):
    """Far from the border, interpolating a constant gives the constant."""
    x = np.full((4, 21, 21), 3.0)
    out = rotate(x, rng.uniform(-30, 30, size=4))
    yy, xx = np.mgrid[:21, :21] - 10
    inside = yy**2 + xx**2 <= 9**2
    np.testing.assert_allclose(out[:, inside], 3.0, rtol=1e-13)
    assert np.all(out >= 0.0) and np.all(out <= 3.0 + 1e-12)


def test_random_rotations_are_within_range(rng):
    x = np.zeros((500, 9, 9))
    x[:, 4, 8] = 1.0  # a dot on the right edge, at radius 4
    out = rotate_images(x, 15.0, rng=rng)
    # the centre of mass of the turned dot gives the angle
    rows, cols = np.mgrid[:9, :9]
    mass = out.sum(axis=(1, 2))
    r = (out * rows).sum(axis=(1, 2)) / mass - 4
    c = (out * cols).sum(axis=(1, 2)) / mass - 4
    angles = np.degrees(np.arctan2(-r, c))
    assert np.all(np.abs(angles) <= 15.0 + 1.0)
    assert angles.min() < -10 and angles.max() > 10


def test_determinism_with_rng():
    x = np.random.default_rng(3).normal(size=(6, 2, 8, 8))
    for function, argument in ((shift_images, 2), (rotate_images, 20.0), (add_noise, 0.3)):
        a = function(x, argument, rng=np.random.default_rng(9))
        b = function(x, argument, rng=np.random.default_rng(9))
        c = function(x, argument, rng=np.random.default_rng(10))
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c), function.__name__
    a = augment_images(x, np.arange(6), 2, rng=np.random.default_rng(1), noise_std=0.1)
    b = augment_images(x, np.arange(6), 2, rng=np.random.default_rng(1), noise_std=0.1)
    np.testing.assert_array_equal(a[0], b[0])


# --------------------------------------------------------------------------------------------
# Noise and augment_images
# --------------------------------------------------------------------------------------------


def test_add_noise_statistics(rng):
    x = np.full((200, 10, 10), 5.0)
    noisy = add_noise(x, 0.5, rng=rng)
    assert noisy.shape == x.shape
    assert abs(noisy.mean() - 5.0) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    np.testing.assert_array_equal(add_noise(x, 0.0, rng=rng), x)
    assert add_noise(x, 0.0, rng=rng) is not x


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("copies", [0, 1, 3])
def test_augment_shapes_and_labels(shape, copies, rng):
    x = rng.normal(size=shape)
    y = np.arange(shape[0]) + 10
    x_aug, y_aug = augment_images(x, y, copies, rng=rng, noise_std=0.1)
    assert x_aug.shape == (shape[0] * (1 + copies), *shape[1:])
    np.testing.assert_array_equal(x_aug[: shape[0]], x)
    np.testing.assert_array_equal(y_aug, np.tile(y, 1 + copies))
    assert y_aug.dtype == y.dtype


def test_augment_without_any_transformation_repeats_the_images(rng):
    x = rng.normal(size=(4, 6, 6))
    x_aug, _ = augment_images(x, np.zeros(4), 2, rng=rng, max_shift=0, max_degrees=0)
    np.testing.assert_array_equal(x_aug, np.concatenate([x, x, x]))


def test_augmented_digits_stay_in_range():
    X, y = load_digits()
    x = X[:50].reshape(-1, 8, 8) / 16
    x_aug, _ = augment_images(x, y[:50], 4, rng=np.random.default_rng(0))
    assert x_aug.min() >= 0.0 and x_aug.max() <= 1.0 + 1e-12
    # the copies differ from the originals, but keep most of the ink (small transformations)
    copies = x_aug[50:].reshape(4, 50, 8, 8)
    assert not np.array_equal(copies[0], x)
    ink = copies.sum(axis=(2, 3)) / x.sum(axis=(1, 2))
    assert np.all(ink > 0.6) and np.all(ink < 1.2)


def test_augmentation_errors(rng):
    with pytest.raises(ValueError, match=r"\(N, H, W\) or \(N, C, H, W\), got shape \(5, 4\)"):
        shift_images(np.zeros((5, 4)), 1, rng=rng)
    with pytest.raises(ValueError, match=r"shape \(2, 1, 1, 3, 3\)"):
        rotate_images(np.zeros((2, 1, 1, 3, 3)), 10, rng=rng)
    with pytest.raises(ValueError, match="max_shift must be a non-negative integer, got -1"):
        shift_images(np.zeros((2, 3, 3)), -1, rng=rng)
    with pytest.raises(TypeError, match="max_shift must be a non-negative integer"):
        shift_images(np.zeros((2, 3, 3)), 1.5, rng=rng)
    with pytest.raises(ValueError, match="max_degrees must be >= 0"):
        rotate_images(np.zeros((2, 3, 3)), -5, rng=rng)
    with pytest.raises(ValueError, match="std must be >= 0"):
        add_noise(np.zeros(3), -1.0, rng=rng)
    with pytest.raises(TypeError, match="rng"):
        rotate_images(np.zeros((2, 3, 3)), 5, rng=None)
    with pytest.raises(ValueError, match=r"degrees must be a scalar or have one value per image"):
        rotate(np.zeros((2, 3, 3)), [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="rows must hold integers"):
        translate(np.zeros((2, 3, 3)), 0.5, 0)
    with pytest.raises(ValueError, match=r"x and y .* \(3, 4, 4\) .* \(2,\)"):
        augment_images(np.zeros((3, 4, 4)), np.zeros(2), 1, rng=rng)
    with pytest.raises(ValueError, match="copies"):
        augment_images(np.zeros((3, 4, 4)), np.zeros(3), -1, rng=rng)
    with pytest.raises(TypeError, match="x must be a real numeric array"):
        shift_images(np.zeros((2, 3, 3), dtype=complex), 1, rng=rng)


def test_extreme_values_give_no_warning(rng):
    x = rng.choice([-1e300, 0.0, 1e-300, 1e300], size=(3, 7, 7))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for out in (rotate_images(x, 30, rng=rng), shift_images(x, 2, rng=rng)):
            assert np.all(np.isfinite(out))
