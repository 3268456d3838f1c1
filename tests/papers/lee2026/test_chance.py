"""Each model of a run beside chance: its macro-F1, a bootstrap interval and its own chance level."""

import dataclasses

import numpy as np

from bearingkit.papers.lee2026 import tables
from bearingkit.papers.lee2026.chance import MODELS, chance_rows
from bearingkit.papers.lee2026.data import random_folds


def test_a_model_that_learnt_clears_chance_and_a_coin_toss_does_not(run_result, make_posteriors):
    rows = {row["model"]: row for row in run_result.chance}
    assert list(rows) == list(MODELS) and {r["scored on"] for r in rows.values()} == {"out of fold (F_CV)"}
    assert rows["GRU"]["macro-F1"] == 1.0 and rows["GRU"]["above chance"]
    assert all(r["low"] <= r["macro-F1"] <= r["high"] for r in rows.values())
    coin = {**run_result.branches, "gru": dataclasses.replace(run_result.branches["gru"], oof=[
        make_posteriors(run_result.y_dev, [], n_classes=2, seed=7)] * 2)}
    tossed = {r["model"]: r for r in chance_rows(coin, run_result.best_pair, run_result.y_dev, [],
                                                 random_folds(run_result.y_dev, n_splits=3, seed=0), seed=0)}
    assert not tossed["GRU"]["above chance"] and 0.3 < tossed["GRU"]["chance"] < 0.7


def test_a_held_out_set_is_scored_and_the_tables_name_what_is_not_above_chance(run_result, make_posteriors):
    y_test = np.repeat([0, 1], 15)
    branches = {name: dataclasses.replace(branch, test=[make_posteriors(y_test, good, n_classes=2)] * 2)
                for (name, branch), good in zip(run_result.branches.items(), ([0, 1], []), strict=True)}
    rows = chance_rows(branches, run_result.best_pair, run_result.y_dev, y_test,
                       random_folds(run_result.y_dev, n_splits=3, seed=0), seed=0)
    held_out = {r["model"]: r for r in rows if r["scored on"] == "held-out test"}
    assert held_out["GRU"]["above chance"] and not held_out["EfficientNetV2"]["above chance"]
    run = dataclasses.replace(run_result, chance=rows, split="held-out load")
    table = tables.chance_table({("cwru", "held-out load"): run})
    assert table.shape == (6, 5)
    assert table.loc[("CWRU, held-out load", "GRU", "held-out test"), "above chance"]
    lines = tables.chance_lines({("cwru", "held-out load"): run})
    assert any(line.startswith("CWRU, held-out load, EfficientNetV2, held-out test:") for line in lines)
    assert all(line.endswith("not above chance") for line in lines)
    assert tables.chance_table({}).empty
