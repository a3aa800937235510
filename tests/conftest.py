"""Shared test configuration.

Hypothesis runs without a per-example deadline (CI machines are slow and noisy) and without its
example database, so that running the suite writes nothing into the repository.
tests/bench holds benchmark scripts (``nox -s bench``), never collected or imported by pytest.
"""

import numpy as np
import pytest
from hypothesis import settings

collect_ignore = ["bench"]

settings.register_profile("dlnotes", deadline=None, database=None, max_examples=50, print_blob=True)
settings.load_profile("dlnotes")


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test is reproducible on its own."""
    return np.random.default_rng(20240601)
