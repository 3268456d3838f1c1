"""Helpers of the primer notebook (00): profiles, defect-line tables, the kurtogram's band, and split scores.

Each is a small step the primer shows more than once: find the envelope-spectrum line nearest every expected
defect frequency (:func:`line_table`), turn the fast kurtogram's best band into a demodulation band
(:func:`kurtogram_band`), and score one classifier under several train/test splits of the same windows
(:func:`split_accuracies`), the leakage demonstration of Hendriks et al. (2022) [1]_.

References
----------
.. [1] Hendriks, J., Dumond, P. & Knox, D. A. (2022). Towards better benchmarking using the CWRU bearing fault
   dataset. *Mech. Syst. Signal Process.* 169, 108732.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from bearingkit.dsp.kurtogram import Kurtogram
from bearingkit.dsp.spectral import default_band, peak_near
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits

#: The primer's run profiles: ``quick`` finishes in CI on 2 CPU cores; ``full`` uses the rigs' own acquisition
#: lengths, more trees and repeated random splits.
PROFILES: Mapping[str, Mapping[str, object]] = {
    "quick": {"sim_duration": 4.0, "n_estimators": 100, "repeats": 1},
    "full": {"sim_duration": None, "n_estimators": 300, "repeats": 5},
}

#: The train/test splits :func:`split_accuracies` knows, from the most to the least leaky.
SCHEMES = ("random", "contiguous", "load", "fault_size")


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
               floor_tol: float = 0.1) -> pd.DataFrame:
    """The spectral line found near each expected line, with its offset and its height above the floor.

    Parameters
    ----------
    freqs, amplitude : array_like [shape=(n_freq,)]
        A one-sided spectrum (e.g. :func:`bearingkit.dsp.spectral.envelope_spectrum` of one channel).
    lines : Mapping[str, float]
        Expected lines in Hz, keyed by name (e.g. from :func:`harmonic_lines`).
    tol, floor_tol : float
        Search and floor half-widths relative to each line, as in :func:`bearingkit.dsp.spectral.peak_near`.

    Returns
    -------
    pd.DataFrame
        Indexed by line name: ``expected_hz``, ``found_hz``, ``rel_error`` (found / expected - 1),
        ``amplitude``, ``floor`` (median over the floor window) and ``ratio`` (amplitude / floor).
    """
    rows = []
    for name, target in lines.items():
        peak = peak_near(freqs, amplitude, target=target, tol=tol, floor_tol=floor_tol)
        rows.append({"line": name, "expected_hz": float(target), "found_hz": peak.frequency,
                     "rel_error": peak.frequency / target - 1.0, "amplitude": peak.amplitude,
                     "floor": peak.floor, "ratio": peak.ratio})
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
        Master seed of the random and contiguous splits; repeat ``r`` uses the ``r``-th child of
        ``numpy.random.SeedSequence(seed)``.
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
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(int(repeats))]
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
