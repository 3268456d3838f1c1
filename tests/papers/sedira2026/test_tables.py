"""The tables notebook 03 shows, built from small runs and rows."""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from bearingkit.errors import UnknownNameError
from bearingkit.papers.sedira2026 import tables
from bearingkit.papers.sedira2026.measures import table8_long
from bearingkit.papers.sedira2026.rows import table4_rows, table12_rows
from bearingkit.papers.sedira2026.settings import CLASS_NAMES, HYBRID_VARIANTS, MODELS, Settings
from bearingkit.papers.sedira2026.signals import defect_frequencies_hz
from bearingkit.papers.sedira2026.views import View

PUBLISHED_T8 = {m: {"OR": [100.0, 80.0, 100.0, 84.0]} for m in MODELS}


def test_table8_pivot_puts_ours_per_split_beside_the_published_value(make_or_runs):
    pivot = tables.table8_pivot(table8_long(make_or_runs(), PUBLISHED_T8))
    assert list(pivot.columns.get_level_values(0).unique()) == list(MODELS)
    assert list(pivot["HMM"].columns) == ["paper", "cross-load", "published"]
    line = pivot.loc[("OR", CLASS_NAMES[1])]
    assert line["HMM", "paper"] == 100.0 and line["HMM", "cross-load"] == 75.0
    assert line["HMM", "published"] == 80.0
    assert tables.table8_difference(pivot).loc[("OR", CLASS_NAMES[1]), "HMM"] == 20.0


def _table12_rows(make_fake_run):
    y = np.repeat(np.arange(4), 2)
    right, wrong = make_fake_run(y, y), make_fake_run(y, np.zeros_like(y))
    within = {"N15": [right, right]}
    cross = {("N15", "N09"): wrong}
    cwru = {("OR", "paper"): [right, wrong], ("OR", "cross-load"): [wrong, wrong],
            ("OR", "contiguous-block"): [right, right]}
    published = {m: {"CWRU": 99.0, "Paderborn": 99.0, "Axial": 100.0} for m in MODELS}
    return table12_rows(cwru, within, cross, {"OR": [right, right]}, published)


def test_rows_table_lays_out_ours_per_split_and_the_difference_on_real_rows(make_fake_run):
    rows = _table12_rows(make_fake_run)
    table = tables.rows_table(rows, item="Table 12")
    assert table.loc[("CWRU", "overall accuracy, Hybrid"), "ours − published"] == pytest.approx(62.5 - 99.0)
    assert np.isnan(table.loc[("axial rig", "overall accuracy, Hybrid"), "ours − published"])
    assert table.loc[("Paderborn", "overall accuracy, Hybrid"), "status (cross-condition)"] == "differs"
    assert table.loc[("CWRU", "overall accuracy, HMM"), "n (paper)"] == 2
    only_hmm = tables.rows_table(rows, item="Table 12", prefix="overall accuracy, HMM")
    assert set(only_hmm.index.get_level_values("quantity")) == {"overall accuracy, HMM"}
    with pytest.raises(UnknownNameError, match="Table 12"):
        tables.rows_table(rows, item="Table 99")
    ours = tables.table13([{"reference": "[1]", "method": "x", "description": "y", "accuracy": "99"}], table)
    assert ours["reference"].tolist() == ["[1]"] + ["this notebook"] * 3
    assert ours["accuracy"].tolist()[1:] == ["62.50", "100.00", "25.00"]
    counts = tables.status_counts(rows)
    assert int(counts.to_numpy().sum()) == len(rows) and "not comparable" in counts.columns


def test_table4_adds_the_relative_difference():
    published = {"rpm": 1796, "shaft": 29.93, "inner": 151, "outer": 119, "ball": 126}
    table = tables.table4(table4_rows(defect_frequencies_hz(rpm=1796), published))
    outer = table.loc[("CWRU", "outer frequency")]
    assert outer["relative difference %"] == pytest.approx(100 * (outer["ours (paper)"] - 119) / 119)


