"""The radial basis function network classifier (Sedira et al. 2026, §4.2 and §6.2)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_circles
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from bearingkit.errors import ParameterError
from bearingkit.models import RBFNetworkClassifier
from bearingkit.models.rbfnn import (
    fit_output_layer,
    grow_newrb,
    haykin_sigma,
    rbf_activations,
    spread_to_sigma,
)


def xor_data(seed=0, n=400):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


@parametrize_with_checks([
    RBFNetworkClassifier(),
    RBFNetworkClassifier(centers="kmeans", spread="haykin", random_state=0),
    RBFNetworkClassifier(centers="kmeans", n_centers=5, spread=2.0, alpha=1e-3, random_state=0),
])
def test_sklearn_estimator_contract(estimator, check):
    check(estimator)


def test_unit_output_is_one_half_at_distance_spread():
    centers = np.zeros((1, 3))
    x = np.array([[0.0, 1.5, 2.0]])                        # distance 2.5
    np.testing.assert_allclose(rbf_activations(x, centers, spread_to_sigma(2.5)), [[0.5]])
    np.testing.assert_allclose(rbf_activations(centers, centers, 1.0), [[1.0]])


def test_haykin_width_is_dmax_over_sqrt_m():
    centers = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0], [0.0, 1.0]])
    assert haykin_sigma(centers) == pytest.approx(5.0 / 2.0)
    with pytest.raises(ParameterError, match="coincide"):
        haykin_sigma(np.ones((3, 2)))


def test_output_layer_is_least_squares_with_an_unpenalised_bias():
    rng = np.random.default_rng(0)
    phi, targets = rng.uniform(size=(50, 6)), rng.normal(size=(50, 3))
    coef, intercept = fit_output_layer(phi, targets)
    expected = np.linalg.lstsq(np.column_stack([phi, np.ones(50)]), targets)[0]
    np.testing.assert_allclose(np.vstack([coef, intercept]), expected, atol=1e-10)
    ridge_coef, _ = fit_output_layer(phi, targets, alpha=10.0)
    assert np.linalg.norm(ridge_coef) < np.linalg.norm(coef)


@pytest.mark.parametrize("params", [
    {"centers": "newrb", "goal": 0.02, "max_neurons": 60},
    {"centers": "kmeans", "n_centers": 30, "spread": "haykin", "random_state": 0},
])
def test_learns_concentric_rings_that_a_linear_model_cannot(params):
    X, y = make_circles(n_samples=400, factor=0.4, noise=0.05, random_state=0)
    assert LogisticRegression().fit(X, y).score(X, y) < 0.7
    clf = RBFNetworkClassifier(**params).fit(X[::2], y[::2])
    assert clf.score(X[1::2], y[1::2]) > 0.95


def test_learns_xor():
    X, y = xor_data()
    assert LogisticRegression().fit(X, y).score(X, y) < 0.7
    clf = RBFNetworkClassifier(spread=0.5, goal=0.05, max_neurons=50).fit(X[::2], y[::2])
    assert clf.score(X[1::2], y[1::2]) > 0.9


def test_newrb_stops_as_soon_as_the_goal_is_met():
    X, y = xor_data(1)
    clf = RBFNetworkClassifier(spread=0.5, goal=0.05, max_neurons=200).fit(X, y)
    n_units = len(clf.centers_)
    assert 0 < n_units < 200
    assert len(clf.training_mse_) == n_units + 1
    assert clf.training_mse_[-1] <= 0.05 < clf.training_mse_[-2]


def test_newrb_stops_at_max_neurons_with_a_decreasing_training_error():
    X, y = xor_data(2)
    clf = RBFNetworkClassifier(spread=0.5, goal=0.0, max_neurons=12).fit(X, y)
    assert clf.centers_.shape == (12, 2)
    assert np.all(np.diff(clf.training_mse_) <= 1e-12)
    assert clf.training_mse_[-1] < clf.training_mse_[0]


def test_newrb_puts_distinct_centres_on_training_samples():
    X, y = xor_data(3, n=60)
    index, coef, intercept, mse = grow_newrb(
        X, np.eye(2)[y], sigma=spread_to_sigma(0.3), goal=0.0, max_neurons=100
    )
    assert len(index) == 60 == len(set(index.tolist()))
    assert coef.shape == (60, 2) and intercept.shape == (2,) and mse.shape == (61,)


def test_predict_proba_clips_and_renormalises_the_outputs():
    X, y = xor_data(4)
    labels = np.array(["a", "b", "c", "d"])[y + 2 * (X[:, 0] > 0)]
    clf = RBFNetworkClassifier(spread=0.5, max_neurons=20).fit(X, labels)
    outputs = rbf_activations(X, clf.centers_, clf.sigma_) @ clf.coef_ + clf.intercept_
    np.testing.assert_allclose(outputs.sum(axis=1), 1.0)                       # one-hot least squares
    assert outputs.min() < 0.0                                                 # something to clip
    proba = clf.predict_proba(X)
    assert proba.min() == 0.0
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))


def test_same_seed_same_network():
    X, y = xor_data(5)
    clf = RBFNetworkClassifier(centers="kmeans", n_centers=8, random_state=3)
    a, b = clone(clf).fit(X, y), clone(clf).fit(X, y)
    np.testing.assert_array_equal(a.centers_, b.centers_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


@pytest.mark.parametrize(("params", "match"), [
    ({"centers": "newrb", "spread": "haykin"}, "centers='kmeans' only"),
    ({"centers": "kmeans", "n_centers": 50}, "n_centers=50 .* got n_samples=20"),
])
def test_inconsistent_parameters_are_refused(params, match):
    X, y = xor_data(6, n=20)
    with pytest.raises(ParameterError, match=match):
        RBFNetworkClassifier(**params).fit(X, y)
