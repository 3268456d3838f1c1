"""Stages 1-3 on one data set and split, in this process or in a worker process.

The three stages run one after the other in one optimisation container (:mod:`bearingkit.hpo`), every record
in one History DB. Evaluation: the paper's split is random K-fold over all windows (§4.1), with the top-K,
the fusion weights and the reported F1 all chosen on the same out-of-fold predictions. The leakage-aware run
holds out a whole group (a CWRU load, a Paderborn operating condition, a simulated speed): Stage 1 sees the
development windows only, Stage 2's folds are grouped, and the held-out test set is scored once at the end by
the fold models' averaged posteriors, after every choice was made.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import multiprocessing
import time
from collections.abc import Callable, Mapping

import keras
import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix

from bearingkit.checks import child_seeds
from bearingkit.errors import Unfinished
from bearingkit.evaluation.metrics import macro_f1
from bearingkit.features import separability
from bearingkit.hpo import HistoryDB
from bearingkit.models import training
from bearingkit.papers.lee2026.branch_inputs import cnn_inputs, gru_frame, gru_inputs
from bearingkit.papers.lee2026.branch_search import BranchResult, run_branch, shared_engine
from bearingkit.papers.lee2026.chance import chance_rows
from bearingkit.papers.lee2026.convergence import convergence_check
from bearingkit.papers.lee2026.data import Dataset, holdout_split, random_folds
from bearingkit.papers.lee2026.feature_reference import REFERENCE_NAME, feature_reference
from bearingkit.papers.lee2026.history import remaining
from bearingkit.papers.lee2026.late_fusion import (
    COMPARISONS,
    best_pair,
    fusion_scores,
    held_out_scores,
    pair_table,
    rule_inputs,
    wilcoxon,
)
from bearingkit.papers.lee2026.screening import (
    Candidate,
    candidate_pool,
    filtered,
    screen_by_halving,
    screen_pool,
)
from bearingkit.papers.lee2026.settings import Settings

__all__ = ["PipelineResult", "background_runner", "engine_share", "fuse_branches", "limit_threads",
           "pipeline_in_worker", "run_pipeline", "screen_branches"]


@dataclasses.dataclass(frozen=True)
class PipelineResult:
    """Everything one data set x split gives the notebook.

    ``pools`` holds each branch's Stage 1 candidates (LHS order), ``stage1`` their CSS on every development
    window, ``halving`` the successive halving over segments and ``chosen`` its winner (an index into the
    pool); ``branches`` the Stage 2 results; ``pairs``, ``best_pair``, ``scores`` and ``wilcoxon`` Stage 3;
    ``test`` the held-out scores (empty under the paper's split); ``convergence`` the half-budget check;
    ``chance`` each model's score with its interval beside chance (:mod:`.chance`); ``seconds`` the
    timings; ``reference`` what hand-made features and an SVM score on the same windows and folds
    (:mod:`.feature_reference`).
    """

    dataset: str
    data_kind: str
    split: str
    classes: tuple[str, ...]
    pools: dict[str, list[Candidate]]
    stage1: dict[str, pd.DataFrame]
    halving: dict[str, pd.DataFrame]
    chosen: dict[str, int]
    proxy_features: np.ndarray
    y_dev: np.ndarray
    branches: dict[str, BranchResult]
    pairs: pd.DataFrame
    best_pair: dict
    scores: pd.DataFrame
    wilcoxon: dict[str, dict]
    confusion: dict[str, np.ndarray]
    baselines: dict[str, float]
    test: dict[str, float]
    seconds: dict[str, float]
    convergence: dict
    chance: list[dict]
    reference: dict


def run_pipeline(data: Dataset, *, split: str, settings: Settings, history: HistoryDB, seed: int,
                 deadline: float | None = None, log: Callable[[str], None] = print) -> PipelineResult:
    """Stages 1-3 on one data set under the paper's split (``"paper"``) or the leakage-aware one.

    Parameters
    ----------
    data : Dataset
    split : {"paper", "held-out <column>"}
        ``"paper"``: random stratified folds over all windows, no test set (§4.1). Otherwise
        :func:`holdout_split`.
    settings : Settings
    history : HistoryDB
        Every stage's studies and records go here, under ``<data set>/<split>/...``. A run interrupted by
        its deadline resumes from it: Stage 1 and 3 are recomputed (seconds, deterministic), Stage 2's
        finished trials and their posteriors are read back.
    seed : int
        Master seed of this run; the stages' seeds are spawned from it.
    deadline : float, optional
        A :func:`time.monotonic` value: no trial starts after it (``time_budget_s`` of every stage).
    log : callable
        Progress lines (the notebook prints them).

    Raises
    ------
    Unfinished
        The deadline came before the run finished; rerunning with the same History DB continues it.
    """
    s_pool, s_folds, s_gru, s_cnn, s_fusion = child_seeds(seed, 5)
    if split == "paper":
        dev, test = np.arange(len(data.y)), np.array([], dtype=int)
        folds = random_folds(data.y, n_splits=settings.folds, seed=s_folds)
    else:
        dev, test, folds = holdout_split(data)
    prefix = f"{data.name}/{split}/seed{seed}"
    history.put(prefix, "split", {"dev": dev, "test": test, "folds": [[tr, va] for tr, va in folds]})
    history.put(prefix, "seed", {"master": seed, "children": [s_pool, s_folds, s_gru, s_cnn, s_fusion]})
    dev_data = data.subset(dev)
    tag, timings = f"{data.name} [{split}]", {}

    start = time.perf_counter()
    pools, stage1, halving, chosen = screen_branches(dev_data, settings=settings, seed=s_pool,
                                                     history=history, prefix=prefix,
                                                     log=lambda line: log(f"{tag} {line}"))
    timings["stage 1"] = time.perf_counter() - start
    proxy = separability.proxy_statistics(filtered(dev_data.X, pools["gru"][chosen["gru"]], fs=data.fs))

    n_classes = len(data.classes)
    X_test = data.X[test]
    gru_in = gru_inputs(dev_data.X, dev_data.y, X_test, folds, candidate=pools["gru"][chosen["gru"]],
                        fs=data.fs, frame=gru_frame(data.X.shape[-1], settings), n_classes=n_classes)
    cnn_in = cnn_inputs(dev_data.X, dev_data.y, X_test, folds, candidate=pools["cnn"][chosen["cnn"]],
                        fs=data.fs, size=settings.image_size, n_classes=n_classes)
    history.put(f"{prefix}/stage2/gru", "normalisation_bounds", gru_in.bounds)
    history.put(f"{prefix}/stage2/cnn", "normalisation_bounds", cnn_in.bounds[0])
    branches = {}
    for branch, inputs, s in (("gru", gru_in, s_gru), ("cnn", cnn_in, s_cnn)):
        before = dataclasses.replace(shared_engine().timings)
        start = time.perf_counter()
        branches[branch] = run_branch(inputs, branch=branch, settings=settings, history=history,
                                      study=f"{prefix}/stage2/{branch}", seed=s, n_classes=n_classes,
                                      n_dev=len(dev), deadline=deadline)
        timings[f"stage 2 {branch}"] = time.perf_counter() - start
        timings.update(engine_share(before, shared_engine().timings, label=f"stage 2 {branch}"))
        result = branches[branch]
        log(f"{tag} stage 2 {branch}: {len(result.stage.trials)} trials "
            f"({result.stage.stopped_by}), best F_CV {result.stage.best_value:.4f}, "
            f"{timings[f'stage 2 {branch}']:.0f} s")
    del gru_in, cnn_in
    if remaining(deadline) == 0.0:
        raise Unfinished(f"{prefix}: Stage 2 done, no time left for Stage 3")

    start = time.perf_counter()
    fused = fuse_branches(branches, dev_data.y, data.y[test], folds, settings=settings, seed=s_fusion,
                          history=history, prefix=prefix)
    timings["stage 3"] = time.perf_counter() - start
    start = time.perf_counter()
    reference = feature_reference(dev_data.X, dev_data.y, X_test, data.y[test], folds, fs=data.fs,
                                  seed=s_fusion)
    timings["feature reference"] = time.perf_counter() - start
    best, check = fused["best_pair"], fused["convergence"]
    log(f"{tag} stage 3: best pair {int(best['k'])},{int(best['t'])} w_RNN "
        f"{best['w_rnn']:.2f} F_CV {best['f_cv']:.4f}; {timings['stage 3']:.0f} s; "
        f"{'converged' if check['converged'] else 'NOT converged'} (fused F_CV at half budget "
        f"{check['half']['fused F_CV']:.4f}); {REFERENCE_NAME} F_CV {reference['F_CV']:.4f}")
    return PipelineResult(dataset=data.name, data_kind=data.data_kind, split=split, classes=data.classes,
                          pools=pools, stage1=stage1, halving=halving, chosen=chosen, proxy_features=proxy,
                          y_dev=dev_data.y, branches=branches, seconds=timings, reference=reference, **fused)


def screen_branches(data: Dataset, *, settings: Settings, seed: int, history: HistoryDB, prefix: str,
                    log: Callable[[str], None]) -> tuple[dict, dict, dict, dict]:
    """Stage 1 of both branches on the development windows ``data``, recorded under ``<prefix>/stage1``.

    Returns
    -------
    pools, stage1, halving, chosen : dict
        Per branch: the LHS pool, its CSS on every window (``screening.screen_pool``), the successive
        halving over segments (``screening.screen_by_halving``) and its winner's index in the pool.
    """
    pools, stage1, halving, chosen = {}, {}, {}, {}
    for branch, n in (("gru", settings.gru_pool), ("cnn", settings.cnn_pool)):
        pools[branch] = candidate_pool(branch, n=n, fs=data.fs, length=data.X.shape[-1], seed=seed)
        stage1[branch] = screen_pool(data, branch, pools[branch])
        halving[branch] = screen_by_halving(data, branch, pools[branch], eta=settings.halving_eta, seed=seed)
        chosen[branch] = halving[branch].attrs["chosen"]
        history.put(f"{prefix}/stage1/{branch}", "candidates",
                    stage1[branch].reset_index().to_dict("records"))
        history.put(f"{prefix}/stage1/{branch}", "halving", halving[branch].to_dict("records"))
        history.put(f"{prefix}/stage1/{branch}", "chosen", dataclasses.asdict(pools[branch][chosen[branch]]))
        log(f"stage 1 {branch}: {len(pools[branch])} candidates, chosen "
            f"{pools[branch][chosen[branch]].label} by halving over {halving[branch]['segments'].max()} "
            f"segments (CSS over the pool {stage1[branch]['css'].iloc[chosen[branch]]:.3f})")
    return pools, stage1, halving, chosen


def fuse_branches(branches: Mapping[str, BranchResult], y_dev, y_test, folds, *, settings: Settings,
                  seed: int, history: HistoryDB, prefix: str) -> dict:
    """Stage 3 on the branches' top K, recorded under ``<prefix>/stage3``, and the run's convergence check.

    Returns
    -------
    dict
        The Stage 3 fields of :class:`PipelineResult`: ``pairs``, ``best_pair``, ``scores``, ``wilcoxon``,
        ``confusion`` and ``baselines`` (out of fold: each branch's best trial and the simplex fusion of the
        best pair), ``test`` (held-out scores; empty without a test set), ``convergence`` and ``chance``.
    """
    n_classes = branches["gru"].oof[0].shape[1]
    pairs = pair_table(branches["gru"].oof, branches["cnn"].oof, y_dev, folds, eta=settings.halving_eta)
    best = best_pair(pairs)
    history.put(f"{prefix}/stage3", "fusion_weights", pairs.to_dict("records"))
    history.put(f"{prefix}/stage3", "best_pair", best)
    inputs = rule_inputs(branches["gru"], branches["cnn"], best)
    seeds = child_seeds(seed, settings.fusion_seeds)
    scores = fusion_scores(inputs, y_dev, n_classes=n_classes, folds=settings.fusion_folds, seeds=seeds,
                           trees=settings.head_trees)
    signed_rank = {f"{' + '.join(a)} vs {' + '.join(b)}": wilcoxon(scores, a, b) for a, b in COMPARISONS}
    history.put(f"{prefix}/stage3", "wilcoxon", signed_rank)
    fused = inputs["weighted average"].argmax(axis=1)
    single = {"GRU": branches["gru"].oof[0].argmax(axis=1),
              "EfficientNetV2": branches["cnn"].oof[0].argmax(axis=1)}
    confusion = {name: confusion_matrix(y_dev, pred, labels=range(n_classes))
                 for name, pred in {**single, "late fusion": fused}.items()}
    baselines = {"GRU only": macro_f1(y_dev, single["GRU"]),
                 "EfficientNetV2 only": macro_f1(y_dev, single["EfficientNetV2"]),
                 "simplex fusion (Eq. 10-11)": macro_f1(y_dev, fused)}
    held_out = held_out_scores(branches["gru"], branches["cnn"], best, y_dev, y_test, n_classes=n_classes,
                               seed=seed, trees=settings.head_trees)
    check = convergence_check(branches, y_dev, y_test, folds, eta=settings.halving_eta,
                              full_fused=best["f_cv"], full_test=held_out.get("weighted average + argmax"))
    history.put(f"{prefix}/stage3", "convergence", check)
    chance = chance_rows(branches, best, y_dev, y_test, folds, seed=seed)
    history.put(f"{prefix}/stage3", "chance", chance)
    return {"pairs": pairs, "best_pair": best, "scores": scores, "wilcoxon": signed_rank,
            "confusion": confusion, "baselines": baselines, "test": held_out, "convergence": check,
            "chance": chance}


def engine_share(before: training.Timings, after: training.Timings, *, label: str) -> dict[str, float]:
    """What the engine spent between two snapshots: tracing, training steps, and the share outside them."""
    parts = ("build", "trace", "train", "predict", "state")
    spent = {k: getattr(after, k) - getattr(before, k) for k in parts}
    total, samples = sum(spent.values()), after.samples - before.samples
    return {f"{label}: trace": spent["trace"], f"{label}: training steps": spent["train"],
            f"{label}: outside training (share)": 1.0 - spent["train"] / total if total else 0.0,
            f"{label}: windows/s": samples / spent["train"] if spent["train"] else 0.0}


def background_runner() -> concurrent.futures.ProcessPoolExecutor:
    """One worker process ('spawn': no copied TensorFlow state) for runs that go on beside the main run.

    The runs of one notebook are independent (their own studies and records in the History DB, which
    several processes may share by URL), so on two cores a second process halves the wall time where
    one process leaves a core idle (Keras' graph tracing runs on one core).
    """
    spawn = multiprocessing.get_context("spawn")
    return concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=spawn)


def limit_threads(threads: int) -> bool:
    """Cap TensorFlow's intra- and inter-op threads of this process (before its runtime starts).

    With the notebook's main process and its worker each training on one core, neither waits on threads
    of the other (measured: the GRU trained at 170-250 windows/s per process with the main process on two
    threads beside the worker, against 650 alone). Returns False where the runtime had already started
    or the backend is not TensorFlow (nothing changed).
    """
    if keras.config.backend() != "tensorflow":
        return False
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # the runtime is already initialised: keep its threads
        return False
    return True


def pipeline_in_worker(data: Dataset, *, split: str, settings: Settings, history_url: str, seed: int,
                       threads: int = 1) -> tuple[PipelineResult, list[str], float]:
    """:func:`run_pipeline` in a worker process, on the History DB at ``history_url``.

    ``threads`` caps TensorFlow's intra- and inter-op threads of the worker (the main process keeps its
    own), so that the two processes share two cores without oversubscribing them.

    Returns
    -------
    result : PipelineResult
    log : list of str
        The progress lines, for the caller to print (a worker's own output does not reach a notebook).
    seconds : float
        Wall time of the run in the worker.
    """
    limit_threads(threads)
    lines: list[str] = []
    start = time.perf_counter()
    result = run_pipeline(data, split=split, settings=settings, history=HistoryDB(history_url), seed=seed,
                          log=lines.append)
    return result, lines, time.perf_counter() - start
