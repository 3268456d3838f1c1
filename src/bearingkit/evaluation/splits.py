"""Leakage-aware train/test splits over windows (the ``groups`` table of :class:`bearingkit.data.Segments`).

Random splits of overlapping windows put the same samples in train and test and inflate accuracy
(Hendriks et al. 2022, 95 % with a load split versus 53 % with a fault-size split on CWRU). These helpers
split by time within each recording (:func:`contiguous_block_split`), or by whole groups of recordings
(:func:`leave_one_group_out`, :func:`group_kfold`), and :func:`assert_disjoint` proves no sample is shared.
On CWRU every class is one recording at one load, so only held-out loads or fault sizes test generalisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from bearingkit.errors import LeakageError, ParameterError


def _require(groups: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in groups.columns]
    if missing:
        raise ParameterError(f"groups lacks column(s) {missing}; it has {list(groups.columns)}")


def contiguous_block_split(groups: pd.DataFrame, *, test_fraction: float = 0.2,
                           seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Per recording, a contiguous block of windows for test, the rest for training, nothing shared.

    In each recording a block of ``round(test_fraction * n)`` consecutive windows (at least 1, at most n - 1)
    starts at a random window; windows that overlap the block's sample span (when ``hop < length``) go to
    neither side, so no sample index of a recording is in both train and test.

    Parameters
    ----------
    groups : pd.DataFrame
        One row per window with ``record``, ``start``, ``stop`` (``Segments.groups``).
    test_fraction : float in (0, 1)
        Share of each recording's windows given to test.
    seed : int or numpy.random.SeedSequence
        Seed of the block positions (anything :func:`numpy.random.default_rng` accepts); the same seed gives
        the same split.

    Returns
    -------
    train, test : np.ndarray of int
        Positional indices into ``groups`` (dropped windows are in neither).

    Raises
    ------
    ParameterError
        ``test_fraction`` outside (0, 1), a missing column, or a recording with fewer than 2 windows.
    """
    _require(groups, ("record", "start", "stop"))
    if not 0 < test_fraction < 1:
        raise ParameterError(f"test_fraction must lie in (0, 1), got {test_fraction!r}")
    rng = np.random.default_rng(seed)
    start, stop = groups["start"].to_numpy(), groups["stop"].to_numpy()
    train, test = [], []
    by_record = groups.groupby("record", sort=False).indices
    for record, positions in sorted(by_record.items(), key=lambda kv: str(kv[0])):
        order = positions[np.argsort(start[positions], kind="stable")]
        n = order.size
        if n < 2:
            raise ParameterError(f"record {record!r} has {n} window; a contiguous split needs at least 2")
        n_test = int(np.clip(round(test_fraction * n), 1, n - 1))
        first = int(rng.integers(0, n - n_test + 1))
        block = order[first:first + n_test]
        low, high = start[block].min(), stop[block].max()
        rest = np.setdiff1d(order, block)
        test.append(block)
        train.append(rest[(stop[rest] <= low) | (start[rest] >= high)])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _constant_per_record(groups: pd.DataFrame, by: str) -> None:
    _require(groups, ("record", by))
    if groups[by].isna().any():
        raise ParameterError(f"column {by!r} has missing values; fill or drop them before splitting by it")
    varying = groups.groupby("record")[by].nunique()
    varying = varying[varying > 1]
    if len(varying):
        raise ParameterError(f"column {by!r} varies within record(s) {list(varying.index[:5])}: splitting by "
                             f"it would put windows of one recording on both sides")


def leave_one_group_out(groups: pd.DataFrame, *,
                        by: str = "load") -> list[tuple[object, np.ndarray, np.ndarray]]:
    """One split per value of ``by``: that value's windows are the test set, all others train.

    Parameters
    ----------
    groups : pd.DataFrame
        ``Segments.groups``.
    by : str
        A column constant within each recording: ``"load"``, ``"fault_size"``, ``"condition"``,
        ``"dataset"``, ``"record"``.

    Returns
    -------
    list of (value, train, test)
        Sorted by value; ``train``/``test`` are positional indices into ``groups``.
    """
    _constant_per_record(groups, by)
    values = sorted(groups[by].unique(), key=lambda v: (str(type(v)), v))
    if len(values) < 2:
        raise ParameterError(f"column {by!r} has a single value {values}; nothing to hold out")
    column = groups[by].to_numpy()
    return [(value, np.flatnonzero(column != value), np.flatnonzero(column == value)) for value in values]


def group_kfold(groups: pd.DataFrame, *, n_splits: int = 5,
                by: str = "record") -> list[tuple[np.ndarray, np.ndarray]]:
    """K folds in which each value of ``by`` (default: each recording) is wholly in one fold.

    A thin, checked wrapper of :class:`sklearn.model_selection.GroupKFold`; returns ``(train, test)``
    positional indices per fold.
    """
    _constant_per_record(groups, by)
    folds = GroupKFold(n_splits=n_splits).split(np.zeros((len(groups), 1)), groups=groups[by].astype(str))
    return [(train, test) for train, test in folds]


def _shared_spans(groups_train: pd.DataFrame, groups_test: pd.DataFrame) -> list[tuple[object, int, int]]:
    """``(record, start, stop)`` of every test window that overlaps a training window of the same record."""
    for table in (groups_train, groups_test):
        _require(table, ("record", "start", "stop"))
    common = set(groups_train["record"]) & set(groups_test["record"])
    clashes = []
    for record in sorted(common, key=str):
        train = groups_train.loc[groups_train["record"] == record, ["start", "stop"]].to_numpy()
        test = groups_test.loc[groups_test["record"] == record, ["start", "stop"]].to_numpy()
        train = train[np.argsort(train[:, 0], kind="stable")]
        reach = np.maximum.accumulate(train[:, 1])
        before = np.searchsorted(train[:, 0], test[:, 1], side="left")
        hit = (before > 0) & (reach[np.maximum(before - 1, 0)] > test[:, 0])
        clashes.extend((record, int(s), int(e)) for s, e in test[hit])
    return clashes


def shares_samples(groups_train: pd.DataFrame, groups_test: pd.DataFrame) -> bool:
    """Whether a test window shares a sample with a training window of the same recording.

    Windows are the spans ``[start, stop)`` of ``record`` in each table (``Segments.groups`` rows).
    """
    return bool(_shared_spans(groups_train, groups_test))


def assert_disjoint(groups_train: pd.DataFrame, groups_test: pd.DataFrame) -> None:
    """Raise :class:`~bearingkit.errors.LeakageError` when a test window shares samples with a training one.

    Windows are the spans ``[start, stop)`` of ``record`` in each table (``Segments.groups`` rows).
    """
    clashes = _shared_spans(groups_train, groups_test)
    if clashes:
        record, s, e = clashes[0]
        raise LeakageError(f"{len(clashes)} test window(s) share samples with training windows, e.g. "
                           f"record {record!r} test span [{s}, {e})")
