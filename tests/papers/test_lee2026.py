"""The protocol of Lee et al. (2026): pools, Stage 1 on signals, splits, fusion and the statistics."""

import dataclasses
import types

import numpy as np
import pandas as pd
import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers import lee2026 as lee

FS = 12_000.0


def _synthetic(n_per_class=30, length=1024, seed=0, loads=(0, 1, 2, 3)):
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
    return lee.Dataset("synthetic", "simulated", X.astype(np.float32), y, ("normal", "outer"), FS, groups,
                       ("a", "b"), holdout_by="load")


def test_windows_do_not_overlap_and_cover_the_record():
    starts = lee.spread_windows(np.zeros((2, 10_000)), n=5, length=2000)
    assert list(starts) == [0, 2000, 4000, 6000, 8000]
    assert len(lee.spread_windows(np.zeros(5000), n=9, length=1000)) == 5
    with pytest.raises(ParameterError, match="no window"):
        lee.spread_windows(np.zeros(10), n=1, length=20)


def test_pool_is_drawn_by_lhs_inside_nyquist_and_repeats_with_the_seed():
    pool = lee.candidate_pool("cnn", n=26, fs=FS, length=2048, seed=1)
    assert len(pool) == 26 and pool == lee.candidate_pool("cnn", n=26, fs=FS, length=2048, seed=1)
    assert all(20 <= c.band[0] < c.band[1] <= 0.48 * FS for c in pool)
    assert {c.nperseg for c in pool} == {64, 128, 256}
    assert all(c.nperseg is None for c in lee.candidate_pool("gru", n=5, fs=FS, length=2048, seed=1))


def test_css_prefers_the_resonance_band_to_an_empty_band():
    data = _synthetic()
    pool = [lee.Candidate(band=(2500.0, 3500.0)), lee.Candidate(band=(200.0, 300.0)),
            lee.Candidate(band=(4800.0, 5600.0))]
    table = lee.screen_pool(data, "gru", pool)
    assert table["css"].idxmax() == 0 and table.loc[0, "css"] > table.loc[1, "css"]


def test_css_is_blind_to_a_per_channel_gain_so_scaling_is_not_in_the_pool():
    data = _synthetic()
    gained = dataclasses.replace(data, X=data.X * np.array([[5.0], [0.2]], dtype=np.float32))
    pool = lee.candidate_pool("gru", n=4, fs=FS, length=1024, seed=0)
    raw = [f"raw_{m}" for m in ("fisher", "mahalanobis", "bhattacharyya", "silhouette", "kl_divergence")]
    np.testing.assert_allclose(lee.screen_pool(gained, "gru", pool)[raw],
                               lee.screen_pool(data, "gru", pool)[raw], rtol=1e-4)


def test_a_failing_candidate_keeps_its_reason_and_the_others_are_ranked():
    data = _synthetic()
    pool = [lee.Candidate(band=(2500.0, 3500.0)), lee.Candidate(band=(5000.0, 7000.0))]   # above Nyquist
    table = lee.screen_pool(data, "gru", pool)
    assert np.isnan(table.loc[1, "css"]) and "band" in table.loc[1, "error"]
    assert table.loc[0, "css"] == pytest.approx(1.0)


def test_holdout_split_holds_out_a_load_and_groups_the_folds():
    data = _synthetic()
    dev, test, folds = lee.holdout_split(data)
    loads = data.groups["load"].to_numpy()
    faulty = data.y == 1
    assert set(loads[test[faulty[test]]]) == {3} and 3 not in set(loads[dev[faulty[dev]]])
    assert len(folds) == 3
    for train, val in folds:
        assert not set(loads[dev][train][faulty[dev][train]]) & set(loads[dev][val][faulty[dev][val]])
        assert (data.y[dev][val] == 0).any() and (data.y[dev][train] == 0).any()


def test_holdout_needs_three_groups():
    with pytest.raises(ParameterError, match="at least 3"):
        lee.holdout_split(_synthetic(loads=(0, 1)))


def test_energy_maps_become_uint8_images_with_channels_last():
    data = _synthetic(n_per_class=4)
    maps = lee.energy_maps(data.X, lee.Candidate(band=(1000.0, 5000.0), nperseg=64), fs=FS)
    images = lee.to_images(maps, lee.uint8_bounds(maps), size=32)
    assert images.shape == (8, 32, 32, 2) and images.dtype == np.uint8
    assert images.min() == 0 and images.max() == 255


