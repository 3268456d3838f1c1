"""The primer notebook (00): its settings, data views, experiments and results rows.

Each is a step the primer shows: load the CWRU records at one rate (:func:`cwru_records`, which resamples
the 48 kHz 97.mat), check the published defect multiples (:func:`published_multiples`), find the envelope
spectrum's line nearest every expected defect frequency (:func:`expected_lines`, :func:`line_table`,
:func:`peak_tables`), turn the fast kurtogram's best band into a demodulation band (:func:`kurtogram_band`),
show what a wrong sampling rate does to a classifier (:func:`rate_trap`, Smith & Randall 2015 [2]_), and score
one classifier under several train/test splits of the same windows (:func:`split_accuracies`), the leakage
demonstration of Hendriks et al. (2022) [1]_. The course-unit steps: the envelope-analysis chain on a
teaching copy of a simulated rig (:func:`teaching_rig`, :func:`method_steps`), the kurtogram's level 0 under
both scores (:func:`level0_scores`), a peak ratio's false-alarm rate (:func:`noise_peak_ratios`,
:func:`spectrum_peak_ratios`, :func:`grade_ratio`), contact angle against slip (:func:`effective_geometry`),
97.mat's harmonic family (:func:`harmonic_family_evidence`), a held-out size's confusion
(:func:`held_out_predictions`), where overlapping windows leak (:func:`stretch_labels`), defect lines that
sit on shaft harmonics (:func:`harmonic_separation`) and a blind diagnosis (:func:`blind_diagnosis`); a
record's own shaft rate (:func:`measured_shaft_rate`), detection before diagnosis (:func:`condition_table`,
:func:`segment_indicators`), spectral kurtosis from the STFT before and after AR prediction
(:func:`stft_sk_study`), the demodulation band's width (:func:`band_width_sweep`), the no-overlap and
contiguous controls (:func:`contiguous_split`, :func:`record_guess_accuracy`) and the level test of a
held-out size (:func:`unit_rms`). The numbers that published sources also give become rows of
:mod:`bearingkit.report.results` (:func:`multiple_rows`, :func:`envelope_line_rows`,
:func:`sampling_rate_row`, :func:`simulated_line_row`), with the tolerances stated once below.

References
----------
.. [1] Hendriks, J., Dumond, P. & Knox, D. A. (2022). Towards better benchmarking using the CWRU bearing fault
   dataset. *Mech. Syst. Signal Process.* 169, 108732.
.. [2] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
   Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
.. [3] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from bearingkit.checks import child_seeds
from bearingkit.data import Segments, load_cwru, segment
from bearingkit.dsp.condition import ISO20816_3_GROUP2, condition_indicators, iso_zone, velocity_rms
from bearingkit.dsp.kurtogram import Kurtogram, fast_kurtogram, stft_spectral_kurtosis
from bearingkit.dsp.spectral import (
    bandpass,
    default_band,
    envelope,
    envelope_spectrum,
    peak_near,
    resample,
    spectrum_db,
)
from bearingkit.dsp.whitening import ar_residual
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits
from bearingkit.features.handcrafted import FREQUENCY_FEATURES, frequency_features
from bearingkit.physics import simulate
from bearingkit.physics.kinematics import BEARINGS, DefectFrequencies, defect_frequencies, defect_multiples
from bearingkit.recording import Recording
from bearingkit.report import plots, reference, results

#: The primer's run profiles: ``quick`` finishes in CI on 2 CPU cores; ``full`` uses the rigs' own acquisition
#: lengths, more trees, repeated random splits and more noise records for the peak-ratio threshold.
PROFILES: Mapping[str, Mapping[str, object]] = {
    "quick": {"sim_duration": 4.0, "n_estimators": 100, "repeats": 1, "noise_trials": 10},
    "full": {"sim_duration": None, "n_estimators": 300, "repeats": 5, "noise_trials": 40},
}

#: The train/test splits :func:`split_accuracies` knows, from the most to the least leaky.
SCHEMES = ("random", "contiguous", "load", "fault_size")

#: The CWRU drive-end records of Sect. 2, all at 0 HP: the normal baseline and 0.007 in faults on the inner
#: race, a ball and the outer race at 6 o'clock.
CWRU_RECORDS: Mapping[str, int] = MappingProxyType({"normal": 97, "inner": 105, "ball": 118, "outer": 130})
#: The rate of the CWRU 12 kHz drive-end series, to which every record is brought.
CWRU_FS = 12_000.0
#: The defect family each fault record's own fault produces (the ball line is 2 x BSF, the data centre's
#: "rolling element" frequency).
OWN_LINE: Mapping[str, str] = MappingProxyType({"inner": "BPFI", "outer": "BPFO", "ball": "2xBSF"})
_FAMILY_KEY = {"FTF": "ftf", "BPFO": "bpfo", "BPFI": "bpfi", "2xBSF": "bsf_2x"}

#: Relative tolerance of a defect multiple computed from the geometry against the published one. The sources
#: print multiples to 4-5 significant digits and the geometry to 4 (0.3126 in, 1.537 in): rounding alone moves
#: a multiple by a few 1e-4 of its value, and 1e-3 leaves room for that and for nothing else (a wrong ball
#: count or contact angle moves it by percents).
MULTIPLE_REL_TOLERANCE = 1e-3
#: Relative tolerance of a measured envelope line against the published multiple times the record's shaft
#: rate. Real elements slip 1-2 % (Randall & Antoni 2011 [3]_), the lines are searched within +-2 % of their
#: place, and the record's rpm is measured: a line within 1 % (half the search window) is the defect line,
#: one further off may be a neighbouring line that the window happens to hold.
LINE_REL_TOLERANCE = 0.01
#: A sampling rate is decided among candidate rates: the decision is right or wrong, nothing in between.
SAMPLING_RATE_TOLERANCE_HZ = 0.0

#: Where each bearing's published multiples come from: ``(data/reference key, item)``; the multiples are typed
#: once, in :data:`bearingkit.physics.kinematics.BEARINGS` (``published``).
MULTIPLE_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "cwru_de": ("cwru_bearing_data_center", "Bearing Information page"),
    "cwru_fe": ("cwru_bearing_data_center", "Bearing Information page"),
    "mfpt": ("mfpt_fault_data", "data set documentation"),
    "mafaulda": ("mafaulda", "data set page"),
})


def harmonic_lines(fundamentals: Mapping[str, float], *, harmonics: Iterable[int] = (1,)) -> dict[str, float]:
    """Harmonics of named lines: ``{"BPFO": 107.4}`` and ``harmonics=(1, 2)`` give ``BPFO`` and ``2xBPFO``.

    A name that starts with a digit is bracketed: the 2nd harmonic of ``2xBSF`` is ``2x(2xBSF)``.

    Examples
    --------
    >>> harmonic_lines({"BPFO": 100.0}, harmonics=(1, 2, 3))
    {'BPFO': 100.0, '2xBPFO': 200.0, '3xBPFO': 300.0}
    >>> harmonic_lines({"2xBSF": 141.2}, harmonics=(2,))
    {'2x(2xBSF)': 282.4}
    """
    harmonics = tuple(harmonics)
    if not harmonics or any(not isinstance(k, int | np.integer) or k < 1 for k in harmonics):
        raise ParameterError(f"harmonics must be positive integers, got {harmonics!r}")
    def named(name: str, k: int) -> str:
        if k == 1:
            return name
        return f"{k}x({name})" if name[:1].isdigit() else f"{k}x{name}"

    return {named(name, k): float(k * hz) for name, hz in fundamentals.items() for k in harmonics}


def line_table(freqs, amplitude, lines: Mapping[str, float], *, tol: float = 0.02,
               floor_tol: float = 0.1, centre_tol: float | None = None) -> pd.DataFrame:
    """The spectral line found near each expected line, with its offset and its height above the floor.

    The largest bin of the ``+-tol`` window is always found, line or not. A maximum further than
    ``centre_tol`` from its target (the outer half of the window by default, where the race lines of the
    CWRU fault records never sit) is flagged ``at_edge``: it is the flank of, or a neighbour to, something
    else, not the line searched, and :func:`grade_ratio` grades it N whatever its height.

    Parameters
    ----------
    freqs, amplitude : array_like [shape=(n_freq,)]
        A one-sided spectrum (e.g. :func:`bearingkit.dsp.spectral.envelope_spectrum` of one channel).
    lines : Mapping[str, float]
        Expected lines in Hz, keyed by name (e.g. from :func:`harmonic_lines`).
    tol, floor_tol : float
        Search and floor half-widths relative to each line, as in :func:`bearingkit.dsp.spectral.peak_near`.
    centre_tol : float, optional
        Largest relative offset of a maximum that counts as the line searched; ``tol / 2`` when omitted
        (the same half-window as :data:`LINE_REL_TOLERANCE` for the results rows).

    Returns
    -------
    pd.DataFrame
        Indexed by line name: ``expected_hz``, ``found_hz``, ``rel_error`` (found / expected - 1),
        ``amplitude``, ``floor`` (median over the floor window), ``ratio`` (amplitude / floor) and
        ``at_edge`` (``|rel_error| > centre_tol``).
    """
    centre_tol = tol / 2 if centre_tol is None else centre_tol
    if not 0 < centre_tol <= tol:
        raise ParameterError(f"centre_tol must lie in (0, tol={tol!r}], got {centre_tol!r}")
    rows = []
    for name, target in lines.items():
        peak = peak_near(freqs, amplitude, target=target, tol=tol, floor_tol=floor_tol)
        offset = peak.frequency / target - 1.0
        rows.append({"line": name, "expected_hz": float(target), "found_hz": peak.frequency,
                     "rel_error": offset, "amplitude": peak.amplitude, "floor": peak.floor,
                     "ratio": peak.ratio, "at_edge": bool(abs(offset) > centre_tol)})
    if not rows:
        raise ParameterError("lines is empty: name at least one expected line")
    return pd.DataFrame(rows).set_index("line")


def kurtogram_band(kurtogram: Kurtogram, *, min_low: float | None = None) -> tuple[float, float]:
    """The demodulation band ``(low, high)`` in Hz of the fast kurtogram's most impulsive band.

    At level 0 (the raw signal is the most impulsive "band") the whole band cannot be band-passed, so
    :func:`bearingkit.dsp.spectral.default_band` is returned. Otherwise the band's edges, with ``low`` raised
    to ``min_low`` (default ``fs / 64``, which keeps shaft harmonics out of a band that starts at 0 Hz) and
    ``high`` lowered to 0.49 ``fs`` (a band-pass edge must lie below Nyquist).

    Examples
    --------
    >>> from bearingkit.dsp.kurtogram import fast_kurtogram
    >>> t = np.arange(2**14) / 12_000
    >>> impacts = np.zeros(t.size)
    >>> impacts[::324] = 1.0                     # 37 impacts a second, each ringing a 3.3 kHz resonance
    >>> ring = np.exp(-300 * t[:200]) * np.sin(2 * np.pi * 3_300 * t[:200])
    >>> x = np.convolve(impacts, ring)[:t.size] + 0.3 * np.random.default_rng(0).standard_normal(t.size)
    >>> low, high = kurtogram_band(fast_kurtogram(x, fs=12_000, nlevel=4))
    >>> bool(low <= 3_300 <= high)
    True
    """
    fs = kurtogram.fs
    if kurtogram.best_level == 0:
        return default_band(fs)
    min_low = fs / 64 if min_low is None else float(min_low)
    low = max(kurtogram.best_fc - kurtogram.best_bandwidth / 2, min_low)
    high = min(kurtogram.best_fc + kurtogram.best_bandwidth / 2, 0.49 * fs)
    if not low < high:
        raise ParameterError(f"the kurtogram's best band ends at {high:g} Hz, below min_low={min_low:g} Hz; "
                             "lower min_low or limit nlevel")
    return float(low), float(high)


def band_kurtosis(kurtogram: Kurtogram, *, level: float, freq: float) -> float:
    """Spectral kurtosis of the band at ``level`` of the kurtogram that contains ``freq`` (Hz).

    ``level`` is one of ``kurtogram.levels`` (``1 + TERNARY_STEP`` = 1.585 for the three bands of width
    ``fs / 6``), matched to within 1e-6.

    Raises
    ------
    ParameterError
        A level the kurtogram does not hold, or a frequency outside ``[0, fs / 2]``.
    """
    rows = np.flatnonzero(np.abs(kurtogram.levels - level) < 1e-6)
    if rows.size == 0:
        raise ParameterError(f"level {level!r} is not in the kurtogram; its levels are "
                             f"{np.round(kurtogram.levels, 3).tolist()}")
    if not 0 <= freq <= kurtogram.fs / 2:
        raise ParameterError(f"freq={freq!r} Hz lies outside [0, {kurtogram.fs / 2:g}] Hz")
    width = kurtogram.fs / 2 / kurtogram.freqs.size
    column = min(int(freq // width), kurtogram.freqs.size - 1)
    return float(kurtogram.kurtosis[rows[0], column])


def _splits(scheme: str, y: np.ndarray, groups: pd.DataFrame, *, test_fraction: float,
            seeds: list[int]):
    """``(repeat, held_out, train, test)`` for every split of ``scheme``."""
    if scheme == "random":
        for repeat, seed in enumerate(seeds):
            train, test = train_test_split(np.arange(len(y)), test_size=test_fraction, random_state=seed,
                                           stratify=y)
            yield repeat, "random windows", np.sort(train), np.sort(test)
    elif scheme == "contiguous":
        for repeat, seed in enumerate(seeds):
            train, test = splits.contiguous_block_split(groups, test_fraction=test_fraction, seed=seed)
            yield repeat, "a block of every record", train, test
    else:
        for value, train, test in splits.leave_one_group_out(groups, by=scheme):
            yield 0, value, train, test


def split_accuracies(X, y, groups: pd.DataFrame, *, estimator, schemes: Iterable[str] = SCHEMES,
                     test_fraction: float = 0.2, seed: int = 0, repeats: int = 1) -> pd.DataFrame:
    """Test accuracy of one classifier under several splits of the same windows.

    Schemes (see :data:`SCHEMES`):

    - ``"random"``: a stratified random ``test_fraction`` of the windows; overlapping windows of one record
      then share samples across train and test;
    - ``"contiguous"``: :func:`bearingkit.evaluation.splits.contiguous_block_split`, one block per record, no
      sample shared; on CWRU every record is still on both sides;
    - any column of ``groups`` constant within a record (``"load"``, ``"fault_size"``, ...): leave one value
      out (:func:`bearingkit.evaluation.splits.leave_one_group_out`); one row per held-out value.

    Parameters
    ----------
    X : np.ndarray [shape=(n_windows, n_features)]
    y : np.ndarray [shape=(n_windows,)]
        Class of each window.
    groups : pd.DataFrame
        ``Segments.groups`` of the windows (``record``, ``start``, ``stop`` and the columns split by).
    estimator : sklearn classifier
        Cloned for every split; fix its ``random_state`` for reproducible scores.
    schemes : iterable of str
    test_fraction : float in (0, 1)
        Share of the windows (``random``) or of each record (``contiguous``) held out.
    seed : int
        Master seed of the random and contiguous splits; repeat ``r`` uses the ``r``-th of
        :func:`bearingkit.checks.child_seeds`.
    repeats : int >= 1
        Random and contiguous splits drawn per scheme.

    Returns
    -------
    pd.DataFrame
        One row per split: ``scheme``, ``repeat``, ``held_out``, ``n_train``, ``n_test``,
        ``shares_samples`` (a test window shares samples with a training window of its record) and
        ``accuracy``.

    Raises
    ------
    ParameterError
        Mismatched lengths, an unknown scheme, ``repeats < 1``, or a held-out group whose classes the
        training side never shows (a class-by-size task cannot be scored by holding a size out).
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if not len(X) == len(y) == len(groups):
        raise ParameterError(f"X, y and groups must have one row per window; got {len(X)}, {len(y)}, "
                             f"{len(groups)}")
    if not (isinstance(repeats, int | np.integer) and repeats >= 1):
        raise ParameterError(f"repeats must be a positive integer, got {repeats!r}")
    groups = groups.reset_index(drop=True)
    seeds = child_seeds(seed, int(repeats))
    rows = []
    for scheme in schemes:
        if scheme not in ("random", "contiguous") and scheme not in groups.columns:
            raise ParameterError(f"unknown scheme {scheme!r}: use 'random', 'contiguous' or a column of "
                                 f"groups ({', '.join(groups.columns)})")
        for repeat, held_out, train, test in _splits(scheme, y, groups, test_fraction=test_fraction,
                                                     seeds=seeds):
            unseen = sorted(set(y[test]) - set(y[train]), key=str)
            if unseen:
                raise ParameterError(f"holding out {scheme}={held_out!r} leaves class(es) {unseen} out of "
                                     "training: this task cannot be scored by that split")
            model = clone(estimator).fit(X[train], y[train])
            shared = splits.shares_samples(groups.iloc[train], groups.iloc[test])
            rows.append({"scheme": scheme, "repeat": repeat, "held_out": held_out, "n_train": len(train),
                         "n_test": len(test), "shares_samples": shared,
                         "accuracy": float(np.mean(model.predict(X[test]) == y[test]))})
    return pd.DataFrame(rows)


