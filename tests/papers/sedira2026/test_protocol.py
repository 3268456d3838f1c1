"""Fitting both models on a split and scoring them and their fusion (Eq. 33, §6.3)."""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from bearingkit.papers.sedira2026 import protocol
from bearingkit.papers.sedira2026.data import paper_split
from bearingkit.papers.sedira2026.measures import variant_agreement
from bearingkit.papers.sedira2026.settings import (
    ALPHAS,
    HYBRID_SCALED,
    HYBRID_VARIANTS,
    MODELS,
    REDUCTIONS,
    Settings,
)
from bearingkit.papers.sedira2026.views import View


def test_models_learn_two_synthetic_classes_and_fusion_is_consistent(make_two_class_features):
    F, y = make_two_class_features(n_per_class=60, seed=0, burst_hz=100)
    train, test = paper_split(y, test_per_class=20, seed=0)
    result = protocol.run(F, y, train, test, pd.DataFrame({"record": y}))
    for model in MODELS:
        assert result.accuracy(model) == 1.0
        assert np.allclose(result.proba[model].sum(axis=1), 1.0)
    assert result.log_likelihood.shape == (40, 2)
    assert result.alpha_curve.index.tolist() == list(ALPHAS)


def test_a_run_scores_eq33_readings_fit_times_and_training_accuracy(make_two_class_features):
    F, y = make_two_class_features(n_per_class=40, seed=1, burst_hz=90)
    train, test = paper_split(y, test_per_class=10, seed=0)
    for reduction in REDUCTIONS:
        result = protocol.run(F, y, train, test, pd.DataFrame({"record": y}),
                              dataclasses.replace(Settings(), reduction=reduction))
        assert set(HYBRID_VARIANTS) <= set(result.proba)
        assert result.temperature >= 1.0 and set(result.fit_cpu_s) == {"HMM", "RBFNN"}
        assert set(result.train_accuracy) == set(MODELS)
        assert all(result.accuracy(v) == 1.0 for v in HYBRID_VARIANTS)
        assert variant_agreement([result], HYBRID_SCALED) == 100.0


def test_hmm_temperature_is_the_median_training_gap_with_a_floor():
    assert protocol.hmm_temperature(np.array([[-10.0, -40.0], [-5.0, -15.0], [0.0, -100.0]])) == 30.0
    assert protocol.hmm_temperature(np.array([[-1.0, -1.2]])) == 1.0


def _view(n, label_offset, name):
    y = np.arange(n) % 3
    F = np.full((n, 2), float(label_offset)) + y[:, None]
    groups = pd.DataFrame({"record": [f"{name}-{i}" for i in range(n)]})
    return View(windows=SimpleNamespace(groups=groups), y=y, F=F,
                split=lambda s: (np.arange(n // 2), np.arange(n // 2, n)), name=name)


def test_paderborn_cross_trains_on_one_condition_and_tests_on_the_other(monkeypatch):
    calls = {}

    def fake_run(F, y, train, test, groups, settings):
        calls[len(calls)] = (F[train], F[test], groups.iloc[test]["record"].tolist())
        return "result"

    monkeypatch.setattr(protocol, "run", fake_run)
    out = protocol.paderborn_cross({"A": _view(6, 0, "A"), "B": _view(9, 100, "B")}, [("A", "B"), ("B", "A")])
    assert list(out) == [("A", "B"), ("B", "A")]
    train_F, test_F, test_records = calls[0]
    assert len(train_F) == 6 and (train_F < 100).all() and len(test_F) == 9 and (test_F >= 100).all()
    assert test_records == [f"B-{i}" for i in range(9)]
    assert len(calls[1][0]) == 9 and len(calls[1][1]) == 6


def test_stacked_posteriors_use_contiguous_folds(monkeypatch):
    seen = {}
    make = protocol.fusion.make_stacked_fusion

    def spy(models, *, cv):
        seen["cv"] = cv
        return make(models, cv=cv)

    monkeypatch.setattr(protocol.fusion, "make_stacked_fusion", spy)
    rng = np.random.default_rng(1)
    y = np.repeat([0, 1], 40)
    F = rng.standard_normal((80, 46 * 5)) + 3 * y[:, None]
    groups = pd.DataFrame({"record": y, "start": np.tile(np.arange(40) * 512, 2), "stop": 0})
    groups["stop"] = groups["start"] + 1024
    proba = protocol.stacked_posteriors(F, y, F[:6], Settings(), groups_train=groups)
    assert proba.shape == (6, 2)
    tests = [test for _, test in seen["cv"]]
    assert all(np.all(np.diff(np.sort(t[y[t] == 0])) == 1) for t in tests)     # one contiguous chunk


def _noise_view(seed=3):
    rng = np.random.default_rng(seed)
    y = np.repeat([0, 1], 40)
    F = rng.standard_normal((80, 46 * 5)) + 2 * y[:, None]
    return View(SimpleNamespace(groups=pd.DataFrame({"record": y})), y, F,
                lambda s: paper_split(y, test_per_class=10, seed=s), "v")


def test_run_view_gives_the_run_of_its_seed_in_run_views():
    view = _noise_view()
    serial = protocol.run_views({"v": view}, [1, 2], n_jobs=1)["v"]
    one = protocol.run_view(view, [1])
    np.testing.assert_allclose(one[0].proba["Hybrid"], serial[0].proba["Hybrid"])


@pytest.mark.slow  # starts two worker processes, each importing the package's scientific stack
def test_run_views_in_two_processes_gives_the_runs_of_one():
    view = _noise_view()
    serial = protocol.run_views({"v": view}, [1, 2], n_jobs=1)["v"]
    parallel = protocol.run_views({"v": view}, [1, 2], n_jobs=2)["v"]
    for a, b in zip(serial, parallel, strict=True):
        np.testing.assert_array_equal(a.y_true, b.y_true)
        np.testing.assert_allclose(a.proba["Hybrid"], b.proba["Hybrid"])


def test_hmm_accuracies_and_fit_models_use_the_split_of_each_seed():
    view = _noise_view()
    accuracy = protocol.hmm_accuracies({"v": view}, [1, 2], Settings(n_states=1))["v"]
    assert len(accuracy) == 2 and all(0 <= a <= 100 for a in accuracy)
    hmm, rbf = protocol.fit_models(view, 1)
    train, test = view.split(1)
    assert hmm[-1].n_states == 4 and len(hmm[-1].models_) == 2
    assert rbf.predict_proba(view.F[test]).shape == (20, 2)
    assert pytest.approx(100 * np.mean(protocol.run(view.F, view.y, train, test, view.windows.groups)
                                       .predictions("HMM") == view.y[test])) == \
        100 * np.mean(hmm.predict(view.F[test]) == view.y[test])
