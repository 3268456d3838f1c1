"""The 46 features of a window and its sub-frames, and the Fisher + PCA reduction (§3.3-3.4)."""

import numpy as np
import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.papers.sedira2026 import features
from bearingkit.papers.sedira2026.settings import Settings


def test_feature_matrix_has_window_then_subframe_features():
    X = np.random.default_rng(0).standard_normal((3, 4096))
    F = features.feature_matrix(X, fs=12_000, n_steps=4)
    assert F.shape == (3, 46 * 5) and features.N_FEATURES == 46
    single = features.feature_matrix(X[:, 1024:2048], fs=12_000, n_steps=1)[:, :46]
    assert np.allclose(F[:, 46 * 2:46 * 3], single)


def _separable(seed=0):
    """12 features: 3 informative, 3 near-copies of them, 6 noise."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1, 2], 40)
    base = rng.standard_normal((120, 3)) + y[:, None]
    X = np.hstack([base, base + 1e-3 * rng.standard_normal((120, 3)), rng.standard_normal((120, 6))])
    return X, y, [f"f{i}" for i in range(12)]


def test_feature_redundancy_sees_duplicated_features():
    X, y, names = _separable()
    facts = features.feature_redundancy(X, y, Settings(k_features=6), names=names)
    assert sorted(facts["selected"]) == sorted(f"f{i}" for i in range(6))
    assert facts["max |r|"] > 0.99 and facts["pairs |r| > 0.9"] >= 3 and facts["pairs"] == 15
    assert 1 <= facts["components kept"] <= 6


def test_fisher_and_pca_rank_the_informative_features_last_and_mark_the_kept_components():
    X, y, names = _separable()
    scores, variance = features.fisher_and_pca(X, y, Settings(k_features=6, variance=0.9), names=names)
    assert list(scores.index) == sorted(names, key=lambda n: scores[n])       # ascending
    assert set(scores.index[-6:]) == {f"f{i}" for i in range(6)}
    assert len(variance) == 6 and variance["cumulative"].is_monotonic_increasing
    kept = variance.loc[variance["retained"], "cumulative"]
    assert kept.iloc[-1] >= 0.9 and (len(kept) == 1 or kept.iloc[-2] < 0.9)


def test_reduction_is_fisher_and_pca_or_scaling_alone():
    assert [name for name, _ in features.reduction(Settings()).steps][-1] == "pca"
    assert [name for name, _ in features.reduction(Settings(reduction="none")).steps] == ["scale"]
    with pytest.raises(UnknownNameError, match="reduction"):
        features.reduction(Settings(reduction="lda"))
