"""Shared validation: signals and sampling rates, seeds, profiles."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bearingkit import checks
from bearingkit.errors import ParameterError, UnknownNameError


@pytest.mark.parametrize(("x", "fs", "match"), [
    ([1.0, np.nan], 1.0, "1 NaN or infinite"),
    ([], 1.0, "at least one sample"),
    ([1.0], 0.0, "positive number in Hz"),
    ([1.0], float("nan"), "positive number in Hz"),
    ([1.0], "12k", "positive number in Hz"),
])
def test_check_signal_refuses_bad_input(x, fs, match):
    with pytest.raises(ParameterError, match=match):
        checks.check_signal(x, fs=fs)


def test_check_signal_returns_float64():
    assert checks.check_signal([1, 2], fs=1.0).dtype == np.float64


@pytest.mark.parametrize("bad", [-1, 1.5, True, "0", None])
def test_check_seed_refuses_what_is_not_a_non_negative_integer(bad):
    with pytest.raises(ParameterError, match="non-negative integer"):
        checks.check_seed(bad)


def test_child_seeds_are_reproducible_and_distinct():
    assert checks.child_seeds(0, 5) == checks.child_seeds(0, 5)
    assert len(set(checks.child_seeds(0, 5))) == 5
    assert checks.child_seeds(0, 3) != checks.child_seeds(1, 3)
    assert checks.child_seeds(0, 3) == checks.child_seeds(0, 5)[:3]


def test_profile_settings_known_unknown_and_read_only():
    table = {"quick": {"repeats": 1}, "full": {"repeats": 5}}
    assert checks.profile_settings("quick", table)["repeats"] == 1
    settings = checks.profile_settings("full", table)
    with pytest.raises(TypeError):
        settings["repeats"] = 99
    with pytest.raises(UnknownNameError, match="unknown profile 'fast'.*'quick'"):
        checks.profile_settings("fast", table)
    with pytest.raises(ParameterError, match="lacks"):
        checks.profile_settings("quick", {"quick": {}})


def test_profile_settings_returns_a_frozen_settings_object_itself_and_allows_extra_profiles():
    @dataclasses.dataclass(frozen=True)
    class Settings:
        folds: int

    table = {"quick": Settings(3), "medium": Settings(5), "full": Settings(5)}
    assert checks.profile_settings("medium", table) is table["medium"]
    with pytest.raises(UnknownNameError, match="'quick', 'medium', 'full'"):
        checks.profile_settings(None, table)
