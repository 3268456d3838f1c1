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
from bearingkit.errors import UnknownNameError
from bearingkit.recording import Recording

__all__ = ["CHANNELS", "LABEL_OF_LOCATION", "SERIES", "catalogue", "catalogue_row", "cwru_files", "load_cwru",
           "read_cwru_mat"]

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
        raise UnknownNameError(f"unknown {name} {sorted(unknown, key=str)}; "
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
    """The catalogue row of file ``number``; UnknownNameError (listing valid numbers) when there is none."""
    table = _catalogue()
    if number not in table.index:
        raise UnknownNameError(f"no CWRU file number {number!r} in the catalogue; valid numbers: "
                             f"{', '.join(str(n) for n in table.index)}")
    return table.loc[number]


def read_cwru_mat(path, *, number: int, channel: str = "DE", variable: str | None = None) -> Recording:
    """Read one CWRU .mat file whose catalogue number is ``number`` (see :func:`load_cwru`)."""
    path = Path(path)
    row = catalogue_row(number)
    if channel not in CHANNELS:
        raise UnknownNameError(f"unknown CWRU channel {channel!r}; valid channels: {', '.join(CHANNELS)}")
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
        1-D signal in g. The normal baseline files (97-100) come at ``fs=48000``, the rate 97.mat's content
        shows (:func:`bearingkit.dsp.sampling_rate.shaft_peak_evidence`; 98-100 are assumed alike, unchecked:
        see their catalogue notes), not at the 12 kHz of the fault files beside them: resampling before
        mixing them with 12 kHz data is the caller's choice (and duty).

    Raises
    ------
    UnknownNameError
        Unknown file number or channel (a :class:`~bearingkit.errors.ParameterError` and a :class:`KeyError`).
    DataError
        File missing, corrupt, or without the expected variable (see :func:`bearingkit.data.fetching.fetch`).
    """
    catalogue_row(number)
    return read_cwru_mat(fetch(f"cwru/{number}.mat"), number=number, channel=channel, variable=variable)
