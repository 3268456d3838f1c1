"""Table 4's defect frequencies, Eq. 18 as printed, and the kurtogram summary (§3.2)."""

import numpy as np
import pytest

from bearingkit.papers.sedira2026 import signals
from bearingkit.physics import kinematics


def test_eq18_as_printed_is_twice_the_ball_spin_frequency_not_the_single_one():
    freqs = kinematics.defect_frequencies(kinematics.get_bearing("cwru_de"), rpm=1796)
    printed = signals.eq18_as_printed_hz(rpm=1796)
    assert printed == pytest.approx(141.1, abs=0.05) and printed == pytest.approx(freqs.bsf_2x)
    assert printed == pytest.approx(2 * freqs.bsf)
    assert printed / (1796 / 60) == pytest.approx(4.7135, abs=1e-3)
    assert signals.defect_frequencies_hz(rpm=1796)["ball"] == pytest.approx(printed)


def test_eq18_facts_put_the_printed_value_beside_bsf_and_twice_bsf():
    facts = signals.eq18_facts(rpm=1796)
    assert facts["printed_hz"] == pytest.approx(facts["bsf_2x_hz"]) == pytest.approx(2 * facts["bsf_hz"])
    assert facts["shaft_hz"] == pytest.approx(1796 / 60)
    assert facts["printed_over_fr"] == pytest.approx(4.7135, abs=1e-3)


def test_kurtogram_table_finds_the_band_of_an_impulsive_record(make_recording):
    quiet = make_recording("normal", 0.0, n=12_000, seed=1)
    impulsive = make_recording("outer", 0.007, n=12_000, seed=2)
    t = np.arange(200) / impulsive.fs
    for start in range(100, 11_000, 400):                        # 30 Hz impacts ringing at 3 kHz
        impulsive.signal[start:start + 200] += 8 * np.exp(-300 * t) * np.sin(2 * np.pi * 3000 * t)
    kgs = signals.kurtograms([quiet, impulsive], level0="envelope")
    table = signals.kurtogram_table([quiet, impulsive], kgs, class_names=["healthy", "fault"])
    assert table["class"].tolist() == ["healthy", "fault"]
    assert table.loc[1, "kurtosis"] > table.loc[0, "kurtosis"]
    low, high = (table.loc[1, "centre (Hz)"] + sign * table.loc[1, "bandwidth (Hz)"] / 2 for sign in (-1, 1))
    assert low <= 3000 <= high
