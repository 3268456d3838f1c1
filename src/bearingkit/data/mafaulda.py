"""MAFAULDA (Machinery Fault Database, SMT/COPPE/UFRJ): reader of its CSV files.

Each CSV file holds 8 comma-separated columns without a header: tachometer; underhang accelerometer axial,
radial, tangential; overhang accelerometer axial, radial, tangential; microphone. The data set's page gives
50 kHz and 5 s (250000 rows) per file and names each file by its rotation frequency in Hz (``14.1312.csv``).
Its NI 9234 acquisition modules run at 51.2 kHz, and one public analysis reports that 51.2 kHz fits the
file-name rotation frequencies better: ``fs`` is therefore a parameter (default 50 kHz, as documented).
No MAFAULDA file is mirrored; the registry lists the archives (unpinned).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bearingkit.errors import DataError, ParameterError, UnknownNameError
from bearingkit.recording import Recording

__all__ = ["ACCELEROMETERS", "COLUMNS", "FS", "read_mafaulda_csv"]

COLUMNS = ("tachometer", "underhang_axial", "underhang_radial", "underhang_tangential",
           "overhang_axial", "overhang_radial", "overhang_tangential", "microphone")
ACCELEROMETERS = COLUMNS[1:7]
FS = 50_000.0


def _rotation_from_name(path: Path) -> float:
    try:
        value = float(path.stem)
    except ValueError:
        raise ParameterError(f"{path.name}: the file name is not a rotation frequency in Hz (MAFAULDA names "
                             f"files like '14.1312.csv'); pass rotation_hz=") from None
    if not (np.isfinite(value) and value > 0):
        raise ParameterError(f"{path.name}: the rotation frequency in the file name must be positive, "
                             f"got {value}")
    return value


def read_mafaulda_csv(path, *, label: str, channels: str | tuple[str, ...] = ACCELEROMETERS, fs: float = FS,
                      rotation_hz: float | None = None, bearing: str | None = None,
                      added_mass_g: float | None = None, source: str | None = None) -> Recording:
    """Read one MAFAULDA CSV file as a :class:`~bearingkit.recording.Recording`.

    Parameters
    ----------
    path : path-like
        The CSV file (8 numeric columns, no header).
    label : str
        Health state of the recording, from the caller's table of the archive (``"normal"``, ``"ball"``,
        ``"cage"``, ``"outer"``); the reader does not guess it from the path.
    channels : str or tuple of str
        Columns to keep, by name (see :data:`COLUMNS`); a single name gives a 1-D signal.
        Default: the six accelerometer axes.
    fs : float > 0
        Sampling rate in Hz (documented 50000; see the module note on 51200).
    rotation_hz : float > 0, optional
        Shaft rotation frequency; default: the number the file is named by.
    bearing : str, optional
        ``"underhang"`` or ``"overhang"`` for bearing-fault files.
    added_mass_g : float, optional
        Imbalance mass added to make the bearing fault visible (0, 6, 20, 35 g), stored as ``fault_size``.
    source : str, optional
        Identifier of the recording (default: the path as given).

    Returns
    -------
    Recording
        Signal of shape (channel, time), or (time,) for a single channel name; ``rpm`` = 60 x rotation.

    Raises
    ------
    ParameterError
        Unknown channel or bearing position, or no rotation frequency.
    DataError
        The file is not an 8-column numeric CSV.
    """
    path = Path(path)
    names = (channels,) if isinstance(channels, str) else tuple(channels)
    unknown = [c for c in names if c not in COLUMNS]
    if unknown or not names:
        raise UnknownNameError(f"unknown MAFAULDA channel(s) {unknown or names}; valid: {', '.join(COLUMNS)}")
    if bearing not in (None, "underhang", "overhang"):
        raise ParameterError(f"bearing must be 'underhang', 'overhang' or None, got {bearing!r}")
    rotation = _rotation_from_name(path) if rotation_hz is None else float(rotation_hz)
    try:
        table = pd.read_csv(path, header=None, dtype=float)
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path.name}: expected a numeric CSV with {len(COLUMNS)} columns "
                        f"({', '.join(COLUMNS)}): {exc}") from exc
    if table.shape[1] != len(COLUMNS):
        raise DataError(f"{path.name}: expected {len(COLUMNS)} columns ({', '.join(COLUMNS)}), "
                        f"got {table.shape[1]}")
    table.columns = list(COLUMNS)
    signal = table[list(names)].to_numpy().T
    return Recording(signal=signal[0] if isinstance(channels, str) else signal, fs=fs, label=label,
                     dataset="mafaulda", source=source or str(path), rpm=60.0 * rotation,
                     fault_size=added_mass_g, fault_size_unit="g", sensor=names,
                     extra={"rotation_hz": rotation, "bearing": bearing, "condition": f"{rotation:g}Hz"})