def test_the_static_tables_of_the_paper():
    printed = {"n_elements": 9, "ball_diameter": "312.6 mm", "pitch_diameter": "1537 mm",
               "contact_angle_deg": 0}
    table1 = tables.table1(printed)
    assert table1.loc["ball diameter d", "paper (as printed)"] == "312.6 mm"
    assert table1.loc["ball diameter d", "in mm"] == "7.94 mm"
    assert tables.table2()["class"].tolist() == [1, 2, 3, 4]
    assert tables.table5()["count"].tolist() == [9, 5, 32]
    assert list(tables.not_regenerated().index) == ["Fig. 1", "Fig. 9", "Fig. 11"]


def test_table3_places_each_record_in_its_class_and_set(make_recording):
    recs = [dataclasses.replace(make_recording(label, size, source=source), rpm=1797.0)
            for label, size, source in (("normal", 0.0, "x/97.mat"), ("outer", 0.014, "x/O14.mat"))]
    table = tables.table3({"OR": recs})
    assert table.loc[CLASS_NAMES[0], "OR"] == "97.mat (12 kHz, 1797 rpm)"
    assert table.loc[CLASS_NAMES[2], "OR"].startswith("O14.mat") and pd.isna(table.loc[CLASS_NAMES[1], "OR"])


def test_feature_examples_show_the_first_window_of_each_record(make_recording):
    rec = dataclasses.replace(make_recording("normal", 0.0), rpm=1797.0, extra={"variable": "X097_DE_time"})
    table = tables.feature_examples([rec], window=4096)
    assert table.shape == (1, 14) and table.index[0] == "X097_DE_time (class 1, 1797 rpm)"


def test_implied_test_counts_find_the_counts_behind_the_published_accuracies():
    t7 = {"HMM": {"IR": 98.66, "Ball": 95.33}}
    t8 = {"HMM": {"IR": [100.0, 100.0, 100.0, 94.7], "Ball": [100.0, 100.0, 86.8, 94.7]}}
    counts = tables.implied_test_counts(t7, t8)
    assert counts["k of 150"].tolist()[:2] == ["148/150", "143/150"]
    assert counts["k of 152"].tolist()[:2] == ["none", "none"]
    assert counts["k of 38"].tolist()[2:] == ["36/38", "33/38", "36/38"]


def test_counts_table_gives_the_first_seed_and_the_mean(make_or_runs):
    table = tables.counts_table(make_or_runs())
    line = table.loc[("OR", "cross-load", "HMM")]
    assert line["k/n (first seed)"] == "16/16" and line["mean over seeds"] == pytest.approx(93.75)
    assert line["seeds"] == 2


def test_by_load_table_leaves_the_healthy_0hp_windows_out(make_fake_run):
    run = make_fake_run([0, 1, 2, 3], [0, 1, 0, 3], load=[0.0, 1.0, 1.0, 2.0])
    table = tables.by_load_table({"OR": [run, run]})
    assert list(table.index) == [("OR", 1.0), ("OR", 2.0)]
    assert table.loc[("OR", 1.0), "mean"] == 50.0 and table.loc[("OR", 1.0), "count"] == 2


def test_versus_hmm_sensitivity_and_stacking_tables(make_result):
    run = make_result([0, 1, 2, 3], hmm=[0, 1, 2, 2], rbf=[0, 1, 2, 3])
    run.temperature = 12.0
    for v in HYBRID_VARIANTS:
        run.proba[v] = run.proba["RBFNN"]
    runs = {("OR", "paper"): [run, run]}
    versus = tables.versus_hmm_table(runs)
    assert versus.loc[("OR", "paper"), "HMM errors"] == 2 and "hybrid = HMM decision (%)" not in versus
    sensitivity = tables.sensitivity_table(runs)
    line = sensitivity.loc[("OR", "paper")]
    assert line["log-likelihoods scaled to [0, 1]"] == 100.0 and line["Hybrid (Eq. 33 as printed)"] == 75.0
    assert line["= HMM (%), softmax at temperature T"] == 75.0 and line["T (nats, median over seeds)"] == 12.0
    stacking = tables.stacking_table(runs, {("OR", "paper"): [90.0]})
    assert stacking.loc[0, "stacked spread"] == "n = 1, no spread"
    assert stacking.loc[0, "weighted (α=0.5)"] == 75.0
    assert tables.stacking_table(runs, {("OR", "paper"): [90.0, 92.0]}).loc[0, "stacked spread"] == "± 1.41"


