"""The figures of notebook 03: the paper's Figs. 2-8, 10 and 12 regenerated, and the extra ones it adds.

Every function returns a :class:`matplotlib.figure.Figure`; the notebook shows it and writes it with
:func:`bearingkit.report.plots.save_fig`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from bearingkit.dsp import spectral
from bearingkit.recording import Recording
from bearingkit.report import plots

from .measures import pooled_confusion
from .protocol import RunResult
from .settings import (
    AXIAL_SEVERITIES,
    CLASS_NAMES,
    CWRU_SPLITS,
    DEFECT_LINES,
    MODELS,
    PADERBORN_CLASS_NAMES,
    Settings,
)
from .views import View

__all__ = [
    "alpha_curve_figure", "axial_signals_figure", "ball_signals_figure", "confusion_figure",
    "envelope_spectra_figure", "fisher_pca_figure", "flowchart_figure", "FLOWCHART_STEPS",
    "hmm_topology_figure", "kurtogram_figure", "paderborn_signals_figure", "rbf_network_figure",
    "signals_and_spectra_figure",
]

#: The method as Fig. 7 draws it.
FLOWCHART_STEPS = (
    "CWRU vibration records (12 kHz DE; 97.mat resampled 48→12 kHz)",
    "windows (4096 samples) → 4 sub-frames",
    "46 features: 9 time + 5 frequency + 32 WPT energies",
    "Fisher score: top 10 (training data only)",
    "PCA: 97 % of the variance",
    ("4-state left-right HMM per class\n(sub-frame sequences)",
     "RBF network, newrb growth\n(window features)"),
    ("softmax of log-likelihoods\nP_HMM", "scores scaled to [0, 1]\nS_RBF"),
    "fusion: α·P_HMM + (1 − α)·S_RBF (Eq. 33)",
    "class = argmax (healthy / defect 1 / 2 / 3)",
)


def _legend_outside(ax) -> None:
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def ball_signals_figure(records: Sequence[Recording], *, class_names: Sequence[str] = CLASS_NAMES,
                        seconds: float = 0.1):
    """Fig. 2: the first ``seconds`` of the ball data set's four records, one panel per class."""
    fig, axes = plt.subplots(len(records), 1, figsize=(8, 6), sharex=True)
    for ax, rec, title in zip(axes, records, class_names, strict=True):
        n = int(seconds * rec.fs)
        ax.plot(np.arange(n) / rec.fs, rec.signal[:n], lw=0.6)
        ax.set_ylabel("acceleration (g)")
        ax.set_title(f"Ball set, {title} — {rec.source}", fontsize=9)
    axes[-1].set_xlabel("time (s)")
    return fig


