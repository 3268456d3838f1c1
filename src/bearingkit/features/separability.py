r"""Training-free screening of preprocessing candidates by a Class Separability Score (Lee et al. 2026, §2.1).

Each preprocessed window is summarised by seven *proxy statistics* (mean, standard deviation, kurtosis,
skewness, peak, peak-to-peak, RMS; §2.1) per channel. On that feature space five separability metrics are
computed (App. A of Lee et al. [1]_):

* Fisher's discriminant ratio :math:`R_F = \mathrm{tr}(S_B) / \mathrm{tr}(S_W)` (Eq. A5);
* the Mahalanobis distance :math:`D_M` between class means under the pooled covariance (Eq. A1);
* the Gaussian Bhattacharyya distance :math:`D_B` (Eq. A4);
* the silhouette score :math:`S` (Eq. A3);
* the Kullback-Leibler divergence :math:`D_{KL}` (Eq. A2), here between Gaussian fits of the classes,
  symmetrised (:math:`D_{KL}(p\|q) + D_{KL}(q\|p)`), since the paper gives neither the density estimate nor
  the direction.

The four pairwise metrics (``D_M``, ``D_B``, ``D_KL`` and the silhouette's neighbours) are averaged over all
class pairs; the paper does not say how it reduces them to one number per candidate.

App. A.6: the distance and divergence metrics (``R_F``, ``D_M``, ``D_B``, ``D_KL``) go through
:math:`\ln(1 + x)`, every metric is then min-max normalised over the candidate pool, and Eq. 1 sums them with
equal weights :math:`w_k = 0.2`:

.. math:: \mathrm{CSS}_t = \sum_{k=1}^{5} w_k z_{k,t}

Eq. 2 picks the candidate of largest CSS, per branch. CSS is *relative to the pool*: adding or removing a
candidate moves the min-max bounds and can change every other candidate's score.

Two choices are ours: the proxy features are z-scored over all windows before the metrics (so that
``R_F``, whose trace mixes units, does not just rank the candidate with the largest raw amplitudes), and a
ridge of ``1e-6`` times the mean variance keeps covariances invertible (peak and peak-to-peak are nearly
collinear). A consequence worth knowing: once the features are z-scored, every metric is invariant to a
per-channel gain on the signal. After a band-pass the signal's mean and median are close to zero, so robust,
z-score and min-max scaling fitted on a training set are (nearly) such gains, and CSS cannot rank them; only
filters, representations and segmentations move it.

References
----------
.. [1] Lee, J., Park, S. & Kook, J. (2026). Bearing fault diagnosis with hybrid CNN-RNN: a unified-loop
   hyperparameter optimization framework via surrogate-based Bayesian optimization. *CMES* 147(3), 11.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from types import MappingProxyType

import numpy as np
import pandas as pd
from sklearn.metrics import silhouette_score

from bearingkit.errors import ParameterError

__all__ = ["EQUAL_WEIGHTS", "LOG_METRICS", "METRICS", "PROXY_STATISTICS", "best_candidate",
           "bhattacharyya_distance", "class_separability_score", "fisher_ratio", "kl_divergence",
           "mahalanobis_distance", "normalise_metrics", "proxy_statistics", "screen", "separability_metrics",
           "silhouette", "standardise"]

#: The seven proxy statistics of §2.1, in column order.
PROXY_STATISTICS = ("mean", "std", "kurtosis", "skewness", "peak", "peak_to_peak", "rms")
#: The five metrics of Eq. 1 (App. A), in the order of the paper's Fig. 7a.
METRICS = ("fisher", "mahalanobis", "bhattacharyya", "silhouette", "kl_divergence")
#: Metrics that App. A.6 log-transforms with ln(1 + x) before min-max normalisation.
LOG_METRICS = ("fisher", "mahalanobis", "bhattacharyya", "kl_divergence")
#: Equal weights of Eq. 1.
EQUAL_WEIGHTS = MappingProxyType(dict.fromkeys(METRICS, 0.2))
_RIDGE = 1e-6


def proxy_statistics(X) -> np.ndarray:
    """The seven proxy statistics of every window (Lee et al. §2.1), channel by channel.

    Parameters
    ----------
    X : array_like [shape=(n_windows, time) or (n_windows, channel, time)]
        Preprocessed windows.

    Returns
    -------
    F : np.ndarray [shape=(n_windows, 7 * n_channels)]
        Columns ``PROXY_STATISTICS`` of channel 0, then of channel 1, ... Kurtosis is Pearson's (3 for a
        Gaussian); peak is the largest absolute value.

    Raises
    ------
    ParameterError
        If ``X`` is not 2-D or 3-D, has fewer than 2 samples per window, or holds NaN or infinite values.

    Examples
    --------
    >>> F = proxy_statistics(np.array([[1.0, -1.0, 1.0, -1.0]]))
    >>> dict(zip(PROXY_STATISTICS, F[0].round(3)))["rms"]
    np.float64(1.0)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 2:
        X = X[:, None, :]
    if X.ndim != 3 or X.shape[-1] < 2:
        raise ParameterError(f"X must be (n_windows, time) or (n_windows, channel, time) with at least 2 "
                             f"samples per window, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ParameterError("X holds NaN or infinite values: check the preprocessing candidate that made it")
    mean = X.mean(axis=-1)
    std = X.std(axis=-1)
    safe = np.where(std > 0, std, 1.0)
    centred = (X - mean[..., None]) / safe[..., None]
    kurtosis = np.where(std > 0, np.mean(centred**4, axis=-1), 0.0)
    skewness = np.where(std > 0, np.mean(centred**3, axis=-1), 0.0)
    peak = np.abs(X).max(axis=-1)
    peak_to_peak = np.ptp(X, axis=-1)
    rms = np.sqrt(np.mean(X**2, axis=-1))
    stats = np.stack([mean, std, kurtosis, skewness, peak, peak_to_peak, rms], axis=-1)
    return stats.reshape(len(X), -1)


def _classes(F, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    F = np.asarray(F, dtype=float)
    y = np.asarray(y)
    if F.ndim != 2 or len(F) != len(y):
        raise ParameterError(f"F must be (n_windows, n_features) with one label per row; got F {F.shape}, "
                             f"y {y.shape}")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2 or counts.min() < 2:
        raise ParameterError(f"separability needs at least 2 classes with 2 windows each; got counts "
                             f"{dict(zip(classes.tolist(), counts.tolist(), strict=True))}")
    return F, y, classes


def standardise(F) -> np.ndarray:
    """Z-score every column over all windows; constant columns become 0 (see the module docstring)."""
    F = np.asarray(F, dtype=float)
    std = F.std(axis=0)
    return (F - F.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _covariance(F) -> np.ndarray:
    cov = np.atleast_2d(np.cov(F, rowvar=False))
    scale = max(float(np.trace(cov)) / len(cov), 1.0)
    return cov + _RIDGE * scale * np.eye(len(cov))


def fisher_ratio(F, y) -> float:
    r"""Fisher's discriminant ratio :math:`\mathrm{tr}(S_B) / \mathrm{tr}(S_W)` (Lee et al. Eq. A5).

    :math:`S_B = \sum_k n_k (\mu_k - \mu)(\mu_k - \mu)^T`, :math:`S_W = \sum_k \sum_{x \in C_k}
    (x - \mu_k)(x - \mu_k)^T`; only their traces are needed.

    Examples
    --------
    >>> fisher_ratio([[0.0], [0.2], [1.0], [1.2]], [0, 0, 1, 1])
    25.0
    """
    F, y, classes = _classes(F, y)
    mu = F.mean(axis=0)
    between = within = 0.0
    for c in classes:
        Fc = F[y == c]
        between += len(Fc) * float(np.sum((Fc.mean(axis=0) - mu) ** 2))
        within += float(np.sum((Fc - Fc.mean(axis=0)) ** 2))
    return between / within if within > 0 else np.inf


def _pairs(F, y, classes):
    groups = {c: F[y == c] for c in classes}
    return [(groups[a], groups[b]) for a, b in combinations(classes, 2)]


def mahalanobis_distance(F, y) -> float:
    r"""Mean over class pairs of :math:`\sqrt{(\mu_i - \mu_j)^T \Sigma^{-1} (\mu_i - \mu_j)}` (Eq. A1).

    :math:`\Sigma` is the pooled within-class covariance of all classes (the paper's "common covariance").
    """
    F, y, classes = _classes(F, y)
    pooled = _covariance(np.concatenate([F[y == c] - F[y == c].mean(axis=0) for c in classes]))
    inverse = np.linalg.inv(pooled)
    distances = []
    for Fa, Fb in _pairs(F, y, classes):
        d = Fa.mean(axis=0) - Fb.mean(axis=0)
        distances.append(np.sqrt(max(float(d @ inverse @ d), 0.0)))
    return float(np.mean(distances))


def _gaussian(F) -> tuple[np.ndarray, np.ndarray, float]:
    cov = _covariance(F)
    sign, logdet = np.linalg.slogdet(cov)
    if sign <= 0:
        raise ParameterError("a class covariance is not positive definite even with the ridge")
    return F.mean(axis=0), cov, float(logdet)


def bhattacharyya_distance(F, y) -> float:
    r"""Mean over class pairs of the Gaussian Bhattacharyya distance (Eq. A4).

    .. math:: D_B = \tfrac18 (\mu_1 - \mu_2)^T \Sigma^{-1} (\mu_1 - \mu_2)
                    + \tfrac12 \ln \frac{\det \Sigma}{\sqrt{\det \Sigma_1 \det \Sigma_2}},
              \quad \Sigma = \tfrac12 (\Sigma_1 + \Sigma_2)
    """
    F, y, classes = _classes(F, y)
    values = []
    for Fa, Fb in _pairs(F, y, classes):
        (m1, c1, l1), (m2, c2, l2) = _gaussian(Fa), _gaussian(Fb)
        cov = (c1 + c2) / 2
        d = m1 - m2
        _, logdet = np.linalg.slogdet(cov)
        values.append(d @ np.linalg.solve(cov, d) / 8 + 0.5 * (logdet - 0.5 * (l1 + l2)))
    return float(np.mean(values))


def _kl_gaussian(p, q) -> float:
    (m1, c1, l1), (m2, c2, l2) = p, q
    d = m2 - m1
    inv2 = np.linalg.inv(c2)
    return 0.5 * (np.trace(inv2 @ c1) + d @ inv2 @ d - len(d) + l2 - l1)


def kl_divergence(F, y) -> float:
    r"""Mean over class pairs of the symmetrised Gaussian KL divergence (Eq. A2; see the module docstring).

    .. math:: D_{KL}(\mathcal N_1 \| \mathcal N_2) = \tfrac12 \left[\mathrm{tr}(\Sigma_2^{-1}\Sigma_1)
              + (\mu_2 - \mu_1)^T \Sigma_2^{-1} (\mu_2 - \mu_1) - d + \ln\frac{\det\Sigma_2}{\det\Sigma_1}
              \right]
    """
    F, y, classes = _classes(F, y)
    values = []
    for Fa, Fb in _pairs(F, y, classes):
        ga, gb = _gaussian(Fa), _gaussian(Fb)
        values.append(_kl_gaussian(ga, gb) + _kl_gaussian(gb, ga))
    return float(np.mean(values))


def silhouette(F, y, *, max_windows: int = 4000, seed: int = 0) -> float:
    """Mean silhouette coefficient of the labelled windows (Eq. A3), Euclidean.

    Above ``max_windows`` windows a stratified random subset of that size is scored (the cost grows as the
    square of the number of windows); the subset is fixed by ``seed``.
    """
    F, y, _ = _classes(F, y)
    if len(F) > max_windows:
        rng = np.random.default_rng(seed)
        keep = np.sort(rng.choice(len(F), size=max_windows, replace=False))
        F, y = F[keep], y[keep]
    return float(silhouette_score(F, y, metric="euclidean"))


def separability_metrics(F, y, *, standardise_features: bool = True) -> dict[str, float]:
    """The five raw metrics of App. A for one feature space (one preprocessing candidate).

    Parameters
    ----------
    F : array_like [shape=(n_windows, n_features)]
        Proxy statistics (:func:`proxy_statistics`) of every window; all windows, no rebalancing (§2.1).
    y : array_like [shape=(n_windows,)]
        Class labels; at least 2 classes with 2 windows each.
    standardise_features : bool
        Z-score the columns first (our choice; see the module docstring).

    Returns
    -------
    dict
        ``{name: value}`` for :data:`METRICS`, not yet log-transformed or normalised.
    """
    F, y, _ = _classes(F, y)
    if standardise_features:
        F = standardise(F)
    return {"fisher": fisher_ratio(F, y), "mahalanobis": mahalanobis_distance(F, y),
            "bhattacharyya": bhattacharyya_distance(F, y), "silhouette": silhouette(F, y),
            "kl_divergence": kl_divergence(F, y)}


def normalise_metrics(raw: pd.DataFrame) -> pd.DataFrame:
    """App. A.6: ln(1 + x) for the distance and divergence metrics, then min-max over the pool.

    Parameters
    ----------
    raw : pd.DataFrame
        One row per candidate, columns :data:`METRICS`. A candidate with NaN in a metric (its preprocessing
        failed) keeps NaN there and takes no part in the bounds.

    Returns
    -------
    pd.DataFrame
        The normalised scores ``z_{k,t}`` in [0, 1]. A metric equal for every candidate carries no ranking
        information; it is set to 1 for all of them, so it adds the same 0.2 to every CSS.

    Raises
    ------
    ParameterError
        A missing metric column, or a negative distance (ln(1 + x) needs x > -1).
    """
    missing = [m for m in METRICS if m not in raw.columns]
    if missing:
        raise ParameterError(f"raw metrics lack columns {missing}; expected {list(METRICS)}")
    table = raw[list(METRICS)].astype(float).copy()
    logged = table[list(LOG_METRICS)]
    if (logged < 0).any().any():
        raise ParameterError("a distance or divergence metric is negative; ln(1 + x) expects x >= 0")
    table[list(LOG_METRICS)] = np.log1p(logged)
    low, high = table.min(), table.max()
    span = (high - low).where(high > low)
    return ((table - low) / span).fillna({m: 1.0 for m in METRICS if not high[m] > low[m]}).where(
        raw[list(METRICS)].notna())


def class_separability_score(normalised: pd.DataFrame,
                             weights: Mapping[str, float] = EQUAL_WEIGHTS) -> pd.Series:
    """Eq. 1: ``CSS_t = sum_k w_k z_{k,t}`` over the normalised metrics (NaN for a failed candidate).

    Parameters
    ----------
    normalised : pd.DataFrame
        :func:`normalise_metrics` output.
    weights : mapping of metric to float >= 0
        Default: the paper's equal weights 0.2.
    """
    w = pd.Series(weights, dtype=float).reindex(list(METRICS))
    if w.isna().any() or (w < 0).any():
        raise ParameterError(f"weights must give a non-negative weight to every metric {list(METRICS)}, "
                             f"got {dict(weights)}")
    return (normalised[list(METRICS)] * w).sum(axis=1, min_count=len(METRICS)).rename("css")


def best_candidate(css: pd.Series):
    """Eq. 2: the label of the candidate with the largest CSS (failed candidates, NaN, are skipped)."""
    if css.notna().sum() == 0:
        raise ParameterError("no candidate has a CSS: every preprocessing candidate failed")
    return css.idxmax(skipna=True)


def screen(features: Mapping[object, tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """Score a pool of candidates: raw metrics, normalised metrics and CSS (Eq. 1), one row per candidate.

    Parameters
    ----------
    features : mapping of candidate label to (F, y)
        The proxy statistics of every window under each candidate and their labels.

    Returns
    -------
    pd.DataFrame
        Indexed by candidate: ``raw_<metric>``, ``<metric>`` (normalised), ``css``, and ``error`` (the
        reason a candidate failed, empty otherwise). Failed candidates keep NaN scores and stay in the table.
    """
    raw, errors = {}, {}
    for label, (F, y) in features.items():
        try:
            values = separability_metrics(F, y)
            if not all(np.isfinite(v) for v in values.values()):
                raise ParameterError(f"non-finite metric {values}")
            raw[label], errors[label] = values, ""
        except (ParameterError, np.linalg.LinAlgError) as error:
            raw[label], errors[label] = dict.fromkeys(METRICS, np.nan), str(error)
    table = pd.DataFrame.from_dict(raw, orient="index")[list(METRICS)]
    normalised = normalise_metrics(table)
    out = pd.concat([table.add_prefix("raw_"), normalised], axis=1)
    out["css"] = class_separability_score(normalised)
    out["error"] = pd.Series(errors)
    return out