def test_alpha_facts_table9_and_cross_condition_tables(make_fake_run):
    curve = pd.Series([80.0, 95.0, 95.0], index=[0.0, 0.5, 1.0])
    assert tables.alpha_facts({"OR paper": curve}, 0.5).loc["OR paper", "flat from alpha"]
    y = np.array([0, 1, 2, 3])
    run = make_fake_run(y, y, log_likelihood=np.diag([-50.0, -10.0, -1.0, -20.0]))
    table9 = tables.table9({"OR": [run]}, {"OR": [-5.0, -4.0, -3.0, -2.0]})
    assert table9[("OR", "ours")].tolist() == [-50.0, -10.0, -1.0, -20.0]
    assert table9[("OR", "paper")].tolist() == [-5.0, -4.0, -3.0, -2.0]
    cross = tables.cross_condition_table({("a", "b"): run})
    assert cross.loc["a → b", "HMM"] == 100.0


def test_levels_flat_and_the_worst_pair_tables():
    levels = pd.DataFrame({("median RMS", "normal"): [1.23456], ("mean", "normal"): [0.1]}, index=["N09"])
    levels.columns = pd.MultiIndex.from_tuples(levels.columns)
    assert tables.levels_flat(levels) == [{"condition": "N09", "median RMS, normal": 1.2346,
                                           "mean, normal": 0.1}]


def test_worst_pair_tables_and_summary(make_fake_run):
    y = np.array([0, 1, 2])
    F = np.ones((3, 46))
    F[:, 3] = [1.0, 2.0, 4.0]                                                  # "rms" is the fourth feature
    train = View(None, y, F, lambda s: (None, None))
    test = View(None, y, 2 * F, lambda s: (None, None))
    run = make_fake_run(y, [0, 0, 0], n_classes=3)
    shares, shift = tables.worst_pair_tables({"a": train, "b": test}, ("a", "b"), run)
    assert shift["rms"].tolist() == [2.0, 2.0, 2.0] and shift["kurtosis"].tolist() == [2.0, 2.0, 2.0]
    assert shares.iloc[1, 0] == 100.0
    summary = tables.worst_pair_summary(("a", "b"), run, shares, shift)
    assert summary["pair"] == ["a", "b"] and (summary["k"], summary["n"]) == (1, 3)


def test_pca_summary_kept_features_and_redundancy_table():
    scores = pd.Series([0.1, 0.5, 2.0, 3.0], index=["d", "c", "b", "a"])
    variance = pd.DataFrame({"retained": [True, False], "cumulative": [0.91234567, 1.0]})
    summary = tables.pca_summary({"OR": (scores, variance)}, k_features=2)
    assert summary == {"OR": {"kept_features": ["a", "b"], "n_components": 1, "cumulative": [0.9123, 1.0]}}
    assert tables.kept_features(summary)["OR"].tolist() == ["a", "b"]
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 30)
    F = np.hstack([rng.standard_normal((60, 46)) + y[:, None], np.zeros((60, 46))])
    view = View(SimpleNamespace(), y, F, lambda s: (np.arange(60), np.arange(0)))
    table = tables.redundancy_table({"OR": view}, seed=0, settings=Settings())
    assert list(table.index) == ["OR"] and table.loc["OR", "pairs"] == 45 and "selected" not in table
