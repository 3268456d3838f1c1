"""§3.3-3.4 of Sedira & Felkaoui (2026): the 46 features of a window and its sub-frames, Fisher + PCA.

The RBF network (§6.2) sees the 46 features of the whole window (Table 5); the HMM battery (§6.1) sees the
window as an observation sequence ``O = (o_1, ..., o_T)``: the window cut into ``T = n_steps`` contiguous
sub-frames, 46 features each. Both read one matrix ``[window features | sub-frame features]``
(:func:`feature_matrix`), so the models and their fusion compose as scikit-learn estimators.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from bearingkit.errors import UnknownNameError
from bearingkit.features import handcrafted
from bearingkit.features.selection import explained_variance_table, make_feature_pipeline
from bearingkit.models.sequences import frame_sequences

from .settings import DEFAULT_SETTINGS, REDUCTIONS, Settings

__all__ = ["N_FEATURES", "feature_matrix", "feature_redundancy", "fisher_and_pca", "reduction"]

#: Features per window or sub-frame (Table 5: 9 time, 5 frequency, 32 wavelet-packet energies).
N_FEATURES = len(handcrafted.FEATURE_NAMES)


def feature_matrix(X: np.ndarray, *, fs: float, n_steps: int) -> np.ndarray:
    """``[46 window features | n_steps x 46 sub-frame features]`` of each window (Table 5, §6.1).

    Parameters
    ----------
    X : np.ndarray [shape=(n_windows, length)]
    fs : float
        Sampling rate, Hz.
    n_steps : int
        Sub-frames per window (HMM observations).

    Returns
    -------
    np.ndarray [shape=(n_windows, 46 * (1 + n_steps))]
    """
    whole = handcrafted.extract_features(X, fs=fs)
    frames = frame_sequences(X, n_steps)
    per_frame = handcrafted.extract_features(frames.reshape(-1, frames.shape[-1]), fs=fs)
    return np.hstack([whole, per_frame.reshape(len(X), -1)])


def reduction(settings: Settings) -> Pipeline:
    """The paper's Fisher + PCA chain (§3.4), or standardisation alone (``reduction="none"``)."""
    if settings.reduction not in REDUCTIONS:
        raise UnknownNameError(f"unknown reduction {settings.reduction!r}; valid: {REDUCTIONS}")
    if settings.reduction == "none":
        return Pipeline([("scale", StandardScaler())])
    return make_feature_pipeline(k=settings.k_features, variance=settings.variance)


def fisher_and_pca(window_features: np.ndarray, y: np.ndarray, settings: Settings, *,
                   names: Sequence[str] = handcrafted.FEATURE_NAMES) -> tuple[pd.Series, pd.DataFrame]:
    """Fig. 4's quantities on training windows: the Fisher score of every feature (Eq. 21, ascending) and the
    PCA explained variance of the top ``k_features`` (every component, ``retained`` marking those kept)."""
    pipe = make_feature_pipeline(k=settings.k_features, variance=settings.variance)
    pipe.fit(window_features, y)
    scores = pd.Series(pipe.named_steps["fisher"].scores_, index=list(names)).sort_values()
    return scores, explained_variance_table(pipe, X=window_features)


def feature_redundancy(window_features: np.ndarray, y: np.ndarray, settings: Settings = DEFAULT_SETTINGS,
                       *, names: Sequence[str] = handcrafted.FEATURE_NAMES, high: float = 0.9) -> dict:
    """How redundant the Fisher top-k are (§3.4's "relevant and non-redundant" claim), on training windows.

    Fits the reduction chain (standardise, Fisher top ``k_features``, PCA to ``variance``) and measures the
    absolute Pearson correlation between every pair of the selected features.

    Returns
    -------
    dict
        ``selected`` (names, best first), ``mean |r|`` and ``max |r|`` over pairs, ``pairs |r| > high``
        (count) and ``pairs``, ``components kept`` by PCA.
    """
    pipe = make_feature_pipeline(k=settings.k_features, variance=settings.variance).fit(window_features, y)
    chosen = pipe.named_steps["fisher"].ranking_[: settings.k_features]
    r = np.abs(np.corrcoef(window_features[:, chosen], rowvar=False))
    pairs = r[np.triu_indices(len(chosen), k=1)]
    pairs = pairs[np.isfinite(pairs)]
    return {"selected": [names[i] for i in chosen], "mean |r|": float(pairs.mean()),
            "max |r|": float(pairs.max()), f"pairs |r| > {high}": int(np.sum(pairs > high)),
            "pairs": int(pairs.size), "components kept": int(pipe.named_steps["pca"].n_components_)}
