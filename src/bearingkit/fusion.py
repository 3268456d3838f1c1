"""Decision-level fusion of the HMM and RBF network scores (Sedira et al. 2026, §6.3).

Two ways to combine ``P_HMM`` (the softmax of the HMM log-likelihoods) and ``S_RBF`` (the RBF network's
outputs scaled to ``[0, 1]``), both ``(n_samples, n_classes)`` with rows summing to 1:

* the weighted average of Eq. 33, ``α P_HMM + (1 - α) S_RBF`` (:func:`fuse_weighted`), whose ``α`` the
  paper sweeps (:func:`alpha_sweep`) and sets to 0.5;
* stacking (§6.3.1, "Retraining"): a final classifier, by default logistic regression, trained on the
  concatenated ``[P_HMM, S_RBF]`` vectors (8-D for 4 classes) (:func:`make_stacked_fusion`).
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression

from bearingkit.errors import ParameterError

_ATOL = 1e-6


def _check_probabilities(p, name: str) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.ndim != 2 or not np.all(np.isfinite(p)):
        raise ParameterError(f"{name} must be a finite 2-D array (n_samples, n_classes), got shape {p.shape}")
    bad = (p.min(axis=1) < -_ATOL) | (np.abs(p.sum(axis=1) - 1.0) > _ATOL)
    if bad.any():
        i = int(np.argmax(bad))
        raise ParameterError(
            f"row {i} of {name} is not a probability vector (min {p[i].min():.3g}, sum {p[i].sum():.6g}): "
            f"pass predict_proba outputs, not raw scores or log-likelihoods"
        )
    return p


def _check_pair(p_hmm, p_rbf) -> tuple[np.ndarray, np.ndarray]:
    p_hmm, p_rbf = _check_probabilities(p_hmm, "p_hmm"), _check_probabilities(p_rbf, "p_rbf")
    if p_hmm.shape != p_rbf.shape:
        raise ParameterError(
            f"p_hmm has shape {p_hmm.shape} but p_rbf has shape {p_rbf.shape}: both must score the same "
            f"samples over the same classes, in the same column order"
        )
    return p_hmm, p_rbf


def fuse_weighted(p_hmm, p_rbf, alpha: float = 0.5) -> np.ndarray:
    """Weighted score fusion, ``Score(k) = α P_HMM(k) + (1 - α) S_RBF(k)`` (Eq. 33).

    Parameters
    ----------
    p_hmm : np.ndarray [shape=(n_samples, n_classes)]
        HMM class probabilities (``LeftRightHMMClassifier.predict_proba``); rows sum to 1.
    p_rbf : np.ndarray [shape=(n_samples, n_classes)]
        RBF network scores in ``[0, 1]`` (``RBFNetworkClassifier.predict_proba``); rows sum to 1.
    alpha : float in [0, 1]
        Weight of the HMM; 0.5 in the paper.

    Returns
    -------
    score : np.ndarray [shape=(n_samples, n_classes)]
        Rows sum to 1; the fused decision is its arg-max.

    Raises
    ------
    ParameterError
        If ``alpha`` is outside ``[0, 1]``, the shapes differ, or a row is not a probability vector.

    Examples
    --------
    >>> fuse_weighted([[0.9, 0.1]], [[0.3, 0.7]], alpha=0.5)
    array([[0.6, 0.4]])
    """
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError(f"alpha must lie in [0, 1], got {alpha!r}")
    p_hmm, p_rbf = _check_pair(p_hmm, p_rbf)
    return alpha * p_hmm + (1.0 - alpha) * p_rbf


def alpha_sweep(p_hmm, p_rbf, y, alphas=None, *, classes=None) -> np.ndarray:
    """Accuracy of the Eq. 33 fusion for each ``α``: the accuracy-versus-``α`` curve (§6.3.1).

    Parameters
    ----------
    p_hmm, p_rbf : np.ndarray [shape=(n_samples, n_classes)]
        As :func:`fuse_weighted`.
    y : np.ndarray [shape=(n_samples,)]
        True labels.
    alphas : sequence of float in [0, 1] or None
        ``None``: ``0, 0.1, ..., 1``.
    classes : np.ndarray [shape=(n_classes,)] or None
        Label of each column (the estimators' ``classes_``); ``None``: column ``k`` is label ``k``.

    Returns
    -------
    accuracy : np.ndarray [shape=(len(alphas),)]

    Examples
    --------
    >>> p_hmm = np.array([[0.9, 0.1], [0.6, 0.4]])
    >>> p_rbf = np.array([[0.2, 0.8], [0.1, 0.9]])
    >>> alpha_sweep(p_hmm, p_rbf, [0, 1], alphas=[0.0, 0.5, 1.0])
    array([0.5, 1. , 0.5])
    """
    p_hmm, p_rbf = _check_pair(p_hmm, p_rbf)
    alphas = np.linspace(0.0, 1.0, 11) if alphas is None else alphas
    classes = np.arange(p_hmm.shape[1]) if classes is None else np.asarray(classes)
    y = np.asarray(y)
    if y.shape != (p_hmm.shape[0],) or len(classes) != p_hmm.shape[1]:
        raise ParameterError(
            f"y must hold one label per row ({p_hmm.shape[0]}) and classes one label per column "
            f"({p_hmm.shape[1]}); got y of shape {y.shape} and {len(classes)} classes"
        )
    predicted = (classes[np.argmax(fuse_weighted(p_hmm, p_rbf, a), axis=1)] for a in alphas)
    return np.array([np.mean(labels == y) for labels in predicted])


def make_stacked_fusion(hmm, rbf, *, final_estimator=None, cv=5, n_jobs=None) -> StackingClassifier:
    """The stacking variant of §6.3.1: a final classifier on the concatenated ``[P_HMM, S_RBF]`` vectors.

    Returns scikit-learn's ``StackingClassifier`` with ``stack_method="predict_proba"``. Its ``fit`` obtains
    the training set's ``P_HMM`` and ``S_RBF`` *out of fold* (``cross_val_predict`` over ``cv``), so the
    final classifier learns how far to trust each model from scores on data that model has not seen
    (in-sample posteriors are over-confident, above all the HMM's), then refits both models on all the
    training data for prediction. For ``n_classes`` classes the final classifier sees ``2 n_classes``
    inputs (8 for the paper's 4 classes); with two classes scikit-learn keeps one column per model.

    Both models receive the same ``X``. When they need different columns (sequences for the HMM, one feature
    vector for the network), give each a ``Pipeline`` that starts with a column selector. With windows cut
    from a few recordings, pass a grouped splitter as ``cv`` (e.g. the splits of ``GroupKFold`` as a list),
    or the out-of-fold scores leak.

    Parameters
    ----------
    hmm : classifier
        Usually :class:`bearingkit.models.LeftRightHMMClassifier`.
    rbf : classifier
        Usually :class:`bearingkit.models.RBFNetworkClassifier`.
    final_estimator : classifier or None
        ``None``: ``LogisticRegression(max_iter=1000)``.
    cv : int, splitter or iterable of splits, default=5
        As in ``cross_val_predict``.
    n_jobs : int or None
        Parallel jobs for the base models' cross-validation.

    Returns
    -------
    stacking : sklearn.ensemble.StackingClassifier
        Unfitted.
    """
    return StackingClassifier(
        estimators=[("hmm", hmm), ("rbf", rbf)],
        final_estimator=LogisticRegression(max_iter=1000) if final_estimator is None else final_estimator,
        cv=cv,
        stack_method="predict_proba",
        n_jobs=n_jobs,
    )