def at_rate(recording: Recording, fs: float) -> Recording:
    """``recording`` at the sampling rate ``fs``: resampled (polyphase, anti-aliased) from any other rate.

    The resampled copy keeps every field but the signal and the rate, and records the file's own rate in
    ``extra["resampled_from_hz"]``; a recording already at ``fs`` is returned as it is.

    Examples
    --------
    >>> rec = Recording(np.zeros(4_800), fs=48_000.0, label="normal", dataset="cwru", source="demo")
    >>> low = at_rate(rec, 12_000.0)
    >>> low.fs, low.signal.size, low.extra["resampled_from_hz"]
    (12000.0, 1200, 48000.0)
    """
    if recording.fs == fs:
        return recording
    return dataclasses.replace(recording, signal=resample(recording.signal, fs_in=recording.fs, fs_out=fs),
                               fs=float(fs), extra={**recording.extra, "resampled_from_hz": recording.fs})


def misread(recording: Recording, fs: float) -> Recording:
    """The same samples labelled with the rate ``fs``: what reading CWRU's 48 kHz 97.mat at 12 kHz does.

    Every frequency then reads ``fs / recording.fs`` times its true value and the record lasts
    ``recording.fs / fs`` times longer (Smith & Randall 2015 [2]_).

    Examples
    --------
    >>> rec = Recording(np.zeros(4_800), fs=48_000.0, label="normal", dataset="cwru", source="demo")
    >>> misread(rec, 12_000.0).duration / rec.duration
    4.0
    """
    return dataclasses.replace(recording, fs=float(fs), source=f"{recording.source} read at {fs / 1e3:g} kHz")


def cwru_records(numbers: Mapping[str, int] = CWRU_RECORDS, *, fs: float = CWRU_FS) -> dict[str, Recording]:
    """The CWRU drive-end records ``{label: file number}``, every one at ``fs`` (:func:`at_rate`).

    97.mat is sampled at 48 kHz (Sect. 3 of the primer; Smith & Randall 2015 [2]_): it is resampled to 12 kHz
    here, before any comparison with the 12 kHz fault files.
    """
    return {label: at_rate(load_cwru(number), fs) for label, number in numbers.items()}


