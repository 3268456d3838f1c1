"""Fisher score (Eq. 21), the FisherSelector estimator contract, and the scale -> Fisher -> PCA pipeline."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from bearingkit.errors import ParameterError
from bearingkit.features.selection import (
    FisherSelector,
    explained_variance_table,
    fisher_score,
    make_feature_pipeline,
)


def eq21(x: np.ndarray, y: np.ndarray) -> float:
    """Eq. 21 written out literally, one class at a time."""
    mu = x.mean()
    between = sum(np.sum(y == c) * (x[y == c].mean() - mu) ** 2 for c in np.unique(y))
    within = sum(np.sum((x[y == c] - x[y == c].mean()) ** 2) for c in np.unique(y))
    return between / within


@pytest.fixture
def labelled() -> tuple[np.ndarray, np.ndarray]:
    """Four classes; features 0-2 shift with the class, 3-11 are noise on very different scales."""
    rng = np.random.default_rng(3)
    y = np.repeat(np.arange(4), 50)
    X = rng.standard_normal((200, 12)) * np.logspace(-3, 6, 12)
    X[:, 0] += 3.0 * y * 1e-3
    X[:, 1] += 2.0 * y * 1e-2
    X[:, 2] += 1.0 * y * 1e-1
    return X, y


def test_fisher_score_is_eq21(labelled):
    X, y = labelled
    np.testing.assert_allclose(fisher_score(X, y), [eq21(x, y) for x in X.T], rtol=1e-12)


def test_fisher_score_by_hand():
    x = np.array([[1.0], [3.0], [10.0], [14.0]])
    # class means 2 and 12, overall mean 7: between = 2*25 + 2*25, within = 1 + 1 + 4 + 4
    assert fisher_score(x, ["a", "a", "b", "b"])[0] == pytest.approx(100 / 10)


def test_fisher_score_ignores_feature_scale(labelled):
    X, y = labelled
    np.testing.assert_allclose(fisher_score(X * 1e4 - 7, y), fisher_score(X, y), rtol=1e-9)


def test_fisher_score_degenerate_features():
    X = np.array([[1.0, 5.0], [1.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    np.testing.assert_array_equal(fisher_score(X, [0, 0, 1, 1]), [np.inf, 0.0])


def test_fisher_score_refuses_bad_input():
    with pytest.raises(ParameterError, match="one label per row"):
        fisher_score(np.ones((4, 2)), [0, 1, 0])
    with pytest.raises(ParameterError, match=r"NaN or infinity in feature columns \[1\]"):
        fisher_score(np.array([[0.0, np.nan], [1.0, 2.0]]), [0, 1])


def test_selector_keeps_the_informative_features(labelled):
    X, y = labelled
    selector = FisherSelector(k=3).fit(X, y)
    np.testing.assert_array_equal(np.flatnonzero(selector.get_support()), [0, 1, 2])
    assert selector.transform(X).shape == (200, 3)
    np.testing.assert_array_equal(selector.ranking_[:3], np.argsort(-selector.scores_)[:3])


def test_selector_keeps_all_when_k_exceeds_n_features(labelled):
    X, y = labelled
    with pytest.warns(UserWarning, match="k=20 is greater than n_features=12"):
        selector = FisherSelector(k=20).fit(X, y)
    assert selector.get_support().all()


@pytest.mark.filterwarnings("ignore:k=10 is greater than n_features:UserWarning")
@parametrize_with_checks([FisherSelector(), FisherSelector(k=1)])
def test_sklearn_estimator_contract(estimator, check):
    check(estimator)


def test_pipeline_is_fitted_on_training_data_only(labelled):
    X, y = labelled
    train, test = np.arange(0, 200, 2), np.arange(1, 200, 2)
    pipe = make_feature_pipeline(k=10, variance=0.97).fit(X[train], y[train])
    assert list(pipe.named_steps) == ["scale", "fisher", "pca"]
    np.testing.assert_allclose(pipe.named_steps["scale"].mean_, X[train].mean(axis=0))
    assert pipe.named_steps["fisher"].get_support().sum() == 10
    pca = pipe.named_steps["pca"]
    assert pca.explained_variance_ratio_.sum() >= 0.97
    assert pca.explained_variance_ratio_[:-1].sum() < 0.97
    assert pipe.transform(X[test]).shape == (100, pca.n_components_)


def test_pipeline_refuses_a_variance_outside_0_1():
    with pytest.raises(ParameterError, match="variance=97"):
        make_feature_pipeline(variance=97)


def test_explained_variance_table(labelled):
    X, y = labelled
    pipe = make_feature_pipeline(k=10).fit(X, y)
    kept = explained_variance_table(pipe)
    n = pipe.named_steps["pca"].n_components_
    assert list(kept.columns) == ["component", "explained_variance", "ratio", "cumulative", "retained"]
    assert len(kept) == n and kept["retained"].all() and kept["component"].iloc[0] == "PC1"
    every = explained_variance_table(pipe, X=X)
    assert len(every) == 10 and every["retained"].sum() == n
    assert every["cumulative"].iloc[-1] == pytest.approx(1.0)
    np.testing.assert_allclose(every["ratio"][:n], kept["ratio"], rtol=1e-10)


def test_explained_variance_table_needs_a_fitted_pca_pipeline(labelled):
    with pytest.raises(NotFittedError):
        explained_variance_table(make_feature_pipeline())
    with pytest.raises(ParameterError, match="last step is a PCA"):
        explained_variance_table(Pipeline([("fisher", FisherSelector())]))
