"""Spectral lines: find the line near each expected frequency, and judge its height against noise.

A line is searched where the physics puts it (:func:`harmonic_lines` names the harmonics of a family), as the
largest bin within a relative window (slip moves defect lines 1-2 %, Randall & Antoni 2011 [1]_); its
*peak ratio* is its height over the median of a wider window (:func:`line_table`). How tall must a line be?
Even in pure noise the largest of the bins searched stands above the median, and a wider search finds a
taller maximum. So a threshold comes from noise pushed through the same pipeline
(:func:`noise_peak_ratios`, or a healthy record's spectrum, :func:`spectrum_peak_ratios`), its
false-alarm rate from the share of those searches that reach it (:func:`ratio_threshold`,
:func:`false_alarm_rate`), and a line gets a grade (:func:`grade_ratio`).

The shaft lines give the clock of a record: its own shaft rate (:func:`measured_shaft_rate`), whether a
sampling rate puts the shaft harmonics in place (:func:`shaft_harmonic_peaks`,
:func:`harmonic_family_evidence`, the test of Smith & Randall 2015 [2]_ on CWRU's 97.mat) and whether a
defect line can be told from the nearest shaft harmonic at all (:func:`harmonic_separation`).

References
----------
.. [1] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
.. [2] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
   Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.dsp.spectral import envelope_spectrum, peak_near, spectrum_db
from bearingkit.errors import ParameterError

__all__ = [
    "GRADE_FALSE_ALARMS",
    "false_alarm_rate",
    "grade_lines",
    "grade_ratio",
    "harmonic_family_counts",
    "harmonic_family_evidence",
    "harmonic_lines",
    "harmonic_separation",
    "line_table",
    "measured_shaft_rate",
    "noise_peak_ratios",
    "ratio_threshold",
    "shaft_harmonic_peaks",
    "spectrum_peak_ratios",
]

#: Grades of a line by its peak ratio, with Smith & Randall's (2015) letters Y / P / N but a definition
#: of our own: above the 1 % false-alarm threshold of noise (Y), above the 10 % one (P), below (N). Smith &
#: Randall grade whether a record is *diagnosable*; these grades only say that a line stands above noise.
GRADE_FALSE_ALARMS: Mapping[str, float] = MappingProxyType({"Y": 0.01, "P": 0.10})


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
    return {_harmonic_name(name, k): float(k * hz) for name, hz in fundamentals.items() for k in harmonics}


def _harmonic_name(name: str, k: int) -> str:
    if k == 1:
        return name
    return f"{k}x({name})" if name[:1].isdigit() else f"{k}x{name}"


def line_table(freqs, amplitude, lines: Mapping[str, float], *, tol: float = 0.02,
               floor_tol: float = 0.1, centre_tol: float | None = None) -> pd.DataFrame:
    """The spectral line found near each expected line, with its offset and its height above the floor.

    The largest bin of the ``+-tol`` window is always found, line or not. A maximum further than
    ``centre_tol`` from its target (the outer half of the window by default) is flagged ``at_edge``: it is
    the flank of, or a neighbour to, something else, not the line searched, and :func:`grade_ratio` grades it
    N whatever its height.

    Parameters
    ----------
    freqs, amplitude : array_like [shape=(n_freq,)]
        A one-sided spectrum (e.g. :func:`bearingkit.dsp.spectral.envelope_spectrum` of one channel).
    lines : Mapping[str, float]
        Expected lines in Hz, keyed by name (e.g. from :func:`harmonic_lines`).
    tol, floor_tol : float
        Search and floor half-widths relative to each line, as in :func:`bearingkit.dsp.spectral.peak_near`.
    centre_tol : float, optional
        Largest relative offset of a maximum that counts as the line searched; ``tol / 2`` when omitted.

    Returns
    -------
    pd.DataFrame
        Indexed by line name: ``expected_hz``, ``found_hz``, ``rel_error`` (found / expected - 1),
        ``amplitude``, ``floor`` (median over the floor window), ``ratio`` (amplitude / floor) and
        ``at_edge`` (``|rel_error| > centre_tol``).

    Raises
    ------
    ParameterError
        No line named, or ``centre_tol`` outside ``(0, tol]``.
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


def spectrum_peak_ratios(freqs, amplitude, *, targets: Sequence[float], tol: float = 0.02,
                         floor_tol: float = 0.1) -> np.ndarray:
    """The peak ratio of :func:`line_table` at every target of one spectrum: its null, when no line is due.

    On the envelope spectrum of a healthy bearing every search window is a place where no defect line is
    due, so these ratios are what a threshold must beat on a real (non-Gaussian, line-rich) floor.

    Examples
    --------
    >>> f = np.linspace(0, 500, 5001)
    >>> a = np.ones_like(f)
    >>> a[1200] = 20.0                                   # a line at 120 Hz
    >>> spectrum_peak_ratios(f, a, targets=[120.0, 300.0]).tolist()
    [20.0, 1.0]
    """
    if not len(targets):
        raise ParameterError("name at least one target")
    return np.array([peak_near(freqs, amplitude, target=t, tol=tol, floor_tol=floor_tol).ratio
                     for t in targets])


