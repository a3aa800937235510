"""Chapter 3: MindSpore's losses and one step of nn.SGD against dlnotes.losses and dlnotes.optim.

The snippets are docs/mindspore/training.py. MSELoss, L1Loss and HuberLoss run in float64;
BCEWithLogitsLoss, CrossEntropyLoss and nn.SGD refuse float64 on the CPU, so they run in float32,
with inputs (and the network's weights) rounded to float32 before dlnotes sees them, so that only
MindSpore's float32 arithmetic differs.
"""

from __future__ import annotations

import warnings

import mindspore as ms
import numpy as np
import pytest
from mindspore import nn, ops
from mlp import copy_parameters, mlp_cell
from training import (
    binary_cross_entropy,
    classifier_step,
    cross_entropy,
    regression_losses,
    sgd_step,
)

from dlnotes.data import digits_split
from dlnotes.layers import ReLU, mlp
from dlnotes.losses import BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss
from dlnotes.optim import SGD


def f32(a: np.ndarray) -> np.ndarray:
    """The float32 value of a, held in float64: what both sides compute with."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def ours(loss, pred, target) -> tuple[float, np.ndarray]:
    value = loss.forward(pred, target)
    return value, loss.backward()


# --------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------


def check_regression(compare, pred, target, delta):
    theirs = regression_losses(pred, target, delta=delta)
    for name, loss in [
        ("MSELoss", MSELoss()),
        ("L1Loss", L1Loss()),
        ("HuberLoss", HuberLoss(delta)),
    ]:
        value, grad = ours(loss, pred, target)
        # float64 tensors, but the three losses take their mean in float32 (nn.MSELoss casts
        # in LossBase.get_loss, ops.l1_loss and ops.huber_loss in ops' _get_loss): values and
        # gradients have float32 precision, hence 1e-6 (measured: below 1e-7)
        compare(f"nn.{name} value", value, theirs[name][0], rtol=1e-6)
        compare(f"nn.{name} d pred", grad, theirs[name][1], rtol=1e-6)
    return theirs


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_regression_losses(compare, seed, delta):
    rng = np.random.default_rng(seed)
    shape = [(5,), (4, 3), (2, 3, 4), (1,)][seed]
    pred, target = 3 * rng.normal(size=shape), rng.normal(size=shape)  # errors past delta too
    check_regression(compare, pred, target, delta)


def test_regression_losses_on_the_chapters_outlier(compare):
    """The chapter's four predictions, the last an outlier: same values and gradients."""
    pred, target = np.array([1.5, 1.5, 2.2, 10.0]), np.array([1.0, 2.0, 2.0, 2.0])
    theirs = check_regression(compare, pred, target, delta=1.0)
    assert theirs["MSELoss"][0] == pytest.approx(16.135)


def test_kinks_l1_at_zero_and_huber_at_delta(compare):
    """L1's gradient at r = 0 is 0 in both; at |r| = delta Huber's gradient is +-delta / n."""
    pred, target = np.array([1.0, 2.0, -1.0, 0.5]), np.array([1.0, 1.0, 0.0, 0.5])
    theirs = check_regression(compare, pred, target, delta=1.0)
    np.testing.assert_array_equal(theirs["L1Loss"][1].asnumpy(), [0.0, 0.25, -0.25, 0.0])
    np.testing.assert_array_equal(theirs["HuberLoss"][1].asnumpy(), [0.0, 0.25, -0.25, 0.0])


def test_regression_losses_of_float64_have_float32_precision():
    """float64 in, float64 out, but the mean is taken in float32: relative errors of 1e-8,
    where ops.mean of the same float64 errors is exact to 1e-15."""
    rng = np.random.default_rng(11)
    pred, target = rng.normal(size=1000), rng.normal(size=1000)
    theirs = regression_losses(pred, target)
    for name, loss in [("MSELoss", MSELoss()), ("L1Loss", L1Loss()), ("HuberLoss", HuberLoss())]:
        exact = loss(pred, target)
        assert theirs[name][1].dtype == ms.float64
        assert 1e-10 < abs(theirs[name][0] - exact) / exact < 1e-6, name
    by_hand = ops.mean(ops.abs(ms.Tensor(pred) - ms.Tensor(target)))
    assert float(by_hand) == pytest.approx(L1Loss()(pred, target), rel=1e-13)


def test_losses_follow_the_batch_size(compare):
    """Mini-batches of one rank but different sizes, one after another (the last batch of an
    epoch is smaller): every gradient divides by its own batch's size."""
    rng = np.random.default_rng(12)
    for n in (32, 4, 7):
        check_regression(compare, rng.normal(size=(n, 1)), rng.normal(size=(n, 1)), 1.0)
        logits, target = f32(rng.normal(size=(n, 1))), f32(rng.integers(0, 2, size=(n, 1)))
        value, grad = binary_cross_entropy(logits, target)
        mine = ours(BCEWithLogitsLoss(), logits, target)
        compare("nn.BCEWithLogitsLoss value", mine[0], value, dtype="float32")
        compare("nn.BCEWithLogitsLoss d pred", mine[1], grad, dtype="float32")
        logits, labels = f32(rng.normal(size=(n, 3))), rng.integers(0, 3, size=n)
        value, grad = cross_entropy(logits, labels)
        mine = ours(CrossEntropyLoss(), logits, labels)
        compare("nn.CrossEntropyLoss value", mine[0], value, dtype="float32")
        compare("nn.CrossEntropyLoss d pred", mine[1], grad, dtype="float32")


