"""Classification metrics the papers report, with the counts behind them."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy.stats import binomtest
from sklearn.metrics import confusion_matrix

from bearingkit.errors import ParameterError

__all__ = ["accuracy_interval", "per_class_accuracy"]


def per_class_accuracy(y_true, y_pred, *, n_classes: int) -> np.ndarray:
    """Recall of each class ``0 .. n_classes - 1`` (what Sedira et al.'s Table 8 calls accuracy per class).

    Returns
    -------
    np.ndarray [shape=(n_classes,)]
        Fraction of each class's samples predicted as that class; NaN for a class absent from ``y_true``.

    Examples
    --------
    >>> per_class_accuracy([0, 0, 1, 1], [0, 1, 1, 1], n_classes=3)
    array([0.5, 1. , nan])
    """
    matrix = confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diag(matrix) / matrix.sum(axis=1)


def accuracy_interval(n_correct: int, n_total: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) binomial interval of an accuracy ``n_correct / n_total``, as fractions.

    A small test set moves an accuracy in steps of ``1 / n_total``; the interval says how far the true
    accuracy may lie from the one measured (``scipy.stats.binomtest(...).proportion_ci``).

    Raises
    ------
    ParameterError
        If the counts are not integers with ``0 <= n_correct <= n_total`` and ``n_total >= 1``.

    Examples
    --------
    >>> low, high = accuracy_interval(14, 14)
    >>> round(low, 3), high
    (0.768, 1.0)
    """
    counts_ok = all(isinstance(v, Integral) and not isinstance(v, bool) for v in (n_correct, n_total))
    if not counts_ok or n_total < 1 or not 0 <= n_correct <= n_total:
        raise ParameterError(f"need integer counts 0 <= n_correct <= n_total, n_total >= 1; got "
                             f"{n_correct!r} of {n_total!r}")
    ci = binomtest(int(n_correct), int(n_total)).proportion_ci(confidence_level=confidence, method="exact")
    return float(ci.low), float(ci.high)
