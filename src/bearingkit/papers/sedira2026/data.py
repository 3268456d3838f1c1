"""The data of Sedira & Felkaoui (2026): CWRU records (Table 3), the simulated axial rig (§7.2), the splits,
and the paper's published tables.

One *sample* is a window of the vibration signal. The paper gives no window length, overlap or split; its
Tables 7 and 8 fix the test-set sizes (:func:`counts_matching`,
:data:`~bearingkit.papers.sedira2026.settings.PAPER_TEST_PER_CLASS`). We take a 75/25 split, hence 100 and 150
windows per class spread evenly over each record (they overlap: the classic random window protocol,
:func:`bearingkit.data.segment.spread_windows` and :func:`paper_split`). The leakage-aware splits are
:func:`block_split` (contiguous blocks of each record, nothing shared) and a held-out load or fault size
(:func:`bearingkit.evaluation.splits.held_out_split`, called by :mod:`~bearingkit.papers.sedira2026.views`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from bearingkit.data import Segments, cwru_files, load_cwru
from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits
from bearingkit.physics.simulate import simulate
from bearingkit.recording import Recording
from bearingkit.report import reference

from .settings import (
    AXIAL_LOAD_KN,
    AXIAL_SEVERITIES,
    AXIAL_SPEED_RPM,
    FAULT_SETS,
    FAULT_SIZES,
    FS_CWRU,
    PAPER,
    PAPER_TEST_FRACTION,
)

__all__ = [
    "axial_healthy", "axial_recordings", "block_split", "class_of", "counts_matching", "cwru_records",
    "label_index", "normal_baseline", "paper_split", "published", "PUBLISHED_ITEMS",
]


#: The paper's items in ``data/reference/sedira2026.json`` that the notebook reads.
PUBLISHED_ITEMS = ("table1_geometry_as_printed", "table4_defect_frequencies_hz",
                   "table7_overall_accuracy_pct", "table8_per_class_accuracy_pct", "table9_log_likelihood",
                   "table10_paderborn_accuracy_pct", "table11_axial_accuracy_pct", "table12_summary_pct",
                   "table13_literature")


def published() -> dict[str, object]:
    """The paper's published tables (typed once in ``data/reference/``), keyed ``"table1"`` to
    ``"table13"``."""
    return {item.split("_")[0]: reference.published(PAPER, item) for item in PUBLISHED_ITEMS}


def normal_baseline(*, fs: float = FS_CWRU, read_as_fs: bool = False) -> Recording:
    """CWRU 97.mat (healthy, 0 HP) resampled from its true 48 kHz to ``fs``
    (:func:`bearingkit.dsp.sampling_rate.at_rate`: polyphase, anti-aliased).

    The paper reads every file at 12 kHz (Tables 3, 5); 97.mat is sampled at 48 kHz (primer notebook, §3), so
    read as 12 kHz it would be 4x slowed down, and a classifier could tell healthy from faulty by that alone.
    ``read_as_fs=True`` makes that error on purpose (the samples untouched, labelled ``fs``), to measure what
    it buys.
    """
    raw = load_cwru(97)
    if read_as_fs:
        return dataclasses.replace(raw, fs=fs, extra={**raw.extra, "record": raw.source, "read_as_hz": fs})
    return at_rate(dataclasses.replace(raw, extra={**raw.extra, "record": raw.source}), fs)


def cwru_records(fault_set: str, *, loads: Sequence[int] = (0,), healthy_read_as_12k: bool = False
                 ) -> list[Recording]:
    """The healthy record and the 3 fault-size records of one data set (Table 3) at the given loads.

    ``healthy_read_as_12k``: 97.mat's 48 kHz samples taken as 12 kHz (:func:`normal_baseline`).
    """
    if fault_set not in FAULT_SETS:
        raise ParameterError(f"unknown CWRU data set {fault_set!r}; valid: {sorted(FAULT_SETS)}")
    numbers = cwru_files("12k_DE", location=FAULT_SETS[fault_set], size=list(FAULT_SIZES), load=list(loads),
                         or_position=6 if fault_set == "OR" else None)
    return [normal_baseline(read_as_fs=healthy_read_as_12k), *(load_cwru(n) for n in numbers)]


def class_of(groups: pd.DataFrame, *, sizes: Sequence[float] = FAULT_SIZES) -> np.ndarray:
    """Class index of each window: 0 healthy, then 1, 2, ... for the fault sizes ``sizes`` (Table 3)."""
    size = np.round(groups["fault_size"].to_numpy(dtype=float), 6)
    healthy = groups["label"].to_numpy() == "normal"
    unknown = sorted(set(size[~healthy]) - set(np.round(sizes, 6)))
    if unknown:
        raise ParameterError(f"fault sizes {unknown} are not among the classes {list(sizes)}")
    return np.where(healthy, 0, np.searchsorted(np.round(sizes, 6), size) + 1)


def label_index(groups: pd.DataFrame, *, labels: Sequence[str]) -> np.ndarray:
    """Class index of each window from its health label, in the order of ``labels`` (Paderborn: 3 classes)."""
    column = groups["label"].to_numpy()
    unknown = sorted(set(column) - set(labels))
    if unknown:
        raise ParameterError(f"labels {unknown} are not among the classes {list(labels)}")
    return np.array([labels.index(v) for v in column])


def paper_split(y: np.ndarray, *, test_per_class: int | Sequence[int], seed) -> tuple[np.ndarray, np.ndarray]:
    """Random stratified split with exactly ``test_per_class`` test windows per class (the paper's view).

    ``test_per_class``: one count for every class, or one per class in the order of ``np.unique(y)``.

    Raises
    ------
    ParameterError
        If a count is not a positive integer, the counts do not match the classes, or a class has no more
        windows than its count (nothing would be left to train on).
    """
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    per_class = np.atleast_1d(np.asarray(test_per_class, dtype=object))
    per_class = np.repeat(per_class, len(classes)) if per_class.size == 1 else per_class
    integer = all(isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 1 for n in per_class)
    if not integer or per_class.size != len(classes):
        raise ParameterError(f"test_per_class must be a positive integer or one per class ({len(classes)}), "
                             f"got {test_per_class!r}")
    short = {c.item(): int(n) for c, n, k in zip(classes, counts, per_class, strict=True) if n <= k}
    if short:
        raise ParameterError(f"classes {short} (class: windows) have too few windows for {test_per_class} "
                             "test windows each plus training; use more windows per class or a smaller "
                             "test_per_class")
    rng = np.random.default_rng(seed)
    test = np.concatenate([rng.choice(np.flatnonzero(y == c), size=int(k), replace=False)
                           for c, k in zip(classes, per_class, strict=True)])
    train = np.setdiff1d(np.arange(len(y)), test)
    return train, np.sort(test)


def block_split(windows: Segments, *, test_fraction: float = PAPER_TEST_FRACTION,
                seed) -> tuple[np.ndarray, np.ndarray]:
    """Contiguous block of each record for test; windows straddling the boundary are dropped."""
    train, test = splits.contiguous_block_split(windows.groups, test_fraction=test_fraction, seed=seed)
    splits.assert_disjoint(windows.groups.iloc[train], windows.groups.iloc[test])
    return train, test


def axial_healthy(seed: int, *, duration: float | None = None) -> Recording:
    """The simulated axial rig's healthy record (first channel), shared by the three data sets (§7.2)."""
    rec = simulate("axial", fault="normal", speed=AXIAL_SPEED_RPM, load=AXIAL_LOAD_KN, seed=seed,
                   duration=duration)
    return dataclasses.replace(rec, signal=rec.signal[0])


def axial_recordings(fault: str, seeds: Sequence[int], *, healthy: Recording,
                     duration: float | None = None) -> list[Recording]:
    """One simulated axial data set (§7.2): the healthy record, then one per :data:`AXIAL_SEVERITIES`.

    Parameters
    ----------
    fault : {"outer", "inner", "ball"}
        The faulty element (housing washer, shaft washer, ball) of the simulated SKF 51206 thrust bearing.
    seeds : sequence of int
        One simulation seed per severity.
    healthy : Recording
        The healthy record, shared by the three data sets (one channel; :func:`axial_healthy`).
    duration : float, optional
        Seconds per record; the rig's acquisition length when omitted.
    """
    if len(seeds) != len(AXIAL_SEVERITIES):
        raise ParameterError(f"need one seed per severity {AXIAL_SEVERITIES}, got {len(seeds)}")
    records = [healthy]
    for severity, s in zip(AXIAL_SEVERITIES, seeds, strict=True):
        rec = simulate("axial", fault=fault, speed=AXIAL_SPEED_RPM, load=AXIAL_LOAD_KN, severity=severity,
                       seed=s, duration=duration)
        records.append(dataclasses.replace(rec, signal=rec.signal[0]))
    return records


def counts_matching(value_pct: float, totals: Sequence[int], *, decimals: int = 2) -> dict[int, int | None]:
    """For each test-set size ``n``, the count ``k`` whose ``100 k / n`` prints as ``value_pct``, else None.

    A value printed with ``decimals`` decimals may be rounded or truncated; both are accepted. Table 7's
    98.66 % and 95.33 % fit 148/150 and 143/150 (truncated) but no count of 152: this is how the paper's test
    sets are inferred.

    Examples
    --------
    >>> counts_matching(98.66, [150, 152])
    {150: 148, 152: None}
    """
    scale = 10 ** decimals
    out: dict[int, int | None] = {}
    for n in totals:
        exact = 100 * np.arange(n + 1) / n
        printed = (np.round(exact * scale) == round(value_pct * scale)) | (
            np.floor(exact * scale + 1e-9) == round(value_pct * scale))
        out[int(n)] = int(np.flatnonzero(printed)[0]) if printed.any() else None
    return out
