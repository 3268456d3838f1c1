"""The protocol of Lee, Park & Kook (2026), *Bearing fault diagnosis with hybrid CNN-RNN* (notebook 02).

Three stages run one after the other in one optimisation container (:mod:`bearingkit.hpo`), every record in
one History DB:

* **Stage 1** (§2.1, §3.2.1), training-free: a pool of preprocessing candidates per branch, drawn by LHS,
  each scored by the CSS of :mod:`bearingkit.features.separability`. CSS is min-max normalised *over the
  pool* (App. A.6): a candidate has no CSS on its own, so a sequential optimiser cannot score one candidate
  at a time; the LHS draw is the pool. The budget axis is the number of segments (Table 1): successive
  halving scores the pool on a few segments, keeps a third, and so on until the last rung sees every
  development window (:func:`screen_by_halving`); its winner is frozen (Eq. 2). The whole pool is also
  scored on every window (Figs. 7a-7b).
* **Stage 2** (§2.2, §3.2.2): the GRU and the EfficientNetV2 branch, each tuned by LHS -> Kriging -> BOHB on
  the mean cross-validated macro-F1 (Eq. 5), the budget being epochs. The folds train side by side, epoch by
  epoch, so that Hyperband sees the mean validation macro-F1 after every epoch. Every complete trial stores
  its out-of-fold and test posteriors in the History DB; the top K of each branch go on (Eqs. 6, 9), read
  back from there, so a run interrupted by its time budget resumes without retraining.
* **Stage 3** (§2.3, §4.2): simplex-weighted fusion of each (k, t) pair (Eqs. 10-11; with two models the
  simplex is a segment, searched on a 0.01 grid), the pairs halved over CV folds (the budget axis of Table
  1, :func:`pair_table`), then fusion rules x heads on the same out-of-fold posteriors, scored by 5-fold
  CV x 3 seeds (§4.1), and Wilcoxon signed-rank tests.

What the paper leaves open and we choose is in :class:`Settings` and :data:`PROFILES`; the notebook prints
them. One segment length serves both branches: Stage 3 fuses the two branches' posteriors of the *same*
windows, so the branches cannot segment differently. Scaling is not in the CSS pool: on a band-passed
signal (median near zero) robust scaling fitted on the training folds is nearly a per-channel gain, and CSS
on z-scored proxy features is blind to a gain.

Evaluation: the paper's split is random K-fold over all windows (§4.1), with the top-K, the fusion weights
and the reported F1 all chosen on the same out-of-fold predictions. The leakage-aware run holds out a whole
group (a CWRU load, a Paderborn operating condition, a simulated speed): Stage 1 sees the development
windows only, Stage 2's folds are grouped, and the held-out test set is scored once at the end by the
fold models' averaged posteriors, after every choice was made.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import keras
import lightgbm
import numpy as np
import pandas as pd
import scipy.ndimage
import scipy.signal
import scipy.stats
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from bearingkit.checks import child_seeds
from bearingkit.data import cwru_files, load_cwru, load_paderborn_preprocessed
from bearingkit.dsp import spectral
from bearingkit.errors import BearingkitError, ParameterError
from bearingkit.evaluation import fusion
from bearingkit.features import separability
from bearingkit.hpo import HistoryDB, SearchSpace, StageResult, categorical, integer, real, run_stage
from bearingkit.hpo.engines import latin_hypercube
from bearingkit.models import training
from bearingkit.models.efficientnet import build_efficientnet
from bearingkit.models.gru import build_gru, frame_steps
from bearingkit.physics.simulate import rig_conditions, simulate_design

BRANCHES = ("gru", "cnn")
#: Fusion rules of §4.2 (the paper announces five and names four) and the meta-classifier heads.
RULES = ("simple average", "weighted average", "PCA projection", "concatenation")
HEADS = ("argmax", "logistic regression", "SVM", "random forest", "LightGBM")
CWRU_CLASSES = ("normal", "outer", "inner", "ball")
PADERBORN_CLASSES = ("normal", "inner", "outer")
#: The classes of MAFAULDA's bearing faults (and so of the simulated rig): no inner-race class exists.
MAFAULDA_CLASSES = ("normal", "ball", "cage", "outer")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the paper leaves open, for one profile.

    Attributes
    ----------
    windows_per_record : int
        Non-overlapping windows taken per CWRU fault record, evenly spread (the healthy record gives as many
        as fit, up to ``4 * windows_per_record``); Paderborn gives its 300 segments per condition.
    cwru_sizes, cwru_loads : tuple
        CWRU fault sizes (in) and motor loads (HP) used.
    length : int
        Window length in samples at the data set's rate (CWRU 12 kHz; Paderborn's segments are 2560).
    gru_frame : int
        Samples per GRU step (:func:`bearingkit.models.gru.frame_steps`).
    image_size : int
        Side of the EfficientNetV2 energy maps (224 in the paper).
    gru_pool, cnn_pool : int
        Stage 1 pool sizes (77 and 26 in the paper, §3.1).
    gru_trials, cnn_trials : int
        Stage 2 trial caps per branch.
    n_lhs, n_kriging : int
        Trials of the LHS and Kriging phases of Stage 2; the rest are BOHB.
    epochs : int
        Stage 2 budget axis of the GRU branch: Hyperband prunes between 1 and ``epochs``.
    cnn_epochs : int or None
        The same for the EfficientNetV2 branch (None: ``epochs``).
    folds : int
        Stage 2 CV folds of the paper's split (5 in §4.1).
    top_k : int
        K of Eq. 5 (5 in §3.3.2); capped by the completed trials.
    fusion_folds, fusion_seeds : int
        §4.1: 5-fold CV repeated with 3 seeds for the fusion comparison.
    sim_duration : float
        Seconds per simulated MAFAULDA-like acquisition.
    sim_speeds : int
        Speeds of the simulated design used (of its 7).
    paderborn_windows : int or None
        Paderborn segments kept per class and operating condition, evenly spread over the file (None: all
        100).
    head_trees : int
        Trees of the random-forest and LightGBM heads of Stage 3.
    halving_eta : int
        Reduction factor of the successive halving of Stage 1 (over segments) and Stage 3 (over CV folds).
    """

    windows_per_record: int = 12
    cwru_sizes: tuple[float, ...] = (0.007,)
    cwru_loads: tuple[int, ...] = (0, 1, 2, 3)
    length: int = 1024
    gru_frame: int = 8
    image_size: int = 48
    gru_pool: int = 12
    cnn_pool: int = 8
    gru_trials: int = 4
    cnn_trials: int = 2
    n_lhs: int = 2
    n_kriging: int = 1
    epochs: int = 5
    cnn_epochs: int | None = None
    folds: int = 3
    top_k: int = 2
    fusion_folds: int = 5
    fusion_seeds: int = 3
    sim_duration: float = 1.0
    sim_speeds: int = 2
    paderborn_windows: int | None = 16
    head_trees: int = 200
    halving_eta: int = 3