def _posteriors(y, good_classes, n_classes=4, seed=0):
    """Posteriors that are right on ``good_classes`` and a coin toss elsewhere."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(n_classes), size=len(y))
    sure = np.isin(y, good_classes)
    p[sure] = 0.05 / (n_classes - 1)
    p[sure, y[sure]] = 0.95
    return p


def test_simplex_fusion_of_complementary_branches_beats_either_branch():
    y = np.repeat(np.arange(4), 50)
    p_rnn, p_cnn = _posteriors(y, [0, 1], seed=1), _posteriors(y, [2, 3], seed=2)
    folds = lee.random_folds(y, n_splits=5, seed=0)
    w, score = lee.best_simplex_weight(p_rnn, p_cnn, y, folds)
    alone = [np.mean([lee.macro_f1(y[v], p.argmax(axis=1)[v]) for _, v in folds]) for p in (p_rnn, p_cnn)]
    assert 0 < w < 1 and score > max(alone) + 0.1


def test_fusion_scores_cover_every_rule_and_head_and_argmax_only_where_defined():
    y = np.repeat(np.arange(3), 30)
    p = [_posteriors(y, [0, 1, 2], n_classes=3, seed=s) for s in range(4)]
    inputs = {"simple average": (p[0] + p[1]) / 2, "weighted average": p[2], "PCA projection": np.hstack(p),
              "concatenation": np.hstack(p)}
    scores = lee.fusion_scores(inputs, y, n_classes=3, folds=5, seeds=[0, 1])
    table = lee.heatmap_table(scores)
    assert table.shape == (4, 5) and table.loc["concatenation", "LightGBM"] > 0.95
    assert np.isnan(table.loc["concatenation", "argmax"]) and np.isnan(table.loc["PCA projection", "argmax"])
    assert len(scores.query("rule == 'concatenation' and head == 'LightGBM'")) == 10


def test_wilcoxon_on_five_pairs_cannot_reach_five_percent():
    cells = (("concatenation", "LightGBM", 0.99), ("simple average", "argmax", 0.9))
    rows = [{"rule": r, "head": h, "seed": 0, "fold": f, "macro_f1": v + 0.01 * f}
            for f in range(5) for r, h, v in cells]
    result = lee.wilcoxon(pd.DataFrame(rows), ("concatenation", "LightGBM"), ("simple average", "argmax"))
    assert result["one_seed"]["p"] == pytest.approx(0.0625)
    assert result["mean_difference"] == pytest.approx(0.09)


def test_cross_validation_is_reproducible_with_the_seed():
    data = _synthetic(n_per_class=12, length=256)
    folds = lee.random_folds(data.y, n_splits=2, seed=0)
    inputs = lee.gru_inputs(data.X, data.y, data.X[:4], folds, candidate=lee.Candidate(band=(2500.0, 3500.0)),
                            fs=FS, frame=8, n_classes=2)
    params = {**lee.CHECK_PARAMS, "width": 8}
    runs = [lee.cross_validate(inputs, params, epochs=1, seed=3, n_classes=2, n_dev=len(data.y),
                               report=lambda step, value: None) for _ in range(2)]
    # the second run trains the network the first one compiled: the cache changes nothing
    np.testing.assert_allclose(runs[0].oof, runs[1].oof, atol=1e-6)
    np.testing.assert_allclose(runs[0].oof.sum(axis=1), 1.0, atol=1e-5)
    assert runs[0].test.shape == (4, 2) and runs[0].scores == runs[1].scores


def test_paderborn_subsets_are_spread_evenly_and_every_quick_run_gets_the_main_runs_budget():
    assert list(lee.evenly_spaced(100, 4)) == [0, 33, 66, 99]
    assert len(lee.evenly_spaced(5, None)) == 5 and len(lee.evenly_spaced(5, 9)) == 5
    quick = lee.PROFILES["quick"]
    for run in (lee.MAIN_RUN, ("paderborn", "held-out condition"), ("cwru", "held-out load")):
        assert lee.run_settings(quick, *run) == quick["settings"]
    assert lee.branch_epochs(quick["settings"], "cnn") == quick["settings"].cnn_epochs
    assert lee.half_epochs(quick["settings"], "gru") == quick["settings"].epochs // 2


def test_a_run_is_converged_only_when_its_half_budget_scores_lie_within_two_points():
    stage = types.SimpleNamespace(best_value=0.95)
    p = np.eye(2)[[0, 1, 0, 1, 0, 1]] * 0.9 + 0.05
    y = np.array([0, 1, 0, 1, 0, 1])
    folds = lee.random_folds(y, n_splits=2, seed=0)
    half = {"best": 0.94, "oof": [p], "test": [p[:2]], "trials": 1}
    branches = {b: types.SimpleNamespace(stage=stage, half=half) for b in lee.BRANCHES}
    check = lee.convergence_check(branches, y, y[:2], folds, eta=3, full_fused=1.0, full_test=1.0)
    assert check["converged"] and check["change"]["gru best F_CV"] == pytest.approx(-0.01)
    moved = lee.convergence_check(branches, y, y[:2], folds, eta=3, full_fused=1.0, full_test=1.0,
                                  tolerance=0.005)
    assert not moved["converged"]
    nothing = {b: types.SimpleNamespace(stage=stage, half=None) for b in lee.BRANCHES}
    missing = lee.convergence_check(nothing, y, y[:2], folds, eta=3, full_fused=1.0, full_test=None)
    assert not missing["converged"]
    assert lee.convergence_table({}).empty        # a piece that finished no run


def test_the_full_profile_runs_every_data_set_at_full_budget():
    full = lee.PROFILES["full"]
    assert lee.run_settings(full, "paderborn", "paper") == full["settings"]


def test_every_data_set_gets_the_same_number_of_gru_steps():
    settings = lee.Settings(length=1024, gru_frame=8)
    assert lee.gru_frame(1024, settings) == 8 and lee.gru_frame(2560, settings) == 20


def test_stage1_halving_over_segments_keeps_a_third_and_picks_the_resonance_band():
    data = _synthetic(n_per_class=30)
    pool = [lee.Candidate(band=(200.0 + 40 * i, 300.0 + 40 * i)) for i in range(8)]
    pool.insert(5, lee.Candidate(band=(2500.0, 3500.0)))
    table = lee.screen_by_halving(data, "gru", pool, eta=3, seed=0)
    per_rung = table.groupby("rung").agg(n=("candidate", "size"), segments=("segments", "max"))
    assert list(per_rung["n"]) == [9, 3] and per_rung["segments"].is_monotonic_increasing
    assert per_rung["segments"].iloc[-1] == len(data.y) and per_rung["segments"].iloc[0] < len(data.y)
    assert table.attrs["chosen"] == 5
    assert lee.halving_rungs(77, eta=3) == 4 and lee.halving_rungs(1, eta=3) == 1
    with pytest.raises(ParameterError, match="eta"):
        lee.halving_rungs(5, eta=1)


def test_stratified_prefixes_keep_the_class_proportions():
    y = np.repeat([0, 1, 2], [20, 40, 60])
    order = lee.stratified_order(y, seed=0)
    assert sorted(order) == list(range(len(y)))
    assert np.bincount(y[order[:12]], minlength=3).tolist() == [2, 4, 6]


def test_stage3_halving_over_folds_scores_the_survivors_on_every_fold():
    y = np.repeat(np.arange(4), 50)
    p_rnn = [_posteriors(y, [0, 1], seed=s) for s in (1, 3, 5)]
    p_cnn = [_posteriors(y, [2, 3], seed=s) for s in (2, 4)] + [_posteriors(y, [], seed=6)]
    folds = lee.random_folds(y, n_splits=5, seed=0)
    pairs = lee.pair_table(p_rnn, p_cnn, y, folds, eta=3)
    first, last = pairs[pairs["rung"] == 0], pairs[pairs["rung"] == pairs["rung"].max()]
    assert len(first) == 9 and first["folds"].max() < 5 and set(last["folds"]) == {5}
    assert len(last) < len(first)
    best = lee.best_pair(pairs)
    assert best["t"] != 2 and best["folds"] == 5 and 0 < best["w_rnn"] < 1


def test_history_db_refuses_another_runs_configuration(tmp_path):
    from bearingkit.hpo.history import sqlite_url

    url = sqlite_url(tmp_path / "h.db")
    config = {"profile": "quick", "seed": 0, "settings": dataclasses.asdict(lee.Settings())}
    lee.open_history(url, config, resume=False)
    lee.open_history(url, config, resume=True)        # same run: continued
    with pytest.raises(ParameterError, match="already holds a run"):
        lee.open_history(url, config, resume=False)
    with pytest.raises(ParameterError, match=r"another configuration .*seed"):
        lee.open_history(url, {**config, "seed": 1}, resume=True)


def _tiny_branch(tmp_path, name, trials, deadline=None, calls=None):
    from bearingkit.hpo import HistoryDB
    from bearingkit.hpo.history import sqlite_url

    data = _synthetic(n_per_class=8, length=256)
    folds = lee.random_folds(data.y, n_splits=2, seed=0)
    inputs = lee.gru_inputs(data.X, data.y, data.X[:3], folds, candidate=lee.Candidate(band=(2500.0, 3500.0)),
                            fs=FS, frame=16, n_classes=2)
    if calls is not None:
        build = inputs.build
        inputs.build = lambda params: (calls.append(params), build({**params, "width": 4}))[1]
    settings = lee.Settings(gru_trials=trials, n_lhs=2, n_kriging=1, epochs=1, top_k=2)
    history = HistoryDB(sqlite_url(tmp_path / name))
    return lee.run_branch(inputs, branch="gru", settings=settings, history=history,
                          study="tiny/stage2/gru", seed=1, n_classes=2, n_dev=len(data.y), deadline=deadline)


def test_a_stage_resumed_from_the_history_db_gives_the_uninterrupted_result_without_retraining(tmp_path):
    whole = _tiny_branch(tmp_path, "whole.db", trials=3, calls=[])
    _tiny_branch(tmp_path, "pieces.db", trials=2, calls=[])           # interrupted after two trials
    calls = []
    resumed = _tiny_branch(tmp_path, "pieces.db", trials=3, calls=calls)
    assert len(calls) == 1                                           # only the missing trial trained
    columns = ["number", "state", "value"]
    pd.testing.assert_frame_equal(resumed.stage.trials[columns], whole.stage.trials[columns])
    assert list(resumed.top["number"]) == list(whole.top["number"])
    for a, b in zip(resumed.oof + resumed.test, whole.oof + whole.test, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_a_spent_time_budget_stops_the_stage_and_a_rerun_completes_it(tmp_path):
    import inspect
    import time

    from bearingkit.hpo import run_stage
    if "time_budget_s" not in inspect.signature(run_stage).parameters:
        pytest.skip("bearingkit.hpo.run_stage has no time_budget_s yet")
    with pytest.raises(lee.Unfinished, match="time budget"):
        _tiny_branch(tmp_path, "budget.db", trials=3, deadline=time.monotonic())
    resumed = _tiny_branch(tmp_path, "budget.db", trials=3, calls=[])
    whole = _tiny_branch(tmp_path, "whole.db", trials=3, calls=[])
    columns = ["number", "state", "value"]
    pd.testing.assert_frame_equal(resumed.stage.trials[columns], whole.stage.trials[columns])


def test_the_run_plan_starts_with_the_main_run_and_covers_both_splits_of_every_data_set():
    data = _synthetic(n_per_class=4, length=256)
    plan = lee.run_plan({"paderborn": data, "cwru": data})
    assert plan[0] == lee.MAIN_RUN
    assert sorted(plan) == sorted([("cwru", "paper"), ("paderborn", "paper"), ("cwru", "held-out load"),
                                   ("paderborn", "held-out load")])


def test_a_run_in_the_worker_process_is_read_back_here_from_the_shared_history_db(tmp_path, monkeypatch):
    from bearingkit.hpo.history import sqlite_url

    data = _synthetic(n_per_class=12, length=256)
    settings = dataclasses.replace(lee.Settings(), length=256, image_size=32, gru_pool=3, cnn_pool=3,
                                   gru_trials=1, cnn_trials=1, n_lhs=1, n_kriging=0, epochs=1, folds=2,
                                   top_k=1, fusion_folds=2, fusion_seeds=1, head_trees=5)
    url = sqlite_url(tmp_path / "history.db")
    lee.open_history(url, {"test": "worker"}, resume=False)
    with lee.background_runner() as worker:
        there, lines, seconds = worker.submit(lee.pipeline_in_worker, data, split="paper", settings=settings,
                                              history_url=url, seed=5).result()
    assert seconds > 0 and any("stage 2 cnn" in line for line in lines)

    def no_training(*args, **kwargs):
        raise AssertionError("a trial finished in the worker was trained again")

    monkeypatch.setattr(lee, "cross_validate", no_training)
    here = lee.run_pipeline(data, split="paper", settings=settings, history=lee.HistoryDB(url), seed=5,
                            log=lambda line: None)
    for branch in lee.BRANCHES:
        columns = ["number", "state", "value"]
        pd.testing.assert_frame_equal(here.branches[branch].stage.trials[columns],
                                      there.branches[branch].stage.trials[columns])
        np.testing.assert_allclose(here.branches[branch].oof[0], there.branches[branch].oof[0])
    assert here.baselines == pytest.approx(there.baselines)
