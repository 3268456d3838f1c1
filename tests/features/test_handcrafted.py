"""The 46 features of Sedira & Felkaoui (2026): values against direct formulas, pywt and scipy; bad input."""

from __future__ import annotations

import numpy as np
import pytest
import pywt
from scipy import stats

from bearingkit.errors import ParameterError
from bearingkit.features.handcrafted import (
    FEATURE_GROUPS,
    FEATURE_NAMES,
    FREQUENCY_FEATURES,
    TIME_FEATURES,
    extract_features,
    frequency_features,
    min_samples,
    time_features,
    wavelet_packet_energies,
)

FS = 12_000


@pytest.fixture
def segments() -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.standard_normal((6, 2048)) * rng.uniform(0.1, 3.0, (6, 1)) + rng.uniform(-1, 1, (6, 1))


def test_names_are_46_grouped_9_5_32():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES)) == 46
    assert [len(g) for g in FEATURE_GROUPS.values()] == [9, 5, 32]
    assert sum(FEATURE_GROUPS.values(), ()) == FEATURE_NAMES


def test_extract_features_shape_and_blocks(segments):
    F = extract_features(segments, fs=FS, expected_fs=FS)
    assert F.shape == (6, 46)
    np.testing.assert_array_equal(F[:, :9], time_features(segments))
    np.testing.assert_array_equal(F[:, 9:14], frequency_features(segments, fs=FS))
    np.testing.assert_array_equal(F[:, 14:], wavelet_packet_energies(segments))


def test_batch_equals_one_segment_at_a_time(segments):
    F = extract_features(segments, fs=FS)
    one = np.vstack([extract_features(x, fs=FS) for x in segments])
    np.testing.assert_allclose(F, one, rtol=1e-12)
    assert extract_features(segments[0], fs=FS).shape == (1, 46)


def test_an_empty_batch_gives_an_empty_table():
    assert extract_features(np.empty((0, 2048)), fs=FS).shape == (0, 46)


def test_time_features_match_textbook_definitions(segments):
    T = dict(zip(TIME_FEATURES, time_features(segments).T, strict=True))
    X = segments
    np.testing.assert_allclose(T["mean"], X.mean(axis=1))
    np.testing.assert_allclose(T["variance"], X.var(axis=1))
    np.testing.assert_allclose(T["std"], X.std(axis=1))
    np.testing.assert_allclose(T["rms"], np.sqrt(np.mean(X**2, axis=1)))
    np.testing.assert_allclose(T["crest_factor"], np.abs(X).max(axis=1) / T["rms"])
    np.testing.assert_allclose(T["skewness"], stats.skew(X, axis=1))
    np.testing.assert_allclose(T["kurtosis"], stats.kurtosis(X, axis=1, fisher=False))
    np.testing.assert_allclose(T["m4"], np.mean(X**4, axis=1))
    np.testing.assert_allclose(T["m5"], np.mean(X**5, axis=1))


def test_time_features_of_a_sine_over_whole_periods():
    x = 2.0 * np.sin(2 * np.pi * 8 * np.arange(2048) / 2048)
    T = dict(zip(TIME_FEATURES, time_features(x)[0], strict=True))
    assert T["rms"] == pytest.approx(np.sqrt(2))  # Eq. 4 with the square the paper omits
    assert T["crest_factor"] == pytest.approx(np.sqrt(2))
    assert T["skewness"] == pytest.approx(0, abs=1e-12)
    assert T["kurtosis"] == pytest.approx(1.5)  # Pearson's kurtosis, not the excess
    assert T["m4"] == pytest.approx(16 * 3 / 8)


def test_frequency_features_of_two_tones():
    n = 2048
    f1, f2 = 100 * FS / n, 300 * FS / n  # on DFT bins: no leakage
    t = np.arange(n) / FS
    x = np.cos(2 * np.pi * f1 * t) + 0.5 * np.cos(2 * np.pi * f2 * t)
    F = dict(zip(FREQUENCY_FEATURES, frequency_features(x, fs=FS)[0], strict=True))
    s1, s2 = (n / 2) ** 2, (n / 4) ** 2  # |X(f)|**2 of each tone, unnormalised DFT (Eq. 10-11)
    assert F["dominant_frequency"] == pytest.approx(f1)
    assert F["mean_frequency"] == pytest.approx((f1 * s1 + f2 * s2) / (s1 + s2))
    mean = F["mean_frequency"]
    variance = (s1 * (f1 - mean) ** 2 + s2 * (f2 - mean) ** 2) / (s1 + s2)
    assert F["bandwidth"] == pytest.approx(variance)  # Eq. 14 as printed: a variance, in Hz**2
    assert F["spectral_energy"] == pytest.approx(s1 + s2)


