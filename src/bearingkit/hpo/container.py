"""One stage of Lee et al.'s container (§2.4): LHS, then Kriging + EI, then BOHB, in one Optuna study.

:func:`run_stage` runs trials one at a time. The first ``n_lhs`` are Latin-hypercube points, the next
``n_kriging`` are proposed by Kriging with expected improvement from every complete trial, the rest come
from BOHB (TPE + Hyperband). All of them are trials of one Optuna study in the History DB, so the pruner,
the importance analysis and the stop rule see one history, and a stage interrupted at any point resumes from
the database where it stopped (finished trials are not rerun).

Several worker processes, on one machine or many, may run :func:`run_stage` on one study at once: every
trial passes through the study's queue. A worker with nothing queued to take claims the study's next slot
below ``max_trials`` in the History DB (:meth:`~bearingkit.hpo.history.HistoryDB.claim_next_slot`): slot
``i < n_lhs`` queues the ``i``-th point of the LHS design (a function of the seed, the same in every
worker), the next ``n_kriging`` slots a Kriging proposal, the rest an empty trial that the TPE sampler
fills; a worker runs whichever queued trial it takes first (the History DB hands each queued trial to one
worker). So a stage runs exactly ``max_trials`` trials, each once, unless it converges first. A trial whose
worker was killed is failed once its heartbeat goes silent and its parameters are queued again without a
new slot (:mod:`bearingkit.hpo.history`); one stopped by ``KeyboardInterrupt`` is failed and queued again
at once.

``time_budget_s`` cuts a stage into pieces: no trial starts once the budget is spent, and the result says
the stage is unfinished; the next call with the same study continues it.

The objective is ``objective(params, report) -> float`` (larger is better). ``report(step, value)`` hands an
intermediate value at budget ``step`` (an epoch, a number of segments, a fold) to the Hyperband pruner and
raises :class:`optuna.TrialPruned` when the trial should stop. An objective that raises or returns NaN
becomes a FAILED trial with its reason in the user attribute ``error``, and the loop goes on.

Stop rule (§2.4): the stage ends when the best-so-far objective improved by less than ``epsilon = 1e-3``
over the last ``patience = 5`` finished trials, or at the stage's trial cap.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import optuna
import pandas as pd

from bearingkit.errors import ParameterError
from bearingkit.hpo import engines
from bearingkit.hpo.history import HistoryDB, rerun_lost_trial
from bearingkit.hpo.space import SearchSpace

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


def _trials_table(trials: Sequence[optuna.trial.FrozenTrial]) -> pd.DataFrame:
    """Every trial taken by a worker (queued ones left out), with why it failed and who ran it."""
    rerun_as = {t.user_attrs["rerun_of"]: t.number for t in trials if "rerun_of" in t.user_attrs}
    rows = []
    for t in trials:
        if t.state == optuna.trial.TrialState.WAITING:
            continue
        error = t.user_attrs.get("error", "")
        if t.number in rerun_as and not error:
            error = f"worker lost (no heartbeat); re-run as trial {rerun_as[t.number]}"
        rows.append({"number": t.number, "state": t.state.name, "value": t.value,
                     "phase": t.user_attrs.get("phase"), "error": error,
                     "budget": max(t.intermediate_values, default=None),
                     "seconds": t.duration.total_seconds() if t.duration else None,
                     "worker": t.user_attrs.get("worker"), "rerun_of": t.user_attrs.get("rerun_of"),
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


def _take(study: optuna.Study, history: HistoryDB, trial_id: int) -> bool:
    """Mark a queued trial RUNNING for this worker; False when another worker took it first."""
    if not history.take_trial(trial_id):
        return False
    study._storage.set_trial_state_values(trial_id, state=optuna.trial.TrialState.RUNNING)
    study._storage.record_heartbeat(trial_id)        # a worker killed from here on is noticed
    return True


def _take_queued_trial(study: optuna.Study, history: HistoryDB,
                       trials: Sequence[optuna.trial.FrozenTrial]) -> optuna.trial.FrozenTrial | None:
    """Take the first queued trial of ``trials`` that no other worker has taken, or None."""
    for trial in (t for t in trials if t.state == optuna.trial.TrialState.WAITING):
        if _take(study, history, trial._trial_id):
            return trial
    return None


def _queue(study: optuna.Study, params: dict, user_attrs: dict) -> tuple[int, optuna.trial.FrozenTrial]:
    """Queue a trial as :meth:`optuna.Study.enqueue_trial` does, and return its id with its template."""
    template = optuna.trial.create_trial(state=optuna.trial.TrialState.WAITING,
                                         system_attrs={"fixed_params": params}, user_attrs=user_attrs)
    return study._storage.create_new_trial(study._study_id, template_trial=template), template


class _Heartbeat:
    """Record the trial's heartbeat every ``interval`` seconds while the objective runs (as Optuna does)."""

    def __init__(self, storage, trial_id: int):
        self.storage, self.trial_id = storage, trial_id
        self.interval = storage.get_heartbeat_interval()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:                 # the first beat was recorded when the trial was taken
        while not self.stop.wait(self.interval):
            try:
                self.storage.record_heartbeat(self.trial_id)
            except Exception:                # a busy database: the next beat tries again within the grace
                logging.getLogger(__name__).debug("heartbeat of trial %s not recorded", self.trial_id)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()