def test_bce_mean_gradient_keeps_the_first_size():
    """MindSpore 2.10, PyNative: the gradient of BCEWithLogitsLoss(reduction='mean') divides by
    the element count of the first call of the same rank, here 32 for a batch of 4 as well. The
    chapter's snippet avoids it with reduction='none' and a mean of its own.

    Rank 5, which no other test uses, so that the first call here is the first of its rank;
    the assertion holds either way: both calls divide by the same number.
    """
    rng = np.random.default_rng(13)
    divisors = []
    for n in (32, 4):
        z = rng.normal(size=(n, 1, 1, 1, 1)).astype(np.float32)
        t = rng.integers(0, 2, size=z.shape).astype(np.float32)
        grad = ms.grad(nn.BCEWithLogitsLoss())(ms.Tensor(z), ms.Tensor(t)).asnumpy()
        exact_sum = 1 / (1 + np.exp(-z.astype(np.float64))) - t  # gradient of the sum
        divisors.append(float(np.median(exact_sum / grad)))
        np.testing.assert_allclose(
            binary_cross_entropy(z, t)[1].asnumpy(), exact_sum / n, rtol=1e-5, atol=1e-7
        )
    assert divisors[0] == pytest.approx(divisors[1], rel=1e-4)
    assert divisors[1] != pytest.approx(4, rel=0.1)


@pytest.mark.parametrize("seed", range(4))
def test_bce_with_logits(compare, seed):
    rng = np.random.default_rng(seed)
    shape = [(6,), (5, 1), (4, 3), (8, 2)][seed]
    logits = f32(4 * rng.normal(size=shape))
    target = f32(rng.integers(0, 2, size=shape) if seed % 2 else rng.uniform(size=shape))
    value, grad = binary_cross_entropy(logits, target)
    mine = ours(BCEWithLogitsLoss(), logits, target)
    compare("nn.BCEWithLogitsLoss value", mine[0], value, dtype="float32")
    compare("nn.BCEWithLogitsLoss d pred", mine[1], grad, dtype="float32")


@pytest.mark.parametrize("seed", range(4))
def test_cross_entropy(compare, seed):
    rng = np.random.default_rng(seed)
    n, k = [(1, 2), (5, 3), (8, 10), (32, 4)][seed]
    logits, labels = f32(3 * rng.normal(size=(n, k))), rng.integers(0, k, size=n)
    value, grad = cross_entropy(logits, labels)
    mine = ours(CrossEntropyLoss(), logits, labels)
    compare("nn.CrossEntropyLoss value", mine[0], value, dtype="float32")
    compare("nn.CrossEntropyLoss d pred", mine[1], grad, dtype="float32")


def test_classification_losses_refuse_float64_and_int64_labels():
    """On the CPU: BCEWithLogitsLoss and CrossEntropyLoss take float32, and int32 labels.

    The error of an asynchronous kernel shows when its result is read: .asnumpy() reads it here,
    so that it cannot surface in a later test.
    """
    x64, t64 = ms.Tensor(np.zeros((3, 2))), ms.Tensor(np.zeros((3, 2)))
    with pytest.raises(TypeError, match="Float64"):
        nn.BCEWithLogitsLoss()(x64, t64).asnumpy()
    with pytest.raises(TypeError, match="float64"):
        nn.CrossEntropyLoss()(x64, ms.Tensor(np.zeros(3, np.int32))).asnumpy()
    x32 = ms.Tensor(np.zeros((3, 2), np.float32))
    with pytest.raises(TypeError, match="Int32"):
        nn.CrossEntropyLoss()(x32, ms.Tensor(np.zeros(3, np.int64))).asnumpy()


