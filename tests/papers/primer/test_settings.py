"""The primer's profiles and the notebook's parameters, checked once."""

from __future__ import annotations

import dataclasses

import pytest

from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.papers.primer import settings

PARAMETERS = {"records": {"normal": 97, "inner": 105, "ball": 118, "outer": 130}, "band": (2_000.0, 4_000.0),
              "kurtogram_level0": "envelope", "window": 2048, "hop": 512, "classifier": "random_forest",
              "sim_slip": 0.015, "sim_snr_db": -10.0, "sim_resonance_hz": 3_000.0, "seed": 0}


def test_profiles_differ_only_in_the_profile_fields_and_are_read_only():
    quick, full = settings.settings_for("quick"), settings.settings_for("full")
    differ = {f.name for f in dataclasses.fields(settings.Settings)
              if getattr(quick, f.name) != getattr(full, f.name)}
    assert differ == set(settings.PROFILE_FIELDS)
    assert (quick.sim_duration, full.sim_duration) == (4.0, None)
    assert full.repeats > quick.repeats and full.noise_trials > quick.noise_trials
    with pytest.raises(TypeError):
        settings.PROFILES["quick"] = full
    with pytest.raises(dataclasses.FrozenInstanceError):
        quick.repeats = 3


def test_settings_for_an_unknown_profile_names_the_valid_ones():
    with pytest.raises(UnknownNameError, match="'quick', 'full'"):
        settings.settings_for("fast")


def test_check_parameters_parses_the_band_and_derives_the_seeds():
    params = settings.check_parameters(**PARAMETERS)
    assert params.band == (2_000.0, 4_000.0)
    assert params.seeds == settings.check_parameters(**PARAMETERS).seeds
    assert len(set(params.seeds)) == 4
    assert params.seeds[:3] != settings.check_parameters(**{**PARAMETERS, "seed": 1}).seeds[:3]
    assert "seed" not in params.as_dict() and params.as_dict()["records"] == PARAMETERS["records"]
    assert settings.check_parameters(**{**PARAMETERS, "band": "kurtogram"}).band == "kurtogram"


@pytest.mark.parametrize(("change", "error"), [
    ({"records": {"normal": 97, "inner": 105}}, ParameterError),
    ({"band": (4_000.0, 2_000.0)}, ParameterError),
    ({"kurtogram_level0": "complex"}, UnknownNameError),
    ({"classifier": "svm"}, UnknownNameError),
    ({"window": 0}, ParameterError),
    ({"seed": -1}, ParameterError),
])
def test_check_parameters_refuses_bad_values(change, error):
    with pytest.raises(error):
        settings.check_parameters(**{**PARAMETERS, **change})


def test_parse_band_refuses_what_is_no_band():
    assert settings.parse_band((1_000, 3_000), fs=12_000) == (1_000.0, 3_000.0)
    for bad in ("auto", (3_000, 1_000), (1_000, 7_000), 5):
        with pytest.raises(ParameterError):
            settings.parse_band(bad, fs=12_000)
