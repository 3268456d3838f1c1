"""The one schema of every reproduced number: rows checked when built and when written, statuses computed."""

from __future__ import annotations

import json
import stat

import numpy as np
import pytest

from bearingkit import paths
from bearingkit.errors import ResultsError
from bearingkit.report import results

BASE = {"paper": "sedira2026", "item": "Table 7", "quantity": "accuracy, Hybrid, OR", "dataset": "CWRU",
        "data_kind": "real", "split": "paper", "paper_value": 99.0, "tolerance": 2.0}


@pytest.fixture
def tmp_results(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RESULTS_DIR", tmp_path / "results")
    return tmp_path / "results"


@pytest.mark.parametrize(("ours", "status"), [(97.0, "reproduced"), (101.0, "reproduced"), (96.9, "differs"),
                                              ([90.0, 100.0], "differs"), (None, "not run")])
def test_status_is_computed_from_the_tolerance(ours, status):
    r = results.row(**BASE, ours=ours, reason="weights unreachable offline" if ours is None else "")
    assert r["status"] == status


def test_a_row_on_other_data_or_method_is_not_comparable_whatever_its_distance():
    r = results.row(**{**BASE, "data_kind": "simulated"}, ours=99.0, comparable=False,
                    reason="simulated stand-in for the paper's private rig")
    assert r["status"] == "not comparable" and r["ours_mean"] == 99.0
    with pytest.raises(ResultsError, match="needs its reason"):
        results.row(**BASE, ours=99.0, comparable=False)
    forged = {**r, "comparable": True}
    with pytest.raises(ResultsError, match="computed"):
        results.check_row(forged)


def test_spread_of_one_run_is_missing_not_zero():
    one = results.row(**BASE, ours=[98.0])
    many = results.row(**BASE, ours=[98.0, 99.0, 100.0])
    assert (one["n"], one["ours_spread"]) == (1, None)
    assert (many["n"], many["ours_mean"], many["ours_spread"]) == (3, 99.0, 1.0)


@pytest.mark.parametrize(("change", "match"), [
    ({"data_kind": "fake"}, "data_kind"),
    ({"item": ""}, "item must be a non-empty string"),
    ({"paper_value": float("nan")}, "paper_value must be a finite number"),
    ({"tolerance": -1.0}, "tolerance must be >= 0"),
    ({"ours": [1.0, float("inf")]}, "ours must be a finite number"),
    ({"ours": None}, "needs its reason"),
    ({"ours": []}, "at least one value"),
    ({"tolerance": None}, "needs the paper's value and a tolerance"),
])
def test_bad_rows_are_refused(change, match):
    with pytest.raises(ResultsError, match=match):
        results.row(**{**BASE, "ours": 98.0, **change})


def test_written_file_round_trips_and_is_readable_by_everyone(tmp_results):
    rows = [results.row(**BASE, ours=[98.0, 99.0]),
            results.row(**{**BASE, "split": "cross-load"}, ours=[60.0, 70.0]),
            results.row(**{**BASE, "dataset": "axial rig", "data_kind": "simulated"}, ours=None,
                        reason="private rig: simulated only")]
    path = results.write_results("99_test", rows, meta={"profile": "quick", "seed": 0}, details={"x": (1, 2)})
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    payload = json.loads(path.read_text())
    assert payload["meta"]["profile"] == "quick" and payload["details"] == {"x": [1, 2]}
    assert payload["meta"]["provenance"]["packages"]["numpy"] == np.__version__
    table = results.read_rows("99_test")
    assert table["status"].tolist() == ["reproduced", "differs", "not run"]
    assert table.columns.tolist() == list(results.ROW_FIELDS)


def test_a_typed_status_is_refused_and_nothing_is_written(tmp_results):
    forged = {**results.row(**BASE, ours=[80.0]), "status": "reproduced"}
    with pytest.raises(ResultsError, match="computed"):
        results.write_results("99_test", [forged], meta={"profile": "quick", "seed": 0})
    assert not (tmp_results / "99_test.json").exists()


def test_meta_must_name_profile_and_seed(tmp_results):
    with pytest.raises(ResultsError, match="profile and the seed"):
        results.write_results("99_test", [], meta={"profile": "quick"})


def test_reading_results_of_a_notebook_that_never_ran_says_how_to_run_it(tmp_results):
    with pytest.raises(ResultsError, match="make reproduce NB=42"):
        results.read_results("42_missing")
