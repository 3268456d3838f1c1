"""save_fig, results JSON and the paper-vs-ours table."""


import matplotlib.pyplot as plt
import numpy as np
import pytest

from bearingkit import paths
from bearingkit.errors import ParameterError
from bearingkit.report import plots, reference


@pytest.fixture
def tmp_root(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "FIGURES_DIR", tmp_path / "figures")
    monkeypatch.setattr(paths, "RESULTS_DIR", tmp_path / "results")
    return tmp_path


def test_save_fig_writes_every_format_under_the_notebook(tmp_root):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    dpi = plt.rcParams["savefig.dpi"]
    pixels = tuple(np.round(fig.get_size_inches()[::-1] * (fig.dpi if dpi == "figure" else dpi)).astype(int))
    png = plots.save_fig(fig, "fig01_line", notebook="99_test", close=True)
    assert png == tmp_root / "figures" / "99_test" / "fig01_line.png"
    image = plt.imread(png)
    assert image.shape[:2] == pixels
    assert len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 2  # the line and axes are drawn
    assert (png.with_suffix(".svg")).read_text().startswith("<?xml")
    assert not list((tmp_root / "figures" / "99_test").glob(".*part"))


@pytest.mark.parametrize("bad", ["fig.png", "a/b", ""])
def test_save_fig_rejects_names_with_extension_or_folders(tmp_root, bad):
    fig = plt.figure()
    with pytest.raises(ParameterError):
        plots.save_fig(fig, bad, notebook="99_test")
    plt.close(fig)


def test_paper_vs_ours_keeps_missing_values_missing_with_a_reason():
    table = reference.paper_vs_ours({"OR": 99.0, "IR": 100.0}, {"OR": 97.5}, why_missing="not run")
    assert table.loc["OR", "difference"] == pytest.approx(-1.5)
    assert np.isnan(table.loc["IR", "ours"]) and table.loc["IR", "note"] == "not run"


def test_published_numbers_are_read_from_the_reference_file():
    table7 = reference.published("sedira2026", "table7_overall_accuracy_pct")
    assert table7["Hybrid"]["OR"] == 99.0
    with pytest.raises(ParameterError, match="items"):
        reference.published("sedira2026", "table99")
    with pytest.raises(ParameterError, match="known papers"):
        reference.published("nobody1999", "x")
