"""Notebook 01 (Di Maggio 2023) runs end to end in the quick profile and reports what it could and could not
reproduce."""

import pandas as pd
import pytest

from bearingkit import paths
from bearingkit.papers import dimaggio2023 as dm

pytestmark = [pytest.mark.notebook, pytest.mark.timeout(900)]  # quick profile: about 5 min on 2 cores

STEM = dm.NOTEBOOK


@pytest.fixture(scope="module")
def run(run_notebook):
    return run_notebook(STEM)


@pytest.fixture(scope="module")
def rows(run):
    return pd.DataFrame(run.results["rows"])


def test_runs_clean_in_the_quick_profile_and_shows_every_figure_it_wrote(run):
    meta = run.results["meta"]
    assert meta["profile"] == "quick" and meta["seed"] == 0
    assert run.error_outputs == 0
    assert run.images == len(meta["figures"])
    for name in ("fig07_normalised_signals", "fig08_mel_spectrograms", "fig09_embeddings", "fig10_loss",
                 "fig11_confusion"):
        assert name in meta["figures"]
        assert (paths.FIGURES_DIR / STEM / f"{name}.png").stat().st_size > 5_000, name
    assert {"runtime_s", "seed", "figures"} <= set(meta)


def test_table1_is_counted_from_the_built_model(run):
    assert run.results["details"]["table1"] == {"counted": 72_141_184, "stated": 62_000_000}


def test_unreachable_weights_give_not_run_rows_never_numbers(run, rows):
    not_run = run.results["details"]["not_run"]
    for method in ("VGGish transfer", "VGG16 (ImageNet)"):
        mine = rows[rows["quantity"].str.endswith(method) | rows["quantity"].str.contains(f"{method},",
                                                                                          regex=False)]
        assert len(mine) == 9 * 4, method          # 3 accuracies + 6 precision/recall, 2 data sets x 2 splits
        if method in not_run:
            assert (mine["status"] == "not run").all() and mine["ours_mean"].isna().all()
            assert mine["reason"].str.contains("unreachable|off").all()
        else:
            assert mine["ours_mean"].notna().all()


def test_yamnet_and_vgg16_random_rows_have_one_value_per_run_on_every_split(rows):
    n_runs = dm.PROFILES["quick"]["n_runs"]
    for method in ("YAMNet transfer", "VGG16 (random init)"):
        acc = rows[rows["quantity"] == f"test accuracy, {method}"]
        assert set(zip(acc["dataset"], acc["split"], strict=True)) == {
            ("PoliTo rig (SIMULATED)", "paper"), ("PoliTo rig (SIMULATED)", "held-out speeds"),
            ("CWRU", "paper"), ("CWRU", "held-out fault size")}
        assert (acc["n"] == n_runs).all() and acc["ours_mean"].notna().all()
    simulated = rows[rows["dataset"] == "PoliTo rig (SIMULATED)"]
    assert (simulated["data_kind"] == "simulated").all()


def test_from_scratch_runs_where_the_quick_profile_says_and_nowhere_else(rows):
    scratch = rows[rows["quantity"] == "test accuracy, VGGish from scratch"].set_index(["dataset", "split"])
    assert scratch.loc[("PoliTo rig (SIMULATED)", "paper"), "n"] == 1
    assert scratch.loc[("CWRU", "paper"), "status"] == "not run"


def test_baseline_and_verdict_are_reported_on_every_split(run):
    details = run.results["details"]
    table7 = pd.DataFrame(details["table7"])
    baseline = table7[table7["method"] == dm.METHODS[-1]].set_index(["data set", "split"])["test"]
    assert len(baseline) == 4
    assert baseline["simulated", "paper"] > 70 and baseline["CWRU", "paper"] > 90
    # a fault size never trained on is a harder test than chunks of the records trained on
    assert baseline["CWRU", "held-out fault size"] < baseline["CWRU", "paper"] - 20
    assert len(details["verdict"]) >= 6
    assert details["resampler_difference"]["max"] > 0
