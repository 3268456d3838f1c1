"""Small inputs shared by the tests of the Di Maggio (2023) protocol: separable embeddings, method results
built by hand, and runs of every data set and split."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.papers.dimaggio2023.training import MethodResult


def _separable(n_per_class: int = 60, dims: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three well-separated Gaussian clusters: ``(X, y)`` with ``y`` in 0, 1, 2."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(3), n_per_class)
    return rng.normal(size=(3, dims))[y] * 1.5 + 0.5 * rng.normal(size=(len(y), dims)), y


def _result(method: str, test: float, *, split: str = "paper", seed: int | None = 1, n_test: int = 48,
           y_pred=None, schedule: dict | None = None, history: dict | None = None) -> MethodResult:
    """A MethodResult with ``test`` % accuracy on ``n_test`` chunks (16 per class; ``y_pred`` overrides)."""
    y_test = np.repeat(np.arange(3), n_test // 3)
    if y_pred is None:
        y_pred = y_test.copy()
        y_pred[:round(len(y_test) * (1 - test / 100))] = 2
    return MethodResult(method, split, 90.0, 80.0, test, 1.5, y_test, np.asarray(y_pred),
                        history=history or {}, seed=seed,
                        sizes={"train": 3 * n_test, "validation": n_test, "test": n_test},
                        schedule=schedule or {"steps_per_epoch": 12, "epochs": 18, "iterations": 216})


@pytest.fixture
def separable():
    """``separable(n_per_class=60, dims=8, seed=0)``: three well-separated clusters ``(X, y)``."""
    return _separable


@pytest.fixture
def make_result():
    """``make_result(method, test, ...)``: a MethodResult built by hand (see :func:`_result`)."""
    return _result


@pytest.fixture
def runs() -> dict:
    """Runs of every data set and split: YAMNet head (two seeds), its probe, the random VGG16 and the
    baseline."""
    out = {}
    accuracies = {("simulated", "paper"): (50.0, 60.0), ("simulated", "held-out speeds"): (75.0, 70.0),
                  ("CWRU", "paper"): (90.0, 100.0), ("CWRU", "held-out fault size"): (50.0, 52.0)}
    for (dataset, split), (head, features) in accuracies.items():
        out[dataset, split] = [
            _result("YAMNet transfer", head, split=split, seed=1),
            _result("YAMNet transfer", head + 2, split=split, seed=2),
            _result("YAMNet transfer: linear probe", head, split=split, seed=None),
            _result("VGG16 (random init)", 40.0, split=split, seed=1),
            _result("46 features + logistic regression", features, split=split, seed=None)]
    return out
