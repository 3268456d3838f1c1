"""MFPT bearing fault data (Society for Machinery Failure Prevention Technology), MathWorks' copy.

Each file holds a struct ``bearing`` with ``sr`` (sampling rate, Hz), ``rate`` (shaft rate, Hz), ``load``
(lbs, stored as text) and ``gs`` (acceleration, g), plus the fault frequencies ``FTF``, ``BPFO``, ``BPFI``,
``BSF`` (Hz) that the data set's authors computed for the 25 Hz shaft.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bearingkit.data._matfile import read_mat, require, scalar
from bearingkit.data.fetching import fetch
from bearingkit.data.registry import entries
from bearingkit.errors import DataError, UnknownNameError
from bearingkit.recording import Recording

__all__ = ["FAULT_FREQUENCIES", "FILES", "load_mfpt", "read_mfpt_mat"]

#: File -> (health state, load in lbs), from the data set's folder tables ("Seven Inner Race Fault
#: Conditions", "Seven More Outer Race Fault Conditions"), not parsed from the names. The loader checks the
#: file's own load against it.
FILES = {
    **{f"InnerRaceFault_vload_{i}.mat": ("inner", load)
       for i, load in enumerate((0, 50, 100, 150, 200, 250, 300), start=1)},
    **{f"OuterRaceFault_vload_{i}.mat": ("outer", load)
       for i, load in enumerate((25, 50, 100, 150, 200, 250, 300), start=1)},
}
FAULT_FREQUENCIES = ("FTF", "BPFO", "BPFI", "BSF")


def _field(struct: np.ndarray, name: str, path: Path) -> np.ndarray:
    if struct.dtype.names is None or name not in struct.dtype.names or struct.size != 1:
        raise DataError(f"{path.name}: expected variable 'bearing' to be a 1 x 1 struct with field {name!r}, "
                        f"got fields {struct.dtype.names} and shape {struct.shape}")
    return struct[name].ravel()[0]


def _registered_file(name: str) -> str:
    """``name`` as a key of :data:`FILES` (``.mat`` added if missing); UnknownNameError listing valid ones."""
    file = name if name.endswith(".mat") else f"{name}.mat"
    if file not in FILES:
        valid = ", ".join(e.file for e in entries("mfpt") if e.file in FILES)
        raise UnknownNameError(f"unknown MFPT file {name!r}; valid files: {valid}")
    return file


def read_mfpt_mat(path, *, name: str) -> Recording:
    """Read an MFPT file already on disk; ``name`` is its registry file name (see :func:`load_mfpt`)."""
    path = Path(path)
    name = _registered_file(name)
    label, load = FILES[name]
    variables = read_mat(path, expected="bearing")
    bearing = require(variables, "bearing", path)
    fs = scalar(_field(bearing, "sr", path), "bearing.sr", path)
    shaft_hz = scalar(_field(bearing, "rate", path), "bearing.rate", path)
    file_load = scalar(_field(bearing, "load", path), "bearing.load", path)
    if file_load != load:
        raise DataError(f"{path.name}: bearing.load is {file_load:g} lbs, the registry table says {load} lbs")
    signal = np.asarray(_field(bearing, "gs", path), dtype=float).ravel()
    frequencies = {k: scalar(variables[k], k, path) for k in FAULT_FREQUENCIES if k in variables}
    return Recording(signal=signal, fs=fs, label=label, dataset="mfpt", source=f"mfpt/{name}",
                     rpm=60.0 * shaft_hz, fault_size=None, load=float(load), load_unit="lbs", sensor=("gs",),
                     extra={"condition": f"{load}lbs", "shaft_hz": shaft_hz,
                            "fault_frequencies_hz": frequencies})


def load_mfpt(name: str) -> Recording:
    """Load one MFPT file as a :class:`~bearingkit.recording.Recording`.

    Parameters
    ----------
    name : str
        Registry file name, with or without ``.mat`` (``"InnerRaceFault_vload_1"``).

    Returns
    -------
    Recording
        ``gs`` in g at ``bearing.sr`` (48828 Hz); ``rpm`` = 60 x ``bearing.rate``; ``load`` in lbs;
        ``extra["fault_frequencies_hz"]`` holds the file's FTF/BPFO/BPFI/BSF.

    Raises
    ------
    UnknownNameError
        Unknown file (the message lists the valid ones); a :class:`KeyError` and a
        :class:`~bearingkit.errors.ParameterError`.
    DataError
        File missing (:class:`~bearingkit.errors.MissingDataError`), not the registered one
        (:class:`~bearingkit.errors.ChecksumError`), unreadable, or without the struct fields above.
    """
    file = _registered_file(name)
    return read_mfpt_mat(fetch(f"mfpt/{file}"), name=file)