def published_multiples(bearings: Mapping[str, object] = BEARINGS) -> dict[str, pd.DataFrame]:
    """Our defect multiples beside the published ones, for every bearing that has published multiples.

    Returns
    -------
    dict of pd.DataFrame
        Keyed by bearing (``"cwru_de"``, ...): one row per published defect (``ftf``, ``bpfo``, ``bpfi``,
        ``bsf_2x`` or ``bsf``) with ``paper`` (published), ``ours`` (eqs. 1-4 of Randall & Antoni 2011 [3]_
        from the geometry), ``difference`` and ``rel_difference`` (difference / published).
    """
    checks = {}
    for key, bearing in bearings.items():
        if not bearing.published:
            continue
        ours = defect_multiples(bearing).as_dict()
        check = reference.paper_vs_ours(dict(bearing.published), {k: ours[k] for k in bearing.published})
        checks[key] = check.drop(columns="note").assign(rel_difference=check["difference"] / check["paper"])
    return checks


def defect_families(freqs: DefectFrequencies, *, harmonics: Iterable[int] = (1, 2, 3)) -> dict[str, dict]:
    """The named defect lines of one record: FTF, and BPFO, BPFI and 2 x BSF with their ``harmonics`` (Hz).

    Examples
    --------
    >>> from bearingkit.physics.kinematics import defect_frequencies
    >>> families = defect_families(defect_frequencies(BEARINGS["cwru_de"], rpm=1797), harmonics=(1, 2))
    >>> {name: [round(hz, 1) for hz in lines.values()] for name, lines in families.items()}
    {'FTF': [11.9], 'BPFO': [107.4, 214.7], 'BPFI': [162.2, 324.4], '2xBSF': [141.2, 282.3]}
    """
    harmonics = tuple(harmonics)
    return {"FTF": {"FTF": freqs.ftf},
            **{family: harmonic_lines({family: getattr(freqs, _FAMILY_KEY[family])}, harmonics=harmonics)
               for family in ("BPFO", "BPFI", "2xBSF")}}


def expected_lines(label: str, freqs: DefectFrequencies) -> dict[str, float]:
    """The lines searched in the envelope spectrum of one CWRU record (Sect. 2.5 of the primer), in Hz.

    Every record: the fundamental of each family of :func:`defect_families`. A fault record adds the 2nd and
    3rd harmonics of its own family (:data:`OWN_LINE`); the inner race adds the shaft rate and the sidebands
    BPFI -+ f_r and BPFI -+ 2 f_r of its load-zone modulation; the ball adds the shaft rate and the
    sidebands 2 x BSF -+ FTF of the cage's modulation (the ball travels with the cage through the load zone).
    All are named from the physics before the spectrum is looked at, none from its tallest peaks.

    Raises
    ------
    ParameterError
        A label other than ``normal``, ``inner``, ``ball`` or ``outer``.
    """
    if label not in ("normal", *OWN_LINE):
        raise ParameterError(f"unknown record label {label!r}; use 'normal', 'inner', 'ball' or 'outer'")
    fundamentals = defect_families(freqs, harmonics=(1,)).values()
    lines = {name: hz for family in fundamentals for name, hz in family.items()}
    if label in OWN_LINE:
        own = OWN_LINE[label]
        lines.update({k: v for k, v in defect_families(freqs)[own].items() if k != own})
    if label == "inner":
        lines.update({"shaft": freqs.shaft, "BPFI-fr": freqs.bpfi - freqs.shaft,
                      "BPFI+fr": freqs.bpfi + freqs.shaft, "BPFI-2fr": freqs.bpfi - 2 * freqs.shaft,
                      "BPFI+2fr": freqs.bpfi + 2 * freqs.shaft})
    if label == "ball":
        lines.update({"shaft": freqs.shaft, "2xBSF-FTF": freqs.bsf_2x - freqs.ftf,
                      "2xBSF+FTF": freqs.bsf_2x + freqs.ftf})
    return lines


def peak_tables(spectra: Mapping[str, tuple[np.ndarray, np.ndarray]], freqs: Mapping[str, DefectFrequencies],
                *, tol: float = 0.02) -> dict[str, pd.DataFrame]:
    """:func:`line_table` of every record's :func:`expected_lines`, keyed by the record's label.

    Parameters
    ----------
    spectra : mapping of label to ``(freqs, amplitude)``
        Envelope spectra of the records.
    freqs : mapping of label to DefectFrequencies
        Each record's defect frequencies at its own speed.
    tol : float
        Search half-width relative to each line (slip moves lines 1-2 %).
    """
    return {label: line_table(f, a, expected_lines(label, freqs[label]), tol=tol)
            for label, (f, a) in spectra.items()}


def envelope_by_kurtogram(x, *, fs: float, nlevel: int) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Squared-envelope spectrum of ``x`` in the most impulsive kurtogram band (:func:`kurtogram_band`).

    Returns
    -------
    freqs, amplitude : np.ndarray
    band : tuple of float
        The demodulation band ``(low, high)`` in Hz.
    """
    band = kurtogram_band(fast_kurtogram(x, fs=fs, nlevel=nlevel))
    freqs, amplitude = envelope_spectrum(x, fs=fs, band=band, squared=True)
    return freqs, amplitude, band


def mean_frequency(windows: Segments, *, fs: float) -> np.ndarray:
    """Spectral mean frequency of every window (Sedira & Felkaoui 2026, Eq. 13), read at the rate ``fs``."""
    return frequency_features(windows.X, fs=fs)[:, FREQUENCY_FEATURES.index("mean_frequency")]


@dataclass(frozen=True)
class StumpScore:
    """One decision stump on the mean frequency: normal against faulty windows, on a contiguous split.

    ``normal_mean_freq`` and ``faulty_mean_freq`` hold every window's feature (training and test), for the
    histogram of the primer's Fig. 5.
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

    def table(self) -> pd.DataFrame:
        """One row per reading: the :meth:`StumpScore.summary` fields."""
        return pd.DataFrame.from_dict({name: score.summary() for name, score in self.readings.items()},
                                      orient="index")


def rate_trap(faulty: Sequence[Recording], normal: Recording, *, fs: float = CWRU_FS, window: int = 2048,
              test_fraction: float = 0.3, split_seed: int = 0, model_seed: int = 0) -> RateTrap:
    """What a wrong sampling rate does to a classifier: the 97.mat trap (Smith & Randall 2015 [2]_).

    ``normal`` is the baseline as its file is sampled (97.mat: 48 kHz), ``faulty`` records at ``fs``. Two
    readings of the baseline face the same faulty windows in :func:`normal_vs_faulty_stump`:
    :func:`misread` at ``fs`` (wrong: every frequency four times too low) and :func:`at_rate` (right:
    resampled). The stump fitted on the wrong reading is then asked about the correctly resampled windows:
    if it calls them faulty, it had learnt the sampling rate, not the bearing.

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
    return RateTrap(readings=readings, wrong_stump_calls_resampled_normal=called_normal)


def multiple_rows(checks: Mapping[str, pd.DataFrame]) -> list[dict]:
    """One results row per published defect multiple of :func:`published_multiples` (unit: x shaft speed).

    Tolerance: :data:`MULTIPLE_REL_TOLERANCE` of the published value.
    """
    rows = []
    for key, check in checks.items():
        source, item = MULTIPLE_SOURCES[key]
        bearing = BEARINGS[key]
        for defect, line in check.iterrows():
            rows.append(results.row(
                paper=source, item=item, quantity=f"{defect} multiple of shaft speed, {bearing.designation}",
                dataset=bearing.rig, data_kind="real", split=results.PAPER_SPLIT, paper_value=line["paper"],
                ours=line["ours"], tolerance=MULTIPLE_REL_TOLERANCE * abs(line["paper"]), unit="x shaft"))
    return rows


def envelope_line_rows(tables: Mapping[str, pd.DataFrame], rpm: Mapping[str, float], *,
                       numbers: Mapping[str, int] = CWRU_RECORDS, harmonics: Iterable[int] = (1, 2, 3)
                       ) -> list[dict]:
    """Results rows: each fault record's own defect line (and harmonics) found against the published one.

    The published value is the CWRU data centre's multiple (:data:`BEARINGS` ``["cwru_de"].published``) times
    the harmonic and the record's shaft rate ``rpm / 60``; ours, the line :func:`peak_tables` found.
    Tolerance: :data:`LINE_REL_TOLERANCE` of the published value.

    Parameters
    ----------
    tables : mapping of label to pd.DataFrame
        :func:`peak_tables`; only the labels of :data:`OWN_LINE` give rows.
    rpm : mapping of label to float
        Each record's speed.
    """
    published = BEARINGS["cwru_de"].published
    source, item = MULTIPLE_SOURCES["cwru_de"]
    rows = []
    for label, table in tables.items():
        if label not in OWN_LINE:
            continue
        family = OWN_LINE[label]
        for name, k in zip(harmonic_lines({family: 1.0}, harmonics=harmonics), harmonics, strict=True):
            expected = k * published[_FAMILY_KEY[family]] * rpm[label] / 60
            edge = bool(table.loc[name, "at_edge"]) if "at_edge" in table.columns else False
            rows.append(results.row(
                paper=source, item=item, quantity=f"{name} line, squared-envelope spectrum of "
                                                  f"{numbers[label]}.mat ({label})",
                dataset="CWRU", data_kind="real", split=results.PAPER_SPLIT, paper_value=expected,
                ours=table.loc[name, "found_hz"], tolerance=LINE_REL_TOLERANCE * expected, unit="Hz",
                reason=("the maximum of the search window lies in its outer half: no line at the expected "
                        "place") if edge else ""))
    return rows


def simulated_line_row(found_hz: float, *, speed_rpm: float, channel: str) -> dict:
    """Results row: the simulated MAFAULDA-like rig's BPFO line against MAFAULDA's published multiple.

    The simulator builds its impacts from the geometry, so this row checks the simulator's envelope line
    against the published 2.998 x shaft speed (tolerance :data:`LINE_REL_TOLERANCE`).
    """
    source, item = MULTIPLE_SOURCES["mafaulda"]
    expected = BEARINGS["mafaulda"].published["bpfo"] * speed_rpm / 60
    quantity = (f"BPFO line, squared-envelope spectrum, {channel} channel, outer-race fault, "
                f"{speed_rpm / 60:.1f} Hz")
    return results.row(paper=source, item=item, quantity=quantity, dataset="MAFAULDA-like rig",
                       data_kind="simulated", split=results.PAPER_SPLIT, paper_value=expected, ours=found_hz,
                       tolerance=LINE_REL_TOLERANCE * expected, unit="Hz")


def sampling_rate_row(decided_fs: float) -> dict:
    """Results row: the rate of 97.mat decided from its own spectrum against Smith & Randall's 48 kHz [2]_."""
    return results.row(paper="smith_randall2015", item=reference.published("smith_randall2015", "item_97mat"),
                       quantity="sampling rate of 97.mat (normal, 0 HP), decided from its shaft harmonics",
                       dataset="CWRU", data_kind="real", split=results.PAPER_SPLIT,
                       paper_value=reference.published("smith_randall2015", "fs_97mat_hz"), ours=decided_fs,
                       tolerance=SAMPLING_RATE_TOLERANCE_HZ, unit="Hz")