def noise_peak_ratios(*, n_samples: int, fs: float, band: tuple[float, float], targets: Sequence[float],
                      tol: float = 0.02, floor_tol: float = 0.1, n_trials: int = 10, seed: int = 0
                      ) -> np.ndarray:
    """The peak ratio :func:`line_table` reports when there is no line: Gaussian noise, same pipeline.

    ``n_trials`` records of white Gaussian noise of ``n_samples`` go through the same squared-envelope
    spectrum (``band``) and the same search (the largest bin within ``tol`` of each target over the median
    within ``floor_tol``). The largest of the ``2 tol target / bin_width`` bins searched is what a threshold
    on the ratio must beat: these ratios give its false-alarm rate.

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
    """The peak ratio that noise alone exceeds with probability ``false_alarm`` (its upper quantile).

    Examples
    --------
    >>> ratio_threshold(np.arange(1, 101), false_alarm=0.1)
    90.1
    """
    if not 0 < false_alarm < 1:
        raise ParameterError(f"false_alarm must lie in (0, 1), got {false_alarm!r}")
    return float(np.quantile(np.asarray(noise_ratios), 1 - false_alarm))


def false_alarm_rate(noise_ratios, threshold: float) -> float:
    """Share of the noise-only searches whose ratio reaches ``threshold``.

    Examples
    --------
    >>> false_alarm_rate([1.0, 2.0, 3.0, 4.0], 3.0)
    0.5
    """
    return float(np.mean(np.asarray(noise_ratios) >= threshold))


def grade_ratio(ratio: float, thresholds: Mapping[str, float], *, at_edge: bool = False) -> str:
    """``"Y"``, ``"P"`` or ``"N"``: the first grade of :data:`GRADE_FALSE_ALARMS` whose threshold ``ratio``
    reaches (``thresholds`` maps each grade to its ratio threshold); ``"N"`` for a maximum ``at_edge`` of its
    search window (:func:`line_table`), which is not the line searched.

    The letters are Smith & Randall's (2015); the definition is ours: a grade says that the window's
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


def grade_lines(table: pd.DataFrame, thresholds: Mapping[str, float]) -> pd.Series:
    """:func:`grade_ratio` of every line of a :func:`line_table` (its ``ratio`` and ``at_edge`` columns)."""
    grades = [grade_ratio(ratio, thresholds, at_edge=edge)
              for ratio, edge in zip(table["ratio"], table["at_edge"], strict=True)]
    return pd.Series(grades, index=table.index, name="grade", dtype=object)


def shaft_harmonic_peaks(signal, *, rpm: float, fs: float, harmonics: Iterable[int] = (1, 2, 3),
                         search_hz: float = 1.5, pad: int = 8) -> pd.DataFrame:
    """The strongest line near each shaft harmonic ``k rpm / 60`` of ``signal`` read at ``fs``; its offset.

    The line is searched within ``search_hz`` of the harmonic in the zero-padded spectrum of
    :func:`bearingkit.dsp.spectral.spectrum_db`; its offset is given in Hz and in frequency bins (``fs / N``).
    Read at its true rate, a motor's shaft lines sit within a bin of ``k rpm / 60``; read at a wrong rate,
    the lines found near them are others, several bins off (Smith & Randall 2015).

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


def measured_shaft_rate(signal, *, fs: float, rpm: float, harmonics: Iterable[int] = (1, 2, 3),
                        tol: float = 0.005, pad: int = 8) -> float:
    """The shaft rate a record's own spectrum shows: the median of ``peak_k / k`` over shaft harmonics ``k``.

    A header's speed may be an integer rpm typed by hand; the shaft line itself is in the signal. Each
    harmonic's peak is the strongest bin of the zero-padded spectrum
    (:func:`bearingkit.dsp.spectral.spectrum_db`) within ``tol`` of ``k rpm / 60``; the median over
    ``harmonics`` resists one harmonic that a neighbour (a mains line) outshines.

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
    """Lines at every ``j / subdivision`` multiple of the shaft rate of ``signal`` read at ``fs``.

    Read at a rate ``subdivision`` times too low, the true ``subdivision * k``-th shaft harmonic lands on
    ``k rpm / 60``, so the shaft harmonics are "in place" at both readings; what differs is the family's
    fundamental. At the wrong reading the true 1st, 2nd, 3rd ... harmonics sit at the fractional multiples
    ``j / subdivision`` (a shaft turning at a fraction of its tachometer's speed); at the right one nothing
    physical sits there (Smith & Randall 2015 decided CWRU 97.mat's rate from its content).

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

    Returns
    -------
    pd.DataFrame
        Indexed by ``fs``: ``harmonics_in_place``, ``harmonics``, ``fractional_in_place``, ``fractional``.
    """
    return pd.DataFrame([{"fs": fs, "harmonics_in_place": int(table.loc[table["integer"], "in_place"].sum()),
                          "harmonics": int(table["integer"].sum()),
                          "fractional_in_place": int(table.loc[~table["integer"], "in_place"].sum()),
                          "fractional": int((~table["integer"]).sum())}
                         for fs, table in evidence.items()]).set_index("fs")


def harmonic_separation(multiple: float, *, shaft_hz: float, duration_s: float,
                        resolvable_bins: float = 2.0) -> dict[str, float]:
    """How far a line at ``multiple x shaft`` lies from the nearest shaft harmonic, in Hz and in bins.

    Two lines closer than about two bins (``1 / duration_s`` each) of a Hann-windowed spectrum merge into
    one: such a defect line cannot be told from the shaft harmonic by frequency alone.

    Returns
    -------
    dict
        ``harmonic`` (the nearest, at least 1), ``gap_hz``, ``bin_hz``, ``gap_bins`` and ``separable``
        (``gap_bins >= resolvable_bins``).

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
