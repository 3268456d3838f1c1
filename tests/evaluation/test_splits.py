"""Leakage-aware splits: no recording sample index is ever in both train and test."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.data import concat_segments, segment
from bearingkit.errors import LeakageError, ParameterError
from bearingkit.evaluation.splits import (
    assert_disjoint,
    contiguous_block_split,
    group_kfold,
    held_out_split,
    leave_one_group_out,
)
from bearingkit.recording import Recording


def _segments(*, length=100, hop=30, n=2000, loads=(0, 1, 2, 3)):
    recs = [Recording(signal=np.random.default_rng(i).standard_normal(n + 37 * i), fs=1000.0,
                      label=("inner", "outer")[i % 2], dataset="sim", source=f"sim/{i}", load=float(load),
                      fault_size=(0.007, 0.014)[i % 2], extra={"condition": f"{load}hp"})
            for i, load in enumerate(loads)]
    return segment(recs, length=length, hop=hop)


def _samples(groups):
    """Set of (record, sample index) covered by the windows."""
    spans = groups[["record", "start", "stop"]].itertuples(index=False)
    return {(r, i) for r, s, e in spans for i in range(s, e)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_contiguous_block_split_shares_no_sample(seed):
    seg = _segments()
    train, test = contiguous_block_split(seg.groups, test_fraction=0.25, seed=seed)
    assert not _samples(seg.groups.iloc[train]) & _samples(seg.groups.iloc[test])
    assert_disjoint(seg.groups.iloc[train], seg.groups.iloc[test])
    assert set(seg.groups.iloc[test]["record"]) == set(seg.groups["record"])
    assert len(train) + len(test) < len(seg)  # hop < length: boundary windows are dropped
    per_record = seg.groups.iloc[test].groupby("record")["start"].agg(["count", "min", "max"])
    assert ((per_record["max"] - per_record["min"]) // 30 + 1 == per_record["count"]).all()  # contiguous


def test_contiguous_block_split_is_reproducible_and_keeps_adjacent_windows():
    seg = _segments(hop=100)
    a = contiguous_block_split(seg.groups, test_fraction=0.3, seed=7)
    b = contiguous_block_split(seg.groups, test_fraction=0.3, seed=7)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert len(a[0]) + len(a[1]) == len(seg)  # no overlap between windows: nothing to drop


def test_contiguous_block_split_errors():
    seg = _segments()
    with pytest.raises(ParameterError, match="test_fraction"):
        contiguous_block_split(seg.groups, test_fraction=1.0)
    with pytest.raises(ParameterError, match="at least 2"):
        contiguous_block_split(seg.groups.iloc[:1], test_fraction=0.5)
    with pytest.raises(ParameterError, match="lacks column"):
        contiguous_block_split(seg.groups.drop(columns="stop"))


def test_assert_disjoint_catches_a_random_split_of_overlapping_windows():
    seg = _segments()
    order = np.random.default_rng(0).permutation(len(seg))
    with pytest.raises(LeakageError, match="share samples"):
        assert_disjoint(seg.groups.iloc[order[:200]], seg.groups.iloc[order[200:]])


def test_leave_one_load_out():
    seg = _segments()
    splits = leave_one_group_out(seg.groups, by="load")
    assert [value for value, _, _ in splits] == [0.0, 1.0, 2.0, 3.0]
    for value, train, test in splits:
        assert set(seg.groups.iloc[test]["load"]) == {value}
        assert value not in set(seg.groups.iloc[train]["load"])
        assert len(train) + len(test) == len(seg)
        assert_disjoint(seg.groups.iloc[train], seg.groups.iloc[test])


def test_leave_one_group_out_refuses_columns_that_vary_within_a_record():
    seg = _segments()
    with pytest.raises(ParameterError, match="varies within record"):
        leave_one_group_out(seg.groups, by="start")
    with pytest.raises(ParameterError, match="single value"):
        leave_one_group_out(seg.groups, by="dataset")


def test_group_kfold_keeps_records_whole():
    seg = _segments(loads=(0, 1, 2, 3, 0, 1))
    folds = group_kfold(seg.groups, n_splits=3)
    assert [seg.groups.iloc[test]["record"].nunique() for _, test in folds] == [2, 2, 2]  # 6 records in 3
    for train, test in folds:
        assert not set(seg.groups.iloc[train]["record"]) & set(seg.groups.iloc[test]["record"])
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(len(seg)))


def _cwru_like(*, healthy_windows=5, hop=12_000, length=12_000, fault_loads=(0, 1, 2, 3),
               sizes=(0.007, 0.014)):
    """A healthy record at 0 HP only (97.mat) and one fault record per load and size, as CWRU's mirror has."""
    healthy = Recording(np.zeros(length + (healthy_windows - 1) * hop), fs=12_000.0, label="normal",
                        dataset="cwru", source="cwru/97.mat", load=0.0, fault_size=0.0)
    faults = [Recording(np.zeros(3 * length), fs=12_000.0, label="inner", dataset="cwru",
                        source=f"cwru/{load}-{size}.mat", load=float(load), fault_size=size)
              for load in fault_loads for size in sizes]
    return concat_segments([segment(healthy, length=length, hop=hop), segment(faults, length=length)]).groups