def shaft_harmonic_peaks(signal, *, rpm: float, fs: float, harmonics: Iterable[int] = (1, 2, 3),
                         search_hz: float = 1.5, pad: int = 8) -> pd.DataFrame:
    """The strongest line near each shaft harmonic ``k rpm / 60`` of ``signal`` read at ``fs``; its offset.

    The line is searched within ``search_hz`` of the harmonic; its offset is given in Hz and in frequency bins
    (``fs / N``): the evidence of Sect. 3 of the primer.

    Read at its true rate, a motor's shaft lines sit within a bin of ``k rpm / 60``; read at a wrong rate,
    the lines found near them are others, several bins off (Smith & Randall 2015 [2]_).

    Returns
    -------
    pd.DataFrame
        Indexed by harmonic ``k``: ``expected_hz``, ``peak_hz``, ``level_db`` (dB re the spectrum's maximum),
        ``offset_hz`` and ``offset_bins``.
    """
    freqs, level = spectrum_db(signal, fs=fs, pad=pad)
    bin_hz = fs / np.shape(signal)[-1]
    rows = []
    for k in harmonics:
        target = k * rpm / 60
        peak = peak_near(freqs, 10 ** (level / 20), target=target, tol=search_hz / target)
        rows.append({"harmonic": k, "expected_hz": target, "peak_hz": peak.frequency,
                     "level_db": 20 * np.log10(peak.amplitude), "offset_hz": peak.frequency - target,
                     "offset_bins": (peak.frequency - target) / bin_hz})
    return pd.DataFrame(rows).set_index("harmonic")


