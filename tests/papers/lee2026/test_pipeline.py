"""Stages 1-3 on one data set: a run in the worker process is read back here without retraining."""

import numpy as np
import pandas as pd
import pytest

from bearingkit.hpo import HistoryDB
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026 import branch_search
from bearingkit.papers.lee2026.history import open_history
from bearingkit.papers.lee2026.pipeline import background_runner, pipeline_in_worker, run_pipeline
from bearingkit.papers.lee2026.settings import BRANCHES


@pytest.mark.slow
@pytest.mark.timeout(600)  # a spawned process imports TensorFlow and traces both networks (over a minute)
def test_a_run_in_the_worker_process_is_read_back_here_from_the_shared_history_db(
        make_synthetic, tiny_settings, tmp_path, monkeypatch):
    data = make_synthetic(n_per_class=12, length=256)
    url = sqlite_url(tmp_path / "history.db")
    open_history(url, {"test": "worker"}, resume=False)
    with background_runner() as worker:
        there, lines, seconds = worker.submit(pipeline_in_worker, data, split="paper", settings=tiny_settings,
                                              history_url=url, seed=5).result()
    assert seconds > 0 and any("stage 2 cnn" in line for line in lines)
    assert lines[0].startswith("synthetic [paper] stage 1 gru")

    def no_training(*args, **kwargs):
        raise AssertionError("a trial finished in the worker was trained again")

    monkeypatch.setattr(branch_search, "cross_validate", no_training)
    here = run_pipeline(data, split="paper", settings=tiny_settings, history=HistoryDB(url), seed=5,
                        log=lambda line: None)
    for branch in BRANCHES:
        columns = ["number", "state", "value"]
        pd.testing.assert_frame_equal(here.branches[branch].stage.trials[columns],
                                      there.branches[branch].stage.trials[columns])
        np.testing.assert_allclose(here.branches[branch].oof[0], there.branches[branch].oof[0])
        assert here.pools[branch] == there.pools[branch] and len(here.pools[branch]) == 3
    assert here.baselines == pytest.approx(there.baselines)
    assert here.test == {} and set(here.confusion) == {"GRU", "EfficientNetV2", "late fusion"}
