"""Observation sequences: sub-framing windows, flattening, and per-step transformers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from bearingkit.errors import ParameterError
from bearingkit.models import LeftRightHMMClassifier
from bearingkit.models.sequences import (
    StepwiseTransformer,
    flatten_sequences,
    frame_sequences,
    unflatten_sequences,
)


def test_frame_sequences_cuts_contiguous_subframes_and_drops_the_remainder():
    segments = np.arange(2 * 11, dtype=float).reshape(2, 11)
    frames = frame_sequences(segments, 3)
    assert frames.shape == (2, 3, 3)
    np.testing.assert_array_equal(frames[1, 2], [17.0, 18.0, 19.0])
    np.testing.assert_array_equal(frames.reshape(2, -1), segments[:, :9])


@pytest.mark.parametrize(("segments", "n_steps", "match"), [
    (np.zeros((2, 3)), 4, "cannot be cut into 4 sub-frames"),
    (np.zeros(8), 2, "must be 2-D"),
    (np.zeros((2, 8)), 0, "n_steps must be an integer >= 1"),
])
def test_frame_sequences_rejects_bad_input(segments, n_steps, match):
    with pytest.raises(ParameterError, match=match):
        frame_sequences(segments, n_steps)


def test_flatten_and_unflatten_are_inverse():
    sequences = np.random.default_rng(0).normal(size=(5, 4, 3))
    flat = flatten_sequences(sequences)
    assert flat.shape == (5, 12)
    np.testing.assert_array_equal(flat[2, 3:6], sequences[2, 1])
    np.testing.assert_array_equal(unflatten_sequences(flat, 4), sequences)


def test_unflatten_rejects_columns_not_a_multiple_of_n_steps():
    with pytest.raises(ParameterError, match="not a multiple of n_steps=4"):
        unflatten_sequences(np.zeros((3, 10)), 4)


def test_stepwise_transformer_fits_one_transformer_on_all_steps():
    rng = np.random.default_rng(1)
    sequences = rng.normal(size=(30, 4, 3)) * [1.0, 5.0, 0.1] + [0.0, 10.0, -2.0]
    out = StepwiseTransformer(StandardScaler(), n_steps=4).fit_transform(flatten_sequences(sequences))
    expected = StandardScaler().fit_transform(sequences.reshape(-1, 3)).reshape(30, -1)
    np.testing.assert_allclose(out, expected)


def test_stepwise_transformer_changes_the_width_per_step():
    X = np.random.default_rng(2).normal(size=(40, 4 * 6))
    step = StepwiseTransformer(make_pipeline(StandardScaler(), PCA(2)), n_steps=4).fit(X)
    assert step.transform(X).shape == (40, 4 * 2)
    assert step.transformer_[-1].n_features_in_ == 6


def test_stepwise_transformer_feeds_the_hmm_in_a_pipeline():
    rng = np.random.default_rng(3)
    y = np.repeat([0, 1], 30)
    sequences = rng.normal(size=(60, 3, 4)) + 3.0 * y[:, None, None] * np.arange(3)[None, :, None]
    pipe = make_pipeline(StepwiseTransformer(StandardScaler(), n_steps=3), LeftRightHMMClassifier(n_steps=3))
    assert pipe.fit(flatten_sequences(sequences), y).score(flatten_sequences(sequences), y) > 0.95


@parametrize_with_checks([StepwiseTransformer(StandardScaler())])
def test_sklearn_estimator_contract(estimator, check):
    check(estimator)