def _healthy_starts(groups, index):
    part = groups.iloc[index]
    return part.loc[part["label"] == "normal", "start"].tolist()


def test_held_out_split_holds_out_the_faults_by_load_and_cuts_the_healthy_record():
    groups = _cwru_like(healthy_windows=8)
    train, test = held_out_split(groups, by="load", test_values=(1, 2, 3), healthy_test_fraction=0.25,
                                 healthy_block="last_windows")
    faults = groups["label"] != "normal"
    assert set(groups.iloc[train].loc[faults, "load"]) == {0.0}
    assert set(groups.iloc[test].loc[faults, "load"]) == {1.0, 2.0, 3.0}
    assert _healthy_starts(groups, train) == [i * 12_000 for i in range(6)]
    assert _healthy_starts(groups, test) == [72_000, 84_000]
    assert np.array_equal(train, np.sort(train)) and not set(train) & set(test)


def test_held_out_split_random_block_is_contiguous_block_split_of_the_healthy_windows():
    """Sedira & Felkaoui's cross-load view: a seeded 25 % block of the healthy record, faults at 1-3 HP."""
    groups = _cwru_like(healthy_windows=40, hop=3_000)
    for seed in (0, 7):
        train, test = held_out_split(groups, by="load", test_values=(1, 2, 3), healthy_test_fraction=0.25,
                                     healthy_block="random", seed=seed)
        healthy = np.flatnonzero(groups["label"] == "normal")
        h_train, h_test = contiguous_block_split(groups.iloc[healthy], test_fraction=0.25, seed=seed)
        assert _healthy_starts(groups, train) == groups.iloc[healthy[h_train]]["start"].tolist()
        assert _healthy_starts(groups, test) == groups.iloc[healthy[h_test]]["start"].tolist()
        assert_disjoint(groups.iloc[train], groups.iloc[test])


def test_held_out_split_last_samples_drops_the_window_across_the_cut():
    """Di Maggio et al.'s held-out size: 97.mat's five 1 s chunks, the last third of its span tested."""
    groups = _cwru_like(healthy_windows=5)
    train, test = held_out_split(groups, by="fault_size", test_values=[0.014], healthy_test_fraction=1 / 3,
                                 healthy_block="last_samples")
    assert _healthy_starts(groups, train) == [0, 12_000, 24_000]  # the cut at 40 000 crosses [36 000, 48 000)
    assert _healthy_starts(groups, test) == [48_000]
    faults = groups["label"] != "normal"
    assert set(groups.iloc[test].loc[faults, "fault_size"]) == {0.014}
    assert set(groups.iloc[train].loc[faults, "fault_size"]) == {0.007}