def rate_readings_figure(signal, *, rpm: float, decided_fs: float, harmonics_found: Mapping[float, int],
                         readings: Sequence[float] = (12_000.0, 48_000.0), mains_hz: float = 60.0,
                         colors: Mapping[str, str] | None = None) -> plt.Figure:
    """Fig. 5 of the primer: one file's spectrum read at each candidate rate, and its shaft harmonics.

    One row per reading: the spectrum up to 130 Hz (dB re its largest bin) with the shaft harmonics
    ``k rpm / 60`` this reading predicts and the mains multiples; beside it, the spectrum around each of the
    first three harmonics on one axis, in bins from ``k rpm / 60``, with the strongest line of each marked
    (:func:`shaft_harmonic_peaks`). Legends sit outside the data.

    Parameters
    ----------
    signal : np.ndarray [shape=(time,)]
    rpm : float
        The file's recorded speed.
    decided_fs : float
        The rate the evidence chose; a wrong reading also marks where the true shaft line lands.
    harmonics_found : mapping of rate to int
        Shaft harmonics in place at each rate (``shaft_peak_evidence``), for the titles.
    """
    colors = {"shaft": "C0", "mains": "C3", **(colors or {})}
    shaft = rpm / 60
    fig, axes = plt.subplots(len(readings), 2, figsize=(10.5, 3.0 * len(readings)),
                             gridspec_kw={"width_ratios": [2.2, 1]}, squeeze=False)
    for row, fs_read in enumerate(readings):
        freqs, level = spectrum_db(signal, fs=fs_read, pad=8)
        bin_hz = fs_read / np.shape(signal)[-1]
        ax = axes[row, 0]
        keep = freqs <= 130
        ax.plot(freqs[keep], level[keep], color="0.2", lw=0.5)
        ax.set_xlim(0, 130)
        ax.set_ylim(-90, 5)
        plots.mark_lines(ax, [k * shaft for k in range(1, 5)], label="k · rpm/60", color=colors["shaft"],
                         lw=1.0, ls="-", alpha=0.5)
        plots.mark_lines(ax, [mains_hz, 2 * mains_hz], label=f"{mains_hz:g} Hz mains multiples",
                         color=colors["mains"], lw=1.0)
        if fs_read != decided_fs:
            ratio = decided_fs / fs_read
            ax.axvline(shaft / ratio, color=colors["shaft"], ls=":", lw=1.4, zorder=1,
                       label=f"(rpm/60)/{ratio:g} = {shaft / ratio:.2f} Hz: the true shaft line")
        ax.set_ylabel("level (dB re max)")
        verdict = "decided" if fs_read == decided_fs else "rejected"
        ax.set_title(f"read at {fs_read / 1e3:g} kHz ({verdict}): {harmonics_found[fs_read]} of 3 shaft "
                     "harmonics in place", loc="left", fontsize=10)
        zoom_ax = axes[row, 1]
        peaks = shaft_harmonic_peaks(signal, rpm=rpm, fs=fs_read)
        for k, peak in peaks.iterrows():
            near = np.abs(freqs - peak["expected_hz"]) <= 8 * bin_hz
            line, = zoom_ax.plot((freqs[near] - peak["expected_hz"]) / bin_hz, level[near], lw=0.8,
                                 label=f"{k} × rpm/60: peak {peak['offset_bins']:+.1f} bins")
            zoom_ax.plot(peak["offset_bins"], peak["level_db"], "v", color=line.get_color(), ms=6)
        zoom_ax.axvline(0, color=colors["shaft"], lw=1.0, zorder=1)
        zoom_ax.set_xlim(-8, 8)
        zoom_ax.set_ylim(-90, 5)
        zoom_ax.set_xlabel("offset from k · rpm/60 (bins)")
        zoom_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, frameon=False)
        zoom_ax.tick_params(labelleft=False)
    axes[-1, 0].set_xlabel("frequency (Hz)")
    handles = {h.get_label(): h for ax in axes[:, 0] for h in ax.get_legend_handles_labels()[0]}
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=3, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def split_accuracies_figure(scores: pd.DataFrame, *, split_names: Mapping[str, str],
                            tasks: Mapping[str, str] = MappingProxyType({"location": "C0",
                                                                         "location x size": "C1"}),
                            n_classes: int | Mapping[str, int] = 3) -> plt.Figure:
    """Fig. 9 of the primer: test accuracy per task and split; one bar per held-out group.

    Random and contiguous splits show the mean over repeats (dots: each repeat); a leave-one-group-out split
    shows one thin bar per held-out value (``held_out``, labelled under the axis), so a collapse on one
    group is not averaged away; a task that a split cannot score (the size is part of the class) is marked
    n/a; dotted lines are chance for each task (``1 / n_classes``), named in the legend.

    Parameters
    ----------
    scores : pd.DataFrame
        :func:`split_accuracies` rows with a ``task`` column.
    split_names : mapping of scheme to label
        The schemes shown, in order, and their axis labels.
    tasks : mapping of task to colour
    n_classes : int or mapping of task to int
        Classes of each task (an int: the first task's; the others' are then not drawn).
    """
    classes = n_classes if isinstance(n_classes, Mapping) else {next(iter(tasks)): n_classes}
    fig, ax = plt.subplots(figsize=(9, 4.2))
    width = 0.4
    for t, (task, color) in enumerate(tasks.items()):
        label = task.replace(" x ", " × ")
        for s, scheme in enumerate(split_names):
            folds = scores[(scores["task"] == task) & (scores["scheme"] == scheme)]
            x0 = s + (t - 0.5) * width
            if folds.empty:
                ax.text(x0, 0.03, "n/a: size is\npart of the class", ha="center", fontsize=7, color=color)
                continue
            if scheme in ("random", "contiguous"):
                ax.bar(x0, folds["accuracy"].mean(), width=width * 0.95, color=color, alpha=0.75,
                       label=label if s == 0 else None)
                if len(folds) > 1:
                    ax.scatter(np.full(len(folds), x0), folds["accuracy"], color="k", s=8, zorder=3)
                continue
            groups = folds.sort_values("held_out")
            sub = width * 0.95 / len(groups)
            for g, (_, fold) in enumerate(groups.iterrows()):
                xg = x0 - width * 0.95 / 2 + (g + 0.5) * sub
                ax.bar(xg, fold["accuracy"], width=sub * 0.9, color=color, alpha=0.75, edgecolor="white")
                held = f"{fold['held_out']:g} HP" if scheme == "load" else f"{fold['held_out']:.3f}"
                ax.text(xg, -0.03, held, rotation=90, ha="center", va="top", fontsize=6.5, color="0.25")
    for task, n in classes.items():
        ax.axhline(1 / n, color=tasks[task], ls=":", lw=1.2,
                   label=f"chance, {task.replace(' x ', ' × ')} (1/{n} = {1 / n:.2f})")
    ax.set_xticks(range(len(split_names)), list(split_names.values()))
    ax.tick_params(axis="x", pad=34)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("test accuracy")
    ax.legend(loc="lower right", fontsize=8, bbox_to_anchor=(1.0, 1.08), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def level0_scores(signal, *, fs: float, nlevel: int) -> pd.DataFrame:
    """The fast kurtogram of ``signal`` under both level-0 scores of :func:`fast_kurtogram` (``level0=``).

    Returns
    -------
    pd.DataFrame
        Indexed by score (``"real"``: Antoni's real kurtosis - 3; ``"envelope"``: the analytic signal's
        envelope kurtosis - 2, like every other level): ``level0`` (the level-0 value), ``best_level``,
        ``best_low_hz``, ``best_high_hz`` and ``best_kurtosis``.
    """
    rows = []
    for score in ("real", "envelope"):
        kg = fast_kurtogram(signal, fs=fs, nlevel=nlevel, level0=score)
        rows.append({"score": score, "level0": float(kg.kurtosis[0, 0]), "best_level": kg.best_level,
                     "best_low_hz": kg.best_fc - kg.best_bandwidth / 2,
                     "best_high_hz": kg.best_fc + kg.best_bandwidth / 2, "best_kurtosis": kg.best_kurtosis})
    return pd.DataFrame(rows).set_index("score")


def level_bandwidth(level: float, *, fs: float) -> float:
    """Width in Hz of the bands at kurtogram ``level``: ``fs / 2**(level + 1)`` (Antoni 2007).

    Examples
    --------
    >>> level_bandwidth(0, fs=12_000), level_bandwidth(3, fs=12_000)
    (6000.0, 750.0)
    """
    return float(fs / 2 ** (level + 1))


def effective_geometry(bpfo_hz: float, bpfi_hz: float, *, shaft_hz: float, n_elements: int,
                       ball_over_pitch: float) -> dict[str, float]:
    """What a measured BPFO and BPFI say about the bearing: its effective ``gamma``, contact angle or slip.

    Rolling without slip gives ``BPFO = n f_r (1 - gamma) / 2`` and ``BPFI = n f_r (1 + gamma) / 2`` (eqs. 1-4
    of Randall & Antoni 2011 [3]_), ``gamma = (d / D) cos phi``. Slip ``s`` makes the cage lag: FTF and BPFO
    fall by ``1 - s`` while BPFI *rises* (:func:`bearingkit.physics.kinematics.with_cage_slip`), and
    ``BPFO + BPFI = n f_r`` whatever the slip and the contact angle. So:

    - ``sum_ratio = (BPFO + BPFI) / (n f_r)`` is 1 for any bearing of ``n`` elements; away from 1 it says
      that ``shaft_hz`` is not the shaft rate at which the lines were measured (e.g. the header's rpm
      instead of the record's own shaft line), never that the bearing slips;
    - ``gamma = (BPFI - BPFO) / (BPFI + BPFO)``, free of any shaft-rate error, mixes contact angle and slip:
      ``1 - gamma = (1 - (d / D) cos phi) (1 - s)``. One pair of lines cannot separate the two. Read with no
      slip it gives ``contact_angle_deg``; read at the nominal contact angle of 0 degrees it gives
      ``slip_at_nominal_angle``, negative when the cage would have to *lead* (BPFO above, BPFI below their
      no-slip values), which slip cannot do.

    Parameters
    ----------
    bpfo_hz, bpfi_hz : float > 0
        Measured lines (or multiples of the shaft rate, with ``shaft_hz=1``).
    shaft_hz : float > 0
    n_elements : int >= 1
    ball_over_pitch : float in (0, 1)
        ``d / D``.

    Returns
    -------
    dict
        ``gamma``, ``contact_angle_deg`` (``arccos(gamma / (d / D))``, NaN when ``gamma > d / D``),
        ``slip_at_nominal_angle`` and ``sum_ratio``.

    Examples
    --------
    >>> g = effective_geometry(3.6 * 30, 5.4 * 30, shaft_hz=30, n_elements=9, ball_over_pitch=0.2)
    >>> round(g["gamma"], 4), round(g["contact_angle_deg"], 4), round(g["sum_ratio"], 4)
    (0.2, 0.0, 1.0)
    """
    if min(bpfo_hz, bpfi_hz, shaft_hz) <= 0 or n_elements < 1 or not 0 < ball_over_pitch < 1:
        raise ParameterError("need positive line and shaft frequencies, n_elements >= 1 and "
                             "0 < ball_over_pitch < 1")
    gamma = (bpfi_hz - bpfo_hz) / (bpfi_hz + bpfo_hz)
    cosine = gamma / ball_over_pitch
    angle = float(np.degrees(np.arccos(cosine))) if abs(cosine) <= 1 else float("nan")
    return {"gamma": float(gamma), "contact_angle_deg": angle,
            "slip_at_nominal_angle": float(1 - (1 - gamma) / (1 - ball_over_pitch)),
            "sum_ratio": float((bpfo_hz + bpfi_hz) / (n_elements * shaft_hz))}


def measured_shaft_rate(signal, *, fs: float, rpm: float, harmonics: Iterable[int] = (1, 2, 3),
                        tol: float = 0.005, pad: int = 8) -> float:
    """The shaft rate a record's own spectrum shows: the median of ``peak_k / k`` over shaft harmonics ``k``.

    The CWRU headers give the speed as an integer rpm, typed by hand; the shaft line itself is in the signal.
    Each harmonic's peak is the strongest bin of the zero-padded spectrum (:func:`spectrum_db`) within
    ``tol`` of ``k rpm / 60``; the median over ``harmonics`` resists one harmonic that a neighbour (a mains
    line) outshines.

    Returns
    -------
    float
        Hz.

    Examples
    --------
    >>> fs = 12_000.0
    >>> t = np.arange(int(10 * fs)) / fs
    >>> x = sum(np.cos(2 * np.pi * k * 29.92 * t) / k for k in (1, 2, 3))
    >>> round(measured_shaft_rate(x, fs=fs, rpm=1797), 2)
    29.92
    """
    if not (np.isfinite(rpm) and rpm > 0 and 0 < tol < 0.1):
        raise ParameterError(f"need rpm > 0 and 0 < tol < 0.1, got rpm={rpm!r}, tol={tol!r}")
    freqs, level = spectrum_db(signal, fs=fs, pad=pad)
    estimates = []
    for k in harmonics:
        target = k * rpm / 60
        inside = np.flatnonzero(np.abs(freqs - target) <= tol * target)
        estimates.append(freqs[inside[np.argmax(level[inside])]] / k)
    return float(np.median(estimates))


def harmonic_family_evidence(signal, *, rpm: float, fs: float, n_harmonics: int = 20, subdivision: int = 4,
                             min_prominence_db: float = 10.0, pad: int = 8) -> pd.DataFrame:
    """Lines at every ``j / subdivision`` multiple of the shaft rate, read at ``fs``: the 97.mat test.

    Read at a rate ``subdivision`` times too low, the true ``subdivision * k``-th shaft harmonic lands on
    ``k rpm / 60``, so the shaft harmonics are "in place" at both readings; what differs is the family's
    fundamental. At the wrong reading the true 1st, 2nd, 3rd ... harmonics sit at the fractional multiples
    ``j / subdivision`` (a shaft turning at a quarter of its tachometer's speed); at the right one nothing
    physical sits there (Smith & Randall 2015 [2]_ decided 97.mat's rate from its content).

    A position holds a line when the strongest bin within a quarter of the spacing ``rpm / (60
    subdivision)`` stands ``min_prominence_db`` above that stretch's median and lies within one bin
    (``fs / N``) plus the rpm's rounding (an integer rpm is good to 0.5 rpm) of the position.

    Returns
    -------
    pd.DataFrame
        One row per position ``j = 1 .. n_harmonics * subdivision``: ``multiple`` (``j / subdivision``),
        ``integer`` (a shaft harmonic proper), ``expected_hz``, ``peak_hz``, ``offset_bins``,
        ``tolerance_bins``, ``prominence_db`` and ``in_place``.
    """
    if not (isinstance(subdivision, int) and subdivision >= 1 and n_harmonics >= 1):
        raise ParameterError("subdivision and n_harmonics must be positive integers")
    freqs, level = spectrum_db(signal, fs=fs, pad=pad)
    bin_hz = fs / np.shape(signal)[-1]
    spacing = rpm / 60 / subdivision
    rows = []
    for j in range(1, n_harmonics * subdivision + 1):
        target = j * spacing
        stretch = np.flatnonzero(np.abs(freqs - target) <= spacing / 4)
        peak = stretch[np.argmax(level[stretch])]
        offset = (freqs[peak] - target) / bin_hz
        tolerance = 1 + j / subdivision * (0.5 / 60) / bin_hz
        prominence = float(level[peak] - np.median(level[stretch]))
        rows.append({"multiple": j / subdivision, "integer": j % subdivision == 0, "expected_hz": target,
                     "peak_hz": float(freqs[peak]), "offset_bins": float(offset), "tolerance_bins": tolerance,
                     "prominence_db": prominence,
                     "in_place": bool(abs(offset) <= tolerance and prominence >= min_prominence_db)})
    return pd.DataFrame(rows)


def harmonic_family_counts(evidence: Mapping[float, pd.DataFrame]) -> pd.DataFrame:
    """Per reading rate, how many shaft harmonics and how many fractional positions hold a line.

    Parameters
    ----------
    evidence : mapping of rate (Hz) to :func:`harmonic_family_evidence`
    """
    return pd.DataFrame([{"fs": fs, "harmonics_in_place": int(table.loc[table["integer"], "in_place"].sum()),
                          "harmonics": int(table["integer"].sum()),
                          "fractional_in_place": int(table.loc[~table["integer"], "in_place"].sum()),
                          "fractional": int((~table["integer"]).sum())}
                         for fs, table in evidence.items()]).set_index("fs")


def noise_peak_ratios(*, n_samples: int, fs: float, band: tuple[float, float], targets: Sequence[float],
                      tol: float = 0.02, floor_tol: float = 0.1, n_trials: int = 10, seed: int = 0
                      ) -> np.ndarray:
    """The peak ratio :func:`line_table` reports when there is no line: Gaussian noise, same pipeline.

    ``n_trials`` records of white Gaussian noise of the records' length go through the same squared-envelope
    spectrum (``band``) and the same search (the largest bin within ``tol`` of each target over the median
    within ``floor_tol``). The largest of the 2 ``tol`` target / bin_width bins searched is what a threshold
    on the ratio must beat: this gives its false-alarm rate.

    Returns
    -------
    np.ndarray [shape=(n_trials * len(targets),)]
        One ratio per trial and target.
    """
    if n_trials < 1 or not len(targets):
        raise ParameterError("need n_trials >= 1 and at least one target")
    rng = np.random.default_rng(seed)
    spectra = (envelope_spectrum(rng.standard_normal(n_samples), fs=fs, band=band, squared=True)
               for _ in range(n_trials))
    return np.concatenate([spectrum_peak_ratios(freqs, amplitude, targets=targets, tol=tol,
                                                floor_tol=floor_tol) for freqs, amplitude in spectra])


def ratio_threshold(noise_ratios, *, false_alarm: float) -> float:
    """The peak ratio that noise alone exceeds with probability ``false_alarm`` (its upper quantile)."""
    if not 0 < false_alarm < 1:
        raise ParameterError(f"false_alarm must lie in (0, 1), got {false_alarm!r}")
    return float(np.quantile(np.asarray(noise_ratios), 1 - false_alarm))


def false_alarm_rate(noise_ratios, threshold: float) -> float:
    """Share of the noise-only searches whose ratio reaches ``threshold``."""
    return float(np.mean(np.asarray(noise_ratios) >= threshold))


#: Grades of a line by its peak ratio, with Smith & Randall's (2015) letters Y / P / N [2]_ but our
#: definition: above the 1 % false-alarm threshold of noise (Y), above the 10 % one (P), below (N). Smith &
#: Randall grade whether a record is *diagnosable*; these grades only say that a line stands above noise.
GRADE_FALSE_ALARMS: Mapping[str, float] = MappingProxyType({"Y": 0.01, "P": 0.10})


def grade_ratio(ratio: float, thresholds: Mapping[str, float], *, at_edge: bool = False) -> str:
    """``"Y"``, ``"P"`` or ``"N"``: the first grade of :data:`GRADE_FALSE_ALARMS` whose threshold ``ratio``
    reaches (``thresholds`` maps each grade to its ratio threshold); ``"N"`` for a maximum ``at_edge`` of its
    search window (:func:`line_table`), which is not the line searched.

    The letters are Smith & Randall's (2015) [2]_; the definition is ours: a grade says that the window's
    maximum stands above a false-alarm threshold of noise, not that a fault is diagnosed.

    Examples
    --------
    >>> grade_ratio(5.0, {"Y": 4.0, "P": 3.2}), grade_ratio(3.5, {"Y": 4.0, "P": 3.2})
    ('Y', 'P')
    >>> grade_ratio(50.0, {"Y": 4.0, "P": 3.2}, at_edge=True)
    'N'
    """
    if at_edge:
        return "N"
    for grade in GRADE_FALSE_ALARMS:
        if ratio >= thresholds[grade]:
            return grade
    return "N"


def held_out_predictions(X, y, groups: pd.DataFrame, *, estimator, by: str, value) -> pd.DataFrame:
    """Every test window's prediction when the windows with ``groups[by] == value`` are held out.

    Returns
    -------
    pd.DataFrame
        One row per held-out window: its ``groups`` columns (``record``, ``load``, ``fault_size`` ...),
        ``true`` and ``predicted``.
    """
    X, y = np.asarray(X), np.asarray(y)
    groups = groups.reset_index(drop=True)
    test = (groups[by] == value).to_numpy()
    if not test.any() or test.all():
        raise ParameterError(f"{by}={value!r} must hold some but not all windows")
    model = clone(estimator).fit(X[~test], y[~test])
    return groups[test].assign(true=y[test], predicted=model.predict(X[test])).reset_index(drop=True)


def confusion_table(predictions: pd.DataFrame) -> pd.DataFrame:
    """Windows per true class (rows) and predicted class (columns) of :func:`held_out_predictions`."""
    return pd.crosstab(predictions["true"], predictions["predicted"]).rename_axis(index="true",
                                                                                   columns="predicted")


def per_record_accuracy(predictions: pd.DataFrame, *, by: Sequence[str] = ("record", "true", "load")
                        ) -> pd.DataFrame:
    """Accuracy and most frequent prediction of every record in :func:`held_out_predictions`."""
    correct = predictions.assign(correct=predictions["true"] == predictions["predicted"])
    return correct.groupby(list(by)).agg(windows=("correct", "size"), accuracy=("correct", "mean"),
                                         most_predicted=("predicted", lambda p: p.mode().iloc[0]))


def stretch_labels(groups: pd.DataFrame, *, n_stretches: int) -> np.ndarray:
    """A label with no physics in it: which of ``n_stretches`` equal stretches of its record a window is in.

    A model can only learn it by remembering neighbouring samples: the overlapping-window trap bites on
    labels that change within a record (degradation stages of a run to failure, a speed ramp).
    """
    if n_stretches < 2:
        raise ParameterError("n_stretches must be at least 2")
    start = groups["start"].to_numpy()
    length = groups.groupby("record")["stop"].transform("max").to_numpy()
    return np.minimum(start * n_stretches // length, n_stretches - 1).astype(int)


def contiguous_split(groups: pd.DataFrame, *, test_fraction: float = 0.2, seed: int = 0, repeat: int = 0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The ``repeat``-th contiguous-block split that :func:`split_accuracies` draws with ``seed``."""
    seeds = child_seeds(seed, repeat + 1)
    return splits.contiguous_block_split(groups.reset_index(drop=True), test_fraction=test_fraction,
                                         seed=seeds[repeat])


def unseen_in_record(y, groups: pd.DataFrame, train: np.ndarray, test: np.ndarray) -> float:
    """Share of the test windows whose label no training window *of the same record* carries."""
    y = np.asarray(y)
    record = groups["record"].to_numpy()
    seen = set(zip(record[train], y[train], strict=True))
    return float(np.mean([(r, label) not in seen for r, label in zip(record[test], y[test], strict=True)]))


def record_guess_accuracy(y, groups: pd.DataFrame, train: np.ndarray, test: np.ndarray) -> float:
    """Accuracy of a guess drawn at random from the training labels of the test window's own record.

    A model that recognises the record but nothing finer answers like this. On a label that changes within a
    record (:func:`stretch_labels`), a contiguous test block takes its own stretches' windows out of training,
    so the labels left in the record are mostly *other* stretches': the guess scores below chance
    (``1 / n_stretches``). Where every label is as common in training as in the record, it scores chance.
    """
    y = np.asarray(y)
    record = groups["record"].to_numpy()
    train_table = pd.crosstab(record[train], y[train], normalize="index")
    return float(np.mean([train_table.at[r, label] if label in train_table.columns else 0.0
                          for r, label in zip(record[test], y[test], strict=True)]))


def unit_rms(windows) -> np.ndarray:
    """Every window scaled to unit RMS (its mean removed first): the level gone, the shape kept.

    Raises
    ------
    ParameterError
        A constant window (no RMS to divide by).
    """
    x = np.asarray(windows, dtype=float)
    x = x - x.mean(axis=-1, keepdims=True)
    rms = np.sqrt(np.mean(x**2, axis=-1, keepdims=True))
    if np.any(rms == 0):
        raise ParameterError("a constant window has no RMS to scale by")
    return x / rms


def band_width_sweep(signal, *, fs: float, centre_hz: float, widths: Sequence[float],
                     lines: Mapping[str, float], tol: float = 0.02) -> pd.DataFrame:
    """Modulation depth of each named line when the signal is demodulated in bands of several widths.

    The squared envelope of a band of width ``B`` holds the differences between the frequencies inside the
    band, so its spectrum reaches up to about ``B``: a modulation (a defect line, its harmonics, its
    sidebands) shows only if the band is wider than its frequency (Randall & Antoni 2011 [3]_). The depth of
    a line is its amplitude in the squared-envelope spectrum (:func:`line_table`, within ``tol``) over the
    squared envelope's mean: scale-free, and 0 for a line the band cannot carry. (The peak ratio is a poor
    measure here: a narrow Butterworth band still leaks the strong impacts through its skirts, floor and
    line alike.)

    Returns
    -------
    pd.DataFrame
        Indexed by band width (Hz), one column per line of ``lines``: its modulation depth.
    """
    rows = {}
    for width in widths:
        band = (centre_hz - width / 2, centre_hz + width / 2)
        mean = float(np.mean(envelope(signal, fs=fs, band=band, squared=True)))
        freqs, amplitude = envelope_spectrum(signal, fs=fs, band=band, squared=True)
        table = line_table(freqs, amplitude, lines, tol=tol)
        rows[float(width)] = {name: float(table.loc[name, "amplitude"]) / mean for name in lines}
    return pd.DataFrame(rows).T.rename_axis("band width (Hz)")


def harmonic_separation(multiple: float, *, shaft_hz: float, duration_s: float,
                        resolvable_bins: float = 2.0) -> dict[str, float]:
    """How far a defect line ``multiple x shaft`` lies from the nearest shaft harmonic, in Hz and bins.

    Two lines closer than about two bins (``1 / duration_s`` each) of a Hann-windowed spectrum merge into
    one: such a defect line cannot be told from the shaft harmonic by frequency alone.

    Examples
    --------
    >>> s = harmonic_separation(2.998, shaft_hz=36.9, duration_s=5.0)
    >>> s["harmonic"], round(s["gap_hz"], 3), s["separable"]
    (3, 0.074, False)
    """
    if shaft_hz <= 0 or duration_s <= 0 or multiple <= 0:
        raise ParameterError("multiple, shaft_hz and duration_s must be positive")
    harmonic = max(int(round(multiple)), 1)
    gap = abs(multiple - harmonic) * shaft_hz
    return {"harmonic": harmonic, "gap_hz": float(gap), "bin_hz": 1 / duration_s,
            "gap_bins": float(gap * duration_s), "separable": bool(gap * duration_s >= resolvable_bins)}


def teaching_rig(*, slip: float, resonance_hz: float, damping: float = 0.04, rig: str = "polito"
                 ) -> simulate.Rig:
    """A simulator rig with one sensor, one resonance and the given slip: the knobs of the primer's Sect. 2.

    A copy of ``rig`` (:data:`bearingkit.physics.simulate.RIGS`) whose only sensor rings one resonance at
    ``resonance_hz`` (damping ratio ``damping``) and whose impact periods jitter by ``slip``; the rigs of the
    later notebooks are not touched.
    """
    base = simulate.get_rig(rig)
    if not 0 <= slip < 0.2:
        raise ParameterError(f"slip={slip!r}: use a relative jitter in [0, 0.2) (real bearings: 0.01-0.02)")
    if not 0 < resonance_hz < 0.45 * base.fs:
        raise ParameterError(f"resonance_hz={resonance_hz!r} must lie in (0, {0.45 * base.fs:g}) Hz")
    resonance = simulate.Resonance(resonance_hz, damping, 1.0)
    sensor = dataclasses.replace(base.sensors[0], resonances=(resonance,))
    return dataclasses.replace(base, name=f"{base.name} (teaching)", slip=slip, sensors=(sensor,))


@dataclass(frozen=True)
class MethodSteps:
    """Every stage of envelope analysis on one simulated outer-race signal (the primer's Sect. 2.1)."""

    fs: float
    lines: DefectFrequencies
    clean: np.ndarray
    measured: np.ndarray
    band: tuple[float, float]
    bandpassed: np.ndarray
    envelope: np.ndarray
    raw_spectrum: tuple[np.ndarray, np.ndarray]
    envelope_spectrum: tuple[np.ndarray, np.ndarray]
    squared_envelope_spectrum: tuple[np.ndarray, np.ndarray]

    def bpfo_ratios(self, *, tol: float = 0.02) -> dict[str, float]:
        """BPFO's peak ratio (:func:`line_table`) in the raw, envelope and squared-envelope spectra."""
        spectra = {"raw": self.raw_spectrum, "envelope": self.envelope_spectrum,
                   "squared envelope": self.squared_envelope_spectrum}
        return {name: float(line_table(f, a, {"BPFO": self.lines.bpfo}, tol=tol).loc["BPFO", "ratio"])
                for name, (f, a) in spectra.items()}


def method_steps(rig: simulate.Rig, *, speed_rpm: float, load, snr_db: float, duration: float, seed: int = 0,
                 band_width: float | None = None) -> MethodSteps:
    """Simulate an outer-race fault on ``rig`` (:func:`teaching_rig`) and take it through envelope analysis.

    The clean signal (impacts ringing the resonance, no noise) and the measured one (``snr_db``) come from
    the same seed; the band is centred on the rig's first resonance, ``band_width`` wide (default: 0.4 times
    the resonance frequency, wide enough for several BPFO harmonics); the raw spectrum is the magnitude
    spectrum of the measured signal.
    """
    clean = simulate.simulate(rig, fault="outer", speed=speed_rpm, load=load, duration=duration, seed=seed,
                              snr_db=None)
    measured = simulate.simulate(rig, fault="outer", speed=speed_rpm, load=load, duration=duration,
                                 seed=seed, snr_db=snr_db)
    x = measured.signal if measured.signal.ndim == 1 else measured.signal[0]
    fs = measured.fs
    centre = rig.sensors[0].resonances[0].freq_hz
    half = (0.4 * centre if band_width is None else band_width) / 2
    band = (max(centre - half, fs / 64), min(centre + half, 0.49 * fs))
    raw = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size))) * 2 / np.hanning(x.size).sum()
    return MethodSteps(
        fs=fs, lines=defect_frequencies(rig.geometry, rpm=speed_rpm),
        clean=clean.signal if clean.signal.ndim == 1 else clean.signal[0], measured=x, band=band,
        bandpassed=bandpass(x, fs=fs, band=band), envelope=envelope(x, fs=fs, band=band),
        raw_spectrum=(np.fft.rfftfreq(x.size, 1 / fs), raw),
        envelope_spectrum=envelope_spectrum(x, fs=fs, band=band),
        squared_envelope_spectrum=envelope_spectrum(x, fs=fs, band=band, squared=True))


