"""The scorecard: every number the notebooks reproduce, the paper's value beside ours, with its status.

It reads only the schema rows of ``build/results/<notebook>.json`` (:mod:`bearingkit.report.results`), so
a notebook joins the scorecard by writing its rows, with no change here. ``make book`` writes these rows to
``build/scorecard.csv`` (:func:`write_csv`) and shows them on the site's scorecard page (``docs/``): counted
by status and kind of split (:func:`scorecard_counts`), drawn ours against the paper's
(:func:`scorecard_figure`) and listed in full (:func:`display_table`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from bearingkit.errors import ResultsError
from bearingkit.report import results

__all__ = ["DISPLAY_COLUMNS", "SPLIT_COLOURS", "display_table", "load_rows", "payload_rows",
           "scorecard_counts", "scorecard_figure", "split_kind", "status_tally", "write_csv"]

#: The two colours of the scorecard figure: the paper's own split, and every leakage-aware one.
SPLIT_COLOURS = {"paper": "#1f77b4", "leakage-aware": "#d62728"}
#: The columns of the scorecard as the site lists it, and the row field each one shows.
DISPLAY_COLUMNS = {"paper": "paper", "item": "item", "quantity": "quantity", "data set": "dataset",
                   "data": "data_kind", "split": "split", "paper's value": "paper_value", "ours": "ours_mean",
                   "spread": "ours_spread", "n": "n", "tolerance": "tolerance", "unit": "unit",
                   "status": "status", "reason": "reason"}
_MISSING = "–"


def payload_rows(payload: Mapping, *, notebook: str) -> pd.DataFrame:
    """The rows of one results payload, each checked again, as a table of the schema's columns + ``notebook``.

    Raises
    ------
    ResultsError
        A row that breaks the schema (:func:`bearingkit.report.results.check_row`).
    """
    rows = [results.check_row(r) for r in payload.get("rows", [])]
    return pd.DataFrame(rows, columns=list(results.ROW_FIELDS)).assign(notebook=notebook)


def load_rows(results_dir: Path) -> pd.DataFrame:
    """Every row of every ``<notebook>.json`` in ``results_dir``, in notebook order, with a ``notebook``
    column.

    Raises
    ------
    ResultsError
        The folder holds no results file (run ``make reproduce`` first), or a row breaks the schema.
    """
    files = sorted(Path(results_dir).glob("[0-9][0-9]_*.json"))
    if not files:
        raise ResultsError(f"no results in {results_dir}: run `make reproduce` first")
    frames = [payload_rows(json.loads(path.read_text()), notebook=path.stem) for path in files]
    return pd.concat(frames, ignore_index=True)


def split_kind(split: str) -> str:
    """``"paper"`` for the paper's own protocol, ``"leakage-aware"`` for every named alternative.

    Examples
    --------
    >>> split_kind("paper"), split_kind("cross-load")
    ('paper', 'leakage-aware')
    """
    return "paper" if split == results.PAPER_SPLIT else "leakage-aware"


def scorecard_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows counted by status (index, in the order of :data:`~bearingkit.report.results.STATUSES`) and by kind
    of split (columns ``paper``, ``leakage-aware``), with totals in a last row and column."""
    kinds = rows["split"].map(split_kind).rename("split")
    counts = pd.crosstab(rows["status"], kinds, margins=True, margins_name="total")
    order = [s for s in results.STATUSES if s in counts.index] + ["total"]
    columns = [k for k in SPLIT_COLOURS if k in counts.columns] + ["total"]
    return counts.reindex(index=order, columns=columns)


def status_tally(rows: pd.DataFrame) -> str:
    """How many rows have each status, in words, every status named.

    Examples
    --------
    >>> status_tally(pd.DataFrame({"status": ["reproduced", "differs", "reproduced"]}))
    '3 numbers: 2 reproduced, 1 differs, 0 not comparable, 0 not run'
    """
    by_status = rows["status"].value_counts()
    parts = ", ".join(f"{int(by_status.get(s, 0))} {s}" for s in results.STATUSES)
    return f"{len(rows)} numbers: {parts}"


def _shown(value, digits: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return _MISSING
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def display_table(rows: pd.DataFrame, *, digits: int = 4) -> pd.DataFrame:
    """The scorecard as the site lists it: one row per number, the columns of :data:`DISPLAY_COLUMNS` as
    text, numbers to ``digits`` significant digits and ``–`` where there is none (a row not run, one run)."""
    return pd.DataFrame({title: [_shown(v, digits) for v in rows[field]]
                         for title, field in DISPLAY_COLUMNS.items()})


def scorecard_figure(rows: pd.DataFrame):
    """Ours against the paper's value for every number that has both, by kind of split, one panel per unit.

    Points on the diagonal reproduce; the gap between the blue (paper split) and red (leakage-aware) clouds is
    what the paper's protocol adds. Hollow markers are simulated data (a private rig stood in for).

    Returns
    -------
    matplotlib.figure.Figure
        The figure; an empty panel with a note when no row has both values.
    """
    both = rows.dropna(subset=["paper_value", "ours_mean"])
    units = sorted(both["unit"].unique())
    n_cols = max(1, min(3, len(units)))
    n_rows = max(1, -(-len(units) // n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(5.0 * n_cols, 4.4 * n_rows), squeeze=False)
    for ax in axes.flat[len(units):]:
        ax.set_visible(False)
    if not units:
        axes[0, 0].set_visible(True)
        axes[0, 0].text(0.5, 0.5, "no number has both the paper's value and ours", ha="center", va="center")
        axes[0, 0].set_axis_off()
    for ax, unit in zip(axes.flat, units, strict=False):
        part = both[both["unit"] == unit]
        for kind, colour in SPLIT_COLOURS.items():
            for data_kind, face in (("real", colour), ("simulated", "none")):
                sel = part[(part["split"].map(split_kind) == kind) & (part["data_kind"] == data_kind)]
                if not sel.empty:
                    ax.scatter(sel["paper_value"], sel["ours_mean"], s=22, facecolors=face, edgecolors=colour,
                               label=f"{kind} split, {data_kind} ({len(sel)})")
        values = pd.concat([part["paper_value"], part["ours_mean"]])
        low, high = float(values.min()), float(values.max())
        pad = 0.05 * (high - low or 1.0)
        ax.plot([low - pad, high + pad], [low - pad, high + pad], color="0.5", lw=0.8, ls="--")
        ax.set_xlabel(f"paper ({unit})")
        ax.set_ylabel(f"ours ({unit})")
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Every reproduced number: ours against the paper's")
    fig.tight_layout()
    return fig


def write_csv(rows: pd.DataFrame, path: Path) -> Path:
    """Write the rows (``notebook`` first, then the schema's fields) to ``path`` atomically; return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["notebook", *results.ROW_FIELDS]
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".part",
                                     newline="") as handle:
        rows[columns].to_csv(handle, index=False)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)
    return path
