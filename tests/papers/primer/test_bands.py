"""Sect. 2.3: the kurtogram's band, level 0 on two scales, STFT spectral kurtosis and the band's width."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.dsp.spectral import default_band
from bearingkit.papers.primer import bands


def _impacts(resonance: float, *, rate: float = 37.0, n: int = 2**14, fs: float = 12_000, seed: int = 0):
    t = np.arange(n) / fs
    train = np.zeros(n)
    train[:: int(fs // rate)] = 1.0
    ring = np.exp(-300 * t[:200]) * np.sin(2 * np.pi * resonance * t[:200])
    return np.convolve(train, ring)[:n] + 0.3 * np.random.default_rng(seed).standard_normal(n)


def test_demodulation_bands_take_the_kurtogram_band_or_the_fixed_one(level_zero_kurtogram):
    kg, fs = level_zero_kurtogram, level_zero_kurtogram.fs
    assert kg.best_level == 0
    assert bands.demodulation_bands("kurtogram", {"x": kg}) == {"x": default_band(fs)}
    assert bands.demodulation_bands((2_000.0, 4_000.0), {"x": kg}) == {"x": (2_000.0, 4_000.0)}


def test_kurtogram_study_tables_every_signal():
    signals = {"a": _impacts(3_300.0), "b": _impacts(1_200.0, seed=1)}
    study = bands.kurtogram_study(signals, fs=12_000, nlevel=4, level0="envelope")
    assert list(study.kurtograms) == ["a", "b"] and study.level0_score == "envelope"
    assert list(study.level0.index.get_level_values("label").unique()) == ["a", "b"]
    low, high = study.band_choice.loc["a", "best_band_hz"]
    assert low <= 3_300 <= high
    assert study.band_choice.loc["a", "best_kurtosis"] == study.kurtograms["a"].best_kurtosis


def test_envelope_by_kurtogram_finds_the_impact_rate():
    f, a, (low, high) = bands.envelope_by_kurtogram(_impacts(3_300.0, n=2**15), fs=12_000, nlevel=4)
    keep = (f > 20) & (f < 60)
    assert f[keep][np.argmax(a[keep])] == pytest.approx(12_000 / (12_000 // 37), abs=2 * f[1])
    assert low <= 3_300 <= high


def test_stft_sk_study_reports_raw_and_residual():
    fs = 12_000.0
    x = np.random.default_rng(0).standard_normal(int(fs))
    x[::600] += 10.0
    study = bands.stft_sk_study({"x": x}, fs=fs, frames=(32, 256), ar_order=16)
    assert set(study.table.index.get_level_values("version")) == {"raw", "AR residual"}
    assert study.largest("x")[0] > study.largest("x")[1]
    assert set(study.kurtosis().index) == {("x", "raw"), ("x", "AR residual")}
    assert set(study.curves) == {("x", v, n) for v in ("raw", "AR residual") for n in (32, 256)}


def test_band_width_sweep_shows_a_line_only_in_bands_wider_than_it():
    fs = 12_000.0
    t = np.arange(int(5 * fs)) / fs
    rng = np.random.default_rng(0)
    x = (1 + 0.8 * np.cos(2 * np.pi * 160.0 * t)) * rng.standard_normal(t.size)   # a 160 Hz modulation
    width = bands.band_width_study(x, fs=fs, centre_hz=3_000, widths=[80, 640], lines={"160 Hz": 160.0})
    assert width.depth.loc[80.0, "160 Hz"] < 0.1 < width.depth.loc[640.0, "160 Hz"]
    assert width.half_width == {"160 Hz": 640.0}


def test_inner_race_lines_and_half_depth_widths():
    assert bands.inner_race_lines(160.0, 30.0) == {"BPFI": 160.0, "BPFI+2fr": 220.0, "2xBPFI": 320.0,
                                                   "3xBPFI": 480.0}
    depth = pd.DataFrame({"a": [0.0, 0.4, 1.0], "b": [0.6, 1.0, 0.9]}, index=[100.0, 200.0, 400.0])
    assert bands.half_depth_widths(depth) == {"a": 400.0, "b": 100.0}
