"""§6.1-6.2 of Sedira & Felkaoui (2026): the HMM battery and the RBF network, each behind its reduction.

Both models read :func:`~bearingkit.papers.sedira2026.features.feature_matrix`: the RBF network its first 46
columns (the window), the HMM battery the sub-frame columns (one observation per sub-frame).
"""

from __future__ import annotations

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from bearingkit.models import LeftRightHMMClassifier, RBFNetworkClassifier
from bearingkit.models.sequences import StepwiseTransformer

from .features import N_FEATURES, reduction
from .settings import DEFAULT_SETTINGS, Settings

__all__ = ["make_hmm_model", "make_rbf_model"]


def _columns(start: int, stop: int) -> ColumnTransformer:
    """Keep the columns ``start:stop`` of the feature matrix, drop the rest."""
    return ColumnTransformer([("columns", "passthrough", slice(start, stop))], remainder="drop")


def make_rbf_model(settings: Settings = DEFAULT_SETTINGS) -> Pipeline:
    """Window features -> Fisher top-k -> PCA (97 %, whitened) -> RBF network grown as ``newrb`` (§6.2).

    The unit width is chosen among ``settings.spreads`` by 3-fold stratified cross-validation of the network
    on the training windows' reduced features (``GridSearchCV`` as the last step; the reduction is fitted
    once, on all training windows, since it does not depend on the width). The fitted network is
    ``model[-1].best_estimator_``.
    """
    reduce = reduction(settings)
    spreads = list(settings.spreads)
    if settings.reduction == "fisher+pca":
        reduce.set_params(pca__whiten=True)
    else:
        spreads = [float(s * np.sqrt(N_FEATURES / settings.k_features)) for s in spreads]
    network = RBFNetworkClassifier(centers="newrb", goal=settings.goal, max_neurons=settings.max_neurons)
    search = GridSearchCV(network, {"spread": spreads}, cv=StratifiedKFold(n_splits=3))
    return Pipeline([("window", _columns(0, N_FEATURES)), ("reduce", reduce), ("rbf", search)])


def make_hmm_model(settings: Settings = DEFAULT_SETTINGS) -> Pipeline:
    """Sub-frame features -> (Fisher + PCA per sub-frame) -> one left-right HMM per class (§6.1, Fig. 5)."""
    return Pipeline([("frames", _columns(N_FEATURES, N_FEATURES * (1 + settings.n_steps))),
                     ("reduce", StepwiseTransformer(reduction(settings), n_steps=settings.n_steps)),
                     ("hmm", LeftRightHMMClassifier(n_states=settings.n_states, n_steps=settings.n_steps,
                                                    tol=settings.hmm_tol))])
