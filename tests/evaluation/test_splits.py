"""Leakage-aware splits: no recording sample index is ever in both train and test."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.data import segment
from bearingkit.errors import LeakageError, ParameterError
from bearingkit.evaluation.splits import (
    assert_disjoint,
    contiguous_block_split,
    group_kfold,
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
