"""Training time of the paper's two classifiers (Sedira et al. 2026, §6.1-6.2) at notebook scale."""

from __future__ import annotations

import numpy as np
from harness import case

from bearingkit.models import LeftRightHMMClassifier, RBFNetworkClassifier


@case("HMM fit, 4 classes x 200 sequences x 4 steps x 5 dims", target_s=5.0, target_mib=500)
def hmm_fit():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(4), 200)
    X = (rng.normal(size=(4, 4, 5))[y] + rng.normal(size=(800, 4, 5))).reshape(800, -1)
    clf = LeftRightHMMClassifier(n_states=4, n_steps=4)
    return lambda: clf.fit(X, y)


@case("RBF newrb fit, 800 samples x 5 dims, 100 neurons", target_s=2.0, target_mib=500)
def rbf_newrb_fit():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(800, 5))
    y = np.digitize(np.linalg.norm(X, axis=1), [1.5, 2.0, 2.5])
    clf = RBFNetworkClassifier(spread=1.0, goal=0.0, max_neurons=100)
    return lambda: clf.fit(X, y)
