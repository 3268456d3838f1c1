"""The notebook's tables: the paper's numbers beside ours, one row per run or item."""

import dataclasses

import pandas as pd

from bearingkit.papers.lee2026 import tables
from bearingkit.papers.lee2026.settings import Settings


def test_the_papers_tables_and_the_settings(make_synthetic):
    assert tables.table1().shape == (3, 5) and len(tables.algorithm1()) == 5
    assert list(tables.figure_stand_ins().index) == [f"Fig. {i}" for i in range(1, 7)]
    assert tables.settings_table(Settings(), "full").loc["gru_pool", "full"] == 77
    overview = tables.dataset_overview({"cwru": make_synthetic(n_per_class=5)})
    assert overview.loc["cwru", "windows"] == 10 and overview.loc["cwru", "outer"] == 5


def test_fig7a_sets_the_chosen_candidates_components_beside_the_papers(run_result):
    table = tables.fig7a_table(run_result)
    assert list(table.index) == ["fisher", "mahalanobis", "bhattacharyya", "silhouette", "kl_divergence",
                                 "css"]
    assert table.loc["css", "paper"] == 86.0
    assert table["ours"].between(0, 100).all() and table["ours, CNN branch"].between(0, 100).all()
    assert (table["difference"] == table["ours"] - table["paper"]).all()


def test_stage_tables_of_the_main_run(run_result):
    halving = tables.halving_summary(run_result)
    assert halving.loc["gru", "candidates"].is_monotonic_decreasing
    lines = tables.halving_choice_lines(run_result)
    assert len(lines) == 2 and lines[0].startswith(f"GRU: halving chose candidate {run_result.chosen['gru']}")
    assert tables.importance_table(run_result).loc["dropout", "gru"] == 0.6
    assert tables.baselines_table(run_result).columns == ["OOF macro-F1, CWRU, paper"]
    assert tables.best_pair_table(run_result).loc["folds"].iloc[0] == 3


def test_every_run_gets_a_row_or_column(run_result, unconverged_result):
    held_out = dataclasses.replace(unconverged_result, split="held-out load")
    runs = {("cwru", "paper"): run_result, ("cwru", "held-out load"): held_out}
    convergence = tables.convergence_table(runs)
    assert list(convergence["converged"]) == [True, False]
    assert tables.convergence_lines(runs)[0] == "CWRU, paper: converged"
    assert tables.convergence_table({}).empty
    fig10 = tables.fig10_table(runs)
    assert fig10.loc["concatenation + LightGBM", "paper (MAFAULDA)"] == 0.9985 and fig10.shape == (4, 3)
    stds = tables.cv_std_runs(runs)
    assert set(stds["run"]) == {"CWRU, paper", "CWRU, held-out load"}
    assert "concatenation" in tables.fig11_medians(stds).columns
    wilcoxon = tables.wilcoxon_table(runs)
    assert len(wilcoxon) == 4 and "significant at 0.05 (15 pairs, optimistic)" in wilcoxon
    assert tables.held_out_table(runs).empty
    timings = tables.timings_table(runs, {("cwru", "paper"): 5.0, ("cwru", "held-out load"): 6.0})
    assert list(timings["trials GRU / CNN"]) == ["3 / 3"] * 2
    assert list(timings["wall, every piece (s)"]) == [5, 6]
    assert isinstance(timings, pd.DataFrame)


def test_the_reference_sits_beside_the_branches_and_a_shortfall_is_named(run_result):
    table = tables.reference_table({("cwru", "paper"): run_result})
    assert table.loc["CWRU, paper", "46 features + SVM F_CV"] == run_result.reference["F_CV"]
    assert table.loc["CWRU, paper", "GRU best F_CV"] == 0.9 and "fused, held-out" not in table
    assert tables.reference_lines({("cwru", "paper"): run_result}, margin=1.0) == []
    behind = dataclasses.replace(run_result, reference={"F_CV": 1.0, "held-out": 0.5})
    lines = tables.reference_lines({("cwru", "paper"): behind}, margin=0.05)
    assert len(lines) == 1 and "0.900, 0.100 below 46 features + SVM" in lines[0]
    table = tables.reference_table({("cwru", "paper"): behind})
    assert table.loc["CWRU, paper", "46 features + SVM, held-out"] == 0.5
