"""The ablations compare like with like: the same views and seeds on both sides."""

import numpy as np
import pandas as pd

from bearingkit.papers.sedira2026 import ablations
from bearingkit.papers.sedira2026.settings import Settings


def test_ablation_views_are_the_paper_and_block_views_of_every_set():
    views = {n: {"paper": f"{n}-p", "contiguous-block": f"{n}-b", "cross-load": f"{n}-c"}
             for n in ("OR", "IR")}
    assert ablations.ablation_views(views) == {("OR", "paper"): "OR-p", ("OR", "contiguous-block"): "OR-b",
                                               ("IR", "paper"): "IR-p", ("IR", "contiguous-block"): "IR-b"}


def test_state_ablation_puts_the_runs_hmm_beside_one_state_on_the_same_seeds(monkeypatch, make_fake_run):
    seen = {}

    def fake_hmm_accuracies(views, seeds, settings, *, n_jobs):
        seen["states"], seen["seeds"] = settings.n_states, list(seeds)
        return {key: [80.0] * len(seeds) for key in views}

    monkeypatch.setattr(ablations, "hmm_accuracies", fake_hmm_accuracies)
    y = np.repeat(np.arange(4), 2)
    right, wrong = make_fake_run(y, y), make_fake_run(y, np.zeros_like(y))
    views = {"OR": {"paper": None, "contiguous-block": None}}
    runs = {("OR", "paper"): [right, right, wrong], ("OR", "contiguous-block"): [wrong, wrong, wrong]}
    table = ablations.state_ablation(views, runs, [7, 8], Settings())
    assert seen == {"states": 1, "seeds": [7, 8]}
    assert table["difference (pp)"].tolist() == [20.0, -55.0]                # only the first 2 runs count
    assert list(table.columns[2:4]) == ["HMM, 4 states", "HMM, 1 state (Gaussian)"]


def test_all_features_ablation_runs_the_same_views_and_seeds_without_reduction(monkeypatch, make_fake_run):
    y = np.repeat(np.arange(4), 2)
    run = make_fake_run(y, y)
    run.train_accuracy, run.fit_cpu_s = {"Hybrid": 1.0}, {"HMM": 1.0, "RBFNN": 1.0}
    seen = {}

    def fake_run_views(views, seeds, settings, *, n_jobs):
        seen["reduction"], seen["keys"] = settings.reduction, list(views)
        return {key: [run] * len(seeds) for key in views}

    monkeypatch.setattr(ablations, "run_views", fake_run_views)
    views = {"OR": {"paper": None, "contiguous-block": None}}
    runs = {key: [run, run] for key in (("OR", "paper"), ("OR", "contiguous-block"))}
    table = ablations.all_features_ablation(views, runs, [1], Settings())
    assert seen == {"reduction": "none", "keys": [("OR", "paper"), ("OR", "contiguous-block")]}
    assert list(table.index) == ["OR paper", "OR contiguous-block"]


def test_held_out_size_ablation_runs_one_split_per_size(monkeypatch, make_fake_run):
    y = np.repeat(np.arange(4), 2)
    seen = {}

    def fake_run_view(view, seeds, settings, *, n_jobs):
        seen["seeds"] = list(seeds)
        return [make_fake_run(y, y), make_fake_run(y, np.zeros_like(y)), make_fake_run(y, y)]

    monkeypatch.setattr(ablations, "held_out_size_view", lambda block_views: "held")
    monkeypatch.setattr(ablations, "run_view", fake_run_view)
    table = ablations.held_out_size_ablation({}, Settings())
    assert seen["seeds"] == [0, 1, 2] and table["Hybrid"].tolist() == [100.0, 25.0, 100.0]
    assert table["held-out size (in)"].tolist() == [0.007, 0.014, 0.021]
    assert isinstance(table, pd.DataFrame)
