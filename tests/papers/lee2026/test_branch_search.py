"""Stage 2: cross-validation side by side, reproducible; a stage resumed from the History DB; the space."""

import inspect
import time

import numpy as np
import pandas as pd
import pytest

from bearingkit.errors import Unfinished, UnknownNameError
from bearingkit.hpo import HistoryDB, StageResult, run_stage
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026.branch_inputs import gru_inputs
from bearingkit.papers.lee2026.branch_search import (
    cross_validate,
    half_budget,
    half_is_prefix,
    run_branch,
    rung_epochs,
    search_space,
)
from bearingkit.papers.lee2026.css_check import CHECK_PARAMS
from bearingkit.papers.lee2026.data import random_folds
from bearingkit.papers.lee2026.history import params_key
from bearingkit.papers.lee2026.screening import Candidate
from bearingkit.papers.lee2026.settings import Settings

FS = 12_000.0


def test_cross_validation_is_reproducible_with_the_seed(make_synthetic):
    data = make_synthetic(n_per_class=12, length=256)
    folds = random_folds(data.y, n_splits=2, seed=0)
    inputs = gru_inputs(data.X, data.y, data.X[:4], folds, candidate=Candidate(band=(2500.0, 3500.0)),
                        fs=FS, frame=8, n_classes=2)
    params = {**CHECK_PARAMS, "width": 8}
    runs = [cross_validate(inputs, params, epochs=1, seed=3, n_classes=2, n_dev=len(data.y),
                           report=lambda step, value: None) for _ in range(2)]
    # the second run trains the network the first one compiled: the cache changes nothing
    np.testing.assert_allclose(runs[0].oof, runs[1].oof, atol=1e-6)
    np.testing.assert_allclose(runs[0].oof.sum(axis=1), 1.0, atol=1e-5)
    assert runs[0].test.shape == (4, 2) and runs[0].scores == runs[1].scores


def test_the_folds_swap_at_hyperbands_rungs():
    assert rung_epochs(20) == [1, 3, 9, 20] and rung_epochs(3) == [1, 3] and rung_epochs(1) == [1]


def test_the_search_space_differs_by_branch_and_refuses_an_unknown_one():
    gru, cnn = search_space("gru"), search_space("cnn")
    assert gru.names == cnn.names == ["depth", "width", "learning_rate", "batch_size", "dropout", "optimizer",
                                      "scheduler"]
    assert gru.dimensions[0] != cnn.dimensions[0]
    with pytest.raises(UnknownNameError, match="branch"):
        search_space("lstm")


def _tiny_branch(make_synthetic, tmp_path, name, trials, deadline=None, calls=None):
    data = make_synthetic(n_per_class=8, length=256)
    folds = random_folds(data.y, n_splits=2, seed=0)
    inputs = gru_inputs(data.X, data.y, data.X[:3], folds, candidate=Candidate(band=(2500.0, 3500.0)),
                        fs=FS, frame=16, n_classes=2)
    if calls is not None:
        build = inputs.build
        inputs.build = lambda params: (calls.append(params), build({**params, "width": 4}))[1]
    settings = Settings(gru_trials=trials, n_lhs=2, n_kriging=1, epochs=1, top_k=2)
    history = HistoryDB(sqlite_url(tmp_path / name))
    return run_branch(inputs, branch="gru", settings=settings, history=history, study="tiny/stage2/gru",
                      seed=1, n_classes=2, n_dev=len(data.y), deadline=deadline)