def test_spectral_kurtosis_is_the_kurtosis_of_the_psd_values(segments):
    S = np.abs(np.fft.rfft(segments, axis=1)) ** 2
    kurt_f = frequency_features(segments, fs=FS)[:, 4]
    np.testing.assert_allclose(kurt_f, stats.kurtosis(S, axis=1, fisher=False))


def test_frequencies_are_in_hertz():
    x = np.sin(2 * np.pi * 64 * np.arange(2048) / 2048)
    low = frequency_features(x, fs=1_000)[0]
    high = frequency_features(x, fs=48_000)[0]
    assert high[0] / low[0] == pytest.approx(48)
    assert high[2] / low[2] == pytest.approx(48**2)


@pytest.mark.parametrize("order", ["freq", "natural"])
def test_packet_energies_equal_pywt_waveletpacket(segments, order):
    E = wavelet_packet_energies(segments[:3], order=order)
    for x, e in zip(segments[:3], E, strict=True):
        tree = pywt.WaveletPacket(x, "db5", mode="symmetric", maxlevel=5)
        expected = [np.sum(node.data**2) for node in tree.get_level(5, order=order)]
        np.testing.assert_allclose(e, expected, rtol=1e-10)


def test_frequency_order_puts_a_tone_in_its_band():
    t = np.arange(2048) / FS
    bands = np.arange(32)
    tones = np.sin(2 * np.pi * (bands[:, None] + 0.5) * FS / 64 * t)
    np.testing.assert_array_equal(wavelet_packet_energies(tones).argmax(axis=1), bands)
    assert not np.array_equal(wavelet_packet_energies(tones, order="natural").argmax(axis=1), bands)


def test_periodization_conserves_energy(segments):
    E = wavelet_packet_energies(segments, mode="periodization")
    np.testing.assert_allclose(E.sum(axis=1), np.sum(segments**2, axis=1))


def test_min_samples_is_pywt_dwt_max_level_bound():
    n = min_samples()
    assert n == 288
    assert pywt.dwt_max_level(n, pywt.Wavelet("db5").dec_len) == 5
    assert pywt.dwt_max_level(n - 1, pywt.Wavelet("db5").dec_len) == 4
    assert extract_features(np.random.default_rng(0).standard_normal(n), fs=FS).shape == (1, 46)


def test_nan_and_inf_segments_are_named(segments):
    segments[3, 10] = np.nan
    segments[5, 0] = np.inf
    with pytest.raises(ParameterError, match=r"2 segment\(s\) hold NaN or infinity, at indices \[3, 5\]"):
        extract_features(segments, fs=FS)


def test_too_short_segments_name_the_minimum():
    with pytest.raises(ParameterError, match="287 samples.*at least 288"):
        extract_features(np.ones((2, 287)), fs=FS)


def test_wrong_sample_rate_is_refused(segments):
    with pytest.raises(ParameterError, match="fs=48000 Hz but expected_fs=12000 Hz: resample"):
        extract_features(segments, fs=48_000, expected_fs=12_000)


@pytest.mark.parametrize("fs", [0, -12_000, np.nan])
def test_non_positive_sample_rate_is_refused(segments, fs):
    with pytest.raises(ParameterError, match="positive, finite sampling rate"):
        extract_features(segments, fs=fs)


def test_three_dimensional_input_is_refused():
    with pytest.raises(ParameterError, match=r"2-D array .* got shape \(2, 3, 2048\)"):
        extract_features(np.zeros((2, 3, 2048)), fs=FS)


def test_constant_segments_are_named(segments):
    segments[1] = 0.0
    with pytest.raises(ParameterError, match=r"constant .* at indices \[1\]"):
        extract_features(segments, fs=FS)


def test_unknown_order_mode_or_wavelet_is_refused(segments):
    with pytest.raises(ParameterError, match="order='sequency'"):
        wavelet_packet_energies(segments, order="sequency")
    with pytest.raises(ParameterError, match="mode='mirror'"):
        wavelet_packet_energies(segments, mode="mirror")
    with pytest.raises(ParameterError, match=r"wavelet='morl' is not in pywt.wavelist\(kind='discrete'\)"):
        wavelet_packet_energies(segments, wavelet="morl")
