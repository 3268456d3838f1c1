"""The figures of notebook 03 drawn from small inputs: their panels, lines and labels."""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from bearingkit.papers.sedira2026 import figures
from bearingkit.papers.sedira2026.data import axial_healthy, axial_recordings
from bearingkit.papers.sedira2026.features import fisher_and_pca
from bearingkit.papers.sedira2026.settings import FAULT_SIZES, Settings
from bearingkit.papers.sedira2026.signals import defect_frequencies_hz, kurtograms
from bearingkit.papers.sedira2026.views import View

#: Panels, lines and labels are checked, not the layout (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("figures_unlaid")


def _records(make_recording, label="outer", n=12_000):
    return [make_recording("normal", 0.0, n=n, seed=1, source="97")] + [
        make_recording(label, size, n=n, seed=2 + k, source=f"{label}-{size}")
        for k, size in enumerate(FAULT_SIZES)]


def _vlines(ax):
    return [line for line in ax.lines if len(set(line.get_xdata())) == 1]


def test_ball_signals_and_spectra_mark_each_sets_defect_line(make_recording):
    records = {"OR": _records(make_recording), "IR": _records(make_recording, "inner")}
    freqs = defect_frequencies_hz(rpm=1797)
    assert len(figures.ball_signals_figure(records["OR"]).axes) == 4
    fig = figures.signals_and_spectra_figure(records, freqs)
    axes = np.reshape(fig.axes, (-1, 2))
    assert len(axes) == 1 + 3 + 3 and not _vlines(axes[0, 1])              # the healthy record: no line
    assert _vlines(axes[1, 1])[0].get_xdata()[0] == pytest.approx(freqs["outer"])
    assert _vlines(axes[-1, 1])[0].get_xdata()[0] == pytest.approx(freqs["inner"])


def test_envelope_spectra_mark_the_shaft_on_the_healthy_record_and_the_defect_harmonics(make_recording):
    freqs = defect_frequencies_hz(rpm=1797)
    fig = figures.envelope_spectra_figure({"OR": _records(make_recording)}, freqs, n_harmonics=2)
    assert len(fig.axes) == 4
    assert [line.get_xdata()[0] for line in _vlines(fig.axes[0])] == pytest.approx([freqs["shaft"],
                                                                                   2 * freqs["shaft"]])
    assert _vlines(fig.axes[1])[1].get_xdata()[0] == pytest.approx(2 * freqs["outer"])


def test_kurtogram_figure_has_a_kurtogram_and_a_spectrogram_per_record(make_recording):
    records = _records(make_recording)
    fig = figures.kurtogram_figure(records, kurtograms(records, level0="envelope"))
    assert len(fig.axes) == 2 * 4 + 2 * 4                                     # panels and their colour bars
    assert fig.axes[0].get_title().startswith("OR set, C1 healthy")


def test_fisher_pca_figure_has_scores_over_variance_for_each_set():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 30)
    X = rng.standard_normal((60, 46)) + np.linspace(0, 2, 46) * y[:, None]
    fisher = {name: fisher_and_pca(X, y, Settings()) for name in ("Ball", "IR", "OR")}
    fig = figures.fisher_pca_figure(fisher, Settings())
    assert len(fig.axes) == 6 and fig.axes[0].get_title().startswith("(a) Ball: Fisher score, top 15")
    assert len(fig.axes[0].patches) == 15


def test_model_diagrams_and_the_flowchart():
    transmat = np.array([[0.9, 0.1, 0.0], [0.0, 0.8, 0.2], [0.0, 0.0, 1.0]])
    assert figures.hmm_topology_figure(transmat, title="λ1").axes[0].get_title() == "λ1"
    network = SimpleNamespace(n_features_in_=5, centers_=np.zeros((12, 5)), classes_=np.arange(4))
    assert figures.rbf_network_figure(network, title="RBF").axes[0].get_title() == "RBF"
    texts = [t.get_text() for t in figures.flowchart_figure().axes[0].texts]
    assert any("Eq. 33" in t for t in texts)


def test_confusion_figure_has_one_row_per_set_and_split_with_counts(make_or_runs):
    fig = figures.confusion_figure(make_or_runs(), ["OR"], splits=("paper", "cross-load"))
    assert len([ax for ax in fig.axes if ax.get_title()]) == 2 * 3
    cross_hmm = next(ax for ax in fig.axes if ax.get_title() == "OR, HMM, cross-load split")
    assert any(t.get_text().endswith("(6)") for t in cross_hmm.texts)        # class 2: 6 of 8 right


def test_alpha_curve_figure_draws_each_curve_and_marks_alpha():
    curves = {"OR paper": pd.Series([80.0, 95.0], index=[0.0, 1.0]),
              "OR cross-load": pd.Series([50.0, 45.0], index=[0.0, 1.0])}
    ax = figures.alpha_curve_figure(curves, alpha=0.5).axes[0]
    assert [line.get_label() for line in ax.lines[:2]] == ["OR, paper", "OR, cross-load"]
    assert _vlines(ax)[0].get_xdata()[0] == 0.5


def test_paderborn_signals_figure_shows_one_segment_per_class():
    X = np.random.default_rng(0).standard_normal((6, 2560))
    view = View(SimpleNamespace(X=X, fs=64_000.0), np.array([0, 1, 2, 0, 1, 2]), np.zeros((6, 1)),
                lambda s: (None, None), "N15_M07_F10")
    fig = figures.paderborn_signals_figure({"N15_M07_F10": view})
    assert len(fig.axes) == 6 and fig.axes[0].get_title() == "Paderborn N15_M07_F10, class 1 healthy"


def test_axial_signals_figure_marks_twice_the_ball_spin_frequency():
    healthy = axial_healthy(1, duration=0.3)
    records = axial_recordings("ball", [2, 3, 4], healthy=healthy, duration=0.3)
    fig = figures.axial_signals_figure(records)
    assert len(fig.axes) == 8 and "SIMULATED" in fig.axes[0].get_title()
    assert _vlines(fig.axes[3])[0].get_xdata()[0] == pytest.approx(records[1].extra["defect_hz"]["bsf_2x"])
    assert dataclasses.is_dataclass(records[0])
