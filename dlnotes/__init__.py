"""dlnotes: deep-learning fundamentals, written out in NumPy.

The package behind the *dlnotes* handbook. Each module is one family of ideas:

- :mod:`dlnotes.activations` — activation functions and their derivatives;
- :mod:`dlnotes.layers` — layers with explicit forward and backward passes;
- :mod:`dlnotes.conv` — convolution and pooling on images, vectorised and as plain loops;
- :mod:`dlnotes.recurrent` — the tanh RNN and the LSTM over sequences, forward and BPTT;
- :mod:`dlnotes.init` — initial weights scaled to the layer's size;
- :mod:`dlnotes.losses` — loss functions and their gradients;
- :mod:`dlnotes.optim` — optimisers that update the parameters, and gradient clipping;
- :mod:`dlnotes.schedules` — learning-rate schedules that shrink the step size;
- :mod:`dlnotes.data` — mini-batches, toy data sets, splitting and scaling, the digits;
- :mod:`dlnotes.train` — the training loop, with validation, history and callbacks;
- :mod:`dlnotes.regularization` — L1 and L2 penalties and early stopping;
- :mod:`dlnotes.augment` — shifted, rotated and noisy copies of images;
- :mod:`dlnotes.resample` — resampling that balances imbalanced classes;
- :mod:`dlnotes.metrics` — the confusion matrix, precision, recall, F1, balanced accuracy;
- :mod:`dlnotes.perceptron` — Rosenblatt's perceptron on the augmented matrix;
- :mod:`dlnotes.diagnostics` — measurements such as dead ReLU units and gradient norms;
- :mod:`dlnotes.gradcheck` — numerical gradients that check every backward pass.
"""

from dlnotes import (
    activations,
    augment,
    conv,
    data,
    diagnostics,
    gradcheck,
    init,
    layers,
    losses,
    metrics,
    optim,
    perceptron,
    recurrent,
    regularization,
    resample,
    schedules,
    train,
)
from dlnotes.conv import conv_output_size

__version__ = "0.1.0"
__all__ = [
    "activations",
    "augment",
    "conv",
    "conv_output_size",
    "data",
    "diagnostics",
    "gradcheck",
    "init",
    "layers",
    "losses",
    "metrics",
    "optim",
    "perceptron",
    "recurrent",
    "regularization",
    "resample",
    "schedules",
    "train",
]
