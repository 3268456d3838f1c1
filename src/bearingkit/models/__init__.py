"""Classifiers with the scikit-learn estimator API (``fit``, ``predict``, ``predict_proba``, ``get_params``).

Sedira et al. (2026): :class:`LeftRightHMMClassifier` (§6.1) and :class:`RBFNetworkClassifier` (§6.2).
"""

from bearingkit.models.hmm import LeftRightHMMClassifier
from bearingkit.models.rbfnn import RBFNetworkClassifier

__all__ = ["LeftRightHMMClassifier", "RBFNetworkClassifier"]
