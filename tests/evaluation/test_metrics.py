"""Accuracy per class and the binomial interval of an accuracy."""

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.evaluation.metrics import accuracy_interval, macro_f1, per_class_accuracy


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
