"""Stage 2 (§2.2, §3.2.2): each branch tuned by LHS -> Kriging -> BOHB on the mean CV macro-F1 (Eq. 5).

The budget axis is epochs. The folds of a trial train side by side, epoch by epoch, so that Hyperband sees the
mean validation macro-F1 after every epoch (:func:`cross_validate`). Every complete trial stores its
out-of-fold and test posteriors in the History DB; the top K of each branch go on (Eqs. 6, 9), read back
from there, so a run interrupted by its time budget resumes without retraining (:func:`run_branch`). Each
run is checked against the same run at half its trials and epochs (:func:`half_budget`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping

import numpy as np
import optuna
import pandas as pd

from bearingkit.checks import child_seeds
from bearingkit.errors import Unfinished, UnknownNameError
from bearingkit.evaluation.metrics import macro_f1
from bearingkit.hpo import HistoryDB, SearchSpace, StageResult, categorical, integer, real, run_stage
from bearingkit.models import training
from bearingkit.papers.lee2026.branch_inputs import BranchInputs
from bearingkit.papers.lee2026.history import params_key, remaining, stored_posteriors
from bearingkit.papers.lee2026.settings import BRANCHES, PROFILES, Settings, branch_epochs, half_epochs

__all__ = ["BranchResult", "CrossValidation", "cross_validate", "half_budget", "half_is_prefix",
           "parameter_importance", "run_branch", "rung_epochs", "search_space", "shared_engine"]


def search_space(branch: str, settings: Settings = PROFILES["full"]) -> SearchSpace:
    """Stage 2's space (§3.1: depth, width, learning rate, batch size, dropout, optimizer, scheduler).

    The ranges are ours (the paper gives none); for EfficientNetV2 depth and width are those of the head.
    The learning-rate range and the batch sizes come from the profile's ``settings`` (``learning_rates``,
    ``batch_sizes``; the full profile's by default): batches are small because the data sets are (a few
    hundred windows in batches of 64 give a handful of steps per epoch), and a short budget needs rates
    that reach a plateau within it.
    """
    if branch not in BRANCHES:
        raise UnknownNameError(f"unknown branch {branch!r}; valid: {BRANCHES}")
    depth = integer("depth", 1, 3) if branch == "gru" else integer("depth", 0, 2)
    width = integer("width", 16, 128, log=True) if branch == "gru" else integer("width", 32, 256, log=True)
    return SearchSpace((depth, width, real("learning_rate", *settings.learning_rates, log=True),
                        categorical("batch_size", list(settings.batch_sizes)), real("dropout", 0.0, 0.5),
                        categorical("optimizer", ["adam", "adamw", "rmsprop"]),
                        categorical("scheduler", ["constant", "cosine"])))


@functools.cache
def shared_engine() -> training.Engine:
    """The process's training engine: compiled networks shared by every trial, fold and run in it."""
    return training.Engine()


@dataclasses.dataclass(frozen=True)
class CrossValidation:
    """One trial's cross-validation: F_CV (Eq. 5) after every epoch and the posteriors it ends with."""

    scores: list[float]
    oof: np.ndarray
    test: np.ndarray

    @property
    def score(self) -> float:
        """F_CV after the last epoch."""
        return self.scores[-1]


