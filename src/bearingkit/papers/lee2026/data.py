"""The data sets of the notebook as windows, and the two splits every run is evaluated under.

Real CWRU and Paderborn, and the simulated MAFAULDA-like rig, each become a :class:`Dataset` of
``(window, channel, time)`` float32 windows with a provenance row per window (record, label, load or
condition, start, stop). The paper's split is stratified random K-fold over all windows, with no test set
(§4.1, :func:`random_folds`); the leakage-aware split holds out a whole load, operating condition or speed as
a test set scored once at the end, and groups the development folds by the same column
(:func:`holdout_split`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.signal
from sklearn.model_selection import StratifiedKFold

from bearingkit.checks import child_seeds
from bearingkit.data import cwru_files, load_cwru, load_paderborn_preprocessed
from bearingkit.data.segment import evenly_spaced, spread_starts
from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.errors import ParameterError
from bearingkit.evaluation.splits import assert_disjoint
from bearingkit.papers.lee2026.settings import MAIN_RUN, Settings
from bearingkit.physics.simulate import rig_conditions, simulate_design

__all__ = ["CWRU_CLASSES", "MAFAULDA_CLASSES", "PADERBORN_CLASSES", "Dataset", "holdout_split",
           "load_cwru_views", "load_datasets", "load_mafaulda_simulated", "load_paderborn_views",
           "random_folds", "run_plan", "windows_at"]

CWRU_CLASSES = ("normal", "outer", "inner", "ball")
PADERBORN_CLASSES = ("normal", "inner", "outer")
#: The classes of MAFAULDA's bearing faults (and so of the simulated rig): no inner-race class exists.
MAFAULDA_CLASSES = ("normal", "ball", "cage", "outer")


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Windows of one data set: ``X`` (n, channel, length) float32, integer labels, provenance per window.

    ``holdout_by`` names the ``groups`` column whose largest value the leakage-aware split holds out.
    """

    name: str
    data_kind: str
    X: np.ndarray
    y: np.ndarray
    classes: tuple[str, ...]
    fs: float
    groups: pd.DataFrame
    channels: tuple[str, ...]
    holdout_by: str

    @property
    def held_out_split(self) -> str:
        """The name of the leakage-aware split, e.g. ``"held-out load"``."""
        return f"held-out {self.holdout_by}"

    def subset(self, index) -> Dataset:
        """The windows at the positional ``index``, their provenance renumbered from 0."""
        index = np.asarray(index)
        return dataclasses.replace(self, X=self.X[index], y=self.y[index],
                                   groups=self.groups.iloc[index].reset_index(drop=True))


