"""Lee et al. (2026) §2.2.1: the GRU branch and the framing of segments into time steps."""

import keras
import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.models.gru import build_gru, frame_steps


def test_frame_steps_keeps_every_sample_once_in_time_order():
    X = np.random.default_rng(0).standard_normal((3, 2, 12))
    steps = frame_steps(X, frame=4)
    assert steps.shape == (3, 3, 8)
    np.testing.assert_allclose(steps[1, 2, :4], X[1, 0, 8:12], rtol=1e-6)
    np.testing.assert_allclose(steps[1, 2, 4:], X[1, 1, 8:12], rtol=1e-6)


def test_frame_must_divide_the_segment():
    with pytest.raises(ParameterError, match="dividing the segment length 10"):
        frame_steps(np.zeros((1, 10)), frame=3)


def test_gru_outputs_posteriors_and_learns_a_sign_task():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 64)
    X = rng.standard_normal((128, 16, 2)).astype("float32") * 0.3
    X[y == 1, :, 0] += 1.0          # class 1: a positive offset on the first feature
    model = build_gru(n_steps=16, n_features=2, n_classes=2, depth=2, width=8, dropout=0.0)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=3, batch_size=32, verbose=0)
    p = keras.ops.convert_to_numpy(model(X, training=False))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert np.mean(p.argmax(axis=1) == y) > 0.95


def test_gru_refuses_one_class():
    with pytest.raises(ParameterError, match="n_classes"):
        build_gru(n_steps=4, n_features=1, n_classes=1)
