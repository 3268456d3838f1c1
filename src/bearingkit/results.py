"""Results of a notebook run, written to ``build/results/<notebook>.json`` for the tests and the book."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bearingkit import paths
from bearingkit.errors import DataError


def to_jsonable(value: Any) -> Any:
    """Convert NumPy scalars/arrays, pandas objects, paths and tuples to plain JSON types.

    Non-finite floats become None (JSON has no NaN).
    """
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "to_dict") and not isinstance(value, np.ndarray):
        return to_jsonable(value.to_dict())
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return str(value)
    return value


def results_path(notebook: str) -> Path:
    """Where the results of ``notebook`` live."""
    return paths.RESULTS_DIR / f"{notebook}.json"


def write_results(notebook: str, payload: dict) -> Path:
    """Write ``payload`` atomically (temporary file, then rename) and return the path."""
    target = results_path(notebook)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_jsonable(payload), indent=2, sort_keys=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".part") as handle:
        handle.write(text)
    os.replace(handle.name, target)
    return target


def read_results(notebook: str) -> dict:
    """Read the results a notebook wrote; a clear error when it has not run yet."""
    target = results_path(notebook)
    if not target.exists():
        raise DataError(f"no results at {target}: run `make reproduce NB={notebook[:2]}` first")
    return json.loads(target.read_text())
