"""Sect. 3 of the primer: the sampling rate of CWRU's 97.mat, decided from its content, and its trap.

Smith & Randall (2015) [1]_ found that the normal baseline 97.mat fits 48 kHz, not the 12 kHz of the fault
files beside it. :func:`rate_evidence` weighs the candidate rates by the shaft harmonics each puts in place,
then by the harmonic family's fundamental (:func:`bearingkit.dsp.lines.harmonic_family_evidence`).
:func:`rate_trap` shows what the wrong rate does: a one-split decision tree on one feature separates
"normal" from "faulty" by the sampling rate alone. The same trap elsewhere: MFPT's baselines and faults
have two rates, and Paderborn's preprocessed segments are too short for the defect lines
(:func:`other_data_sets`).

References
----------
.. [1] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
   Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score
from sklearn.tree import DecisionTreeClassifier

from bearingkit.data import Segments, segment
from bearingkit.dsp.lines import harmonic_family_counts, harmonic_family_evidence, shaft_harmonic_peaks
from bearingkit.dsp.sampling_rate import at_rate, shaft_peak_evidence
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits
from bearingkit.features.handcrafted import FREQUENCY_FEATURES, frequency_features
from bearingkit.papers.primer.data import misread
from bearingkit.physics.kinematics import BEARINGS, DefectFrequencies, defect_frequencies
from bearingkit.recording import Recording

__all__ = [
    "MFPT_BASELINE_FS",
    "MFPT_FAULT_FS",
    "PADERBORN_SEGMENT_S",
    "RateEvidence",
    "RateTrap",
    "StumpScore",
    "mean_frequency",
    "normal_vs_faulty_stump",
    "other_data_sets",
    "rate_evidence",
    "rate_trap",
]

#: The MFPT archive's two rates: its baselines and its faults (registry notes).
MFPT_BASELINE_FS, MFPT_FAULT_FS = 97_656.0, 48_828.0
#: One preprocessed Paderborn KAt segment, in seconds.
PADERBORN_SEGMENT_S = 0.040


@dataclass(frozen=True)
class RateEvidence:
    """The evidence on one file's sampling rate, read at each candidate rate.

    ``evidence`` is :func:`bearingkit.dsp.sampling_rate.shaft_peak_evidence`; ``family_counts`` the
    harmonic-family test (:func:`bearingkit.dsp.lines.harmonic_family_counts`); ``shaft_peaks`` the
    strongest line near each of the first shaft harmonics at each rate
    (:func:`bearingkit.dsp.lines.shaft_harmonic_peaks`).
    """

    recording: Recording
    evidence: pd.DataFrame
    family_counts: pd.DataFrame
    shaft_peaks: Mapping[float, pd.DataFrame]

    @property
    def decided_fs(self) -> float:
        """The most likely rate."""
        return float(self.evidence.loc[self.evidence["most_likely"], "fs"].iloc[0])

    @property
    def harmonics_found(self) -> dict[float, int]:
        """Shaft harmonics in place at each candidate rate."""
        return dict(zip(self.evidence["fs"], self.evidence["harmonics_found"], strict=True))

    def shaft_peak_table(self) -> pd.DataFrame:
        """:attr:`shaft_peaks` in one table, indexed by (rate read at, harmonic)."""
        return pd.concat(self.shaft_peaks, names=["read at (Hz)"])


def rate_evidence(recording: Recording, *, candidate_fs: Sequence[float] = (12_000.0, 48_000.0),
                  n_harmonics: int = 20) -> RateEvidence:
    """The shaft-harmonic evidence, the harmonic family and the shaft peaks of ``recording`` at each rate."""
    x, rpm = recording.signal, recording.rpm
    family = {fs: harmonic_family_evidence(x, rpm=rpm, fs=fs, n_harmonics=n_harmonics) for fs in candidate_fs}
    return RateEvidence(recording=recording, evidence=shaft_peak_evidence(x, rpm, candidate_fs=candidate_fs),
                        family_counts=harmonic_family_counts(family),
                        shaft_peaks=MappingProxyType({fs: shaft_harmonic_peaks(x, rpm=rpm, fs=fs)
                                                      for fs in candidate_fs}))


def mean_frequency(windows: Segments, *, fs: float) -> np.ndarray:
    """Spectral mean frequency of every window (Sedira & Felkaoui 2026, Eq. 13), read at the rate ``fs``."""
    return frequency_features(windows.X, fs=fs)[:, FREQUENCY_FEATURES.index("mean_frequency")]


@dataclass(frozen=True)
class StumpScore:
    """One decision stump on the mean frequency: normal against faulty windows, on a contiguous split.

    ``normal_mean_freq`` and ``faulty_mean_freq`` hold every window's feature (training and test), for the
    histograms of the primer's Fig. 6.
    """

    stump: DecisionTreeClassifier
    threshold_hz: float
    accuracy: float
    balanced_accuracy: float
    normal_windows: int
    normal_duration_s: float
    normal_mean_freq: np.ndarray
    faulty_mean_freq: np.ndarray
    test_normal: int = 0
    test_faulty: int = 0
    predicted_normal: int = 0

    def summary(self) -> dict[str, float]:
        """The scalar fields, for a table or the results file.

        ``predicted_normal`` counts the test windows the stump calls normal: 0 means it fell back to the
        majority class (faulty), and balanced accuracy is then 0.5 whatever the feature holds.
        """
        return {"normal_duration_s": self.normal_duration_s, "normal_windows": self.normal_windows,
                "threshold_hz": self.threshold_hz, "accuracy": self.accuracy,
                "balanced_accuracy": self.balanced_accuracy, "test_normal": self.test_normal,
                "test_faulty": self.test_faulty, "predicted_normal": self.predicted_normal}


def normal_vs_faulty_stump(faulty: Sequence[Recording], normal: Recording, *, window: int,
                           test_fraction: float = 0.3, split_seed: int = 0, model_seed: int = 0
                           ) -> StumpScore:
    """A one-split decision tree on the spectral mean frequency, telling ``normal`` from ``faulty`` windows.

    The records are cut into non-overlapping windows of ``window`` samples; a contiguous block of
    ``test_fraction`` of every record is held out
    (:func:`bearingkit.evaluation.splits.contiguous_block_split`, checked disjoint), so the score is not
    inflated by shared samples.

    Raises
    ------
    ParameterError
        Records at different sampling rates (from :func:`bearingkit.data.segment`).
    """
    windows = segment([*faulty, normal], length=window)
    feature = mean_frequency(windows, fs=normal.fs)[:, None]
    is_normal = windows.groups["record"].to_numpy() == windows.groups["record"].iloc[-1]
    train, test = splits.contiguous_block_split(windows.groups, test_fraction=test_fraction, seed=split_seed)
    splits.assert_disjoint(windows.groups.iloc[train], windows.groups.iloc[test])
    stump = DecisionTreeClassifier(max_depth=1, random_state=model_seed).fit(feature[train], is_normal[train])
    predicted = stump.predict(feature[test])
    return StumpScore(stump=stump, threshold_hz=float(stump.tree_.threshold[0]),
                      accuracy=float(np.mean(predicted == is_normal[test])),
                      balanced_accuracy=float(balanced_accuracy_score(is_normal[test], predicted)),
                      normal_windows=int(is_normal.sum()), normal_duration_s=normal.duration,
                      normal_mean_freq=feature[is_normal, 0], faulty_mean_freq=feature[~is_normal, 0],
                      test_normal=int(is_normal[test].sum()), test_faulty=int((~is_normal[test]).sum()),
                      predicted_normal=int(predicted.sum()))


@dataclass(frozen=True)
class RateTrap:
    """The 97.mat experiment: the stump of each reading, and what the wrong one makes of the right data."""

    readings: Mapping[str, StumpScore]
    wrong_stump_calls_resampled_normal: float
    faulty_durations_s: tuple[float, ...] = ()

    def table(self) -> pd.DataFrame:
        """One row per reading: the :meth:`StumpScore.summary` fields."""
        return pd.DataFrame.from_dict({name: score.summary() for name, score in self.readings.items()},
                                      orient="index")


def rate_trap(faulty: Sequence[Recording], normal: Recording, *, fs: float = 12_000.0, window: int = 2048,
              test_fraction: float = 0.3, split_seed: int = 0, model_seed: int = 0) -> RateTrap:
    """What a wrong sampling rate does to a classifier: the 97.mat trap (Smith & Randall 2015).

    ``normal`` is the baseline as its file is sampled (97.mat: 48 kHz), ``faulty`` records at ``fs``. Two
    readings of the baseline face the same faulty windows in :func:`normal_vs_faulty_stump`:
    :func:`bearingkit.papers.primer.data.misread` at ``fs`` (wrong: every frequency four times too low) and
    :func:`bearingkit.dsp.sampling_rate.at_rate` (right: resampled). The stump fitted on the wrong reading is
    then asked about the correctly resampled windows: if it calls them faulty, it had learnt the sampling
    rate, not the bearing.

    Returns
    -------
    RateTrap
        ``readings`` keyed ``"read at 12 kHz (wrong)"`` and ``"resampled 48 -> 12 kHz (right)"`` (the rates of
        the call), and the fraction of resampled baseline windows the wrong stump calls normal.

    Raises
    ------
    ParameterError
        ``normal`` already at ``fs`` (there is no wrong reading to show) or faulty records at another rate.
    """
    if normal.fs == fs:
        raise ParameterError(f"the baseline is already at {fs:g} Hz: pass it as its file is sampled (97.mat: "
                             "load_cwru(97), 48 kHz) so that it can be misread")
    settings = {"window": window, "test_fraction": test_fraction, "split_seed": split_seed,
                "model_seed": model_seed}
    right = at_rate(normal, fs)
    wrong_name = f"read at {fs / 1e3:g} kHz (wrong)"
    readings = {wrong_name: normal_vs_faulty_stump(faulty, misread(normal, fs), **settings),
                f"resampled {normal.fs / 1e3:g} -> {fs / 1e3:g} kHz (right)":
                    normal_vs_faulty_stump(faulty, right, **settings)}
    resampled = mean_frequency(segment(right, length=window), fs=fs)[:, None]
    called_normal = float(np.mean(readings[wrong_name].stump.predict(resampled)))
    return RateTrap(readings=MappingProxyType(readings), wrong_stump_calls_resampled_normal=called_normal,
                    faulty_durations_s=tuple(r.duration for r in faulty))


def other_data_sets(*, paderborn_rpm: float = 1500.0) -> dict[str, float | DefectFrequencies]:
    """The rates of MFPT's baselines and faults, Paderborn's segment length and its defect lines (FAG 6203).

    Returns
    -------
    dict
        ``mfpt_baseline_fs``, ``mfpt_fault_fs``, ``paderborn_segment_s``, ``paderborn_rpm`` and
        ``paderborn`` (:class:`bearingkit.physics.kinematics.DefectFrequencies` at ``paderborn_rpm``).
    """
    return {"mfpt_baseline_fs": MFPT_BASELINE_FS, "mfpt_fault_fs": MFPT_FAULT_FS,
            "paderborn_segment_s": PADERBORN_SEGMENT_S, "paderborn_rpm": paderborn_rpm,
            "paderborn": defect_frequencies(BEARINGS["paderborn"], rpm=paderborn_rpm)}
