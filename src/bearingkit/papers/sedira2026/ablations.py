"""Ablations the claims of Sedira & Felkaoui (2026) need, beyond the paper, each on the first seeds.

* the HMM's states (§4, Fig. 5): 1-state (a Gaussian classifier of the sub-frames) against 4-state
  left-right HMMs, at the notebook's T = 4 (:func:`state_ablation`) and at T = 16 sub-frames, where each
  state sees 4 observations (:func:`long_sequence_ablation`);
* all 46 features against Fisher + PCA (§3.4.2; :func:`all_features_ablation`);
* 97.mat read as 12 kHz, the paper's most likely reading, against the resampled record
  (:func:`rate_ablation`);
* which element is damaged, on a fault size never trained on (:func:`held_out_size_ablation`).

Every function compares like with like: the same views, the same split seeds on both sides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bearingkit.recording import Recording

from .data import cwru_records
from .measures import accuracies, class_accuracies, reduction_ablation
from .protocol import RunResult, hmm_accuracies, run_view, run_views
from .settings import FAULT_SIZES, MODELS, Settings
from .views import View, cwru_views, held_out_size_view

__all__ = [
    "ABLATION_SPLITS", "ablation_views", "all_features_ablation", "held_out_size_ablation",
    "long_sequence_ablation", "rate_ablation", "run_ablations", "state_ablation",
]

#: The splits every ablation runs on: the paper's and the contiguous blocks.
ABLATION_SPLITS = ("paper", "contiguous-block")

_Runs = Mapping[tuple[str, str], Sequence[RunResult]]


def ablation_views(views: Mapping[str, Mapping[str, View]]) -> dict[tuple[str, str], View]:
    """The (data set, split) views of :data:`ABLATION_SPLITS`, from ``views[data set][split]``."""
    return {(name, split): views[name][split] for name in views for split in ABLATION_SPLITS}


def state_ablation(views: Mapping[str, Mapping[str, View]], runs: _Runs, seeds: Sequence[int],
                   settings: Settings, *, n_jobs: int = 1) -> pd.DataFrame:
    """HMM-only accuracy (%) with ``settings.n_states`` states (from ``runs``) and with 1 state, at T = 4.

    At T = ``n_steps`` = 4 a 4-state left-right model has one observation per state: it carries no order
    beyond a fixed position code, so :func:`long_sequence_ablation` repeats the test at T = 16.
    """
    chosen = ablation_views(views)
    single = hmm_accuracies(chosen, seeds, dataclasses.replace(settings, n_states=1), n_jobs=n_jobs)
    table = pd.DataFrame([
        {"data set": name, "split": split,
         f"HMM, {settings.n_states} states": np.mean(accuracies(runs[name, split][: len(seeds)], "HMM")),
         "HMM, 1 state (Gaussian)": np.mean(single[name, split])} for name, split in chosen])
    table["difference (pp)"] = table.iloc[:, 2] - table.iloc[:, 3]
    return table


def long_sequence_ablation(records: Mapping[str, Sequence[Recording]], seeds: Sequence[int],
                           settings: Settings, *, n_jobs: int = 1) -> pd.DataFrame:
    """4-state against 1-state HMMs (accuracy, %) on windows of ``long_window`` samples cut into
    ``long_n_steps`` sub-frames (T = 16: 4 observations per state), paper split and contiguous blocks."""
    longer = dataclasses.replace(settings, window=settings.long_window, n_steps=settings.long_n_steps)
    views = {(name, split): v for name in records
             for split, v in cwru_views(name, records[name], settings=longer, splits=ABLATION_SPLITS).items()}
    T = settings.long_n_steps
    four = hmm_accuracies(views, seeds, longer, n_jobs=n_jobs)
    one = hmm_accuracies(views, seeds, dataclasses.replace(longer, n_states=1), n_jobs=n_jobs)
    table = pd.DataFrame([{"data set": name, "split": split,
                           f"HMM, {longer.n_states} states, T = {T}": np.mean(four[name, split]),
                           f"HMM, 1 state, T = {T}": np.mean(one[name, split]),
                           "test windows": int(len(views[name, split].split(seeds[0])[1]))}
                          for name, split in views])
    table["difference (pp)"] = table.iloc[:, 2] - table.iloc[:, 3]
    return table


def all_features_ablation(views: Mapping[str, Mapping[str, View]], runs: _Runs, seeds: Sequence[int],
                          settings: Settings, *, n_jobs: int = 1) -> pd.DataFrame:
    """:func:`~.measures.reduction_ablation` of ``runs`` (Fisher + PCA) against the same views and seeds
    with the 46 standardised features fed to both models."""
    chosen = ablation_views(views)
    full = run_views(chosen, seeds, dataclasses.replace(settings, reduction="none"), n_jobs=n_jobs)
    return reduction_ablation({key: runs[key][: len(seeds)] for key in chosen}, full)


def rate_ablation(runs: _Runs, names: Sequence[str], seeds: Sequence[int], settings: Settings, *,
                  n_jobs: int = 1) -> pd.DataFrame:
    """Accuracy (%) of every model with 97.mat resampled (``runs``) and read as 12 kHz, overall and on the
    healthy class; ``error buys (pp)`` is what the misreading adds to the overall accuracy."""
    misread = {}
    for name in names:
        views = cwru_views(name, cwru_records(name, healthy_read_as_12k=True), settings=settings,
                           splits=ABLATION_SPLITS)
        misread.update({(name, split): v for split, v in views.items()})
    misread_runs = run_views(misread, seeds, settings, n_jobs=n_jobs)
    correct = {key: runs[key][: len(seeds)] for key in misread_runs}
    table = pd.DataFrame([
        {"data set": name, "split": split, "model": model,
         "97.mat resampled (correct)": np.mean(accuracies(correct[name, split], model)),
         "97.mat read as 12 kHz": np.mean(accuracies(misread_runs[name, split], model)),
         "healthy class, correct": np.nanmean(class_accuracies(correct[name, split], model)[:, 0]),
         "healthy class, read as 12 kHz":
             np.nanmean(class_accuracies(misread_runs[name, split], model)[:, 0])}
        for name, split in misread_runs for model in MODELS])
    table["error buys (pp)"] = table["97.mat read as 12 kHz"] - table["97.mat resampled (correct)"]
    return table


def held_out_size_ablation(block_views: Mapping[str, View], settings: Settings, *,
                           n_jobs: int = 1) -> pd.DataFrame:
    """Accuracy (%) of every model on :func:`~.views.held_out_size_view`, one run per held-out fault size."""
    held_runs = run_view(held_out_size_view(block_views), range(len(FAULT_SIZES)), settings, n_jobs=n_jobs)
    return pd.DataFrame([{"held-out size (in)": size, **{m: 100 * r.accuracy(m) for m in MODELS},
                          "test windows": r.y_true.size}
                         for size, r in zip(FAULT_SIZES, held_runs, strict=True)])


def run_ablations(views: Mapping[str, Mapping[str, View]], runs: _Runs,
                  records: Mapping[str, Sequence[Recording]], seeds: Sequence[int], settings: Settings, *,
                  n_jobs: int = 1) -> dict[str, pd.DataFrame]:
    """Every ablation on ``seeds`` (the first seeds of ``runs``), keyed as the results file records them.

    Parameters
    ----------
    views : mapping of data set to its views (:func:`~.views.all_cwru_views`)
    runs : mapping of (data set, split) to runs on those views
    records : mapping of data set to its 0 HP records (for the T = 16 windows)
    seeds : sequence of int
    settings : Settings
    n_jobs : int
    """
    return {
        "states_ablation": state_ablation(views, runs, seeds, settings, n_jobs=n_jobs),
        "states_ablation_T16": long_sequence_ablation(records, seeds, settings, n_jobs=n_jobs),
        "reduction_ablation": all_features_ablation(views, runs, seeds, settings, n_jobs=n_jobs),
        "rate_ablation": rate_ablation(runs, list(views), seeds, settings, n_jobs=n_jobs),
        "held_out_size": held_out_size_ablation({n: v["contiguous-block"] for n, v in views.items()},
                                                settings, n_jobs=n_jobs),
    }