def method_steps_figure(steps: MethodSteps, *, span_s: float = 0.05, color: str = "C1") -> plt.Figure:
    """The envelope-analysis chain of :func:`method_steps`, one panel a stage, time panels on one y-scale.

    (a) impacts ringing the resonance, spaced 1 / BPFO; (b) the same with noise; (c) raw spectrum, log
    amplitude, BPFO harmonics marked; (d) the band-passed signal with its envelope; (e) envelope spectrum
    and (f) squared-envelope spectrum, each normalised to its largest line above 0.5 BPFO.
    """
    fs, bpfo = steps.fs, steps.lines.bpfo
    n = int(span_s * fs)
    t = 1e3 * np.arange(n) / fs
    fig, axes = plt.subplots(3, 2, figsize=(10, 7.4))
    (a, b), (c, d), (e, f) = axes
    top = 1.05 * np.abs(steps.measured[:n]).max()
    a.plot(t, steps.clean[:n], color="0.2", lw=0.6)
    first = int(np.argmax(np.abs(steps.clean[: int(fs / bpfo)])))
    for k in range(int(span_s * bpfo) + 1):
        a.axvline(1e3 * (first / fs + k / bpfo), color=color, ls=":", lw=0.8, zorder=1)
    a.set_title(f"(a) impacts ringing the resonance; dotted: 1 / BPFO = {1e3 / bpfo:.2f} ms apart",
                fontsize=9, loc="left")
    b.plot(t, steps.measured[:n], color="0.2", lw=0.6)
    b.set_title("(b) the same with noise: what the sensor records", fontsize=9, loc="left")
    for ax in (a, b):
        ax.set_ylim(-top, top)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("acc. (g)")
    freqs, raw = steps.raw_spectrum
    c.semilogy(freqs / 1e3, raw, color="0.3", lw=0.4)
    c.axvspan(steps.band[0] / 1e3, steps.band[1] / 1e3, color=color, alpha=0.15, label="demodulation band")
    c.set_xlim(0, fs / 2e3)
    c.set_xlabel("frequency (kHz)")
    c.set_ylabel("amplitude (g)")
    c.legend(fontsize=7, loc="upper right")
    c.set_title("(c) raw spectrum: the impacts' energy sits at the resonance", fontsize=9, loc="left")
    d.plot(t, steps.bandpassed[:n], color="0.5", lw=0.5, label="band-passed")
    d.plot(t, steps.envelope[:n], color=color, lw=1.0, label="envelope |analytic signal|")
    d.set_xlabel("time (ms)")
    d.legend(fontsize=7, loc="upper right", ncol=2)
    d.set_title(f"(d) band {steps.band[0] / 1e3:.1f}-{steps.band[1] / 1e3:.1f} kHz and its envelope",
                fontsize=9, loc="left")
    ratios = steps.bpfo_ratios()
    for ax, (name, (fr, amp)) in zip((e, f), (("envelope", steps.envelope_spectrum),
                                               ("squared envelope", steps.squared_envelope_spectrum)),
                                     strict=True):
        keep = fr <= 5.5 * bpfo
        scale = amp[keep][fr[keep] > 0.5 * bpfo].max()
        ax.plot(fr[keep], amp[keep] / scale, color="0.15", lw=0.7)
        ax.set_xlim(0, 5.5 * bpfo)
        ax.set_ylim(0, 1.1)
        plots.mark_lines(ax, [k * bpfo for k in range(1, 6)], label="k × BPFO", color=color, lw=1.0)
        ax.set_xlabel("frequency (Hz)")
        ax.legend(fontsize=7, loc="upper right")
        ax.set_title(f"({'e' if ax is e else 'f'}) {name} spectrum: BPFO ratio {ratios[name]:.0f}",
                     fontsize=9, loc="left")
    e.set_ylabel("amplitude (rel.)")
    fig.tight_layout()
    return fig


