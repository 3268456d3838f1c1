"""Every reproduced number as a row of one schema, in ``build/results/<notebook>.json``.

A row says which number of which paper it reproduces (``paper``, ``item`` such as "Table 7", ``quantity``),
on which data (``dataset``, ``data_kind`` real or simulated) and under which split (``split``: ``"paper"`` for
the paper's own protocol, or the name of a leakage-aware one such as ``"contiguous-block"`` or
``"cross-load"``), the paper's value, ours (mean, spread, number of runs), the tolerance the notebook
states, and a **status computed here, never typed**:

* ``"reproduced"``: ours lies within ``tolerance`` of the paper's value;
* ``"differs"``: it does not;
* ``"not comparable"``: we have a number, but on other data or by another method than the paper's (a
  simulated stand-in for a private rig, a model trained from scratch where the paper fine-tunes pretrained
  weights), so its distance to the paper's value says nothing about the reproduction; ``reason`` says what
  differs;
* ``"not run"``: we have no number, and ``reason`` says why (weights unreachable offline, data not public).

:func:`row` builds and checks one row, :func:`write_results` checks every row again and writes the file
atomically, readable by everyone (mode 0644), together with the run's metadata and any notebook-specific
``details``; :func:`read_rows` gives the rows as a table for the tests and the scorecard. The files live in
:data:`bearingkit.paths.RESULTS_DIR`: ``build/results`` unless ``BEARINGKIT_BUILD_DIR`` moves the build.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from numbers import Real
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bearingkit import paths
from bearingkit.data import files_read
from bearingkit.errors import ResultsError
from bearingkit.report import provenance

__all__ = [
    "SCHEMA_VERSION", "STATUSES", "DATA_KINDS", "PAPER_SPLIT", "ROW_FIELDS", "to_jsonable", "status_of",
    "row", "check_row", "results_path", "write_results", "read_results", "read_rows",
]

SCHEMA_VERSION = 2
STATUSES = ("reproduced", "differs", "not comparable", "not run")
DATA_KINDS = ("real", "simulated")
#: The split name of every row that follows the paper's own protocol.
PAPER_SPLIT = "paper"
ROW_FIELDS = ("paper", "item", "quantity", "unit", "dataset", "data_kind", "split", "paper_value",
              "ours_mean", "ours_spread", "n", "tolerance", "comparable", "status", "reason")
_TEXT_FIELDS = ("paper", "item", "quantity", "dataset", "split")


def to_jsonable(value: Any) -> Any:
    """Convert NumPy scalars/arrays, pandas objects, paths and tuples to plain JSON types.

    Non-finite floats become None (JSON has no NaN).

    Examples
    --------
    >>> to_jsonable({"a": np.float64(0.5), "b": (np.int64(1), float("nan"))})
    {'a': 0.5, 'b': [1, None]}
    """
    if isinstance(value, Mapping):
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


def _finite_or_none(value, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ResultsError(f"{name} must be a finite number or None, got {value!r}")
    return float(value)


def status_of(paper_value: float | None, ours_mean: float | None, tolerance: float | None, *,
              comparable: bool = True) -> str:
    """The status of a row: ``"not run"`` without ours, ``"not comparable"`` when the row says its data or
    method differ from the paper's, else ``"reproduced"`` within ``tolerance`` and ``"differs"`` outside.

    Examples
    --------
    >>> status_of(99.0, 97.5, 2.0), status_of(99.0, 96.5, 2.0), status_of(99.0, None, 2.0)
    ('reproduced', 'differs', 'not run')
    >>> status_of(99.0, 99.0, 2.0, comparable=False)
    'not comparable'
    """
    if ours_mean is None:
        return "not run"
    if not comparable:
        return "not comparable"
    if paper_value is None or tolerance is None:
        raise ResultsError("a row with our number needs the paper's value and a tolerance to compare them")
    return "reproduced" if abs(ours_mean - paper_value) <= tolerance + 1e-12 else "differs"


def row(*, paper: str, item: str, quantity: str, dataset: str, data_kind: str, split: str,
        paper_value: float | None, ours: float | Sequence[float] | None, tolerance: float | None,
        unit: str = "%", reason: str = "", comparable: bool = True) -> dict:
    """One reproduced number, checked, with its status computed.

    Parameters
    ----------
    paper : str
        Key of the paper in ``data/reference/`` (``"sedira2026"``).
    item : str
        The table or figure, as the paper names it (``"Table 7"``, ``"Fig. 10"``).
    quantity : str
        What the number is (``"accuracy, Hybrid, OR set"``).
    dataset : str
        The data set (``"CWRU"``, ``"Paderborn"``, ``"axial rig"``).
    data_kind : {"real", "simulated"}
        Simulated rows stand in for a private rig: their difference to the paper is not a reproduction error.
    split : str
        ``"paper"`` (:data:`PAPER_SPLIT`) or the name of a leakage-aware split.
    paper_value : float or None
        The published number (None only when the paper prints none for this row).
    ours : float, sequence of float, or None
        One value, or one per run (seed, fold, condition pair): the row keeps their mean, their standard
        deviation (``ddof=1``; None for a single run, never 0.0) and their count. None: not run.
    tolerance : float >= 0 or None
        Largest ``|ours - paper|`` still called reproduced, in ``unit``; stated by the notebook, one value per
        kind of number, never fitted to the result.
    unit : str
        Unit of the values (``"%"``, ``"nats"``, ``"Hz"``).
    reason : str
        Why ``ours`` is None or why the row is not comparable (required then), or a note on the row.
    comparable : bool
        False when our number comes from other data or another method than the paper's (a simulated
        stand-in, a from-scratch model for a pretrained one): the status is then ``"not comparable"``
        whatever the distance, and ``reason`` must say what differs.

    Returns
    -------
    dict
        The row, with ``ours_mean``, ``ours_spread``, ``n`` and ``status`` (see :data:`ROW_FIELDS`).

    Raises
    ------
    ResultsError
        A missing text field, an unknown data kind, a non-finite number, a negative tolerance, or a row that
        is not run without a reason.

    Examples
    --------
    >>> r = row(paper="sedira2026", item="Table 7", quantity="accuracy, Hybrid, OR", dataset="CWRU",
    ...         data_kind="real", split="paper", paper_value=99.0, ours=[98.0, 100.0], tolerance=2.0)
    >>> r["ours_mean"], round(r["ours_spread"], 3), r["n"], r["status"]
    (99.0, 1.414, 2, 'reproduced')
    """
    fields = {"paper": paper, "item": item, "quantity": quantity, "dataset": dataset, "split": split}
    for name, value in fields.items():
        if not isinstance(value, str) or not value.strip():
            raise ResultsError(f"{name} must be a non-empty string, got {value!r}")
    if data_kind not in DATA_KINDS:
        raise ResultsError(f"data_kind must be one of {DATA_KINDS}, got {data_kind!r}")
    paper_value = _finite_or_none(paper_value, "paper_value")
    tolerance = _finite_or_none(tolerance, "tolerance")
    if tolerance is not None and tolerance < 0:
        raise ResultsError(f"tolerance must be >= 0, got {tolerance!r}")
    if ours is None:
        values: list[float] = []
    else:
        raw = [ours] if np.ndim(ours) == 0 else list(np.ravel(ours))
        values = [_finite_or_none(v.item() if isinstance(v, np.generic) else v, "ours") for v in raw]
        if any(v is None for v in values):
            raise ResultsError(f"ours must be a finite number or None, got {ours!r}")
        if not values:
            raise ResultsError("ours must hold at least one value, or be None (not run)")
    ours_mean = float(np.mean(values)) if values else None
    ours_spread = float(np.std(values, ddof=1)) if len(values) > 1 else None
    if ours_mean is None and not reason.strip():
        raise ResultsError(f"{item}, {quantity}: a row that is not run needs its reason")
    if not isinstance(comparable, bool):
        raise ResultsError(f"comparable must be True or False, got {comparable!r}")
    if not comparable and not reason.strip():
        raise ResultsError(f"{item}, {quantity}: a row not comparable needs its reason (what differs)")
    return {**fields, "unit": unit, "data_kind": data_kind, "paper_value": paper_value,
            "ours_mean": ours_mean, "ours_spread": ours_spread, "n": len(values), "tolerance": tolerance,
            "comparable": comparable, "reason": reason,
            "status": status_of(paper_value, ours_mean, tolerance, comparable=comparable)}


def check_row(r: Mapping) -> dict:
    """Rebuild a row from its fields and refuse it unless it is exactly what :func:`row` gives.

    A status typed by hand, a spread that does not belong to its values or a missing field is refused.
    """
    missing = [f for f in ROW_FIELDS if f not in r]
    if missing:
        raise ResultsError(f"row {dict(r)!r} lacks {missing}")
    if r["status"] not in STATUSES:
        raise ResultsError(f"status must be one of {STATUSES}, got {r['status']!r}")
    expected = status_of(r["paper_value"], r["ours_mean"], r["tolerance"], comparable=r["comparable"])
    if r["status"] != expected:
        raise ResultsError(f"{r['item']}, {r['quantity']}: status {r['status']!r} is not the computed "
                           f"{expected!r}; statuses are computed by results.row, never typed")
    if r["ours_mean"] is None and not str(r["reason"]).strip():
        raise ResultsError(f"{r['item']}, {r['quantity']}: a row that is not run needs its reason")
    if r["data_kind"] not in DATA_KINDS:
        raise ResultsError(f"data_kind must be one of {DATA_KINDS}, got {r['data_kind']!r}")
    return {f: r[f] for f in ROW_FIELDS}


def results_path(notebook: str) -> Path:
    """Where the results of ``notebook`` live."""
    return paths.RESULTS_DIR / f"{notebook}.json"


def write_results(notebook: str, rows: Iterable[Mapping], *, meta: Mapping, details: Mapping | None = None,
                  ) -> Path:
    """Check every row and write ``{"schema", "notebook", "meta", "rows", "details"}`` atomically.

    Parameters
    ----------
    notebook : str
        The notebook's stem (``"03_sedira2026_hmm_rbfnn"``).
    rows : iterable of dict
        Rows made by :func:`row`.
    meta : mapping
        The run: at least ``profile`` and ``seed``; run time, settings, ... The run's provenance
        (:func:`bearingkit.report.provenance.collect`) is added under ``"provenance"``.
    details : mapping or None
        Notebook-specific numbers the tests check beyond the rows (tables, curves).

    Returns
    -------
    Path
        The file, mode 0644 (readable by the site's builder and other users).

    Raises
    ------
    ResultsError
        A row that breaks the schema, or ``meta`` without ``profile`` and ``seed``. Nothing is written then.
    """
    checked = [check_row(r) for r in rows]
    if not {"profile", "seed"} <= set(meta):
        raise ResultsError(f"meta must name at least the profile and the seed, got keys {sorted(meta)}")
    target = results_path(notebook)
    target.parent.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "provenance": provenance.collect(data_files=files_read())}
    payload = {"schema": SCHEMA_VERSION, "notebook": notebook, "meta": meta, "rows": checked,
               "details": dict(details or {})}
    text = json.dumps(to_jsonable(payload), indent=2, sort_keys=True, allow_nan=False)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, suffix=".part") as handle:
        handle.write(text)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, target)
    return target


def read_results(notebook: str) -> dict:
    """Read the results a notebook wrote; a clear error when it has not run yet."""
    target = results_path(notebook)
    if not target.exists():
        raise ResultsError(f"no results at {target}: run `make reproduce NB={notebook[:2]}` first")
    return json.loads(target.read_text())


def read_rows(notebook: str) -> pd.DataFrame:
    """The rows of one notebook's results as a table (columns :data:`ROW_FIELDS`), each checked again."""
    payload = read_results(notebook)
    return pd.DataFrame([check_row(r) for r in payload["rows"]], columns=list(ROW_FIELDS))
