"""Reading MATLAB v5 files with errors that name the file and the variable that was expected."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.io

from bearingkit.errors import DataError

__all__ = ["read_mat", "require", "scalar"]

#: What scipy.io.loadmat raises on a truncated, corrupt or non-MATLAB file.
_UNREADABLE = (ValueError, TypeError, OSError, IndexError, NotImplementedError, scipy.io.matlab.MatReadError)


def read_mat(path: Path, *, expected: str) -> dict[str, np.ndarray]:
    """Variables of a MATLAB v5 file (``__header__`` and friends dropped).

    Raises
    ------
    DataError
        The file cannot be parsed as a MATLAB v5 file (truncated, corrupt, or another format: scipy raises
        OSError, IndexError, ValueError, ... for these); the message names the file and ``expected``.
    """
    try:
        content = scipy.io.loadmat(path)
    except _UNREADABLE as exc:
        raise DataError(f"{path.name}: not a readable MATLAB v5 file, truncated or corrupt "
                        f"({type(exc).__name__}: {exc}); expected variable {expected!r} in {path}") from exc
    return {k: v for k, v in content.items() if not k.startswith("__")}


def require(variables: dict[str, np.ndarray], name: str, path: Path) -> np.ndarray:
    """Variable ``name`` of a file read by :func:`read_mat`, or a DataError listing what the file holds."""
    if name not in variables:
        raise DataError(f"{path.name}: expected variable {name!r}, but the file holds only "
                        f"{sorted(variables) or 'no variables'} ({path})")
    return variables[name]


def scalar(value: np.ndarray, name: str, path: Path) -> float:
    """A MATLAB scalar (a 1 x 1 number, or a numeric string such as MFPT's load) as float."""
    flat = np.asarray(value).ravel()
    try:
        if flat.size != 1:
            raise ValueError(f"{flat.size} elements")
        return float(flat[0])
    except ValueError as exc:
        raise DataError(f"{path.name}: variable {name!r} should be one number, got {value!r} ({exc})") \
            from exc
