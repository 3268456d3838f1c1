"""The primer's helpers on inputs with known answers."""

from __future__ import annotations

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
