"""One stage of Lee et al.'s container (§2.4): LHS, then Kriging + EI, then BOHB, in one Optuna study.

:func:`run_stage` runs trials one at a time. The first ``n_lhs`` are Latin-hypercube points, the next
``n_kriging`` are proposed by Kriging with expected improvement from every finished trial, the rest come
from BOHB (TPE + Hyperband). All of them are trials of one Optuna study in the History DB, so the pruner,
the importance analysis and the stop rule see one history, and a stage interrupted at any point resumes from
the database where it stopped (the LHS points are a function of the seed; finished trials are not rerun).

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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import optuna
import pandas as pd

from bearingkit.errors import ParameterError
from bearingkit.hpo import engines
from bearingkit.hpo.history import HistoryDB
from bearingkit.hpo.space import SearchSpace

EPSILON = 1e-3
PATIENCE = 5
PHASES = ("lhs", "kriging", "bohb")


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
    """What a stage leaves behind: the study's trials as a table, the best parameters, and why it stopped."""

    study_name: str
    trials: pd.DataFrame
    best_params: dict
    best_value: float
    stopped_by: str
    seconds: float

    def top_k(self, k: int) -> pd.DataFrame:
        """The ``k`` best complete trials (Eq. 5), best first."""
        done = self.trials[self.trials["state"] == "COMPLETE"]
        return done.sort_values("value", ascending=False, kind="stable").head(k)


def _trials_table(study: optuna.Study) -> pd.DataFrame:
    rows = []
    for t in study.get_trials(deepcopy=False):
        rows.append({"number": t.number, "state": t.state.name, "value": t.value,
                     "phase": t.user_attrs.get("phase"), "error": t.user_attrs.get("error", ""),
                     "budget": max(t.intermediate_values, default=None),
                     "seconds": t.duration.total_seconds() if t.duration else None, "params": t.params,
                     **{f"param_{k}": v for k, v in t.params.items()}})
    return pd.DataFrame(rows)


def _finished(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    states = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED, optuna.trial.TrialState.FAIL)
    return study.get_trials(deepcopy=False, states=states)


def _complete_values(study: optuna.Study) -> list[float]:
    return [t.value for t in _finished(study) if t.state == optuna.trial.TrialState.COMPLETE]


def _next_phase(n_done: int, *, n_lhs: int, n_kriging: int) -> str:
    if n_done < n_lhs:
        return "lhs"
    return "kriging" if n_done < n_lhs + n_kriging else "bohb"


def _wrap(objective: Callable, space: SearchSpace, phase: str):
    def run(trial: optuna.Trial) -> float:
        trial.set_user_attr("phase", phase)
        params = space.suggest(trial)

        def report(step: int, value: float) -> None:
            trial.report(float(value), int(step))
            if trial.should_prune():
                raise optuna.TrialPruned(f"pruned at budget {step}")

        try:
            value = float(objective(params, report))
        except optuna.TrialPruned:
            raise
        except Exception as error:
            trial.set_user_attr("error", f"{type(error).__name__}: {error}")
            raise
        if not math.isfinite(value):
            trial.set_user_attr("error", f"objective returned {value}")
        return value

    return run


def run_stage(objective: Callable[[dict, Callable[[int, float], None]], float], space: SearchSpace, *,
              history: HistoryDB, study_name: str, seed: int, max_trials: int, n_lhs: int, n_kriging: int,
              min_resource: int = 1, max_resource: int = 1, epsilon: float = EPSILON,
              patience: int = PATIENCE) -> StageResult:
    """Run (or resume) one stage of the container until the stop rule or ``max_trials`` finished trials.

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
        Seeds the LHS points, the Kriging proposals and the TPE sampler.
    max_trials : int
        The stage's trial cap.
    n_lhs, n_kriging : int
        Trials of the first two phases; the rest are BOHB.
    min_resource, max_resource : int
        Hyperband's budget range (the objective's ``report`` steps run from 1 to ``max_resource``).
    epsilon, patience : float, int
        The stop rule (:func:`converged`).

    Returns
    -------
    StageResult
    """
    if not 1 <= n_lhs <= max_trials or n_kriging < 0:
        raise ParameterError(f"need 1 <= n_lhs <= max_trials and n_kriging >= 0, got n_lhs={n_lhs}, "
                             f"n_kriging={n_kriging}, max_trials={max_trials}")
    optuna.logging.set_verbosity(logging.WARNING)
    study = optuna.create_study(
        storage=history.storage, study_name=study_name, direction="maximize", load_if_exists=True,
        sampler=engines.bohb_sampler(seed=seed),
        pruner=engines.bohb_pruner(min_resource=min_resource, max_resource=max_resource))
    lhs_points = engines.latin_hypercube(space, n_lhs, seed=seed)
    start = time.perf_counter()
    stopped_by = "trial cap"
    while len(finished := _finished(study)) < max_trials:
        done = [t for t in finished if t.state == optuna.trial.TrialState.COMPLETE]
        if converged([t.value for t in done], epsilon=epsilon, patience=patience):
            stopped_by = "convergence"
            break
        n_done = len(finished)
        phase = _next_phase(n_done, n_lhs=n_lhs, n_kriging=n_kriging)
        if phase == "lhs":
            study.enqueue_trial(lhs_points[n_done], skip_if_exists=False)
        elif phase == "kriging" and len(done) >= 2:
            proposal = engines.kriging_proposal(space, [t.params for t in done], [t.value for t in done],
                                                seed=seed + n_done)
            study.enqueue_trial(proposal, skip_if_exists=False)
        study.optimize(_wrap(objective, space, phase), n_trials=1, catch=(Exception,))
    else:
        if converged(_complete_values(study), epsilon=epsilon, patience=patience):
            stopped_by = "convergence"
    table = _trials_table(study)
    complete = table[table["state"] == "COMPLETE"] if len(table) else table
    if complete.empty:
        raise ParameterError(f"stage {study_name!r}: no trial completed; errors: "
                             f"{sorted(set(table['error']))[:3] if len(table) else []}")
    best = complete.loc[complete["value"].idxmax()]
    return StageResult(study_name, table, dict(best["params"]), float(best["value"]), stopped_by,
                       time.perf_counter() - start)
