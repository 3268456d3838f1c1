"""Paderborn University (KAt) bearing data, as the preprocessed SuperGraph files KATData0-3.mat.

Each file holds one operating condition of the KAt rig: ``data`` (300 x 2560 vibration segments at 64 kHz,
0.04 s each) and ``label`` (300 x 1, values 1, 2, 3). The source repository describes the classes as
"health, inner ring fault, outer ring fault" numbered from 0, so the stored 1/2/3 are read as
normal/inner/outer. It does not say which bearings (K0xx, KIxx, KAxx) or measurements the rows come from, so
rows are NOT independent recordings: rows of one class may come from one measurement, and a row-level split
cannot be a bearing-level split. Use these files for small three-class work across operating conditions only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bearingkit.data._matfile import read_mat, require
from bearingkit.data.fetching import fetch
from bearingkit.errors import DataError, UnknownNameError
from bearingkit.recording import Recording

__all__ = ["CONDITIONS", "Condition", "FS", "LABEL_OF_CODE", "SEGMENT_LENGTH", "load_paderborn_preprocessed",
           "read_katdata"]

FS = 64_000.0
SEGMENT_LENGTH = 2560
#: Stored ``label`` value -> health state (SuperGraph's classes 0/1/2, stored plus one).
LABEL_OF_CODE = {1: "normal", 2: "inner", 3: "outer"}


@dataclass(frozen=True)
class Condition:
    """An operating condition of the KAt rig (Lessmeier et al. 2016, Table 3)."""

    code: str
    rpm: float
    torque_nm: float
    radial_force_n: float


#: KATData<i>.mat -> operating condition (ChaoyingYang/SuperGraph data/KAT, see the mirror's PROVENANCE.md).
CONDITIONS = {
    0: Condition("N15_M07_F10", 1500.0, 0.7, 1000.0),
    1: Condition("N09_M07_F10", 900.0, 0.7, 1000.0),
    2: Condition("N15_M01_F10", 1500.0, 0.1, 1000.0),
    3: Condition("N15_M07_F04", 1500.0, 0.7, 400.0),
}


def _condition_index(condition: int | str) -> int:
    by_code = {c.code: i for i, c in CONDITIONS.items()}
    if condition in CONDITIONS:
        return int(condition)
    if condition in by_code:
        return by_code[condition]
    valid = ", ".join(f"{i} ({c.code})" for i, c in CONDITIONS.items())
    raise UnknownNameError(f"unknown Paderborn condition {condition!r}; valid: {valid}")


def load_paderborn_preprocessed(condition: int | str) -> list[Recording]:
    """The 300 rows of ``KATData<i>.mat``, one :class:`~bearingkit.recording.Recording` per row.

    Parameters
    ----------
    condition : int or str
        0-3 or the KAt condition code (``"N15_M07_F10"``, ``"N09_M07_F10"``, ``"N15_M01_F10"``,
        ``"N15_M07_F04"``).

    Returns
    -------
    list of Recording
        In file order; each 2560 samples at 64 kHz, ``rpm`` the nominal speed, ``load`` the load torque in
        N m, ``extra`` holding ``condition`` (the code), ``row``, ``radial_force_n``, ``label_code`` and
        ``record`` (``"paderborn/KATData0.mat#17"``, the segment id used by :func:`bearingkit.data.segment`).

    Raises
    ------
    UnknownNameError
        Unknown condition (a :class:`~bearingkit.errors.ParameterError` and a :class:`KeyError`).
    DataError
        File missing or corrupt, or its ``data``/``label`` variables are not what the registry describes.
    """
    index = _condition_index(condition)
    key = f"paderborn/KATData{index}.mat"
    return read_katdata(fetch(key), condition=index)


def read_katdata(path, *, condition: int) -> list[Recording]:
    """Read a KATData file already on disk (see :func:`load_paderborn_preprocessed`)."""
    path = Path(path)
    cond = CONDITIONS[_condition_index(condition)]
    variables = read_mat(path, expected="data")
    data = np.asarray(require(variables, "data", path), dtype=float)
    codes = np.asarray(require(variables, "label", path)).ravel()
    if data.ndim != 2 or data.shape[1] != SEGMENT_LENGTH or codes.size != data.shape[0]:
        raise DataError(f"{path.name}: expected 'data' of shape (n, {SEGMENT_LENGTH}) and 'label' of n "
                        f"values, got {data.shape} and {codes.size} labels")
    unknown = sorted(set(codes.tolist()) - set(LABEL_OF_CODE))
    if unknown:
        raise DataError(f"{path.name}: 'label' holds {unknown}; expected only {sorted(LABEL_OF_CODE)}")
    source = f"paderborn/{path.name}"
    return [
        Recording(signal=row, fs=FS, label=LABEL_OF_CODE[int(code)], dataset="paderborn", source=source,
                  rpm=cond.rpm, fault_size=None, load=cond.torque_nm, load_unit="Nm", sensor=("vibration",),
                  extra={"condition": cond.code, "row": i, "radial_force_n": cond.radial_force_n,
                         "label_code": int(code), "record": f"{source}#{i}", "preprocessed": True})
        for i, (row, code) in enumerate(zip(data, codes, strict=True))
    ]
