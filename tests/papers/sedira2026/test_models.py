"""The two models of the paper behind their reductions (§6.1-6.2)."""

import numpy as np
import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.papers.sedira2026 import models
from bearingkit.papers.sedira2026.settings import Settings


def test_the_rbf_model_reads_the_window_columns_and_searches_the_spread():
    model = models.make_rbf_model(Settings(spreads=(1.0, 2.0)))
    assert [name for name, _ in model.steps] == ["window", "reduce", "rbf"]
    assert model.named_steps["rbf"].param_grid == {"spread": [1.0, 2.0]}
    assert model.named_steps["reduce"].named_steps["pca"].whiten
    wide = models.make_rbf_model(Settings(spreads=(1.0,), reduction="none"))
    assert wide.named_steps["rbf"].param_grid["spread"] == [pytest.approx(np.sqrt(46 / 10))]
    with pytest.raises(UnknownNameError, match="reduction"):
        models.make_rbf_model(Settings(reduction="lda"))


def test_the_hmm_model_reads_the_sub_frame_columns_with_the_settings_states():
    model = models.make_hmm_model(Settings(n_states=3, n_steps=2))
    assert model.named_steps["hmm"].n_states == 3 and model.named_steps["hmm"].n_steps == 2
    X = np.arange(2 * 46 * 3, dtype=float).reshape(2, -1)
    assert np.array_equal(model.named_steps["frames"].fit_transform(X), X[:, 46:])
