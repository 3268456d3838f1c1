"""Condition indicators, velocity RMS and ISO 20816-3 zones on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.dsp import condition
from bearingkit.errors import ParameterError
from bearingkit.recording import Recording


def test_indicators_of_gaussian_noise_and_of_impacts():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal(200_000)
    ind = condition.condition_indicators(noise)
    assert ind["kurtosis"] == pytest.approx(3.0, abs=0.05)
    assert ind["rms"] == pytest.approx(1.0, abs=0.01)
    impacts = noise.copy()
    impacts[::2_000] += 30.0
    assert condition.condition_indicators(impacts)["kurtosis"] > 10 * ind["kurtosis"] / 3
    assert condition.condition_indicators(impacts)["crest_factor"] > ind["crest_factor"]
    with pytest.raises(ParameterError):
        condition.condition_indicators(np.ones(100))


def test_velocity_rms_integrates_an_acceleration_in_g_inside_the_band_only():
    fs = 12_000.0
    t = np.arange(int(10 * fs)) / fs
    f0, v_peak = 50.0, 2.0                                   # 2 mm/s peak velocity at 50 Hz
    acc_g = v_peak * 2 * np.pi * f0 * np.cos(2 * np.pi * f0 * t) / (condition.STANDARD_GRAVITY * 1e3)
    assert condition.velocity_rms(acc_g, fs=fs) == pytest.approx(v_peak / np.sqrt(2), rel=1e-3)
    outside = acc_g * 0 + np.cos(2 * np.pi * 3_000 * t)      # 3 kHz lies outside 10-1000 Hz
    assert condition.velocity_rms(outside, fs=fs) < 1e-6
    with pytest.raises(ParameterError):
        condition.velocity_rms(acc_g, fs=fs, band=(10.0, 7_000.0))


def test_iso_zones_follow_the_group_2_boundaries():
    rigid = condition.ISO20816_3_GROUP2["rigid"]
    assert [condition.iso_zone(v) for v in (0.5, 1.4, 2.0, 2.8, 4.49, 4.5)] == ["A", "B", "B", "C", "C", "D"]
    assert condition.iso_zone(3.0, condition.ISO20816_3_GROUP2["flexible"]) == "B"
    assert rigid == (1.4, 2.8, 4.5)
    with pytest.raises(ParameterError):
        condition.iso_zone(-1.0)


def test_condition_table_and_segments():
    fs = 12_000.0
    quiet = 0.1 * np.random.default_rng(1).standard_normal(int(2 * fs))
    impacts = quiet.copy()
    impacts[::1_200] += 3.0
    recs = {name: Recording(signal=x, fs=fs, label=label, dataset="simulated:test", source="test", load=0.0,
                            rpm=1797.0, extra={"number": number})
            for name, x, label, number in (("a", quiet, "normal", 1), ("b", impacts, "outer", 2))}
    table = condition.condition_table(recs)
    assert list(table.index) == ["a", "b"] and table.loc["b", "kurtosis"] > 3 * table.loc["a", "kurtosis"]
    assert set(table["iso_zone"]) <= {"A", "B", "C", "D"}
    segments = condition.segment_indicators(recs["a"].signal, fs=12_000.0, seconds=0.5)
    assert len(segments) == 4 and {"rms_g", "kurtosis", "velocity_mm_s"} <= set(segments.columns)
    with pytest.raises(ParameterError):
        condition.segment_indicators(recs["a"].signal, fs=12_000.0, seconds=10.0)
