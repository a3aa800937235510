"""Every analytic gradient of dlnotes against central differences: the table in gradcheck_cases.

Each case is one test, marked ``covers`` with its component; the verification page runs the
same table at every build.
"""

from __future__ import annotations

from collections import Counter

import pytest
from gradcheck_cases import CASES, THRESHOLD

import dlnotes


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.id, marks=pytest.mark.covers(c.component)) for c in CASES]
)
def test_gradient_matches_central_differences(case):
    errors = case.run()
    assert errors, f"{case.id}: compared nothing"
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] < THRESHOLD, f"{case.id}: {worst} off by {errors[worst]:.1e}: {errors}"


def test_every_case_names_a_public_component_and_each_has_two_cases():
    counts = Counter(case.component for case in CASES)
    unknown = []
    for key in counts:
        module, _, name = key.partition(".")
        if name not in getattr(getattr(dlnotes, module, None), "__all__", ()):
            unknown.append(key)
    assert not unknown, f"tests/gradcheck_cases.py checks components that are not public: {unknown}"
    single = [key for key, n in counts.items() if n < 2]
    assert not single, f"components with fewer than two gradient checks: {single}"


def test_case_ids_are_unique():
    ids = Counter(case.id for case in CASES)
    assert not [i for i, n in ids.items() if n > 1]