def cross_validate(inputs: BranchInputs, params: Mapping, *, epochs: int, seed: int, n_classes: int,
                   n_dev: int, report: Callable[[int, float], None],
                   checkpoints: Mapping[int, Callable[[float, np.ndarray, np.ndarray], None]] | None = None,
                   engine: training.Engine | None = None) -> CrossValidation:
    """Train one model per fold side by side for ``epochs``; report mean validation macro-F1 per epoch.

    The folds and every trial of the same architecture share one compiled network of the engine
    (:mod:`bearingkit.models.training`): the trial's seeded initial weights and hyperparameters are copied
    into it, and each fold restarts from them with a zeroed optimizer, as separate models would; the folds
    take turns between the pruner's rungs (:func:`rung_epochs`). The learning rate follows the trial's
    scheduler over the trial's steps (cosine decay to 0 over ``epochs``).

    ``checkpoints`` maps an epoch to ``callback(score, oof, test)``, called with that epoch's F_CV and
    posteriors before the epoch is reported (and so before the pruner may stop the trial): the convergence
    check reads a trial whose half run is its first half (:func:`half_is_prefix`) from there.

    Returns
    -------
    CrossValidation
        ``score`` is the mean over folds of the final validation macro-F1 (F_CV of Eq. 5); ``oof`` the
        out-of-fold posteriors ``(n_dev, n_classes)``; ``test`` the fold models' mean posterior of the
        held-out windows (empty without a test set).
    """
    engine = engine or shared_engine()
    batch = int(params["batch_size"])
    steps = epochs * -(-max(len(train) for train, _ in inputs.folds) // batch)
    network = engine.start(inputs.key(params), lambda: inputs.build(params), seed=seed,
                           optimizer=params["optimizer"])
    states = [engine.initial_state(network)] * len(inputs.folds)
    rngs = [np.random.default_rng(s) for s in child_seeds(seed, len(inputs.folds))]
    checkpoints = checkpoints or {}

    def rate(step):
        return training.learning_rate_at(step, base=params["learning_rate"], scheduler=params["scheduler"],
                                         total_steps=steps)

    def normalised(p):
        return p / p.sum(axis=1, keepdims=True)

    oof, scores, first = np.zeros((n_dev, n_classes)), [], 1
    oof_at = {e: np.zeros((n_dev, n_classes)) for e in checkpoints}
    test_at: dict[int, list] = {e: [] for e in [*checkpoints, epochs]}
    for last in rung_epochs(epochs):
        per_epoch = np.zeros((last - first + 1, len(inputs.folds)))
        for i, (train, val) in enumerate(inputs.folds):
            engine.restore(network, states[i])
            for epoch in range(first, last + 1):
                engine.train_epoch(network, inputs.X[i], inputs.y, train, batch=batch, rng=rngs[i],
                                   learning_rate=rate)
                proba = engine.predict(network, inputs.X[i], val)
                oof[val] = proba
                per_epoch[epoch - first, i] = macro_f1(inputs.y[val], proba.argmax(axis=1))
                if epoch in oof_at:
                    oof_at[epoch][val] = proba
                if epoch in test_at and inputs.test[i] is not None:
                    test_at[epoch].append(engine.predict(network, inputs.test[i]))
            states[i] = engine.save(network)
        for epoch, score in zip(range(first, last + 1), per_epoch.mean(axis=1), strict=True):
            scores.append(float(score))
            if epoch in checkpoints:
                test = np.mean(test_at[epoch], axis=0) if test_at[epoch] else np.empty((0, n_classes))
                checkpoints[epoch](scores[-1], normalised(oof_at[epoch]), test)
            report(epoch, scores[-1])
        first = last + 1
    test = np.mean(test_at[epochs], axis=0) if test_at[epochs] else np.empty((0, n_classes))
    return CrossValidation(scores, normalised(oof), test)


def rung_epochs(epochs: int, *, eta: int = 3) -> list[int]:
    """The epochs after which the folds swap: Hyperband's rungs (1, eta, eta**2, ...) and the last epoch.

    Every fold trains from one rung to the next before the next fold takes the network, so a trial's
    folds swap their states a few times instead of after every epoch; the pruner, which only decides at
    its rungs (min_resource 1, reduction factor eta), sees every epoch's score in order.

    Examples
    --------
    >>> rung_epochs(20)
    [1, 3, 9, 20]
    >>> rung_epochs(3)
    [1, 3]
    """
    rungs, rung = [], 1
    while rung < epochs:
        rungs.append(rung)
        rung *= eta
    return [*rungs, epochs]


@dataclasses.dataclass(frozen=True)
class BranchResult:
    """Stage 2 of one branch: the stage's trials, and the top-K trials' posteriors (best first).

    ``half`` is the same branch at half its budget (:func:`half_budget`): the top K of the first half of
    the trials, each trained for half its epochs, as ``{"best": F_CV, "oof": [...], "test": [...]}``; None
    when no trial reached half its epochs.
    """

    stage: StageResult
    top: pd.DataFrame
    oof: list[np.ndarray]
    test: list[np.ndarray]
    importance: dict[str, float]
    half: dict | None = None


def run_branch(inputs: BranchInputs, *, branch: str, settings: Settings, history: HistoryDB, study: str,
               seed: int, n_classes: int, n_dev: int, deadline: float | None = None) -> BranchResult:
    """Stage 2 of one branch in the container: LHS -> Kriging -> BOHB on F_CV, the top K kept (Eq. 5).

    Every complete trial stores its out-of-fold and test posteriors in the History DB (§2.4), so that a
    stage resumed from the database recovers its top K without retraining any of them.

    Raises
    ------
    Unfinished
        The stage stopped at ``deadline`` (a :func:`time.monotonic` value) before its stop rule, or before
        the half-budget runs of its convergence check (:func:`half_budget`) were trained.
    """
    def objective(params, report):
        key = params_key(params)

        def at_half(score, oof, test):
            history.put(study, f"posteriors-half/{key}", {"score": score, "oof": oof, "test": test})

        checkpoints = {half: at_half} if half_is_prefix(params, epochs=epochs, half=half) else {}
        result = cross_validate(inputs, params, epochs=epochs, seed=seed, n_classes=n_classes, n_dev=n_dev,
                                report=report, checkpoints=checkpoints)
        history.put(study, f"posteriors/{key}", {"oof": result.oof, "test": result.test})
        return result.score

    def train_half(params):
        if remaining(deadline) == 0.0:
            raise Unfinished(f"{study}: no time left for the half-budget run of the convergence check")
        result = cross_validate(inputs, params, epochs=half, seed=seed, n_classes=n_classes, n_dev=n_dev,
                                report=lambda epoch, score: None)
        record = {"score": result.score, "oof": result.oof, "test": result.test}
        history.put(study, f"posteriors-half/{params_key(params)}", record)
        return record

    trials = settings.gru_trials if branch == "gru" else settings.cnn_trials
    epochs, half = branch_epochs(settings, branch), half_epochs(settings, branch)
    budget = {} if deadline is None else {"time_budget_s": remaining(deadline)}
    stage = run_stage(objective, search_space(branch, settings), history=history, study_name=study, seed=seed,
                      max_trials=trials, n_lhs=min(settings.n_lhs, trials), n_kriging=settings.n_kriging,
                      min_resource=1, max_resource=epochs, **budget)
    if stage.stopped_by == "time budget":
        done = int((stage.trials["state"] == "COMPLETE").sum()) if len(stage.trials) else 0
        raise Unfinished(f"{study}: {done} of at most {trials} trials complete when the time budget ran out")
    top = stage.top_k(settings.top_k)
    oof, test = zip(*(stored_posteriors(history, study, p) for p in top["params"]), strict=True)
    history.put(study, "top_k", top[["number", "value", "params"]].to_dict(orient="records"))
    at_half = half_budget(stage, history, study, trials=-(-trials // 2), k=settings.top_k, half=half,
                          train=train_half)
    return BranchResult(stage, top, list(oof), list(test), parameter_importance(history, study), at_half)


def half_is_prefix(params: Mapping, *, epochs: int, half: int) -> bool:
    """Is a trial's state after ``half`` of its ``epochs`` what a run of ``half`` epochs would end with?

    Yes under a constant learning rate (the same seeds, batches and steps) or when ``half == epochs``; no
    under a cosine schedule, which decays over the run's own epochs.

    Examples
    --------
    >>> half_is_prefix({"scheduler": "constant"}, epochs=16, half=8)
    True
    >>> half_is_prefix({"scheduler": "cosine"}, epochs=16, half=8)
    False
    """
    return params["scheduler"] == "constant" or half == epochs


def half_budget(stage: StageResult, history: HistoryDB, study: str, *, trials: int, k: int, half: int,
                train: Callable[[Mapping], dict]) -> dict | None:
    """The branch at half its budget: its first ``trials`` trials, each trained for ``half`` epochs.

    The same LHS design and proposals as the run, and each trial trained as a run of ``half`` epochs
    would train it: read from the run at epoch ``half`` when that is the same thing
    (:func:`half_is_prefix`, stored by :func:`run_branch` before the pruner saw that epoch), otherwise
    trained again for ``half`` epochs by ``train(params)`` (a cosine schedule over ``half`` epochs), its
    record stored so that a resumed run does not train it again. A trial that failed, or was pruned
    before epoch ``half``, is left out, as the half-budget run's pruner would have stopped it too. The
    top ``k`` by their half-budget F_CV stand for Eq. 5's top K.

    Returns
    -------
    dict or None
        ``best`` (the best half-budget F_CV), ``oof`` and ``test`` (the top K's posteriors, best first),
        ``trials`` (how many took part); None when none did.
    """
    first = stage.trials.sort_values("number").head(trials) if len(stage.trials) else stage.trials
    records = []
    for trial in first.to_dict("records"):
        reached_half = trial["budget"] is not None and trial["budget"] >= half
        if trial["state"] not in ("COMPLETE", "PRUNED") or not reached_half:
            continue
        try:
            records.append(history.get(study, f"posteriors-half/{params_key(trial['params'])}"))
        except KeyError:  # a cosine schedule over the whole run: trained again over half its epochs
            records.append(train(trial["params"]))
    if not records:
        return None
    records.sort(key=lambda r: -r["score"])
    return {"best": float(records[0]["score"]), "trials": len(records),
            "oof": [np.asarray(r["oof"], dtype=float) for r in records[:k]],
            "test": [np.asarray(r["test"], dtype=float) for r in records[:k]]}


def parameter_importance(history: HistoryDB, study: str) -> dict[str, float]:
    """fANOVA importance of each hyperparameter on the study's complete trials (Fig. 8b); {} if too few."""
    loaded = optuna.load_study(study_name=study, storage=history.storage)
    complete = [t for t in loaded.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if len(complete) < 3:
        return {}
    try:
        evaluator = optuna.importance.FanovaImportanceEvaluator(seed=0)
        return {k: float(v) for k, v in optuna.importance.get_param_importances(
            loaded, evaluator=evaluator).items()}
    except (RuntimeError, ValueError):
        return {}
