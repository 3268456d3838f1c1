"""AR prediction removes what is predictable and keeps the impacts."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.dsp.kurtogram import stft_spectral_kurtosis
from bearingkit.dsp.whitening import ar_coefficients, ar_residual
from bearingkit.errors import ParameterError


def test_ar_residual_removes_tones_and_raises_the_impacts_kurtosis():
    fs = 12_000.0
    rng = np.random.default_rng(0)
    t = np.arange(int(2 * fs)) / fs
    tones = 5 * np.sin(2 * np.pi * 30 * t) + 3 * np.sin(2 * np.pi * 120 * t)
    impacts = np.zeros(t.size)
    impacts[::1_000] = 8.0
    x = tones + impacts + 0.1 * rng.standard_normal(t.size)
    residual = ar_residual(x, order=32)
    assert residual.size == x.size - 32

    def kurt(v):
        v = v - v.mean()
        return np.mean(v**4) / np.mean(v**2) ** 2

    assert kurt(residual) > 5 * kurt(x)
    assert np.std(residual) < 0.5 * np.std(x)


def test_ar_coefficients_check_their_input():
    with pytest.raises(ParameterError):
        ar_coefficients(np.zeros(100), order=10)
    with pytest.raises(ParameterError):
        ar_coefficients(np.arange(10.0), order=8)
    with pytest.raises(ParameterError):
        ar_residual(np.random.default_rng(0).standard_normal(100), order=4, coefficients=np.ones(3))


def test_stft_spectral_kurtosis_finds_the_ringing_band_and_its_window_trade_off():
    fs = 12_000.0
    rng = np.random.default_rng(1)
    n = int(4 * fs)
    x = rng.standard_normal(n)
    ring = np.exp(-np.arange(200) / 30.0) * np.sin(2 * np.pi * 3_000 * np.arange(200) / fs)
    for start in range(0, n - 200, 1_200):                     # 10 impacts per second ringing 3 kHz
        x[start:start + 200] += 6 * ring
    short = stft_spectral_kurtosis(x, fs=fs, nperseg=64)
    long = stft_spectral_kurtosis(x, fs=fs, nperseg=4_096)
    assert abs(short[0][np.argmax(short[1])] - 3_000) < 400
    assert short[1].max() > 2 * long[1].max()                 # frames holding several impacts look stationary
    assert 0 not in short[0] and fs / 2 not in short[0]
    with pytest.raises(ParameterError):
        stft_spectral_kurtosis(x[:100], fs=fs, nperseg=100)
