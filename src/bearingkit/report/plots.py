"""Figures: one style sheet and one ``save_fig`` through which every figure is written.

The library never chooses a matplotlib backend: inside a Jupyter kernel the inline backend shows every figure,
and headless runs (the Makefile, CI, the tests) set ``MPLBACKEND=Agg`` where they start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from bearingkit import paths
from bearingkit.errors import ParameterError

__all__ = [
    "STYLE", "FORMATS", "use_style", "save_fig", "confusion_matrix_plot", "left_right_hmm_diagram",
    "rbf_network_diagram", "flowchart", "mark_lines",
]

STYLE = resources.files("bearingkit.report") / "style" / "bearingkit.mplstyle"
FORMATS = ("png", "svg")


def use_style() -> None:
    """Apply the compendium's style sheet to every figure drawn after this call."""
    plt.style.use(str(STYLE))


def save_fig(fig, name: str, *, notebook: str, formats: tuple[str, ...] = FORMATS,
             close: bool = False) -> Path:
    """Write ``fig`` as ``figures/<notebook>/<name>.<fmt>`` for every format; return the PNG path.

    ``figures/`` is :data:`bearingkit.paths.FIGURES_DIR`, which ``BEARINGKIT_FIGURES_DIR`` moves.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        Extensionless name after the paper's item, e.g. ``"fig08_confusion_or"`` or ``"tab07_accuracy"``.
    notebook : str
        The notebook's stem, e.g. ``"03_sedira2026_hmm_rbfnn"``; figures are grouped by it.
    formats : tuple of str
        File formats; PNG first.
    close : bool
        Close the figure after saving (keeps memory flat in long notebooks).

    Returns
    -------
    Path
        The path of the first format written.
    """
    if not name or Path(name).suffix or "/" in name:
        raise ParameterError(f"figure name must be extensionless and flat, got {name!r}")
    out_dir = paths.FIGURES_DIR / notebook
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        target = out_dir / f"{name}.{fmt}"
        partial = target.with_name(f".{target.name}.part")
        fig.savefig(partial, format=fmt)
        partial.replace(target)
        written.append(target)
    if close:
        plt.close(fig)
    return written[0]


def confusion_matrix_plot(ax, matrix, *, labels, title: str = "", normalise: bool = True) -> None:
    """Draw a confusion matrix (rows: true class, columns: predicted), row-normalised to % by default."""

    matrix = np.asarray(matrix, dtype=float)
    shown = 100 * matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1) if normalise else matrix
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=100 if normalise else None)
    for (i, j), value in np.ndenumerate(shown):
        ax.text(j, i, f"{value:.0f}" if normalise else f"{value:g}", ha="center", va="center",
                color="white" if value > 60 else "black", fontsize=8)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.grid(False)
    ax.set_title(title)


def _box(ax, xy, text, *, width=0.9, height=0.5, color="#dbe9f6"):
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.08", fc=color, ec="0.3"))
    ax.text(x, y, text, ha="center", va="center", fontsize=8, wrap=True)


def _arrow(ax, start, end, *, text: str = "", rad: float = 0.0):
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": "0.3", "connectionstyle": f"arc3,rad={rad}"})
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.18 + abs(rad), text, ha="center",
                fontsize=7)


def left_right_hmm_diagram(ax, transmat, *, title: str = "") -> None:
    """Draw a left-right (Bakis) HMM: states in a row, self-loops and forward arcs labelled by probability."""

    transmat = np.asarray(transmat)
    n = len(transmat)
    for i in range(n):
        _box(ax, (1.5 * i, 0), f"S{i + 1}", width=0.7, height=0.7, color="#fde2c8")
        _box(ax, (1.5 * i, -1.4), f"o (state {i + 1})", width=1.1, height=0.4, color="#e8e8e8")
        _arrow(ax, (1.5 * i, -0.35), (1.5 * i, -1.2))
        ax.text(1.5 * i, 0.75, f"{transmat[i, i]:.2f}", ha="center", fontsize=7)
        ax.annotate("", xy=(1.5 * i + 0.15, 0.35), xytext=(1.5 * i - 0.15, 0.35),
                    arrowprops={"arrowstyle": "-|>", "connectionstyle": "arc3,rad=-2.5", "color": "0.3"})
        for j in range(i + 1, n):
            if transmat[i, j] > 0:
                _arrow(ax, (1.5 * i + 0.35, 0), (1.5 * j - 0.35, 0), text=f"{transmat[i, j]:.2f}",
                       rad=0.0 if j == i + 1 else -0.4)
    ax.set_xlim(-0.8, 1.5 * (n - 1) + 0.8)
    ax.set_ylim(-1.8, 1.1)
    ax.axis("off")
    ax.set_title(title)


