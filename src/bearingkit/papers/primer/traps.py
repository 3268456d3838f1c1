"""Sect. 5 of the primer: the evaluation traps, measured on real CWRU windows.

One classifier on the 46 features of Sedira & Felkaoui (2026) is scored under four splits of the same
overlapping windows (:func:`split_study`; Hendriks et al. 2022 [1]_): random windows, contiguous blocks,
leave one load out and leave one fault size out. Two controls read the result: a label with no physics in
it shows where overlapping windows leak (:func:`overlap_control`), and the worst held-out size's predictions,
with the level test of windows scaled to unit RMS, show what a held-out size fails on
(:func:`held_out_size`).

References
----------
.. [1] Hendriks, J., Dumond, P. & Knox, D. A. (2022). Towards better benchmarking using the CWRU bearing fault
   dataset. *Mech. Syst. Signal Process.* 169, 108732.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from bearingkit.data import Segments, load_cwru, segment
from bearingkit.dsp.lines import line_table
from bearingkit.dsp.spectral import envelope_spectrum
from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.evaluation.leakage import (
    confusion_table,
    contiguous_split,
    held_out_predictions,
    per_record_accuracy,
    record_guess_accuracy,
    records_per_class,
    split_accuracies,
    stretch_labels,
)
from bearingkit.features.handcrafted import extract_features
from bearingkit.papers.primer.data import outer_race_numbers
from bearingkit.papers.primer.settings import CLASSIFIERS
from bearingkit.physics.kinematics import BEARINGS, defect_frequencies

__all__ = [
    "SPLIT_NAMES",
    "HeldOutSize",
    "OverlapControl",
    "SplitStudy",
    "held_out_size",
    "make_classifier",
    "outer_race_lines",
    "overlap_control",
    "split_study",
    "unit_rms",
]

#: The four splits of Sect. 5, in order from the most to the least leaky, and their labels.
SPLIT_NAMES: Mapping[str, str] = MappingProxyType({
    "random": "(a) random windows", "contiguous": "(b) contiguous blocks", "load": "(c) leave one load out",
    "fault_size": "(d) leave one size out"})


def make_classifier(name: str, *, n_estimators: int = 100, seed: int = 0):
    """The primer's classifier: a seeded random forest, or 1-nearest neighbour on standardised features.

    Raises
    ------
    UnknownNameError
        A name not in :data:`bearingkit.papers.primer.settings.CLASSIFIERS`.
    """
    if name == "random_forest":
        return RandomForestClassifier(n_estimators=n_estimators, random_state=seed, n_jobs=-1)
    if name == "1nn":
        return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=1))
    raise UnknownNameError(f"classifier={name!r}: use one of {CLASSIFIERS}")


@dataclass(frozen=True)
class SplitStudy:
    """One classifier under the splits of :data:`SPLIT_NAMES`, for the location and location x size tasks."""

    numbers: Sequence[int]
    windows: Segments
    X: np.ndarray
    tasks: Mapping[str, np.ndarray]
    estimator: object
    classifier: str
    scores: pd.DataFrame
    seconds: float
    records_per_class: Mapping[str, list[int]]
    test_fraction: float

    def summary(self) -> pd.DataFrame:
        """Mean, smallest and largest accuracy and the number of splits, per task and scheme."""
        accuracy = self.scores.groupby(["task", "scheme"], sort=False)["accuracy"]
        return (accuracy.agg(["mean", "min", "max", "count"]).rename(columns={"count": "splits"})
                .astype({"splits": "Int64"}))

    def summary_table(self) -> pd.DataFrame:
        """:meth:`summary` with the tasks side by side and the splits named as in :data:`SPLIT_NAMES`."""
        return self.summary().unstack("task").reindex(list(SPLIT_NAMES)).rename(index=SPLIT_NAMES)

    def mean_accuracy(self) -> dict[str, dict[str, float]]:
        """Mean accuracy per task and scheme."""
        return {task: {scheme: float(group["accuracy"].mean())
                       for scheme, group in self.scores[self.scores["task"] == task].groupby("scheme")}
                for task in self.tasks}

    def folds(self, task: str, scheme: str) -> pd.DataFrame:
        """The rows of :attr:`scores` of one task and scheme."""
        return self.scores[(self.scores["task"] == task) & (self.scores["scheme"] == scheme)]


def split_study(numbers: Sequence[int], *, fs: float, window: int, hop: int, classifier: str,
                n_estimators: int, test_fraction: float, split_seed: int, model_seed: int, repeats: int
                ) -> SplitStudy:
    """:func:`bearingkit.evaluation.leakage.split_accuracies` of ``classifier`` on the CWRU files ``numbers``.

    The files are cut into windows of ``window`` samples every ``hop``; the features are the 46 of
    :func:`bearingkit.features.handcrafted.extract_features`. Two tasks: the fault location, and location x
    fault size (which leaving a size out cannot score).
    """
    start = time.perf_counter()
    windows = segment([load_cwru(n) for n in numbers], length=window, hop=hop)
    X = extract_features(windows.X, fs=fs, expected_fs=fs)
    tasks = {"location": windows.y,
             "location x size": np.array([f"{lab}/{size:.3f}" for lab, size in
                                          zip(windows.y, windows.groups["fault_size"], strict=True)])}
    model = make_classifier(classifier, n_estimators=n_estimators, seed=model_seed)
    scores = pd.concat([
        split_accuracies(X, y, windows.groups, estimator=model, test_fraction=test_fraction, seed=split_seed,
                         repeats=repeats, schemes=("random", "contiguous", "load")
                         + (("fault_size",) if task == "location" else ())).assign(task=task)
        for task, y in tasks.items()], ignore_index=True)
    seconds = time.perf_counter() - start
    return SplitStudy(numbers=tuple(numbers), windows=windows, X=X, tasks=MappingProxyType(tasks),
                      estimator=model, classifier=classifier, scores=scores, seconds=seconds,
                      test_fraction=test_fraction,
                      records_per_class=MappingProxyType({task: records_per_class(y, windows.groups)
                                                          for task, y in tasks.items()}))


@dataclass(frozen=True)
class OverlapControl:
    """1-nearest neighbour under random overlapping, random non-overlapping and contiguous windows.

    ``table`` is indexed by label (``fault location``, ``fifth of the record``) with columns ``random``,
    ``random_no_overlap`` and ``contiguous``; ``record_guess`` is
    :func:`bearingkit.evaluation.leakage.record_guess_accuracy` of the stretch label on the contiguous split.
    """

    table: pd.DataFrame
    record_guess: float
    overlap: float
    n_stretches: int

    def display_table(self) -> pd.DataFrame:
        """:attr:`table` with its columns named in words."""
        return self.table.rename(columns={"random": f"random windows, {self.overlap:.0%} overlap",
                                          "random_no_overlap": "random windows, no overlap",
                                          "contiguous": "contiguous blocks"})


def overlap_control(study: SplitStudy, *, fs: float, window: int, hop: int, n_stretches: int, seed: int
                    ) -> OverlapControl:
    """Where the overlap bites: a label with no physics in it, with and without overlapping windows.

    Every window is labelled by the stretch of its record it lies in
    (:func:`bearingkit.evaluation.leakage.stretch_labels`); the windows are cut again with no overlap
    (``hop = window``). 1-nearest neighbour is scored on the fault location and on the stretch label under a
    random split of the overlapping windows, of the non-overlapping ones, and a contiguous split.
    """
    nearest = make_classifier("1nn")
    stretch = stretch_labels(study.windows.groups, n_stretches=n_stretches)
    windows_no = segment([load_cwru(n) for n in study.numbers], length=window, hop=window)
    X_no = extract_features(windows_no.X, fs=fs, expected_fs=fs)
    labels = {"fault location": (study.tasks["location"], windows_no.y),
              "fifth of the record": (stretch, stretch_labels(windows_no.groups, n_stretches=n_stretches))}

    def score(X, y, groups, scheme):
        return split_accuracies(X, y, groups, estimator=nearest, schemes=(scheme,),
                                test_fraction=study.test_fraction, seed=seed)["accuracy"].iloc[0]

    table = pd.DataFrame({name: {"random": score(study.X, y, study.windows.groups, "random"),
                                 "random_no_overlap": score(X_no, y_no, windows_no.groups, "random"),
                                 "contiguous": score(study.X, y, study.windows.groups, "contiguous")}
                          for name, (y, y_no) in labels.items()}).T
    train, test = contiguous_split(study.windows.groups, test_fraction=study.test_fraction, seed=seed)
    guess = record_guess_accuracy(stretch, study.windows.groups, train, test)
    return OverlapControl(table=table, record_guess=guess, overlap=1 - hop / window, n_stretches=n_stretches)


def unit_rms(windows) -> np.ndarray:
    """Every window scaled to unit RMS (its mean removed first): the level gone, the shape kept.

    Raises
    ------
    ParameterError
        A constant window (no RMS to divide by).

    Examples
    --------
    >>> unit_rms([[1.0, 3.0, 1.0, 3.0]]).tolist()
    [[-1.0, 1.0, -1.0, 1.0]]
    """
    x = np.asarray(windows, dtype=float)
    x = x - x.mean(axis=-1, keepdims=True)
    rms = np.sqrt(np.mean(x**2, axis=-1, keepdims=True))
    if np.any(rms == 0):
        raise ParameterError("a constant window has no RMS to scale by")
    return x / rms


def outer_race_lines(numbers: Sequence[int], *, band: tuple[float, float]) -> pd.DataFrame:
    """Every outer-race file's size, load, RMS and BPFO peak ratio in the squared envelope of ``band``."""
    rows = []
    for n in numbers:
        rec = load_cwru(n)
        bpfo = defect_frequencies(BEARINGS["cwru_de"], rpm=rec.rpm).bpfo
        line = line_table(*envelope_spectrum(rec.signal, fs=rec.fs, band=band, squared=True), {"BPFO": bpfo})
        rows.append({"file": f"{n}.mat", "size_in": rec.fault_size, "load_hp": rec.load,
                     "rms_g": float(np.std(rec.signal)), **line.iloc[0][["ratio", "at_edge"]]})
    return pd.DataFrame(rows).set_index("file")


