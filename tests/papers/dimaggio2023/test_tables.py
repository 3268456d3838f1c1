"""The tables of notebook 01: the paper's numbers beside ours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.papers.dimaggio2023 import tables
from bearingkit.papers.dimaggio2023.settings import settings_for

SIM = ("simulated", "paper")


def test_table1_is_counted_from_the_built_model():
    pytest.importorskip("keras")
    table = tables.table1()
    assert table["paper (Table 1)"].iloc[0] == "Convolution | 3x3x1, 64 | ReLU"
    assert tables.table1_counts(table) == {"counted": 72_141_184, "stated": 62_000_000}


def test_table2_and_the_matlab_differences_follow_the_settings():
    table = tables.table2(settings_for("quick"))
    assert table.loc["max epochs", "ours"] == "4 paper epochs = 216 updates"
    assert table.loc["learning-rate drop period (epochs)", "ours"] == "2 paper epochs = every 108 updates"
    differences = tables.matlab_vs_keras(settings_for("quick"))
    assert "54 either way for 1,728" in differences.loc["mini-batches per epoch", "ours (Keras 3)"]
    assert differences.loc["L2 factor", "ours (Keras 3)"].startswith("L2(5e-07)")


def test_tables_4_and_5_set_the_simulated_rig_beside_the_paper():
    table4 = tables.table4()
    assert table4.loc["speeds_rpm", "paper"] == table4.loc["speeds_rpm", "ours (SIMULATED)"].replace(".0", "")
    quick, full = tables.table5(settings_for("quick"), "quick"), tables.table5(settings_for("full"), "full")
    assert quick.loc["duration_s", "ours (SIMULATED)"] == "6.4 (quick profile)"
    assert full.loc["duration_s", "ours (SIMULATED)"] == "30.0"
    assert full.loc["chunk_samples", "ours (SIMULATED)"] == quick.loc["chunk_samples", "paper"] == "32768.0"


def test_split_counts_and_table6_count_each_class_in_each_set():
    labels = np.repeat(["normal", "inner", "outer"], 10)
    splits = {"paper": (np.arange(0, 30, 2), np.array([1, 11]), np.array([3, 13, 23]))}
    counts = tables.split_counts(labels, splits)
    assert counts["paper"].tolist() == [5, 5, 5, 1, 1, 0, 1, 1, 1]
    assert list(counts.index[0]) == ["train", "Normal"]
    table6 = tables.table6(labels, splits)
    assert table6["Table 6 (paper)"].tolist() == [576] * 3 + [72] * 6


def test_table7_means_runs_and_sets_the_papers_test_beside_ours(runs):
    per_split = tables.table7(runs[SIM])
    assert per_split.loc[("paper", "YAMNet transfer"), "test"] == 51.0
    table = tables.table7_vs_paper(runs)
    yamnet = table.loc[("simulated", "paper", "YAMNet transfer")]
    assert yamnet["paper test"] == 91.2 and yamnet["test - paper"] == pytest.approx(51.0 - 91.2)
    assert yamnet["n test"] == 48 and yamnet["test SE"] == pytest.approx(100 * np.sqrt(0.51 * 0.49 / 48))
    assert np.isnan(table.loc[("CWRU", "paper", "VGG16 (random init)"), "paper test"])
    assert "hardware" not in tables.paper_table7() and tables.paper_table7().loc["VGG16", "test"] == 69.44


def test_per_run_tables_give_each_seed_and_schedule(runs):
    table7, per_run = tables.split_tables(runs[SIM])
    assert table7.equals(tables.table7(runs[SIM]))
    assert per_run.loc[("YAMNet transfer", 2), "test"] == 52.0 and per_run["updates"].iloc[0] == 216
    every = tables.per_run_tables(runs)
    assert len(every) == 4 * 5 and set(every["dataset"]) == {"simulated", "CWRU"}
    assert str(every["seed"].dtype) == "Int64" and every["seed"].isna().sum() == 4 * 2


def test_sensitivity_table_compares_the_physics_now_and_before(runs, make_result):
    before = {key: [make_result("YAMNet transfer", 70.0, split=key[1]),
                    make_result("YAMNet transfer: linear probe", 72.0, split=key[1]),
                    make_result("46 features + logistic regression", 80.0, split=key[1])]
              for key in (("simulated", "paper"), ("simulated", "held-out speeds"))}
    now = {key: [*value, make_result("YAMNet transfer: plateau", 60.0, split=key[1])]
           for key, value in runs.items()}                # a method the rerun leaves out
    table = tables.sensitivity_table(now, before)
    assert ("paper", "YAMNet transfer: plateau") not in table.index
    assert list(table.index.get_level_values("split").unique()) == ["paper", "held-out speeds"]
    row = table.loc[("paper", "YAMNet transfer")]
    assert row["test, now"] == 51.0 and row["test, before issue 19"] == 70.0 and row["change"] == -19.0
    assert list(row["per run, now"]) == [50.0, 52.0]
    assert ("paper", "VGG16 (random init)") not in table.index


def test_table8_and_confusions_come_from_the_test_predictions(runs):
    table8 = tables.table8(runs[SIM])
    yamnet = table8.loc[("YAMNet transfer", "Normal")]
    assert yamnet["paper precision"] == 100.0 and yamnet["paper recall"] == 73.6
    assert np.isnan(table8.loc[("46 features + logistic regression", "IR"), "paper recall"])
    confusions = tables.confusions(runs[SIM])
    assert list(confusions)[:2] == ["YAMNet transfer", "YAMNet transfer: linear probe"]
    assert isinstance(confusions["YAMNet transfer"], np.ndarray) and confusions["YAMNet transfer"].sum() == 48


def test_split_counts_refuse_unknown_labels():
    with pytest.raises(ValueError, match="not among"):
        tables.split_counts(np.array(["ball"]), {"paper": ([0], [], [])})
    assert isinstance(tables.split_counts(np.array(["normal"]), {"p": ([0], [], [])}), pd.DataFrame)
