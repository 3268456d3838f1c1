"""The data sets of Sedira & Felkaoui (2026) under each split, with their features: one :class:`View` each.

:func:`cwru_views` builds the paper's view and the leakage-aware ones of a CWRU set (Table 3);
:func:`held_out_size_view` asks which element is damaged on a fault size never trained on;
:func:`paderborn_views` the four KAt conditions (§7.1); :func:`axial_views` the SIMULATED axial rig (§7.2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.data import Segments, concat_segments, load_paderborn_preprocessed, segment, spread_windows
from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.evaluation.splits import held_out_split
from bearingkit.features import handcrafted
from bearingkit.recording import Recording

from .data import (
    axial_healthy,
    axial_recordings,
    block_split,
    class_of,
    cwru_records,
    label_index,
    paper_split,
)
from .features import N_FEATURES, feature_matrix
from .settings import (
    AXIAL_ELEMENTS,
    AXIAL_SEVERITIES,
    AXIAL_TEST_PER_CLASS,
    CROSS_LOAD_TEST_LOADS,
    CWRU_SPLITS,
    DEFAULT_SETTINGS,
    FAULT_SIZES,
    LOCATIONS,
    PADERBORN_LABELS,
    PADERBORN_TEST_PER_CLASS,
    PAPER_TEST_FRACTION,
    PAPER_TEST_PER_CLASS,
    Settings,
)

__all__ = [
    "all_cwru_views", "axial_views", "by_set_and_split", "condition_pairs", "cwru_views",
    "fault_test_sets_fixed", "feature_shift", "held_out_size_view", "level_by_condition", "paderborn_views",
    "split_summary", "training_windows", "View",
]


@dataclasses.dataclass(frozen=True)
class View:
    """One data set under one split: windows, their classes and features, ``split(seed) -> (train, test)``.

    ``recordings`` keeps the records the windows came from where a figure needs them (the simulated rig).
    """

    windows: Segments
    y: np.ndarray
    F: np.ndarray
    split: Callable[[int], tuple[np.ndarray, np.ndarray]]
    name: str = ""
    recordings: tuple[Recording, ...] = ()


def _paper_view(windows: Segments, y: np.ndarray, *, test_per_class, settings: Settings, name: str = "",
                recordings: Sequence[Recording] = ()) -> View:
    """Features of ``windows`` and the paper's random stratified split (:func:`paper_split`)."""
    F = feature_matrix(windows.X, fs=windows.fs, n_steps=settings.n_steps)
    return View(windows, y, F, lambda s: paper_split(y, test_per_class=test_per_class, seed=s), name,
                tuple(recordings))