@dataclass(frozen=True)
class HeldOutSize:
    """The worst held-out fault size of the location task, window by window, and the level test.

    ``level_test`` holds each held-out size's accuracy on the raw windows and on windows scaled to unit RMS
    (:func:`unit_rms`); ``rms`` the median window RMS per class and size; ``outer_race`` the outer-race
    records' RMS and BPFO peak ratio (:func:`outer_race_lines`).
    """

    held_out: float
    accuracy: float
    predictions: pd.DataFrame
    confusion: pd.DataFrame
    per_record: pd.DataFrame
    rms: pd.DataFrame
    level_test: pd.DataFrame
    outer_race: pd.DataFrame

    @property
    def majority(self) -> str:
        """The class most held-out windows are called."""
        return self.confusion.sum().idxmax()

    @property
    def majority_share(self) -> float:
        """The share of the held-out windows called :attr:`majority`."""
        return float(self.confusion.sum()[self.majority] / self.confusion.to_numpy().sum())


def held_out_size(study: SplitStudy, *, fs: float, band: tuple[float, float], sizes: Sequence[float]
                  ) -> HeldOutSize:
    """Refit with the worst held-out size of the location task out; the same split on unit-RMS windows.

    The worst size's windows are predicted one by one
    (:func:`bearingkit.evaluation.leakage.held_out_predictions`); the 46 features of windows scaled to unit
    RMS are scored under the same leave-one-size-out split; and the outer-race records of ``sizes`` are read
    for their level and their BPFO line (``band``).
    """
    location_size = study.folds("location", "fault_size")
    worst = location_size.loc[location_size["accuracy"].idxmin()]
    X, y, groups = study.X, study.tasks["location"], study.windows.groups
    predictions = held_out_predictions(X, y, groups, estimator=study.estimator, by="fault_size",
                                       value=worst["held_out"])
    rms = (groups.assign(rms_g=np.sqrt(np.mean(study.windows.X**2, axis=1)))
           .groupby(["label", "fault_size"])["rms_g"].median().unstack("fault_size"))
    X_unit = extract_features(unit_rms(study.windows.X), fs=fs, expected_fs=fs)
    unit_scores = split_accuracies(X_unit, y, groups, estimator=study.estimator, schemes=("fault_size",))
    level_test = pd.DataFrame({"raw windows": location_size.set_index("held_out")["accuracy"],
                               "unit-RMS windows": unit_scores.set_index("held_out")["accuracy"]})
    return HeldOutSize(held_out=float(worst["held_out"]), accuracy=float(worst["accuracy"]),
                       predictions=predictions, confusion=confusion_table(predictions),
                       per_record=per_record_accuracy(predictions), rms=rms, level_test=level_test,
                       outer_race=outer_race_lines(outer_race_numbers(sizes), band=band))
