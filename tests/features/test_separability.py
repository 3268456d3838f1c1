"""Lee et al. (2026) §2.1 and App. A: proxy statistics, the five metrics, normalisation and the CSS."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from sklearn.metrics import silhouette_score

from bearingkit.errors import ParameterError
from bearingkit.features import separability as sep


def _two_gaussians(shift, n=200, d=3, seed=0):
    rng = np.random.default_rng(seed)
    F = np.concatenate([rng.standard_normal((n, d)), rng.standard_normal((n, d)) + shift])
    return F, np.repeat([0, 1], n)


def test_proxy_statistics_match_numpy_and_scipy_per_channel():
    X = np.random.default_rng(1).standard_normal((5, 2, 300)) * [[2.0], [0.5]] + 1.0
    F = sep.proxy_statistics(X)
    assert F.shape == (5, 14)
    second = F[:, 7:]
    x = X[:, 1]
    np.testing.assert_allclose(second[:, 0], x.mean(axis=1))
    np.testing.assert_allclose(second[:, 1], x.std(axis=1))
    np.testing.assert_allclose(second[:, 2], scipy.stats.kurtosis(x, axis=1, fisher=False))
    np.testing.assert_allclose(second[:, 3], scipy.stats.skew(x, axis=1))
    np.testing.assert_allclose(second[:, 4], np.abs(x).max(axis=1))
    np.testing.assert_allclose(second[:, 5], x.max(axis=1) - x.min(axis=1))
    np.testing.assert_allclose(second[:, 6], np.sqrt((x**2).mean(axis=1)))


def test_proxy_statistics_refuse_nan_naming_the_candidate():
    X = np.ones((2, 10))
    X[0, 3] = np.nan
    with pytest.raises(ParameterError, match="candidate"):
        sep.proxy_statistics(X)


def test_fisher_ratio_by_hand():
    # class means 0.1 and 1.1, grand mean 0.6: tr(S_B) = 4 * 0.25 = 1; tr(S_W) = 4 * 0.01 = 0.04
    assert sep.fisher_ratio([[0.0], [0.2], [1.0], [1.2]], [0, 0, 1, 1]) == pytest.approx(25.0)


def test_mahalanobis_of_unit_gaussians_is_the_mean_shift():
    F, y = _two_gaussians(np.array([3.0, 0.0, 0.0]), n=4000)
    assert sep.mahalanobis_distance(F, y) == pytest.approx(3.0, rel=0.05)


def test_bhattacharyya_and_kl_of_equal_covariances_follow_the_closed_forms():
    F, y = _two_gaussians(np.array([2.0, 0.0, 0.0]), n=5000)
    # equal covariances: D_B = d^2 / 8, symmetrised KL = d^2
    assert sep.bhattacharyya_distance(F, y) == pytest.approx(0.5, abs=0.05)
    assert sep.kl_divergence(F, y) == pytest.approx(4.0, rel=0.08)


def test_silhouette_is_sklearns():
    F, y = _two_gaussians(np.array([1.5, 0.0, 0.0]))
    assert sep.silhouette(F, y) == pytest.approx(silhouette_score(F, y))


def test_every_metric_grows_with_class_distance():
    near = sep.separability_metrics(*_two_gaussians(np.array([0.5, 0, 0])))
    far = sep.separability_metrics(*_two_gaussians(np.array([3.0, 0, 0])))
    for name in sep.METRICS:
        assert far[name] > near[name], name


def test_metrics_ignore_an_affine_rescaling_of_the_features():
    F, y = _two_gaussians(np.array([1.0, 0.5, 0.0]))
    scaled = F * np.array([10.0, 0.1, 3.0]) + 7.0
    a, b = sep.separability_metrics(F, y), sep.separability_metrics(scaled, y)
    for name in sep.METRICS:
        assert b[name] == pytest.approx(a[name], rel=1e-6), name


def test_normalisation_logs_distances_then_min_maxes_over_the_pool():
    raw = pd.DataFrame({"fisher": [0.0, np.e - 1, np.e**2 - 1], "mahalanobis": [1.0, 2.0, 3.0],
                        "bhattacharyya": [0.0, 0.0, 1.0], "silhouette": [-0.2, 0.3, 0.8],
                        "kl_divergence": [5.0, 5.0, 5.0]}, index=["a", "b", "c"])
    z = sep.normalise_metrics(raw)
    np.testing.assert_allclose(z["fisher"], [0.0, 0.5, 1.0])           # ln(1+x) = 0, 1, 2
    assert 0.5 < z.loc["b", "mahalanobis"] < 1.0                        # log, not linear: above 0.5
    np.testing.assert_allclose(z["silhouette"], [0.0, 0.5, 1.0])        # not logged
    np.testing.assert_allclose(z["kl_divergence"], 1.0)                 # no spread: ties at 1
    css = sep.class_separability_score(z)
    assert sep.best_candidate(css) == "c"
    assert css["c"] == pytest.approx(1.0)


def test_screen_keeps_a_failed_candidate_with_its_reason_and_ranks_the_rest():
    good = _two_gaussians(np.array([3.0, 0, 0]))
    weak = _two_gaussians(np.array([0.3, 0, 0]))
    broken = (np.ones((10, 3)), np.array([0] * 10))
    table = sep.screen({"good": good, "weak": weak, "broken": broken})
    assert np.isnan(table.loc["broken", "css"]) and "2 classes" in table.loc["broken", "error"]
    assert table.loc["good", "css"] > table.loc["weak", "css"]
    assert sep.best_candidate(table["css"]) == "good"


def test_css_is_relative_to_the_pool():
    pools = [{"a": _two_gaussians(np.array([1.0, 0, 0])), "b": _two_gaussians(np.array([2.0, 0, 0]))}]
    pools.append({**pools[0], "c": _two_gaussians(np.array([4.0, 0, 0]))})
    scores = [sep.screen(p)["css"] for p in pools]
    assert scores[0]["b"] == pytest.approx(1.0)
    assert scores[1]["b"] < 0.9


def test_weights_must_cover_every_metric():
    z = pd.DataFrame(np.ones((2, 5)), columns=sep.METRICS)
    with pytest.raises(ParameterError, match="every metric"):
        sep.class_separability_score(z, {"fisher": 1.0})
