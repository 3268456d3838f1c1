"""What the windows carry: hand-made features and an SVM on the same windows and folds as the branches (ours).

The paper has no such reference. A branch that scores low may have found classes the windows do not separate,
or it may not have learnt what they do carry; the two readings call for different conclusions about the
method. Sedira & Felkaoui's 46 features (Table 5 of their paper: 9 time, 5 frequency and 32 wavelet-packet
energies, :func:`bearingkit.features.handcrafted.extract_features`) of each channel, standardised on each
fold's training windows and classified by an RBF support-vector machine, are scored exactly as Stage 2
scores a trial: F_CV is the mean over the folds of the validation macro-F1 (Eq. 5), and the held-out test set
is scored by the model fitted on every development window. Nothing of the three stages reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from bearingkit.errors import ParameterError
from bearingkit.evaluation.metrics import macro_f1
from bearingkit.features.handcrafted import FEATURE_NAMES, extract_features, min_samples

__all__ = ["REFERENCE_NAME", "feature_reference", "window_features"]

#: The reference's name in the notebook's tables.
REFERENCE_NAME = "46 features + SVM"


def window_features(X: np.ndarray, *, fs: float) -> np.ndarray:
    """The 46 features of every channel of ``(window, channel, time)`` windows, side by side per window.

    Returns
    -------
    np.ndarray [shape=(n_windows, 46 * n_channels)]
    """
    if X.ndim != 3:
        raise ParameterError(f"windows must be (window, channel, time), got shape {X.shape}")
    return np.hstack([extract_features(X[:, c], fs=fs) for c in range(X.shape[1])])


def _classifier(seed: int):
    """Standardisation fitted on the training windows, then an RBF SVM (C = 10, scale gamma)."""
    return make_pipeline(StandardScaler(), SVC(C=10.0, gamma="scale", random_state=seed))


def feature_reference(X_dev: np.ndarray, y_dev: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                      folds: Sequence[tuple[np.ndarray, np.ndarray]], *, fs: float, seed: int = 0
                      ) -> dict[str, float]:
    """F_CV of the features + SVM on the development folds and, with a test set, its held-out macro-F1.

    Parameters
    ----------
    X_dev, X_test : np.ndarray [shape=(n, channel, time)]
        Development and held-out windows (``X_test`` may hold none).
    y_dev, y_test : np.ndarray
        Their integer labels.
    folds : sequence of (train, val)
        Positional indices into the development windows: the folds Stage 2 trains on.
    fs : float
        Sampling rate of the windows, Hz.

    Returns
    -------
    dict
        ``"F_CV"``: the mean over folds of the validation macro-F1; ``"held-out"`` (with a test set): the
        macro-F1 on it of the model fitted on every development window; ``"features"``: 46 x channels.
        Windows shorter than the wavelet-packet tree needs (:func:`bearingkit.features.handcrafted.
        min_samples`) have no reference: NaN scores and 0 features.
    """
    if X_dev.shape[-1] < min_samples():
        return {"F_CV": float("nan"), "features": 0.0, **({"held-out": float("nan")} if len(X_test) else {})}
    F_dev = window_features(X_dev, fs=fs)
    y_dev = np.asarray(y_dev)
    scores = [macro_f1(y_dev[val], _classifier(seed).fit(F_dev[train], y_dev[train]).predict(F_dev[val]))
              for train, val in folds]
    out = {"F_CV": float(np.mean(scores)), "features": float(len(FEATURE_NAMES) * X_dev.shape[1])}
    if len(X_test):
        model = _classifier(seed).fit(F_dev, y_dev)
        out["held-out"] = macro_f1(np.asarray(y_test), model.predict(window_features(X_test, fs=fs)))
    return out