def _peak_spectrum(ax, rec: Recording, *, n_points: int = 5000) -> None:
    """The amplitude spectrum of a whole record, the largest bin of every block (the peaks, fewer points)."""
    f = np.fft.rfftfreq(rec.n_samples, 1 / rec.fs)
    amplitude = np.abs(np.fft.rfft(rec.signal)) / rec.n_samples
    step = max(1, f.size // n_points)
    n = f.size // step * step
    ax.semilogy(f[:n:step], amplitude[:n].reshape(-1, step).max(axis=1), lw=0.4)


def signals_and_spectra_figure(records: Mapping[str, Sequence[Recording]], freqs: Mapping[str, float], *,
                               seconds: float = 0.1, max_hz: float = 6000.0):
    """Fig. 3: each record of Table 3 (the healthy one once), its time trace and amplitude spectrum with its
    set's defect line (:data:`DEFECT_LINES`, from ``freqs``: :func:`~.signals.defect_frequencies_hz`)."""
    first = next(iter(records))
    shown = [(None, records[first][0])] + [(name, r) for name, recs in records.items() for r in recs[1:]]
    fig, axes = plt.subplots(len(shown), 2, figsize=(10, 1.6 * len(shown)))
    for (ax_t, ax_f), (name, rec) in zip(axes, shown, strict=True):
        n = int(seconds * rec.fs)
        ax_t.plot(np.arange(n) / rec.fs, rec.signal[:n], lw=0.5)
        ax_t.set_title(f"{rec.source} ({rec.label}, {rec.fault_size:g} in)", fontsize=8)
        ax_t.set_ylabel("g", fontsize=8)
        ax_f.set_ylabel("|X(f)| (g)", fontsize=8)
        _peak_spectrum(ax_f, rec)
        ax_f.set_xlim(0, max_hz)
        if name is not None:
            label, key = DEFECT_LINES[name]
            ax_f.axvline(freqs[key], color="C3", ls="--", lw=0.8, label=label)
            _legend_outside(ax_f)
    axes[-1, 0].set_xlabel("time (s)")
    axes[-1, 1].set_xlabel("frequency (Hz)")
    fig.supylabel("left: acceleration (g); right: amplitude spectrum (g, log scale)", fontsize=9)
    fig.tight_layout()
    return fig


def envelope_spectra_figure(records: Mapping[str, Sequence[Recording]], freqs: Mapping[str, float], *,
                            max_hz: float = 500.0, n_harmonics: int = 3):
    """Envelope spectrum of every fault record of the paper (Table 3), its defect line and harmonics marked.

    Parameters
    ----------
    records : mapping of data set to recordings
        :func:`~bearingkit.papers.sedira2026.data.cwru_records` per data set (healthy first; one row per
        record, the healthy record once).
    freqs : mapping
        :func:`~.signals.defect_frequencies_hz` at the records' speed: each set's line (:data:`DEFECT_LINES`),
        the shaft rate on the healthy record.
    max_hz, n_harmonics : float, int
        Frequency range shown; harmonics of the defect line marked.

    Returns
    -------
    matplotlib.figure.Figure
    """
    first = next(iter(records))
    shown = [(first, records[first][0])] + [(name, r) for name, recs in records.items() for r in recs[1:]]
    fig, axes = plt.subplots(len(shown), 1, figsize=(9, 1.4 * len(shown)), sharex=True)
    for ax, (name, rec) in zip(np.atleast_1d(axes), shown, strict=True):
        f, a = spectral.envelope_spectrum(rec.signal, fs=rec.fs)
        keep = f <= max_hz
        ax.plot(f[keep], a[keep], lw=0.6)
        healthy = rec.label == "normal"
        label, key = ("shaft", "shaft") if healthy else DEFECT_LINES[name]
        for h in range(1, n_harmonics + 1):
            ax.axvline(h * freqs[key], color="C3", ls="--", lw=0.7, label=label if h == 1 else None)
        ax.set_title(f"{rec.source} ({'healthy' if healthy else f'{name} set, {rec.fault_size:g} in'})",
                     fontsize=8)
        ax.set_ylabel("g", fontsize=7)
        _legend_outside(ax)
    np.atleast_1d(axes)[-1].set_xlabel("envelope frequency (Hz)")
    fig.supylabel("envelope amplitude (g)", fontsize=9)
    fig.tight_layout()
    return fig


def kurtogram_figure(records: Sequence[Recording], kurtograms: Sequence, *, name: str = "OR",
                     class_names: Sequence[str] = CLASS_NAMES, seconds: float = 1.0):
    """Fast kurtogram (top, :func:`~.signals.kurtograms`) and spectrogram (bottom) of the first ``seconds`` of
    each record of one data set (§3.2.3)."""
    fig, axes = plt.subplots(2, len(records), figsize=(14, 6))
    for col, (rec, kg, title) in enumerate(zip(records, kurtograms, class_names, strict=True)):
        ax = axes[0, col]
        im = ax.imshow(kg.kurtosis, aspect="auto", origin="upper", cmap="viridis",
                       extent=[0, rec.fs / 2, len(kg.levels), 0])
        fig.colorbar(im, ax=ax, label="envelope kurtosis")
        ax.set_yticks(np.arange(len(kg.levels)) + 0.5, [f"{v:.1f}" for v in kg.levels], fontsize=6)
        ax.set_title(f"{name} set, {title}\nbest: level {kg.best_level:.1f}, fc {kg.best_fc:.0f} Hz, "
                     f"K={kg.best_kurtosis:.1f}", fontsize=8)
        ax.set_xlabel("frequency (Hz)")
        ax.grid(False)
        f, t, p = spectral.spectrogram(rec.signal[: int(seconds * rec.fs)], fs=rec.fs, nperseg=256)
        im = axes[1, col].imshow(p, aspect="auto", origin="lower", extent=[t[0], t[-1], f[0], f[-1]],
                                 vmin=np.percentile(p, 5), vmax=p.max())  # p is already in dB
        fig.colorbar(im, ax=axes[1, col], label="PSD (dB re 1 g²/Hz)")
        axes[1, col].grid(False)
        axes[1, col].set_xlabel("time (s)")
    axes[0, 0].set_ylabel("level")
    axes[1, 0].set_ylabel("frequency (Hz)")
    fig.tight_layout()
    return fig


def fisher_pca_figure(fisher: Mapping[str, tuple[pd.Series, pd.DataFrame]], settings: Settings, *,
                      n_shown: int = 15):
    """Fig. 4 (a-c): per data set, the top ``n_shown`` Fisher scores (Eq. 21; the kept ones highlighted) and
    the PCA explained variance with the threshold (:func:`~.features.fisher_and_pca`)."""
    fig, axes = plt.subplots(2, len(fisher), figsize=(14, 7))
    for col, (name, (scores, ev)) in enumerate(fisher.items()):
        panel = "abc"[col]
        top = scores.iloc[-n_shown:]
        kept = scores.iloc[-settings.k_features]
        axes[0, col].barh(top.index, top.values, color=["C1" if s >= kept else "C0" for s in top.values])
        axes[0, col].set_title(f"({panel}) {name}: Fisher score, top {n_shown} ({settings.k_features} kept)",
                               fontsize=9)
        axes[0, col].tick_params(axis="y", labelsize=7)
        axes[0, col].set_xlabel("Fisher score (Eq. 21, dimensionless)")
        axes[1, col].bar(ev["component"], 100 * ev["ratio"], color=np.where(ev["retained"], "C1", "C0"))
        axes[1, col].plot(ev["component"], 100 * ev["cumulative"], "k.-")
        axes[1, col].axhline(100 * settings.variance, color="C3", ls="--", lw=0.8)
        axes[1, col].set_ylabel("explained variance (%)")
        axes[1, col].set_xlabel("principal component")
        axes[1, col].set_title(f"({panel}) {name}: PCA keeps {int(ev['retained'].sum())} components",
                               fontsize=9)
    fig.tight_layout()
    return fig


def hmm_topology_figure(transmat: np.ndarray, *, title: str):
    """Fig. 5: the left-right (Bakis) topology with the learned transition probabilities."""
    fig, ax = plt.subplots(figsize=(8, 3))
    plots.left_right_hmm_diagram(ax, transmat, title=title)
    return fig


def rbf_network_figure(network, *, title: str):
    """Fig. 6: the RBF network with the sizes a fitted ``RBFNetworkClassifier`` grew to."""
    fig, ax = plt.subplots(figsize=(7, 4))
    plots.rbf_network_diagram(ax, n_inputs=network.n_features_in_, n_hidden=len(network.centers_),
                              n_outputs=len(network.classes_), title=title)
    return fig


def flowchart_figure(steps: Sequence = FLOWCHART_STEPS, *, title: str = "Fig. 7 — implementation flowchart"):
    """Fig. 7: the method's flowchart."""
    fig, ax = plt.subplots(figsize=(7, 7.5))
    plots.flowchart(ax, list(steps), title=title)
    return fig


def _confusion_with_counts(ax, matrix, *, labels: Sequence[str], title: str = "") -> None:
    """A row-normalised confusion matrix (:func:`bearingkit.report.plots.confusion_matrix_plot`, % of each
    true class) with each cell's count of test windows written under its percentage (Fig. 8)."""
    matrix = np.asarray(matrix)
    plots.confusion_matrix_plot(ax, matrix, labels=labels, title=title)
    for text, count in zip(ax.texts, matrix.ravel(), strict=True):
        text.set_text(f"{text.get_text()} %\n({int(count)})")
        text.set_fontsize(7)


def confusion_figure(runs: Mapping[tuple[str, str], Sequence[RunResult]], names: Sequence[str], *,
                     splits: Sequence[str] = CWRU_SPLITS, class_names: Sequence[str] = CLASS_NAMES):
    """Fig. 8 for the data sets ``names``: one row per (data set, split), one column per model, each matrix
    summed over seeds (:func:`~.measures.pooled_confusion`) with its counts."""
    keys = [(name, split) for name in names for split in splits]
    fig, axes = plt.subplots(len(keys), len(MODELS), figsize=(12, 3.9 * len(keys)))
    labels = [c.split()[0] for c in class_names]
    for row, (name, split) in enumerate(keys):
        for col, model in enumerate(MODELS):
            _confusion_with_counts(axes[row, col], pooled_confusion(runs[name, split], model), labels=labels,
                                   title=f"{name}, {model}, {split} split")
    fig.tight_layout()
    return fig


def alpha_curve_figure(curves: Mapping[str, pd.Series], *, alpha: float):
    """Accuracy of Eq. 33 against α for every ``"<data set> <split>"`` curve
    (:func:`~.measures.alpha_curves`); α = 0 is the RBFNN, α = 1 the HMM, the weight used is marked."""
    styles = dict(zip(CWRU_SPLITS, ("-", "--", ":"), strict=True))
    fig, ax = plt.subplots(figsize=(9.5, 4))
    for key, curve in curves.items():
        name, split = key.split(" ", 1)
        ax.plot(curve.index, curve.values, styles[split], marker=".", label=f"{name}, {split}")
    ax.axvline(alpha, color="0.5", lw=0.8)
    ax.set_xlabel("α (weight of P_HMM)")
    ax.set_ylabel("accuracy (%)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title("Accuracy of the fused score against α (Eq. 33); α=0: RBFNN, α=1: HMM")
    return fig


def paderborn_signals_figure(views: Mapping[str, View], *,
                             class_names: Sequence[str] = PADERBORN_CLASS_NAMES):
    """Fig. 10: the first segment of each class in the first Paderborn condition, time trace and spectrum."""
    code, first = next(iter(views.items()))
    fs = first.windows.fs
    fig, axes = plt.subplots(len(class_names), 2, figsize=(10, 7))
    for k, name in enumerate(class_names):
        x = first.windows.X[np.flatnonzero(first.y == k)[0]]
        axes[k, 0].plot(np.arange(x.size) / fs * 1000, x, lw=0.5)
        axes[k, 0].set_title(f"Paderborn {code}, {name}", fontsize=9)
        axes[k, 0].set_ylabel("vibration\n(stored units)", fontsize=8)
        axes[k, 1].set_ylabel("|X(f)|", fontsize=8)
        f = np.fft.rfftfreq(x.size, 1 / fs)
        axes[k, 1].semilogy(f / 1000, np.abs(np.fft.rfft(x)) / x.size, lw=0.5)
    axes[-1, 0].set_xlabel("time (ms)")
    axes[-1, 1].set_xlabel("frequency (kHz)")
    fig.tight_layout()
    return fig


def axial_signals_figure(records: Sequence[Recording], *, name: str = "ball", seconds: float = 0.05,
                         max_hz: float = 400.0):
    """Fig. 12 on the SIMULATED axial rig: each record of one data set, time trace and envelope spectrum with
    the 2 x BSF line."""
    states = ["healthy"] + [f"severity {s}" for s in AXIAL_SEVERITIES]
    fig, axes = plt.subplots(len(records), 2, figsize=(10, 8))
    for k, (rec, state) in enumerate(zip(records, states, strict=True)):
        n = int(seconds * rec.fs)
        axes[k, 0].plot(np.arange(n) / rec.fs * 1000, rec.signal[:n], lw=0.5)
        axes[k, 0].set_title(f"SIMULATED axial rig, {name} set, {state}", fontsize=9)
        axes[k, 0].set_ylabel("acceleration\n(simulator units)", fontsize=8)
        axes[k, 1].set_ylabel("envelope\namplitude", fontsize=8)
        f, a = spectral.envelope_spectrum(rec.signal, fs=rec.fs)
        axes[k, 1].plot(f, a, lw=0.6)
        axes[k, 1].set_xlim(0, max_hz)
        axes[k, 1].axvline(rec.extra["defect_hz"]["bsf_2x"], color="C3", ls="--", lw=0.8, label="2×BSF")
        _legend_outside(axes[k, 1])
    axes[-1, 0].set_xlabel("time (ms)")
    axes[-1, 1].set_xlabel("envelope frequency (Hz)")
    fig.tight_layout()
    return fig
