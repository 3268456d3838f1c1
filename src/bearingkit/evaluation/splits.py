"""Leakage-aware train/test splits over windows (the ``groups`` table of :class:`bearingkit.data.Segments`).

Random splits of overlapping windows put the same samples in train and test and inflate accuracy (the
primer notebook measures by how much on CWRU). These helpers split by time within each recording
(:func:`contiguous_block_split`), or by whole groups of recordings
(:func:`leave_one_group_out`, :func:`group_kfold`), and :func:`assert_disjoint` proves no sample is shared.
On CWRU every class is one recording at one load, so only held-out loads or fault sizes test generalisation;
the healthy class, recorded at one condition only, is then cut in time (:func:`held_out_split`).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from bearingkit.errors import LeakageError, ParameterError

__all__ = ["HEALTHY_BLOCKS", "assert_disjoint", "contiguous_block_split", "group_kfold", "held_out_split",
           "leave_one_group_out", "shares_samples"]

#: How :func:`held_out_split` cuts a healthy class that cannot be held out by the condition.
HEALTHY_BLOCKS = ("random", "last_windows", "last_samples")


def _require(groups: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in groups.columns]
    if missing:
        raise ParameterError(f"groups lacks column(s) {missing}; it has {list(groups.columns)}")


def contiguous_block_split(groups: pd.DataFrame, *, test_fraction: float = 0.2, seed=0,
                           position: str = "random") -> tuple[np.ndarray, np.ndarray]:
    """Per recording, a contiguous block of windows for test, the rest for training, nothing shared.

    In each recording a block of ``round(test_fraction * n)`` consecutive windows (at least 1, at most n - 1)
    starts at a random window (``position="random"``) or ends with the last one (``position="last"``);
    windows that overlap the block's sample span (when ``hop < length``) go to neither side, so no sample
    index of a recording is in both train and test.

    Parameters
    ----------
    groups : pd.DataFrame
        One row per window with ``record``, ``start``, ``stop`` (``Segments.groups``).
    test_fraction : float in (0, 1)
        Share of each recording's windows given to test.
    seed : int or numpy.random.SeedSequence
        Seed of the block positions (anything :func:`numpy.random.default_rng` accepts); the same seed gives
        the same split. Unused with ``position="last"``.
    position : {"random", "last"}
        Where the test block lies in each recording: at a seeded random window, or at the end (a later
        stretch of the recording than any training window).

    Returns
    -------
    train, test : np.ndarray of int
        Positional indices into ``groups`` (dropped windows are in neither).

    Raises
    ------
    ParameterError
        ``test_fraction`` outside (0, 1), an unknown ``position``, a missing column, or a recording with
        fewer than 2 windows.
    """
    _require(groups, ("record", "start", "stop"))
    _check_fraction(test_fraction, "test_fraction")
    if position not in ("random", "last"):
        raise ParameterError(f"position must be 'random' or 'last', got {position!r}")
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
        first = int(rng.integers(0, n - n_test + 1)) if position == "random" else n - n_test
        block = order[first:first + n_test]
        low, high = start[block].min(), stop[block].max()
        rest = np.setdiff1d(order, block)
        test.append(block)
        train.append(rest[(stop[rest] <= low) | (start[rest] >= high)])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _check_fraction(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 < value < 1:
        raise ParameterError(f"{name} must lie in (0, 1), got {value!r}")


def _last_samples_split(groups: pd.DataFrame, *, test_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Per recording, the windows in the last ``test_fraction`` of its span for test, those before to train.

    The span of a recording runs from its first window's start to its last window's stop; the cut lies at
    ``test_fraction`` of it from the end. A window that crosses the cut goes to neither side.
    """
    start, stop = groups["start"].to_numpy(), groups["stop"].to_numpy()
    first = groups.groupby("record")["start"].transform("min").to_numpy()
    last = groups.groupby("record")["stop"].transform("max").to_numpy()
    cut = first + (1 - test_fraction) * (last - first)
    return np.flatnonzero(stop <= cut), np.flatnonzero(start >= cut)


def _is_in(column: pd.Series, values: Sequence) -> np.ndarray:
    """Whether each entry of ``column`` is one of ``values`` (numbers: equal within :func:`numpy.isclose`)."""
    numbers = all(isinstance(v, Real) and not isinstance(v, bool) for v in values)
    if numbers and pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        x = column.to_numpy(dtype=float)
        return np.isclose(x[:, None], np.asarray(values, dtype=float)[None, :]).any(axis=1)
    return column.isin(list(values)).to_numpy()


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


