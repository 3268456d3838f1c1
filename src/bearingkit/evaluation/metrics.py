"""Classification metrics the papers report, with the counts behind them."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import confusion_matrix


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
