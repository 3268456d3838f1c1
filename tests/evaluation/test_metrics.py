"""Accuracy per class and the binomial interval of an accuracy."""

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.evaluation.metrics import accuracy_interval, per_class_accuracy


def test_per_class_accuracy_is_the_recall_of_each_class():
    np.testing.assert_array_equal(per_class_accuracy([0, 0, 1], [0, 1, 1], n_classes=2), [0.5, 1.0])


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