#: The classifiers the primer's Sect. 5 can use (its ``classifier`` parameter).
CLASSIFIERS = ("random_forest", "1nn")


def make_classifier(name: str, *, n_estimators: int = 100, seed: int = 0):
    """The primer's classifier: a seeded random forest, or 1-nearest neighbour on standardised features.

    Raises
    ------
    ParameterError
        A name not in :data:`CLASSIFIERS`.
    """
    if name == "random_forest":
        return RandomForestClassifier(n_estimators=n_estimators, random_state=seed, n_jobs=-1)
    if name == "1nn":
        return make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=1))
    raise ParameterError(f"classifier={name!r}: use one of {CLASSIFIERS}")


def parse_band(band, *, fs: float) -> tuple[float, float] | str:
    """The primer's ``band`` parameter: ``"kurtogram"``, or ``(low, high)`` in Hz inside ``(0, fs / 2)``.

    Examples
    --------
    >>> parse_band([2000, 4000], fs=12_000), parse_band("kurtogram", fs=12_000)
    ((2000.0, 4000.0), 'kurtogram')
    """
    if isinstance(band, str):
        if band != "kurtogram":
            raise ParameterError(f"band={band!r}: use 'kurtogram' or (low, high) in Hz")
        return band
    try:
        low, high = (float(edge) for edge in band)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"band={band!r}: use 'kurtogram' or (low, high) in Hz") from exc
    if not 0 < low < high < fs / 2:
        raise ParameterError(f"band={band!r} must satisfy 0 < low < high < fs / 2 = {fs / 2:g} Hz")
    return low, high


