"""Which sampling rate a recording was taken at, decided from its own spectrum.

A motor's vibration carries lines at the shaft frequency ``rpm / 60`` and its harmonics, and electrical lines
at multiples of the mains frequency. Read at the wrong rate, every line moves by the ratio of the rates; the
candidate rate whose shaft-harmonic family falls in place is the recording's rate. CWRU's 97.mat is the case
in point (Smith & Randall 2015): :func:`shaft_peak_evidence` finds its rate, :func:`at_rate` brings it to the
rate of the 12 kHz fault files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd

from bearingkit.dsp.spectral import resample, spectrum_db
from bearingkit.errors import ParameterError
from bearingkit.recording import Recording

__all__ = ["at_rate", "shaft_peak_evidence"]


def _line_near(freq: np.ndarray, level: np.ndarray, target: float, search: float, context: float):
    """Highest local maximum within ``target +- search``; its height above the median level of ``+- context``.

    Returns ``(nan, -inf)`` when the band holds no local maximum (only the skirt of a line outside it).
    """
    band = np.flatnonzero(np.abs(freq - target) <= search)
    band = band[(band > 0) & (band < level.size - 1)]
    peaks = band[(level[band] >= level[band - 1]) & (level[band] >= level[band + 1])]
    if peaks.size == 0:
        return float("nan"), float("-inf")
    peak = peaks[np.argmax(level[peaks])]
    around = np.abs(freq - target) <= context
    return float(freq[peak]), float(level[peak] - np.median(level[around]))


def shaft_peak_evidence(signal, rpm: float, *, candidate_fs: Sequence[float] = (12_000, 48_000),
                        harmonics: Sequence[int] = (1, 2, 3), mains_hz: float = 60.0, n_mains: int = 8,
                        min_prominence_db: float = 10.0, pad: int = 8) -> pd.DataFrame:
    """Which sampling rate makes the spectrum of ``signal`` agree with its shaft speed?

    Read at the right rate, a motor's vibration shows a line at the shaft frequency ``rpm / 60`` and at its
    first harmonics, each within half a frequency bin (plus the rounding of an integer rpm) of
    ``k * rpm / 60``, and electrical lines at multiples of the mains frequency. Read at a rate ``r`` times
    too low, every line moves down by ``r``: the true shaft line lands at ``rpm / (60 r)`` and the lines that
    now sit near ``k * rpm / 60`` are harmonics ``r k`` or mains lines that miss ``k * rpm / 60`` by more than
    the tolerance. The candidate rate whose line family matches the most harmonics wins (ties: the smaller
    offset of the shaft line, in bins) [#]_.

    On CWRU 97.mat (``X097_DE_time``, ``X097RPM`` = 1796) this gives 48 kHz: the shaft line sits at
    29.94 Hz (1796/60 = 29.93 Hz) with its 2nd and 3rd harmonics, and the strong lines that a 12 kHz reading
    puts at 60.00 Hz and 90.00 Hz (not at 2 and 3 x 29.93 Hz) are the 240 Hz and 360 Hz mains harmonics.
    Every 12 kHz fault file in the mirror comes out at 12 kHz.

    .. [#] W. A. Smith and R. B. Randall, Rolling element bearing diagnostics using the Case Western Reserve
       University data: a benchmark study, Mech. Syst. Signal Process. 64-65 (2015) 100-131.

    Parameters
    ----------
    signal : np.ndarray [shape=(time,)]
        One accelerometer channel, several seconds long.
    rpm : float > 0
        Shaft speed recorded with the signal (CWRU: ``XnnnRPM``).
    candidate_fs : sequence of float > 0
        Sampling rates to weigh, in Hz.
    harmonics : sequence of int >= 1
        Shaft harmonics tested (``1`` is the shaft line itself).
    mains_hz : float > 0
        Mains frequency (60 Hz in the USA).
    n_mains : int >= 1
        Mains harmonics reported, ``mains_hz * (1 .. n_mains)``.
    min_prominence_db : float
        Height above the local median level, in dB, for a line to count.
    pad : int >= 1
        Zero-padding factor of the FFT (finer peak location).

    Returns
    -------
    pd.DataFrame
        One row per candidate rate: ``fs``, ``duration_s``, ``bin_hz`` (1 / duration), ``shaft_hz``
        (rpm / 60), ``shaft_line_hz`` (strongest line within 2 % of it), ``shaft_offset_hz``,
        ``shaft_prominence_db``, ``harmonics_found`` (of ``harmonics``), ``mains_lines_hz`` (tuple of the
        mains harmonics present), ``most_likely`` (bool; all False when no candidate shows a single
        harmonic).
    """
    x = np.asarray(signal, dtype=float).ravel()
    if not (np.isfinite(rpm) and rpm > 0):
        raise ParameterError(f"rpm must be a positive number, got {rpm!r}")
    if x.size < 16 or not np.all(np.isfinite(x)):
        raise ParameterError("signal must be a finite 1-D array of at least 16 samples")
    freq, level = spectrum_db(x, fs=1.0, pad=pad)
    shaft = rpm / 60.0
    rows = []
    for fs in candidate_fs:
        hz = freq * fs
        bin_hz = fs / x.size
        line, prominence = _line_near(hz, level, shaft, 0.02 * shaft, 0.3 * shaft)
        found = 0
        for k in harmonics:
            peak, height = _line_near(hz, level, k * shaft, 0.02 * k * shaft, 0.3 * shaft)
            tolerance = 0.5 * bin_hz + k * 0.5 / 60.0  # half a bin + the rounding of an integer rpm
            found += bool(height >= min_prominence_db and abs(peak - k * shaft) <= tolerance)
        mains = []
        for m in range(1, n_mains + 1):
            tolerance = 0.5 * bin_hz + 0.01 * m
            peak, height = _line_near(hz, level, m * mains_hz, tolerance, 0.3 * shaft)
            if height >= min_prominence_db:
                mains.append(m * mains_hz)
        rows.append({"fs": float(fs), "duration_s": x.size / fs, "bin_hz": bin_hz, "shaft_hz": shaft,
                     "shaft_line_hz": line, "shaft_offset_hz": line - shaft,
                     "shaft_prominence_db": prominence, "harmonics_found": found,
                     "mains_lines_hz": tuple(mains)})
    table = pd.DataFrame(rows)
    ranking = table.assign(_offset_bins=(table["shaft_offset_hz"] / table["bin_hz"]).abs()).sort_values(
        ["harmonics_found", "_offset_bins"], ascending=[False, True])
    best = ranking.index[0]
    table["most_likely"] = (table.index == best) & (table.loc[best, "harmonics_found"] > 0)
    return table


def at_rate(recording: Recording, fs: float) -> Recording:
    """``recording`` at the sampling rate ``fs``: resampled (polyphase, anti-aliased) from any other rate.

    Every channel goes through :func:`bearingkit.dsp.spectral.resample` (a Kaiser-windowed FIR filter removes
    the content above ``min(recording.fs, fs) / 2``, then the rational rate change). The copy keeps every
    field but the signal and the rate, and records in ``extra["resampled_from_hz"]`` the rate the samples were
    taken at (a recording resampled twice keeps its first, original rate there). A recording already at
    ``fs`` is returned as it is. CWRU's 97.mat, sampled at 48 kHz, must be brought to 12 kHz this way before
    it is mixed with the 12 kHz fault files (Smith & Randall 2015, Sect. 3 [#]_).

    .. [#] W. A. Smith and R. B. Randall, Rolling element bearing diagnostics using the Case Western Reserve
       University data: a benchmark study, Mech. Syst. Signal Process. 64-65 (2015) 100-131.

    Parameters
    ----------
    recording : Recording
        1-D or ``(channel, time)``.
    fs : float > 0
        Wanted sampling rate in Hz.

    Returns
    -------
    Recording
        ``recording`` itself when ``recording.fs == fs``, else a copy with ``ceil(n_samples * up / down)``
        samples per channel (:func:`bearingkit.dsp.spectral.resample_factors`).

    Raises
    ------
    ParameterError
        ``fs`` is not a positive finite number, or the two rates have no rational ratio with small factors.

    Examples
    --------
    >>> rec = Recording(np.zeros(4_800), fs=48_000.0, label="normal", dataset="cwru", source="demo")
    >>> low = at_rate(rec, 12_000.0)
    >>> low.fs, low.signal.size, low.extra["resampled_from_hz"]
    (12000.0, 1200, 48000.0)
    >>> at_rate(low, 12_000.0) is low
    True
    """
    if isinstance(fs, bool) or not (isinstance(fs, Real) and np.isfinite(fs) and fs > 0):
        raise ParameterError(f"{recording.source}: fs must be a positive sampling rate in Hz, got {fs!r}")
    if recording.fs == fs:
        return recording
    original = recording.extra.get("resampled_from_hz", recording.fs)
    return dataclasses.replace(recording, signal=resample(recording.signal, fs_in=recording.fs, fs_out=fs),
                               fs=float(fs), extra={**recording.extra, "resampled_from_hz": original})
