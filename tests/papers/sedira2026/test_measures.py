"""What the runs measure: accuracies, Table 8's long table, Table 9's ranks, the fusion's behaviour."""

import numpy as np
import pandas as pd

from bearingkit.papers.sedira2026 import measures
from bearingkit.papers.sedira2026.settings import CLASS_NAMES, MODELS

PUBLISHED_T8 = {m: {"OR": [100.0, 80.0, 100.0, 84.0]} for m in MODELS}


def test_table8_long_has_one_line_per_model_set_class_and_split_with_every_run(make_or_runs):
    long = measures.table8_long(make_or_runs(), PUBLISHED_T8)
    assert len(long) == 3 * 2 * 4
    cross = long.query("split == 'cross-load' and model == 'HMM'").iloc[1]
    assert cross["runs"] == [100.0, 50.0] and cross["ours"] == 75.0 and cross["class"] == CLASS_NAMES[1]
    assert cross["paper"] == 80.0


def test_accuracies_per_seed_mean_and_pooled_confusion(make_or_runs):
    runs = make_or_runs()
    assert measures.accuracies(runs["OR", "cross-load"], "HMM") == [100.0, 87.5]
    assert measures.per_seed_mean([runs["OR", "paper"], runs["OR", "cross-load"]], "HMM") == [100.0, 93.75]
    matrix = measures.pooled_confusion(runs["OR", "cross-load"], "HMM")
    assert matrix.sum() == 32 and matrix[1, 2] == 2 and matrix[1, 1] == 6


def test_hybrid_with_one_hot_hmm_posteriors_is_the_hmm_and_corrects_nothing(make_result):
    result = make_result([0, 1, 2, 3, 3, 2], hmm=[0, 1, 2, 3, 1, 1], rbf=[0, 1, 2, 3, 3, 2])
    assert measures.hybrid_vs_hmm([result]) == {"test windows": 6, "hybrid = HMM (%)": 100.0, "HMM errors": 2,
                                                "corrected": 0, "added": 0}
    lock = measures.fusion_lock([result], alpha=0.5)
    assert lock["locked (%)"] == 100.0 and lock["HMM and RBFNN disagree"] == 2
    assert lock["RBFNN wins (% of disagreements)"] == 0.0
    assert measures.hmm_saturation([result])["hybrid = HMM decision (%)"] == 100.0


def test_hybrid_vs_hmm_counts_corrections_when_the_hmm_is_unsure(make_result):
    result = make_result([0, 1], hmm=[1, 1], rbf=[0, 1])
    result.proba["HMM"] = np.array([[0.45, 0.55, 0, 0], [0, 1.0, 0, 0]])
    result.proba["Hybrid"] = 0.5 * result.proba["HMM"] + 0.5 * result.proba["RBFNN"]
    facts = measures.hybrid_vs_hmm([result])
    assert facts["corrected"] == 1 and facts["hybrid = HMM (%)"] == 50.0
    assert measures.fusion_lock([result], alpha=0.5)["locked (%)"] == 50.0


def test_healthy_lowest_share_and_counts_with_interval(make_result):
    result = make_result([0, 1, 2, 3], hmm=[0, 1, 2, 2], rbf=[0, 1, 2, 3])
    result.log_likelihood = np.array([[-50.0, 0, 0, 0], [0, -5.0, 0, 0], [0, 0, -1.0, 0], [0, 0, 0, -9.0]])
    assert measures.own_log_likelihoods([result]).tolist() == [[-50.0, -5.0, -1.0, -9.0]]
    assert measures.healthy_lowest_share([result]) == 100.0
    table = measures.counts_with_interval([result], "HMM")
    assert table.loc[0, ["k", "n"]].tolist() == [3, 4]
    assert table.loc[0, "95 % low"] < 75.0 < table.loc[0, "95 % high"] < 100.0


def test_rank_lowest_first_and_imperfect_classes():
    assert measures.rank_lowest_first([-53129.73, -1154.20, -94.23, -1131.56]).tolist() == [1, 2, 4, 3]
    assert measures.imperfect_classes([100.0, 80.0, np.nan, 84.0]) == [2, 4]


def test_alpha_curve_facts_tell_a_flat_tail_from_a_falling_one():
    flat = pd.Series([80.0, 90.0, 95.0, 95.0, 95.0], index=[0.0, 0.25, 0.5, 0.75, 1.0])
    assert measures.alpha_curve_facts(flat, 0.5) == {"at 0": 80.0, "at alpha": 95.0, "at 1": 95.0,
                                                     "flat from alpha": True}
    falling = pd.Series([50.0, 47.0, 46.96, 44.0, 42.27], index=[0.0, 0.25, 0.5, 0.75, 1.0])
    assert not measures.alpha_curve_facts(falling, 0.5)["flat from alpha"]


def test_alpha_curves_average_the_runs_of_each_view(make_fake_run):
    run = make_fake_run([0, 1], [0, 1])
    other = make_fake_run([0, 1], [0, 1])
    run.alpha_curve = pd.Series([0.5, 1.0], index=[0.0, 1.0])
    other.alpha_curve = pd.Series([1.0, 1.0], index=[0.0, 1.0])
    curves = measures.alpha_curves({("OR", "paper"): [run, other]})
    assert list(curves) == ["OR paper"] and curves["OR paper"].tolist() == [75.0, 100.0]


def test_accuracy_by_load_splits_each_run_by_its_test_loads(make_fake_run):
    run = make_fake_run([0, 1, 2, 3], [0, 1, 0, 0], load=[0.0, 1.0, 1.0, 2.0])
    table = measures.accuracy_by_load([run])
    assert table.set_index("load (HP)")["accuracy"].to_dict() == {0.0: 100.0, 1.0: 50.0, 2.0: 0.0}


def test_reduction_ablation_reports_accuracy_gap_and_time_per_view(make_fake_run):
    y = np.repeat(np.arange(4), 2)
    run = make_fake_run(y, y)
    run.train_accuracy, run.fit_cpu_s = {"Hybrid": 1.0}, {"HMM": 1.0, "RBFNN": 2.0}
    table = measures.reduction_ablation({("OR", "paper"): [run]}, {("OR", "paper"): [run]})
    assert table.loc["OR paper", "fit CPU s, all 46"] == 3.0
    assert table.loc["OR paper", "overfitting gap, Fisher + PCA"] == 0.0


def test_worst_pair_and_where_its_test_windows_go(make_fake_run):
    good = make_fake_run([0, 1, 2], [0, 1, 2], n_classes=3)
    bad = make_fake_run([0, 1, 2], [1, 1, 1], n_classes=3)
    assert measures.worst_pair({("a", "b"): good, ("b", "a"): bad}) == ("b", "a")
    shares = measures.prediction_shares(bad, "Hybrid", labels=["h", "i", "o"])
    assert shares.loc["true h", "as i"] == 100.0 and shares.to_numpy().sum() == 300.0
    assert measures.variant_agreement([bad], "RBFNN") == 100.0
