"""A recording's sampling rate decided from its shaft harmonics: 97.mat at 48 kHz, fault files at 12 kHz."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.data import load_cwru
from bearingkit.dsp.sampling_rate import shaft_peak_evidence
from bearingkit.errors import ParameterError


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