def test_mse_broadcasts_where_dlnotes_refuses():
    """pred (N, 1) against target (N,): MindSpore broadcasts to (N, N) without a word."""
    pred, target = np.arange(4.0).reshape(4, 1), np.arange(4.0)
    with pytest.raises(ValueError, match="same shape"):
        MSELoss()(pred, target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even a warning, where PyTorch gives one
        assert regression_losses(pred, target)["MSELoss"][0] == pytest.approx(2.5)  # (not 0)
    assert regression_losses(pred.ravel(), target)["MSELoss"][0] == 0.0


# --------------------------------------------------------------------------------------------
# One step of SGD
# --------------------------------------------------------------------------------------------


def dlnotes_step(net, x, y, lr):
    """The chapter's iteration in dlnotes; returns the loss and a copy of every gradient."""
    optimizer = SGD(net.parameters(), lr=lr)
    loss_fn = CrossEntropyLoss()
    optimizer.zero_grad()
    loss = loss_fn.forward(net.forward(x), y)
    net.backward(loss_fn.backward())
    grads = {p.name: p.grad.copy() for p in net.parameters()}
    optimizer.step()
    return loss, grads


def rounded_mlp(sizes, seed):
    net = mlp(sizes, ReLU, rng=np.random.default_rng(seed))
    for p in net.parameters():
        p.value = f32(p.value)
    return net


def check_step(compare, net, cell, loss, grads, mine_loss, mine_grads):
    compare("SGD step loss", mine_loss, loss, dtype="float32")
    for p in net.parameters():
        compare("SGD step gradients", mine_grads[p.name], grads[p.name], dtype="float32")
        compare("SGD step parameters", p.value, cell.parameters_dict()[p.name], dtype="float32")


def test_sgd_step_on_the_chapters_mini_batch(compare):
    """64-32-10 with ReLU, cross-entropy, learning rate 0.1, the first 32 training digits."""
    x_train, _, y_train, _ = digits_split()
    x, y = f32(x_train[:32]), y_train[:32]
    net = rounded_mlp([64, 32, 10], seed=0)
    cell, loss, grads = classifier_step([64, 32, 10], net.parameters(), x, y, lr=0.1)
    check_step(compare, net, cell, loss, grads, *dlnotes_step(net, x, y, lr=0.1))


@pytest.mark.parametrize("seed", range(3))
def test_sgd_step_random(compare, seed):
    rng = np.random.default_rng(seed)
    sizes = [[3, 5, 2], [8, 16, 4], [4, 6, 6, 3]][seed]
    lr = [0.5, 0.05, 1.0][seed]
    x, y = f32(rng.normal(size=(10, sizes[0]))), rng.integers(0, sizes[-1], size=10)
    net = rounded_mlp(sizes, seed)
    cell, loss, grads = classifier_step(sizes, net.parameters(), x, y, lr=lr)
    check_step(compare, net, cell, loss, grads, *dlnotes_step(net, x, y, lr=lr))


def test_sgd_learning_rate_defaults_to_0_1(compare):
    """nn.SGD(params) with no learning rate trains at 0.1 (dlnotes' SGD requires lr)."""
    rng = np.random.default_rng(5)
    net = rounded_mlp([4, 3, 2], seed=5)
    cell = copy_parameters(mlp_cell([4, 3, 2], nn.ReLU, dtype=ms.float32), net.parameters())
    x, y = f32(rng.normal(size=(6, 4))), rng.integers(0, 2, size=6)
    optimizer = nn.SGD(cell.trainable_params())
    assert float(optimizer.learning_rate.asnumpy()) == pytest.approx(0.1)

    def forward(x, y):
        return nn.CrossEntropyLoss()(cell(x), y)

    grad_fn = ms.value_and_grad(forward, None, weights=optimizer.parameters)
    _, grads = grad_fn(ms.Tensor(x, ms.float32), ms.Tensor(y, ms.int32))
    optimizer(grads)
    dlnotes_step(net, x, y, lr=0.1)
    for p in net.parameters():
        compare("SGD step parameters", p.value, cell.parameters_dict()[p.name], dtype="float32")


def test_sgd_takes_learning_rate_not_lr():
    """The PyTorch spelling lr= is a TypeError; the docstring announces the rename to lr."""
    params = mlp_cell([2, 1], dtype=ms.float32).trainable_params()
    with pytest.raises(TypeError, match="lr"):
        nn.SGD(params, lr=0.1)
    assert "renamed to `lr` and become a required argument" in " ".join(nn.SGD.__doc__.split())


def test_gradients_do_not_accumulate():
    """ms.value_and_grad returns fresh gradients at each call: nothing to zero, as in dlnotes."""
    rng = np.random.default_rng(2)
    cell = mlp_cell([3, 4, 2], nn.ReLU, dtype=ms.float32)
    x, y = rng.normal(size=(5, 3)), rng.integers(0, 2, size=5).astype(np.int32)

    def forward(x, y):
        return nn.CrossEntropyLoss()(cell(x), y)

    grad_fn = ms.value_and_grad(forward, None, weights=cell.trainable_params())
    args = ms.Tensor(x, ms.float32), ms.Tensor(y)
    first, second = grad_fn(*args)[1], grad_fn(*args)[1]
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


def test_sgd_refuses_float64_parameters(tmp_path, monkeypatch):
    """nn.SGD's kernel takes float16/float32: a float64 network cannot be updated by it."""
    monkeypatch.chdir(tmp_path)  # the failed graph compilation writes rank_0/om/ here
    cell = mlp_cell([3, 4, 2], nn.ReLU, dtype=ms.float64)
    x, y = ms.Tensor(np.zeros((2, 3))), ms.Tensor(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="Float64"):
        sgd_step(cell, nn.MSELoss(), x, y, lr=0.1)
