"""The papers' published numbers (``data/reference/<paper>.json``, typed once) set beside ours."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd

from bearingkit import paths
from bearingkit.errors import ParameterError

__all__ = ["paper_vs_ours", "published"]


@cache
def _load(paper: str) -> dict:
    source = paths.REFERENCE_DIR / f"{paper}.json"
    if not source.exists():
        known = sorted(p.stem for p in paths.REFERENCE_DIR.glob("*.json"))
        raise ParameterError(f"no reference numbers for {paper!r}; known papers: {known}")
    return json.loads(source.read_text())


def published(paper: str, key: str):
    """One published item, e.g. ``published("sedira2026", "table7_overall_accuracy_pct")``."""
    data = _load(paper)
    if key not in data:
        raise ParameterError(f"{paper} has no item {key!r}; items: {sorted(data)}")
    return data[key]


def paper_vs_ours(paper_values: dict, our_values: dict, *, why_missing: str = "") -> pd.DataFrame:
    """A table with the published value, ours and the difference (ours - paper) for every key.

    Parameters
    ----------
    paper_values, our_values : dict
        Flat mappings from a row label to a number. A key the paper has but we could not produce keeps
        NaN in ``ours`` and ``why_missing`` in the ``note`` column, never a copied value.
    why_missing : str
        The reason shown for rows we have no value for.
    """
    rows = []
    for key in dict.fromkeys([*paper_values, *our_values]):
        paper = paper_values.get(key, np.nan)
        ours = our_values.get(key, np.nan)
        paper_f = float(paper) if paper is not None else np.nan
        ours_f = float(ours) if ours is not None else np.nan
        note = why_missing if np.isnan(ours_f) and why_missing else ""
        rows.append({"item": key, "paper": paper_f, "ours": ours_f, "difference": ours_f - paper_f,
                     "note": note})
    return pd.DataFrame(rows).set_index("item")
