"""Score fusion of the HMM and the RBF network (Sedira et al. 2026, §6.3, Eq. 33)."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.evaluation.fusion import fuse_weighted, make_stacked_fusion, weight_sweep
from bearingkit.models import LeftRightHMMClassifier, RBFNetworkClassifier
from bearingkit.models.sequences import flatten_sequences


def random_proba(seed, shape=(30, 4)):
    return np.random.default_rng(seed).dirichlet(np.ones(shape[1]), size=shape[0])


def test_alpha_one_is_the_hmm_and_alpha_zero_the_rbf():
    p_hmm, p_rbf = random_proba(0), random_proba(1)
    np.testing.assert_array_equal(fuse_weighted([p_hmm, p_rbf], (1.0, 0.0)), p_hmm)
    np.testing.assert_array_equal(fuse_weighted([p_hmm, p_rbf], (0.0, 1.0)), p_rbf)
    np.testing.assert_allclose(fuse_weighted([p_hmm, p_rbf]).sum(axis=1), 1.0)


def test_alpha_sweep_gives_one_accuracy_per_alpha_with_the_models_at_the_ends():
    p_hmm, p_rbf = random_proba(2), random_proba(3)
    classes = np.array(["normal", "inner", "outer", "ball"])
    y = classes[np.random.default_rng(4).integers(0, 4, size=30)]
    accuracy = weight_sweep(p_hmm, p_rbf, y, classes=classes)
    assert accuracy.shape == (11,)
    assert accuracy[0] == np.mean(classes[p_rbf.argmax(axis=1)] == y)
    assert accuracy[-1] == np.mean(classes[p_hmm.argmax(axis=1)] == y)


@pytest.mark.parametrize(("p_hmm", "p_rbf", "weights", "match"), [
    ([[0.5, 0.6]], [[0.5, 0.5]], (0.5, 0.5), "row 0 of hmm is not a probability vector"),
    ([[0.5, 0.5]], [[-0.2, 1.2]], (0.5, 0.5), "row 0 of rbf is not a probability vector"),
    ([[0.5, 0.5]], [[0.2, 0.3, 0.5]], (0.5, 0.5), "same samples over the same classes"),
    ([[0.5, 0.5]], [[0.5, 0.5]], (1.5, -0.5), "non-negative numbers summing to 1"),
    ([[0.5, 0.5]], [[0.5, 0.5]], (0.5, 0.4), "non-negative numbers summing to 1"),
    ([[0.5, 0.5]], [[0.5, 0.5]], (1.0,), "one per model"),
])
def test_bad_scores_are_refused(p_hmm, p_rbf, weights, match):
    with pytest.raises(ParameterError, match=match):
        fuse_weighted({"hmm": p_hmm, "rbf": p_rbf}, weights)


def test_three_models_fuse_with_their_weights():
    p = [random_proba(s) for s in (10, 11, 12)]
    np.testing.assert_allclose(fuse_weighted(p, (0.2, 0.3, 0.5)), 0.2 * p[0] + 0.3 * p[1] + 0.5 * p[2])
    np.testing.assert_allclose(fuse_weighted(p), (p[0] + p[1] + p[2]) / 3)


def test_alpha_sweep_checks_the_labels():
    with pytest.raises(ParameterError, match="one label per row"):
        weight_sweep(random_proba(5), random_proba(6), np.zeros(7))


def test_stacking_learns_from_out_of_fold_scores_of_both_models():
    rng = np.random.default_rng(7)
    step_means = 1.5 * rng.normal(size=(4, 4, 3))
    y = np.repeat(np.arange(4), 40)
    X = flatten_sequences(step_means[y] + rng.normal(size=(160, 4, 3)))
    hmm, rbf = LeftRightHMMClassifier(n_steps=4), RBFNetworkClassifier(goal=0.01, max_neurons=40)
    stack = make_stacked_fusion({"hmm": hmm, "rbf": rbf})
    stack.fit(X[::2], y[::2])
    assert stack.final_estimator_.n_features_in_ == 8                # [P_HMM, S_RBF]
    assert stack.score(X[1::2], y[1::2]) > 0.9


def test_contiguous_folds_partition_the_windows_and_train_on_no_overlapping_neighbour():
    import pandas as pd

    from bearingkit.evaluation.fusion import contiguous_folds
    starts = np.arange(0, 40 * 1024, 1024)                       # 40 windows of 4096 per record: 75 % overlap
    groups = pd.DataFrame({"record": np.repeat(["h", "f"], 40), "start": np.tile(starts, 2),
                           "stop": np.tile(starts + 4096, 2)})
    y = np.repeat([0, 1], 40)
    folds = contiguous_folds(groups, y, n_splits=4)
    tests = np.sort(np.concatenate([te for _, te in folds]))
    np.testing.assert_array_equal(tests, np.arange(80))
    for train, test in folds:
        assert set(y[test]) == {0, 1} and len(np.intersect1d(train, test)) == 0
        for r in ("h", "f"):
            tr = groups.iloc[train][groups.iloc[train]["record"] == r]
            te = groups.iloc[test][groups.iloc[test]["record"] == r]
            assert not ((tr["start"].to_numpy()[:, None] < te["stop"].to_numpy()[None, :])
                        & (tr["stop"].to_numpy()[:, None] > te["start"].to_numpy()[None, :])).any()


def test_contiguous_folds_refuse_more_folds_than_a_class_has_windows():
    import pandas as pd

    from bearingkit.evaluation.fusion import contiguous_folds
    groups = pd.DataFrame({"record": ["a"] * 3, "start": [0, 1, 2], "stop": [1, 2, 3]})
    with pytest.raises(ParameterError, match="smallest class"):
        contiguous_folds(groups, [0, 0, 1], n_splits=2)
