"""Feature extraction of Sedira & Felkaoui (2026) and Antoni's fast kurtogram."""

from __future__ import annotations

import numpy as np
from harness import case

from bearingkit.dsp.kurtogram import fast_kurtogram
from bearingkit.features.handcrafted import extract_features

FS = 12_000


@case("46 features for 1,000 segments x 2,048 samples", target_s=1.0, target_mib=400, repeat=3)
def features_1000_segments():
    X = np.random.default_rng(0).standard_normal((1_000, 2_048))
    return lambda: extract_features(X, fs=FS)


@case("fast kurtogram, 1 s at 12 kHz, 6 levels", target_s=0.1, target_mib=200, repeat=3)
def kurtogram_one_second():
    x = np.random.default_rng(0).standard_normal(FS)
    return lambda: fast_kurtogram(x, fs=FS, nlevel=6)
