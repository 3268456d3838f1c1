"""A run is converged only when its half-budget scores lie within the tolerance of its full-budget ones."""

import types

import numpy as np
import pytest

from bearingkit.papers.lee2026.convergence import convergence_check, not_converged_reason
from bearingkit.papers.lee2026.data import random_folds
from bearingkit.papers.lee2026.settings import BRANCHES


def test_a_run_is_converged_only_when_its_half_budget_scores_lie_within_two_points():
    stage = types.SimpleNamespace(best_value=0.95)
    p = np.eye(2)[[0, 1, 0, 1, 0, 1]] * 0.9 + 0.05
    y = np.array([0, 1, 0, 1, 0, 1])
    folds = random_folds(y, n_splits=2, seed=0)
    half = {"best": 0.94, "oof": [p], "test": [p[:2]], "trials": 1}
    branches = {b: types.SimpleNamespace(stage=stage, half=half) for b in BRANCHES}
    check = convergence_check(branches, y, y[:2], folds, eta=3, full_fused=1.0, full_test=1.0)
    assert check["converged"] and check["change"]["gru best F_CV"] == pytest.approx(-0.01)
    assert not_converged_reason(check) == ""
    moved = convergence_check(branches, y, y[:2], folds, eta=3, full_fused=1.0, full_test=1.0,
                              tolerance=0.005)
    assert not moved["converged"]
    assert not_converged_reason(moved).startswith("not converged: at half its budget")
    assert "gru best F_CV moves -0.010" in not_converged_reason(moved)
    nothing = {b: types.SimpleNamespace(stage=stage, half=None) for b in BRANCHES}
    missing = convergence_check(nothing, y, y[:2], folds, eta=3, full_fused=1.0, full_test=None)
    assert not missing["converged"] and "held-out fused" not in missing["full"]
