"""One Settings per profile: read-only, the paper's protocol in full, an error naming the valid profiles."""

import dataclasses

import pytest

from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.papers.lee2026 import settings as lee_settings
from bearingkit.papers.lee2026.settings import PROFILES, Settings, branch_epochs, half_epochs, settings_for


def test_profiles_are_read_only_settings_and_full_is_the_papers_protocol():
    assert {"quick", "full"} <= set(PROFILES)
    assert all(isinstance(s, Settings) for s in PROFILES.values())
    with pytest.raises(TypeError):
        PROFILES["quick"] = Settings()
    full = settings_for("full")
    assert (full.gru_pool, full.cnn_pool, full.top_k, full.folds, full.image_size) == (77, 26, 5, 5, 224)
    assert "mafaulda-simulated" in full.datasets and full.paderborn_windows is None


def test_the_smoke_profile_runs_every_stage_on_less_than_the_quick_one():
    smoke, quick = settings_for("smoke"), settings_for("quick")
    assert smoke.datasets == quick.datasets == ("cwru", "paderborn")
    for name in ("gru_trials", "cnn_trials", "epochs", "cnn_epochs", "folds", "gru_pool", "cnn_pool"):
        assert getattr(smoke, name) <= getattr(quick, name), name
    # LHS, Kriging and BOHB all take part, and fANOVA (Fig. 8b) gets its 3 complete trials
    assert smoke.gru_trials >= 3 and smoke.n_lhs + smoke.n_kriging <= smoke.gru_trials
    assert half_epochs(quick, "cnn") >= 6 and half_epochs(quick, "gru") >= 6


def test_a_learning_rate_range_or_batch_sizes_that_are_no_range_are_refused():
    assert settings_for("quick").learning_rates == (2e-3, 1e-2)
    with pytest.raises(ParameterError, match="learning_rates"):
        Settings(learning_rates=(1e-2, 1e-3))
    with pytest.raises(ParameterError, match="batch_sizes"):
        Settings(batch_sizes=())


def test_an_unknown_profile_names_the_valid_ones():
    with pytest.raises(UnknownNameError, match="'quick'"):
        settings_for("fast")


def test_settings_refuse_an_unknown_data_set_or_a_run_without_cwru():
    with pytest.raises(ParameterError, match="cwru"):
        Settings(datasets=("paderborn",))
    with pytest.raises(ParameterError, match="mafaulda-real"):
        Settings(datasets=("cwru", "mafaulda-real"))
    with pytest.raises(ParameterError, match="halving_eta"):
        dataclasses.replace(Settings(), halving_eta=1)


def test_branch_epochs_default_to_the_gru_budget_and_refuse_an_unknown_branch():
    settings = Settings(epochs=9, cnn_epochs=None)
    assert branch_epochs(settings, "cnn") == 9 and half_epochs(Settings(epochs=1), "gru") == 1
    with pytest.raises(UnknownNameError, match="branch"):
        branch_epochs(settings, "lstm")
    assert lee_settings.MAIN_RUN == ("cwru", "paper")