def _fail_stale_trials(study: optuna.Study) -> None:
    with warnings.catch_warnings():                      # "experimental" in Optuna 5
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)


def _sampler_for(trial: optuna.trial.FrozenTrial, space: SearchSpace, *, seed: int):
    """TPE seeded afresh for the trial's slot; a trial whose parameters are all fixed needs no model fit."""
    slot = trial.user_attrs.get("slot", 0)
    fixed = {**trial.system_attrs.get("fixed_params", {}), **trial.params}
    if set(space.names) <= set(fixed):
        return optuna.samplers.RandomSampler(seed=seed + slot)
    return engines.bohb_sampler(seed=seed + slot)


def _run_trial(study: optuna.Study, trial_id: int, objective: Callable, space: SearchSpace) -> None:
    """Run one taken trial and record its outcome: value, PRUNED, or FAIL with its reason."""
    trial = optuna.Trial(study, trial_id)
    trial.set_user_attr("worker", _worker_name())

    def report(step: int, value: float) -> None:
        trial.report(float(value), int(step))
        if trial.should_prune():
            raise optuna.TrialPruned(f"pruned at budget {step}")

    state, value = optuna.trial.TrialState.FAIL, None
    with _Heartbeat(study._storage, trial_id):
        try:
            value = float(objective(space.suggest(trial), report))
            if math.isfinite(value):
                state = optuna.trial.TrialState.COMPLETE
            else:
                trial.set_user_attr("error", f"objective returned {value}")
        except optuna.TrialPruned:
            state = optuna.trial.TrialState.PRUNED
        except Exception as error:
            trial.set_user_attr("error", f"{type(error).__name__}: {error}")
        except BaseException as error:
            trial.set_user_attr("error", f"interrupted ({type(error).__name__}); queued again")
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            rerun_lost_trial(study, study._storage.get_trial(trial_id))
            raise
    if state == optuna.trial.TrialState.COMPLETE:
        study.tell(trial, value)
    else:
        study.tell(trial, state=state)


def _queue_next(study: optuna.Study, history: HistoryDB, space: SearchSpace, trials, design: Sequence[dict],
                *, seed: int, max_trials: int, n_kriging: int) -> tuple[int, optuna.trial.FrozenTrial] | None:
    """Claim the next slot and queue its trial: its LHS point, a Kriging proposal, or an empty one for TPE.

    Returns the queued trial's id and template, or None when every slot below ``max_trials`` is taken.
    """
    slot = history.claim_next_slot(study.study_name, max_trials)
    if slot is None:
        return None
    done = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
    phase = _phase_of_slot(slot, n_lhs=len(design), n_kriging=n_kriging)
    if phase == "lhs":
        return _queue(study, design[slot], {"phase": "lhs", "slot": slot, "lhs_index": slot})
    if phase == "kriging" and len(done) >= 2:
        proposal = engines.kriging_proposal(space, [t.params for t in done], [t.value for t in done],
                                            seed=seed + slot)
        return _queue(study, proposal, {"phase": "kriging", "slot": slot})
    # too few complete trials for Kriging: the sampler proposes, and the phase says so
    return _queue(study, {}, {"phase": "bohb", "slot": slot})


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
        Seeds the LHS points, the Kriging proposals and the TPE sampler (TPE afresh for each slot, so that
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
        sampler=engines.bohb_sampler(seed=seed),
        pruner=engines.bohb_pruner(min_resource=min_resource, max_resource=max_resource))
    start = time.perf_counter()
    design = engines.latin_hypercube(space, n_lhs, seed=seed)       # every worker computes the same points
    waiting_for, waited_since, next_stale_check = set(), time.monotonic(), 0.0
    while True:
        if time.monotonic() >= next_stale_check:
            _fail_stale_trials(study)
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
        taken = _take_queued_trial(study, history, trials)
        if taken is not None:
            trial_id = taken._trial_id
        elif queued := _queue_next(study, history, space, trials, design, seed=seed, max_trials=max_trials,
                                   n_kriging=n_kriging):
            trial_id, taken = queued
            if not _take(study, history, trial_id):            # another worker took it first
                continue
        else:
            # every slot is taken: wait for the trials still running elsewhere, one of which may be lost and
            # come back queued; a lost one is failed within grace + heartbeat (+1 s: SQLite's clock) seconds
            running = {t.number for t in trials if t.state == optuna.trial.TrialState.RUNNING}
            if running != waiting_for:
                waiting_for, waited_since = running, time.monotonic()
            patience_s = history.grace_s + 2 * history.heartbeat_s + 5
            if not running or time.monotonic() - waited_since > patience_s:
                stopped_by = "trial cap"
                break
            time.sleep(POLL_S)
            continue
        study.sampler = _sampler_for(taken, space, seed=seed)
        _run_trial(study, trial_id, objective, space)
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
