"""The protocol pieces of notebook 03 (Sedira & Felkaoui 2026) on small synthetic and real inputs."""

import numpy as np
import pandas as pd
import pytest

from bearingkit.data import segment
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits
from bearingkit.papers import sedira2026 as sedira
from bearingkit.recording import Recording


def _recording(label, size, load=0.0, n=40_000, seed=0, source=None):
    rng = np.random.default_rng(seed)
    return Recording(signal=rng.standard_normal(n), fs=12_000, label=label, dataset="test",
                     source=source or f"{label}-{size}-{load}", fault_size=size, load=load)


def test_class_of_orders_healthy_then_fault_sizes():
    groups = pd.DataFrame({"label": ["normal", "outer", "outer", "outer"],
                           "fault_size": [0.0, 0.021, 0.007, 0.014]})
    assert sedira.class_of(groups).tolist() == [0, 3, 1, 2]


def test_class_of_rejects_a_size_that_is_no_class():
    groups = pd.DataFrame({"label": ["inner"], "fault_size": [0.028]})
    with pytest.raises(ParameterError, match="0.028"):
        sedira.class_of(groups)


def test_paper_split_puts_exactly_the_requested_windows_of_each_class_in_test():
    y = np.repeat(np.arange(4), 100)
    train, test = sedira.paper_split(y, test_per_class=25, seed=1)
    assert np.bincount(y[test]).tolist() == [25] * 4
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 400
    assert np.array_equal(test, sedira.paper_split(y, test_per_class=25, seed=1)[1])
    assert not np.array_equal(test, sedira.paper_split(y, test_per_class=25, seed=2)[1])


def test_evenly_spaced_windows_span_the_record_and_overlap_when_many():
    rec = _recording("outer", 0.007)
    windows = sedira.evenly_spaced_windows(rec, n_windows=100, length=4096)
    starts = windows.groups["start"].to_numpy()
    assert len(windows) == 100 and starts[0] == 0 and starts[-1] + 4096 <= rec.n_samples
    assert np.diff(starts).max() < 4096          # 100 windows of 4096 in 40,000 samples must overlap


def test_cross_load_split_trains_at_0hp_and_tests_faults_at_other_loads_without_shared_samples():
    recs = [_recording("normal", 0.0, seed=1)] + [_recording("outer", s, load, seed=i + 2)
                                                   for i, (s, load) in enumerate([(0.007, 0), (0.007, 1)])]
    windows = segment(recs, length=4096, hop=2048)
    train, test = sedira.cross_load_split(windows, seed=0)
    g = windows.groups
    assert set(g.iloc[train]["load"]) == {0.0}
    assert set(g.iloc[test].query("label == 'outer'")["load"]) == {1.0}
    splits.assert_disjoint(g.iloc[train], g.iloc[test])


def test_feature_matrix_has_window_then_subframe_features():
    X = np.random.default_rng(0).standard_normal((3, 4096))
    F = sedira.feature_matrix(X, fs=12_000, n_steps=4)
    assert F.shape == (3, 46 * 5)
    single = sedira.feature_matrix(X[:, 1024:2048], fs=12_000, n_steps=1)[:, :46]
    assert np.allclose(F[:, 46 * 2:46 * 3], single)


def test_models_learn_two_synthetic_classes_and_fusion_is_consistent():
    rng = np.random.default_rng(0)
    t = np.arange(4096) / 12_000
    quiet = rng.standard_normal((60, 4096))
    bursts = np.sin(2 * np.pi * 100 * t) > 0.9
    ringing = rng.standard_normal((60, 4096)) + 3 * np.sin(2 * np.pi * 3000 * t) * bursts
    X, y = np.vstack([quiet, ringing]), np.repeat([0, 1], 60)
    F = sedira.feature_matrix(X, fs=12_000, n_steps=4)
    groups = pd.DataFrame({"record": y})
    train, test = sedira.paper_split(y, test_per_class=20, seed=0)
    result = sedira.run(F, y, train, test, groups)
    for model in sedira.MODELS:
        assert result.accuracy(model) == 1.0
        assert np.allclose(result.proba[model].sum(axis=1), 1.0)
    assert result.log_likelihood.shape == (40, 2)
    assert result.alpha_curve.index.tolist() == list(sedira.ALPHAS)


def test_normal_baseline_is_resampled_to_12khz(mirror):
    rec = sedira.normal_baseline()
    assert rec.fs == 12_000 and rec.extra["resampled_from_hz"] == 48_000
    assert rec.n_samples == pytest.approx(243_938 / 4, abs=1)


def test_unknown_cwru_set_is_a_clear_error():
    with pytest.raises(ParameterError, match="Ball"):
        sedira.cwru_records("Cage")
