"""Stage 3: simplex weights, pairs halved over folds, fusion rules x heads, Wilcoxon, the held-out scores."""

import types

import numpy as np
import pandas as pd
import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.evaluation.metrics import macro_f1
from bearingkit.papers.lee2026.data import random_folds
from bearingkit.papers.lee2026.late_fusion import (
    HEADS,
    RULES,
    best_pair,
    best_simplex_weight,
    cv_std_table,
    fusion_scores,
    fusion_summary,
    heatmap_table,
    held_out_scores,
    make_head,
    pair_table,
    rule_inputs,
    wilcoxon,
)


def test_simplex_fusion_of_complementary_branches_beats_either_branch(make_posteriors):
    y = np.repeat(np.arange(4), 50)
    p_rnn, p_cnn = make_posteriors(y, [0, 1], seed=1), make_posteriors(y, [2, 3], seed=2)
    folds = random_folds(y, n_splits=5, seed=0)
    w, score = best_simplex_weight(p_rnn, p_cnn, y, folds)
    alone = [np.mean([macro_f1(y[v], p.argmax(axis=1)[v]) for _, v in folds]) for p in (p_rnn, p_cnn)]
    assert 0 < w < 1 and score > max(alone) + 0.1


def test_stage3_halving_over_folds_scores_the_survivors_on_every_fold(make_posteriors):
    y = np.repeat(np.arange(4), 50)
    p_rnn = [make_posteriors(y, [0, 1], seed=s) for s in (1, 3, 5)]
    p_cnn = [make_posteriors(y, [2, 3], seed=s) for s in (2, 4)] + [make_posteriors(y, [], seed=6)]
    folds = random_folds(y, n_splits=5, seed=0)
    pairs = pair_table(p_rnn, p_cnn, y, folds, eta=3)
    first, last = pairs[pairs["rung"] == 0], pairs[pairs["rung"] == pairs["rung"].max()]
    assert len(first) == 9 and first["folds"].max() < 5 and set(last["folds"]) == {5}
    assert len(last) < len(first)
    best = best_pair(pairs)
    assert best["t"] != 2 and best["folds"] == 5 and 0 < best["w_rnn"] < 1


def test_fusion_scores_cover_every_rule_and_head_and_argmax_only_where_defined(make_posteriors):
    y = np.repeat(np.arange(3), 30)
    p = [make_posteriors(y, [0, 1, 2], n_classes=3, seed=s) for s in range(4)]
    inputs = {"simple average": (p[0] + p[1]) / 2, "weighted average": p[2], "PCA projection": np.hstack(p),
              "concatenation": np.hstack(p)}
    scores = fusion_scores(inputs, y, n_classes=3, folds=5, seeds=[0, 1], trees=20)
    table = heatmap_table(scores)
    assert list(table.index) == list(RULES) and list(table.columns) == list(HEADS)
    assert table.loc["concatenation", "LightGBM"] > 0.95
    assert np.isnan(table.loc["concatenation", "argmax"]) and np.isnan(table.loc["PCA projection", "argmax"])
    assert len(scores.query("rule == 'concatenation' and head == 'LightGBM'")) == 10
    assert len(cv_std_table(scores)) == 2 * (4 * 4 + 2)
    assert fusion_summary(scores).loc[("concatenation", "LightGBM"), ("macro_f1", "mean")] > 0.95


def test_wilcoxon_on_five_pairs_cannot_reach_five_percent():
    cells = (("concatenation", "LightGBM", 0.99), ("simple average", "argmax", 0.9))
    rows = [{"rule": r, "head": h, "seed": 0, "fold": f, "macro_f1": v + 0.01 * f}
            for f in range(5) for r, h, v in cells]
    result = wilcoxon(pd.DataFrame(rows), ("concatenation", "LightGBM"), ("simple average", "argmax"))
    assert result["one_seed"]["p"] == pytest.approx(0.0625)
    assert result["mean_difference"] == pytest.approx(0.09)


def test_an_unknown_head_is_refused_and_argmax_needs_no_model():
    assert make_head("argmax", rule="simple average", n_classes=3, seed=0) is None
    with pytest.raises(UnknownNameError, match="head"):
        make_head("XGBoost", rule="concatenation", n_classes=3, seed=0)


def test_the_held_out_scores_use_the_test_posteriors_and_none_without_a_test_set(make_posteriors):
    y_dev, y_test = np.repeat(np.arange(2), 20), np.repeat(np.arange(2), 6)
    branch = types.SimpleNamespace(oof=[make_posteriors(y_dev, [0, 1], n_classes=2)],
                                   test=[make_posteriors(y_test, [0, 1], n_classes=2)])
    pair = {"k": 0, "t": 0, "w_rnn": 0.5, "w_cnn": 0.5}
    scores = held_out_scores(branch, branch, pair, y_dev, y_test, n_classes=2, seed=0, trees=5)
    assert scores["GRU only"] == scores["weighted average + argmax"] == 1.0
    assert set(scores) == {"GRU only", "EfficientNetV2 only", "weighted average + argmax",
                           "concatenation + LightGBM"}
    assert held_out_scores(branch, branch, pair, y_dev, y_test[:0], n_classes=2, seed=0) == {}
    assert set(rule_inputs(branch, branch, pair)) == set(RULES)
