"""Small data and runs for the tests of bearingkit.papers.lee2026: windows with a resonance, posteriors, and a
whole run whose Stage 2 is stood in for by given posteriors (Stages 1 and 3 are the real ones)."""

from __future__ import annotations

import dataclasses
import types

import numpy as np
import pandas as pd
import pytest

from bearingkit.hpo import HistoryDB
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026.branch_search import BranchResult
from bearingkit.papers.lee2026.convergence import convergence_check
from bearingkit.papers.lee2026.data import Dataset, random_folds
from bearingkit.papers.lee2026.feature_reference import feature_reference
from bearingkit.papers.lee2026.pipeline import PipelineResult, fuse_branches, screen_branches
from bearingkit.papers.lee2026.settings import Settings

FS = 12_000.0


def synthetic(n_per_class=30, length=1024, seed=0, loads=(0, 1, 2, 3)) -> Dataset:
    """Class 0: noise; class 1: noise + impacts ringing at 3 kHz, both channels. A load column per window."""
    rng = np.random.default_rng(seed)
    t = np.arange(256) / FS
    ring = np.exp(-400 * t) * np.sin(2 * np.pi * 3000 * t)
    X = rng.standard_normal((2 * n_per_class, 2, length)) * 0.5
    for i in range(n_per_class, 2 * n_per_class):
        for start in range(rng.integers(0, 100), length - 256, 120):
            X[i, :, start:start + 256] += 3 * ring
    y = np.repeat([0, 1], n_per_class)
    load = [loads[i % len(loads)] for i in range(len(y))]
    groups = pd.DataFrame({"record": [f"r{c}-{w}" for c, w in zip(y, load, strict=True)],
                           "label": np.where(y == 0, "normal", "outer"),
                           "load": load,
                           "start": np.arange(len(y)) * length, "stop": np.arange(1, len(y) + 1) * length})
    return Dataset("synthetic", "simulated", X.astype(np.float32), y, ("normal", "outer"), FS, groups,
                   ("a", "b"), holdout_by="load")


def posteriors(y, good_classes, n_classes=4, seed=0):
    """Posteriors that are right on ``good_classes`` and a coin toss elsewhere."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(n_classes), size=len(y))
    sure = np.isin(y, good_classes)
    p[sure] = 0.05 / (n_classes - 1)
    p[sure, y[sure]] = 0.95
    return p


#: Settings of a run on :func:`synthetic` windows that finishes in seconds.
TINY = Settings(datasets=("cwru",), length=256, image_size=32, gru_pool=3, cnn_pool=3, gru_trials=1,
                cnn_trials=1, n_lhs=1, n_kriging=0, epochs=1, folds=2, top_k=1, fusion_folds=2,
                fusion_seeds=1, head_trees=5, css_check_candidates=2)


def _branch(y, good, *, seed, best, half_best):
    trials = pd.DataFrame({"number": [0, 1, 2], "state": ["COMPLETE", "PRUNED", "COMPLETE"],
                           "value": [best - 0.05, 0.4, best], "phase": ["lhs", "kriging", "bohb"]})
    stage = types.SimpleNamespace(trials=trials, best_value=best, stopped_by="trial cap")
    oof = [posteriors(y, good, n_classes=2, seed=seed), posteriors(y, [], n_classes=2, seed=seed + 1)]
    half = {"best": half_best, "oof": oof, "test": [np.empty((0, 2))] * 2, "trials": 2}
    return BranchResult(stage, trials.iloc[[2, 0]], oof, [np.empty((0, 2))] * 2,
                        {"dropout": 0.6, "learning_rate": 0.3, "width": 0.1}, half)


#: Stage 2 folds of the stand-in run.
STAND_IN_FOLDS = 3


def stand_in_folds(y):
    """The stand-in run's Stage 2 folds (seeded)."""
    return random_folds(y, n_splits=STAND_IN_FOLDS, seed=0)


def stand_in_run(tmp_path) -> PipelineResult:
    """A converged paper-split run on :func:`synthetic` windows: real Stages 1 and 3, Stage 2 stood in."""
    data = synthetic(n_per_class=20, length=512)
    settings = dataclasses.replace(TINY, length=512, gru_pool=4, folds=STAND_IN_FOLDS, top_k=2,
                                   fusion_folds=5, fusion_seeds=3)
    history = HistoryDB(sqlite_url(tmp_path / "run.db"))
    pools, stage1, halving, chosen = screen_branches(data, settings=settings, seed=0, history=history,
                                                     prefix="t", log=lambda line: None)
    branches = {"gru": _branch(data.y, [0, 1], seed=1, best=0.9, half_best=0.9),
                "cnn": _branch(data.y, [1], seed=3, best=0.8, half_best=0.8)}
    fused = fuse_branches(branches, data.y, data.y[:0], stand_in_folds(data.y), settings=settings, seed=1,
                          history=history, prefix="t")
    return PipelineResult(dataset="CWRU", data_kind="real", split="paper", classes=data.classes, pools=pools,
                          stage1=stage1, halving=halving, chosen=chosen,
                          proxy_features=np.random.default_rng(0).standard_normal((len(data.y), 14)),
                          y_dev=data.y, branches=branches, seconds={"stage 1": 1.0, "stage 3": 2.0},
                          reference=feature_reference(data.X, data.y, data.X[:0], data.y[:0],
                                                      stand_in_folds(data.y), fs=data.fs), **fused)


def unconverged(run: PipelineResult) -> PipelineResult:
    """``run`` with its GRU at 0.7 at half its budget (0.9 at full): its convergence check fails."""
    gru = run.branches["gru"]
    branches = {**run.branches, "gru": dataclasses.replace(gru, half={**gru.half, "best": 0.7})}
    check = convergence_check(branches, run.y_dev, run.y_dev[:0], stand_in_folds(run.y_dev),
                              eta=TINY.halving_eta, full_fused=run.best_pair["f_cv"], full_test=None)
    return dataclasses.replace(run, branches=branches, convergence=check)


@pytest.fixture
def make_synthetic():
    return synthetic


@pytest.fixture
def make_posteriors():
    return posteriors


@pytest.fixture(scope="session")
def run_result(tmp_path_factory):
    return stand_in_run(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="session")
def unconverged_result(run_result):
    return unconverged(run_result)


@pytest.fixture
def tiny_settings():
    return TINY