def held_out_split(groups: pd.DataFrame, *, by: str, test_values: Sequence, healthy_label: str = "normal",
                   healthy_test_fraction: float, healthy_block: str = "random",
                   seed=0) -> tuple[np.ndarray, np.ndarray]:
    """Hold out a condition (load, fault size, operating condition) and cut a healthy class that lacks it.

    The windows whose ``by`` value is one of ``test_values`` are the test set, all others train: the model is
    tested on a condition it never saw. A healthy class found at a single value of ``by`` cannot be held out
    that way (CWRU's healthy record exists at 0 HP only, and has no fault size): each of its recordings is
    cut in time instead, ``healthy_test_fraction`` of it for test, and for that class the split tests only a
    later (or another) stretch of the same recording, not generalisation. A healthy class found at several
    values of ``by`` is split by ``by`` like the faults. The split ends in :func:`assert_disjoint`.

    Parameters
    ----------
    groups : pd.DataFrame
        One row per window with ``record``, ``label``, ``start``, ``stop`` and ``by`` (``Segments.groups``);
        ``by`` must be constant within each recording outside the cut healthy class.
    by : str
        The held-out column: ``"load"``, ``"fault_size"``, ``"condition"``, ``"rpm"``, ...
    test_values : sequence
        Values of ``by`` held out for test (numbers match within :func:`numpy.isclose`).
    healthy_label : str
        Label of the healthy class.
    healthy_test_fraction : float in (0, 1)
        Share of each healthy recording given to test, in windows (``"random"``, ``"last_windows"``) or in
        samples (``"last_samples"``).
    healthy_block : {"random", "last_windows", "last_samples"}
        ``"random"``: a block of ``round(healthy_test_fraction * n)`` consecutive windows at a seeded random
        place (:func:`contiguous_block_split`); ``"last_windows"``: the last that many windows;
        ``"last_samples"``: the windows that start in the last ``healthy_test_fraction`` of the recording's
        span. Training windows overlapping a test window are dropped in every case.
    seed : int or numpy.random.SeedSequence
        Seed of the ``"random"`` block's place.

    Returns
    -------
    train, test : np.ndarray of int
        Sorted positional indices into ``groups`` (dropped healthy windows are in neither).

    Raises
    ------
    ParameterError
        A missing column, an unknown ``healthy_block``, a fraction outside (0, 1), no ``test_values``, no
        window held out or none left to train on, or ``by`` varying within a recording.
    LeakageError
        A test window shares samples with a training window (a ``by`` value split within one recording).

    Examples
    --------
    Faults held out by load; the healthy record, at 0 HP only, gives its last quarter to test:

    >>> groups = pd.DataFrame({"record": ["97"] * 4 + ["105", "169"], "label": ["normal"] * 4 + ["inner"] * 2,
    ...                        "load": [0, 0, 0, 0, 0, 2], "start": [0, 100, 200, 300, 0, 0],
    ...                        "stop": [100, 200, 300, 400, 100, 100]})
    >>> held_out_split(groups, by="load", test_values=[2], healthy_test_fraction=0.25,
    ...                healthy_block="last_windows")
    (array([0, 1, 2, 4]), array([3, 5]))
    """
    _require(groups, ("record", "label", "start", "stop", by))
    if healthy_block not in HEALTHY_BLOCKS:
        raise ParameterError(f"healthy_block must be one of {HEALTHY_BLOCKS}, got {healthy_block!r}")
    _check_fraction(healthy_test_fraction, "healthy_test_fraction")
    test_values = [test_values] if isinstance(test_values, str) else list(test_values)
    if not test_values:
        raise ParameterError("test_values is empty: name the value(s) of the held-out column")
    healthy = (groups["label"] == healthy_label).to_numpy()
    cut_in_time = healthy & (groups.loc[healthy, by].nunique(dropna=False) == 1)
    by_value = groups[~cut_in_time]
    _constant_per_record(by_value, by)
    held_out = _is_in(by_value[by], test_values)
    if held_out.all() or not held_out.any():
        raise ParameterError(f"{by} values {sorted(set(by_value[by]), key=str)}: holding out {test_values} "
                             f"leaves {'nothing to train on' if held_out.any() else 'no test window'}")
    outside = np.flatnonzero(~cut_in_time)
    train, test = [outside[~held_out]], [outside[held_out]]
    if cut_in_time.any():
        inside = np.flatnonzero(cut_in_time)
        healthy_groups = groups.iloc[inside]
        if healthy_block == "last_samples":
            h_train, h_test = _last_samples_split(healthy_groups, test_fraction=healthy_test_fraction)
        else:
            h_train, h_test = contiguous_block_split(
                healthy_groups, test_fraction=healthy_test_fraction, seed=seed,
                position="random" if healthy_block == "random" else "last")
        train.append(inside[h_train])
        test.append(inside[h_test])
    train, test = np.sort(np.concatenate(train)), np.sort(np.concatenate(test))
    assert_disjoint(groups.iloc[train], groups.iloc[test])
    return train, test


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
