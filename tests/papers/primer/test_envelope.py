"""Sect. 2.4-2.5: the lines searched, their tables and grades, pre-whitening and the race lines' shift."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from bearingkit.dsp.spectral import default_band, envelope_spectrum
from bearingkit.errors import ParameterError
from bearingkit.papers.primer import envelope
from bearingkit.physics.kinematics import BEARINGS, defect_frequencies

BAND = (2_000.0, 4_000.0)


def test_expected_lines_follow_the_record_s_fault():
    freqs = defect_frequencies(BEARINGS["cwru_de"], rpm=1797.0)
    fundamentals = {"FTF", "BPFO", "BPFI", "2xBSF"}
    assert set(envelope.expected_lines("normal", freqs)) == fundamentals
    outer = envelope.expected_lines("outer", freqs)
    assert set(outer) == fundamentals | {"2xBPFO", "3xBPFO"}
    assert outer["3xBPFO"] == pytest.approx(3 * freqs.bpfo)
    inner = envelope.expected_lines("inner", freqs)
    assert inner["BPFI-2fr"] == pytest.approx(freqs.bpfi - 2 * freqs.shaft)
    assert inner["BPFI+2fr"] == pytest.approx(freqs.bpfi + 2 * freqs.shaft)
    assert inner["BPFI+fr"] == pytest.approx(freqs.bpfi + freqs.shaft)
    assert "2xBPFI" in inner and "2xBPFO" not in inner
    ball = envelope.expected_lines("ball", freqs)
    assert set(ball) == fundamentals | {"2x(2xBSF)", "3x(2xBSF)", "shaft", "2xBSF-FTF", "2xBSF+FTF"}
    assert ball["2xBSF+FTF"] == pytest.approx(freqs.bsf_2x + freqs.ftf)
    # no line chosen after looking at the spectrum (4 and 6 x FTF, 2 x BPFO for the ball)
    assert not {"4xFTF", "6xFTF", "2xBPFO"} & set(ball)
    with pytest.raises(ParameterError, match="unknown record label"):
        envelope.expected_lines("cage", freqs)


def test_peak_tables_find_the_modulating_line_of_each_record():
    fs = 12_000.0
    freqs = defect_frequencies(BEARINGS["cwru_de"], rpm=1797.0)
    t = np.arange(int(4 * fs)) / fs
    x = (1 + 0.5 * np.cos(2 * np.pi * freqs.bpfo * t)) * np.sin(2 * np.pi * 3_000 * t)
    spectrum = envelope_spectrum(x, fs=fs, band=(2_000, 4_000))
    table = envelope.peak_tables({"outer": spectrum}, {"outer": freqs})["outer"]
    assert table.loc["BPFO", "found_hz"] == pytest.approx(freqs.bpfo, abs=spectrum[0][1])
    assert table.loc["BPFO", "ratio"] > 100 * table.loc["BPFI", "ratio"]


def test_search_band_and_spectra_of_a_view(synthetic_view):
    assert envelope.search_band((2_000.0, 4_000.0), fs=12_000) == (2_000.0, 4_000.0)
    assert envelope.search_band("kurtogram", fs=12_000) == default_band(12_000)
    bands = dict.fromkeys(synthetic_view.records, (2_000.0, 4_000.0))
    spectra = envelope.envelope_spectra(synthetic_view, bands)
    tables = envelope.peak_tables(spectra, synthetic_view.lines)
    assert tables["outer"].loc["BPFO", "ratio"] > 20 > tables["normal"].loc["BPFO", "ratio"]
    assert tables["inner"].loc["BPFI", "ratio"] > 20


def test_line_near_sets_the_line_against_a_shaft_harmonic_and_the_target(synthetic_view):
    spectra = envelope.envelope_spectra(synthetic_view, dict.fromkeys(synthetic_view.records, BAND))
    table = envelope.line_near(spectra, synthetic_view, target_hz=120.0, harmonic=4)
    assert list(table.columns) == ["found_hz", "ratio", "4 f_r (Hz)", "bin (Hz)", "bins from 4 f_r",
                                   "bins from 120 Hz"]
    shaft = synthetic_view.shaft_hz["normal"]
    assert table.loc["normal", "4 f_r (Hz)"] == pytest.approx(4 * shaft)
    assert table.loc["normal", "bin (Hz)"] == pytest.approx(0.25)                # 4 s records
    row = table.loc["outer"]
    assert row["bins from 120 Hz"] == pytest.approx((row["found_hz"] - 120) / row["bin (Hz)"])


def test_grading_takes_the_stricter_null_and_grades_the_lines(synthetic_view, short_settings):
    spectra = envelope.envelope_spectra(synthetic_view, dict.fromkeys(synthetic_view.records, BAND))
    settings = dataclasses.replace(short_settings, noise_trials=4)
    grading = envelope.grading_study(synthetic_view, spectra, band=BAND, settings=settings, seed=3)
    assert grading.noise_ratios.size == 4 * 25 and grading.healthy_ratios.size == 200
    assert list(grading.null_table.index) == ["Gaussian noise", "healthy 97.mat"]
    for grade in ("Y", "P"):
        column = envelope.threshold_column(grade)
        assert grading.thresholds[grade] == pytest.approx(grading.null_table[column].max())
    assert grading.thresholds["Y"] > grading.thresholds["P"] > 1
    assert grading.bins_searched(100.0, fs=12_000.0) == int(2 * 0.02 * 100 * 48_000 / 12_000) + 1
    assert grading.noise_summary()["n_searches"] == 100
    tables = envelope.peak_tables(spectra, synthetic_view.lines)
    peaks = envelope.graded_peaks(tables, grading.thresholds)
    assert peaks.loc[("outer", "BPFO"), "grade"] == peaks.loc[("inner", "BPFI"), "grade"] == "Y"
    assert len(peaks) == sum(len(table) for table in tables.values())


def test_prewhitened_lines_keep_the_race_lines(synthetic_view):
    spectra = envelope.envelope_spectra(synthetic_view, dict.fromkeys(synthetic_view.records, BAND))
    tables = envelope.peak_tables(spectra, synthetic_view.lines)
    pre = envelope.prewhitened_lines(synthetic_view, tables, band=(500.0, 5_500.0))
    assert pre.ratios["outer"]["BPFO"] > 10 and pre.ratios["inner"]["BPFI"] > 10
    assert set(pre.table.index.get_level_values("method")) == {"band-passed", "pre-whitened"}
    assert pre.table.loc[("band-passed", "BPFO"), "outer"] == tables["outer"].loc["BPFO", "ratio"]


def test_line_shift_divides_by_the_measured_shaft_rate():
    shaft = 29.93
    published = BEARINGS["cwru_de"].published
    found = {"outer": ("BPFO", published["bpfo"] * 1.003), "inner": ("BPFI", published["bpfi"] * 0.997)}
    tables = {label: pd.DataFrame({"found_hz": [k * multiple * shaft for k in (1, 2, 3)]},
                                  index=[family, f"2x{family}", f"3x{family}"])
              for label, (family, multiple) in found.items()}
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=1797.0)
    view = envelope.CwruView(numbers={}, records={}, fs=12_000.0, shaft_hz={"outer": shaft, "inner": shaft},
                             lines=MappingProxyType({"outer": lines, "inner": lines}))
    shift = envelope.line_shift(tables, view)
    assert shift.shift["bpfo"] == pytest.approx(0.003) and shift.shift["bpfi"] == pytest.approx(-0.003)
    assert shift.header["bpfo"] == pytest.approx(published["bpfo"] * 1.003 * shaft / (1797 / 60))
    assert set(shift.summary()) == {"measured_multiples", "header_multiples", "relative_shift"}