def test_a_stage_resumed_from_the_history_db_gives_the_uninterrupted_result_without_retraining(
        make_synthetic, tmp_path):
    whole = _tiny_branch(make_synthetic, tmp_path, "whole.db", trials=3, calls=[])
    _tiny_branch(make_synthetic, tmp_path, "pieces.db", trials=2, calls=[])  # interrupted after two trials
    calls = []
    resumed = _tiny_branch(make_synthetic, tmp_path, "pieces.db", trials=3, calls=calls)
    assert len(calls) == 1  # only the missing trial trained
    columns = ["number", "state", "value"]
    pd.testing.assert_frame_equal(resumed.stage.trials[columns], whole.stage.trials[columns])
    assert list(resumed.top["number"]) == list(whole.top["number"])
    for a, b in zip(resumed.oof + resumed.test, whole.oof + whole.test, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert whole.half is not None and whole.half["trials"] >= 1


def test_a_spent_time_budget_stops_the_stage_and_a_rerun_completes_it(make_synthetic, tmp_path):
    if "time_budget_s" not in inspect.signature(run_stage).parameters:
        pytest.skip("bearingkit.hpo.run_stage has no time_budget_s yet")
    with pytest.raises(Unfinished, match="time budget"):
        _tiny_branch(make_synthetic, tmp_path, "budget.db", trials=3, deadline=time.monotonic())
    resumed = _tiny_branch(make_synthetic, tmp_path, "budget.db", trials=3, calls=[])
    whole = _tiny_branch(make_synthetic, tmp_path, "whole.db", trials=3, calls=[])
    columns = ["number", "state", "value"]
    pd.testing.assert_frame_equal(resumed.stage.trials[columns], whole.stage.trials[columns])


def test_a_constant_rate_trial_read_at_half_its_epochs_is_the_run_of_half_its_epochs(make_synthetic):
    data = make_synthetic(n_per_class=8, length=256)
    folds = random_folds(data.y, n_splits=2, seed=0)
    inputs = gru_inputs(data.X, data.y, data.X[:2], folds, candidate=Candidate(band=(2500.0, 3500.0)),
                        fs=FS, frame=16, n_classes=2)
    params = {**CHECK_PARAMS, "width": 4, "scheduler": "constant"}
    read = {}
    cross_validate(inputs, params, epochs=4, seed=2, n_classes=2, n_dev=len(data.y),
                   report=lambda step, value: None,
                   checkpoints={2: lambda score, oof, test: read.update(score=score, oof=oof, test=test)})
    half = cross_validate(inputs, params, epochs=2, seed=2, n_classes=2, n_dev=len(data.y),
                          report=lambda step, value: None)
    assert half_is_prefix(params, epochs=4, half=2)
    assert read["score"] == pytest.approx(half.score)
    np.testing.assert_allclose(read["oof"], half.oof, atol=1e-6)
    np.testing.assert_allclose(read["test"], half.test, atol=1e-6)


def test_the_half_budget_trains_a_cosine_trial_again_and_leaves_out_one_pruned_before_half(tmp_path):
    history = HistoryDB(sqlite_url(tmp_path / "half.db"))
    cosine, pruned, constant, late = ({"scheduler": s, "width": w} for s, w in
                                      (("cosine", 1), ("constant", 2), ("constant", 3), ("cosine", 4)))
    trials = pd.DataFrame({"number": [0, 1, 2, 3], "state": ["COMPLETE", "PRUNED", "COMPLETE", "COMPLETE"],
                           "budget": [4, 1, 4, 4], "params": [cosine, pruned, constant, late]})
    stage = StageResult("s", trials, cosine, 0.9, "trial cap", 1.0)
    stored = {"score": 0.6, "oof": np.full((2, 2), 0.5), "test": np.empty((0, 2))}
    history.put("s", f"posteriors-half/{params_key(constant)}", stored)
    trained = []

    def train(params):
        trained.append(params)
        return {"score": 0.8, "oof": np.eye(2), "test": np.empty((0, 2))}

    half = half_budget(stage, history, "s", trials=3, k=2, half=2, train=train)
    assert trained == [cosine]  # trial 3 lies beyond the first half, trial 1 stopped before epoch 2
    assert half["trials"] == 2 and half["best"] == 0.8
    np.testing.assert_allclose(half["oof"][1], stored["oof"])
