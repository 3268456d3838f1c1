"""The results rows: paper vs ours with a computed status, not comparable when a run did not converge."""

import dataclasses

import pandas as pd

from bearingkit.papers.lee2026.rows import (
    fusion_rows,
    mafaulda_rows,
    results_details,
    results_rows,
    rows_overview,
)
from bearingkit.report import results


def test_a_converged_run_is_compared_and_an_unconverged_one_is_not(run_result, unconverged_result,
                                                                  make_synthetic):
    data = dataclasses.replace(make_synthetic(n_per_class=2), name="CWRU", data_kind="real")
    compared = pd.DataFrame(fusion_rows(data, "paper", run_result))
    assert list(compared["item"]) == ["Fig. 10"] * 4 + ["Fig. 11"]
    assert set(compared["status"]) <= {"reproduced", "differs"} and compared["ours_mean"].notna().all()
    assert compared.iloc[0]["paper_value"] == 0.9985 and compared.iloc[-1]["paper_value"] == 0.008
    not_compared = pd.DataFrame(fusion_rows(data, "paper", unconverged_result))
    assert set(not_compared["status"]) == {"not comparable"}
    assert not_compared["reason"].str.startswith("not converged").all()
    unfinished = pd.DataFrame(fusion_rows(data, "held-out load", None, unfinished="unfinished: rerun"))
    assert len(unfinished) == 6 and set(unfinished["status"]) == {"not run"}


def test_every_row_of_the_notebook_in_order(run_result, make_synthetic):
    data = dataclasses.replace(make_synthetic(n_per_class=2), name="CWRU", data_kind="real")
    rows = results_rows({"cwru": data}, {("cwru", "paper"): run_result},
                        {("cwru", "held-out load"): "unfinished: rerun to continue"})
    table = pd.DataFrame([results.check_row(r) for r in rows])
    assert list(table["item"].drop_duplicates()) == ["Fig. 7a", "Fig. 8b", "Fig. 10", "Fig. 11"]
    assert (table["item"] == "Fig. 7a").sum() == 12 and (table["item"] == "Fig. 8b").sum() == 4
    fig8b = table[table["item"] == "Fig. 8b"]
    assert fig8b["quantity"].iloc[0] == "fANOVA importance of dropout, GRU (2 complete trials)"
    assert fig8b["ours_mean"].tolist() == [0.6, 0.3, 0.6, 0.3]
    assert len(table) == 12 + 4 + 5 + 6 + 4
    assert list(rows_overview(rows).columns)[:2] == ["item", "quantity"]


def test_mafaulda_is_not_run_and_says_why():
    rows = pd.DataFrame(mafaulda_rows())
    assert len(rows) == 4 and set(rows["status"]) == {"not run"}
    assert rows["reason"].str.contains("mirror").all()


def test_the_details_hold_every_runs_tables(run_result, make_synthetic, tiny_settings, tmp_path):
    from bearingkit.hpo.history import sqlite_url
    from bearingkit.papers.lee2026.history import open_history
    from bearingkit.papers.lee2026.runs import NotebookRuns

    history = open_history(sqlite_url(tmp_path / "h.db"), {"test": "details"}, resume=False)
    runs = NotebookRuns({"cwru": make_synthetic(n_per_class=2)}, settings=tiny_settings, history=history,
                        seed=0)
    runs.results["cwru", "paper"] = run_result
    details = results_details(runs, css_check=None)
    chosen_css = run_result.stage1["gru"]["css"].iloc[run_result.chosen["gru"]]
    assert details["fig7a"]["gru"]["css"] == chosen_css * 100
    assert details["trials"]["cwru|paper|gru"] == {"n": 3, "stopped_by": "trial cap", "best": 0.9,
                                                   "complete": 2}
    assert details["fig11_bound_for_0_9985"] < 0.008 and details["css_vs_training"] == {}
    assert set(details["stage1_halving"]) == {"cwru|paper|gru", "cwru|paper|cnn"}
    assert results.to_jsonable(details)["fig10"]["cwru|paper"]["argmax"]["concatenation"] is None
