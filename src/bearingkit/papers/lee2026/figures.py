"""The paper's Figs. 7-11 redrawn from our runs, and the CSS-versus-training check; each returns a Figure.

The notebook shows every figure inline and writes it through :func:`bearingkit.report.plots.save_fig`.
Figs. 7-9 are drawn from the main run (CWRU, paper split), Figs. 10-11 from every finished run.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.figure import Figure
from sklearn.decomposition import PCA

from bearingkit.features import separability
from bearingkit.papers.lee2026.css_check import CssCheck
from bearingkit.papers.lee2026.late_fusion import heatmap_table
from bearingkit.papers.lee2026.pipeline import PipelineResult
from bearingkit.papers.lee2026.settings import BRANCHES, PAPER
from bearingkit.papers.lee2026.tables import cv_std_runs, fig7a_components, importance_table
from bearingkit.report import plots, reference

__all__ = ["css_versus_training_figure", "fig07a_css_radar", "fig07b_pca_and_pool",
           "fig08a_optimisation_traces", "fig08b_importance", "fig09_confusion", "fig10_fusion_heatmaps",
           "fig11_cv_std_boxplot"]

#: Colours of the three phases of a Stage 2 study (Fig. 8a).
PHASE_COLOURS = {"lhs": "C0", "kriging": "C1", "bohb": "C2"}


def fig07a_css_radar(result: PipelineResult) -> Figure:
    """Fig. 7a: the normalised CSS components of each branch's chosen candidate, beside the paper's."""
    paper = reference.published(PAPER, "fig7a_css_components_cwru_pct")
    ours = fig7a_components(result)
    labels = ["Fisher", "Mahalanobis", "Bhattacharyya", "silhouette", "KL"]
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    fig, ax = plt.subplots(figsize=(5.2, 5.2), subplot_kw={"projection": "polar"})
    metrics = list(separability.METRICS)
    curves = ((f"paper (CSS {paper['css']:.1f})", [paper[m] for m in metrics], "k--"),
              (f"ours GRU (CSS {ours['gru']['css']:.1f})", ours["gru"][metrics], "C0-"),
              (f"ours CNN (CSS {ours['cnn']['css']:.1f})", ours["cnn"][metrics], "C1-"))
    for name, values, style in curves:
        values = np.asarray(values, dtype=float)
        ax.plot(np.r_[angles, angles[0]], np.r_[values, values[0]], style, label=name)
    ax.set_xticks(angles, labels)
    ax.set_ylim(0, 100)
    ax.legend(loc="lower left", bbox_to_anchor=(-0.15, -0.2), fontsize=8)
    ax.set_title(f"Fig. 7a: normalised CSS components of the chosen candidate, {result.dataset}")
    return fig


def fig07b_pca_and_pool(result: PipelineResult) -> Figure:
    """Fig. 7b: PCA of the proxy statistics under the chosen GRU candidate, and the GRU pool coloured by CSS.

    The right panel places every candidate in its design space (band centre, relative width), the chosen
    one marked: is it inside a broad high-CSS region (the paper's reading) or on an isolated peak?
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    scores2d = PCA(n_components=2).fit_transform(separability.standardise(result.proxy_features))
    for i, name in enumerate(result.classes):
        left.scatter(*scores2d[result.y_dev == i].T, s=10, label=name, alpha=0.7)
    left.set(xlabel="PC 1", ylabel="PC 2", title=f"proxy features, chosen GRU candidate ({result.dataset})")
    left.legend(fontsize=8)
    pool, chosen = result.pools["gru"], result.chosen["gru"]
    centre = np.array([c.centre for c in pool])
    width = np.array([c.relative_width for c in pool])
    points = right.scatter(centre, width, c=result.stage1["gru"]["css"], cmap="viridis", s=40)
    right.scatter(centre[chosen], width[chosen], marker="*", s=300, facecolor="none", edgecolor="red",
                  label="chosen (Eq. 2)")
    right.set(xscale="log", xlabel="band centre (Hz)", ylabel="band width / centre",
              title="GRU pool coloured by CSS")
    right.legend(fontsize=8)
    fig.colorbar(points, ax=right, label="CSS")
    return fig


def fig08a_optimisation_traces(result: PipelineResult) -> Figure:
    """Fig. 8a, every stage: Stage 1's CSS in LHS order, each branch's trials by phase, the best so far."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    axes[0].plot(result.stage1["gru"]["css"].to_numpy(), "o-", label="GRU pool")
    axes[0].plot(result.stage1["cnn"]["css"].to_numpy(), "s-", label="CNN pool")
    axes[0].set(title="Stage 1: CSS in LHS order", xlabel="candidate", ylabel="CSS")
    axes[0].legend(fontsize=8)
    for ax, branch in zip(axes[1:], BRANCHES, strict=True):
        trials = result.branches[branch].stage.trials
        for phase, group in trials.groupby("phase"):
            done = group[group["state"] == "COMPLETE"]
            ax.scatter(done["number"], done["value"], color=PHASE_COLOURS[phase], label=phase)
            pruned = group[group["state"] == "PRUNED"]
            ax.scatter(pruned["number"], pruned["value"], color=PHASE_COLOURS[phase], marker="x")
        best = trials["value"].where(trials["state"] == "COMPLETE").cummax()
        ax.step(trials["number"], best, "k-", where="post", label="best so far")
        ax.set(title=f"Stage 2 {branch.upper()}: F_CV per trial (x: pruned)", xlabel="trial",
               ylabel="macro-F1")
        ax.legend(fontsize=8)
    return fig


def fig08b_importance(result: PipelineResult) -> Figure:
    """Fig. 8b: fANOVA importance of each hyperparameter, per branch (a note where trials were too few)."""
    importance = importance_table(result)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for ax, branch in zip(axes, BRANCHES, strict=True):
        values = importance[branch].dropna().sort_values()
        if values.empty:
            ax.text(0.5, 0.5, "fewer than 3 complete trials", ha="center", transform=ax.transAxes)
        else:
            ax.barh(values.index, values.to_numpy())
        ax.set(title=f"Fig. 8b: fANOVA importance, {branch.upper()} ({result.dataset})", xlabel="importance")
    return fig


def fig09_confusion(result: PipelineResult) -> Figure:
    """Fig. 9: out-of-fold confusion matrices of the best GRU, the best EfficientNetV2 and the late fusion."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    for ax, (name, matrix) in zip(axes, result.confusion.items(), strict=True):
        plots.confusion_matrix_plot(ax, matrix, labels=list(result.classes), title=name)
    return fig


def fig10_fusion_heatmaps(results: Mapping[tuple[str, str], PipelineResult]) -> Figure:
    """Fig. 10: mean macro-F1 by fusion rule and head, one heat map per run on a shared colour scale."""
    tables = {run: heatmap_table(result.scores) for run, result in results.items()}
    lowest = np.floor(20 * min(np.nanmin(t.to_numpy()) for t in tables.values())) / 20
    fig, axes = plt.subplots(1, len(tables), figsize=(4.6 * len(tables) + 1.5, 4.2), squeeze=False)
    for i, (ax, (run, table)) in enumerate(zip(axes[0], tables.items(), strict=True)):
        sns.heatmap(table, annot=True, fmt=".3f", cmap="viridis", vmin=lowest, vmax=1, ax=ax,
                    cbar=i == len(tables) - 1, yticklabels=i == 0)
        ax.set_title(f"{results[run].dataset} ({results[run].data_kind}), {results[run].split}", fontsize=9)
        ax.set(xlabel="", ylabel="")
    published = reference.published(PAPER, "fig10_macro_f1_mafaulda")["concatenation + LightGBM"]
    fig.suptitle(f"Fig. 10: macro-F1 by fusion rule and head (paper, MAFAULDA: concatenation + LightGBM "
                 f"{published})", fontsize=10)
    fig.tight_layout()
    return fig


def fig11_cv_std_boxplot(results: Mapping[tuple[str, str], PipelineResult]) -> Figure:
    """Fig. 11: the CV std of macro-F1 per fusion rule (every head and seed), one box per run and rule."""
    published = reference.published(PAPER, "fig11_median_cv_std_concatenation_mafaulda")
    fig, ax = plt.subplots(figsize=(9, 4))
    sns.boxplot(data=cv_std_runs(results), x="rule", y="cv_std", hue="run", ax=ax)
    ax.axhline(published, color="k", ls="--", label=f"paper: concatenation median {published}")
    ax.set(xlabel="", ylabel="std of macro-F1 over 5 folds")
    ax.legend(fontsize=7)
    return fig


def css_versus_training_figure(check: CssCheck) -> Figure:
    """CSS (training-free) against the CV macro-F1 of a trained GRU, one point per candidate."""
    fig, ax = plt.subplots(figsize=(5, 3.8))
    ax.scatter(check.table["css"], check.table["f_cv"])
    for _, r in check.table.iterrows():
        ax.annotate(r["candidate"], (r["css"], r["f_cv"]), fontsize=7)
    ax.set(xlabel="CSS (training-free)", ylabel="CV macro-F1 of a trained GRU",
           title=f"CSS vs training, rho = {check.rho:.2f}")
    return fig

