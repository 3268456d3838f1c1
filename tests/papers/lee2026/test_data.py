"""Windows spread over a record, evenly spaced subsets, the two splits and the order of the runs."""

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers.lee2026.data import (
    holdout_split,
    load_datasets,
    random_folds,
    run_plan,
    windows_at,
)
from bearingkit.papers.lee2026.settings import MAIN_RUN, settings_for


def test_windows_are_cut_at_their_starts_from_every_channel():
    signal = np.arange(20.0).reshape(2, 10)
    windows = windows_at(signal, np.array([0, 5]), 5)
    assert windows.shape == (2, 2, 5) and windows.dtype == np.float32
    assert windows[1, 1, 0] == 15.0


def test_random_folds_are_stratified_and_repeat_with_the_seed():
    y = np.repeat([0, 1, 2], 10)
    folds = random_folds(y, n_splits=5, seed=0)
    assert all(np.bincount(y[val], minlength=3).tolist() == [2, 2, 2] for _, val in folds)
    assert all((a[1] == b[1]).all() for a, b in zip(folds, random_folds(y, n_splits=5, seed=0), strict=True))


def test_holdout_split_holds_out_a_load_and_groups_the_folds(make_synthetic):
    data = make_synthetic()
    dev, test, folds = holdout_split(data)
    loads = data.groups["load"].to_numpy()
    faulty = data.y == 1
    assert set(loads[test[faulty[test]]]) == {3} and 3 not in set(loads[dev[faulty[dev]]])
    assert len(folds) == 3
    for train, val in folds:
        assert not set(loads[dev][train][faulty[dev][train]]) & set(loads[dev][val][faulty[dev][val]])
        assert (data.y[dev][val] == 0).any() and (data.y[dev][train] == 0).any()


def test_a_class_at_one_load_only_is_cut_into_contiguous_blocks(make_synthetic):
    data = make_synthetic()
    data.groups.loc[data.y == 0, "load"] = 0            # the healthy class at 0 HP only, as CWRU's 97.mat
    dev, test, _ = holdout_split(data)
    healthy_test = test[data.y[test] == 0]
    healthy = np.flatnonzero(data.y == 0)
    assert len(healthy_test) == len(healthy) // 4 and (healthy_test == healthy[-len(healthy_test):]).all()


def test_holdout_needs_three_groups(make_synthetic):
    with pytest.raises(ParameterError, match="at least 3"):
        holdout_split(make_synthetic(loads=(0, 1)))


def test_the_run_plan_starts_with_the_main_run_and_covers_both_splits_of_every_data_set(make_synthetic):
    data = make_synthetic(n_per_class=4, length=256)
    plan = run_plan({"paderborn": data, "cwru": data})
    assert plan[0] == MAIN_RUN
    assert sorted(plan) == sorted([("cwru", "paper"), ("paderborn", "paper"), ("cwru", "held-out load"),
                                   ("paderborn", "held-out load")])
    assert data.held_out_split == "held-out load" and len(data.subset([0, 2]).groups) == 2


def test_the_quick_profiles_data_sets_come_from_the_mirror_cwru_first(mirror):
    datasets = load_datasets(settings_for("quick"), seed=0)
    assert list(datasets) == ["cwru", "paderborn"]
    cwru, paderborn = datasets["cwru"], datasets["paderborn"]
    assert cwru.X.shape == (192, 2, 1024) and cwru.fs == 12_000.0 and cwru.holdout_by == "load"
    assert np.bincount(cwru.y).tolist() == [48, 48, 48, 48]
    assert set(cwru.groups.loc[cwru.y == 0, "record"]) == {"cwru/97.mat"}      # resampled from 48 kHz
    assert paderborn.X.shape == (192, 1, 2560) and paderborn.held_out_split == "held-out condition"
    assert paderborn.groups.groupby(["condition", "label"]).size().eq(16).all()
