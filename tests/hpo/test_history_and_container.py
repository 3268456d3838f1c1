"""The History DB and a container stage: phases, failures, the stop rule, resuming, a time budget."""

import threading
import time

import numpy as np
import optuna
import pytest
import sqlalchemy as sa

from bearingkit.errors import ParameterError
from bearingkit.hpo import HistoryDB, converged, engines, run_stage
from bearingkit.hpo.history import sqlite_url
from tests.hpo.conftest import SPACE, quadratic


def test_history_keeps_records_beside_the_studies(tmp_path):
    db = HistoryDB(sqlite_url(tmp_path / "h.db"))
    db.put("stage1", "bounds", {"median": np.float32(0.5), "iqr": np.arange(3)})
    db.put("stage1", "bounds", {"median": 1.0})
    assert db.get("stage1", "bounds") == {"median": 1.0}
    assert len(db.records("stage1")) == 2
    with pytest.raises(KeyError, match="no record"):
        db.get("stage2", "weights")
    assert sqlite_url("rel/h.db").startswith("sqlite:////")


def test_an_unreachable_url_is_named_without_its_password():
    with pytest.raises(ParameterError) as info:
        HistoryDB("postgresql://worker:s3cret@127.0.0.1:1/history")
    assert "127.0.0.1:1/history" in str(info.value) and "s3cret" not in str(info.value)


def test_a_postgresql_server_that_refuses_the_login_is_named_without_the_password(postgres_server):
    refused = sa.engine.make_url(postgres_server).set(username="intruder", password="s3cret",
                                                      database="nowhere")
    with pytest.raises(ParameterError) as info:
        HistoryDB(refused.render_as_string(hide_password=False))
    message = str(info.value)
    assert f"intruder:***@{refused.host}:{refused.port}/nowhere" in message and "s3cret" not in message
    assert "OperationalError" in message


def test_stage_runs_lhs_then_kriging_then_bohb_in_one_study(tmp_path):
    db = HistoryDB(sqlite_url(tmp_path / "h.db"))
    result = run_stage(quadratic, SPACE, history=db, study_name="toy", seed=0, max_trials=9, n_lhs=3,
                       n_kriging=3, max_resource=3, patience=20)
    assert list(result.trials["phase"]) == ["lhs"] * 3 + ["kriging"] * 3 + ["bohb"] * 3
    assert result.stopped_by == "trial cap" and db.study_names() == ["toy"]
    before = result.trials[(result.trials["number"] < 3) & (result.trials["state"] == "COMPLETE")]
    # the first Kriging trial sees every complete trial before it, whichever Hyperband bracket it is in
    expected = engines.kriging_proposal(SPACE, list(before["params"]), list(before["value"]), seed=0 + 3)
    assert result.trials.loc[3, "params"] == pytest.approx(expected)
    assert result.best_value == result.trials["value"].max() > 0.9
    top = result.top_k(2)
    assert list(top["value"]) == sorted(top["value"], reverse=True)


def test_one_worker_at_a_time_takes_a_trial_from_the_queue(history_url):
    took_turn = threading.Event()

    def other_worker():
        with HistoryDB(history_url).queue_turn("shared"):
            took_turn.set()

    with HistoryDB(history_url).queue_turn("shared") as end_turn:
        other = threading.Thread(target=other_worker)
        other.start()
        assert not took_turn.wait(0.5)                 # the other worker waits while this one holds the turn
        end_turn()
        assert took_turn.wait(30)
        end_turn()                                     # ending a turn twice is harmless
    other.join(timeout=30)


def test_failures_are_recorded_with_their_reason_and_the_loop_goes_on(history_url):
    def flaky(params, report):
        if params["x"] < 0.35:
            raise RuntimeError("candidate produced NaN windows")
        return float("nan") if params["x"] > 0.7 else params["x"]

    run_stage(flaky, SPACE, history=HistoryDB(history_url), study_name="flaky", seed=0, max_trials=6, n_lhs=6,
              n_kriging=0)
    stored = optuna.load_study(study_name="flaky", storage=history_url).get_trials()   # read back afresh
    reasons = {t.user_attrs.get("error", "") for t in stored if t.state == optuna.trial.TrialState.FAIL}
    assert len(stored) == 6 and all(t.state.is_finished() for t in stored)
    assert any("RuntimeError: candidate produced NaN windows" in r for r in reasons)
    assert "objective returned nan" in reasons
    assert all(r for r in reasons)


def test_stop_rule():
    assert converged([0.1, 0.8] + [0.8005] * 5)
    assert not converged([0.1, 0.8, 0.8, 0.8, 0.8, 0.8])          # only 5 trials after the first
    assert not converged([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])


def test_a_flat_objective_stops_by_convergence_before_the_cap(tmp_path):
    db = HistoryDB(sqlite_url(tmp_path / "h.db"))
    result = run_stage(lambda p, r: 0.5, SPACE, history=db, study_name="flat", seed=0, max_trials=20, n_lhs=4,
                       n_kriging=0)
    assert result.stopped_by == "convergence" and len(result.trials) == 6


def test_an_interrupted_stage_resumes_from_the_database(tmp_path):
    url = sqlite_url(tmp_path / "h.db")
    first = run_stage(quadratic, SPACE, history=HistoryDB(url), study_name="resume", seed=5, max_trials=4,
                      n_lhs=4, n_kriging=2, max_resource=3, patience=20)
    again = run_stage(quadratic, SPACE, history=HistoryDB(url), study_name="resume", seed=5, max_trials=7,
                      n_lhs=4, n_kriging=2, max_resource=3, patience=20)
    assert len(again.trials) == 7
    assert again.trials["params"].head(4).tolist() == first.trials["params"].tolist()
    assert list(again.trials["phase"]) == ["lhs"] * 4 + ["kriging"] * 2 + ["bohb"]


def test_a_time_budget_cuts_a_stage_into_pieces_that_resume_without_repeating_a_trial(tmp_path):
    def slow(params, report):
        time.sleep(0.15)
        return quadratic(params, report)

    url = sqlite_url(tmp_path / "h.db")
    settings = dict(study_name="pieces", seed=1, max_trials=8, n_lhs=3, n_kriging=2, max_resource=3,
                    patience=20)
    nothing = run_stage(slow, SPACE, history=HistoryDB(url), time_budget_s=0, **settings)
    assert (nothing.stopped_by, nothing.finished, len(nothing.trials)) == ("time budget", False, 0)
    assert np.isnan(nothing.best_value) and nothing.best_params == {}
    pieces = [run_stage(slow, SPACE, history=HistoryDB(url), time_budget_s=0.3, **settings)]
    while not pieces[-1].finished:
        pieces.append(run_stage(slow, SPACE, history=HistoryDB(url), time_budget_s=0.3, **settings))
        assert len(pieces) <= 12
    assert len(pieces) >= 3 and {p.stopped_by for p in pieces[:-1]} == {"time budget"}
    assert pieces[-1].stopped_by == "trial cap"
    final = pieces[-1].trials
    assert list(final["number"]) == list(range(8)) and final["state"].isin(["COMPLETE", "PRUNED"]).all()
    assert len({tuple(sorted(p.items())) for p in final["params"]}) == 8          # no trial run twice
    assert list(final["phase"]) == ["lhs"] * 3 + ["kriging"] * 2 + ["bohb"] * 3
    with pytest.raises(ParameterError, match="time_budget_s"):
        run_stage(slow, SPACE, history=HistoryDB(url), time_budget_s=-1, **settings)
