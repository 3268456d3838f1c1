"""The primer's helpers on inputs with known answers."""

from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsClassifier

from bearingkit.dsp import spectral as signal
from bearingkit.dsp.kurtogram import fast_kurtogram
from bearingkit.dsp.spectral import default_band, envelope_spectrum
from bearingkit.errors import ParameterError
from bearingkit.papers import primer
from bearingkit.physics.kinematics import BEARINGS, defect_frequencies, with_cage_slip
from bearingkit.recording import Recording
from bearingkit.report import plots


def test_harmonic_lines_names_and_values():
    lines = primer.harmonic_lines({"BPFO": 100.0, "FTF": 10.0}, harmonics=(1, 3))
    assert lines == {"BPFO": 100.0, "3xBPFO": 300.0, "FTF": 10.0, "3xFTF": 30.0}
    assert list(primer.harmonic_lines({"2xBSF": 141.0}, harmonics=(1, 2))) == ["2xBSF", "2x(2xBSF)"]
    with pytest.raises(ParameterError):
        primer.harmonic_lines({"BPFO": 100.0}, harmonics=(0,))


def test_line_table_finds_the_modulation_line():
    fs = 12_000
    t = np.arange(2 * fs) / fs
    x = (1 + 0.5 * np.cos(2 * np.pi * 107.0 * t)) * np.sin(2 * np.pi * 3_000 * t)
    f, a = envelope_spectrum(x, fs=fs, band=(2_000, 4_000))
    table = primer.line_table(f, a, {"BPFO": 107.3, "BPFI": 162.2}, tol=0.01)
    assert list(table.index) == ["BPFO", "BPFI"]
    assert table.loc["BPFO", "found_hz"] == pytest.approx(107.0, abs=f[1])
    assert table.loc["BPFO", "rel_error"] == pytest.approx(107.0 / 107.3 - 1, abs=f[1] / 107.3)
    assert table.loc["BPFO", "ratio"] > 100 > table.loc["BPFI", "ratio"]
    with pytest.raises(ParameterError):
        primer.line_table(f, a, {})


def test_kurtogram_band_holds_the_excited_resonance():
    fs = 12_000
    t = np.arange(2**14) / fs
    for resonance, seed in ((1_200.0, 0), (2_500.0, 2), (4_100.0, 1)):
        impacts = np.zeros(t.size)
        impacts[:: fs // 37] = 1.0
        ring = np.exp(-300 * t[:200]) * np.sin(2 * np.pi * resonance * t[:200])
        x = np.convolve(impacts, ring)[: t.size] + 0.3 * np.random.default_rng(seed).standard_normal(t.size)
        kg = fast_kurtogram(x, fs=fs, nlevel=4)
        low, high = primer.kurtogram_band(kg)
        assert kg.best_level > 0
        assert fs / 64 <= low < resonance < high < fs / 2


def test_kurtogram_band_level_zero_falls_back_to_the_default_band():
    fs = 12_000
    x = np.zeros(2**13)
    x[::400] = 1.0  # pure impulses: the raw signal is the most impulsive "band"
    x += 1e-3 * np.random.default_rng(0).standard_normal(x.size)
    kg = fast_kurtogram(x, fs=fs, nlevel=4)
    assert kg.best_level == 0
    assert primer.kurtogram_band(kg) == default_band(fs)


def _windows(n_records=4, per_record=20, hop=5, length=10):
    """Overlapping windows of 4 records, 2 loads x 2 sizes, one record per (class, load, size).

    The features fingerprint the record (its number ``r``) and drift slowly along it, as on CWRU; the class
    is not in them. A window's nearest neighbour is then an adjacent window of its own record whenever that
    record is in training, and a window of the nearest other record when it is not.
    """
    rows, X, y = [], [], []
    rng = np.random.default_rng(0)
    for r in range(n_records):
        label = "inner" if r % 2 else "outer"
        for w in range(per_record):
            rows.append({"record": f"rec{r}", "start": w * hop, "stop": w * hop + length, "load": r // 2,
                         "fault_size": 0.007 if r < 2 else 0.021})
            X.append([r + 0.001 * rng.standard_normal(), 0.01 * w])
            y.append(label)
    return np.array(X), np.array(y), pd.DataFrame(rows)


def test_split_accuracies_rows_leakage_flag_and_the_gap_it_shows():
    X, y, groups = _windows()
    schemes = ("random", "contiguous", "fault_size")
    table = primer.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), schemes=schemes, seed=3,
                                    repeats=2)
    assert list(table["scheme"]) == [s for s in schemes for _ in range(2)]
    assert table.loc[table["scheme"] == "random", "shares_samples"].all()
    assert not table.loc[table["scheme"] != "random", "shares_samples"].any()
    assert set(table.loc[table["scheme"] == "fault_size", "held_out"]) == {0.007, 0.021}
    accuracy = table.groupby("scheme")["accuracy"]
    # every record is in training under random and contiguous splits: its own windows are the neighbours
    assert accuracy.min()["random"] == accuracy.min()["contiguous"] == 1.0
    # a held-out size holds out both its records: each takes the class of the nearest record of the other size
    np.testing.assert_array_equal(accuracy.get_group("fault_size"), [0.5, 0.5])
    again = primer.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), schemes=schemes, seed=3,
                                    repeats=2)
    pd.testing.assert_frame_equal(table, again)