def cwru_views(fault_set: str, recordings: Sequence[Recording], *,
               all_loads: Sequence[Recording] | None = None, settings: Settings = DEFAULT_SETTINGS,
               splits: Sequence[str] = CWRU_SPLITS) -> dict[str, View]:
    """The views of one CWRU data set (Table 3), keyed by :data:`CWRU_SPLITS` (those in ``splits``).

    Parameters
    ----------
    fault_set : {"OR", "IR", "Ball"}
        Fixes the paper's test windows per class (:data:`PAPER_TEST_PER_CLASS`).
    recordings : sequence of Recording
        The healthy and the three fault-size records at 0 HP
        (:func:`~bearingkit.papers.sedira2026.data.cwru_records`).
    all_loads : sequence of Recording, optional
        The same data set at 0-3 HP, for the cross-load view (needed only when ``splits`` has it).
    settings : Settings
    splits : sequence of str
        The views to build (features are computed for these only).

    Returns
    -------
    dict of str to View
        ``"paper"``: ``4 x`` the mean test windows per class per record, spread evenly from its first to its
        last sample and overlapping (:func:`bearingkit.data.segment.spread_windows`), random stratified split
        with :data:`PAPER_TEST_PER_CLASS` test windows; ``"contiguous-block"``: 50 %-overlap windows, a
        contiguous 25 % of each record for test, nothing shared (:func:`~.data.block_split`);
        ``"cross-load"``: train at 0 HP, test the faults at :data:`CROSS_LOAD_TEST_LOADS`; the healthy
        record, at 0 HP only, gives a contiguous 25 % block at a seeded place to test and its overlapping
        neighbours to neither side, so for that class the view tests record identity, not load
        generalisation (:func:`bearingkit.evaluation.splits.held_out_split`).
    """
    if fault_set not in PAPER_TEST_PER_CLASS:
        raise UnknownNameError(f"unknown CWRU data set {fault_set!r}; valid: {sorted(PAPER_TEST_PER_CLASS)}")
    unknown = sorted(set(splits) - set(CWRU_SPLITS))
    if unknown or ("cross-load" in splits and all_loads is None):
        raise ParameterError(f"splits must be among {CWRU_SPLITS} (got {unknown or list(splits)}); the "
                             "cross-load view needs all_loads")
    test_per_class = PAPER_TEST_PER_CLASS[fault_set]

    def paper() -> View:
        n_per_class = round(sum(test_per_class) / len(test_per_class) / PAPER_TEST_FRACTION)
        windows = spread_windows(recordings, n=n_per_class, length=settings.window, allow_overlap=True)
        return _paper_view(windows, class_of(windows.groups), test_per_class=test_per_class,
                           settings=settings, name=fault_set)

    def view(records: Sequence[Recording], split) -> View:
        windows = segment(list(records), length=settings.window, hop=settings.window // 2)
        F = feature_matrix(windows.X, fs=windows.fs, n_steps=settings.n_steps)
        return View(windows, class_of(windows.groups), F, lambda s: split(windows, seed=s), fault_set)

    def held_out_loads(windows: Segments, *, seed) -> tuple[np.ndarray, np.ndarray]:
        return held_out_split(windows.groups, by="load", test_values=CROSS_LOAD_TEST_LOADS,
                              healthy_test_fraction=PAPER_TEST_FRACTION, healthy_block="random", seed=seed)

    build = {"paper": paper, "contiguous-block": lambda: view(recordings, block_split),
             "cross-load": lambda: view(all_loads, held_out_loads)}
    return {split: build[split]() for split in CWRU_SPLITS if split in splits}


def all_cwru_views(records: Mapping[str, Sequence[Recording]], settings: Settings = DEFAULT_SETTINGS
                   ) -> dict[str, dict[str, View]]:
    """:func:`cwru_views` of every data set of ``records`` (0 HP,
    :func:`~bearingkit.papers.sedira2026.data.cwru_records`), every split; the cross-load view reads the same
    set at 0-3 HP."""
    return {name: cwru_views(name, recs, all_loads=cwru_records(name, loads=(0, 1, 2, 3)), settings=settings)
            for name, recs in records.items()}


def by_set_and_split(views: Mapping[str, Mapping[str, View]]) -> dict[tuple[str, str], View]:
    """``views[data set][split]`` flattened to ``{(data set, split): view}``, data sets first."""
    return {(name, split): v for name, per_split in views.items() for split, v in per_split.items()}


def training_windows(view: View, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The 46 window features (not the sub-frames) and the classes of the training windows of ``seed``."""
    train, _ = view.split(seed)
    return view.F[train, :N_FEATURES], view.y[train]


def held_out_size_view(block_views: Mapping[str, View]) -> View:
    """Which element is damaged, tested on a fault size the model never saw (a leakage-aware view).

    The paper's classes are the fault sizes, so a size cannot be held out of its own task. This view asks the
    question one level up: healthy / outer / inner / ball from the 0 HP windows of the three data sets
    (their contiguous-block views, 50 % overlap; the healthy record once). ``split(i)`` trains on the two
    other sizes and tests every fault window of size ``FAULT_SIZES[i % 3]``; the healthy record gives a
    contiguous 25 % block (seed ``i``) to test, its overlapping neighbours to neither side
    (:func:`bearingkit.evaluation.splits.held_out_split`).
    """
    names = list(block_views)
    parts, F = [], []
    for name in names:
        v = block_views[name]
        keep = np.flatnonzero((v.windows.groups["label"].to_numpy() != "normal") | (name == names[0]))
        parts.append(v.windows.subset(keep))
        F.append(v.F[keep])
    windows = concat_segments(parts)
    y = label_index(windows.groups, labels=LOCATIONS)

    def held_out_size(i: int) -> tuple[np.ndarray, np.ndarray]:
        size = FAULT_SIZES[i % len(FAULT_SIZES)]
        return held_out_split(windows.groups, by="fault_size", test_values=(size,),
                              healthy_test_fraction=PAPER_TEST_FRACTION, healthy_block="random", seed=i)

    return View(windows, y, np.vstack(F), held_out_size, "CWRU locations")


def split_summary(views: Mapping[tuple[str, str], View], *, seed: int, window: int) -> pd.DataFrame:
    """The data sets and splits as actually used: overlap, windows per class in train and test, records."""
    rows = []
    for (name, split), v in views.items():
        train, test = v.split(seed)
        starts = v.windows.groups["start"].to_numpy()
        hop = starts[1] - starts[0] if len(starts) > 1 else window
        n_classes = int(v.y.max()) + 1
        rows.append({"data set": name, "split": split, "window": window,
                     "overlap %": round(100 * (1 - hop / window)),
                     "train per class": np.bincount(v.y[train], minlength=n_classes).tolist(),
                     "test per class": np.bincount(v.y[test], minlength=n_classes).tolist(),
                     "records": v.windows.groups["record"].nunique()})
    return pd.DataFrame(rows)


def fault_test_sets_fixed(view: View, seeds: Sequence[int]) -> bool:
    """Whether the fault classes' test windows are the same for every seed (true of the cross-load split)."""
    tests = [set(t[view.y[t] > 0].tolist()) for t in (view.split(s)[1] for s in seeds)]
    return all(t == tests[0] for t in tests)


def paderborn_views(settings: Settings = DEFAULT_SETTINGS) -> dict[str, View]:
    """The four preprocessed KAt operating conditions (§7.1), keyed by condition code, paper-like split.

    A segment (2560 samples at 64 kHz) is a window; Table 10's 97.50 % = 39/40 implies
    :data:`PADERBORN_TEST_PER_CLASS` test segments per class, drawn at random within the condition.
    """
    views = {}
    for condition in range(4):
        recordings = load_paderborn_preprocessed(condition)
        windows = segment(recordings, length=recordings[0].n_samples)
        y = label_index(windows.groups, labels=PADERBORN_LABELS)
        code = recordings[0].extra["condition"]
        views[code] = _paper_view(windows, y, test_per_class=PADERBORN_TEST_PER_CLASS, settings=settings,
                                  name=code)
    return views


def condition_pairs(codes: Sequence[str], kind: str) -> list[tuple[str, str]]:
    """Ordered (train, test) condition pairs: ``"adjacent"`` (neighbours, both ways) or ``"all"``.

    Examples
    --------
    >>> condition_pairs(["a", "b", "c", "d"], "adjacent")
    [('a', 'b'), ('b', 'a'), ('c', 'd'), ('d', 'c')]
    >>> len(condition_pairs(["a", "b", "c", "d"], "all"))
    12
    """
    if kind == "all":
        return [(a, b) for a in codes for b in codes if a != b]
    if kind == "adjacent":
        return [pair for a, b in zip(codes[::2], codes[1::2], strict=False) for pair in ((a, b), (b, a))]
    raise UnknownNameError(f"unknown kind of condition pairs {kind!r}; use 'adjacent' or 'all'")


def level_by_condition(views: Mapping[str, View], *,
                       labels: Sequence[str] = PADERBORN_LABELS) -> pd.DataFrame:
    """Median RMS and mean (offset) of the segments of each Paderborn condition and class (provenance check).

    Returns
    -------
    pd.DataFrame
        Index condition code; columns ``(statistic, class)`` with statistic ``median RMS`` or ``mean``.
    """
    out = {}
    for code, v in views.items():
        rms = np.sqrt(np.mean(v.windows.X ** 2, axis=1))
        mean = v.windows.X.mean(axis=1)
        out[code] = {**{("median RMS", c): float(np.median(rms[v.y == k])) for k, c in enumerate(labels)},
                     **{("mean", c): float(np.median(mean[v.y == k])) for k, c in enumerate(labels)}}
    frame = pd.DataFrame.from_dict(out, orient="index")
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    return frame


def feature_shift(train: View, test: View, *, feature: str = "rms",
                  names: Sequence[str] = handcrafted.FEATURE_NAMES) -> pd.Series:
    """Median of one window feature per class in ``test`` over its median in ``train`` (a condition shift)."""
    column = list(names).index(feature)
    n = int(max(train.y.max(), test.y.max())) + 1
    return pd.Series([np.median(test.F[test.y == k, column]) / np.median(train.F[train.y == k, column])
                      for k in range(n)], name=f"{feature} ratio")


def axial_views(seeds: Sequence[int], settings: Settings = DEFAULT_SETTINGS, *,
                duration: float | None = None) -> dict[str, View]:
    """The three SIMULATED axial data sets (§7.2, Table 11), each with the paper-like split.

    ``seeds``: ``1 + 3 x 3`` simulation seeds (healthy, then each element's severities;
    :func:`~.settings.run_seeds`). ``4 x AXIAL_TEST_PER_CLASS`` evenly spread windows per record,
    ``AXIAL_TEST_PER_CLASS`` of them for test.
    """
    n_severities = len(AXIAL_SEVERITIES)
    n_needed = 1 + len(AXIAL_ELEMENTS) * n_severities
    if len(seeds) != n_needed:
        raise ParameterError(f"need {n_needed} simulation seeds (healthy, then 3 per element), "
                             f"got {len(seeds)}")
    healthy = axial_healthy(seeds[0], duration=duration)
    views = {}
    for i, (name, fault) in enumerate(AXIAL_ELEMENTS.items()):
        element_seeds = seeds[1 + i * n_severities: 1 + (i + 1) * n_severities]
        records = axial_recordings(fault, element_seeds, healthy=healthy, duration=duration)
        windows = spread_windows(records, n=round(AXIAL_TEST_PER_CLASS / PAPER_TEST_FRACTION),
                                 length=settings.window, allow_overlap=True)
        views[name] = _paper_view(windows, class_of(windows.groups, sizes=AXIAL_SEVERITIES),
                                  test_per_class=AXIAL_TEST_PER_CLASS, settings=settings, name=name,
                                  recordings=records)
    return views