def test_held_out_split_last_windows_matches_one_block_per_condition():
    """Lee et al.'s leakage-aware split: the healthy record in one block per load, the last one tested."""
    groups = _cwru_like(healthy_windows=29)
    train, test = held_out_split(groups, by="load", test_values=[3], healthy_test_fraction=1 / 4,
                                 healthy_block="last_windows")
    blocks = np.array_split(np.arange(29), 4)
    assert _healthy_starts(groups, test) == [12_000 * i for i in blocks[-1]]
    assert _healthy_starts(groups, train) == [12_000 * i for i in np.concatenate(blocks[:-1])]


def test_held_out_split_splits_a_healthy_class_found_at_several_values_like_the_faults():
    groups = _cwru_like()
    healthy = groups["label"] == "normal"
    groups.loc[healthy, "load"] = [0.0, 0.0, 1.0, 1.0, 1.0]
    groups.loc[healthy, "record"] = ["a", "a", "b", "b", "b"]
    train, test = held_out_split(groups, by="load", test_values=[1], healthy_test_fraction=0.5)
    assert set(groups.iloc[test]["load"]) == {1.0} and set(groups.iloc[train]["load"]) == {0.0, 2.0, 3.0}


def test_held_out_split_is_reproducible_and_the_seed_moves_the_random_block():
    groups = _cwru_like(healthy_windows=40, hop=3_000)
    kwargs = dict(by="load", test_values=(1, 2, 3), healthy_test_fraction=0.25)
    first, again = held_out_split(groups, **kwargs, seed=3), held_out_split(groups, **kwargs, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    tests = {tuple(held_out_split(groups, **kwargs, seed=s)[1]) for s in range(5)}
    assert len(tests) > 1


def test_held_out_split_refuses_a_recording_at_two_values_of_the_column():
    groups = _cwru_like()
    first_fault = np.flatnonzero(groups["label"] != "normal")[0]
    groups.loc[first_fault, "load"] = 1.0  # one window of a 0 HP record said to be at 1 HP
    with pytest.raises(ParameterError, match="varies within record"):
        held_out_split(groups, by="load", test_values=[1], healthy_test_fraction=0.25)


def test_held_out_split_refuses_a_split_that_shares_samples():
    groups = _cwru_like()
    held_out = np.flatnonzero(groups["load"] == 1.0)[0]
    groups.loc[held_out, "record"] = "cwru/97.mat"  # a 1 HP test window over the healthy record's first
    with pytest.raises(LeakageError, match="cwru/97.mat"):
        held_out_split(groups, by="load", test_values=[1], healthy_test_fraction=0.25)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"test_values": [9]}, "no test window"),
    ({"test_values": [0, 1, 2, 3]}, "nothing to train on"),
    ({"test_values": []}, "test_values is empty"),
    ({"healthy_block": "first"}, "healthy_block must be one of"),
    ({"healthy_test_fraction": 1.0}, r"lie in \(0, 1\)"),
    ({"by": "rig"}, "lacks column"),
])
def test_held_out_split_errors(kwargs, match):
    arguments = {"by": "load", "test_values": [1], "healthy_test_fraction": 0.25, **kwargs}
    with pytest.raises(ParameterError, match=match):
        held_out_split(_cwru_like(), **arguments)


def test_contiguous_block_split_last_position_takes_the_end():
    seg = _segments(hop=100)
    train, test = contiguous_block_split(seg.groups, test_fraction=0.25, position="last")
    for record, rows in seg.groups.iloc[test].groupby("record"):
        starts = seg.groups.loc[seg.groups["record"] == record, "start"]
        assert rows["start"].max() == starts.max() and len(rows) == round(0.25 * len(starts))
    with pytest.raises(ParameterError, match="position"):
        contiguous_block_split(seg.groups, position="middle")
