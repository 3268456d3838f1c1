"""A recording's sampling rate decided from its shaft harmonics (97.mat at 48 kHz, fault files at 12 kHz), and
a recording brought to another rate."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.data import load_cwru
from bearingkit.dsp.sampling_rate import at_rate, shaft_peak_evidence
from bearingkit.dsp.spectral import resample
from bearingkit.errors import ParameterError
from bearingkit.recording import Recording


def test_97_is_sampled_at_48k_by_its_own_spectrum():
    rec = load_cwru(97)
    evidence = shaft_peak_evidence(rec.signal, rec.rpm).set_index("fs")
    assert evidence["most_likely"].idxmax() == 48_000.0
    at48, at12 = evidence.loc[48_000.0], evidence.loc[12_000.0]
    assert abs(at48["shaft_line_hz"] - 1796 / 60) < 0.05
    assert at48["harmonics_found"] == 3 > at12["harmonics_found"]
    assert {240.0, 360.0} <= set(at48["mains_lines_hz"])
    assert rec.fs == 48_000.0 and "sampling_rate" in rec.extra["fs_note"]


@pytest.mark.parametrize("number", [105, 130, 222])
def test_known_12k_files_come_out_at_12k(number):
    rec = load_cwru(number)
    evidence = shaft_peak_evidence(rec.signal, rec.rpm).set_index("fs")
    assert evidence["most_likely"].idxmax() == 12_000.0
    assert evidence.loc[48_000.0, "harmonics_found"] == 0


def test_evidence_on_a_synthetic_signal():
    fs, rpm = 48_000, 1750.0
    t = np.arange(3 * fs) / fs
    shaft = rpm / 60
    x = sum(np.sin(2 * np.pi * k * shaft * t) / k for k in (1, 2, 3)) + 0.5 * np.sin(2 * np.pi * 120 * t)
    x = x + 0.05 * np.random.default_rng(0).standard_normal(t.size)
    evidence = shaft_peak_evidence(x, rpm, candidate_fs=(12_000, 24_000, 48_000)).set_index("fs")
    assert evidence["most_likely"].idxmax() == 48_000.0
    assert 120.0 in evidence.loc[48_000.0, "mains_lines_hz"]
    with pytest.raises(ParameterError, match="rpm"):
        shaft_peak_evidence(x, 0.0)


def _recording(n=4_800, *, fs=48_000.0, channels=None, **extra):
    shape = (n,) if channels is None else (channels, n)
    signal = np.random.default_rng(0).standard_normal(shape)
    return Recording(signal, fs=fs, label="normal", dataset="cwru", source="demo", rpm=1796.0, load=0.0,
                     extra=extra)


def test_at_rate_resamples_every_channel_and_keeps_the_other_fields():
    rec = _recording(channels=2, record="cwru/97.mat")
    low = at_rate(rec, 12_000)
    assert low.fs == 12_000.0 and low.signal.shape == (2, 1_200)
    assert (low.label, low.rpm, low.load, low.source) == (rec.label, rec.rpm, rec.load, rec.source)
    assert low.extra == {"record": "cwru/97.mat", "resampled_from_hz": 48_000.0}
    np.testing.assert_array_equal(low.signal[1], resample(rec.signal[1], fs_in=48_000, fs_out=12_000))
    assert rec.extra == {"record": "cwru/97.mat"}  # the input is left as it was


def test_at_rate_returns_a_recording_already_at_the_rate_unchanged():
    rec = _recording(fs=12_000.0)
    assert at_rate(rec, 12_000) is rec


def test_at_rate_remembers_the_original_rate_through_two_changes():
    twice = at_rate(at_rate(_recording(), 24_000.0), 12_000.0)
    assert twice.fs == 12_000.0 and twice.extra["resampled_from_hz"] == 48_000.0


def test_at_rate_removes_what_the_new_rate_cannot_carry():
    fs = 48_000.0
    t = np.arange(48_000) / fs
    rec = Recording(np.sin(2 * np.pi * 1_000 * t) + np.sin(2 * np.pi * 9_000 * t), fs=fs, label="normal",
                    dataset="simulated:tone", source="two tones")
    low = at_rate(rec, 12_000.0)
    spectrum = np.abs(np.fft.rfft(low.signal)) / low.n_samples
    freq = np.fft.rfftfreq(low.n_samples, 1 / low.fs)
    assert spectrum[np.argmin(np.abs(freq - 1_000))] > 0.4
    assert spectrum[np.argmin(np.abs(freq - 3_000))] < 1e-3  # 9 kHz would alias to 3 kHz


@pytest.mark.parametrize("fs", [0, -12_000.0, np.nan, np.inf, "12k", None, True])
def test_at_rate_refuses_a_rate_that_is_not_a_positive_number(fs):
    with pytest.raises(ParameterError, match="positive sampling rate"):
        at_rate(_recording(), fs)
