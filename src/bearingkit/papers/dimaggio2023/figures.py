"""The figures of Di Maggio (2023) redrawn from this run: Figs. 3 and 7-11. Each function returns a
matplotlib Figure; the notebook shows it and writes it with :func:`bearingkit.report.plots.save_fig`."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from sklearn.decomposition import PCA

from bearingkit.data import Segments
from bearingkit.errors import ParameterError
from bearingkit.papers.dimaggio2023.frontend import Inputs
from bearingkit.papers.dimaggio2023.settings import CLASSES, LABELS, PAPER, POLITO_FS
from bearingkit.papers.dimaggio2023.training import MethodResult, first_run_per_method
from bearingkit.report import plots, reference

__all__ = [
    "example_chunks", "fig03_vggish_filters", "fig07_normalised_signals", "fig08_mel_spectrograms",
    "fig09_embeddings", "fig10_loss", "fig11_confusion",
]

#: The condition Figs. 7 and 8 show: load case 3 (124.8 kN radial), 997 rpm.
EXAMPLE_CONDITION = "LC3_997rpm"


def example_chunks(chunks: Segments, condition: str = EXAMPLE_CONDITION) -> list[int]:
    """Index of the first chunk of each class (:data:`~bearingkit.papers.dimaggio2023.settings.CLASSES`)
    under ``condition``."""
    at = (chunks.groups["condition"] == condition).to_numpy()
    found = [np.flatnonzero((chunks.y == c) & at) for c in CLASSES]
    if not all(len(f) for f in found):
        raise ParameterError(f"not every class has a chunk under condition {condition!r}")
    return [int(f[0]) for f in found]


def fig07_normalised_signals(chunks: Segments) -> Figure:
    """Fig. 7: one simulated chunk per class, each divided by its largest absolute value."""
    fig, axes = plt.subplots(3, 1, figsize=(9, 6), sharex=True)
    for ax, index, label in zip(axes, example_chunks(chunks), LABELS, strict=True):
        x = chunks.X[index] / np.abs(chunks.X[index]).max()
        ax.plot(np.arange(x.size) / POLITO_FS, x, lw=0.3)
        ax.set_ylabel("normalised")
        ax.set_title(f"SIMULATED PoliTo rig, {label}, load case 3 (124.8 kN), 997 rpm", fontsize=9)
    axes[-1].set_xlabel("time (s)")
    fig.tight_layout()
    return fig


def fig08_mel_spectrograms(chunks: Segments, patches: np.ndarray) -> Figure:
    """Fig. 8: the log-mel patch (96 frames x 64 bands) of the chunks Fig. 7 shows."""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4), sharey=True)
    for ax, index, label in zip(axes, example_chunks(chunks), LABELS, strict=True):
        image = ax.imshow(patches[index].T, origin="lower", aspect="auto", cmap="magma",
                          extent=(0, 0.96, 0, 64))
        ax.set_title(f"SIMULATED, {label}", fontsize=9)
        ax.set_xlabel("time (s)")
    axes[0].set_ylabel("mel band (125-7500 Hz)")
    fig.colorbar(image, ax=axes, label="log(mel + 0.01)")
    return fig


def fig09_embeddings(inputs: Inputs) -> Figure:
    """Fig. 9: VGGish's embedding of every chunk (YAMNet's, labelled, when VGGish is not available) as a heat
    map grouped by class, beside its 2-D PCA projection."""
    shown = "VGGish transfer" if inputs.embeddings["VGGish transfer"] is not None else "YAMNet transfer"
    embedding, y, name = inputs.embeddings[shown], inputs.y, shown.split()[0]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [1.6, 1]})
    image = axes[0].imshow(embedding[np.argsort(y, kind="stable")], aspect="auto", cmap="viridis", vmin=0,
                           vmax=np.quantile(embedding, 0.99), interpolation="nearest")
    bounds = np.cumsum(np.bincount(y, minlength=len(CLASSES)))
    for b in bounds[:-1]:
        axes[0].axhline(b - 0.5, color="white", lw=1)
    axes[0].set_yticks((np.concatenate(([0], bounds[:-1])) + bounds) / 2 - 0.5, LABELS)
    axes[0].set(title=f"{name} {embedding.shape[1]}-d embedding of every SIMULATED chunk, grouped by class",
                xlabel="embedding dimension")
    axes[0].grid(False)
    fig.colorbar(image, ax=axes[0], label="activation (clipped at the 99th percentile)")
    projected = PCA(n_components=2).fit_transform(embedding)
    for k, label in enumerate(LABELS):
        axes[1].scatter(*projected[y == k].T, s=5, alpha=0.6, label=label)
    axes[1].set(title=f"PCA of the {len(embedding)} {name} embeddings (SIMULATED)", xlabel="PC 1",
                ylabel="PC 2")
    axes[1].legend(fontsize=8, markerscale=3)
    fig.tight_layout()
    return fig


def fig03_vggish_filters(vggish_model) -> Figure:
    """Fig. 3a: the 64 pretrained 3 x 3 filters of VGGish's first convolution."""
    kernels = vggish_model.get_layer("conv1").get_weights()[0][..., 0, :]
    fig, axes = plt.subplots(4, 16, figsize=(12, 3.2))
    for k, ax in enumerate(axes.flat):
        ax.imshow(kernels[..., k], cmap="coolwarm")
        ax.axis("off")
    fig.suptitle("Pretrained VGGish conv1 filters (Fig. 3a)")
    return fig


