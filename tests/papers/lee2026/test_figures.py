"""Every figure function returns a Figure with its panels; Fig. 7b places the pool by its bands' numbers."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from bearingkit.papers.lee2026 import figures
from bearingkit.papers.lee2026.css_check import CssCheck


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_figures_of_the_main_run(run_result):
    for draw, panels in ((figures.fig07a_css_radar, 1), (figures.fig08a_optimisation_traces, 3),
                         (figures.fig08b_importance, 2), (figures.fig09_confusion, 3)):
        fig = draw(run_result)
        assert isinstance(fig, Figure) and len(fig.axes) == panels, draw.__name__


def test_fig7b_places_every_candidate_at_its_band_centre_and_relative_width(run_result):
    fig = figures.fig07b_pca_and_pool(run_result)
    pool = run_result.pools["gru"]
    points = fig.axes[1].collections[0].get_offsets()
    np.testing.assert_allclose(points[:, 0], [c.centre for c in pool])
    np.testing.assert_allclose(points[:, 1], [(c.band[1] - c.band[0]) / c.centre for c in pool])
    chosen = fig.axes[1].collections[1].get_offsets()[0]
    assert chosen[0] == pool[run_result.chosen["gru"]].centre


def test_figures_of_every_run(run_result, unconverged_result):
    runs = {("cwru", "paper"): run_result, ("cwru", "other"): unconverged_result}
    heatmaps = figures.fig10_fusion_heatmaps(runs)
    assert "0.9985" in heatmaps._suptitle.get_text() and len(heatmaps.axes) == 3      # 2 maps, 1 colour bar
    boxes = figures.fig11_cv_std_boxplot(runs)
    assert boxes.axes[0].lines[-1].get_ydata()[0] == 0.008 or any(
        line.get_label().startswith("paper") for line in boxes.axes[0].lines)


def test_the_css_check_figure_labels_every_candidate():
    check = CssCheck(pd.DataFrame({"candidate": ["a", "b", "c"], "css": [0.9, 0.5, 0.1],
                                   "f_cv": [0.8, 0.6, 0.5]}), 1.0, 0.0)
    fig = figures.css_versus_training_figure(check)
    assert [t.get_text() for t in fig.axes[0].texts] == ["a", "b", "c"]
    assert "rho = 1.00" in fig.axes[0].get_title()
