"""The one-left-right-HMM-per-class classifier (Sedira et al. 2026, §6.1)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from bearingkit.errors import ParameterError
from bearingkit.models import LeftRightHMMClassifier
from bearingkit.models.hmm import equal_chunk_states, left_right_transmat, min_sequences_per_class
from bearingkit.models.sequences import flatten_sequences


def make_sequences(seed=0, *, n_per_class=40, n_classes=4, n_steps=4, n_features=3, separation=2.0):
    """Sequences whose mean moves through class-specific values step by step, plus unit noise."""
    rng = np.random.default_rng(seed)
    step_means = separation * rng.normal(size=(n_classes, n_steps, n_features))
    y = np.repeat(np.arange(n_classes), n_per_class)
    sequences = step_means[y] + rng.normal(size=(len(y), n_steps, n_features))
    return flatten_sequences(sequences), y


def test_left_right_transmat_is_a_banded_upper_triangular_stochastic_matrix():
    for max_jump in (1, 2):
        a = left_right_transmat(5, max_jump=max_jump)
        np.testing.assert_allclose(a.sum(axis=1), 1.0)
        assert np.all(np.tril(a, -1) == 0)
        assert np.all(np.triu(a, max_jump + 1) == 0)
        assert np.all(np.diag(a, max_jump) > 0)


def test_equal_chunk_states_covers_every_state_in_order():
    for n_steps in range(4, 12):
        states = equal_chunk_states(n_steps, 4)
        assert np.all(np.diff(states) >= 0)
        np.testing.assert_array_equal(np.unique(states), np.arange(4))


def test_learns_class_specific_step_means():
    X, y = make_sequences(0, n_per_class=80)
    train = np.arange(len(y)) % 2 == 0
    clf = LeftRightHMMClassifier(n_steps=4).fit(X[train], y[train])
    assert clf.score(X[~train], y[~train]) >= 0.98


def test_tells_apart_classes_that_differ_only_in_the_order_of_their_states():
    rng = np.random.default_rng(1)
    states = 3.0 * np.eye(4)[:, :3]                    # 4 emission means in 3-D
    y = np.repeat([0, 1], 60)
    order = np.where(y[:, None] == 0, np.arange(4), np.arange(4)[::-1])
    X = flatten_sequences(states[order] + 0.5 * rng.normal(size=(120, 4, 3)))
    clf = LeftRightHMMClassifier(n_steps=4).fit(X[::2], y[::2])
    assert clf.score(X[1::2], y[1::2]) == 1.0


@pytest.mark.parametrize("max_jump", [1, 2])
def test_structure_stays_left_right_after_training(max_jump):
    X, y = make_sequences(2, n_steps=6)
    clf = LeftRightHMMClassifier(n_steps=6, max_jump=max_jump).fit(X, y)
    for model in clf.models_:
        np.testing.assert_array_equal(model.startprob_, [1.0, 0.0, 0.0, 0.0])
        assert np.all(np.tril(model.transmat_, -1) == 0)
        assert np.all(np.triu(model.transmat_, max_jump + 1) == 0)
        np.testing.assert_allclose(model.transmat_.sum(axis=1), 1.0)


def test_every_state_is_used():
    X, y = make_sequences(3)
    clf = LeftRightHMMClassifier(n_steps=4).fit(X, y)
    for k, model in enumerate(clf.models_):
        frames = X[y == k].reshape(-1, 3)
        path = model.predict(frames, lengths=np.full(np.sum(y == k), 4))
        np.testing.assert_array_equal(np.unique(path), np.arange(4))


def test_log_likelihoods_are_the_forward_algorithm_scores():
    X, y = make_sequences(4)
    clf = LeftRightHMMClassifier(n_steps=4).fit(X, y)
    log_likelihood = clf.log_likelihoods(X[:7])
    assert log_likelihood.shape == (7, 4)
    expected = [[model.score(x.reshape(4, 3)) for model in clf.models_] for x in X[:7]]
    np.testing.assert_allclose(log_likelihood, expected, rtol=1e-10)
    np.testing.assert_array_equal(clf.decision_function(X[:7]), log_likelihood)


def test_predict_proba_is_the_softmax_of_the_log_likelihoods():
    X, y = make_sequences(5)
    clf = LeftRightHMMClassifier(n_steps=4).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba, softmax(clf.log_likelihoods(X), axis=1))
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))


def test_binary_decision_function_is_the_log_likelihood_ratio():
    X, y = make_sequences(6, n_classes=2)
    clf = LeftRightHMMClassifier(n_steps=4).fit(X, np.where(y == 1, "fault", "healthy"))
    log_likelihood = clf.log_likelihoods(X)
    np.testing.assert_allclose(clf.decision_function(X), log_likelihood[:, 1] - log_likelihood[:, 0])


def test_a_class_with_too_few_sequences_is_refused_with_the_rule():
    X, y = make_sequences(7)
    keep = (y != 2) | (np.arange(len(y)) == np.argmax(y == 2))       # one sequence of class 2 left
    with pytest.raises(ParameterError, match=r"class 2 has 1 sample.*needs at least 2 per class"):
        LeftRightHMMClassifier(n_steps=4).fit(X[keep], y[keep])


def test_min_sequences_per_class_follows_the_smallest_chunk():
    assert min_sequences_per_class(n_steps=4, n_states=4, covariance_type="diag", n_features=5) == 2
    assert min_sequences_per_class(n_steps=8, n_states=4, covariance_type="diag", n_features=5) == 1
    assert min_sequences_per_class(n_steps=4, n_states=4, covariance_type="full", n_features=5) == 6
    assert min_sequences_per_class(n_steps=9, n_states=4, covariance_type="full", n_features=5) == 3


def test_columns_must_split_into_n_steps():
    X, y = make_sequences(8)
    with pytest.raises(ParameterError, match="not a multiple of n_steps=5"):
        LeftRightHMMClassifier(n_steps=5).fit(X, y)


def test_short_sequences_cap_the_number_of_states():
    X, y = make_sequences(9, n_steps=2)
    clf = LeftRightHMMClassifier(n_states=4, n_steps=2).fit(X, y)
    assert clf.n_states_ == 2
    assert all(model.n_components == 2 for model in clf.models_)


def test_fitting_is_deterministic():
    X, y = make_sequences(10, n_per_class=12)
    clf = LeftRightHMMClassifier(n_steps=4, covariance_type="full")
    first = clone(clf).fit(X, y).log_likelihoods(X)
    np.testing.assert_array_equal(clone(clf).fit(X, y).log_likelihoods(X), first)


@parametrize_with_checks([
    LeftRightHMMClassifier(),
    LeftRightHMMClassifier(covariance_type="full", max_jump=2),
])
def test_sklearn_estimator_contract(estimator, check):
    check(estimator)


def test_scaled_baum_welch_gives_the_log_space_models():
    X, y = make_sequences(6)
    clf = LeftRightHMMClassifier(n_steps=4).fit(X, y)
    sequences = X[y == 0].reshape(-1, 4, 3)
    log_space = clf._baum_welch(sequences, implementation="log")
    np.testing.assert_allclose(clf.models_[0].means_, log_space.means_, rtol=1e-8)
    np.testing.assert_allclose(clf.models_[0].transmat_, log_space.transmat_, atol=1e-10)
    assert clf.models_[0].implementation == "scaling"


def test_a_failing_scaled_fit_is_redone_in_log_space(monkeypatch):
    X, y = make_sequences(7)
    fit = LeftRightHMMClassifier._baum_welch

    def underflowing(self, sequences, *, implementation):
        if implementation == "scaling":
            raise ValueError("underflow")
        return fit(self, sequences, implementation=implementation)

    monkeypatch.setattr(LeftRightHMMClassifier, "_baum_welch", underflowing)
    clf = LeftRightHMMClassifier(n_steps=4).fit(X, y)
    assert {m.implementation for m in clf.models_} == {"log"}
    assert clf.score(X, y) > 0.9


def test_a_state_no_frame_occupies_keeps_its_parameters():
    X, y = make_sequences(8)
    model = LeftRightHMMClassifier(n_steps=4).fit(X, y).models_[0]
    means, covars = model.means_.copy(), model._covars_.copy()
    frames = X[y == 0].reshape(-1, 3)
    stats = model._initialize_sufficient_statistics()
    stats["post"][:2] = len(frames) / 2
    stats["obs"][:2] = frames.sum(axis=0) / 2
    stats["obs**2"][:2] = (frames ** 2).sum(axis=0) / 2
    stats["trans"][:] = model.transmat_
    with np.errstate(invalid="ignore", divide="ignore"):
        model._do_mstep(stats)
    assert np.all(np.isfinite(model.means_)) and np.all(np.isfinite(model._covars_))
    np.testing.assert_array_equal(model.means_[2:], means[2:])
    np.testing.assert_array_equal(model._covars_[2:], covars[2:])
