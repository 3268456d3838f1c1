"""Detection and trending before diagnosis: overall condition indicators and ISO 20816-3 evaluation zones.

Before any envelope analysis, condition monitoring asks whether a machine has changed [#ra]_: it trends a
few overall numbers of each measurement against the machine's own history and alarms when they rise. For
rolling bearings the classic ones are the **RMS** (the overall level, which grows late, once a fault is
large), the **kurtosis** (3 for Gaussian vibration, large when a few impacts dominate; it rises early, at the
first spalls, and can fall again as the damage spreads) and the **crest factor** (peak over RMS, about 3-4
for Gaussian vibration). The broadband velocity RMS, 10-1000 Hz, is what ISO 20816-3 judges a machine's
overall vibration by, in four zones [#iso]_: A (newly commissioned), B (acceptable for unrestricted long-term
operation), C (not acceptable for long-term operation) and D (severe enough to cause damage).

References
----------
.. [#ra] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. Mechanical
   Systems and Signal Processing 25(2), 485-520.
.. [#iso] ISO 20816-3:2022. Mechanical vibration - Measurement and evaluation of machine vibration - Part 3:
   Industrial machinery with a power rating above 15 kW and operating speeds between 120 r/min and
   30 000 r/min. Annex A, evaluation zone boundaries of broadband r.m.s. velocity.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.checks import check_signal
from bearingkit.errors import ParameterError
from bearingkit.recording import Recording

__all__ = ["ISO20816_3_GROUP2", "STANDARD_GRAVITY", "ZONES", "condition_indicators", "condition_table",
           "iso_zone", "segment_indicators", "velocity_rms"]

#: Standard gravity, m/s^2: CWRU's accelerometers record in g.
STANDARD_GRAVITY = 9.80665

#: ISO 20816-3 zone boundaries A/B, B/C, C/D of broadband r.m.s. velocity (mm/s), for machine group 2
#: (15-300 kW, or electrical machines with shaft heights of 160-315 mm) [#iso]_, by foundation.
ISO20816_3_GROUP2: Mapping[str, tuple[float, float, float]] = MappingProxyType({
    "rigid": (1.4, 2.8, 4.5),
    "flexible": (2.3, 4.5, 7.1),
})

#: The zones, from the best to the worst.
ZONES = ("A", "B", "C", "D")


def condition_indicators(x) -> dict[str, float]:
    """RMS, peak, crest factor and kurtosis of one signal (its mean removed first).

    ``kurtosis = mean(x**4) / mean(x**2)**2`` (3 for Gaussian vibration, not the excess kurtosis) and
    ``crest_factor = max|x| / RMS`` [#ra]_.

    Parameters
    ----------
    x : array_like [shape=(n,)]

    Returns
    -------
    dict
        ``rms``, ``peak``, ``crest_factor`` and ``kurtosis``, in the unit of ``x`` where they have one.

    Examples
    --------
    >>> t = np.arange(10_000) / 10_000
    >>> ind = condition_indicators(np.sin(2 * np.pi * 50 * t))
    >>> round(ind["rms"], 4), round(ind["crest_factor"], 3), round(ind["kurtosis"], 3)
    (0.7071, 1.414, 1.5)
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
        raise ParameterError(f"condition_indicators takes one finite 1-D signal, got shape {x.shape}")
    x = x - x.mean()
    power = float(np.mean(x**2))
    if power == 0:
        raise ParameterError("the signal is constant: no indicator is defined")
    rms = np.sqrt(power)
    peak = float(np.max(np.abs(x)))
    return {"rms": float(rms), "peak": peak, "crest_factor": peak / float(rms),
            "kurtosis": float(np.mean(x**4) / power**2)}


def velocity_rms(acceleration, *, fs: float, band: tuple[float, float] = (10.0, 1_000.0),
                 scale: float = STANDARD_GRAVITY * 1e3) -> float:
    """Broadband r.m.s. velocity in ``band`` from an acceleration signal, by integration in frequency.

    The acceleration spectrum is divided by ``j 2 pi f`` inside ``band`` and set to zero outside it (a
    brick-wall band-pass), and Parseval gives the r.m.s. of the velocity. ISO 20816-3 evaluates the
    10-1000 Hz band for machines above 600 r/min [#iso]_.

    Parameters
    ----------
    acceleration : array_like [shape=(n,)]
    fs : float > 0
        Sampling rate, Hz.
    band : (float, float)
        Integration band, Hz, ``0 < low < high <= fs / 2``.
    scale : float
        Factor from the acceleration's unit to mm/s^2: ``9806.65`` for g (the default), ``1e3`` for m/s^2.

    Returns
    -------
    float
        r.m.s. velocity, mm/s.

    Examples
    --------
    >>> fs = 10_000.0
    >>> t = np.arange(int(10 * fs)) / fs
    >>> a = 2 * np.pi * 100 * np.cos(2 * np.pi * 100 * t)   # v = sin(2 pi 100 t) mm/s, in mm/s^2
    >>> round(velocity_rms(a, fs=fs, scale=1.0), 4)
    0.7071
    """
    x = check_signal(acceleration, fs=fs)
    if x.ndim != 1:
        raise ParameterError(f"velocity_rms takes one 1-D signal, got shape {x.shape}")
    low, high = (float(b) for b in band)
    if not 0 < low < high <= fs / 2:
        raise ParameterError(f"band must satisfy 0 < low < high <= fs/2 = {fs / 2:g}, got {band!r}")
    n = x.size
    spectrum = np.fft.rfft((x - x.mean()) * scale)
    freqs = np.fft.rfftfreq(n, d=1.0 / fs)
    inside = (freqs >= low) & (freqs <= high)
    velocity = np.zeros_like(spectrum)
    velocity[inside] = spectrum[inside] / (2j * np.pi * freqs[inside])
    # one-sided Parseval: every bin but DC and Nyquist stands for two
    weights = np.full(freqs.size, 2.0)
    weights[0] = 1.0
    if n % 2 == 0:
        weights[-1] = 1.0
    return float(np.sqrt(np.sum(weights * np.abs(velocity) ** 2)) / n)


def iso_zone(velocity_mm_s: float,
             boundaries: tuple[float, float, float] = ISO20816_3_GROUP2["rigid"]) -> str:
    """The ISO 20816-3 evaluation zone (``"A"`` to ``"D"``) of a broadband r.m.s. velocity [#iso]_.

    Parameters
    ----------
    velocity_mm_s : float >= 0
    boundaries : (float, float, float)
        The A/B, B/C and C/D boundaries in mm/s (:data:`ISO20816_3_GROUP2`); a value on a boundary belongs
        to the worse zone.

    Examples
    --------
    >>> iso_zone(0.9), iso_zone(1.4), iso_zone(3.0), iso_zone(12.0)
    ('A', 'B', 'C', 'D')
    """
    bounds = tuple(float(b) for b in boundaries)
    if len(bounds) != 3 or not 0 < bounds[0] < bounds[1] < bounds[2]:
        raise ParameterError(f"boundaries must be three increasing positive values, got {boundaries!r}")
    if not (np.isfinite(velocity_mm_s) and velocity_mm_s >= 0):
        raise ParameterError(f"velocity must be a non-negative number, got {velocity_mm_s!r}")
    return ZONES[int(np.searchsorted(bounds, velocity_mm_s, side="right"))]


def condition_table(recordings: Mapping[str, Recording], *,
                    boundaries: tuple[float, float, float] = ISO20816_3_GROUP2["rigid"]) -> pd.DataFrame:
    """Overall condition indicators of every record: RMS, crest factor, kurtosis, velocity RMS and ISO zone.

    :func:`condition_indicators` on the whole record, the broadband (10-1000 Hz)
    r.m.s. velocity of :func:`velocity_rms` and its ISO 20816-3 zone
    (:func:`iso_zone`, ``boundaries`` in mm/s).

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
