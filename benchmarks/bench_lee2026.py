"""Lee, Park & Kook (2026): CSS screening and one Stage 2 trial per branch (2 CPU cores).

Targets from the issue: CSS for 100 candidates on the CWRU set <= 30 s (the History DB's cases are in
``bench_hpo.py``, a module that does not load Keras). The Stage 2 trials are the quick profile's (its folds,
epochs and map size, 192 CWRU windows, two trials sharing one compiled network): they report the trace per
trial, training windows/s and the share of the trials spent outside the training steps (target <= 20 %).
"""

from __future__ import annotations

from harness import case

from bearingkit.models import training
from bearingkit.papers.lee2026.branch_inputs import cnn_inputs, gru_inputs
from bearingkit.papers.lee2026.branch_search import cross_validate
from bearingkit.papers.lee2026.css_check import CHECK_PARAMS
from bearingkit.papers.lee2026.data import load_cwru_views, random_folds
from bearingkit.papers.lee2026.screening import candidate_pool, screen_pool
from bearingkit.papers.lee2026.settings import branch_epochs, settings_for

QUICK = settings_for("quick")


@case("CSS of 100 GRU candidates, CWRU quick set (192 windows x 2 axes)", target_s=30.0, target_mib=2000)
def css_100_candidates():
    data = load_cwru_views(QUICK)
    pool = candidate_pool("gru", n=100, fs=data.fs, length=data.X.shape[-1], seed=0)
    return lambda: screen_pool(data, "gru", pool)


def _branch_trials(branch: str):
    """Two quick-profile trials of one branch on CWRU (the second reuses the first one's network)."""
    data = load_cwru_views(QUICK)
    folds = random_folds(data.y, n_splits=QUICK.folds, seed=0)
    candidate = candidate_pool(branch, n=1, fs=data.fs, length=data.X.shape[-1], seed=0)[0]
    if branch == "gru":
        inputs = gru_inputs(data.X, data.y, data.X[:0], folds, candidate=candidate, fs=data.fs,
                                frame=QUICK.gru_frame, n_classes=4)
    else:
        inputs = cnn_inputs(data.X, data.y, data.X[:0], folds, candidate=candidate, fs=data.fs,
                                size=QUICK.image_size, n_classes=4)
    trials = [{**CHECK_PARAMS, "width": 64}, {**CHECK_PARAMS, "width": 64, "dropout": 0.3,
                                                  "optimizer": "rmsprop", "batch_size": 16}]

    def work():
        engine = training.Engine()
        for params in trials:
            cross_validate(inputs, params, epochs=branch_epochs(QUICK, branch), seed=0, n_classes=4,
                               n_dev=len(data.y), report=lambda step, value: None, engine=engine)
        t = engine.timings
        return {"trace s per trial": t.trace / len(trials), "windows/s": t.samples / t.train,
                "outside training (share)": t.outside_training, "state copies s": t.state,
                "predict s": t.predict}

    return work


#: The issue's target: at most a fifth of a trial outside the training steps' arithmetic.
OUTSIDE = {"outside training (share)": ("<=", 0.20)}


@case(f"Stage 2 GRU, 2 quick trials ({QUICK.folds} folds x {branch_epochs(QUICK, 'gru')} epochs, "
      "192 CWRU windows)", target_mib=3000, limits=OUTSIDE)
def gru_trial():
    return _branch_trials("gru")


@case(f"Stage 2 EfficientNetV2-B0, 2 quick trials ({QUICK.image_size} px, {QUICK.folds} folds x "
      f"{branch_epochs(QUICK, 'cnn')} epochs)", target_mib=4000, limits=OUTSIDE)
def cnn_trial():
    return _branch_trials("cnn")
