"""Decision-level fusion of several classifiers' posteriors (Sedira et al. 2026, §6.3; Lee et al. 2026, §3.3).

Every input is a ``(n_samples, n_classes)`` array of class probabilities whose rows sum to 1, one per model,
all scoring the same samples over the same classes in the same column order:

* the weighted average ``sum_m w_m P_m`` (:func:`fuse_weighted`); Sedira's Eq. 33 is the two-model case
  ``α P_HMM + (1 - α) S_RBF``, whose weight the paper sweeps (:func:`weight_sweep`) and sets to 0.5;
* stacking (Sedira §6.3.1, "Retraining"; Lee's LightGBM heads): a final classifier trained on the
  concatenated posteriors of all models, obtained out of fold (:func:`make_stacked_fusion`), over folds
  that keep neighbouring windows together (:func:`contiguous_folds`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression

from bearingkit.errors import ParameterError

__all__ = ["contiguous_folds", "fuse_scores", "fuse_weighted", "make_stacked_fusion", "overturn_margin",
           "scale_to_unit_interval", "softmax_with_temperature", "weight_sweep"]

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


def _check_posteriors(posteriors) -> dict[str, np.ndarray]:
    """``{name: array}`` from a mapping or a sequence of arrays (named ``model 0``, ``model 1``, ...)."""
    items = posteriors.items() if isinstance(posteriors, Mapping) else (
        (f"model {i}", p) for i, p in enumerate(posteriors))
    checked = {name: _check_probabilities(p, str(name)) for name, p in items}
    if not checked:
        raise ParameterError("pass the posteriors of at least one model")
    shapes = {name: p.shape for name, p in checked.items()}
    if len(set(shapes.values())) > 1:
        raise ParameterError(f"the posteriors have different shapes {shapes}: every model must score the "
                             f"same samples over the same classes, in the same column order")
    return checked


def fuse_weighted(posteriors: Mapping[str, np.ndarray] | Sequence[np.ndarray],
                  weights: Sequence[float] | None = None) -> np.ndarray:
    """Weighted score fusion ``Score(k) = sum_m w_m P_m(k)`` with ``sum_m w_m = 1`` (Sedira Eq. 33 for two).

    Parameters
    ----------
    posteriors : mapping of name to np.ndarray, or sequence of np.ndarray [shape=(n_samples, n_classes)]
        Each model's class probabilities (its ``predict_proba``); rows sum to 1.
    weights : sequence of float >= 0 or None
        One weight per model, summing to 1, in the order of ``posteriors``; ``None``: equal weights.
        Sedira's ``α = 0.5`` is ``weights=(0.5, 0.5)`` for ``(P_HMM, S_RBF)``.

    Returns
    -------
    score : np.ndarray [shape=(n_samples, n_classes)]
        Rows sum to 1; the fused decision is its arg-max.

    Raises
    ------
    ParameterError
        If the weights are negative, do not sum to 1 or do not match the models, the shapes differ, or a row
        is not a probability vector.

    Examples
    --------
    >>> fuse_weighted({"hmm": [[0.9, 0.1]], "rbf": [[0.3, 0.7]]}, weights=(0.5, 0.5))
    array([[0.6, 0.4]])
    >>> fuse_weighted([[[1.0, 0.0]], [[0.0, 1.0]], [[0.0, 1.0]]]).round(3)
    array([[0.333, 0.667]])
    """
    checked = _check_posteriors(posteriors)
    n = len(checked)
    w = np.full(n, 1.0 / n) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0) or abs(w.sum() - 1.0) > _ATOL:
        raise ParameterError(f"weights must be {n} non-negative numbers summing to 1 (one per model: "
                             f"{', '.join(map(str, checked))}), got {weights!r}")
    return sum(wi * p for wi, p in zip(w, checked.values(), strict=True))


def weight_sweep(p_first, p_second, y, weights=None, *, classes=None) -> np.ndarray:
    """Accuracy of the two-model fusion for each weight of the first model: the accuracy-versus-α curve.

    Sedira et al. §6.3.1 sweep ``α``, the weight of ``P_HMM`` in Eq. 33; ``S_RBF`` gets ``1 - α``.

    Parameters
    ----------
    p_first, p_second : np.ndarray [shape=(n_samples, n_classes)]
        The two models' posteriors, as :func:`fuse_weighted`.
    y : np.ndarray [shape=(n_samples,)]
        True labels.
    weights : sequence of float in [0, 1] or None
        Weights of the first model; ``None``: ``0, 0.1, ..., 1``.
    classes : np.ndarray [shape=(n_classes,)] or None
        Label of each column (the estimators' ``classes_``); ``None``: column ``k`` is label ``k``.

    Returns
    -------
    accuracy : np.ndarray [shape=(len(weights),)]

    Examples
    --------
    >>> p_hmm = np.array([[0.9, 0.1], [0.6, 0.4]])
    >>> p_rbf = np.array([[0.2, 0.8], [0.1, 0.9]])
    >>> weight_sweep(p_hmm, p_rbf, [0, 1], weights=[0.0, 0.5, 1.0])
    array([0.5, 1. , 0.5])
    """
    pair = _check_posteriors({"p_first": p_first, "p_second": p_second})
    weights = np.linspace(0.0, 1.0, 11) if weights is None else np.asarray(weights, dtype=float)
    n_samples, n_classes = pair["p_first"].shape
    classes = np.arange(n_classes) if classes is None else np.asarray(classes)
    y = np.asarray(y)
    if y.shape != (n_samples,) or len(classes) != n_classes:
        raise ParameterError(
            f"y must hold one label per row ({n_samples}) and classes one label per column "
            f"({n_classes}); got y of shape {y.shape} and {len(classes)} classes"
        )
    if np.any((weights < 0) | (weights > 1)):
        raise ParameterError(f"weights of the first model must lie in [0, 1], got {weights!r}")
    predicted = (classes[np.argmax(fuse_weighted(pair, (a, 1.0 - a)), axis=1)] for a in weights)
    return np.array([np.mean(labels == y) for labels in predicted])


def make_stacked_fusion(estimators: Mapping[str, object], *, final_estimator=None, cv=5,
                        n_jobs=None) -> StackingClassifier:
    """Stacking: a final classifier on the concatenated posteriors of every model (Sedira §6.3.1).

    Returns scikit-learn's ``StackingClassifier`` with ``stack_method="predict_proba"``. Its ``fit`` obtains
    the training set's posteriors *out of fold* (``cross_val_predict`` over ``cv``), so the final classifier
    learns how far to trust each model from scores on data that model has not seen (in-sample posteriors are
    over-confident, above all an HMM's), then refits every model on all the training data for prediction.
    For ``n_classes`` classes and ``M`` models the final classifier sees ``M n_classes`` inputs (8 for
    Sedira's HMM + RBF network on 4 classes); with two classes scikit-learn keeps one column per model.

    Every model receives the same ``X``. When they need different columns (sequences for an HMM, one feature
    vector for a network), give each a ``Pipeline`` that starts with a column selector. With overlapping
    windows cut from a few recordings, pass grouped or contiguous folds as ``cv`` (e.g. the splits of
    ``GroupKFold`` as a list): shuffled folds put neighbours of every held-out window in the training folds
    and the out-of-fold scores leak.

    Parameters
    ----------
    estimators : mapping of name to classifier
        The models to fuse, e.g. ``{"hmm": LeftRightHMMClassifier(), "rbf": RBFNetworkClassifier()}``.
    final_estimator : classifier or None
        ``None``: ``LogisticRegression(max_iter=1000)``.
    cv : int, splitter or iterable of splits, default=5
        As in ``cross_val_predict``.
    n_jobs : int or None
        Parallel jobs for the models' cross-validation.

    Returns
    -------
    stacking : sklearn.ensemble.StackingClassifier
        Unfitted.
    """
    if not isinstance(estimators, Mapping) or len(estimators) < 1:
        raise ParameterError("estimators must be a non-empty mapping {name: classifier}")
    return StackingClassifier(
        estimators=list(estimators.items()),
        final_estimator=LogisticRegression(max_iter=1000) if final_estimator is None else final_estimator,
        cv=cv,
        stack_method="predict_proba",
        n_jobs=n_jobs,
    )


def contiguous_folds(groups: pd.DataFrame, y, *, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds for overlapping windows: contiguous chunks of each class, overlaps purged.

    Each class's windows, in the order (record, start), are cut into ``n_splits`` contiguous chunks; fold
    ``k`` tests chunk ``k`` of every class (so every fold sees every class) and trains on the others, minus
    any training window that shares a sample with a test window of the same record. Shuffled folds would
    put the neighbours of every held-out window, which share most of its samples, in the training folds.

    Parameters
    ----------
    groups : pd.DataFrame
        One row per window with ``record``, ``start``, ``stop`` (``Segments.groups``).
    y : array-like [shape=(n_windows,)]
        Class of each window.
    n_splits : int >= 2
        Folds; every class needs at least ``n_splits`` windows.

    Returns
    -------
    list of (train, test)
        Positional indices; the test parts partition ``0 .. n_windows - 1`` (as ``cross_val_predict``
        requires).

    Raises
    ------
    ParameterError
        A missing column, a length mismatch, ``n_splits < 2`` or a class with fewer windows than folds.

    Examples
    --------
    >>> starts = [0, 2, 4, 6, 8, 10]
    >>> groups = pd.DataFrame({"record": ["a"] * 6, "start": starts, "stop": [s + 4 for s in starts]})
    >>> [(tr.tolist(), te.tolist()) for tr, te in contiguous_folds(groups, [0] * 6, n_splits=2)]
    [([4, 5], [0, 1, 2]), ([0, 1], [3, 4, 5])]
    """
    missing = {"record", "start", "stop"} - set(groups.columns)
    y = np.asarray(y)
    if missing or len(y) != len(groups):
        raise ParameterError(f"groups needs the columns record, start, stop (missing {sorted(missing)}) and "
                             f"one row per label ({len(groups)} rows, {len(y)} labels)")
    classes, counts = np.unique(y, return_counts=True)
    if n_splits < 2 or counts.min() < n_splits:
        raise ParameterError(f"n_splits must be >= 2 and at most the smallest class size "
                             f"({dict(zip(classes.tolist(), counts.tolist(), strict=True))}); got {n_splits}")
    record = groups["record"].astype(str).to_numpy()
    start, stop = groups["start"].to_numpy(), groups["stop"].to_numpy()
    fold = np.empty(len(y), dtype=int)
    for c in classes:
        members = np.flatnonzero(y == c)
        ordered = members[np.lexsort((start[members], record[members]))]
        fold[ordered] = np.arange(len(ordered)) * n_splits // len(ordered)
    out = []
    for k in range(n_splits):
        test = np.flatnonzero(fold == k)
        shares = np.zeros(len(y), dtype=bool)
        for r in np.unique(record[test]):
            in_test = test[record[test] == r]
            same = record == r
            shares |= same & (start < stop[in_test].max()) & (stop > start[in_test].min())
        out.append((np.flatnonzero((fold != k) & ~shares), test))
    return out


def scale_to_unit_interval(scores) -> np.ndarray:
    """Each row min-max scaled to ``[0, 1]``: its best class 1, its worst 0 (Sedira et al. §6.3.1).

    The paper fuses the two score vectors "after scaling them (usually [0, 1])"; applied to the HMM's
    log-likelihoods, this reading keeps their order within a window but not their distance, unlike the
    softmax it also describes. A row whose scores are all equal becomes all ones.

    Parameters
    ----------
    scores : array-like [shape=(n_samples, n_classes)]
        Finite scores, e.g. ``log P(O | λ_k)``.

    Returns
    -------
    scaled : np.ndarray [shape=(n_samples, n_classes)]
        Values in ``[0, 1]``; rows do not sum to 1.

    Examples
    --------
    >>> scale_to_unit_interval([[-900.0, -100.0, -500.0]])
    array([[0. , 1. , 0.5]])
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 2 or not np.all(np.isfinite(s)):
        raise ParameterError(f"scores must be a finite 2-D array (n_samples, n_classes), got shape {s.shape}")
    low, high = s.min(axis=1, keepdims=True), s.max(axis=1, keepdims=True)
    span = high - low
    return np.where(span > 0, (s - low) / np.where(span > 0, span, 1.0), 1.0)


def softmax_with_temperature(scores, temperature: float) -> np.ndarray:
    """``softmax(scores / T)`` per row: class probabilities from log-likelihoods at temperature ``T``.

    ``T = 1`` is the softmax Sedira et al. print (§6.3.1); a larger ``T`` flattens the distribution, so a gap
    of ``T`` nats between two classes becomes a probability ratio of ``e`` instead of ``e**T``.

    Parameters
    ----------
    scores : array-like [shape=(n_samples, n_classes)]
    temperature : float > 0
        In the units of ``scores`` (nats for log-likelihoods).

    Returns
    -------
    proba : np.ndarray [shape=(n_samples, n_classes)]
        Rows sum to 1.

    Examples
    --------
    >>> softmax_with_temperature([[0.0, -40.0]], 1.0).round(6)
    array([[1., 0.]])
    >>> softmax_with_temperature([[0.0, -40.0]], 40.0).round(3)
    array([[0.731, 0.269]])
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 2 or not np.all(np.isfinite(s)):
        raise ParameterError(f"scores must be a finite 2-D array (n_samples, n_classes), got shape {s.shape}")
    if not (np.isfinite(temperature) and temperature > 0):
        raise ParameterError(f"temperature must be a positive number, got {temperature!r}")
    z = s / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def fuse_scores(first, second, alpha: float) -> np.ndarray:
    """``α · first + (1 - α) · second`` for two score arrays in ``[0, 1]`` whose rows need not sum to 1.

    Eq. 33 of Sedira et al. when the HMM side is scaled to ``[0, 1]`` (:func:`scale_to_unit_interval`)
    rather than a probability vector; :func:`fuse_weighted` is the case of two probability arrays.

    Parameters
    ----------
    first, second : array-like [shape=(n_samples, n_classes)]
        Values in ``[0, 1]``.
    alpha : float in [0, 1]
        Weight of ``first``.

    Returns
    -------
    score : np.ndarray [shape=(n_samples, n_classes)]

    Examples
    --------
    >>> fuse_scores([[0.0, 1.0]], [[0.9, 0.1]], 0.5)
    array([[0.45, 0.55]])
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if a.shape != b.shape or a.ndim != 2:
        raise ParameterError(f"first and second must be 2-D arrays of one shape, got {a.shape} and {b.shape}")
    for name, v in (("first", a), ("second", b)):
        if not np.all(np.isfinite(v)) or v.min() < -_ATOL or v.max() > 1 + _ATOL:
            raise ParameterError(f"{name} must hold finite values in [0, 1]")
    if not 0.0 <= alpha <= 1.0:
        raise ParameterError(f"alpha must lie in [0, 1], got {alpha!r}")
    return alpha * a + (1.0 - alpha) * b


def overturn_margin(p_first, alpha: float) -> np.ndarray:
    """The margin the second model needs to move Eq. 33's decision away from the first model's class.

    With ``Score(k) = α P(k) + (1 - α) S(k)`` and ``j`` the first model's class, another class ``k`` wins only
    if ``S(k) - S(j) > α (P(j) - P(k)) / (1 - α)``. This returns that bound for the runner-up ``k`` (the
    easiest to promote). ``S`` is a probability vector, so ``S(k) - S(j) <= 1``: a margin of 1 or more
    means no ``S`` can overturn the first model (at exactly 1, only a one-hot ``S`` on ``k`` ties it). At
    ``α = 0.5`` the margin is ``P(j) - P(k)``, 1 exactly when ``P`` is one-hot in floating point.

    Parameters
    ----------
    p_first : np.ndarray [shape=(n_samples, n_classes)]
        The first model's probabilities (Sedira: ``P_HMM``); rows sum to 1.
    alpha : float in [0, 1)
        Weight of the first model.

    Returns
    -------
    margin : np.ndarray [shape=(n_samples,)]

    Examples
    --------
    >>> overturn_margin(np.array([[1.0, 0.0, 0.0], [0.6, 0.3, 0.1]]), 0.5).round(3)
    array([1. , 0.3])
    """
    p = _check_probabilities(p_first, "p_first")
    if not 0.0 <= alpha < 1.0:
        raise ParameterError(f"alpha must lie in [0, 1) (alpha = 1 leaves the second model no weight), "
                             f"got {alpha!r}")
    top2 = np.sort(p, axis=1)[:, -2:]
    return alpha * (top2[:, 1] - top2[:, 0]) / (1.0 - alpha)