def rbf_network_diagram(ax, *, n_inputs: int, n_hidden: int, n_outputs: int, title: str = "",
                        max_drawn: int = 8) -> None:
    """Draw an RBF network: inputs, Gaussian hidden units, linear outputs with a bias (Eqs. 30-31)."""

    layers = [("input x", n_inputs, "#e8e8e8"), ("φ_j(x) = exp(-‖x-μ_j‖²/σ²)", n_hidden, "#fde2c8"),
              ("y_k = Σ w_jk φ_j + b_k", n_outputs, "#dbe9f6")]
    positions = []
    for col, (name, count, color) in enumerate(layers):
        drawn = min(count, max_drawn)
        ys = np.linspace(-1, 1, drawn) * (drawn - 1) / max(max_drawn - 1, 1) * 2
        positions.append([(2.5 * col, y) for y in ys])
        for (x, y) in positions[-1]:
            ax.add_patch(Circle((x, y), 0.15, fc=color, ec="0.3"))
        label = f"{name}\n({count} units)" if count > drawn else f"{name}\n({count})"
        ax.text(2.5 * col, 2.4 + 0.7 * (col % 2), label, ha="center", fontsize=8)
    for left, right in zip(positions[:-1], positions[1:], strict=True):
        for a in left:
            for b in right:
                ax.plot([a[0] + 0.15, b[0] - 0.15], [a[1], b[1]], color="0.7", lw=0.4)
    ax.text(2.5 * 2, -2.6, "bias b (to outputs only)", ha="center", fontsize=7)
    ax.set_xlim(-0.8, 5.8)
    ax.set_ylim(-3, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title)


def flowchart(ax, steps, *, title: str = "") -> None:
    """Draw a vertical flowchart of ``steps``; a step given as a tuple is drawn as parallel boxes.

    Consecutive steps with the same number of parallel boxes are joined branch to branch; otherwise every box
    of one step is joined to every box of the next (a split or a merge).
    """
    y = 0.0
    previous: list[tuple[float, float]] = []
    widest = 0.0
    for step in steps:
        branch = step if isinstance(step, tuple) else (step,)
        width = max(2.0, 0.11 * max(len(line) for text in branch for line in text.splitlines()))
        xs = [(i - (len(branch) - 1) / 2) * (width + 0.3) for i in range(len(branch))]
        for x, text in zip(xs, branch, strict=True):
            _box(ax, (x, y), text, width=width, height=0.55)
        pairs = (zip(previous, xs, strict=True) if len(previous) == len(xs)
                 else ((p, x) for p in previous for x in xs))
        for (px, py), x in pairs:
            _arrow(ax, (px, py - 0.28), (x, y + 0.28))
        previous = [(x, y) for x in xs]
        widest = max(widest, abs(xs[0]) + width / 2)
        y -= 0.95
    ax.set_xlim(-widest - 0.2, widest + 0.2)
    ax.set_ylim(y + 0.4, 0.5)
    ax.axis("off")
    ax.set_title(title)


def mark_lines(ax, lines: Mapping[str, float] | Iterable[float], *, label: str | None = None,
               **line_kw) -> None:
    """Draw a vertical line at each frequency inside the x-limits; ``label`` goes to the legend once.

    The lines are drawn beneath the data (``zorder=1``) so they never hide the peak they mark.
    """
    low, high = ax.get_xlim()
    values = lines.values() if isinstance(lines, Mapping) else lines
    line_kw = {"lw": 0.9, "ls": "--", "alpha": 0.8, "zorder": 1, **line_kw}
    for hz in values:
        if low <= hz <= high:
            ax.axvline(hz, label=label, **line_kw)
            label = None