#: quick: every run (CWRU and Paderborn, paper and held-out split) with the same budget, what 2 CPU cores
#: train in about ten minutes: 32 px maps (EfficientNetV2-B0's smallest input), GRU 4 trials x 16 epochs, CNN
#: 4 trials x 8 epochs, small Stage 1 pools, 3 folds, K = 2; 192 CWRU windows and 16 Paderborn segments per
#: class and condition. Each run's half-budget check (:func:`convergence_check`) says whether it converged.
#: medium: the paper's pools (77 / 26), K = 5 and 5 folds on the quick profile's windows, 48 px maps, 12 / 8
#: trials: the paper's protocol at a size 2 cores train in hours of resumable pieces. full: the paper's pools,
#: 224 px maps, K = 5, 5 folds, 30 / 20 trials of 27 epochs, every Paderborn segment (a GPU's work).
PROFILES: Mapping[str, Mapping[str, object]] = MappingProxyType({
    "quick": {"settings": Settings(image_size=32, gru_trials=4, cnn_trials=4, n_lhs=2, n_kriging=1, epochs=16,
                                   cnn_epochs=8, head_trees=50),
              "datasets": ("cwru", "paderborn"), "reduced": {}},
    "medium": {"settings": Settings(image_size=48, gru_pool=77, cnn_pool=26, gru_trials=12, cnn_trials=8,
                                    n_lhs=4, n_kriging=2, epochs=20, cnn_epochs=12, folds=5, top_k=5,
                                    head_trees=200),
               "datasets": ("cwru", "paderborn"), "reduced": {}},
    "full": {"settings": Settings(windows_per_record=40, cwru_sizes=(0.007, 0.014, 0.021), length=2048,
                                  gru_frame=16, image_size=224, gru_pool=77, cnn_pool=26, gru_trials=30,
                                  cnn_trials=20, n_lhs=8, n_kriging=6, epochs=27, folds=5, top_k=5,
                                  sim_duration=5.0, sim_speeds=7, paderborn_windows=None, head_trees=200),
             "datasets": ("cwru", "paderborn", "mafaulda-simulated"), "reduced": {}},
})
#: The run every figure of §3 (Figs. 7-9) is drawn from.
MAIN_RUN = ("cwru", "paper")


def run_settings(config: Mapping, key: str, split: str) -> Settings:
    """The settings of one data set x split: the profile's, with its ``reduced`` entries outside MAIN_RUN."""
    settings = config["settings"]
    if (key, split) == MAIN_RUN:
        return settings
    return dataclasses.replace(settings, **config.get("reduced", {}))


# ------------------------------------------------------------------------------------------------ data


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Windows of one data set: ``X`` (n, channel, length) float32, integer labels, provenance per window."""

    name: str
    data_kind: str
    X: np.ndarray
    y: np.ndarray
    classes: tuple[str, ...]
    fs: float
    groups: pd.DataFrame
    channels: tuple[str, ...]
    holdout_by: str

    def subset(self, index) -> Dataset:
        index = np.asarray(index)
        return dataclasses.replace(self, X=self.X[index], y=self.y[index],
                                   groups=self.groups.iloc[index].reset_index(drop=True))


def spread_windows(signal: np.ndarray, *, n: int, length: int) -> np.ndarray:
    """Starts of ``n`` non-overlapping windows of ``length`` spread evenly over a ``(..., time)`` signal."""
    total = signal.shape[-1]
    n = min(n, total // length)
    if n < 1:
        raise ParameterError(f"a signal of {total} samples holds no window of {length}")
    return np.linspace(0, total - length, n).astype(int)


def _windows_of(signal: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
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
            channels = [load_cwru(number, channel=c) for c in ("DE", "FE")]
            signal = np.stack([r.signal for r in channels])
            if channels[0].fs != 12_000.0:
                signal = spectral.resample(signal, fs_in=channels[0].fs, fs_out=12_000.0)
            per_record = settings.windows_per_record * (4 if label == "normal" else 1)
            starts = spread_windows(signal, n=per_record, length=settings.length)
            X.append(_windows_of(signal, starts, settings.length))
            rows += [{"record": f"cwru/{number}.mat", "label": label, "load": channels[0].load,
                      "fault_size": channels[0].fault_size, "start": s, "stop": s + settings.length}
                     for s in starts]
    groups = pd.DataFrame(rows)
    y = groups["label"].map(CWRU_CLASSES.index).to_numpy()
    return Dataset("CWRU", "real", np.concatenate(X), y, CWRU_CLASSES, 12_000.0, groups, ("DE", "FE"),
                   holdout_by="load")


def evenly_spaced(n_available: int, n: int | None) -> np.ndarray:
    """Indices of ``n`` items spread evenly over ``n_available`` (all when ``n`` is None or larger)."""
    if n is None or n >= n_available:
        return np.arange(n_available)
    if n < 1:
        raise ParameterError(f"need at least one item, got n={n}")
    return np.unique(np.linspace(0, n_available - 1, n).round().astype(int))


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
        starts = spread_windows(signal, n=settings.windows_per_record, length=length)
        X.append(_windows_of(signal, starts, length))
        rows += [{"record": rec.extra["condition"] + "/" + rec.label, "label": rec.label, "load": rec.rpm,
                  "start": s, "stop": s + length} for s in starts]
    groups = pd.DataFrame(rows)
    y = groups["label"].map(MAFAULDA_CLASSES.index).to_numpy()
    return Dataset("MAFAULDA-like (simulated)", "simulated", np.concatenate(X), y, MAFAULDA_CLASSES, 25_000.0,
                   groups, rec.sensor, holdout_by="load")


def gru_frame(window: int, settings: Settings) -> int:
    """Samples per GRU step for windows of ``window`` samples: every data set gets the same number of steps.

    ``settings.length // settings.gru_frame`` steps (CWRU's), so Paderborn's 2560-sample segments and the
    simulated rig's longer windows are folded into wider steps, not longer sequences (ours).
    """
    steps = max(settings.length // settings.gru_frame, 1)
    return max(window // steps, 1)


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
    return dev, test, folds


def open_history(url: str, configuration: Mapping, *, resume: bool) -> HistoryDB:
    """The History DB of one notebook run, checked against the run's configuration.

    The first run records ``configuration`` (profile, seed, settings...). A later run on the same database
    continues it only when ``resume`` is true and its configuration is identical; a database written with
    another configuration, or holding studies of unknown origin, is refused rather than silently reused
    (its finished trials and stored posteriors would belong to another run).

    Raises
    ------
    ParameterError
        The database holds another run, or ``resume`` is false and it is not empty.
    """
    history = HistoryDB(url)
    wanted = json.loads(json.dumps(configuration, default=str))
    try:
        stored = history.get("run", "configuration")
    except KeyError:
        stored = None
    where = repr(history)
    if stored is None and history.study_names():
        raise ParameterError(f"{where} holds studies but no run configuration: not this notebook's; give a "
                             f"fresh history_url")
    if stored is not None and stored != wanted:
        changed = sorted(k for k in set(stored) | set(wanted) if stored.get(k) != wanted.get(k))
        raise ParameterError(f"{where} was written by a run with another configuration (differs in "
                             f"{changed}); give a fresh history_url or delete it")
    if stored is not None and not resume:
        raise ParameterError(f"{where} already holds a run; resume it (resume=True) or give a fresh "
                             f"history_url")
    if stored is None:
        history.put("run", "configuration", wanted)
    return history


# -------------------------------------------------------------------------------------- preprocessing


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One preprocessing candidate theta_1: a band-pass band (Hz) and, for the CNN branch, the STFT frame."""

    band: tuple[float, float]
    nperseg: int | None = None

    @property
    def label(self) -> str:
        frame = f", STFT {self.nperseg}" if self.nperseg else ""
        return f"{self.band[0]:.0f}-{self.band[1]:.0f} Hz{frame}"


