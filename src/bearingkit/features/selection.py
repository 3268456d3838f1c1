"""Feature selection and reduction of Sedira & Felkaoui (2026), §3.4: Fisher score, top-k, then PCA.

:func:`make_feature_pipeline` chains ``StandardScaler -> FisherSelector(k=10) -> PCA(97 %)``, the paper's
§3.4.1-§3.4.2 [1]_, as one scikit-learn estimator: fitted on the training split only, it carries the scaler's
means, the Fisher ranking and the PCA axes to the test split without ever seeing it.

References
----------
.. [1] Sedira, M. & Felkaoui, A. (2026). A hybrid HMM-RBFNN system using relevant and non-redundant
       features for bearing fault classification. Comptes Rendus. Mécanique. doi:10.5802/crmeca.350,
       §3.4, Eq. 21 and Fig. 4.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectorMixin
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from bearingkit.errors import ParameterError

__all__ = ["FisherSelector", "explained_variance_table", "fisher_score", "make_feature_pipeline"]


def fisher_score(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Fisher score of each feature: between-class over within-class scatter (Eq. 21).

    .. math:: F(x_i) = \frac{\sum_{c=1}^{C} N_c (\mu_c - \mu)^2}
                             {\sum_{c=1}^{C} \sum_{j=1}^{N_c} (x_{c,j} - \mu_c)^2}

    with ``N_c`` samples, mean ``mu_c`` in class ``c`` and overall mean ``mu``. The paper prints
    ``mu_{c,j}`` in the denominator where the sample ``x_{c,j}`` is meant. The denominator equals
    ``sum_c N_c sigma_c**2`` (``sigma_c`` the population standard deviation in class ``c``), so this is the
    usual Fisher score. It is unchanged by any affine rescaling of a feature, so it ranks features
    identically before and after standardisation.

    Parameters
    ----------
    X : np.ndarray [shape=(n_samples, n_features)]
        Finite feature values.
    y : np.ndarray [shape=(n_samples,)]
        Class labels (any hashable values).

    Returns
    -------
    scores : np.ndarray [shape=(n_features,)]
        Non-negative; ``inf`` for a feature constant within every class but not across classes, 0 for a
        feature constant everywhere.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ParameterError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ParameterError(f"y must be 1-D with one label per row of X ({X.shape[0]}), got shape {y.shape}")
    if not np.isfinite(X).all():
        columns = np.flatnonzero(~np.isfinite(X).all(axis=0))
        raise ParameterError(f"X holds NaN or infinity in feature columns {columns.tolist()}")
    return _fisher_score(X, y)


def _fisher_score(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    one_hot = inverse[:, None] == np.arange(counts.size)
    class_means = (one_hot.T @ X) / counts[:, None]
    between = counts @ (class_means - X.mean(axis=0)) ** 2
    within = np.sum((X - class_means[inverse]) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(within > 0, between / within, np.where(between > 0, np.inf, 0.0))


class FisherSelector(SelectorMixin, BaseEstimator):
    """Keep the ``k`` features with the highest Fisher score (Eq. 21; the paper keeps ten, §3.4.1).

    Parameters
    ----------
    k : int >= 1 or "all"
        Number of features kept. If ``k`` exceeds the number of features, all are kept with a warning
        (as :class:`sklearn.feature_selection.SelectKBest` does).

    Attributes
    ----------
    scores_ : np.ndarray [shape=(``n_features_in_``,)]
        Fisher score of each feature.
    ranking_ : np.ndarray [shape=(``n_features_in_``,)]
        Feature indices from the highest score down (ties: lower index first).
    n_features_in_ : int
    feature_names_in_ : np.ndarray
        Only when ``X`` had string column names.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 5.0], [0.1, 1.0], [1.0, 4.0], [1.1, 2.0]])
    >>> FisherSelector(k=1).fit(X, [0, 0, 1, 1]).get_support()
    array([ True, False])
    """

    _parameter_constraints: dict = {"k": [Interval(Integral, 1, None, closed="left"), StrOptions({"all"})]}

    def __init__(self, k=10):
        self.k = k

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Score every feature of ``X`` against the class labels ``y``; returns ``self``."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        if self.k != "all" and self.k > X.shape[1]:
            warnings.warn(
                f"k={self.k} is greater than n_features={X.shape[1]}: all features are kept",
                UserWarning,
                stacklevel=3,  # the caller of fit, past _fit_context's wrapper
            )
        self.scores_ = _fisher_score(X, y)
        self.ranking_ = np.argsort(-self.scores_, kind="stable")
        return self

    def _get_support_mask(self):
        check_is_fitted(self)
        keep = self.ranking_ if self.k == "all" else self.ranking_[: self.k]
        mask = np.zeros(self.n_features_in_, dtype=bool)
        mask[keep] = True
        return mask

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


def make_feature_pipeline(*, k: int = 10, variance: float = 0.97) -> Pipeline:
    """The paper's reduction chain (§3.4): standardise, keep the ``k`` best Fisher scores, PCA.

    Why scale first: the 46 features span many orders of magnitude (spectral energy grows as ``N**2``,
    the bandwidth is in Hz**2, frequencies in Hz, the fifth moment in g**5, skewness is of order 1), and
    PCA maximises variance in the units it is given, so without standardisation the first components would
    simply be the features with the largest units. The Fisher score itself is scale-invariant, so scaling
    does not change which ``k`` features are kept.

    Fit on the training split only (``pipe.fit(X_train, y_train)``, then ``pipe.transform(X_test)``):
    scaler means and standard deviations, the Fisher ranking and the PCA axes are then estimated without
    the test data, as any of them fitted on all data would leak it into the evaluation.

    Parameters
    ----------
    k : int >= 1
        Features kept by the Fisher score (the paper: 10).
    variance : float in (0, 1)
        Fraction of the variance the retained principal components must explain (the paper: 0.97).

    Returns
    -------
    pipeline : sklearn.pipeline.Pipeline
        Steps ``"scale"`` (:class:`~sklearn.preprocessing.StandardScaler`), ``"fisher"``
        (:class:`FisherSelector`) and ``"pca"`` (:class:`~sklearn.decomposition.PCA` with
        ``svd_solver="full"``, deterministic); unfitted.

    See Also
    --------
    explained_variance_table : the table behind the paper's Fig. 4.
    """
    if not 0 < variance < 1:
        raise ParameterError(f"variance={variance!r} must be a fraction of the total variance in (0, 1)")
    return Pipeline([
        ("scale", StandardScaler()),
        ("fisher", FisherSelector(k=k)),
        ("pca", PCA(n_components=variance, svd_solver="full")),
    ])


def explained_variance_table(pipeline: Pipeline, *, X: np.ndarray | None = None) -> pd.DataFrame:
    """Explained variance per principal component of a fitted pipeline, for the paper's Fig. 4.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        A fitted pipeline whose last step is a PCA, e.g. from :func:`make_feature_pipeline`.
    X : np.ndarray [shape=(n_samples, n_features)] or None
        The training data the pipeline was fitted on. If given, every component of the selected features
        is listed (the fitted PCA keeps only the retained ones), so a figure can show where the threshold
        cuts; otherwise only the retained components.

    Returns
    -------
    table : pandas.DataFrame
        One row per component: ``component`` ("PC1", ...), ``explained_variance``, ``ratio``,
        ``cumulative`` (cumulative ratio) and ``retained`` (kept by the fitted PCA).
    """
    pca = pipeline[-1] if isinstance(pipeline, Pipeline) else None
    if not isinstance(pca, PCA):
        raise ParameterError(
            "pipeline must be a Pipeline whose last step is a PCA (make_feature_pipeline's is)"
        )
    check_is_fitted(pca)
    if X is not None:
        pca = PCA(svd_solver="full").fit(pipeline[:-1].transform(X))
    retained = np.arange(pca.n_components_) < pipeline[-1].n_components_
    return pd.DataFrame({
        "component": [f"PC{i + 1}" for i in range(pca.n_components_)],
        "explained_variance": pca.explained_variance_,
        "ratio": pca.explained_variance_ratio_,
        "cumulative": np.cumsum(pca.explained_variance_ratio_),
        "retained": retained,
    })
