"""What the windows carry: 46 features + an SVM scored on the branches' folds."""

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers.lee2026.data import holdout_split, random_folds
from bearingkit.papers.lee2026.feature_reference import feature_reference, window_features


def test_features_of_every_channel_side_by_side(make_synthetic):
    data = make_synthetic(n_per_class=4, length=512)
    features = window_features(data.X, fs=data.fs)
    assert features.shape == (8, 92) and np.isfinite(features).all()
    np.testing.assert_array_equal(features[:, :46], window_features(data.X[:, :1], fs=data.fs))
    with pytest.raises(ParameterError, match="window, channel, time"):
        window_features(data.X[:, 0], fs=data.fs)


def test_separable_windows_score_high_and_shuffled_labels_near_chance(make_synthetic):
    data = make_synthetic(n_per_class=30, length=512)
    folds = random_folds(data.y, n_splits=3, seed=0)
    assert feature_reference(data.X, data.y, data.X[:0], data.y[:0], folds, fs=data.fs)["F_CV"] > 0.95
    shuffled = np.random.default_rng(0).permutation(data.y)
    folds = random_folds(shuffled, n_splits=3, seed=0)
    assert feature_reference(data.X, shuffled, data.X[:0], data.y[:0], folds, fs=data.fs)["F_CV"] < 0.75


def test_the_held_out_set_is_scored_by_a_model_fitted_on_every_development_window(make_synthetic):
    data = make_synthetic(n_per_class=30, length=512)
    dev, test, folds = holdout_split(data)
    out = feature_reference(data.X[dev], data.y[dev], data.X[test], data.y[test], folds, fs=data.fs)
    assert set(out) == {"F_CV", "held-out", "features"} and out["held-out"] > 0.9
    assert out == feature_reference(data.X[dev], data.y[dev], data.X[test], data.y[test], folds, fs=data.fs)


def test_windows_too_short_for_the_wavelet_packets_have_no_reference(make_synthetic):
    data = make_synthetic(n_per_class=6, length=256)
    dev, test, folds = holdout_split(data)
    out = feature_reference(data.X[dev], data.y[dev], data.X[test], data.y[test], folds, fs=data.fs)
    assert np.isnan(out["F_CV"]) and np.isnan(out["held-out"]) and out["features"] == 0.0