def test_split_accuracies_refuses_unseen_classes_and_unknown_schemes():
    X, y, groups = _windows()
    by_record = groups["record"].to_numpy()
    with pytest.raises(ParameterError, match="out of training"):
        primer.split_accuracies(X, by_record, groups, estimator=KNeighborsClassifier(1), schemes=("load",))
    with pytest.raises(ParameterError, match="unknown scheme"):
        primer.split_accuracies(X, y, groups, estimator=KNeighborsClassifier(1), schemes=("speed",))
    with pytest.raises(ParameterError, match="one row per window"):
        primer.split_accuracies(X[:-1], y, groups, estimator=KNeighborsClassifier(1))


def test_mark_lines_draws_only_inside_the_axes_and_labels_once():
    fig, ax = plt.subplots()
    ax.set_xlim(0, 250)
    plots.mark_lines(ax, {"a": 100.0, "b": 200.0, "c": 300.0}, label="BPFO", color="C1")
    assert len(ax.lines) == 2
    assert [line.get_label() for line in ax.lines].count("BPFO") == 1
    assert all(line.get_zorder() < 2 for line in ax.lines)
    plt.close(fig)


def test_spectrum_db_locates_a_line_between_bins():
    fs = 1_000.0
    t = np.arange(1_000) / fs
    freqs, level = signal.spectrum_db(np.sin(2 * np.pi * 29.93 * t) + 3.0, fs=fs, pad=8)
    assert freqs[-1] == pytest.approx(fs / 2)
    assert level.max() == 0.0
    assert freqs[np.argmax(level)] == pytest.approx(29.93, abs=0.07)
    with pytest.raises(ParameterError):
        signal.spectrum_db(np.ones((2, 10)), fs=fs)
    with pytest.raises(ParameterError):
        signal.spectrum_db(t, fs=fs, pad=0)


