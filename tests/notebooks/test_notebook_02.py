"""Notebook 02 (Lee, Park & Kook 2026) runs end to end in the quick profile and reports honest numbers."""

import pandas as pd
import pytest

from bearingkit import paths
from bearingkit.report import results

pytestmark = [pytest.mark.notebook, pytest.mark.timeout(1500)]  # quick profile: about 12 min on 2 cores

STEM = "02_lee2026_hybrid_cnn_rnn_hpo"


@pytest.fixture(scope="module")
def run(run_notebook):
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


def test_fig7a_rows_carry_the_published_values_beside_ours(rows):
    fig7a = rows[rows["item"] == "Fig. 7a"]
    assert len(fig7a) == 12
    css = fig7a[fig7a["quantity"].str.startswith("css, chosen GRU")].iloc[0]
    assert css["paper_value"] == 86.0 and 0 <= css["ours_mean"] <= 100


def test_mafaulda_is_not_run_and_says_why(rows):
    mafaulda = rows[rows["dataset"] == "MAFAULDA"]
    assert len(mafaulda) == 4 and set(mafaulda["status"]) == {"not run"}
    assert mafaulda["reason"].str.contains("mirror").all()


def test_both_splits_are_reported_and_the_held_out_one_has_a_test_score(run, rows):
    assert {"paper", "held-out load"} <= set(rows["split"])
    held_out = run.results["details"]["held_out_test"]["cwru|held-out load"]
    assert set(held_out) == {"GRU only", "EfficientNetV2 only", "weighted average + argmax",
                             "concatenation + LightGBM"}
    assert run.results["details"]["held_out_test"]["cwru|paper"] == {}


def test_argmax_is_undefined_for_concatenation_and_five_pairs_cannot_be_significant(run):
    fig10 = run.results["details"]["fig10"]["cwru|paper"]
    assert fig10["argmax"]["concatenation"] is None and fig10["LightGBM"]["concatenation"] is not None
    assert run.results["details"]["wilcoxon"]["cwru|paper"]["one_seed"]["p"] >= 0.0625 - 1e-9


def test_every_stage_lives_in_one_history_db(run):
    studies = run.results["details"]["history_studies"]
    for split in ("paper", "held-out load"):
        for branch in ("gru", "cnn"):
            assert f"CWRU/{split}/seed0/stage2/{branch}" in studies
    assert run.results["meta"]["runtime_s"] > 0
