"""Binomial standard errors and tolerances of Di Maggio (2023)'s rows."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers.dimaggio2023.uncertainty import binomial_standard_error, binomial_tolerance


def test_binomial_tolerance_follows_the_number_of_chunks():
    assert binomial_standard_error(75.0, 48) == pytest.approx(6.25)
    assert binomial_standard_error(50.0, 100) == pytest.approx(5.0)
    small, large = binomial_tolerance(91.2, 48), binomial_tolerance(91.2, 480)
    assert small == pytest.approx(2 * 100 * np.sqrt(0.912 * 0.088 / 48)) and large < small / 3
    both = binomial_tolerance(91.2, 48, n_paper=216)
    assert both == pytest.approx(np.hypot(small, 2 * 100 * np.sqrt(0.912 * 0.088 / 216)))
    assert binomial_tolerance(100.0, 48) == pytest.approx(100 / 48)     # one chunk at p = 100 %
    assert binomial_tolerance(91.2, 48, z=1.0) == pytest.approx(small / 2)


def test_impossible_proportions_and_z_are_refused():
    with pytest.raises(ParameterError):
        binomial_standard_error(120.0, 10)
    with pytest.raises(ParameterError):
        binomial_standard_error(50.0, 0)
    with pytest.raises(ParameterError, match="z must be positive"):
        binomial_tolerance(50.0, 10, z=0)
