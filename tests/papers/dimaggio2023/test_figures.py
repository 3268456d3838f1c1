"""The figures of notebook 01 are drawn from this run's data and runs."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from bearingkit.errors import ParameterError
from bearingkit.papers.dimaggio2023 import figures
from bearingkit.papers.dimaggio2023.data import simulate_polito
from bearingkit.papers.dimaggio2023.frontend import Inputs
from bearingkit.physics import simulate as sim

matplotlib.use("Agg")


#: Panels, lines and labels are checked, not the layout (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("figures_unlaid")


@pytest.fixture(scope="module")
def chunks():
    conditions = [c for c in sim.rig_conditions("polito") if c.name in ("LC3_997rpm", "LC1_127rpm")]
    return simulate_polito(n_chunks=1, seed=0, conditions=conditions)


def test_example_chunks_are_one_per_class_under_the_condition(chunks):
    examples = figures.example_chunks(chunks)
    assert list(chunks.y[examples]) == ["normal", "inner", "outer"]
    assert set(chunks.groups.loc[examples, "condition"]) == {"LC3_997rpm"}
    with pytest.raises(ParameterError, match="not every class"):
        figures.example_chunks(chunks, condition="LC9_1rpm")


def test_figs_7_and_8_show_one_chunk_per_class(chunks):
    fig7 = figures.fig07_normalised_signals(chunks)
    assert isinstance(fig7, Figure) and len(fig7.axes) == 3
    assert max(np.abs(line.get_ydata()).max() for ax in fig7.axes for line in ax.lines) == pytest.approx(1.0)
    fig8 = figures.fig08_mel_spectrograms(chunks, np.zeros((len(chunks), 96, 64)))
    assert len(fig8.axes) == 4                                            # three panels and a colour bar


def test_fig9_falls_back_to_yamnet_and_says_so():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 10)
    inputs = Inputs(y=y, patches=np.zeros((30, 96, 64)), features=np.zeros((30, 46)), seconds={},
                    embeddings={"VGGish transfer": None, "YAMNet transfer": rng.random((30, 1024))})
    fig = figures.fig09_embeddings(inputs)
    assert fig.axes[0].get_title().startswith("YAMNet 1024-d embedding")
    inputs.embeddings["VGGish transfer"] = rng.random((30, 128))
    assert figures.fig09_embeddings(inputs).axes[0].get_title().startswith("VGGish 128-d embedding")


class _FakeVGGish:
    """A model whose conv1 holds 64 filters of 3 x 3 x 1."""

    def get_layer(self, name):
        assert name == "conv1"
        return self

    def get_weights(self):
        return [np.arange(3 * 3 * 64, dtype=float).reshape(3, 3, 1, 64), np.zeros(64)]


def test_fig3_draws_the_64_first_layer_filters():
    fig = figures.fig03_vggish_filters(_FakeVGGish())
    assert len(fig.axes) == 64 and fig.get_suptitle().startswith("Pretrained VGGish conv1 filters")


def test_fig10_draws_the_curves_of_one_seed_against_updates(make_result):
    history = {"loss": [1.0, 0.8, 0.6], "val_loss": [1.1, 0.9, 0.7]}
    schedule = {"steps_per_epoch": 72, "epochs": 3, "iterations": 216}
    runs = [make_result("YAMNet transfer", 50, seed=1, history=history, schedule=schedule),
            make_result("YAMNet transfer", 50, seed=2, history=history, schedule=schedule),
            make_result("YAMNet transfer: plateau", 52, seed=1, history={**history, "val_loss": [0.6]},
                        schedule=schedule),                        # validated after its last epoch only
            make_result("46 features + logistic regression", 60, seed=None)]
    fig = figures.fig10_loss(runs, seed=1)
    main = [ax for ax in fig.axes if ax.get_xlabel() == "updates"]
    assert len(main) == 1 and list(main[0].lines[0].get_xdata()) == [72, 144, 216]


def test_fig11_puts_the_papers_matrix_first_then_ours(runs):
    fig = figures.fig11_confusion(runs["simulated", "paper"])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0].startswith("paper, Fig. 11") and len(titles) == 1 + 4
    assert [t.get_text() for t in fig.axes[0].texts][:3] == ["71", "0", "1"]
