"""Does CSS rank candidates the way trained models do? A test of Stage 1's training-free screen.

A fixed small GRU (:data:`CHECK_PARAMS`) is trained on candidates spread over the CSS ranking of a pool (best,
worst and evenly in between); Spearman's rank correlation between CSS and its CV macro-F1 says whether the
screen predicts what training finds. The paper assumes it does (§2.1) and reports no such check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from types import MappingProxyType

import pandas as pd
import scipy.stats

from bearingkit.data.segment import evenly_spaced
from bearingkit.papers.lee2026.branch_inputs import gru_frame, gru_inputs
from bearingkit.papers.lee2026.branch_search import cross_validate
from bearingkit.papers.lee2026.data import Dataset, random_folds
from bearingkit.papers.lee2026.screening import Candidate
from bearingkit.papers.lee2026.settings import Settings, branch_epochs

__all__ = ["CHECK_PARAMS", "CssCheck", "css_versus_training"]

#: Hyperparameters of the small GRU that checks the CSS ranking (ours; mid-range of the search space).
CHECK_PARAMS = MappingProxyType({"depth": 1, "width": 32, "learning_rate": 3e-3, "batch_size": 32,
                                 "dropout": 0.1, "optimizer": "adam", "scheduler": "constant"})


@dataclasses.dataclass(frozen=True)
class CssCheck:
    """The candidates trained (``candidate``, ``css``, ``f_cv``) and Spearman's rho between CSS and F_CV."""

    table: pd.DataFrame
    rho: float
    p: float

    @property
    def summary(self) -> str:
        """One line: rho, its p-value and the number of candidates."""
        return (f"Spearman rho(CSS, trained F_CV) = {self.rho:.2f} (p = {self.p:.2f}, {len(self.table)} "
                f"candidates)")


def css_versus_training(data: Dataset, pool: Sequence[Candidate], css: pd.Series, *, settings: Settings,
                        seed: int) -> CssCheck:
    """CV macro-F1 of one fixed GRU on ``settings.css_check_candidates`` candidates of ``pool``.

    The candidates are spread over the CSS ranking (best, worst and evenly in between); each trains the
    same GRU (:data:`CHECK_PARAMS`) on the paper's random folds.
    """
    ranked = css.dropna().sort_values(ascending=False).index.to_numpy()
    picks = ranked[evenly_spaced(len(ranked), min(settings.css_check_candidates, len(ranked)))]
    folds = random_folds(data.y, n_splits=settings.folds, seed=seed)
    rows = []
    for i in picks:
        inputs = gru_inputs(data.X, data.y, data.X[:0], folds, candidate=pool[i], fs=data.fs,
                            frame=gru_frame(data.X.shape[-1], settings), n_classes=len(data.classes))
        score = cross_validate(inputs, CHECK_PARAMS, epochs=branch_epochs(settings, "gru"), seed=seed,
                               n_classes=len(data.classes), n_dev=len(data.y),
                               report=lambda step, value: None).score
        rows.append({"candidate": pool[i].label, "css": float(css[i]), "f_cv": score})
    table = pd.DataFrame(rows)
    rho, p = scipy.stats.spearmanr(table["css"], table["f_cv"])
    return CssCheck(table, float(rho), float(p))
