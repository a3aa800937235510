"""dlnotes: deep-learning fundamentals, written out in NumPy.

The package behind the *dlnotes* handbook. Each module is one family of ideas:

- :mod:`dlnotes.activations` — activation functions and their derivatives;
- :mod:`dlnotes.layers` — layers with explicit forward and backward passes;
- :mod:`dlnotes.diagnostics` — measurements such as dead ReLU units;
- :mod:`dlnotes.gradcheck` — numerical gradients that check every backward pass.
"""

from dlnotes import activations, diagnostics, gradcheck, layers

__version__ = "0.1.0"
__all__ = ["activations", "diagnostics", "gradcheck", "layers"]
