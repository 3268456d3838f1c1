"""One stage of Lee et al.'s container (§2.4): LHS, then Kriging + EI, then BOHB, in one Optuna study.

:func:`run_stage` runs trials one at a time. The first ``n_lhs`` are Latin-hypercube points, the next
``n_kriging`` are proposed by Kriging with expected improvement from every complete trial, the rest come
from BOHB (TPE + Hyperband). All of them are trials of one Optuna study in the History DB, so the pruner,
the importance analysis and the stop rule see one history, and a stage interrupted at any point resumes from
the database where it stopped (finished trials are not rerun).

Several worker processes, on one machine or many, may run :func:`run_stage` on one study at once: every
trial passes through the study's queue, one worker at a time at the queue
(:meth:`~bearingkit.hpo.history.HistoryDB.queue_turn`). A worker with nothing queued to take claims the
study's next slot below ``max_trials`` in the History DB
(:meth:`~bearingkit.hpo.history.HistoryDB.claim_next_slot`) and queues its trial
(:meth:`optuna.study.Study.enqueue_trial`): slot ``i < n_lhs`` the ``i``-th point of the LHS design (a
function of the seed, the same in every worker), the next ``n_kriging`` slots a trial for Kriging, the rest
one for TPE, both proposed when the trial runs (:class:`~bearingkit.hpo.engines.StageSampler`). It then runs
a queued trial (not necessarily its own) through :meth:`optuna.study.Study.optimize`, one trial per call,
which records the trial's heartbeat while it runs. So a stage runs exactly ``max_trials`` trials, each once,
unless it converges first. A trial whose worker was killed is failed once its heartbeat goes silent and its
parameters are queued again without a new slot (:func:`~bearingkit.hpo.history.queue_again`); one stopped
by ``KeyboardInterrupt`` is failed and queued again at once.

``time_budget_s`` cuts a stage into pieces: no trial starts once the budget is spent, and the result says
the stage is unfinished; the next call with the same study continues it.

The objective is ``objective(params, report) -> float`` (larger is better). ``report(step, value)`` hands an
intermediate value at budget ``step`` (an epoch, a number of segments, a fold) to the Hyperband pruner and
raises :class:`optuna.TrialPruned` when the trial should stop. An objective that raises or returns NaN
becomes a FAILED trial with its reason in the user attribute ``error`` (and Optuna's warning in the log), and
the loop goes on.

Stop rule (§2.4): the stage ends when the best-so-far objective improved by less than ``epsilon = 1e-3``
over the last ``patience = 5`` finished trials, or at the stage's trial cap.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import optuna
import pandas as pd

from bearingkit.errors import ParameterError
from bearingkit.hpo import engines
from bearingkit.hpo.history import HistoryDB, optuna_experimental, queue_again, rerun_of
from bearingkit.hpo.space import SearchSpace

__all__ = ["EPSILON", "PATIENCE", "PHASES", "POLL_S", "StageResult", "converged", "run_stage"]

EPSILON = 1e-3
PATIENCE = 5
PHASES = ("lhs", "kriging", "bohb")
#: How often a worker with nothing left to start looks again at the trials other workers still run.
POLL_S = 0.5


def converged(values: Sequence[float], *, epsilon: float = EPSILON, patience: int = PATIENCE) -> bool:
    """§2.4's stop rule: the best-so-far improved by less than ``epsilon`` over the last ``patience`` trials.

    Parameters
    ----------
    values : sequence of float
        Objective values of the finished trials, in order (NaN for failed ones).

    Examples
    --------
    >>> converged([0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9])
    True
    >>> converged([0.5, 0.9, 0.9, 0.9, 0.9, 0.9, 0.95])
    False
    """
    finite = np.where(np.isfinite(values), values, -np.inf)
    if len(finite) <= patience:
        return False
    best = np.maximum.accumulate(finite)
    return bool(best[-1] - best[-1 - patience] < epsilon)


@dataclass(frozen=True)
class StageResult:
    """What a stage leaves behind: the study's trials as a table, the best parameters, and why it stopped.

    ``stopped_by`` is ``"convergence"``, ``"trial cap"`` or ``"time budget"``; ``finished`` is False only
    in the last case (call :func:`run_stage` again to continue). ``best_value`` is NaN while no trial is
    complete.
    """

    study_name: str
    trials: pd.DataFrame
    best_params: dict
    best_value: float
    stopped_by: str
    seconds: float
    finished: bool = True

    def top_k(self, k: int) -> pd.DataFrame:
        """The ``k`` best complete trials (Eq. 5), best first."""
        done = self.trials[self.trials["state"] == "COMPLETE"]
        return done.sort_values("value", ascending=False, kind="stable").head(k)


_COLUMNS = ["number", "state", "value", "phase", "error", "budget", "seconds", "worker", "rerun_of", "params"]


def _failure(trial: optuna.trial.FrozenTrial, rerun_as: int | None) -> str:
    """Why a FAIL trial failed ("" for any other); a trial failed with no reason lost its worker."""
    if trial.state != optuna.trial.TrialState.FAIL:
        return ""
    reason = trial.user_attrs.get("error") or "worker lost (no heartbeat)"
    return reason if rerun_as is None else f"{reason}; re-run as trial {rerun_as}"


def _trials_table(trials: Sequence[optuna.trial.FrozenTrial]) -> pd.DataFrame:
    """Every trial taken by a worker (queued ones left out), with why it failed and who ran it."""
    rerun_as = {rerun_of(t): t.number for t in trials if rerun_of(t) is not None}
    rows = []
    for t in trials:
        if t.state == optuna.trial.TrialState.WAITING:
            continue
        rows.append({"number": t.number, "state": t.state.name, "value": t.value,
                     "phase": t.user_attrs.get("phase"), "error": _failure(t, rerun_as.get(t.number)),
                     "budget": max(t.intermediate_values, default=None),
                     "seconds": t.duration.total_seconds() if t.duration else None,
                     "worker": t.user_attrs.get("worker"), "rerun_of": rerun_of(t),
                     "params": t.params, **{f"param_{k}": v for k, v in t.params.items()}})
    return pd.DataFrame(rows, columns=None if rows else _COLUMNS)


def _complete_values(trials: Sequence[optuna.trial.FrozenTrial]) -> list[float]:
    return [t.value for t in trials if t.state == optuna.trial.TrialState.COMPLETE]


def _phase_of_slot(slot: int, *, n_lhs: int, n_kriging: int) -> str:
    if slot < n_lhs:
        return "lhs"
    return "kriging" if slot < n_lhs + n_kriging else "bohb"


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _queue_next(study: optuna.Study, history: HistoryDB, trials: Sequence[optuna.trial.FrozenTrial],
                design: Sequence[dict], *, max_trials: int, n_kriging: int) -> bool:
    """Claim the next slot and queue its trial: its LHS point, or one for Kriging or TPE to propose.

    Returns False when every slot below ``max_trials`` is taken.
    """
    slot = history.claim_next_slot(study.study_name, max_trials)
    if slot is None:
        return False
    phase = _phase_of_slot(slot, n_lhs=len(design), n_kriging=n_kriging)
    if phase == "lhs":
        study.enqueue_trial(design[slot], user_attrs={"phase": "lhs", "slot": slot, "lhs_index": slot})
        return True
    if phase == "kriging" and len(_complete_values(trials)) < 2:
        phase = "bohb"                # too few complete trials for Kriging: TPE proposes, the phase says so
    study.enqueue_trial({}, user_attrs={"phase": phase, "slot": slot})
    return True


def _trial_objective(objective: Callable, space: SearchSpace, started: list[int],
                     end_turn: Callable[[], None]) -> Callable:
    """The Optuna objective running ``objective`` in a trial; each trial's number is appended to ``started``.

    The trial is taken when it starts: it ends this worker's turn at the queue. A failure's reason goes to
    the trial's user attribute ``error`` (the trial fails as Optuna fails it); a re-run's inherited reason is
    cleared first.
    """
    def run(trial: optuna.Trial) -> float:
        end_turn()
        started.append(trial.number)
        trial.set_user_attr("worker", _worker_name())
        if trial.user_attrs.get("error"):
            trial.set_user_attr("error", "")

        def report(step: int, value: float) -> None:
            trial.report(float(value), int(step))
            if trial.should_prune():
                raise optuna.TrialPruned(f"pruned at budget {step}")

        try:
            value = float(objective(space.suggest(trial), report))
        except optuna.TrialPruned:
            raise
        except Exception as error:
            trial.set_user_attr("error", f"{type(error).__name__}: {error}")
            raise
        except KeyboardInterrupt:
            trial.set_user_attr("error", "interrupted (KeyboardInterrupt)")
            raise
        if not math.isfinite(value):
            trial.set_user_attr("error", f"objective returned {value}")
        return value

    return run


def _run_queued_trial(study: optuna.Study, objective: Callable, space: SearchSpace,
                      end_turn: Callable[[], None]) -> None:
    """Take a queued trial (during this worker's turn at the queue) and run it.

    A ``KeyboardInterrupt`` fails the trial, queues it again and goes on up.
    """
    started: list[int] = []
    try:
        study.optimize(_trial_objective(objective, space, started, end_turn), n_trials=1, catch=(Exception,))
    except KeyboardInterrupt:
        for trial in study.get_trials(deepcopy=False):
            if trial.number in started and trial.state == optuna.trial.TrialState.FAIL:
                queue_again(study, trial)
        raise


def run_stage(objective: Callable[[dict, Callable[[int, float], None]], float], space: SearchSpace, *,
              history: HistoryDB, study_name: str, seed: int, max_trials: int, n_lhs: int, n_kriging: int,
              min_resource: int = 1, max_resource: int = 1, epsilon: float = EPSILON,
              patience: int = PATIENCE, time_budget_s: float | None = None) -> StageResult:
    """Run (or resume, or join as one more worker) one stage of the container until the stop rule or the cap.

    Parameters
    ----------
    objective : callable
        ``objective(params, report) -> float``, maximised (see the module docstring).
    space : SearchSpace
    history : HistoryDB
        Where the study lives (created there on first use, loaded afterwards).
    study_name : str
        Unique per stage, branch, data set and split, e.g. ``"cwru/paper/stage2/gru"``.
    seed : int
        Seeds the LHS points, the Kriging proposals and the TPE sampler (both afresh for each trial, so that
        workers sampling at the same moment propose different points).
    max_trials : int
        The stage's trial cap: trials taken by all workers together, a lost-and-rerun trial counted once.
    n_lhs, n_kriging : int
        Trials of the first two phases; the rest are BOHB.
    min_resource, max_resource : int
        Hyperband's budget range (the objective's ``report`` steps run from 1 to ``max_resource``).
    epsilon, patience : float, int
        The stop rule (:func:`converged`).
    time_budget_s : float, optional
        Start no trial after this many seconds (a running one finishes); the result is then unfinished and
        a later call continues the study. None: no limit.

    Returns
    -------
    StageResult
        The study when this worker stopped. Once every slot is taken, a worker waits for the trials other
        workers still run (a lost one is re-run by whoever sees it first), giving up on them when none has
        finished for longer than a lost trial takes to be noticed (the History DB's grace period plus two
        heartbeats and 5 s); those still running then show as RUNNING.
    """
    if not 1 <= n_lhs <= max_trials or n_kriging < 0:
        raise ParameterError(f"need 1 <= n_lhs <= max_trials and n_kriging >= 0, got n_lhs={n_lhs}, "
                             f"n_kriging={n_kriging}, max_trials={max_trials}")
    if time_budget_s is not None and not time_budget_s >= 0:
        raise ParameterError(f"time_budget_s must be a number of seconds >= 0 or None, got {time_budget_s!r}")
    optuna.logging.set_verbosity(logging.WARNING)
    study = optuna.create_study(
        storage=history.storage, study_name=study_name, direction="maximize", load_if_exists=True,
        sampler=engines.StageSampler(space, seed=seed, storage=history.storage),
        pruner=engines.bohb_pruner(min_resource=min_resource, max_resource=max_resource))
    start = time.perf_counter()
    design = engines.latin_hypercube(space, n_lhs, seed=seed)       # every worker computes the same points
    waiting_for, waited_since, next_stale_check = set(), time.monotonic(), 0.0
    while True:
        with history.queue_turn(study_name) as end_turn:
            if time.monotonic() >= next_stale_check:
                with optuna_experimental():
                    optuna.storages.fail_stale_trials(study)
                next_stale_check = time.monotonic() + history.heartbeat_s
            trials = study.get_trials(deepcopy=False)
            if converged(_complete_values(trials), epsilon=epsilon, patience=patience):
                stopped_by = "convergence"
                break
            if time_budget_s is not None and time.perf_counter() - start >= time_budget_s:
                left = (any(not t.state.is_finished() for t in trials)
                        or history.n_slots(study_name) < max_trials)
                stopped_by = "time budget" if left else "trial cap"
                break
            queued = any(t.state == optuna.trial.TrialState.WAITING for t in trials)
            if queued or _queue_next(study, history, trials, design, max_trials=max_trials,
                                     n_kriging=n_kriging):
                _run_queued_trial(study, objective, space, end_turn)
                continue
        # every slot is taken and nothing is queued: wait for the trials still running elsewhere, one of which
        # may be lost and come back queued; a lost one is failed within grace + heartbeat (+1 s: SQLite's
        # clock) seconds
        running = {t.number for t in trials if t.state == optuna.trial.TrialState.RUNNING}
        if running != waiting_for:
            waiting_for, waited_since = running, time.monotonic()
        patience_s = history.grace_s + 2 * history.heartbeat_s + 5
        if not running or time.monotonic() - waited_since > patience_s:
            stopped_by = "trial cap"
            break
        time.sleep(POLL_S)
    return _result(study, stopped_by, time.perf_counter() - start)


def _result(study: optuna.Study, stopped_by: str, seconds: float) -> StageResult:
    table = _trials_table(study.get_trials(deepcopy=False))
    finished = stopped_by != "time budget"
    complete = table[table["state"] == "COMPLETE"]
    if complete.empty:
        if finished:
            raise ParameterError(f"stage {study.study_name!r}: no trial completed; errors: "
                                 f"{sorted(set(table['error']))[:3]}")
        return StageResult(study.study_name, table, {}, math.nan, stopped_by, seconds, finished)
    best = complete.loc[complete["value"].astype(float).idxmax()]
    return StageResult(study.study_name, table, dict(best["params"]), float(best["value"]), stopped_by,
                       seconds, finished)
