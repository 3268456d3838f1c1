"""Settings, run profiles and seeds of notebook 03."""

import dataclasses

import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.papers.sedira2026 import settings


def test_profiles_are_settings_and_full_runs_more_than_quick():
    quick, full = settings.settings_for("quick"), settings.settings_for("full")
    assert isinstance(quick, settings.Settings) and isinstance(full, settings.Settings)
    assert quick.n_seeds < full.n_seeds and quick.n_ablation_seeds < full.n_ablation_seeds
    assert (quick.paderborn_pairs, full.paderborn_pairs) == ("adjacent", "all")
    sized_down = dataclasses.replace(full, n_seeds=5, paderborn_pairs="adjacent", n_stacked_seeds=1,
                                     n_stack_folds=3, n_ablation_seeds=2)
    assert sized_down == quick                                  # the profiles differ in their size only


def test_an_unknown_profile_is_refused_with_the_valid_ones():
    with pytest.raises(UnknownNameError, match="quick"):
        settings.settings_for("fast")


def test_profiles_and_tolerances_are_read_only():
    with pytest.raises(TypeError):
        settings.PROFILES["quick"] = settings.Settings()
    with pytest.raises(TypeError):
        settings.TOLERANCE["accuracy_pp"] = 5.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.settings_for("quick").n_seeds = 1


def test_run_seeds_are_reproducible_and_quick_seeds_are_the_first_full_seeds():
    quick_splits, quick_sims = settings.run_seeds(0, 5)
    full_splits, full_sims = settings.run_seeds(0, 10)
    assert quick_splits == full_splits[:5] and quick_sims == full_sims     # simulations ignore the seed count
    assert len(set(full_splits + full_sims)) == len(full_splits) + len(full_sims)
    assert len(quick_sims) == 1 + 3 * 3
    assert settings.run_seeds(1, 5)[0] != quick_splits
