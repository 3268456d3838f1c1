"""Figures: one style sheet, the Agg backend, and one ``save_fig`` through which every figure is written."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from bearingkit import paths  # noqa: E402
from bearingkit.errors import ParameterError  # noqa: E402

STYLE = resources.files("bearingkit") / "style" / "bearingkit.mplstyle"
FORMATS = ("png", "svg")


def use_style() -> None:
    """Apply the compendium's style sheet to every figure drawn after this call."""
    plt.style.use(str(STYLE))


def save_fig(fig, name: str, *, notebook: str, formats: tuple[str, ...] = FORMATS,
             close: bool = False) -> Path:
    """Write ``fig`` as ``figures/<notebook>/<name>.<fmt>`` for every format; return the PNG path.

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
