"""Fast kurtogram (Antoni 2007): layout, band order, a resonance found in impulsive noise, none in noise."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bearingkit.dsp.kurtogram import (
    TERNARY_STEP,
    band_kurtosis,
    bandpass_envelope_at_best,
    fast_kurtogram,
    kurtogram_band,
    level0_scores,
    level_bandwidth,
    max_level,
)
from bearingkit.dsp.spectral import default_band
from bearingkit.errors import ParameterError

FS = 12_000


def impulsive(resonance: float, *, rate: float = 30.0, zeta: float = 0.02, amplitude: float = 5.0,
              seed: int = 0) -> np.ndarray:
    """1 s of unit white noise plus impacts at ``rate`` Hz ringing a resonance (damping ratio ``zeta``)."""
    n = np.arange(int(0.05 * FS))
    ring = np.exp(-zeta * 2 * np.pi * resonance * n / FS) * np.sin(2 * np.pi * resonance * n / FS)
    x = np.random.default_rng(seed).standard_normal(FS)
    for start in (np.arange(0.005, 1, 1 / rate) * FS).astype(int):
        stop = min(start + ring.size, FS)
        x[start:stop] += amplitude * ring[: stop - start]
    return x


def test_layout_of_levels_and_frequencies():
    kg = fast_kurtogram(np.random.default_rng(0).standard_normal(FS), fs=FS, nlevel=6)
    assert kg.kurtosis.shape == (12, 192)
    expected = [0, 1] + [v for k in range(2, 7) for v in (k - 1 + np.log2(3) - 1, k)]
    np.testing.assert_allclose(kg.levels, expected)
    assert kg.freqs[0] > 0 and kg.freqs[-1] < FS / 2 and np.all(np.diff(kg.freqs) > 0)
    assert kg.best_kurtosis == kg.kurtosis.max() and (kg.kurtosis >= 0).all()


@pytest.mark.parametrize("resonance", [1_500.0, 3_000.0, 4_400.0])
def test_best_band_contains_the_resonance(resonance):
    kg = fast_kurtogram(impulsive(resonance), fs=FS, nlevel=6)
    assert abs(kg.best_fc - resonance) <= kg.best_bandwidth / 2
    assert kg.best_kurtosis > 2


def test_gaussian_noise_has_no_impulsive_band():
    for seed in range(5):
        kg = fast_kurtogram(np.random.default_rng(seed).standard_normal(FS), fs=FS, nlevel=6)
        assert kg.best_kurtosis < 1.5


def test_envelope_at_best_shows_the_impact_rate():
    x = impulsive(3_000.0, rate=30.0)
    env, fs_env = bandpass_envelope_at_best(x, kurtogram=fast_kurtogram(x, fs=FS, nlevel=6))
    spectrum = np.abs(np.fft.rfft(env - env.mean(), n=16 * env.size))
    freqs = np.fft.rfftfreq(16 * env.size, d=1 / fs_env)
    above = freqs > 10
    assert freqs[above][np.argmax(spectrum[above])] == pytest.approx(30.0, abs=1.0)


@pytest.mark.parametrize(("level", "n_bands"), [(3.0, 8), (np.log2(3) + 1, 6), (1.0, 2)])
def test_bands_run_from_low_to_high_frequency(level, n_bands):
    tone = 2_600.0
    x = np.sin(2 * np.pi * tone * np.arange(FS) / FS)
    kg = fast_kurtogram(x + 0.01 * np.random.default_rng(1).standard_normal(FS), fs=FS, nlevel=6)
    width = FS / 2 / n_bands
    power = [
        np.mean(bandpass_envelope_at_best(x, kurtogram=dataclasses.replace(
            kg, best_level=level, best_band=band, best_bandwidth=width))[0] ** 2)
        for band in range(n_bands)
    ]
    assert int(np.argmax(power)) == int(tone // width)


def test_default_nlevel_is_antonis_limit():
    assert max_level(12_000) == 6
    assert fast_kurtogram(np.random.default_rng(0).standard_normal(12_000), fs=FS).levels[-1] == 6


def test_bad_input_is_refused():
    x = np.random.default_rng(0).standard_normal(8_000)
    with pytest.raises(ParameterError, match="nlevel=6 needs at least .* 8192 samples"):
        fast_kurtogram(x, fs=FS, nlevel=6)
    with pytest.raises(ParameterError, match="nlevel=1 needs at least .* 256 samples, the signal has 200"):
        fast_kurtogram(x[:200], fs=FS)
    with pytest.raises(ParameterError, match="one 1-D signal"):
        fast_kurtogram(x.reshape(2, -1), fs=FS, nlevel=3)
    with pytest.raises(ParameterError, match="positive integer"):
        fast_kurtogram(x, fs=FS, nlevel=0)
    x[5] = np.nan
    with pytest.raises(ParameterError, match="NaN"):
        fast_kurtogram(x, fs=FS, nlevel=3)


def test_level0_scores_differ_only_at_level_0():
    x = impulsive(3_000.0)
    real = fast_kurtogram(x, fs=FS, nlevel=6)
    envelope = fast_kurtogram(x, fs=FS, nlevel=6, level0="envelope")
    assert (real.level0, envelope.level0) == ("real", "envelope")
    np.testing.assert_array_equal(real.kurtosis[1:], envelope.kurtosis[1:])
    assert real.kurtosis[0, 0] != envelope.kurtosis[0, 0]


def test_envelope_level0_is_on_the_scale_of_the_other_levels():
    # a tone burst on a fraction d of the time: real kurtosis 1.5/d - 3, envelope kurtosis 1/d - 2
    d = 0.1
    t = np.arange(2**14) / FS
    x = np.sin(2 * np.pi * 1_000.3 * t) * (np.arange(t.size) % 1000 < 1000 * d)
    real = fast_kurtogram(x, fs=FS, nlevel=4).kurtosis[0, 0]
    envelope = fast_kurtogram(x, fs=FS, nlevel=4, level0="envelope").kurtosis[0, 0]
    assert real == pytest.approx(1.5 / d - 3, rel=0.05)
    assert envelope == pytest.approx(1 / d - 2, rel=0.05)


def test_envelope_level0_of_gaussian_noise_is_near_zero():
    x = np.random.default_rng(3).standard_normal(2**15)
    assert fast_kurtogram(x, fs=FS, nlevel=6, level0="envelope").kurtosis[0, 0] < 0.1


def test_unknown_level0_score_is_refused():
    with pytest.raises(ParameterError, match="level0='antoni'"):
        fast_kurtogram(np.random.default_rng(0).standard_normal(FS), fs=FS, level0="antoni")


@pytest.mark.parametrize(("resonance", "seed"), [(1_800.0, 0), (2_500.0, 2), (4_100.0, 1)])
def test_kurtogram_band_holds_the_excited_resonance(resonance, seed):
    fs = 12_000
    kg = fast_kurtogram(impulsive(resonance, seed=seed), fs=fs, nlevel=4)
    low, high = kurtogram_band(kg)
    assert kg.best_level > 0
    assert fs / 64 <= low < resonance < high < fs / 2


def test_kurtogram_band_level_zero_falls_back_to_the_default_band(level_zero_kurtogram):
    kg, fs = level_zero_kurtogram, level_zero_kurtogram.fs
    assert kg.best_level == 0
    assert kurtogram_band(kg) == default_band(fs)


def test_band_kurtosis_reads_the_band_that_holds_the_frequency():
    fs = 12_000
    x = np.random.default_rng(0).standard_normal(2**13)
    x[4096:4100] += 30.0
    kg = fast_kurtogram(x, fs=fs, nlevel=3)
    row = int(np.flatnonzero(np.isclose(kg.levels, 1 + TERNARY_STEP))[0])
    # level 1.585: three bands of fs / 6 = 2 kHz; 3 kHz lies in the middle one
    middle = kg.kurtosis[row, kg.freqs.size // 3 + 1]
    assert band_kurtosis(kg, level=kg.levels[row], freq=3_000.0) == middle
    assert band_kurtosis(kg, level=0.0, freq=6_000.0) == kg.kurtosis[0, -1]
    with pytest.raises(ParameterError, match="not in the kurtogram"):
        band_kurtosis(kg, level=0.5, freq=3_000.0)
    with pytest.raises(ParameterError, match="outside"):
        band_kurtosis(kg, level=1.0, freq=7_000.0)


def test_level0_scores_put_level_0_on_the_envelope_scale():
    table = level0_scores(impulsive(3_300.0), fs=12_000, nlevel=4)
    assert list(table.index) == ["real", "envelope"]
    assert table.loc["real", "level0"] > table.loc["envelope", "level0"] > 0
    assert table.loc["envelope", "best_level"] > 0          # a narrow band beats the whole band on one scale
    assert table.loc["envelope", "best_low_hz"] <= 3_300 <= table.loc["envelope", "best_high_hz"]


def test_level_bandwidth_halves_per_level():
    assert [level_bandwidth(k, fs=12_000) for k in (0, 1, 2)] == [6_000.0, 3_000.0, 1_500.0]
    assert level_bandwidth(1 + TERNARY_STEP, fs=12_000) == pytest.approx(2_000.0)
