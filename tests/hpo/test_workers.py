"""Several worker processes on one study, on SQLite and on a real PostgreSQL server (tests/hpo/conftest.py):
nothing lost or done twice, a killed worker's trial re-run, an interrupted one queued again."""

import multiprocessing as mp
import time
from collections import Counter

import optuna
import pytest

from bearingkit.hpo import HistoryDB, engines, run_stage
from bearingkit.hpo.history import sqlite_url
from tests.hpo.conftest import SPACE, quadratic

# Spawned workers each import the package (about 10 s each on 2 cores): `make test` runs these, not test-fast.
pytestmark = pytest.mark.slow

LHS_SETTINGS = dict(seed=0, max_trials=12, n_lhs=4, n_kriging=1, max_resource=3, patience=100)


def _cheap(params, report):
    # long enough that the 12 trials outlast the gap between the two workers' set-ups after the barrier (at
    # 0.05 s a CI check saw one worker run 11 trials and the other 1)
    time.sleep(0.25)
    return quadratic(params, report)


def _two_worker_stage(url, start):
    start.wait(timeout=120)         # both open the (empty) database at once: creating its tables races
    run_stage(_cheap, SPACE, history=HistoryDB(url), study_name="shared", **LHS_SETTINGS)


def _spawn(target, *args):
    process = mp.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


def test_two_worker_processes_share_one_study_without_losing_or_repeating_a_trial(history_url):
    start = mp.get_context("spawn").Barrier(2)
    workers = [_spawn(_two_worker_stage, history_url, start) for _ in range(2)]
    for w in workers:
        w.join(timeout=100)
        assert w.exitcode == 0
    trials = optuna.load_study(study_name="shared", storage=history_url).get_trials()
    assert [t.number for t in trials] == list(range(12))                   # the cap, exactly
    assert all(t.state.is_finished() and t.state != optuna.trial.TrialState.FAIL for t in trials)
    assert all(set(t.params) == {"x", "y"} for t in trials)
    params = [tuple(sorted(t.params.items())) for t in trials]
    assert len(set(params)) == 12                                           # no point run twice
    design = engines.latin_hypercube(SPACE, 4, seed=0)
    lhs = sorted((t.user_attrs["lhs_index"], t.params) for t in trials if t.user_attrs["phase"] == "lhs")
    assert lhs == list(enumerate(design))                                  # each LHS point once
    per_worker = Counter(t.user_attrs["worker"] for t in trials)
    assert len(per_worker) == 2 and min(per_worker.values()) >= 2, per_worker
    for t in trials:
        if t.state == optuna.trial.TrialState.COMPLETE:
            assert t.value == pytest.approx(quadratic(t.params, lambda s, v: None))


def _hang_on_third_trial(params, report):
    _hang_on_third_trial.calls = getattr(_hang_on_third_trial, "calls", 0) + 1
    if _hang_on_third_trial.calls == 3:
        time.sleep(600)
    return quadratic(params, report)


def _doomed_stage(url):
    run_stage(_hang_on_third_trial, SPACE, history=HistoryDB(url, heartbeat_s=1, grace_s=2),
              study_name="lost", seed=2, max_trials=6, n_lhs=4, n_kriging=1, max_resource=3, patience=100)


def test_a_killed_worker_s_trial_is_failed_and_run_again_without_blocking_the_stage(history_url):
    worker = _spawn(_doomed_stage, history_url)
    for _ in range(450):
        time.sleep(0.2)
        try:
            trials = optuna.load_study(study_name="lost", storage=history_url).get_trials()
        except KeyError:                                      # the study is not created yet
            continue
        running = [t for t in trials if t.state == optuna.trial.TrialState.RUNNING]
        finished = [t for t in trials if t.state.is_finished()]
        if len(finished) == 2 and len(running) == 1 and len(running[0].params) == 2:
            break                                              # the third trial hangs in its objective
    else:
        worker.kill()
        pytest.fail("the worker never reached its third trial")
    worker.kill()
    worker.join(timeout=30)
    result = run_stage(quadratic, SPACE, history=HistoryDB(history_url, heartbeat_s=1, grace_s=2),
                       study_name="lost", seed=2, max_trials=6, n_lhs=4, n_kriging=1, max_resource=3,
                       patience=100)
    table = result.trials
    (lost,) = table[table["error"].str.startswith("worker lost")].itertuples()
    (rerun,) = table[table["rerun_of"] == lost.number].itertuples()
    assert lost.state == "FAIL" and rerun.params == lost.params and rerun.state in ("COMPLETE", "PRUNED")
    counted = table[table["number"] != lost.number]
    assert len(counted) == 6 and counted["state"].isin(["COMPLETE", "PRUNED"]).all()
    assert len({tuple(sorted(p.items())) for p in counted["params"]}) == 6
    assert result.stopped_by == "trial cap" and result.finished


def test_a_keyboard_interrupt_fails_the_trial_and_queues_it_again(tmp_path):
    def interrupted(params, report):
        raise KeyboardInterrupt

    url = sqlite_url(tmp_path / "h.db")
    with pytest.raises(KeyboardInterrupt):
        run_stage(interrupted, SPACE, history=HistoryDB(url), study_name="ctrl-c", seed=0, max_trials=3,
                  n_lhs=3, n_kriging=0)
    result = run_stage(quadratic, SPACE, history=HistoryDB(url), study_name="ctrl-c", seed=0, max_trials=3,
                       n_lhs=3, n_kriging=0, max_resource=3)
    first = result.trials.iloc[0]
    assert first["state"] == "FAIL" and first["error"].startswith("interrupted")
    counted = result.trials.iloc[1:]
    assert len(counted) == 3 and list(counted["rerun_of"] == 0).count(True) == 1
    design = engines.latin_hypercube(SPACE, 3, seed=0)
    assert counted.loc[counted["rerun_of"] == 0, "params"].item() == design[0]
    assert sorted(p["x"] for p in counted["params"]) == sorted(p["x"] for p in design)
