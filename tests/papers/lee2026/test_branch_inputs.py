"""The branches' inputs: robust scaling per training fold, uint8 energy maps, as many GRU steps everywhere."""

import numpy as np

from bearingkit.papers.lee2026.branch_inputs import (
    cnn_inputs,
    gru_frame,
    gru_inputs,
    robust_bounds,
    robust_scale,
    to_images,
    uint8_bounds,
)
from bearingkit.papers.lee2026.data import random_folds
from bearingkit.papers.lee2026.screening import Candidate, energy_maps
from bearingkit.papers.lee2026.settings import Settings

FS = 12_000.0


def test_energy_maps_become_uint8_images_with_channels_last(make_synthetic):
    data = make_synthetic(n_per_class=4)
    maps = energy_maps(data.X, Candidate(band=(1000.0, 5000.0), nperseg=64), fs=FS)
    images = to_images(maps, uint8_bounds(maps), size=32)
    assert images.shape == (8, 32, 32, 2) and images.dtype == np.uint8
    assert images.min() == 0 and images.max() == 255


def test_robust_scaling_centres_each_channel_on_its_median_with_unit_iqr():
    rng = np.random.default_rng(0)
    X = rng.normal([[5.0], [-3.0]], [[2.0], [0.5]], size=(50, 2, 100))
    scaled = robust_scale(X, robust_bounds(X))
    flat = np.moveaxis(scaled, 1, 0).reshape(2, -1)
    np.testing.assert_allclose(np.median(flat, axis=1), 0.0, atol=1e-6)
    np.testing.assert_allclose(np.subtract(*np.percentile(flat, [75, 25], axis=1)), 1.0, atol=1e-5)


def test_every_data_set_gets_the_same_number_of_gru_steps():
    settings = Settings(length=1024, gru_frame=8)
    assert gru_frame(1024, settings) == 8 and gru_frame(2560, settings) == 20


def test_the_gru_is_scaled_per_fold_and_the_cnn_maps_are_shared(make_synthetic):
    data = make_synthetic(n_per_class=6, length=256)
    folds = random_folds(data.y, n_splits=2, seed=0)
    gru = gru_inputs(data.X, data.y, data.X[:3], folds, candidate=Candidate(band=(2500.0, 3500.0)), fs=FS,
                     frame=16, n_classes=2)
    assert len(gru.X) == 2 and gru.X[0].shape == (12, 16, 32) and gru.test[0].shape == (3, 16, 32)
    assert not np.allclose(gru.bounds[0]["median"], gru.bounds[1]["median"])
    candidate = Candidate(band=(1000.0, 5000.0), nperseg=64)
    cnn = cnn_inputs(data.X, data.y, data.X[:0], folds, candidate=candidate, fs=FS, size=32, n_classes=2)
    assert cnn.X[0] is cnn.X[1] and cnn.test == [None, None]
    assert cnn.key({"depth": 1, "width": 64}) == cnn.key({"depth": 2, "width": 32})
    assert gru.key({"depth": 1, "width": 8}) != gru.key({"depth": 1, "width": 16})