def test_band_kurtosis_reads_the_band_that_holds_the_frequency():
    fs = 12_000
    x = np.random.default_rng(0).standard_normal(2**13)
    x[4096:4100] += 30.0
    kg = fast_kurtogram(x, fs=fs, nlevel=3)
    row = int(np.flatnonzero(np.isclose(kg.levels, 1 + np.log2(3) - 1))[0])
    # level 1.585: three bands of fs / 6 = 2 kHz; 3 kHz lies in the middle one
    middle = kg.kurtosis[row, kg.freqs.size // 3 + 1]
    assert primer.band_kurtosis(kg, level=kg.levels[row], freq=3_000.0) == middle
    assert primer.band_kurtosis(kg, level=0.0, freq=6_000.0) == kg.kurtosis[0, -1]
    with pytest.raises(ParameterError, match="not in the kurtogram"):
        primer.band_kurtosis(kg, level=0.5, freq=3_000.0)
    with pytest.raises(ParameterError, match="outside"):
        primer.band_kurtosis(kg, level=1.0, freq=7_000.0)


def _tone(freq, *, fs, seconds=1.0, label="normal", source="tone"):
    t = np.arange(int(seconds * fs)) / fs
    return Recording(np.sin(2 * np.pi * freq * t), fs=fs, label=label, dataset="cwru", source=source)


def _dominant(rec):
    spectrum = np.abs(np.fft.rfft(rec.signal))
    return np.fft.rfftfreq(rec.signal.size, 1 / rec.fs)[np.argmax(spectrum)]


def test_at_rate_resamples_other_rates_and_keeps_the_content():
    rec = _tone(1_000.0, fs=48_000.0)
    low = primer.at_rate(rec, 12_000.0)
    assert (low.fs, low.signal.size, low.extra["resampled_from_hz"]) == (12_000.0, 12_000, 48_000.0)
    assert _dominant(low) == pytest.approx(1_000.0, abs=1.0)
    assert low.duration == pytest.approx(rec.duration)
    assert primer.at_rate(low, 12_000.0) is low


def test_misread_moves_every_frequency_by_the_rate_ratio():
    rec = _tone(1_000.0, fs=48_000.0)
    wrong = primer.misread(rec, 12_000.0)
    assert np.array_equal(wrong.signal, rec.signal)
    assert wrong.duration == pytest.approx(4 * rec.duration)
    assert _dominant(wrong) == pytest.approx(250.0, abs=1.0)


def test_expected_lines_follow_the_record_s_fault():
    freqs = defect_frequencies(BEARINGS["cwru_de"], rpm=1797.0)
    fundamentals = {"FTF", "BPFO", "BPFI", "2xBSF"}
    assert set(primer.expected_lines("normal", freqs)) == fundamentals
    outer = primer.expected_lines("outer", freqs)
    assert set(outer) == fundamentals | {"2xBPFO", "3xBPFO"}
    assert outer["3xBPFO"] == pytest.approx(3 * freqs.bpfo)
    inner = primer.expected_lines("inner", freqs)
    assert inner["BPFI-2fr"] == pytest.approx(freqs.bpfi - 2 * freqs.shaft)
    assert inner["BPFI+2fr"] == pytest.approx(freqs.bpfi + 2 * freqs.shaft)
    assert inner["BPFI+fr"] == pytest.approx(freqs.bpfi + freqs.shaft)
    assert "2xBPFI" in inner and "2xBPFO" not in inner
    ball = primer.expected_lines("ball", freqs)
    assert set(ball) == fundamentals | {"2x(2xBSF)", "3x(2xBSF)", "shaft", "2xBSF-FTF", "2xBSF+FTF"}
    assert ball["2xBSF+FTF"] == pytest.approx(freqs.bsf_2x + freqs.ftf)
    # no line chosen after looking at the spectrum (4 and 6 x FTF, 2 x BPFO for the ball)
    assert not {"4xFTF", "6xFTF", "2xBPFO"} & set(ball)
    with pytest.raises(ParameterError, match="unknown record label"):
        primer.expected_lines("cage", freqs)


def test_peak_tables_find_the_modulating_line_of_each_record():
    fs = 12_000.0
    freqs = defect_frequencies(BEARINGS["cwru_de"], rpm=1797.0)
    t = np.arange(int(4 * fs)) / fs
    x = (1 + 0.5 * np.cos(2 * np.pi * freqs.bpfo * t)) * np.sin(2 * np.pi * 3_000 * t)
    spectrum = envelope_spectrum(x, fs=fs, band=(2_000, 4_000))
    tables = primer.peak_tables({"outer": spectrum}, {"outer": freqs})
    table = tables["outer"]
    assert table.loc["BPFO", "found_hz"] == pytest.approx(freqs.bpfo, abs=spectrum[0][1])
    assert table.loc["BPFO", "ratio"] > 100 * table.loc["BPFI", "ratio"]


def test_published_multiples_and_their_rows_catch_a_wrong_geometry():
    checks = primer.published_multiples()
    assert set(checks) == {key for key, bearing in BEARINGS.items() if bearing.published}
    assert set(checks["cwru_de"].index) == {"ftf", "bpfo", "bpfi", "bsf_2x"}
    rows = primer.multiple_rows(checks)
    assert len(rows) == sum(len(check) for check in checks.values())
    assert {r["status"] for r in rows} == {"reproduced"}
    eight_balls = dataclasses.replace(BEARINGS["cwru_de"], n_elements=8)
    wrong = primer.multiple_rows(primer.published_multiples({"cwru_de": eight_balls}))
    statuses = {r["quantity"].split()[0]: r["status"] for r in wrong}
    assert statuses["bpfo"] == statuses["bpfi"] == "differs"
    assert statuses["ftf"] == "reproduced"          # the cage rate does not depend on the ball count


def test_envelope_line_rows_compare_with_the_published_multiple_within_the_stated_tolerance():
    rpm = 1797.0
    bpfo = BEARINGS["cwru_de"].published["bpfo"] * rpm / 60
    offsets = {"BPFO": 0.003, "2xBPFO": -0.003, "3xBPFO": 2 * primer.LINE_REL_TOLERANCE}
    found = pd.DataFrame({"found_hz": [k * bpfo * (1 + offsets[name])
                                       for k, name in enumerate(offsets, start=1)]}, index=list(offsets))
    rows = primer.envelope_line_rows({"outer": found, "normal": found.iloc[:0]},
                                     {"outer": rpm, "normal": rpm})
    assert [r["status"] for r in rows] == ["reproduced", "reproduced", "differs"]
    assert [r["paper_value"] for r in rows] == pytest.approx([bpfo, 2 * bpfo, 3 * bpfo])
    assert all(r["unit"] == "Hz" and r["data_kind"] == "real" and "130.mat" in r["quantity"] for r in rows)


def test_sampling_rate_and_simulated_rows_compute_their_status():
    assert primer.sampling_rate_row(48_000.0)["status"] == "reproduced"
    assert primer.sampling_rate_row(12_000.0)["status"] == "differs"
    speed = 60 * 36.864
    bpfo = BEARINGS["mafaulda"].published["bpfo"] * speed / 60
    row = primer.simulated_line_row(bpfo * 1.002, speed_rpm=speed, channel="underhang_radial")
    assert (row["data_kind"], row["status"]) == ("simulated", "reproduced")
    assert primer.simulated_line_row(bpfo * 1.03, speed_rpm=speed, channel="x")["status"] == "differs"


def _noise_at_48k(label, seed, seconds):
    """White noise at 12 kHz brought to 48 kHz: a file whose content stops at 6 kHz, like 97.mat."""
    x = np.random.default_rng(seed).standard_normal(int(seconds * 12_000))
    rec = Recording(x, fs=12_000.0, label=label, dataset="cwru", source=f"{label}{seed}")
    return primer.at_rate(rec, 48_000.0)


def test_rate_trap_separates_normal_by_the_rate_alone():
    faulty = [primer.at_rate(_noise_at_48k(label, seed, 4.0), 12_000.0)
              for seed, label in enumerate(("inner", "ball", "outer"))]
    normal = _noise_at_48k("normal", 9, 2.0)     # same content as the faulty records, only its rate differs
    trap = primer.rate_trap(faulty, normal, window=256, split_seed=1, model_seed=2)
    table = trap.table()
    assert list(table.index) == ["read at 12 kHz (wrong)", "resampled 48 -> 12 kHz (right)"]
    assert table.loc["read at 12 kHz (wrong)", "balanced_accuracy"] == 1.0
    assert table.loc["resampled 48 -> 12 kHz (right)", "balanced_accuracy"] < 0.75
    assert table.loc["read at 12 kHz (wrong)", "normal_duration_s"] == pytest.approx(8.0)
    assert table["normal_windows"].tolist() == [375, 93]      # 8 s and 2 s of 256-sample windows
    assert trap.wrong_stump_calls_resampled_normal < 0.1
    again = primer.rate_trap(faulty, normal, window=256, split_seed=1, model_seed=2)
    pd.testing.assert_frame_equal(table, again.table())
    with pytest.raises(ParameterError, match="already at"):
        primer.rate_trap(faulty, primer.at_rate(normal, 12_000.0), window=256)


def test_shaft_harmonic_peaks_are_in_place_only_at_the_true_rate():
    fs, rpm = 48_000.0, 1_800.0
    t = np.arange(int(5 * fs)) / fs
    x = sum(np.sin(2 * np.pi * k * rpm / 60 * t) / k for k in (1, 2, 3))
    right = primer.shaft_harmonic_peaks(x, rpm=rpm, fs=fs)
    assert list(right.index) == [1, 2, 3]
    assert right["offset_bins"].abs().max() < 0.5
    assert right.loc[1, "level_db"] == pytest.approx(0.0, abs=0.1)
    wrong = primer.shaft_harmonic_peaks(x, rpm=rpm, fs=fs / 4)   # lines now at a quarter of their place
    assert wrong["offset_bins"].abs().min() > 5                  # what is found there is no line ...
    assert wrong["level_db"].max() < -40                         # ... only the floor


def test_rate_readings_figure_marks_the_decided_reading():
    fs, rpm = 48_000.0, 1_800.0
    t = np.arange(int(2 * fs)) / fs
    x = np.sin(2 * np.pi * rpm / 60 * t) + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    fig = primer.rate_readings_figure(x, rpm=rpm, decided_fs=fs, harmonics_found={12_000.0: 0, 48_000.0: 1})
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == ["read at 12 kHz (rejected): 0 of 3 shaft harmonics in place",
                      "read at 48 kHz (decided): 1 of 3 shaft harmonics in place"]
    assert len(fig.axes) == 4                       # per reading: the spectrum, and the zooms on one axis
    offsets = [line.get_xdata()[0] for line in fig.axes[3].lines if line.get_marker() == "v"]
    assert len(offsets) == 3 and abs(offsets[0]) < 1     # the 1x line, in bins, at the true rate
    plt.close(fig)


def test_split_accuracies_figure_draws_one_bar_per_scored_split():
    scores = pd.DataFrame([
        {"task": "location", "scheme": "random", "held_out": "random windows", "accuracy": 1.0},
        {"task": "location", "scheme": "fault_size", "held_out": 0.007, "accuracy": 0.4},
        {"task": "location", "scheme": "fault_size", "held_out": 0.014, "accuracy": 0.6},
        {"task": "location x size", "scheme": "random", "held_out": "random windows", "accuracy": 0.9},
    ])
    fig = primer.split_accuracies_figure(scores, split_names={"random": "(a)", "fault_size": "(d)"},
                                         n_classes={"location": 3, "location x size": 9})
    ax = fig.axes[0]
    heights = sorted(round(patch.get_height(), 3) for patch in ax.patches)
    assert heights == [0.4, 0.6, 0.9, 1.0]                 # one bar per held-out size, not their mean
    texts = [text.get_text() for text in ax.texts]
    assert "n/a: size is\npart of the class" in texts and "0.007" in texts and "0.014" in texts
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "chance, location × size (1/9 = 0.11)" in legend        # chance named in the legend, off the bars
    assert sorted(round(line.get_ydata()[0], 3) for line in ax.lines) == [round(1 / 9, 3), round(1 / 3, 3)]
    plt.close(fig)


def _impacts(resonance: float, *, rate: float = 37.0, n: int = 2**14, fs: float = 12_000, seed: int = 0):
    t = np.arange(n) / fs
    train = np.zeros(n)
    train[:: int(fs // rate)] = 1.0
    ring = np.exp(-300 * t[:200]) * np.sin(2 * np.pi * resonance * t[:200])
    return np.convolve(train, ring)[:n] + 0.3 * np.random.default_rng(seed).standard_normal(n)


def test_level0_scores_puts_level_0_on_the_envelope_scale():
    table = primer.level0_scores(_impacts(3_300.0), fs=12_000, nlevel=4)
    assert list(table.index) == ["real", "envelope"]
    assert table.loc["real", "level0"] > table.loc["envelope", "level0"] > 0
    assert table.loc["envelope", "best_level"] > 0          # a narrow band beats the whole band on one scale
    assert table.loc["envelope", "best_low_hz"] <= 3_300 <= table.loc["envelope", "best_high_hz"]


def test_level_bandwidth_halves_per_level():
    assert [primer.level_bandwidth(k, fs=12_000) for k in (0, 1, 2)] == [6_000.0, 3_000.0, 1_500.0]
    assert primer.level_bandwidth(1 + np.log2(3) - 1, fs=12_000) == pytest.approx(2_000.0)


def test_effective_geometry_tells_contact_angle_from_slip_and_from_a_wrong_shaft_rate():
    cwru = BEARINGS["cwru_de"]
    ratio = cwru.ball_diameter / cwru.pitch_diameter
    lines = defect_frequencies(cwru, rpm=1800)
    exact = primer.effective_geometry(lines.bpfo, lines.bpfi, shaft_hz=30, n_elements=9,
                                      ball_over_pitch=ratio)
    assert exact["slip_at_nominal_angle"] == pytest.approx(0, abs=1e-9)
    assert exact["sum_ratio"] == pytest.approx(1.0)
    assert exact["contact_angle_deg"] == pytest.approx(cwru.contact_angle_deg, abs=1e-4)  # arccos near 1
    # slip: the cage lags, BPFO falls and BPFI rises, their sum stays n f_r
    slipping = with_cage_slip(lines, slip=0.02, n_elements=9)
    assert slipping.bpfo < lines.bpfo and slipping.bpfi > lines.bpfi and slipping.ftf < lines.ftf
    slipped = primer.effective_geometry(slipping.bpfo, slipping.bpfi, shaft_hz=30, n_elements=9,
                                        ball_over_pitch=ratio)
    assert slipped["slip_at_nominal_angle"] == pytest.approx(0.02)
    assert slipped["sum_ratio"] == pytest.approx(1)
    # a larger contact angle moves the lines the other way: a negative "slip" (the cage would lead)
    tilted = defect_frequencies(dataclasses.replace(cwru, contact_angle_deg=10.0), rpm=1800)
    angled = primer.effective_geometry(tilted.bpfo, tilted.bpfi, shaft_hz=30, n_elements=9,
                                       ball_over_pitch=ratio)
    assert angled["contact_angle_deg"] == pytest.approx(10.0) and angled["slip_at_nominal_angle"] < 0
    # a wrong shaft rate scales both lines: the sum is off, gamma is not
    wrong = primer.effective_geometry(0.999 * lines.bpfo, 0.999 * lines.bpfi, shaft_hz=30, n_elements=9,
                                      ball_over_pitch=ratio)
    assert wrong["sum_ratio"] == pytest.approx(0.999) and wrong["gamma"] == pytest.approx(exact["gamma"])
    with pytest.raises(ParameterError):
        primer.effective_geometry(-1.0, 5.0, shaft_hz=30, n_elements=9, ball_over_pitch=ratio)


def test_measured_shaft_rate_reads_the_line_not_the_header():
    fs = 12_000.0
    t = np.arange(int(10 * fs)) / fs
    x = sum(np.cos(2 * np.pi * k * 29.926 * t) / k for k in (1, 2, 3, 4))
    x += np.cos(2 * np.pi * 120.0 * t)                       # a mains line beside the 4th harmonic
    assert primer.measured_shaft_rate(x, fs=fs, rpm=1797) == pytest.approx(29.926, abs=0.005)
    with pytest.raises(ParameterError):
        primer.measured_shaft_rate(x, fs=fs, rpm=0)


def test_line_table_flags_a_maximum_in_the_outer_half_of_its_window():
    f = np.linspace(0, 500, 50_001)
    a = np.ones_like(f)
    a[np.argmin(np.abs(f - 101.8))] = 30.0            # 1.8 % above 100 Hz: inside the +-2 % window
    a[np.argmin(np.abs(f - 200.4))] = 30.0            # 0.2 % above 200 Hz
    table = primer.line_table(f, a, {"edge": 100.0, "centre": 200.0}, tol=0.02)
    assert table.loc["edge", "at_edge"] and not table.loc["centre", "at_edge"]
    thresholds = {"Y": 4.0, "P": 3.0}
    assert primer.grade_ratio(table.loc["edge", "ratio"], thresholds, at_edge=True) == "N"
    assert primer.grade_ratio(table.loc["centre", "ratio"], thresholds) == "Y"
    with pytest.raises(ParameterError):
        primer.line_table(f, a, {"x": 100.0}, tol=0.02, centre_tol=0.05)


def test_envelope_line_rows_say_why_an_edge_maximum_differs():
    rpm = 1797.0
    bsf = BEARINGS["cwru_de"].published["bsf_2x"] * rpm / 60
    names = ["2xBSF", "2x(2xBSF)", "3x(2xBSF)"]
    found = pd.DataFrame({"found_hz": [k * bsf * 1.017 for k in (1, 2, 3)], "at_edge": [True] * 3},
                         index=names)
    rows = primer.envelope_line_rows({"ball": found}, {"ball": rpm})
    assert [r["status"] for r in rows] == ["differs"] * 3
    assert all("outer half" in r["reason"] for r in rows)


def test_unseen_in_record_explains_below_chance_contiguous_scores():
    groups = pd.DataFrame({"record": ["a"] * 10 + ["b"] * 10, "start": list(range(10)) * 2,
                           "stop": [s + 1 for s in range(10)] * 2})
    y = np.array([0] * 5 + [1] * 5 + [0] * 5 + [1] * 5)
    train = np.array([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15])
    test = np.array([5, 6, 7, 8, 9, 16, 17, 18, 19])
    assert primer.unseen_in_record(y, groups, train, test) == pytest.approx(5 / 9)
    # record a: training holds only label 0, its test windows are all 1 -> 0; record b: 1 of 6 training is 1
    assert primer.record_guess_accuracy(y, groups, train, test) == pytest.approx((0 * 5 + 4 * 1 / 6) / 9)
    train_, test_ = primer.contiguous_split(groups, test_fraction=0.2, seed=0)
    assert not set(train_) & set(test_)


def test_unit_rms_keeps_the_shape_and_drops_the_level():
    x = np.vstack([np.sin(np.linspace(0, 20, 512)) * 5 + 1, np.random.default_rng(0).standard_normal(512)])
    scaled = primer.unit_rms(x)
    assert np.sqrt(np.mean(scaled**2, axis=1)) == pytest.approx([1.0, 1.0])
    assert np.corrcoef(scaled[0], x[0])[0, 1] == pytest.approx(1.0)
    with pytest.raises(ParameterError):
        primer.unit_rms(np.ones((2, 8)))


def test_band_width_sweep_shows_a_line_only_in_bands_wider_than_it():
    fs = 12_000.0
    t = np.arange(int(5 * fs)) / fs
    rng = np.random.default_rng(0)
    x = (1 + 0.8 * np.cos(2 * np.pi * 160.0 * t)) * rng.standard_normal(t.size)   # a 160 Hz modulation
    sweep = primer.band_width_sweep(x, fs=fs, centre_hz=3_000, widths=[80, 640], lines={"160 Hz": 160.0})
    assert sweep.loc[80.0, "160 Hz"] < 0.1 < sweep.loc[640.0, "160 Hz"]


def test_harmonic_family_evidence_finds_the_fundamental_of_a_misread_file():
    fs_true, rpm = 48_000.0, 1800.0
    t = np.arange(int(4 * fs_true)) / fs_true
    x = sum(np.cos(2 * np.pi * k * rpm / 60 * t) / k for k in range(1, 41))
    x = x + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    evidence = {fs: primer.harmonic_family_evidence(x, rpm=rpm, fs=fs, n_harmonics=8)
                for fs in (12_000.0, fs_true)}
    counts = primer.harmonic_family_counts(evidence)
    assert counts.loc[fs_true, "harmonics_in_place"] == 8 and counts.loc[fs_true, "fractional_in_place"] == 0
    assert counts.loc[12_000.0, "harmonics_in_place"] == 8          # the 4k-th harmonics land on k rpm/60
    assert counts.loc[12_000.0, "fractional_in_place"] == 24        # and the true 1st-3rd between them


def test_noise_peak_ratios_give_a_threshold_with_its_false_alarm_rate():
    ratios = primer.noise_peak_ratios(n_samples=24_000, fs=12_000, band=(2_000, 4_000),
                                      targets=[100.0, 200.0, 300.0], n_trials=20, seed=1)
    assert ratios.shape == (60,) and (ratios > 0).all()
    threshold = primer.ratio_threshold(ratios, false_alarm=0.1)
    assert primer.false_alarm_rate(ratios, threshold) == pytest.approx(0.1, abs=1 / 60 + 1e-9)
    assert primer.false_alarm_rate(ratios, 10.0) == 0.0         # "10 x" is far out for a search this wide
    np.testing.assert_array_equal(ratios, primer.noise_peak_ratios(
        n_samples=24_000, fs=12_000, band=(2_000, 4_000), targets=[100.0, 200.0, 300.0], n_trials=20, seed=1))
    with pytest.raises(ParameterError):
        primer.ratio_threshold(ratios, false_alarm=1.5)


def test_grade_ratio_uses_the_first_threshold_reached():
    thresholds = {"Y": 4.0, "P": 3.0}
    assert [primer.grade_ratio(r, thresholds) for r in (4.0, 3.5, 2.9)] == ["Y", "P", "N"]


def test_held_out_predictions_confusion_and_per_record_accuracy():
    X, y, groups = _windows()
    model = KNeighborsClassifier(n_neighbors=1)
    predictions = primer.held_out_predictions(X, y, groups, estimator=model, by="fault_size", value=0.021)
    assert set(predictions["record"]) == {"rec2", "rec3"} and len(predictions) == 40
    confusion = primer.confusion_table(predictions)
    assert confusion.to_numpy().sum() == 40
    per_record = primer.per_record_accuracy(predictions)
    assert per_record["windows"].tolist() == [20, 20]
    # each held-out record's nearest neighbours are the nearest other record's (rec1, an "inner" record)
    assert per_record["most_predicted"].tolist() == ["inner", "inner"]
    assert per_record["accuracy"].tolist() == [0.0, 1.0]            # rec2 is outer, rec3 inner
    with pytest.raises(ParameterError):
        primer.held_out_predictions(X, y, groups, estimator=model, by="fault_size", value=0.5)


def test_stretch_labels_and_where_the_overlap_trap_bites():
    _, _, groups = _windows(per_record=40, hop=2)
    # features of the window's own samples: a window shares 8 of its 10 samples with each neighbour
    signals = np.random.default_rng(3).standard_normal((4, 100))
    records = groups["record"].str[3:].astype(int).to_numpy()
    X = np.array([np.sort(signals[r, start:stop]) for r, start, stop
                  in zip(records, groups["start"], groups["stop"], strict=True)])
    labels = primer.stretch_labels(groups, n_stretches=4)
    assert labels.min() == 0 and labels.max() == 3
    assert (np.diff(labels[groups["record"] == "rec0"]) >= 0).all()
    scores = primer.split_accuracies(X, labels, groups, estimator=KNeighborsClassifier(n_neighbors=1),
                                     schemes=("random", "contiguous"))
    by_scheme = scores.set_index("scheme")["accuracy"]
    assert by_scheme["random"] > by_scheme["contiguous"] + 0.25
    assert by_scheme["contiguous"] < 0.4                        # chance: 0.25
    with pytest.raises(ParameterError):
        primer.stretch_labels(groups, n_stretches=1)


def test_harmonic_separation_in_bins():
    close = primer.harmonic_separation(5.002, shaft_hz=36.9, duration_s=5.0)
    assert close["harmonic"] == 5 and not close["separable"]
    assert close["gap_bins"] == pytest.approx(0.002 * 36.9 * 5)
    far = primer.harmonic_separation(3.5848, shaft_hz=29.95, duration_s=10.0)
    assert far["harmonic"] == 4 and far["separable"]
    with pytest.raises(ParameterError):
        primer.harmonic_separation(3.0, shaft_hz=0.0, duration_s=5.0)


def test_method_steps_recover_bpfo_only_after_demodulation():
    rig = primer.teaching_rig(slip=0.015, resonance_hz=3_000.0)
    assert rig.slip == 0.015 and rig.sensors[0].resonances[0].freq_hz == 3_000.0
    steps = primer.method_steps(rig, speed_rpm=997.0, load=(124.8, 0.0), snr_db=-10.0, duration=2.0, seed=0)
    assert steps.band[0] < 3_000.0 < steps.band[1]
    ratios = steps.bpfo_ratios()
    assert ratios["envelope"] > 3 * ratios["raw"] and ratios["squared envelope"] > 3 * ratios["raw"]
    fig = primer.method_steps_figure(steps)
    assert len(fig.axes) == 6
    plt.close(fig)
    with pytest.raises(ParameterError):
        primer.teaching_rig(slip=0.015, resonance_hz=20_000.0)


def test_make_classifier_and_parse_band_refuse_unknown_values():
    assert primer.make_classifier("random_forest", n_estimators=5, seed=1).n_estimators == 5
    assert primer.make_classifier("1nn").steps[-1][1].n_neighbors == 1
    with pytest.raises(ParameterError, match="classifier='svm'"):
        primer.make_classifier("svm")
    assert primer.parse_band((1_000, 3_000), fs=12_000) == (1_000.0, 3_000.0)
    for bad in ("auto", (3_000, 1_000), (1_000, 7_000), 5):
        with pytest.raises(ParameterError):
            primer.parse_band(bad, fs=12_000)


def test_blind_diagnosis_names_the_modulated_family():
    fs, rpm = 12_000, 1797
    lines = defect_frequencies(BEARINGS["cwru_de"], rpm=rpm)
    t = np.arange(10 * fs) / fs
    x = (1 + 0.8 * np.cos(2 * np.pi * lines.bpfi * t)) * np.sin(2 * np.pi * 3_000 * t)
    x += 0.5 * np.random.default_rng(0).standard_normal(t.size)
    table = primer.blind_diagnosis(x, fs=fs, rpm=rpm, band=(2_000, 4_000), thresholds={"Y": 4.0, "P": 3.0})
    assert table.index[table["diagnosis"]].tolist() == ["inner"]
    assert table.loc["inner", "grade"] == "Y"
    assert not table.loc["inner", "at_edge"]


def test_spectrum_peak_ratios_reads_a_real_line_and_the_floor():
    freqs = np.linspace(0, 500, 5001)
    amplitude = 1 + 0.1 * np.random.default_rng(0).random(freqs.size)
    amplitude[np.argmin(np.abs(freqs - 120.0))] = 20.0
    ratios = primer.spectrum_peak_ratios(freqs, amplitude, targets=[120.0, 300.0])
    assert ratios[0] > 15 > 2 > ratios[1]
    with pytest.raises(ParameterError):
        primer.spectrum_peak_ratios(freqs, amplitude, targets=[])


def test_condition_table_and_figure_on_two_records():
    fs = 12_000.0
    rng = np.random.default_rng(0)
    quiet = rng.standard_normal(int(2 * fs)) * 0.1
    impacts = quiet.copy()
    impacts[::1_200] += 3.0
    recs = {name: Recording(signal=x, fs=fs, label=label, dataset="simulated:test", source="test",
                            fault_size=size, load=0.0, rpm=1797.0,
                            extra={"number": n})
            for name, x, label, size, n in (("a", quiet, "normal", 0.0, 1),
                                            ("b", impacts, "outer", 0.007, 2))}
    table = primer.condition_table(recs)
    assert list(table.index) == ["a", "b"] and table.loc["b", "kurtosis"] > 3 * table.loc["a", "kurtosis"]
    assert set(table["iso_zone"]) <= {"A", "B", "C", "D"}
    segments = primer.segment_indicators(quiet, fs=fs, seconds=0.5)
    assert len(segments) == 4 and {"rms_g", "kurtosis", "velocity_mm_s"} <= set(segments.columns)
    fig = primer.condition_figure(table, baseline=segments.max())
    assert len(fig.axes) == 4
    plt.close(fig)


def test_stft_sk_study_reports_raw_and_residual():
    fs = 12_000.0
    x = np.random.default_rng(0).standard_normal(int(fs))
    x[::600] += 10.0
    table, curves = primer.stft_sk_study({"x": x}, fs=fs, frames=(32, 256), ar_order=16)
    assert set(table.index.get_level_values("version")) == {"raw", "AR residual"}
    assert table.loc[("x", "raw", 32), "max_sk"] > table.loc[("x", "raw", 256), "max_sk"]
    fig = primer.stft_sk_figure(curves, keys=["x"], frames=(32, 256), fs=fs)
    assert len(fig.axes) == 2
    plt.close(fig)
