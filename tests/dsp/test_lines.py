"""Spectral lines with known answers: named harmonics, line tables, noise thresholds, shaft rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.dsp import lines
from bearingkit.dsp.spectral import envelope_spectrum, spectrum_db
from bearingkit.errors import ParameterError


def test_harmonic_lines_names_and_values():
    named = lines.harmonic_lines({"BPFO": 100.0, "FTF": 10.0}, harmonics=(1, 3))
    assert named == {"BPFO": 100.0, "3xBPFO": 300.0, "FTF": 10.0, "3xFTF": 30.0}
    assert list(lines.harmonic_lines({"2xBSF": 141.0}, harmonics=(1, 2))) == ["2xBSF", "2x(2xBSF)"]
    for bad in ((0,), (), (1.5,)):
        with pytest.raises(ParameterError):
            lines.harmonic_lines({"BPFO": 100.0}, harmonics=bad)


def test_line_table_finds_the_modulation_line():
    fs = 12_000
    t = np.arange(2 * fs) / fs
    x = (1 + 0.5 * np.cos(2 * np.pi * 107.0 * t)) * np.sin(2 * np.pi * 3_000 * t)
    f, a = envelope_spectrum(x, fs=fs, band=(2_000, 4_000))
    table = lines.line_table(f, a, {"BPFO": 107.3, "BPFI": 162.2}, tol=0.01)
    assert list(table.index) == ["BPFO", "BPFI"]
    assert table.loc["BPFO", "found_hz"] == pytest.approx(107.0, abs=f[1])
    assert table.loc["BPFO", "rel_error"] == pytest.approx(107.0 / 107.3 - 1, abs=f[1] / 107.3)
    assert table.loc["BPFO", "ratio"] > 100 > table.loc["BPFI", "ratio"]
    with pytest.raises(ParameterError):
        lines.line_table(f, a, {})


def test_line_table_flags_a_maximum_in_the_outer_half_of_its_window():
    f = np.linspace(0, 500, 50_001)
    a = np.ones_like(f)
    a[np.argmin(np.abs(f - 101.8))] = 30.0            # 1.8 % above 100 Hz: inside the +-2 % window
    a[np.argmin(np.abs(f - 200.4))] = 30.0            # 0.2 % above 200 Hz
    table = lines.line_table(f, a, {"edge": 100.0, "centre": 200.0}, tol=0.02)
    assert table.loc["edge", "at_edge"] and not table.loc["centre", "at_edge"]
    thresholds = {"Y": 4.0, "P": 3.0}
    assert lines.grade_ratio(table.loc["edge", "ratio"], thresholds, at_edge=True) == "N"
    assert lines.grade_ratio(table.loc["centre", "ratio"], thresholds) == "Y"
    assert lines.grade_lines(table, thresholds).to_dict() == {"edge": "N", "centre": "Y"}
    with pytest.raises(ParameterError):
        lines.line_table(f, a, {"x": 100.0}, tol=0.02, centre_tol=0.05)


def test_spectrum_peak_ratios_reads_a_real_line_and_the_floor():
    freqs = np.linspace(0, 500, 5001)
    amplitude = 1 + 0.1 * np.random.default_rng(0).random(freqs.size)
    amplitude[np.argmin(np.abs(freqs - 120.0))] = 20.0
    ratios = lines.spectrum_peak_ratios(freqs, amplitude, targets=[120.0, 300.0])
    assert ratios[0] > 15 > 2 > ratios[1]
    with pytest.raises(ParameterError):
        lines.spectrum_peak_ratios(freqs, amplitude, targets=[])


def test_noise_peak_ratios_give_a_threshold_with_its_false_alarm_rate():
    ratios = lines.noise_peak_ratios(n_samples=24_000, fs=12_000, band=(2_000, 4_000),
                                     targets=[100.0, 200.0, 300.0], n_trials=20, seed=1)
    assert ratios.shape == (60,) and (ratios > 0).all()
    threshold = lines.ratio_threshold(ratios, false_alarm=0.1)
    assert lines.false_alarm_rate(ratios, threshold) == pytest.approx(0.1, abs=1 / 60 + 1e-9)
    assert lines.false_alarm_rate(ratios, 10.0) == 0.0         # "10 x" is far out for a search this wide
    np.testing.assert_array_equal(ratios, lines.noise_peak_ratios(
        n_samples=24_000, fs=12_000, band=(2_000, 4_000), targets=[100.0, 200.0, 300.0], n_trials=20, seed=1))
    with pytest.raises(ParameterError):
        lines.ratio_threshold(ratios, false_alarm=1.5)
    with pytest.raises(ParameterError):
        lines.noise_peak_ratios(n_samples=24_000, fs=12_000, band=(2_000, 4_000), targets=[100.0], n_trials=0)


def test_grade_ratio_uses_the_first_threshold_reached():
    thresholds = {"Y": 4.0, "P": 3.0}
    assert [lines.grade_ratio(r, thresholds) for r in (4.0, 3.5, 2.9)] == ["Y", "P", "N"]
    assert list(lines.GRADE_FALSE_ALARMS) == ["Y", "P"]            # the stricter grade first
    table = pd.DataFrame({"ratio": [5.0, 3.5, 50.0], "at_edge": [False, False, True]}, index=["a", "b", "c"])
    assert lines.grade_lines(table, thresholds).tolist() == ["Y", "P", "N"]


def test_shaft_harmonic_peaks_are_in_place_only_at_the_true_rate():
    fs, rpm = 48_000.0, 1_800.0
    t = np.arange(int(5 * fs)) / fs
    x = sum(np.sin(2 * np.pi * k * rpm / 60 * t) / k for k in (1, 2, 3))
    right = lines.shaft_harmonic_peaks(x, rpm=rpm, fs=fs)
    assert list(right.index) == [1, 2, 3]
    assert right["offset_bins"].abs().max() < 0.5
    assert right.loc[1, "level_db"] == pytest.approx(0.0, abs=0.1)
    wrong = lines.shaft_harmonic_peaks(x, rpm=rpm, fs=fs / 4)   # lines now at a quarter of their place
    assert wrong["offset_bins"].abs().min() > 5                 # what is found there is no line ...
    assert wrong["level_db"].max() < -40                        # ... only the floor


def test_measured_shaft_rate_reads_the_line_not_the_header():
    fs = 12_000.0
    t = np.arange(int(10 * fs)) / fs
    x = sum(np.cos(2 * np.pi * k * 29.926 * t) / k for k in (1, 2, 3, 4))
    x += np.cos(2 * np.pi * 120.0 * t)                       # a mains line beside the 4th harmonic
    assert lines.measured_shaft_rate(x, fs=fs, rpm=1797) == pytest.approx(29.926, abs=0.005)
    with pytest.raises(ParameterError):
        lines.measured_shaft_rate(x, fs=fs, rpm=0)


def test_harmonic_family_evidence_finds_the_fundamental_of_a_misread_file():
    fs_true, rpm = 48_000.0, 1800.0
    t = np.arange(int(4 * fs_true)) / fs_true
    x = sum(np.cos(2 * np.pi * k * rpm / 60 * t) / k for k in range(1, 41))
    x = x + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    evidence = {fs: lines.harmonic_family_evidence(x, rpm=rpm, fs=fs, n_harmonics=8)
                for fs in (12_000.0, fs_true)}
    counts = lines.harmonic_family_counts(evidence)
    assert counts.loc[fs_true, "harmonics_in_place"] == 8 and counts.loc[fs_true, "fractional_in_place"] == 0
    assert counts.loc[12_000.0, "harmonics_in_place"] == 8          # the 4k-th harmonics land on k rpm/60
    assert counts.loc[12_000.0, "fractional_in_place"] == 24        # and the true 1st-3rd between them
    with pytest.raises(ParameterError):
        lines.harmonic_family_evidence(x, rpm=rpm, fs=fs_true, subdivision=0)


def test_harmonic_separation_in_bins():
    close = lines.harmonic_separation(5.002, shaft_hz=36.9, duration_s=5.0)
    assert close["harmonic"] == 5 and not close["separable"]
    assert close["gap_bins"] == pytest.approx(0.002 * 36.9 * 5)
    far = lines.harmonic_separation(3.5848, shaft_hz=29.95, duration_s=10.0)
    assert far["harmonic"] == 4 and far["separable"]
    assert lines.harmonic_separation(0.4, shaft_hz=30.0, duration_s=1.0)["harmonic"] == 1
    with pytest.raises(ParameterError):
        lines.harmonic_separation(3.0, shaft_hz=0.0, duration_s=5.0)


def test_spectrum_db_locates_a_line_between_bins():
    """The zero-padded spectrum that the shaft-line readings search."""
    fs = 1_000.0
    t = np.arange(1_000) / fs
    freqs, level = spectrum_db(np.sin(2 * np.pi * 29.93 * t) + 3.0, fs=fs, pad=8)
    assert freqs[-1] == pytest.approx(fs / 2)
    assert level.max() == 0.0
    assert freqs[np.argmax(level)] == pytest.approx(29.93, abs=0.07)
    with pytest.raises(ParameterError):
        spectrum_db(np.ones((2, 10)), fs=fs)
    with pytest.raises(ParameterError):
        spectrum_db(t, fs=fs, pad=0)
