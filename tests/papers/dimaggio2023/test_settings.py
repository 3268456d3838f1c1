"""Settings, run profiles and seeds of the Di Maggio (2023) protocol."""

from __future__ import annotations

import dataclasses

import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.papers.dimaggio2023.settings import (
    CHUNKS_PER_SIGNAL,
    PROFILES,
    Settings,
    seeds_for,
    settings_for,
)


def test_quick_profile_is_small_and_full_is_the_papers_protocol():
    quick, full = settings_for("quick"), settings_for("full")
    assert (quick.n_chunks, quick.n_runs, quick.resampler, quick.scratch_on) == (4, 2, "polyphase", ())
    assert (quick.scalogram_size, quick.scalogram_samples) == (32, 2048)
    assert full == Settings() and full.n_chunks == CHUNKS_PER_SIGNAL and full.resampler == "kaiser_best"
    assert len(full.scratch_on) == 4
    assert (full.iterations, full.batch_size, full.learning_rate, full.split_fractions) == (216, 32, 5e-4,
                                                                                            (0.8, 0.1, 0.1))


def test_unknown_profile_is_refused_with_the_valid_names():
    with pytest.raises(UnknownNameError, match="'quick', 'full'"):
        settings_for("fast")


def test_profiles_and_settings_are_read_only():
    with pytest.raises(TypeError):
        PROFILES["quick"] = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings_for("quick").n_runs = 5


def test_seeds_are_spawned_once_per_use_and_repeat_for_the_same_master_seed():
    seeds = seeds_for(0, settings_for("quick"))
    assert len(seeds.runs) == 2
    assert len({seeds.simulation, seeds.split, *seeds.runs}) == 4
    assert seeds == seeds_for(0, settings_for("quick"))
    assert seeds != seeds_for(1, settings_for("quick"))
    full = seeds_for(0, settings_for("full"))
    assert len(full.runs) == 3 and full.runs[:2] == seeds.runs       # spawned children do not depend on n