def candidate_pool(branch: str, *, n: int, fs: float, length: int, seed: int) -> list[Candidate]:
    """Stage 1's pool for one branch, drawn by LHS (§3.2.1).

    The band-pass centre is log-uniform from 200 Hz (a few harmonics of the defect frequencies) to 0.42 fs
    (the resonance bands the impacts excite), its width 20 % to 120 % of the centre; the CNN branch also
    draws the STFT frame from {64, 128, 256} samples (at most a quarter of the window).
    """
    frames = [f for f in (64, 128, 256) if f <= length // 4] or [length // 4]
    dims = [real("centre", 200.0, 0.42 * fs, log=True), real("relative_width", 0.2, 1.2)]
    if branch == "cnn":
        dims.append(categorical("nperseg", frames))
    pool = []
    for p in latin_hypercube(SearchSpace(tuple(dims)), n, seed=seed):
        half = p["centre"] * p["relative_width"] / 2
        band = (max(p["centre"] - half, 20.0), min(p["centre"] + half, 0.48 * fs))
        pool.append(Candidate(band=(round(band[0], 1), round(band[1], 1)), nperseg=p.get("nperseg")))
    return pool


def filtered(X: np.ndarray, candidate: Candidate, *, fs: float) -> np.ndarray:
    """The GRU branch's g_RNN before scaling (Eq. 3): the candidate's zero-phase band-pass."""
    return spectral.bandpass(X, fs=fs, band=candidate.band).astype(np.float32)


def energy_maps(X: np.ndarray, candidate: Candidate, *, fs: float) -> np.ndarray:
    """The CNN branch's STFT energy maps (Eq. 7), in dB, cropped to the candidate's band.

    Returns ``(n, channel, freq, frame)`` float32.
    """
    freqs, _, power_db = spectral.spectrogram(X, fs=fs, nperseg=candidate.nperseg,
                                              hop=candidate.nperseg // 4, floor_db=-200.0)
    rows = (freqs >= candidate.band[0]) & (freqs <= candidate.band[1])
    if rows.sum() < 2:
        rows = np.abs(freqs - np.mean(candidate.band)) <= np.sort(np.abs(freqs - np.mean(candidate.band)))[1]
    return power_db[..., rows, :].astype(np.float32)


def screen_pool(data: Dataset, branch: str, pool: Sequence[Candidate]) -> pd.DataFrame:
    """Stage 1 for one branch: CSS of every candidate over every window of ``data`` (Eq. 1).

    A candidate whose preprocessing fails keeps NaN and its reason (``error``); the rest are ranked.
    """
    features, failures = {}, {}
    for i, candidate in enumerate(pool):
        try:
            out = filtered(data.X, candidate, fs=data.fs) if branch == "gru" else energy_maps(
                data.X, candidate, fs=data.fs).reshape(len(data.X), len(data.channels), -1)
            features[i] = (separability.proxy_statistics(out), data.y)
        except ParameterError as error:
            failures[i] = str(error)
    table = separability.screen(features)
    for i, reason in failures.items():
        table.loc[i, "error"] = reason
    table = table.sort_index()
    table.insert(0, "candidate", [pool[i].label for i in table.index])
    return table


def halving_rungs(n_candidates: int, *, eta: int) -> int:
    """Rungs of a successive halving that keeps ``ceil(n / eta)`` per rung until one is left (>= 1)."""
    if eta < 2:
        raise ParameterError(f"the reduction factor eta must be >= 2, got {eta}")
    rungs, n = 0, n_candidates
    while n > 1:
        n, rungs = -(-n // eta), rungs + 1
    return max(rungs, 1)


def stratified_order(y: np.ndarray, *, seed: int) -> np.ndarray:
    """A permutation of the windows whose every prefix holds the classes in their overall proportions."""
    rng = np.random.default_rng(seed)
    key = np.empty(len(y))
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        key[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    return np.argsort(key, kind="stable")


def screen_by_halving(data: Dataset, branch: str, pool: Sequence[Candidate], *, eta: int, seed: int,
                      min_per_class: int = 4) -> pd.DataFrame:
    """Stage 1 with the number of segments as the BOHB budget (Table 1): successive halving over the pool.

    Rung r scores the surviving candidates by CSS (Eq. 1, min-max over the survivors, App. A.6) on a
    class-stratified subset of ``N * eta**(r - R + 1)`` segments (at least ``min_per_class`` per class, all
    ``N`` at the last rung R - 1); the best ``ceil(n / eta)`` go on. The paper names the budget axis, not
    the schedule: rungs, eta and the nested subsets are ours. Eq. 2's choice is the best candidate of the
    last rung.

    Returns
    -------
    pd.DataFrame
        One row per candidate and rung it reached: ``candidate`` (index into ``pool``), ``rung``,
        ``segments``, ``css``; the chosen candidate is ``table.attrs["chosen"]``.
    """
    order = stratified_order(data.y, seed=seed)
    n_rungs, survivors = halving_rungs(len(pool), eta=eta), list(range(len(pool)))
    smallest = min(len(order), min_per_class * len(np.unique(data.y)))
    rows = []
    for rung in range(n_rungs):
        share = eta ** (rung - n_rungs + 1)
        n_segments = len(order) if rung == n_rungs - 1 else max(smallest, int(np.ceil(len(order) * share)))
        table = screen_pool(data.subset(np.sort(order[:n_segments])), branch, [pool[i] for i in survivors])
        css = pd.Series(table["css"].to_numpy(), index=survivors)
        rows += [{"candidate": i, "rung": rung, "segments": n_segments, "css": float(css[i])}
                 for i in survivors]
        ranked = css.sort_values(ascending=False, na_position="last", kind="stable").index
        survivors = list(ranked[:max(-(-len(survivors) // eta), 1)])
    result = pd.DataFrame(rows)
    result.attrs["chosen"] = int(separability.best_candidate(css))
    return result


def robust_bounds(X: np.ndarray) -> dict[str, np.ndarray]:
    """Robust scaling's per-channel normalisation bounds (median, IQR) of training windows (§2.1)."""
    flat = np.moveaxis(X, 1, 0).reshape(X.shape[1], -1)
    q25, median, q75 = np.percentile(flat, [25, 50, 75], axis=1)
    return {"median": median, "iqr": np.where(q75 > q25, q75 - q25, 1.0)}


def robust_scale(X: np.ndarray, bounds: Mapping[str, np.ndarray]) -> np.ndarray:
    return ((X - bounds["median"][:, None]) / bounds["iqr"][:, None]).astype(np.float32)


def uint8_bounds(maps: np.ndarray) -> dict[str, np.ndarray]:
    """Per-channel dB bounds (0.5th, 99.5th percentile) mapping energy maps onto uint8 codes."""
    flat = np.moveaxis(maps, 1, 0).reshape(maps.shape[1], -1)
    low, high = np.percentile(flat, [0.5, 99.5], axis=1)
    return {"low": low, "high": np.where(high > low, high, low + 1.0)}


def to_images(maps: np.ndarray, bounds: Mapping[str, np.ndarray], *, size: int) -> np.ndarray:
    """Energy maps as ``(n, size, size, channel)`` uint8 images (bilinear resize, per-channel bounds)."""
    n, channels, n_freq, n_frame = maps.shape
    resized = scipy.ndimage.zoom(maps, (1, 1, size / n_freq, size / n_frame), order=1)[..., :size, :size]
    low, high = bounds["low"][None, :, None, None], bounds["high"][None, :, None, None]
    unit = (resized - low) / (high - low)
    return np.moveaxis(np.round(255 * np.clip(unit, 0, 1)).astype(np.uint8), 1, -1)


# ------------------------------------------------------------------------------------------- stage 2


def search_space(branch: str) -> SearchSpace:
    """Stage 2's space (§3.1: depth, width, learning rate, batch size, dropout, optimizer, scheduler).

    The ranges are ours (the paper gives none); for EfficientNetV2 depth and width are those of the head.
    Batches are small because the data sets are: EfficientNetV2's batch-normalisation statistics need tens
    of steps to settle, and a few hundred windows in batches of 64 give a handful of steps per epoch.
    """
    if branch not in BRANCHES:
        raise ParameterError(f"unknown branch {branch!r}; valid: {BRANCHES}")
    depth = integer("depth", 1, 3) if branch == "gru" else integer("depth", 0, 2)
    width = integer("width", 16, 128, log=True) if branch == "gru" else integer("width", 32, 256, log=True)
    return SearchSpace((depth, width, real("learning_rate", 1e-4, 1e-2, log=True),
                        categorical("batch_size", [8, 16, 32]), real("dropout", 0.0, 0.5),
                        categorical("optimizer", ["adam", "adamw", "rmsprop"]),
                        categorical("scheduler", ["constant", "cosine"])))


@functools.cache
def shared_engine() -> training.Engine:
    """The process's training engine: compiled networks shared by every trial, fold and run in it."""
    return training.Engine()


@dataclasses.dataclass
class BranchInputs:
    """The inputs of one branch: per fold, the development windows as that fold's training sees them.

    ``X[i]`` holds every development window normalised on fold ``i``'s training windows (the GRU's robust
    scaling) or the same uint8 maps for every fold (the CNN's, one array, not copied); ``folds[i]`` indexes
    it. ``key(params)`` names the architecture a trial needs (its compiled network is shared by every trial
    with that key), ``build(params)`` makes it.
    """

    X: list[np.ndarray]
    y: np.ndarray
    folds: list[tuple[np.ndarray, np.ndarray]]
    test: list[np.ndarray | None]
    bounds: list[dict]
    build: Callable[[Mapping], keras.Model]
    key: Callable[[Mapping], tuple]


def gru_inputs(X_dev, y_dev, X_test, folds, *, candidate: Candidate, fs: float, frame: int,
               n_classes: int) -> BranchInputs:
    """g_RNN (Eq. 3): band-pass, robust scaling fitted per training fold, windows folded into steps."""
    dev, test = filtered(X_dev, candidate, fs=fs), filtered(X_test, candidate, fs=fs) if len(X_test) else None
    per_fold, tests, all_bounds = [], [], []
    for train, _ in folds:
        bounds = robust_bounds(dev[train])
        per_fold.append(frame_steps(robust_scale(dev, bounds), frame=frame))
        tests.append(frame_steps(robust_scale(test, bounds), frame=frame) if test is not None else None)
        all_bounds.append(bounds)
    n_steps, n_features = per_fold[0].shape[1:]

    def build(params):
        return build_gru(n_steps=n_steps, n_features=n_features, n_classes=n_classes, depth=params["depth"],
                         width=params["width"], dropout=params["dropout"])

    def key(params):
        return ("gru", n_steps, n_features, n_classes, int(params["depth"]), int(params["width"]))

    return BranchInputs(per_fold, np.asarray(y_dev), list(folds), tests, all_bounds, build, key)


def cnn_inputs(X_dev, y_dev, X_test, folds, *, candidate: Candidate, fs: float, size: int,
               n_classes: int) -> BranchInputs:
    """g_CNN (Eq. 7): band-cropped STFT energy maps as uint8 images, one channel per sensor axis.

    The uint8 bounds are the development windows' (:func:`uint8_bounds`), so the codes are stored once; the
    model's first layer maps them onto [-1, 1].
    """
    maps = energy_maps(X_dev, candidate, fs=fs)
    bounds = uint8_bounds(maps)
    images = to_images(maps, bounds, size=size)
    test = to_images(energy_maps(X_test, candidate, fs=fs), bounds, size=size) if len(X_test) else None
    channels = images.shape[-1]

    def build(params):
        return build_efficientnet(image_size=size, channels=channels, n_classes=n_classes,
                                  head_depth=params["depth"], head_width=params["width"],
                                  dropout=params["dropout"])

    def key(params):
        return ("cnn", size, channels, n_classes)

    return BranchInputs([images] * len(folds), np.asarray(y_dev), list(folds), [test] * len(folds),
                        [bounds] * len(folds), build, key)


def macro_f1(y_true, y_pred) -> float:
    return float(f1_score(y_true, y_pred, average="macro"))


@dataclasses.dataclass(frozen=True)
class CrossValidation:
    """One trial's cross-validation: F_CV (Eq. 5) after every epoch and the posteriors it ends with."""

    scores: list[float]
    oof: np.ndarray
    test: np.ndarray

    @property
    def score(self) -> float:
        return self.scores[-1]


def cross_validate(inputs: BranchInputs, params: Mapping, *, epochs: int, seed: int, n_classes: int,
                   n_dev: int, report: Callable[[int, float], None],
                   checkpoints: Mapping[int, Callable[[float, np.ndarray, np.ndarray], None]] | None = None,
                   engine: training.Engine | None = None) -> CrossValidation:
    """Train one model per fold side by side for ``epochs``; report mean validation macro-F1 per epoch.

    The folds and every trial of the same architecture share one compiled network of the engine
    (:mod:`bearingkit.models.training`): the trial's seeded initial weights and hyperparameters are copied
    into it, and each fold restarts from them with a zeroed optimizer, as separate models would; the folds
    take turns between the pruner's rungs (:func:`rung_epochs`). The learning rate follows the trial's
    scheduler over the trial's steps (cosine decay to 0 over ``epochs``).

    ``checkpoints`` maps an epoch to ``callback(score, oof, test)``, called with that epoch's F_CV and
    posteriors before the epoch is reported (and so before the pruner may stop the trial): the convergence
    check reads each trial at half its epochs from there.

    Returns
    -------
    CrossValidation
        ``score`` is the mean over folds of the final validation macro-F1 (F_CV of Eq. 5); ``oof`` the
        out-of-fold posteriors ``(n_dev, n_classes)``; ``test`` the fold models' mean posterior of the
        held-out windows (empty without a test set).
    """
    engine = engine or shared_engine()
    batch = int(params["batch_size"])
    steps = epochs * -(-max(len(train) for train, _ in inputs.folds) // batch)
    network = engine.start(inputs.key(params), lambda: inputs.build(params), seed=seed,
                           optimizer=params["optimizer"])
    states = [engine.initial_state(network)] * len(inputs.folds)
    rngs = [np.random.default_rng(s) for s in child_seeds(seed, len(inputs.folds))]
    checkpoints = checkpoints or {}

    def rate(step):
        return training.learning_rate_at(step, base=params["learning_rate"], scheduler=params["scheduler"],
                                         total_steps=steps)

    def normalised(p):
        return p / p.sum(axis=1, keepdims=True)

    oof, scores, first = np.zeros((n_dev, n_classes)), [], 1
    oof_at = {e: np.zeros((n_dev, n_classes)) for e in checkpoints}
    test_at: dict[int, list] = {e: [] for e in [*checkpoints, epochs]}
    for last in rung_epochs(epochs):
        per_epoch = np.zeros((last - first + 1, len(inputs.folds)))
        for i, (train, val) in enumerate(inputs.folds):
            engine.restore(network, states[i])
            for epoch in range(first, last + 1):
                engine.train_epoch(network, inputs.X[i], inputs.y, train, batch=batch, rng=rngs[i],
                                   learning_rate=rate)
                proba = engine.predict(network, inputs.X[i], val)
                oof[val] = proba
                per_epoch[epoch - first, i] = macro_f1(inputs.y[val], proba.argmax(axis=1))
                if epoch in oof_at:
                    oof_at[epoch][val] = proba
                if epoch in test_at and inputs.test[i] is not None:
                    test_at[epoch].append(engine.predict(network, inputs.test[i]))
            states[i] = engine.save(network)
        for epoch, score in zip(range(first, last + 1), per_epoch.mean(axis=1), strict=True):
            scores.append(float(score))
            if epoch in checkpoints:
                test = np.mean(test_at[epoch], axis=0) if test_at[epoch] else np.empty((0, n_classes))
                checkpoints[epoch](scores[-1], normalised(oof_at[epoch]), test)
            report(epoch, scores[-1])
        first = last + 1
    test = np.mean(test_at[epochs], axis=0) if test_at[epochs] else np.empty((0, n_classes))
    return CrossValidation(scores, normalised(oof), test)


def rung_epochs(epochs: int, *, eta: int = 3) -> list[int]:
    """The epochs after which the folds swap: Hyperband's rungs (1, eta, eta**2, ...) and the last epoch.

    Every fold trains from one rung to the next before the next fold takes the network, so a trial's
    folds swap their states a few times instead of after every epoch; the pruner, which only decides at
    its rungs (min_resource 1, reduction factor eta), sees every epoch's score in order.

    Examples
    --------
    >>> rung_epochs(20)
    [1, 3, 9, 20]
    >>> rung_epochs(3)
    [1, 3]
    """
    rungs, rung = [], 1
    while rung < epochs:
        rungs.append(rung)
        rung *= eta
    return [*rungs, epochs]


@dataclasses.dataclass(frozen=True)
class BranchResult:
    """Stage 2 of one branch: the stage's trials, and the top-K trials' posteriors (best first).

    ``half`` is the same branch at half its budget (:func:`half_budget`): the top K of the first half of
    the trials, each read at half its epochs, as ``{"best": F_CV, "oof": [...], "test": [...]}``; None
    when no trial reached half its epochs.
    """

    stage: StageResult
    top: pd.DataFrame
    oof: list[np.ndarray]
    test: list[np.ndarray]
    importance: dict[str, float]
    half: dict | None = None


class Unfinished(BearingkitError):
    """A run stopped by its time budget: what it finished is in the History DB; rerun to continue."""


def remaining(deadline: float | None) -> float | None:
    """Seconds left until ``deadline`` (a :func:`time.monotonic` value); None without a deadline."""
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


def params_key(params: Mapping) -> str:
    """The History DB key of a trial's posteriors: a digest of its parameters (same parameters, same key)."""
    text = json.dumps({k: params[k] for k in sorted(params)}, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


def stored_posteriors(history: HistoryDB, study: str, params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """The out-of-fold and test posteriors a trial of ``study`` stored (see :func:`run_branch`)."""
    stored = history.get(study, f"posteriors/{params_key(params)}")
    return np.asarray(stored["oof"], dtype=float), np.asarray(stored["test"], dtype=float)


def run_branch(inputs: BranchInputs, *, branch: str, settings: Settings, history: HistoryDB, study: str,
               seed: int, n_classes: int, n_dev: int, deadline: float | None = None) -> BranchResult:
    """Stage 2 of one branch in the container: LHS -> Kriging -> BOHB on F_CV, the top K kept (Eq. 5).

    Every complete trial stores its out-of-fold and test posteriors in the History DB (§2.4), so that a
    stage resumed from the database recovers its top K without retraining any of them.

    Raises
    ------
    Unfinished
        The stage stopped at ``deadline`` (a :func:`time.monotonic` value) before its stop rule.
    """
    def objective(params, report):
        key = params_key(params)

        def at_half(score, oof, test):
            history.put(study, f"posteriors-half/{key}", {"score": score, "oof": oof, "test": test})

        result = cross_validate(inputs, params, epochs=epochs, seed=seed, n_classes=n_classes, n_dev=n_dev,
                                report=report, checkpoints={half_epochs(settings, branch): at_half})
        history.put(study, f"posteriors/{key}", {"oof": result.oof, "test": result.test})
        return result.score

    trials = settings.gru_trials if branch == "gru" else settings.cnn_trials
    epochs = branch_epochs(settings, branch)
    budget = {} if deadline is None else {"time_budget_s": remaining(deadline)}
    stage = run_stage(objective, search_space(branch), history=history, study_name=study, seed=seed,
                      max_trials=trials, n_lhs=min(settings.n_lhs, trials), n_kriging=settings.n_kriging,
                      min_resource=1, max_resource=epochs, **budget)
    if stage.stopped_by == "time budget":
        done = int((stage.trials["state"] == "COMPLETE").sum()) if len(stage.trials) else 0
        raise Unfinished(f"{study}: {done} of at most {trials} trials complete when the time budget ran out")
    top = stage.top_k(settings.top_k)
    oof, test = zip(*(stored_posteriors(history, study, p) for p in top["params"]), strict=True)
    history.put(study, "top_k", top[["number", "value", "params"]].to_dict(orient="records"))
    half = half_budget(stage, history, study, trials=-(-trials // 2), k=settings.top_k)
    return BranchResult(stage, top, list(oof), list(test), parameter_importance(history, study), half)


def branch_epochs(settings: Settings, branch: str) -> int:
    """The epochs of one branch's trials (Stage 2's budget axis)."""
    if branch not in BRANCHES:
        raise ParameterError(f"unknown branch {branch!r}; valid: {BRANCHES}")
    return settings.cnn_epochs or settings.epochs if branch == "cnn" else settings.epochs


def half_epochs(settings: Settings, branch: str) -> int:
    """The epochs of one branch in the half-budget run of the convergence check (at least 1)."""
    return max(branch_epochs(settings, branch) // 2, 1)


def half_budget(stage: StageResult, history: HistoryDB, study: str, *, trials: int, k: int) -> dict | None:
    """The branch at half its budget: the first ``trials`` trials, each read at half its epochs.

    This is the run truncated at half its budget, not an independent run: the same LHS design and
    proposals, each trial's posteriors at :func:`half_epochs` (stored by :func:`run_branch` before the
    pruner saw that epoch). The top ``k`` of them by their half-epoch F_CV stand for Eq. 5's top K.

    Returns
    -------
    dict or None
        ``best`` (the best half-epoch F_CV), ``oof`` and ``test`` (the top K's posteriors, best first),
        ``trials`` (how many had a half-epoch record); None when none had.
    """
    first = stage.trials.sort_values("number").head(trials) if len(stage.trials) else stage.trials
    records = []
    for params in first.get("params", []):
        try:
            records.append(history.get(study, f"posteriors-half/{params_key(params)}"))
        except KeyError:  # failed or stopped before half its epochs
            continue
    if not records:
        return None
    records.sort(key=lambda r: -r["score"])
    return {"best": float(records[0]["score"]), "trials": len(records),
            "oof": [np.asarray(r["oof"], dtype=float) for r in records[:k]],
            "test": [np.asarray(r["test"], dtype=float) for r in records[:k]]}


def parameter_importance(history: HistoryDB, study: str) -> dict[str, float]:
    """fANOVA importance of each hyperparameter on the study's complete trials (Fig. 8b); {} if too few."""
    import optuna

    loaded = optuna.load_study(study_name=study, storage=history.storage)
    complete = [t for t in loaded.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if len(complete) < 3:
        return {}
    try:
        evaluator = optuna.importance.FanovaImportanceEvaluator(seed=0)
        return {k: float(v) for k, v in optuna.importance.get_param_importances(
            loaded, evaluator=evaluator).items()}
    except (RuntimeError, ValueError):
        return {}


# ------------------------------------------------------------------------------------------- stage 3


def best_simplex_weight(p_rnn, p_cnn, y, folds, *, grid: int = 101) -> tuple[float, float]:
    """Eq. 10 for one pair: the weight of the RNN posterior maximising mean per-fold macro-F1.

    Returns ``(w_RNN, F_CV)``; ``w_CNN = 1 - w_RNN``. Ties go to the weight nearest 0.5.
    """
    weights = np.linspace(0.0, 1.0, grid)
    scores = []
    for w in weights:
        pred = fusion.fuse_weighted([p_rnn, p_cnn], (w, 1.0 - w)).argmax(axis=1)
        scores.append(np.mean([macro_f1(y[val], pred[val]) for _, val in folds]))
    scores = np.array(scores)
    best = np.flatnonzero(scores >= scores.max() - 1e-12)
    w = weights[best[np.argmin(np.abs(weights[best] - 0.5))]]
    return float(w), float(scores.max())


def pair_table(p_rnn: Sequence[np.ndarray], p_cnn: Sequence[np.ndarray], y, folds, *,
               eta: int) -> pd.DataFrame:
    """Eqs. 10-11 with the CV folds as the budget (Table 1): successive halving over the (k, t) pairs.

    Rung r fits every surviving pair's simplex weight (:func:`best_simplex_weight`) on the first
    ``max(1, round(F * eta**(r - R + 1)))`` of the ``F`` folds (all of them at the last rung) and keeps
    the best ``ceil(n / eta)``. The schedule is ours (the paper names the axis only). With one pair the
    only rung uses every fold.

    Returns
    -------
    pd.DataFrame
        One row per pair and rung reached: ``k``, ``t``, ``rung``, ``folds``, ``w_rnn``, ``w_cnn``,
        ``f_cv`` (mean macro-F1 over that rung's folds). The pairs of the last rung have seen every fold.
    """
    survivors = [(k, t) for k in range(len(p_rnn)) for t in range(len(p_cnn))]
    n_rungs = halving_rungs(len(survivors), eta=eta)
    rows = []
    for rung in range(n_rungs):
        share = eta ** (rung - n_rungs + 1)
        n_folds = len(folds) if rung == n_rungs - 1 else max(1, round(len(folds) * share))
        scored = {}
        for k, t in survivors:
            w, score = best_simplex_weight(p_rnn[k], p_cnn[t], y, folds[:n_folds])
            scored[k, t] = score
            rows.append({"k": k, "t": t, "rung": rung, "folds": n_folds, "w_rnn": w, "w_cnn": 1.0 - w,
                         "f_cv": score})
        survivors = sorted(survivors, key=lambda pair: -scored[pair])[:max(-(-len(survivors) // eta), 1)]
    return pd.DataFrame(rows)


def best_pair(pairs: pd.DataFrame) -> dict:
    """Eq. 11: the pair with the largest F_CV among those scored on every fold (the last rung)."""
    last = pairs[pairs["rung"] == pairs["rung"].max()]
    return last.loc[last["f_cv"].idxmax()].to_dict()


def rule_inputs(gru: BranchResult, cnn: BranchResult, pair: Mapping, *, which: str = "oof") -> dict:
    """The inputs of each fusion rule (§4.2) from the top-K posteriors of both branches."""
    g, c = (gru.oof, cnn.oof) if which == "oof" else (gru.test, cnn.test)
    stacked = np.concatenate([*g, *c], axis=1)
    return {"simple average": fusion.fuse_weighted([*g, *c]),
            "weighted average": fusion.fuse_weighted([g[int(pair["k"])], c[int(pair["t"])]],
                                                     (pair["w_rnn"], pair["w_cnn"])),
            "PCA projection": stacked, "concatenation": stacked}


def make_head(head: str, *, rule: str, n_classes: int, seed: int, trees: int = 200):
    """A meta-classifier (None for argmax); the PCA rule puts PCA to n_classes components in front.

    ``trees``: the random forest's trees and LightGBM's boosting rounds (ours; the paper gives none).
    """
    models = {
        "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "SVM": lambda: make_pipeline(StandardScaler(), SVC(C=1.0, random_state=seed)),
        "random forest": lambda: RandomForestClassifier(n_estimators=trees, random_state=seed, n_jobs=1),
        "LightGBM": lambda: lightgbm.LGBMClassifier(n_estimators=trees, learning_rate=0.05, num_leaves=15,
                                                    min_child_samples=5, random_state=seed, n_jobs=1,
                                                    verbose=-1),
    }
    if head == "argmax":
        return None
    model = models[head]()
    return make_pipeline(StandardScaler(), PCA(n_components=n_classes, random_state=seed), model) \
        if rule == "PCA projection" else model


def fusion_scores(inputs: Mapping[str, np.ndarray], y: np.ndarray, *, n_classes: int, folds: int,
                  seeds: Sequence[int], trees: int = 200) -> pd.DataFrame:
    """§4.1-4.2: every rule x head scored by ``folds``-fold stratified CV, once per seed.

    argmax is defined for the averaging rules only (the arg-max of a concatenation or a projection is not a
    class); those cells are NaN. Returns one row per (rule, head, seed, fold): macro-F1 and accuracy.
    """
    rows = []
    for seed in seeds:
        for fold, (train, test) in enumerate(random_folds(y, n_splits=folds, seed=seed)):
            for rule, Z in inputs.items():
                for head in HEADS:
                    if head == "argmax":
                        if rule not in ("simple average", "weighted average"):
                            continue
                        pred = Z[test].argmax(axis=1)
                    else:
                        model = make_head(head, rule=rule, n_classes=n_classes, seed=seed, trees=trees)
                        pred = model.fit(Z[train], y[train]).predict(Z[test])
                    rows.append({"rule": rule, "head": head, "seed": seed, "fold": fold,
                                 "macro_f1": macro_f1(y[test], pred),
                                 "accuracy": float(accuracy_score(y[test], pred))})
    return pd.DataFrame(rows)


def fusion_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over seed x fold of macro-F1 and accuracy per (rule, head)."""
    return scores.groupby(["rule", "head"], sort=False)[["macro_f1", "accuracy"]].agg(["mean", "std"])


def heatmap_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Fig. 10's matrix: mean macro-F1, rules x heads (NaN where a head does not apply)."""
    table = scores.groupby(["rule", "head"])["macro_f1"].mean().unstack("head")
    return table.reindex(index=list(RULES), columns=list(HEADS))


def cv_std_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Fig. 11's data: the std of macro-F1 over the folds of one seed, per rule, head and seed."""
    return scores.groupby(["rule", "head", "seed"])["macro_f1"].std(ddof=1).rename("cv_std").reset_index()


def wilcoxon(scores: pd.DataFrame, a: tuple[str, str], b: tuple[str, str]) -> dict:
    """Wilcoxon signed-rank test (§4.1) on paired macro-F1 of two (rule, head) cells, same seed and fold.

    Returns the test on all seed x fold pairs and on the 5 folds of the first seed. With 5 pairs the
    smallest two-sided p is 2/32 = 0.0625, so no difference can reach alpha = 0.05; the 15 seed x fold pairs
    are not independent (folds of one seed share training data), so their p is optimistic.
    """
    key = ["seed", "fold"]
    left = scores[(scores["rule"] == a[0]) & (scores["head"] == a[1])].set_index(key)["macro_f1"]
    right = scores[(scores["rule"] == b[0]) & (scores["head"] == b[1])].set_index(key)["macro_f1"]
    diff = (left - right).dropna()
    first_seed = diff.xs(diff.index.get_level_values("seed")[0], level="seed")

    def test(d):
        if np.allclose(d, 0):
            return {"n": len(d), "statistic": None, "p": 1.0, "note": "all pairs tie"}
        result = scipy.stats.wilcoxon(d, zero_method="zsplit")
        return {"n": len(d), "statistic": float(result.statistic), "p": float(result.pvalue)}

    return {"a": " + ".join(a), "b": " + ".join(b), "mean_difference": float(diff.mean()),
            "all_pairs": test(diff.to_numpy()), "one_seed": test(first_seed.to_numpy())}


def held_out_scores(gru: BranchResult, cnn: BranchResult, pair: Mapping, y_dev, y_test, *, n_classes: int,
                    seed: int, trees: int = 200) -> dict[str, float]:
    """The held-out test macro-F1 of the branches, the simplex fusion and concatenation + LightGBM.

    Every choice (candidates, top-K, weights, the head's training) was made on the development windows.
    """
    if not gru.test or len(y_test) == 0:
        return {}
    out = {"GRU only": macro_f1(y_test, gru.test[0].argmax(axis=1)),
           "EfficientNetV2 only": macro_f1(y_test, cnn.test[0].argmax(axis=1))}
    test_inputs = rule_inputs(gru, cnn, pair, which="test")
    out["weighted average + argmax"] = macro_f1(y_test, test_inputs["weighted average"].argmax(axis=1))
    head = make_head("LightGBM", rule="concatenation", n_classes=n_classes, seed=seed, trees=trees)
    head.fit(rule_inputs(gru, cnn, pair)["concatenation"], y_dev)
    out["concatenation + LightGBM"] = macro_f1(y_test, head.predict(test_inputs["concatenation"]))
    return out


# --------------------------------------------------------------------------------------- the pipeline


#: The paired comparisons tested by Wilcoxon's signed-rank test in every run (§4.1), as (a, b) cells.
COMPARISONS = ((("concatenation", "LightGBM"), ("simple average", "argmax")),
               (("weighted average", "LightGBM"), ("weighted average", "argmax")))


@dataclasses.dataclass(frozen=True)
class PipelineResult:
    """Everything one data set x split gives the notebook."""

    dataset: str
    data_kind: str
    split: str
    classes: tuple[str, ...]
    stage1: dict[str, pd.DataFrame]
    halving: dict[str, pd.DataFrame]
    chosen: dict[str, int]
    proxy_features: np.ndarray
    y_dev: np.ndarray
    branches: dict[str, BranchResult]
    pairs: pd.DataFrame
    best_pair: dict
    scores: pd.DataFrame
    wilcoxon: dict[str, dict]
    confusion: dict[str, np.ndarray]
    baselines: dict[str, float]
    test: dict[str, float]
    seconds: dict[str, float]
    convergence: dict


def run_pipeline(data: Dataset, *, split: str, settings: Settings, history: HistoryDB, seed: int,
                 deadline: float | None = None, log: Callable[[str], None] = print) -> PipelineResult:
    """Stages 1-3 on one data set under the paper's split (``"paper"``) or the leakage-aware one.

    Parameters
    ----------
    data : Dataset
    split : {"paper", "held-out <column>"}
        ``"paper"``: random stratified folds over all windows, no test set (§4.1). Otherwise
        :func:`holdout_split`.
    settings : Settings
    history : HistoryDB
        Every stage's studies and records go here, under ``<data set>/<split>/...``. A run interrupted by
        its deadline resumes from it: Stage 1 and 3 are recomputed (seconds, deterministic), Stage 2's
        finished trials and their posteriors are read back.
    seed : int
        Master seed of this run; the stages' seeds are spawned from it.
    deadline : float, optional
        A :func:`time.monotonic` value: no trial starts after it (``time_budget_s`` of every stage).
    log : callable
        Progress lines (the notebook prints them).

    Raises
    ------
    Unfinished
        The deadline came before the run finished; rerunning with the same History DB continues it.
    """
    s_pool, s_folds, s_gru, s_cnn, s_fusion = child_seeds(seed, 5)
    if split == "paper":
        dev, test = np.arange(len(data.y)), np.array([], dtype=int)
        folds = random_folds(data.y, n_splits=settings.folds, seed=s_folds)
    else:
        dev, test, folds = holdout_split(data)
    prefix = f"{data.name}/{split}/seed{seed}"
    history.put(prefix, "split", {"dev": dev, "test": test, "folds": [[tr, va] for tr, va in folds]})
    history.put(prefix, "seed", {"master": seed, "children": [s_pool, s_folds, s_gru, s_cnn, s_fusion]})
    dev_data = data.subset(dev)
    timings = {}

    start = time.perf_counter()
    stage1, halving, chosen, pools = {}, {}, {}, {}
    for branch, n in (("gru", settings.gru_pool), ("cnn", settings.cnn_pool)):
        pools[branch] = candidate_pool(branch, n=n, fs=data.fs, length=dev_data.X.shape[-1], seed=s_pool)
        stage1[branch] = screen_pool(dev_data, branch, pools[branch])
        halving[branch] = screen_by_halving(dev_data, branch, pools[branch], eta=settings.halving_eta,
                                            seed=s_pool)
        chosen[branch] = halving[branch].attrs["chosen"]
        history.put(f"{prefix}/stage1/{branch}", "candidates",
                    stage1[branch].reset_index().to_dict("records"))
        history.put(f"{prefix}/stage1/{branch}", "halving", halving[branch].to_dict("records"))
        history.put(f"{prefix}/stage1/{branch}", "chosen", dataclasses.asdict(pools[branch][chosen[branch]]))
        log(f"{data.name} [{split}] stage 1 {branch}: {len(pools[branch])} candidates, chosen "
            f"{pools[branch][chosen[branch]].label} by halving over {halving[branch]['segments'].max()} "
            f"segments (CSS over the pool {stage1[branch]['css'].iloc[chosen[branch]]:.3f})")
    timings["stage 1"] = time.perf_counter() - start
    proxy = separability.proxy_statistics(filtered(dev_data.X, pools["gru"][chosen["gru"]], fs=data.fs))

    n_classes = len(data.classes)
    X_test = data.X[test]
    gru_in = gru_inputs(dev_data.X, dev_data.y, X_test, folds, candidate=pools["gru"][chosen["gru"]],
                        fs=data.fs, frame=gru_frame(data.X.shape[-1], settings), n_classes=n_classes)
    cnn_in = cnn_inputs(dev_data.X, dev_data.y, X_test, folds, candidate=pools["cnn"][chosen["cnn"]],
                        fs=data.fs, size=settings.image_size, n_classes=n_classes)
    history.put(f"{prefix}/stage2/gru", "normalisation_bounds", gru_in.bounds)
    history.put(f"{prefix}/stage2/cnn", "normalisation_bounds", cnn_in.bounds[0])
    branches = {}
    for branch, inputs, s in (("gru", gru_in, s_gru), ("cnn", cnn_in, s_cnn)):
        before = dataclasses.replace(shared_engine().timings)
        start = time.perf_counter()
        branches[branch] = run_branch(inputs, branch=branch, settings=settings, history=history,
                                      study=f"{prefix}/stage2/{branch}", seed=s, n_classes=n_classes,
                                      n_dev=len(dev), deadline=deadline)
        timings[f"stage 2 {branch}"] = time.perf_counter() - start
        timings.update(engine_share(before, shared_engine().timings, label=f"stage 2 {branch}"))
        result = branches[branch]
        log(f"{data.name} [{split}] stage 2 {branch}: {len(result.stage.trials)} trials "
            f"({result.stage.stopped_by}), best F_CV {result.stage.best_value:.4f}, "
            f"{timings[f'stage 2 {branch}']:.0f} s")
    del gru_in, cnn_in
    if remaining(deadline) == 0.0:
        raise Unfinished(f"{prefix}: Stage 2 done, no time left for Stage 3")

    start = time.perf_counter()
    y_dev = dev_data.y
    pairs = pair_table(branches["gru"].oof, branches["cnn"].oof, y_dev, folds, eta=settings.halving_eta)
    best = best_pair(pairs)
    history.put(f"{prefix}/stage3", "fusion_weights", pairs.to_dict("records"))
    history.put(f"{prefix}/stage3", "best_pair", best)
    inputs = rule_inputs(branches["gru"], branches["cnn"], best)
    seeds = child_seeds(s_fusion, settings.fusion_seeds)
    scores = fusion_scores(inputs, y_dev, n_classes=n_classes, folds=settings.fusion_folds, seeds=seeds,
                           trees=settings.head_trees)
    signed_rank = {f"{' + '.join(a)} vs {' + '.join(b)}": wilcoxon(scores, a, b) for a, b in COMPARISONS}
    history.put(f"{prefix}/stage3", "wilcoxon", signed_rank)
    timings["stage 3"] = time.perf_counter() - start
    fused = inputs["weighted average"].argmax(axis=1)
    confusion = {"GRU": confusion_matrix(y_dev, branches["gru"].oof[0].argmax(axis=1),
                                         labels=range(n_classes)),
                 "EfficientNetV2": confusion_matrix(y_dev, branches["cnn"].oof[0].argmax(axis=1),
                                                    labels=range(n_classes)),
                 "late fusion": confusion_matrix(y_dev, fused, labels=range(n_classes))}
    baselines = {"GRU only": macro_f1(y_dev, branches["gru"].oof[0].argmax(axis=1)),
                 "EfficientNetV2 only": macro_f1(y_dev, branches["cnn"].oof[0].argmax(axis=1)),
                 "simplex fusion (Eq. 10-11)": macro_f1(y_dev, fused)}
    held_out = held_out_scores(branches["gru"], branches["cnn"], best, y_dev, data.y[test],
                               n_classes=n_classes, seed=s_fusion, trees=settings.head_trees)
    check = convergence_check(branches, y_dev, data.y[test], folds, eta=settings.halving_eta,
                              full_fused=best["f_cv"], full_test=held_out.get("weighted average + argmax"))
    history.put(f"{prefix}/stage3", "convergence", check)
    log(f"{data.name} [{split}] stage 3: best pair {int(best['k'])},{int(best['t'])} w_RNN "
        f"{best['w_rnn']:.2f} F_CV {best['f_cv']:.4f}; {timings['stage 3']:.0f} s; "
        f"{'converged' if check['converged'] else 'NOT converged'} (fused F_CV at half budget "
        f"{check['half']['fused F_CV']:.4f})")
    return PipelineResult(data.name, data.data_kind, split, data.classes, stage1, halving, chosen, proxy,
                          y_dev, branches, pairs, best, scores, signed_rank, confusion, baselines, held_out,
                          timings, check)


def engine_share(before: training.Timings, after: training.Timings, *, label: str) -> dict[str, float]:
    """What the engine spent between two snapshots: tracing, training steps, and the share outside them."""
    parts = ("build", "trace", "train", "predict", "state")
    spent = {k: getattr(after, k) - getattr(before, k) for k in parts}
    total, samples = sum(spent.values()), after.samples - before.samples
    return {f"{label}: trace": spent["trace"], f"{label}: training steps": spent["train"],
            f"{label}: outside training (share)": 1.0 - spent["train"] / total if total else 0.0,
            f"{label}: windows/s": samples / spent["train"] if spent["train"] else 0.0}


def not_converged_reason(result: PipelineResult) -> str:
    """Why a run's numbers are no evidence about the method ("" for a converged run)."""
    check = result.convergence
    if check["converged"]:
        return ""
    moved = {k: v for k, v in check["change"].items() if not abs(v) <= check["tolerance"]}
    return ("not converged: at half its budget (trials and epochs) " +
            "; ".join(f"{k} moves {v:+.3f}" for k, v in moved.items()) +
            f" (more than {check['tolerance']:.2f}): train longer before reading it as evidence")


def convergence_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """One row per run: each score at full and at half budget, its change, and the verdict."""
    rows = []
    for result in results.values():
        check, split = result.convergence, result.split
        row = {"run": f"{result.dataset}, {split}"}
        for name in check["full"]:
            row[f"{name}, full"] = check["full"][name]
            row[f"{name}, half"] = check["half"][name]
        row["largest change"] = max((abs(v) for v in check["change"].values()), default=float("nan"))
        row["converged"] = check["converged"]
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else ["run", "converged"]).set_index("run")


#: The largest change of a fused score (macro-F1, 0-1) between half and full budget of a converged run.
CONVERGENCE_TOLERANCE = 0.02


def convergence_check(branches: Mapping[str, BranchResult], y_dev, y_test, folds, *, eta: int,
                      full_fused: float, full_test: float | None,
                      tolerance: float = CONVERGENCE_TOLERANCE) -> dict:
    """Does the run's fused score hold when its budget is halved? (trials and epochs, :func:`half_budget`).

    The half-budget run fuses its own top K (Eqs. 10-11, :func:`pair_table`) and, with a test set, scores
    the weighted average of its best pair on it. A run is converged when every fused score and each
    branch's best F_CV moves by at most ``tolerance`` (2 points of macro-F1); a run whose half budget left
    no trial at half its epochs is not converged.

    Returns
    -------
    dict
        ``full`` and ``half``: the branches' best F_CV, ``fused F_CV`` and (with a test set) ``held-out
        fused``; ``change``: half minus full of each; ``converged``: bool; ``tolerance``.
    """
    full = {f"{b} best F_CV": float(branches[b].stage.best_value) for b in BRANCHES}
    full["fused F_CV"] = float(full_fused)
    if full_test is not None:
        full["held-out fused"] = float(full_test)
    half_gru, half_cnn = branches["gru"].half, branches["cnn"].half
    if half_gru is None or half_cnn is None:
        missing = {k: float("nan") for k in full}
        return {"full": full, "half": missing, "change": missing, "converged": False, "tolerance": tolerance}
    half = {"gru best F_CV": half_gru["best"], "cnn best F_CV": half_cnn["best"]}
    pairs = pair_table(half_gru["oof"], half_cnn["oof"], y_dev, folds, eta=eta)
    pair = best_pair(pairs)
    half["fused F_CV"] = float(pair["f_cv"])
    if full_test is not None:
        fused = fusion.fuse_weighted([half_gru["test"][int(pair["k"])], half_cnn["test"][int(pair["t"])]],
                                     (pair["w_rnn"], pair["w_cnn"]))
        half["held-out fused"] = macro_f1(y_test, fused.argmax(axis=1))
    change = {k: half[k] - full[k] for k in full}
    return {"full": full, "half": half, "change": change, "tolerance": tolerance,
            "converged": bool(all(abs(v) <= tolerance + 1e-12 for v in change.values()))}


def run_plan(datasets: Mapping[str, Dataset]) -> list[tuple[str, str]]:
    """Every data set x split of the notebook, MAIN_RUN first: the paper's split, then the held-out one."""
    plan = [(key, "paper") for key in datasets]
    plan += [(key, f"held-out {data.holdout_by}") for key, data in datasets.items()]
    return sorted(plan, key=lambda run: run != MAIN_RUN)


def background_runner() -> concurrent.futures.ProcessPoolExecutor:
    """One worker process ('spawn': no copied TensorFlow state) for runs that go on beside the main run.

    The runs of one notebook are independent (their own studies and records in the History DB, which
    several processes may share by URL), so on two cores a second process halves the wall time where
    one process leaves a core idle (Keras' graph tracing runs on one core).
    """
    spawn = multiprocessing.get_context("spawn")
    return concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=spawn)


def limit_threads(threads: int) -> bool:
    """Cap TensorFlow's intra- and inter-op threads of this process (before its runtime starts).

    With the notebook's main process and its worker each training on one core, neither waits on threads
    of the other (measured: the GRU trained at 170-250 windows/s per process with the main process on two
    threads beside the worker, against 650 alone). Returns False where the runtime had already started
    or the backend is not TensorFlow (nothing changed).
    """
    if keras.config.backend() != "tensorflow":
        return False
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # the runtime is already initialised: keep its threads
        return False
    return True


def pipeline_in_worker(data: Dataset, *, split: str, settings: Settings, history_url: str, seed: int,
                       threads: int = 1) -> tuple[PipelineResult, list[str], float]:
    """:func:`run_pipeline` in a worker process, on the History DB at ``history_url``.

    ``threads`` caps TensorFlow's intra- and inter-op threads of the worker (the main process keeps its
    own), so that the two processes share two cores without oversubscribing them.

    Returns
    -------
    result : PipelineResult
    log : list of str
        The progress lines, for the caller to print (a worker's own output does not reach a notebook).
    seconds : float
        Wall time of the run in the worker.
    """
    limit_threads(threads)
    lines: list[str] = []
    start = time.perf_counter()
    result = run_pipeline(data, split=split, settings=settings, history=HistoryDB(history_url), seed=seed,
                          log=lines.append)
    return result, lines, time.perf_counter() - start


#: Hyperparameters of the small GRU that checks the CSS ranking (ours; mid-range of the search space).
CHECK_PARAMS = MappingProxyType({"depth": 1, "width": 32, "learning_rate": 3e-3, "batch_size": 32,
                                 "dropout": 0.1, "optimizer": "adam", "scheduler": "constant"})


def css_versus_training(data: Dataset, pool: Sequence[Candidate], css: pd.Series, *, settings: Settings,
                        n: int, seed: int) -> pd.DataFrame:
    """Does CSS rank candidates as trained models do? CV macro-F1 of one fixed GRU on ``n`` candidates.

    The candidates are spread over the CSS ranking (best, worst and evenly in between); each trains the
    same GRU (:data:`CHECK_PARAMS`) on the paper's random folds. Returns one row per candidate with its CSS
    and F_CV; the notebook reports Spearman's rank correlation.
    """
    ranked = css.dropna().sort_values(ascending=False).index.to_numpy()
    picks = ranked[np.unique(np.linspace(0, len(ranked) - 1, min(n, len(ranked))).round().astype(int))]
    folds = random_folds(data.y, n_splits=settings.folds, seed=seed)
    rows = []
    for i in picks:
        inputs = gru_inputs(data.X, data.y, data.X[:0], folds, candidate=pool[i], fs=data.fs,
                            frame=gru_frame(data.X.shape[-1], settings), n_classes=len(data.classes))
        score = cross_validate(inputs, CHECK_PARAMS, epochs=branch_epochs(settings, "gru"), seed=seed,
                               n_classes=len(data.classes), n_dev=len(data.y),
                               report=lambda step, value: None).score
        rows.append({"candidate": pool[i].label, "css": float(css[i]), "f_cv": score})
    return pd.DataFrame(rows)
