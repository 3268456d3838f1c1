"""Case Western Reserve University bearing data: catalogue, loader, and the sampling rate of the normal files.

All metadata come from the data center's NUMBERING, i.e. the catalogue
``bearingkit/registry/cwru_catalogue.csv`` keyed by file number (its header names the sources); never from
file names or directory listings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from bearingkit.data._matfile import read_mat, require, scalar
from bearingkit.data.fetching import fetch
from bearingkit.errors import ParameterError
from bearingkit.recording import Recording
from bearingkit.signal import spectrum_db

#: Catalogue ``location`` code -> :data:`bearingkit.recording.LABELS` label.
LABEL_OF_LOCATION = {"normal": "normal", "IR": "inner", "B": "ball", "OR": "outer"}
SERIES = ("normal", "12k_DE", "48k_DE", "12k_FE")
CHANNELS = ("DE", "FE", "BA")


@functools.cache
def _catalogue() -> pd.DataFrame:
    source = resources.files("bearingkit").joinpath("registry", "cwru_catalogue.csv")
    with source.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, comment="#", dtype={"fault_end": "string", "note": "string"})
    table["or_position"] = table["or_position"].astype("Int64")
    table["fault_end"] = table["fault_end"].fillna("")
    table["note"] = table["note"].fillna("")
    return table.set_index("number", drop=False)


def catalogue() -> pd.DataFrame:
    """The CWRU catalogue, one row per file number (a copy: edit it freely).

    Columns: ``number, series, fault_end, location, or_position, fault_size_in, load_hp, rpm_nominal, fs,
    note``. ``series`` is ``normal``, ``12k_DE``, ``48k_DE`` or ``12k_FE`` (the data center's four tables);
    ``location`` is ``normal``, ``IR``, ``B`` or ``OR``; ``or_position`` the outer-race clock position (3, 6,
    12).
    """
    return _catalogue().copy()


def _as_set(value, name: str, valid: Iterable) -> set | None:
    if value is None:
        return None
    values = set(value) if isinstance(value, Sequence) and not isinstance(value, str) else {value}
    unknown = values - set(valid)
    if unknown:
        raise ParameterError(f"unknown {name} {sorted(unknown, key=str)}; "
                             f"valid: {sorted(set(valid), key=str)}")
    return values


def cwru_files(series: str = "12k_DE", *, location=None, size=None, load=None, or_position=None) -> list[int]:
    """File numbers of the catalogue that match every given filter.

    Parameters
    ----------
    series : str
        ``"12k_DE"``, ``"48k_DE"``, ``"12k_FE"`` or ``"normal"``. The normal baseline files (97-100) form
        their own series, as on the data center's site: add ``cwru_files("normal")`` for a healthy class.
    location : str or sequence of str, optional
        ``"IR"``, ``"B"``, ``"OR"`` (or ``"normal"``).
    size : float or sequence of float, optional
        Fault diameter in inches (0.007, 0.014, 0.021, 0.028).
    load : int or sequence of int, optional
        Motor load in HP (0-3).
    or_position : int or sequence of int, optional
        Outer-race clock position (3, 6 or 12).

    Returns
    -------
    list of int
        Sorted file numbers (``<number>.mat``).

    Examples
    --------
    >>> cwru_files("12k_DE", location="OR", size=0.007, or_position=6)
    [130, 131, 132, 133]
    """
    table = _catalogue()
    _as_set(series, "series", SERIES)
    rows = table[table["series"] == series]
    filters = {"location": (location, LABEL_OF_LOCATION),
               "fault_size_in": (size, table["fault_size_in"]),
               "load_hp": (load, table["load_hp"]),
               "or_position": (or_position, table["or_position"].dropna())}
    for column, (value, valid) in filters.items():
        wanted = _as_set(value, column, valid)
        if wanted is not None:
            rows = rows[rows[column].isin(wanted)]
    return sorted(int(n) for n in rows["number"])


def catalogue_row(number: int) -> pd.Series:
    """The catalogue row of file ``number``; ParameterError (listing valid numbers) when there is none."""
    table = _catalogue()
    if number not in table.index:
        raise ParameterError(f"no CWRU file number {number!r} in the catalogue; valid numbers: "
                             f"{', '.join(str(n) for n in table.index)}")
    return table.loc[number]


def read_cwru_mat(path, *, number: int, channel: str = "DE", variable: str | None = None) -> Recording:
    """Read one CWRU .mat file whose catalogue number is ``number`` (see :func:`load_cwru`)."""
    path = Path(path)
    row = catalogue_row(number)
    if channel not in CHANNELS:
        raise ParameterError(f"unknown CWRU channel {channel!r}; valid channels: {', '.join(CHANNELS)}")
    name = variable or f"X{number:03d}_{channel}_time"
    variables = read_mat(path, expected=name)
    signal = np.asarray(require(variables, name, path), dtype=float).ravel()
    rpm_name = f"X{number:03d}RPM"
    if rpm_name in variables:
        rpm, rpm_source = scalar(variables[rpm_name], rpm_name, path), rpm_name
    else:
        rpm, rpm_source = float(row["rpm_nominal"]), "catalogue (nominal)"
    load = int(row["load_hp"])
    return Recording(
        signal=signal,
        fs=float(row["fs"]),
        label=LABEL_OF_LOCATION[row["location"]],
        dataset="cwru",
        source=f"cwru/{number}.mat",
        rpm=rpm,
        fault_size=float(row["fault_size_in"]),
        fault_size_unit="in",
        load=float(load),
        load_unit="hp",
        sensor=(channel,),
        extra={"number": number, "series": row["series"], "fault_end": row["fault_end"],
               "location": row["location"],
               "or_position": None if pd.isna(row["or_position"]) else int(row["or_position"]),
               "condition": f"{load}hp", "variable": name, "rpm_source": rpm_source,
               "rpm_nominal": float(row["rpm_nominal"]), "fs_note": row["note"]},
    )


def load_cwru(number: int, *, channel: str = "DE", variable: str | None = None) -> Recording:
    """Load CWRU file ``<number>.mat`` as a :class:`~bearingkit.recording.Recording`.

    Label, fault size, load and sampling rate come from the catalogue (the data center's numbering); the speed
    comes from the file's own ``XnnnRPM`` when it has one (``extra["rpm_source"]`` says which).

    Parameters
    ----------
    number : int
        Data-center file number (97, 105, ..., 3008).
    channel : str
        Accelerometer: ``"DE"`` (drive end), ``"FE"`` (fan end) or ``"BA"`` (base; the normal files have
        none).
    variable : str, optional
        Read this variable instead of ``X<number>_<channel>_time``. Some files are reported to hold other
        files' variables (e.g. 99.mat also ``X098_*``); by default only the matching number is accepted.

    Returns
    -------
    Recording
        1-D signal in g. The normal baseline files (97-100) come at ``fs=48000``, the rate their content shows
        (:func:`shaft_peak_evidence`), not at the 12 kHz of the fault files beside them: resampling before
        mixing them with 12 kHz data is the caller's choice (and duty).

    Raises
    ------
    ParameterError
        Unknown file number or channel.
    DataError
        File missing, corrupt, or without the expected variable (see :func:`bearingkit.data.fetching.fetch`).
    """
    catalogue_row(number)
    return read_cwru_mat(fetch(f"cwru/{number}.mat"), number=number, channel=channel, variable=variable)


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
