"""Recording: what it accepts, how it stores it, and a clear error for each thing it refuses."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.recording import LABELS, Recording


def _recording(**changes) -> Recording:
    fields = {"signal": np.arange(8.0), "fs": 1000, "label": "normal", "dataset": "test", "source": "test/a"}
    return Recording(**(fields | changes))


def test_signal_and_rate_are_stored_as_float():
    rec = _recording(signal=[1, 2, 3, 4], fs=np.int64(2))
    assert rec.signal.dtype == np.float64 and isinstance(rec.fs, float)
    assert (rec.n_samples, rec.duration) == (4, 2.0)


def test_two_channels_keep_their_layout():
    rec = _recording(signal=np.vstack([np.zeros(5), np.ones(5)]))
    assert rec.n_samples == 5
    np.testing.assert_array_equal(rec.channel(1), np.ones(5))
    np.testing.assert_array_equal(_recording().channel(), np.arange(8.0))


def test_shaft_frequency_from_rpm():
    assert _recording(rpm=1797.0).shaft_hz == pytest.approx(29.95)
    assert _recording().shaft_hz is None


@pytest.mark.parametrize(("signal", "match"), [
    ([1.0, np.nan, np.inf], "test/a: signal holds 2 NaN or infinite values"),
    ([], r"test/a: signal must be 1-D .* got shape \(0,\)"),
    (np.zeros((2, 0)), r"got shape \(2, 0\)"),
    (3.0, r"got shape \(\)"),
    (np.zeros((2, 2, 2)), r"got shape \(2, 2, 2\)"),
    (["a", "b"], "signal must hold numbers"),
])
def test_bad_signals_are_refused_naming_the_source(signal, match):
    with pytest.raises(ParameterError, match=match):
        _recording(signal=signal)


@pytest.mark.parametrize("fs", [0, -12_000.0, float("nan"), float("inf"), None, "12k", True])
def test_sampling_rate_must_be_a_positive_number(fs):
    expected = f"test/a: sampling rate fs must be a positive number in Hz, got {fs!r}$"
    with pytest.raises(ParameterError, match=expected):
        _recording(fs=fs)


@pytest.mark.parametrize("label", ["imbalance", "Normal", ""])
def test_unknown_label_lists_the_valid_ones(label):
    with pytest.raises(UnknownNameError, match=r"unknown label .*expected one of \('normal', 'inner'"):
        _recording(label=label)


def test_every_label_is_accepted():
    assert [_recording(label=label).label for label in LABELS] == list(LABELS)
