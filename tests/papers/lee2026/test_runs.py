"""The notebook's runs: a piece out of time leaves every run unfinished, never scored, and says so."""

import pytest

from bearingkit.errors import ParameterError
from bearingkit.hpo.history import sqlite_url
from bearingkit.papers.lee2026.history import open_history
from bearingkit.papers.lee2026.rows import results_rows
from bearingkit.papers.lee2026.runs import NotebookRuns


def test_a_piece_without_time_leaves_its_runs_unfinished_and_their_rows_not_run(
        make_synthetic, tiny_settings, tmp_path, capsys):
    data = make_synthetic(n_per_class=8, length=256)
    history = open_history(sqlite_url(tmp_path / "h.db"), {"test": "piece"}, resume=False)
    runs = NotebookRuns({"cwru": data}, settings=tiny_settings, history=history, seed=0, piece_seconds=0)
    runs.start_worker()                                  # in pieces every run stays in this process
    runs.run_all("paper")
    runs.run_all("held-out")
    assert runs.results == {} and set(runs.unfinished) == {("cwru", "paper"), ("cwru", "held-out load")}
    assert all(reason.startswith("unfinished: rerun to continue") for reason in runs.unfinished.values())
    assert runs.remaining() == 0.0 and runs.why_not_run("cwru", "paper") == runs.unfinished["cwru", "paper"]
    seconds = dict(runs.wall_s)
    runs.run("cwru", "paper")                            # no time left: not run again
    assert runs.wall_s == seconds
    runs.close()
    assert "UNFINISHED: 2 run(s) stopped by piece_seconds = 0" in capsys.readouterr().out
    rows = results_rows({"cwru": data}, runs.results, runs.unfinished)
    assert {r["status"] for r in rows} == {"not run"}
    assert all(r["reason"].startswith("unfinished") for r in rows if r["dataset"] != "MAFAULDA")


def test_a_split_is_the_papers_or_the_held_out_one(make_synthetic, tiny_settings, tmp_path):
    history = open_history(sqlite_url(tmp_path / "h.db"), {"test": "split"}, resume=False)
    runs = NotebookRuns({"cwru": make_synthetic(n_per_class=4)}, settings=tiny_settings, history=history,
                        seed=0)
    with pytest.raises(ParameterError, match="held-out"):
        runs.run_all("contiguous")
    assert runs.deadline is None and runs.unfinished_note() == ""
    assert runs.why_not_run("cwru", "paper").startswith("unfinished: rerun to continue")
