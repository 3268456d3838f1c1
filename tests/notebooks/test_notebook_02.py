"""Notebook 02 (Lee, Park & Kook 2026): every stage and run end to end (smoke profile), reported honestly."""

import dataclasses

import pandas as pd
import pytest

from bearingkit import paths
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026.settings import settings_for
from bearingkit.report import results

# smoke profile (tests/conftest.py: TEST_PROFILES): a few minutes, more beside the other notebooks
pytestmark = [pytest.mark.notebook, pytest.mark.timeout(1800)]

STEM = "02_lee2026_hybrid_cnn_rnn_hpo"
SPLITS = {"CWRU": ("paper", "held-out load"), "Paderborn": ("paper", "held-out condition")}


@pytest.fixture(scope="module")
def run(run_notebook):
    # the session's History DB (tests/conftest.py), shared with the site's tests: one run of the notebook
    return run_notebook(STEM)


@pytest.fixture(scope="module")
def rows(run):
    return pd.DataFrame([results.check_row(r) for r in run.results["rows"]])


def test_every_figure_written_is_shown_and_no_cell_failed(run):
    figures = run.results["meta"]["figures"]
    assert run.error_outputs == 0
    assert run.images == len(figures) >= 8
    for name in figures:
        assert (paths.FIGURES_DIR / STEM / f"{name}.png").stat().st_size > 5_000, name


def test_the_run_used_the_smoke_profiles_settings_for_every_data_set(run):
    details = run.results["details"]
    assert run.results["meta"]["profile"] == "smoke"
    assert details["settings"] == results.to_jsonable(dataclasses.asdict(settings_for("smoke")))
    assert details["datasets"] == ["cwru", "paderborn"]


def test_fig7a_rows_carry_the_published_values_beside_ours(rows):
    fig7a = rows[rows["item"] == "Fig. 7a"]
    assert len(fig7a) == 12
    css = fig7a[fig7a["quantity"].str.startswith("css, chosen GRU")].iloc[0]
    assert css["paper_value"] == 86.0 and 0 <= css["ours_mean"] <= 100


def test_fig8b_importance_is_computed_on_both_branches_or_says_why_not(run, rows):
    fig8b = rows[rows["item"] == "Fig. 8b"]
    assert len(fig8b) == 4, fig8b[["quantity", "reason"]]
    missing = fig8b[fig8b["ours_mean"].isna()]
    assert missing["reason"].str.startswith("fANOVA needs at least 3 complete trials").all()
    assert set(run.results["details"]["fig8b"]) == {"gru", "cnn"}


def test_every_run_reports_its_convergence_check_and_a_run_that_moved_is_labelled(run, rows):
    convergence = run.results["details"]["convergence"]
    assert len(convergence) == 4
    for key, check in convergence.items():
        dataset, split = key.split("|")
        moved = max((abs(v) for v in check["change"].values() if v is not None), default=float("inf"))
        assert check["converged"] == (moved <= check["tolerance"] + 1e-12), key
        name = {"cwru": "CWRU", "paderborn": "Paderborn"}[dataset]
        here = rows[(rows["dataset"] == name) & (rows["split"] == split)
                    & rows["item"].isin(["Fig. 10", "Fig. 11"])]
        if not check["converged"]:
            assert set(here["status"]) == {"not comparable"}
            assert here["reason"].str.startswith("not converged").all()


def test_mafaulda_is_not_run_and_says_why(rows):
    mafaulda = rows[rows["dataset"] == "MAFAULDA"]
    assert len(mafaulda) == 4 and set(mafaulda["status"]) == {"not run"}
    assert mafaulda["reason"].str.contains("mirror").all()


def test_fig10_and_fig11_are_reported_on_both_data_sets_and_splits(run, rows):
    assert run.results["details"]["unfinished"] == {}
    for dataset, splits in SPLITS.items():
        for split in splits:
            here = rows[(rows["dataset"] == dataset) & (rows["split"] == split)]
            fig10, fig11 = here[here["item"] == "Fig. 10"], here[here["item"] == "Fig. 11"]
            assert len(fig10) == (5 if split != "paper" else 4) and fig10["ours_mean"].notna().all()
            assert len(fig11) == 1 and 0 <= fig11["ours_mean"].iloc[0] < 0.5


def test_the_held_out_splits_have_a_test_score_and_the_paper_split_none(run):
    held_out = run.results["details"]["held_out_test"]
    for key in ("cwru|held-out load", "paderborn|held-out condition"):
        assert set(held_out[key]) == {"GRU only", "EfficientNetV2 only", "weighted average + argmax",
                                      "concatenation + LightGBM"}
    assert held_out["cwru|paper"] == {} and held_out["paderborn|paper"] == {}


def test_argmax_is_undefined_for_concatenation_and_five_pairs_cannot_be_significant(run):
    fig10 = run.results["details"]["fig10"]["cwru|paper"]
    assert fig10["argmax"]["concatenation"] is None and fig10["LightGBM"]["concatenation"] is not None
    for tests in run.results["details"]["wilcoxon"].values():
        assert len(tests) == 2
        for test in tests.values():
            assert test["one_seed"]["n"] == 5 and test["one_seed"]["p"] >= 0.0625 - 1e-9
            assert test["all_pairs"]["n"] == 15


def test_stages_use_their_budget_axes(run):
    details = run.results["details"]
    for key, rungs in details["stage1_halving"].items():
        table = pd.DataFrame(rungs)
        assert table.groupby("rung")["segments"].max().is_monotonic_increasing, key
        assert table.groupby("rung")["candidate"].size().is_monotonic_decreasing, key
    pairs = pd.DataFrame(details["stage3_pairs"]["cwru|paper"])
    assert pairs["folds"].max() == details["settings"]["folds"]


def test_every_stage_lives_in_one_history_db_of_its_own(run):
    details = run.results["details"]
    assert not details["history_db"].endswith("history_quick_seed0.db")
    studies = details["history_studies"]
    for dataset, splits in SPLITS.items():
        for split in splits:
            for branch in ("gru", "cnn"):
                assert f"{dataset}/{split}/seed0/stage2/{branch}" in studies
    assert run.results["meta"]["runtime_s"] > 0


def test_a_piece_out_of_time_reports_unfinished_rows_and_no_numbers(run_notebook, tmp_path_factory):
    target = results.results_path(STEM)
    complete = target.read_bytes() if target.exists() else None    # a full run's results, restored afterwards
    try:
        piece = run_notebook(STEM, history_url=sqlite_url(tmp_path_factory.mktemp("piece") / "history.db"),
                             piece_seconds=0)
    finally:
        if complete is not None:
            target.write_bytes(complete)
    assert piece.error_outputs == 0
    unfinished = piece.results["details"]["unfinished"]
    assert len(unfinished) == 4
    assert all(reason.startswith("unfinished: rerun to continue") for reason in unfinished.values())
    table = pd.DataFrame([results.check_row(r) for r in piece.results["rows"]])
    assert set(table["status"]) == {"not run"}
    assert table.loc[table["dataset"] != "MAFAULDA", "reason"].str.startswith("unfinished").all()
