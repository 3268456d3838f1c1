"""Is each branch, and their fusion, above chance? Every run's scores with an interval, beside chance.

A score is evidence that a model learnt something only when its interval clears what predictions unrelated
to the labels would score. For each run: the GRU's and the EfficientNetV2's best trial and the simplex
fusion of the best pair (Eqs. 10-11), scored out of fold as Eq. 5's F_CV (the mean over the folds'
validation windows) and, with a held-out set, on it; each with a percentile bootstrap interval over windows
(:func:`~bearingkit.evaluation.metrics.macro_f1_interval`) and the chance level of its own predictions
(:func:`~bearingkit.evaluation.metrics.chance_macro_f1`, a permutation mean). The paper reports no interval
and no chance level: both are ours.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from bearingkit.evaluation.metrics import chance_macro_f1, fold_macro_f1, macro_f1_interval
from bearingkit.papers.lee2026.branch_search import BranchResult
from bearingkit.papers.lee2026.late_fusion import rule_inputs

__all__ = ["MODELS", "chance_rows"]

#: The models each run is checked for, in the notebook's words.
MODELS = ("GRU", "EfficientNetV2", "simplex fusion")


def _posteriors(branches: Mapping[str, BranchResult], pair: Mapping, which: str) -> dict[str, np.ndarray]:
    """Each model's posteriors, out of fold (``"oof"``) or on the held-out set (``"test"``)."""
    gru, cnn = branches["gru"], branches["cnn"]
    best = {"GRU": getattr(gru, which)[0], "EfficientNetV2": getattr(cnn, which)[0]}
    return {**best, "simplex fusion": rule_inputs(gru, cnn, pair, which=which)["weighted average"]}


def chance_rows(branches: Mapping[str, BranchResult], pair: Mapping, y_dev, y_test, folds, *, seed: int,
                confidence: float = 0.95, n_resamples: int = 1000) -> list[dict]:
    """One row per model and data it is scored on: the macro-F1, its interval, the chance level, the verdict.

    Parameters
    ----------
    branches : mapping
        ``"gru"`` and ``"cnn"``: Stage 2's results, top K best first.
    pair : mapping
        Stage 3's best pair (``k``, ``t``, ``w_rnn``, ``w_cnn``).
    y_dev, y_test : array_like
        Labels of the development windows and of the held-out set (empty under the paper's split).
    folds : list of (train, validation)
        Stage 2's folds over the development windows.
    seed : int
        Seed of the resamples and permutations.

    Returns
    -------
    list of dict
        ``model``, ``scored on`` (``"out of fold (F_CV)"`` or ``"held-out test"``), ``macro-F1``, ``low``,
        ``high``, ``chance`` and ``above chance`` (the interval's lower end above the chance level).
    """
    y_dev, y_test = np.asarray(y_dev), np.asarray(y_test)
    scored = [("out of fold (F_CV)", _posteriors(branches, pair, "oof"), y_dev, list(folds))]
    if len(y_test):
        scored.append(("held-out test", _posteriors(branches, pair, "test"), y_test, None))
    rows = []
    for where, posteriors, y, on_folds in scored:
        for model in MODELS:
            predicted = posteriors[model].argmax(axis=1)
            low, high = macro_f1_interval(y, predicted, on_folds, confidence=confidence,
                                          n_resamples=n_resamples, seed=seed)
            chance = chance_macro_f1(y, predicted, on_folds, n_permutations=n_resamples, seed=seed)
            score = fold_macro_f1(y, predicted, on_folds)
            rows.append({"model": model, "scored on": where, "macro-F1": score,
                         "low": low, "high": high, "chance": chance, "above chance": bool(low > chance)})
    return rows
