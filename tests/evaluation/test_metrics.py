"""Accuracy per class and its binomial interval; macro-F1 over folds, with its interval and chance level."""

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.evaluation.metrics import (
    accuracy_interval,
    chance_macro_f1,
    fold_macro_f1,
    macro_f1,
    macro_f1_interval,
    per_class_accuracy,
)


def test_per_class_accuracy_is_the_recall_of_each_class():
    np.testing.assert_array_equal(per_class_accuracy([0, 0, 1], [0, 1, 1], n_classes=2), [0.5, 1.0])


@pytest.mark.parametrize("seed", range(20))
def test_macro_f1_is_sklearns_over_the_labels_present(seed):
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    y_true, y_pred = rng.integers(0, 5, n), rng.integers(0, 5, n)
    agree = rng.random(n) < 0.6
    y_pred[agree] = y_true[agree]
    assert macro_f1(y_true, y_pred) == pytest.approx(f1_score(y_true, y_pred, average="macro"), abs=1e-15)


def test_macro_f1_of_mismatched_or_empty_labels_is_an_error():
    with pytest.raises(ParameterError, match="one non-zero length"):
        macro_f1([0, 1], [0])
    with pytest.raises(ParameterError, match="one non-zero length"):
        macro_f1([], [])


def test_accuracy_interval_is_the_exact_binomial_interval_and_narrows_with_more_windows():
    low, high = accuracy_interval(7, 7)
    assert high == 1.0 and low == pytest.approx(0.025 ** (1 / 7), abs=1e-9)   # 2.5 % in each tail
    assert accuracy_interval(70, 70)[0] > low
    low, high = accuracy_interval(10, 20)
    assert low < 0.5 < high and low == pytest.approx(1 - high)


@pytest.mark.parametrize("counts", [(3, 2), (-1, 5), (1, 0), (0.5, 2)])
def test_accuracy_interval_refuses_impossible_counts(counts):
    with pytest.raises(ParameterError):
        accuracy_interval(*counts)


def _three_folds(n):
    """Every third window in each fold, so that each fold holds every class of a sorted label array."""
    return [(np.setdiff1d(np.arange(n), val), val) for val in (np.arange(i, n, 3) for i in range(3))]


def test_fold_macro_f1_is_the_mean_of_each_folds_macro_f1():
    rng = np.random.default_rng(0)
    y, predicted = rng.integers(0, 3, 90), rng.integers(0, 3, 90)
    folds = _three_folds(90)
    assert fold_macro_f1(y, predicted, folds) == pytest.approx(
        np.mean([macro_f1(y[val], predicted[val]) for _, val in folds]))
    assert fold_macro_f1(y, predicted) == macro_f1(y, predicted)


def test_the_interval_holds_the_score_and_narrows_with_more_windows():
    rng = np.random.default_rng(1)
    widths = []
    for n in (60, 600):
        y = np.repeat([0, 1, 2], n // 3)
        predicted = np.where(rng.random(n) < 0.7, y, rng.integers(0, 3, n))
        low, high = macro_f1_interval(y, predicted, _three_folds(n), seed=0)
        assert low <= fold_macro_f1(y, predicted, _three_folds(n)) <= high
        widths.append(high - low)
    assert widths[1] < widths[0] / 2
    assert macro_f1_interval(y, y, seed=0) == (1.0, 1.0)


def test_chance_is_about_one_over_the_classes_for_balanced_guesses_and_a_constant_answer_never_clears_it():
    y = np.repeat([0, 1, 2], 40)
    assert chance_macro_f1(y, y, _three_folds(120)) == pytest.approx(1 / 3, abs=0.03)
    always_one = np.ones_like(y)
    chance = chance_macro_f1(y, always_one, _three_folds(120))
    assert chance == pytest.approx(fold_macro_f1(y, always_one, _three_folds(120)))
    assert macro_f1_interval(y, always_one, _three_folds(120), seed=0)[0] <= chance


@pytest.mark.parametrize("kwargs", [{"confidence": 1.0}, {"n_resamples": 10}])
def test_the_interval_refuses_a_meaningless_request(kwargs):
    with pytest.raises(ParameterError):
        macro_f1_interval([0, 1], [0, 1], **kwargs)


def test_folds_outside_the_predictions_are_an_error():
    with pytest.raises(ParameterError, match="folds"):
        fold_macro_f1([0, 1, 0], [0, 1, 1], [([0], [5])])
    with pytest.raises(ParameterError, match="n_permutations"):
        chance_macro_f1([0, 1], [0, 1], n_permutations=5)
