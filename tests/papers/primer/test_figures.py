"""The primer's figures: panels, marked lines and labels computed from the data drawn."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.papers.primer import bands, detection, envelope, figures, method, rate, traps
from bearingkit.recording import Recording
from bearingkit.report import plots

#: Panels, lines and labels are checked, not the layout (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("figures_unlaid")


def test_mark_lines_draws_only_inside_the_axes_and_labels_once():
    fig, ax = plt.subplots()
    ax.set_xlim(0, 250)
    plots.mark_lines(ax, {"a": 100.0, "b": 200.0, "c": 300.0}, label="BPFO", color="C1")
    assert len(ax.lines) == 2
    assert [line.get_label() for line in ax.lines].count("BPFO") == 1
    assert all(line.get_zorder() < 2 for line in ax.lines)


def test_method_steps_figure_has_a_panel_per_stage():
    rig = method.teaching_rig(slip=0.015, resonance_hz=3_000.0)
    steps = method.method_steps(rig, speed_rpm=997.0, load=(124.8, 0.0), snr_db=-10.0, duration=1.0, seed=0)
    fig = figures.method_steps_figure(steps)
    assert len(fig.axes) == 6
    assert fig._suptitle.get_text().startswith(f"SIMULATED outer-race fault: BPFO {steps.lines.bpfo:.1f} Hz, "
                                               "slip 1.5%, resonance 3 kHz, SNR -10 dB")


def test_view_figures(synthetic_view, sk_study):
    fig = figures.time_traces_figure(synthetic_view)
    assert len(fig.axes) == 4
    assert [ax.get_title(loc="left") for ax in fig.axes][0] == "97.mat — normal"
    assert any(line.get_label().startswith("1 / BPFO") for line in fig.axes[3].lines)
    study = detection.detection_study(synthetic_view.records["normal"], dict(synthetic_view.records))
    fig = figures.condition_figure(study)
    assert len(fig.axes) == 4 and "three 0 HP fault records" in fig._suptitle.get_text()
    kurtograms = bands.kurtogram_study(synthetic_view.signals(), fs=12_000.0, nlevel=4, level0="envelope")
    fig = figures.kurtograms_figure(kurtograms, synthetic_view, band=(2_000.0, 4_000.0))
    assert len(fig.axes) == 5                                    # four kurtograms and the colour bar
    assert "dashed: the 2–4 kHz band used below" in fig._suptitle.get_text()
    own = figures.kurtograms_figure(kurtograms, synthetic_view, band="kurtogram")
    assert "dashed" not in own._suptitle.get_text()
    fig = figures.stft_sk_figure(sk_study)
    assert len(fig.axes) == 8 and len(fig.axes[0].lines) == 3   # two frame lengths and the zero line


def test_envelope_spectra_figure_marks_the_own_family_full_height(synthetic_view):
    chosen = dict.fromkeys(synthetic_view.records, (2_000.0, 4_000.0))
    spectra = envelope.envelope_spectra(synthetic_view, chosen)
    fig = figures.envelope_spectra_figure(synthetic_view, spectra, chosen)
    assert len(fig.axes) == 4
    outer = fig.axes[3]
    full = [line for line in outer.lines if line.get_color() == figures.COLORS["BPFO"]]
    assert any(tuple(line.get_ydata()) == (0.0, 1.0) for line in full)
    labels = {text.get_text() for text in fig.legends[0].get_texts()}
    assert {"BPFO", "BPFI", "2xBSF", "FTF", "k × f_r (measured)", "BPFI ± f_r", "BPFI ± 2 f_r"} <= labels


def test_rate_readings_figure_marks_the_decided_reading():
    fs, rpm = 48_000.0, 1_800.0
    t = np.arange(int(2 * fs)) / fs
    x = np.sin(2 * np.pi * rpm / 60 * t) + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    fig = figures.rate_readings_figure(x, rpm=rpm, decided_fs=fs, harmonics_found={12_000.0: 0, 48_000.0: 1})
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == ["read at 12 kHz (rejected): 0 of 3 shaft harmonics in place",
                      "read at 48 kHz (decided): 1 of 3 shaft harmonics in place"]
    assert len(fig.axes) == 4                       # per reading: the spectrum, and the zooms on one axis
    offsets = [line.get_xdata()[0] for line in fig.axes[3].lines if line.get_marker() == "v"]
    assert len(offsets) == 3 and abs(offsets[0]) < 1     # the 1x line, in bins, at the true rate
    evidence = rate.rate_evidence(Recording(x, fs=fs, label="normal", dataset="cwru", source="x", rpm=rpm,
                                            load=0.0, extra={"number": 97}), n_harmonics=2)
    fig = figures.rate_evidence_figure(evidence)
    assert fig._suptitle.get_text().startswith("97.mat (normal, 0 HP, rpm 1800)")


def test_rate_trap_figure_names_the_records(synthetic_view):
    normal = at_rate(synthetic_view.records["normal"], 48_000.0)
    trap = rate.rate_trap(synthetic_view.faulty(), normal, window=1024)
    fig = figures.rate_trap_figure(trap, synthetic_view)
    assert len(fig.axes) == 2
    labels = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("faulty (105, 118, 130)") and labels[1].startswith("normal (97)")


def test_simulated_figures(synthetic_view, simulated):
    chosen = dict.fromkeys(synthetic_view.records, (2_000.0, 4_000.0))
    spectra = envelope.envelope_spectra(synthetic_view, chosen)
    fig = figures.simulated_vs_real_figure(synthetic_view, spectra, chosen, simulated)
    assert len(fig.axes) == 6
    assert [ax.get_title(loc="left").split(",")[0] for ax in fig.axes[:3]] == [
        "CWRU 130.mat (real)", "SIMULATED polito", "SIMULATED axial"]
    fig = figures.mafaulda_axes_figure(simulated)
    assert len(fig.axes) == 6
    assert fig.axes[0].get_title().startswith(f"{next(iter(simulated.mafaulda))}: BPFO peak ratio")


def test_split_accuracies_figure_draws_one_bar_per_scored_split():
    scores = pd.DataFrame([
        {"task": "location", "scheme": "random", "held_out": "random windows", "accuracy": 1.0},
        {"task": "location", "scheme": "fault_size", "held_out": 0.007, "accuracy": 0.4},
        {"task": "location", "scheme": "fault_size", "held_out": 0.014, "accuracy": 0.6},
        {"task": "location x size", "scheme": "random", "held_out": "random windows", "accuracy": 0.9},
    ])
    fig = figures.split_accuracies_figure(scores, split_names={"random": "(a)", "fault_size": "(d)"},
                                          n_classes={"location": 3, "location x size": 9})
    ax = fig.axes[0]
    heights = sorted(round(patch.get_height(), 3) for patch in ax.patches)
    assert heights == [0.4, 0.6, 0.9, 1.0]                 # one bar per held-out size, not their mean
    texts = [text.get_text() for text in ax.texts]
    assert "n/a: size is\npart of the class" in texts and "0.007" in texts and "0.014" in texts
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "chance, location × size (1/9 = 0.11)" in legend        # chance named in the legend, off the bars
    assert sorted(round(line.get_ydata()[0], 3) for line in ax.lines) == [round(1 / 9, 3), round(1 / 3, 3)]


def test_split_study_figure_is_titled_with_its_classifier(small_split_study, mirror):
    fig = figures.split_study_figure(small_split_study, profile="quick")
    assert fig.axes[0].get_title(loc="left").startswith("random_forest on 46 features, 8 CWRU records")
    assert len(fig.axes[0].patches) == len(small_split_study.scores)
    assert traps.SPLIT_NAMES["fault_size"] in [t.get_text() for t in fig.axes[0].get_xticklabels()]
