"""Small records, windows and runs for the tests of bearingkit.papers.sedira2026."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.papers.sedira2026.features import feature_matrix
from bearingkit.papers.sedira2026.protocol import RunResult
from bearingkit.papers.sedira2026.settings import FAULT_SIZES, MODELS
from bearingkit.recording import Recording

FS = 12_000.0


def recording(label, size, load=0.0, n=40_000, seed=0, source=None) -> Recording:
    """White noise labelled as one CWRU-like record."""
    rng = np.random.default_rng(seed)
    return Recording(signal=rng.standard_normal(n), fs=FS, label=label, dataset="test",
                     source=source or f"{label}-{size}-{load}", fault_size=size, load=load)


def cwru_like(n=20_000):
    """A healthy record and the three OR fault sizes at 0 and 1 HP: ``(records at 0 HP, all records)``."""
    healthy = [recording("normal", 0.0, seed=1, source="97")]
    faults = [recording("outer", size, load, n=n, seed=10 + i, source=f"OR-{size}-{load}")
              for i, (size, load) in enumerate((s, load) for load in (0, 1) for s in FAULT_SIZES)]
    return healthy + [r for r in faults if r.load == 0], healthy + faults


def two_class_features(*, n_per_class, seed, burst_hz, length=4096):
    """Features (:func:`feature_matrix`, 4 sub-frames) of noise windows and of noise with 3 kHz bursts
    repeating at ``burst_hz``, with their classes (0, 1)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length) / FS
    quiet = rng.standard_normal((n_per_class, length))
    bursts = np.sin(2 * np.pi * burst_hz * t) > 0.9
    ringing = rng.standard_normal((n_per_class, length)) + 3 * np.sin(2 * np.pi * 3000 * t) * bursts
    X, y = np.vstack([quiet, ringing]), np.repeat([0, 1], n_per_class)
    return feature_matrix(X, fs=FS, n_steps=4), y


def fake_run(y_true, y_pred, *, n_classes=4, log_likelihood=None, load=None) -> RunResult:
    """A RunResult whose every model predicts ``y_pred`` (one-hot posteriors)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    proba = np.eye(n_classes)[y_pred]
    ll = np.zeros((len(y_true), n_classes)) if log_likelihood is None else np.asarray(log_likelihood, float)
    groups = pd.DataFrame({"load": np.zeros(len(y_true)) if load is None else load})
    return RunResult(y_true, {m: proba for m in MODELS}, ll, pd.Series(dtype=float), groups)


def result(y_true, hmm, rbf) -> RunResult:
    """A RunResult from class predictions: one-hot HMM posteriors, softened RBF scores, α = 0.5 fusion."""
    n = 4
    p_hmm = np.eye(n)[hmm]
    p_rbf = 0.7 * np.eye(n)[rbf] + 0.3 / n
    proba = {"HMM": p_hmm, "RBFNN": p_rbf, "Hybrid": 0.5 * p_hmm + 0.5 * p_rbf}
    log_likelihood = np.log(np.clip(p_hmm, 1e-12, None))
    return RunResult(np.asarray(y_true), proba, log_likelihood, pd.Series(dtype=float),
                     pd.DataFrame(index=range(len(y_true))))


def or_runs():
    """OR runs on two splits: perfect on the paper split; on cross-load, half of class 1 wrong in one run."""
    y = np.repeat(np.arange(4), 4)
    perfect = fake_run(y, y)
    half_wrong = fake_run(y, np.where((y == 1) & (np.arange(16) % 2 == 0), 2, y))
    return {("OR", "paper"): [perfect, perfect], ("OR", "cross-load"): [perfect, half_wrong]}


@pytest.fixture
def make_recording():
    return recording


@pytest.fixture
def make_cwru_like():
    return cwru_like


@pytest.fixture
def make_two_class_features():
    return two_class_features


@pytest.fixture
def make_fake_run():
    return fake_run


@pytest.fixture
def make_result():
    return result


@pytest.fixture
def make_or_runs():
    return or_runs