def blind_diagnosis(signal, *, fs: float, rpm: float, band: tuple[float, float],
                    thresholds: Mapping[str, float], tol: float = 0.02) -> pd.DataFrame:
    """Grade each fault family's line in the squared-envelope spectrum of one unlabelled CWRU DE record.

    BPFO, BPFI and 2 x BSF at the record's speed are searched (:func:`line_table`) and graded by their peak
    ratio (:func:`grade_ratio`). The decision rule: the diagnosis is the family whose line has the largest
    peak ratio among the lines not ``at_edge`` of their window (none when all three are); a grade plays no
    part in it, so the chosen family's grade says how far its line stands above noise, not whether the
    diagnosis is right.

    Returns
    -------
    pd.DataFrame
        Indexed by family (``outer``, ``inner``, ``ball``): ``line``, ``found_hz``, ``ratio``, ``at_edge``,
        ``grade`` and ``diagnosis`` (True on the family chosen).
    """
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=rpm)
    freqs, amplitude = envelope_spectrum(signal, fs=fs, band=band, squared=True)
    table = line_table(freqs, amplitude, {"BPFO": lines.bpfo, "BPFI": lines.bpfi, "2xBSF": lines.bsf_2x},
                       tol=tol)
    table = table.assign(family=["outer", "inner", "ball"]).reset_index().set_index("family")
    table["grade"] = [grade_ratio(r, thresholds, at_edge=e) for r, e in zip(table["ratio"], table["at_edge"],
                                                                            strict=True)]
    eligible = table["ratio"].where(~table["at_edge"])
    table["diagnosis"] = (eligible == eligible.max()) & eligible.notna()
    return table[["line", "found_hz", "ratio", "at_edge", "grade", "diagnosis"]]


def spectrum_peak_ratios(freqs, amplitude, *, targets: Sequence[float], tol: float = 0.02,
                         floor_tol: float = 0.1) -> np.ndarray:
    """The peak ratio of :func:`line_table` at every target of one spectrum: its null, when no line is due.

    On the envelope spectrum of a healthy bearing every search window is a place where no defect line is
    due, so these ratios are what a threshold must beat on a real (non-Gaussian, line-rich) floor.
    """
    if not len(targets):
        raise ParameterError("name at least one target")
    return np.array([peak_near(freqs, amplitude, target=t, tol=tol, floor_tol=floor_tol).ratio
                     for t in targets])


def condition_table(recordings: Mapping[str, Recording], *,
                    boundaries: tuple[float, float, float] = ISO20816_3_GROUP2["rigid"]) -> pd.DataFrame:
    """Overall condition indicators of every record: RMS, crest factor, kurtosis, velocity RMS and ISO zone.

    :func:`bearingkit.dsp.condition.condition_indicators` on the whole record, the broadband (10-1000 Hz)
    r.m.s. velocity of :func:`bearingkit.dsp.condition.velocity_rms` and its ISO 20816-3 zone
    (:func:`bearingkit.dsp.condition.iso_zone`, ``boundaries`` in mm/s).

    Returns
    -------
    pd.DataFrame
        Indexed by the keys of ``recordings``: ``file``, ``label``, ``fault_size_in``, ``load_hp``,
        ``rms_g``, ``crest_factor``, ``kurtosis``, ``velocity_mm_s`` and ``iso_zone``.
    """
    rows = {}
    for key, rec in recordings.items():
        ind = condition_indicators(rec.signal)
        velocity = velocity_rms(rec.signal, fs=rec.fs)
        rows[key] = {"file": f"{rec.extra.get('number', key)}.mat", "label": rec.label,
                     "fault_size_in": rec.fault_size, "load_hp": rec.load, "rms_g": ind["rms"],
                     "crest_factor": ind["crest_factor"], "kurtosis": ind["kurtosis"],
                     "velocity_mm_s": velocity, "iso_zone": iso_zone(velocity, boundaries)}
    return pd.DataFrame(rows).T.astype({"rms_g": float, "crest_factor": float, "kurtosis": float,
                                        "velocity_mm_s": float})


def segment_indicators(signal, *, fs: float, seconds: float = 1.0) -> pd.DataFrame:
    """Condition indicators and velocity RMS of every consecutive ``seconds``-long segment of one record.

    The spread of a healthy record's indicators from segment to segment is what a detection threshold must
    clear: a trend compares a machine with its own past, not with another machine.
    """
    x = np.asarray(signal, dtype=float)
    step = int(round(seconds * fs))
    if step < 2 or x.size < step:
        raise ParameterError(f"seconds={seconds!r} gives segments of {step} samples in a record of {x.size}")
    rows = []
    for start in range(0, x.size - step + 1, step):
        part = x[start:start + step]
        rows.append({**condition_indicators(part), "velocity_mm_s": velocity_rms(part, fs=fs)})
    return pd.DataFrame(rows).rename(columns={"rms": "rms_g"})


def stft_sk_study(signals: Mapping[str, np.ndarray], *, fs: float, frames: Sequence[int], ar_order: int
                  ) -> tuple[pd.DataFrame, dict]:
    """Spectral kurtosis from the STFT of each signal and of its AR residual, at several frame lengths.

    :func:`bearingkit.dsp.kurtogram.stft_spectral_kurtosis` of each signal, before and after
    :func:`bearingkit.dsp.whitening.ar_residual` (order ``ar_order``), for every frame length of ``frames``.

    Returns
    -------
    table : pd.DataFrame
        Indexed by (signal key, ``"raw"`` or ``"AR residual"``, frame length): ``max_sk``, ``at_hz`` (where
        the maximum lies) and ``kurtosis`` (of the whole signal, 3 for Gaussian).
    curves : dict
        ``(key, version, frame) -> (freqs, sk)`` for plotting.
    """
    rows, curves = [], {}
    for key, x in signals.items():
        versions = (("raw", np.asarray(x, dtype=float)), ("AR residual", ar_residual(x, order=ar_order)))
        for version, y in versions:
            kurt = condition_indicators(y)["kurtosis"]
            for frame in frames:
                freqs, sk = stft_spectral_kurtosis(y, fs=fs, nperseg=int(frame))
                curves[(key, version, int(frame))] = (freqs, sk)
                rows.append({"signal": key, "version": version, "frame": int(frame),
                             "max_sk": float(sk.max()), "at_hz": float(freqs[np.argmax(sk)]),
                             "kurtosis": kurt})
    return pd.DataFrame(rows).set_index(["signal", "version", "frame"]), curves


def stft_sk_figure(curves: Mapping, *, keys: Sequence[str], frames: Sequence[int], fs: float) -> plt.Figure:
    """Spectral kurtosis against frequency: one column per signal, raw (top) and AR residual (bottom).

    One curve per frame length (``fs / frame`` is its frequency resolution); SK of Gaussian noise is 0.
    """
    fig, axes = plt.subplots(2, len(keys), figsize=(2.6 * len(keys) + 1, 5.2), sharex=True, sharey="row",
                             squeeze=False)
    colours = plt.cm.viridis(np.linspace(0, 0.85, len(frames)))
    for c, key in enumerate(keys):
        for r, version in enumerate(("raw", "AR residual")):
            ax = axes[r, c]
            for colour, frame in zip(colours, frames, strict=True):
                freqs, sk = curves[(key, version, int(frame))]
                ax.plot(freqs / 1e3, sk, color=colour, lw=1.0,
                        label=f"{frame} samples ({fs / frame:,.0f} Hz)")
            ax.axhline(0.0, color="0.5", lw=0.6, ls=":")
            ax.set_title(f"{key}: {version}", fontsize=9)
        axes[1, c].set_xlabel("frequency (kHz)")
    for r in range(2):
        axes[r, 0].set_ylabel("spectral kurtosis")
    # the healthy panel (first column, top) stays near 0: the legend hides nothing there
    axes[0, 0].legend(title="STFT frame (resolution)", fontsize=7, title_fontsize=7, loc="upper right")
    fig.tight_layout()
    return fig


def condition_figure(table: pd.DataFrame, *, baseline: Mapping[str, float],
                     boundaries: tuple[float, float, float] = ISO20816_3_GROUP2["rigid"]) -> plt.Figure:
    """The indicators of :func:`condition_table`, one panel each, against the healthy baseline.

    Bars are coloured by fault location; the dashed line is ``baseline`` (the largest value of the healthy
    record's segments, :func:`segment_indicators`); the velocity panel adds the first ISO 20816-3 boundary
    (A/B) of ``boundaries``.
    """
    panels = {"rms_g": "RMS (g)", "crest_factor": "crest factor", "kurtosis": "kurtosis (3: Gaussian)",
              "velocity_mm_s": "velocity RMS 10–1000 Hz (mm/s)"}
    colours = {"normal": "0.5", "inner": "C2", "ball": "C4", "outer": "C1"}
    fig, axes = plt.subplots(1, len(panels), figsize=(11, 3.4), sharex=True)
    x = np.arange(len(table))
    for ax, (column, title) in zip(axes, panels.items(), strict=True):
        ax.bar(x, table[column], color=[colours.get(label, "0.3") for label in table["label"]])
        ax.axhline(baseline[column], color="k", ls="--", lw=1.0, label="healthy baseline (max of 1 s)")
        if column == "velocity_mm_s":
            ax.axhline(boundaries[0], color="C3", ls=":", lw=1.2, label=f"ISO A/B, {boundaries[0]:g} mm/s")
            ax.set_ylim(0, 1.15 * max(boundaries[0], float(table[column].max())))
        ax.set_title(title, fontsize=9)
        ax.set_xticks(x, [f"{key} {size:.3f}" if size else key for key, size in
                          zip(table.index, table["fault_size_in"], strict=True)], rotation=90, fontsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    axes[0].legend(handles, list(colours), fontsize=7, loc="upper left")
    axes[-1].legend(fontsize=7, loc="center right")
    fig.tight_layout()
    return fig
