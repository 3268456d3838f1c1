"""Lee, Park & Kook (2026): CSS screening, the History DB, and one Stage 2 trial per branch (2 CPU cores).

Targets from the issue: CSS for 100 candidates on the CWRU set <= 30 s; History DB overhead <= 20 ms per trial
on SQLite (50 trials with a trivial objective: <= 1 s). The Stage 2 trials are the quick profile's (3 folds,
5 epochs, 192 CWRU windows); they have no target and show where the notebook's time goes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness import case

from bearingkit.hpo import HistoryDB, SearchSpace, real, run_stage
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers import lee2026 as lee

QUICK = lee.PROFILES["quick"]["settings"]


@case("CSS of 100 GRU candidates, CWRU quick set (192 windows x 2 axes)", target_s=30.0, target_mib=2000)
def css_100_candidates():
    data = lee.load_cwru_views(QUICK)
    pool = lee.candidate_pool("gru", n=100, fs=data.fs, length=data.X.shape[-1], seed=0)
    return lambda: lee.screen_pool(data, "gru", pool)


@case("History DB: 50 container trials, trivial objective, SQLite", target_s=1.0, target_mib=600)
def history_overhead():
    space = SearchSpace((real("x", 0.0, 1.0), real("y", 0.0, 1.0)))

    def work():
        with tempfile.TemporaryDirectory() as tmp:
            db = HistoryDB(sqlite_url(Path(tmp) / "history.db"))
            run_stage(lambda p, report: p["x"], space, history=db, study_name="bench", seed=0, max_trials=50,
                      n_lhs=50, n_kriging=0, patience=100)

    return work


def _branch_trial(branch: str):
    data = lee.load_cwru_views(QUICK)
    folds = lee.random_folds(data.y, n_splits=QUICK.folds, seed=0)
    candidate = lee.candidate_pool(branch, n=1, fs=data.fs, length=data.X.shape[-1], seed=0)[0]
    if branch == "gru":
        inputs = lee.gru_inputs(data.X, data.y, data.X[:0], folds, candidate=candidate, fs=data.fs,
                                frame=QUICK.gru_frame, n_classes=4)
    else:
        inputs = lee.cnn_inputs(data.X, data.y, data.X[:0], folds, candidate=candidate, fs=data.fs,
                                size=QUICK.image_size, n_classes=4)
    params = {**lee.CHECK_PARAMS, "width": 64}
    return lambda: lee.cross_validate(inputs, params, epochs=QUICK.epochs, seed=0, n_classes=4,
                                      n_dev=len(data.y), report=lambda step, value: None)


@case("Stage 2 GRU trial, quick profile (3 folds x 5 epochs)", target_mib=3000)
def gru_trial():
    return _branch_trial("gru")


@case("Stage 2 EfficientNetV2-B0 trial, quick profile (48 px, 3 folds x 5 epochs)", target_mib=4000)
def cnn_trial():
    return _branch_trial("cnn")