def windows_at(signal: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """The windows of ``length`` samples at ``starts`` of a ``(channel, time)`` signal, stacked, float32."""
    return np.stack([signal[..., s:s + length] for s in starts]).astype(np.float32)


def load_cwru_views(settings: Settings) -> Dataset:
    """CWRU, 4 classes (§3.3), both accelerometers (drive end, fan end) as channels, 12 kHz.

    97.mat (healthy, 0 HP) is sampled at 48 kHz and resampled to 12 kHz; it is the only healthy record of the
    mirror, so the healthy class comes from one record at one load.
    """
    numbers = {label: cwru_files("12k_DE", location=code, size=list(settings.cwru_sizes),
                                 load=list(settings.cwru_loads), or_position=6 if code == "OR" else None)
               for label, code in (("outer", "OR"), ("inner", "IR"), ("ball", "B"))}
    X, rows = [], []
    for label, files in (("normal", [97]), *numbers.items()):
        for number in files:
            channels = [at_rate(load_cwru(number, channel=c), 12_000.0) for c in ("DE", "FE")]
            signal = np.stack([r.signal for r in channels])
            per_record = settings.windows_per_record * (4 if label == "normal" else 1)
            starts = spread_starts(signal.shape[-1], n=per_record, length=settings.length)
            X.append(windows_at(signal, starts, settings.length))
            rows += [{"record": f"cwru/{number}.mat", "label": label, "load": channels[0].load,
                      "fault_size": channels[0].fault_size, "start": s, "stop": s + settings.length}
                     for s in starts]
    groups = pd.DataFrame(rows)
    y = groups["label"].map(CWRU_CLASSES.index).to_numpy()
    return Dataset("CWRU", "real", np.concatenate(X), y, CWRU_CLASSES, 12_000.0, groups, ("DE", "FE"),
                   holdout_by="load")


def load_paderborn_views(settings: Settings) -> Dataset:
    """Paderborn KAt (SuperGraph's preprocessed files), 3 classes x 4 operating conditions, 64 kHz, 2560.

    ``settings.paderborn_windows`` segments per class and condition, evenly spread over each file's rows of
    that class (all of them in the full profile).
    """
    X, rows = [], []
    for condition in range(4):
        recordings = load_paderborn_preprocessed(condition)
        for label in PADERBORN_CLASSES:
            of_class = [r for r in recordings if r.label == label]
            for i in evenly_spaced(len(of_class), settings.paderborn_windows):
                rec = of_class[i]
                X.append(rec.signal[None, :].astype(np.float32))
                rows.append({"record": rec.extra["record"], "label": rec.label,
                             "condition": rec.extra["condition"], "start": 0, "stop": rec.n_samples})
    groups = pd.DataFrame(rows)
    y = groups["label"].map(PADERBORN_CLASSES.index).to_numpy()
    return Dataset("Paderborn", "real", np.stack(X), y, PADERBORN_CLASSES, 64_000.0, groups, ("vibration",),
                   holdout_by="condition")


def load_mafaulda_simulated(settings: Settings, *, seed: int) -> Dataset:
    """The simulated MAFAULDA-like rig: 6 axes at 50 kHz, decimated to 25 kHz; 4 classes without inner race.

    Faults on the underhang bearing, added masses 0 g and 20 g, the first ``sim_speeds`` speeds of the rig's
    grid; windows of ``2 * settings.length`` samples at 25 kHz.
    """
    conditions = [c for c in rig_conditions("mafaulda")
                  if c.location == "underhang" and c.load in (0.0, 20.0)]
    speeds = sorted({c.speed_rpm for c in conditions})[:settings.sim_speeds]
    conditions = [c for c in conditions if c.speed_rpm in speeds]
    length = 2 * settings.length
    X, rows = [], []
    for rec in simulate_design("mafaulda", conditions=conditions, duration=settings.sim_duration, seed=seed):
        signal = scipy.signal.decimate(rec.signal, 2, axis=-1)
        starts = spread_starts(signal.shape[-1], n=settings.windows_per_record, length=length)
        X.append(windows_at(signal, starts, length))
        rows += [{"record": rec.extra["condition"] + "/" + rec.label, "label": rec.label, "load": rec.rpm,
                  "start": s, "stop": s + length} for s in starts]
    groups = pd.DataFrame(rows)
    y = groups["label"].map(MAFAULDA_CLASSES.index).to_numpy()
    return Dataset("MAFAULDA-like (simulated)", "simulated", np.concatenate(X), y, MAFAULDA_CLASSES, 25_000.0,
                   groups, rec.sensor, holdout_by="load")


def load_datasets(settings: Settings, *, seed: int) -> dict[str, Dataset]:
    """Every data set of ``settings.datasets``, keyed by name, CWRU first.

    The simulated rig is seeded by the first child of the master ``seed``.
    """
    loaders = {"cwru": lambda: load_cwru_views(settings), "paderborn": lambda: load_paderborn_views(settings),
               "mafaulda-simulated": lambda: load_mafaulda_simulated(settings, seed=child_seeds(seed, 1)[0])}
    return {key: loaders[key]() for key in sorted(settings.datasets, key=lambda k: k != MAIN_RUN[0])}


def run_plan(datasets: Mapping[str, Dataset]) -> list[tuple[str, str]]:
    """Every data set x split of the notebook, MAIN_RUN first: the paper's split, then the held-out one."""
    plan = [(key, "paper") for key in datasets]
    plan += [(key, data.held_out_split) for key, data in datasets.items()]
    return sorted(plan, key=lambda run: run != MAIN_RUN)


def random_folds(y: np.ndarray, *, n_splits: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The paper's split (§4.1): stratified random K-fold over all windows."""
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y))


def holdout_split(data: Dataset) -> tuple[np.ndarray, np.ndarray, list]:
    """The leakage-aware split: the largest value of ``data.holdout_by`` is the held-out test set.

    Development folds are grouped by the same column (one value per fold). A class present at a single value
    only (CWRU's healthy record, 0 HP) is cut into contiguous blocks instead, one per group, so that it is in
    every fold and in the test set; those windows test recognition of the record, not generalisation, and
    the notebook says so.

    Returns
    -------
    dev, test : np.ndarray
        Positional indices into ``data``.
    folds : list of (train, val)
        Positional indices into ``data.subset(dev)``.

    Raises
    ------
    ParameterError
        Fewer than 3 values of ``data.holdout_by`` (one held out, two folds at least).
    LeakageError
        A development window shares samples with a test window (never, by construction; checked).
    """
    column = data.groups[data.holdout_by].astype(str).to_numpy()
    values = sorted(set(column))
    if len(values) < 3:
        raise ParameterError(f"{data.name}: a held-out {data.holdout_by} and grouped folds need at least 3 "
                             f"values of it, got {values}")
    group = column.copy()
    for label in np.unique(data.y):
        members = np.flatnonzero(data.y == label)
        if len(set(column[members])) == 1:
            order = members[np.argsort(data.groups["start"].to_numpy()[members], kind="stable")]
            for block, value in zip(np.array_split(order, len(values)), values, strict=True):
                group[block] = value
    held_out = values[-1]
    dev, test = np.flatnonzero(group != held_out), np.flatnonzero(group == held_out)
    dev_groups = group[dev]
    folds = [(np.flatnonzero(dev_groups != v), np.flatnonzero(dev_groups == v)) for v in values[:-1]]
    assert_disjoint(data.groups.iloc[dev], data.groups.iloc[test])
    return dev, test, folds
