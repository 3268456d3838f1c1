"""Envelope spectrum, resampling, STFT and line search on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.dsp.spectral import (
    bandpass,
    default_band,
    envelope,
    envelope_spectrum,
    peak_near,
    resample,
    resample_factors,
    spectrogram,
    stft,
)
from bearingkit.errors import ParameterError

FS = 12_000.0


def am_signal(*, fm=107.0, depth=0.5, carrier=3_000.0, seconds=2.0, fs=FS):
    """``(1 + depth cos(2 pi fm t)) sin(2 pi carrier t)``: its envelope has a line of height depth at fm."""
    t = np.arange(int(seconds * fs)) / fs
    return (1 + depth * np.cos(2 * np.pi * fm * t)) * np.sin(2 * np.pi * carrier * t)


def test_envelope_spectrum_recovers_modulation_frequency_and_depth():
    f, a = envelope_spectrum(am_signal(), fs=FS, band=(2_000, 4_000))
    assert f[0] == 0 and f[-1] == pytest.approx(FS / 2, rel=1e-3)
    peak = f[np.argmax(a)]
    assert peak == pytest.approx(107.0, abs=f[1])
    assert a.max() == pytest.approx(0.5, rel=0.05)


def test_envelope_is_the_analytic_magnitude():
    env = envelope(am_signal(), fs=FS, band=(2_000, 4_000))
    middle = slice(2_000, -2_000)
    t = np.arange(env.size) / FS
    assert env[middle] == pytest.approx((1 + 0.5 * np.cos(2 * np.pi * 107 * t))[middle], abs=0.02)
    squared = envelope(am_signal(), fs=FS, band=(2_000, 4_000), squared=True)
    assert squared == pytest.approx(env**2)


def test_envelope_spectrum_works_along_the_last_axis():
    x = np.stack([am_signal(fm=90.0), am_signal(fm=150.0, depth=0.3)])
    f, a = envelope_spectrum(x, fs=FS, band=(2_000, 4_000))
    assert a.shape == (2, f.size)
    for row, single in zip(a, x, strict=True):
        assert row == pytest.approx(envelope_spectrum(single, fs=FS, band=(2_000, 4_000))[1])
    assert f[np.argmax(a, axis=-1)] == pytest.approx([90.0, 150.0], abs=f[1])


def test_default_band_is_used_when_none_is_given():
    x = am_signal()
    assert default_band(FS) == (750.0, 5_250.0)
    explicit = envelope_spectrum(x, fs=FS, band=default_band(FS))[1]
    assert envelope_spectrum(x, fs=FS)[1] == pytest.approx(explicit)


def test_bandpass_removes_out_of_band_tones():
    t = np.arange(int(FS)) / FS
    y = bandpass(np.sin(2 * np.pi * 50 * t) + np.sin(2 * np.pi * 3_000 * t), fs=FS, band=(2_000, 4_000))
    assert np.std(y[1_000:-1_000]) == pytest.approx(np.sqrt(0.5), rel=0.02)


@pytest.mark.parametrize("func", [envelope_spectrum, envelope, bandpass])
def test_nan_is_refused(func):
    x = am_signal()
    x[10] = np.nan
    kwargs = {"band": (2_000, 4_000)} if func is bandpass else {}
    with pytest.raises(ParameterError, match="NaN"):
        func(x, fs=FS, **kwargs)


def test_too_short_signal_is_refused():
    with pytest.raises(ParameterError, match="too short"):
        envelope_spectrum(np.ones(20), fs=FS)


@pytest.mark.parametrize("fs", [0.0, -1.0, float("nan"), float("inf")])
def test_non_positive_sampling_rate_is_refused(fs):
    with pytest.raises(ParameterError, match="sampling rate"):
        envelope_spectrum(am_signal(), fs=fs)


@pytest.mark.parametrize("band", [(2_000, 7_000), (0, 1_000), (4_000, 2_000)])
def test_band_beyond_nyquist_or_malformed_is_refused(band):
    with pytest.raises(ParameterError, match="Nyquist"):
        envelope_spectrum(am_signal(), fs=FS, band=band)


def test_resample_48k_to_12k_is_exact_and_keeps_a_tone():
    assert resample_factors(48_000, 12_000) == (1, 4)
    fs_in = 48_000
    t = np.arange(fs_in) / fs_in
    y = resample(np.sin(2 * np.pi * 1_000 * t), fs_in=fs_in, fs_out=12_000)
    assert y.shape == (12_000,)
    expected = np.sin(2 * np.pi * 1_000 * np.arange(12_000) / 12_000)
    assert y[500:-500] == pytest.approx(expected[500:-500], abs=1e-3)


def test_resample_factors_for_awkward_rates():
    assert resample_factors(48_828, 12_000) == (1_000, 4_069)
    assert resample_factors(97_656.25, 48_828.125) == (1, 2)
    assert resample_factors(12_000, 12_000) == (1, 1)
    up, down = resample_factors(np.pi * 1e4, 1e4, max_factor=1_000)
    assert 1e4 / (np.pi * 1e4) == pytest.approx(up / down, rel=1e-4)
    with pytest.raises(ParameterError, match="max_factor"):
        resample_factors(np.pi * 1e4, 1e4, max_factor=10)
    with pytest.raises(ParameterError, match="fs_out"):
        resample_factors(12_000, 0)


def test_resample_works_along_the_last_axis():
    x = np.random.default_rng(0).standard_normal((3, 4_800))
    y = resample(x, fs_in=48_000, fs_out=12_000)
    assert y.shape == (3, 1_200)
    assert y[1] == pytest.approx(resample(x[1], fs_in=48_000, fs_out=12_000))
    assert resample(x, fs_in=12_000, fs_out=12_000) == pytest.approx(x)


def test_stft_frames_lie_inside_the_signal():
    x = np.random.default_rng(1).standard_normal(10_000)
    f, t, z = stft(x, fs=FS, nperseg=512, hop=128)
    assert f.size == 257 and z.shape == (257, t.size)
    assert t[0] >= 256 / FS - 1e-12 and t[-1] <= (10_000 - 256) / FS + 1e-12
    assert np.diff(t) == pytest.approx(np.full(t.size - 1, 128 / FS))


def test_spectrogram_in_db_peaks_at_a_tone_and_conserves_power():
    t = np.arange(int(FS)) / FS
    x = np.sin(2 * np.pi * 1_500 * t)
    f, times, s_db = spectrogram(x, fs=FS, nperseg=1_024)
    assert s_db.shape == (f.size, times.size)
    assert f[np.argmax(s_db.mean(axis=1))] == pytest.approx(1_500, abs=f[1])
    power = (10 ** (s_db / 10)).sum(axis=0) * f[1]        # integral of the PSD over frequency, per frame
    assert power == pytest.approx(np.full(times.size, 0.5), rel=0.05)
    batch = spectrogram(np.stack([x, 2 * x]), fs=FS, nperseg=1_024)[2]
    assert batch.shape == (2, *s_db.shape)
    line = np.argmax(s_db.mean(axis=1))
    assert batch[1, line] - batch[0, line] == pytest.approx(np.full(times.size, 20 * np.log10(2)))


@pytest.mark.parametrize("kwargs", [{"nperseg": 1}, {"nperseg": 20_000}, {"nperseg": 256, "hop": 0},
                                    {"nperseg": 256, "hop": 300}, {"ref": 0.0}])
def test_spectrogram_parameters_are_checked(kwargs):
    with pytest.raises(ParameterError):
        spectrogram(np.zeros(10_000), fs=FS, **kwargs)


def test_peak_near_finds_the_line_and_its_floor():
    f, a = envelope_spectrum(am_signal(fm=107.0) + 0.2 * np.random.default_rng(2).standard_normal(24_000),
                             fs=FS, band=(2_000, 4_000))
    peak = peak_near(f, a, target=106.0, tol=0.02)
    assert peak.frequency == pytest.approx(107.0, abs=f[1])
    assert peak.ratio > 10
    miss = peak_near(f, a, target=200.0, tol=0.01)
    assert miss.ratio < 5


def test_peak_near_checks_its_arguments():
    f = np.linspace(0, 100, 101)
    with pytest.raises(ParameterError, match="outside"):
        peak_near(f, f, target=150.0)
    with pytest.raises(ParameterError, match="equal length"):
        peak_near(f, f[:-1], target=50.0)
    with pytest.raises(ParameterError, match="tol"):
        peak_near(f, f, target=50.0, tol=0.2, floor_tol=0.1)


def test_cepstral_prewhitening_flattens_lines_and_keeps_impacts():
    from bearingkit.dsp.spectral import cepstral_prewhitening, envelope_spectrum

    fs = 12_000
    t = np.arange(2 * fs) / fs
    rng = np.random.default_rng(0)
    impacts = np.zeros(t.size)
    times = np.cumsum(fs / 100 * (1 + 0.015 * rng.standard_normal(250)))   # 100 impacts a second, 1.5 % slip
    impacts[times[times < t.size].astype(int)] = 1.0
    ring = np.exp(-400 * t[:300]) * np.sin(2 * np.pi * 3_000 * t[:300])
    x = (50 * np.sin(2 * np.pi * 60 * t) + np.convolve(impacts, ring)[: t.size]
         + 0.05 * rng.standard_normal(t.size))
    white = cepstral_prewhitening(x, fs=fs)
    spectrum = np.abs(np.fft.rfft(white))
    assert spectrum[120] < 3 * np.median(spectrum[1:])             # the 60 Hz line (bin 120) is gone
    f, a = envelope_spectrum(white, fs=fs, band=(100, 5_900), squared=True)
    assert f[np.argmax(a[f > 20]) + np.argmax(f > 20)] == pytest.approx(100, abs=1)
    assert cepstral_prewhitening(np.vstack([x, x]), fs=fs).shape == (2, t.size)
