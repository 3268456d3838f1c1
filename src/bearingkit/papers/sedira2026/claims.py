"""The rules that decide each claim of Sedira & Felkaoui (2026), one pure function per rule.

Every rule takes the numbers of this run and its threshold as an argument, and returns whether the claim
holds (None where the data cannot test it). :func:`verdict` turns that into the word the claims table
shows; :func:`claim` is one line of that table; :func:`ordering_table` applies the ordering rules to every
database and split of Table 12.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.errors import ParameterError, UnknownNameError

from .settings import MODELS

__all__ = [
    "all_reproduced", "at_least", "at_least_best_single", "below", "claim", "corrects_more_than_adds",
    "in_every_run", "lowest_everywhere", "mean_above", "ordering_table", "rbf_beats_hmm_where_imperfect",
    "same_error_classes", "strictly_increasing", "strictly_lowest", "verdict",
]

#: Differences below this are ties (accuracies are means of counts; nothing real is this small).
_EPS = 1e-9


def at_least(value: float, reference: float, *, tolerance: float) -> bool:
    """Whether ``value`` is no more than ``tolerance`` below ``reference`` (one rule for "holds", "ties").

    Examples
    --------
    >>> at_least(97.9, 99.66, tolerance=2.0), at_least(97.5, 99.66, tolerance=2.0)
    (True, False)
    """
    return bool(value >= reference - tolerance - _EPS)


def at_least_best_single(hybrid: float, singles: Sequence[float], *, tolerance: float = 0.0) -> bool:
    """Whether the hybrid is at least as accurate as the best single model, less ``tolerance`` (pp).

    ``tolerance=0`` is the ordering claim "hybrid >= max(single)" (§6.4, Tables 7 and 12); a positive one
    is §7.3's "best or equivalent" (the hybrid within ``tolerance`` of the best single model or above it).

    Examples
    --------
    >>> at_least_best_single(99.0, [91.0, 95.0]), at_least_best_single(92.0, [95.0, 91.0])
    (True, False)
    >>> at_least_best_single(94.0, [95.0, 91.0], tolerance=2.0)
    True
    """
    return at_least(hybrid, max(singles), tolerance=tolerance)


def strictly_increasing(values: Sequence[float], *, step: float = 0.0) -> bool:
    """Whether each value exceeds the one before by more than ``step`` (Table 7's HMM < RBFNN < Hybrid).

    Examples
    --------
    >>> strictly_increasing([91.0, 95.0, 99.0]), strictly_increasing([99.3, 98.1, 99.0])
    (True, False)
    """
    return bool(np.all(np.diff(np.asarray(values, dtype=float)) > step))


def rbf_beats_hmm_where_imperfect(hmm: Mapping[str, float], rbf: Mapping[str, float], *,
                                  perfect: float = 100.0) -> bool | None:
    """Whether the RBFNN is more accurate than the HMM on every data set where the HMM is below ``perfect``.

    §7.3: "RBFNN improves overall performance on all three datasets". None when the HMM is perfect
    everywhere (nothing to improve).

    Examples
    --------
    >>> rbf_beats_hmm_where_imperfect({"a": 91.0, "b": 100.0}, {"a": 95.0, "b": 99.0})
    True
    >>> rbf_beats_hmm_where_imperfect({"a": 91.0}, {"a": 90.0})
    False
    """
    imperfect = [k for k, v in hmm.items() if v < perfect - _EPS]
    if not imperfect:
        return None
    return all(rbf[k] > hmm[k] for k in imperfect)


def strictly_lowest(values: Mapping[str, float]) -> str | None:
    """The key of the smallest value, None when two or more share it (§6.8: "the OR as the most challenging
    element", read as the lowest accuracy).

    Examples
    --------
    >>> strictly_lowest({"OR": 91.0, "IR": 98.66, "Ball": 95.33}), strictly_lowest({"OR": 100.0, "IR": 100.0})
    ('OR', None)
    """
    smallest = min(values.values())
    keys = [k for k, v in values.items() if abs(v - smallest) < _EPS]
    return keys[0] if len(keys) == 1 else None


def lowest_everywhere(lowest: Mapping[str, str | None], expected: str) -> bool:
    """Whether ``expected`` is the strictly lowest (:func:`strictly_lowest`) for every model of ``lowest``.

    Examples
    --------
    >>> lowest_everywhere({"HMM": "OR", "RBFNN": "OR"}, "OR")
    True
    >>> lowest_everywhere({"HMM": "OR", "RBFNN": None}, "OR")
    False
    """
    return all(key == expected for key in lowest.values())


def corrects_more_than_adds(facts: Mapping[str, int], *, min_share: float = 0.1) -> bool:
    """Whether the fusion corrects more HMM errors than it adds, and at least ``min_share`` of them (§6.4).

    ``facts``: :func:`~.measures.hybrid_vs_hmm` (``corrected``, ``added``, ``HMM errors``).

    Examples
    --------
    >>> corrects_more_than_adds({"corrected": 3, "added": 1, "HMM errors": 20})
    True
    >>> corrects_more_than_adds({"corrected": 1, "added": 0, "HMM errors": 20})
    False
    """
    return bool(facts["corrected"] > facts["added"] and facts["corrected"] >= min_share * facts["HMM errors"])


def same_error_classes(paper: Mapping[str, Sequence[int]], ours: Mapping[str, Sequence[int]]) -> bool:
    """Whether the classes below 100 % (:func:`~.measures.imperfect_classes`) are the same everywhere
    (Table 8's error pattern).

    Examples
    --------
    >>> same_error_classes({"HMM OR": [2, 4]}, {"HMM OR": [2, 4]})
    True
    >>> same_error_classes({"HMM OR": [2]}, {"HMM OR": []})
    False
    """
    return {k: list(v) for k, v in paper.items()} == {k: list(v) for k, v in ours.items()}


def in_every_run(shares_pct: Mapping[str, float], *, required: float = 100.0) -> bool:
    """Whether every share (% of runs showing a pattern, e.g. Table 9's lowest healthy class) reaches
    ``required``.

    Examples
    --------
    >>> in_every_run({"OR": 100.0, "IR": 100.0}), in_every_run({"OR": 100.0, "IR": 80.0})
    (True, False)
    """
    return all(v >= required - _EPS for v in shares_pct.values())


def mean_above(values: Sequence[float], *, threshold: float) -> bool:
    """Whether the mean of ``values`` (gains in pp) exceeds ``threshold``.

    Examples
    --------
    >>> mean_above([3.0, -1.0], threshold=0.0), mean_above([3.0, -1.0], threshold=2.0)
    (True, False)
    """
    return bool(np.mean(np.asarray(values, dtype=float)) > threshold)


def below(value: float, reference: float, *, margin: float = 0.0) -> bool:
    """Whether ``value`` is smaller than ``reference`` by more than ``margin`` (time, overfitting gap).

    Examples
    --------
    >>> below(1.0, 2.0), below(1.0, 2.0, margin=1.5)
    (True, False)
    """
    return bool(value < reference - margin)


def all_reproduced(statuses: Sequence[str], *, share: float = 1.0) -> bool:
    """Whether at least ``share`` of the rows have the status ``reproduced`` (all of them by default).

    Examples
    --------
    >>> all_reproduced(["reproduced", "differs"]), all_reproduced(["reproduced", "differs"], share=0.5)
    (False, True)
    """
    statuses = list(statuses)
    return bool(statuses) and sum(s == "reproduced" for s in statuses) >= share * len(statuses) - _EPS


def verdict(holds: bool | None) -> str:
    """The verdict on a claim from a computed test: reproduced, not reproduced, or cannot be tested here."""
    if holds is None:
        return "cannot be tested here"
    return "reproduced" if holds else "not reproduced"


def claim(text: str, paper: str, ours: str, holds: bool | None, *, why: str = "") -> dict:
    """One line of the claims table; ``holds`` is computed from this run (None: not testable, say ``why``)."""
    if holds is None and not why:
        raise ParameterError(f"say why the claim {text!r} cannot be tested here")
    return {"claim": text, "paper": paper, "ours (this run)": ours, "verdict": verdict(holds), "why": why}


def ordering_table(rows: Sequence[Mapping], *, item: str = "Table 12", tolerance: float) -> pd.DataFrame:
    """The ordering claim on every database and split of ``item``: each model's accuracy and the two rules.

    Parameters
    ----------
    rows : sequence of results rows
        Rows with quantities ``"overall accuracy, <model>"`` for each of :data:`MODELS` (Table 12's).
    item : str
    tolerance : float
        The "equivalent" margin of §7.3's "best or equivalent" (pp).

    Returns
    -------
    pd.DataFrame
        Index (database, split); columns the three models' mean accuracies, ``hybrid − best single`` (pp),
        ``hybrid ≥ max(single)`` (:func:`at_least_best_single`, tolerance 0), ``best or equivalent`` (within
        ``tolerance``) and ``data`` (real or simulated).
    """
    table: dict[tuple[str, str], dict] = {}
    for r in rows:
        if r["item"] != item or not r["quantity"].startswith("overall accuracy, "):
            continue
        model = r["quantity"].removeprefix("overall accuracy, ")
        if model in MODELS:
            line = table.setdefault((r["dataset"], r["split"]), {"data": r["data_kind"]})
            line[model] = r["ours_mean"]
    if not table:
        raise UnknownNameError(f"no overall-accuracy rows for {item!r}")
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["database", "split"])
    singles = frame[["HMM", "RBFNN"]]
    frame["hybrid − best single"] = frame["Hybrid"] - singles.max(axis=1)
    frame["hybrid ≥ max(single)"] = [at_least_best_single(h, s) for h, s in
                                     zip(frame["Hybrid"], singles.to_numpy(), strict=True)]
    frame["best or equivalent"] = [at_least_best_single(h, s, tolerance=tolerance) for h, s in
                                   zip(frame["Hybrid"], singles.to_numpy(), strict=True)]
    return frame[["HMM", "RBFNN", "Hybrid", "hybrid − best single", "hybrid ≥ max(single)",
                  "best or equivalent", "data"]]