def _loss_panel(ax, result: MethodResult) -> None:
    steps = result.schedule["steps_per_epoch"]
    updates = steps * np.arange(1, len(result.history["loss"]) + 1)
    ax.plot(updates, result.history["loss"], "o-", ms=3, label="training (epoch mean)")
    ax.plot(updates, result.history["val_loss"], "s--", ms=3, label="validation (end of epoch)")
    ax.set(title=f"{result.method}\n(SIMULATED, paper split, run 1)", xlabel="updates",
           ylabel="cross-entropy")
    ax.set_xlim(0, max(216, updates[-1]) + steps)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    top = ax.secondary_xaxis("top", functions=(lambda u: u / steps, lambda e: e * steps))
    top.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_xlabel(f"epoch ({steps} steps each)")
    ax.legend(fontsize=8)


def fig10_loss(results: Sequence[MethodResult], seed: int) -> Figure:
    """Fig. 10: training and validation loss of each network trained with seed ``seed``, against updates
    (epochs marked on top); runs whose validation loss was not measured every epoch (the plateau runs) are
    left out."""
    curves = [r for r in results if r.history and r.seed == seed
              and len(r.history.get("val_loss", ())) == len(r.history["loss"])]
    fig, axes = plt.subplots(1, len(curves), figsize=(4.2 * len(curves), 3.4), squeeze=False)
    for ax, result in zip(axes[0], curves, strict=True):
        _loss_panel(ax, result)
    fig.tight_layout()
    return fig


def fig11_confusion(results: Sequence[MethodResult]) -> Figure:
    """Fig. 11: the paper's test confusion matrix, then ours for each method's first run, in counts."""
    paper = np.array(reference.published(PAPER, "fig11_confusion_test"))
    panels = [("paper, Fig. 11\n(PoliTo rig, real)", paper)]
    panels += [(f"{m}\n(SIMULATED)", r.confusion()) for m, r in first_run_per_method(results).items()]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.4 * len(panels), 3.8))
    for ax, (title, matrix) in zip(np.atleast_1d(axes), panels, strict=True):
        plots.confusion_matrix_plot(ax, matrix, labels=list(LABELS), title=title, normalise=False)
        for text, value in zip(ax.texts, matrix.ravel(), strict=False):   # white on the darker half
            text.set_fontsize(12)
            text.set_color("white" if value > 0.5 * matrix.max() else "black")
        ax.title.set_fontsize(9)
    fig.tight_layout()
    return fig
