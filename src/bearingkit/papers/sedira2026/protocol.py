"""§6.3 of Sedira & Felkaoui (2026): fit both models on a split, score them and their fusion (Eq. 33).

:func:`run` is one train/test run; :func:`run_views` runs every view and seed (joblib processes);
:func:`hmm_accuracies` and :func:`stacked_accuracies` are the HMM-only ablation and the 8-d stacking
variant; :func:`paderborn_within` and :func:`paderborn_cross` the two Paderborn protocols (§7.1).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import accuracy_score

from bearingkit.evaluation import fusion
from bearingkit.evaluation.metrics import per_class_accuracy

from .models import make_hmm_model, make_rbf_model
from .settings import ALPHAS, DEFAULT_SETTINGS, HYBRID_SCALED, HYBRID_TEMPERATURE, MODELS, Settings
from .views import View

__all__ = [
    "fit_models", "hmm_accuracies", "hmm_temperature", "paderborn_cross", "paderborn_within", "run",
    "run_view", "run_views", "RunResult", "stacked_accuracies", "stacked_posteriors",
]


@dataclasses.dataclass
class RunResult:
    """Predictions of one train/test run: true classes, posteriors per model, HMM log-likelihoods.

    ``proba`` holds :data:`MODELS` and the Eq. 33 variants :data:`HYBRID_VARIANTS`; ``temperature`` is the T
    of :data:`HYBRID_TEMPERATURE` (nats); ``fit_cpu_s`` the CPU seconds of fitting each single model;
    ``train_accuracy`` each model's accuracy on its own training windows (the overfitting gap's other side).
    """

    y_true: np.ndarray
    proba: dict[str, np.ndarray]
    log_likelihood: np.ndarray
    alpha_curve: pd.Series
    groups: pd.DataFrame
    temperature: float = float("nan")
    fit_cpu_s: dict[str, float] = dataclasses.field(default_factory=dict)
    train_accuracy: dict[str, float] = dataclasses.field(default_factory=dict)

    def predictions(self, model: str) -> np.ndarray:
        """The class ``model`` picks for each test window (argmax of its posterior)."""
        return np.argmax(self.proba[model], axis=1)

    def accuracy(self, model: str) -> float:
        """Share of test windows ``model`` classifies right (0-1)."""
        return float(accuracy_score(self.y_true, self.predictions(model)))

    def per_class_accuracy(self, model: str) -> np.ndarray:
        """Share of each class's test windows ``model`` classifies right (0-1; NaN for an absent class)."""
        return per_class_accuracy(self.y_true, self.predictions(model), n_classes=self.proba[model].shape[1])


def hmm_temperature(log_likelihood: np.ndarray, *, floor: float = 1.0) -> float:
    """The softmax temperature of :data:`HYBRID_TEMPERATURE`: the median gap (nats) between the best and the
    second-best class log-likelihood of the training sequences, at least ``floor``.

    A gap of that size then maps to a probability ratio of ``e`` (§6.3.1's softmax at ``T = 1`` maps it to
    ``e**gap``). Fixed on the training windows only, never on the test windows or their labels.

    Examples
    --------
    >>> hmm_temperature(np.array([[-10.0, -40.0, -50.0], [-5.0, -15.0, -90.0]]))
    20.0
    """
    top2 = np.sort(np.asarray(log_likelihood, dtype=float), axis=1)[:, -2:]
    return float(max(np.median(top2[:, 1] - top2[:, 0]), floor))


def run(F: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray, groups: pd.DataFrame,
        settings: Settings = DEFAULT_SETTINGS) -> RunResult:
    """Fit the HMM battery and the RBF network on ``train``; score them and their fusion on ``test``.

    Parameters
    ----------
    F : np.ndarray
        :func:`~.features.feature_matrix` of every window.
    y : np.ndarray of int
        Class of every window.
    train, test : np.ndarray of int
        Indices into ``F``.
    groups : pd.DataFrame
        Provenance of every window (kept for the test windows).
    settings : Settings

    Notes
    -----
    Nothing here draws random numbers: Baum-Welch starts from equal chunks, ``newrb`` grows deterministically
    and the spread search uses unshuffled folds, so a run is fixed by its split. Besides Eq. 33 as printed
    (``"Hybrid"``: ``α P_HMM + (1 - α) S_RBF`` with ``P_HMM`` the softmax of the log-likelihoods, §6.3.1),
    the run scores its two other readings (:data:`HYBRID_VARIANTS`) from the same models.
    """
    cpu = time.process_time()
    hmm = make_hmm_model(settings).fit(F[train], y[train])
    cpu_hmm = time.process_time() - cpu
    rbf = make_rbf_model(settings).fit(F[train], y[train])
    cpu_rbf = time.process_time() - cpu - cpu_hmm
    alpha = settings.alpha

    def scores(rows):
        log_likelihood = hmm[-1].log_likelihoods(hmm[:-1].transform(F[rows]))
        p_hmm, p_rbf = fusion.softmax_with_temperature(log_likelihood, 1.0), rbf.predict_proba(F[rows])
        return log_likelihood, p_hmm, p_rbf, fusion.fuse_weighted([p_hmm, p_rbf], (alpha, 1.0 - alpha))

    ll_train, *train_proba = scores(train)
    log_likelihood, p_hmm, p_rbf, p_hybrid = scores(test)
    temperature = hmm_temperature(ll_train)
    proba = {"HMM": p_hmm, "RBFNN": p_rbf, "Hybrid": p_hybrid,
             HYBRID_SCALED: fusion.fuse_scores(fusion.scale_to_unit_interval(log_likelihood), p_rbf, alpha),
             HYBRID_TEMPERATURE: fusion.fuse_weighted(
                 [fusion.softmax_with_temperature(log_likelihood, temperature), p_rbf], (alpha, 1.0 - alpha))}
    curve = pd.Series(fusion.weight_sweep(p_hmm, p_rbf, y[test], ALPHAS, classes=hmm.classes_), index=ALPHAS)
    train_accuracy = {m: float(np.mean(np.argmax(p, axis=1) == y[train]))
                      for m, p in zip(MODELS, train_proba, strict=True)}
    return RunResult(y[test], proba, log_likelihood, curve, groups.iloc[test].reset_index(drop=True),
                     temperature, {"HMM": cpu_hmm, "RBFNN": cpu_rbf}, train_accuracy)


def fit_models(view: View, seed: int, settings: Settings = DEFAULT_SETTINGS):
    """The HMM battery and the RBF network fitted on the training windows of ``view.split(seed)`` (Figs. 5-6,
    Table 6)."""
    train, _ = view.split(seed)
    return (make_hmm_model(settings).fit(view.F[train], view.y[train]),
            make_rbf_model(settings).fit(view.F[train], view.y[train]))


def _over_views(task, views: Mapping[object, View], seeds: Sequence[int], settings: Settings,
                n_jobs: int) -> dict[object, list]:
    """``task(F, y, groups, train, test, settings)`` for every view and seed, over ``n_jobs`` processes."""
    jobs = [(key, v, v.split(s)) for key, v in views.items() for s in seeds]
    done = Parallel(n_jobs=n_jobs)(delayed(task)(v.F, v.y, v.windows.groups, train, test, settings)
                                   for _, v, (train, test) in jobs)
    out: dict[object, list] = {key: [] for key in views}
    for (key, _, _), value in zip(jobs, done, strict=True):
        out[key].append(value)
    return out


def _run_task(F, y, groups, train, test, settings: Settings) -> RunResult:
    return run(F, y, train, test, groups, settings)


def run_views(views: Mapping[object, View], seeds: Sequence[int], settings: Settings = DEFAULT_SETTINGS, *,
              n_jobs: int = 1) -> dict[object, list[RunResult]]:
    """One :func:`run` per view and seed, all (view, seed) runs spread over ``n_jobs`` processes at once.

    Each seed gives its split (``view.split(seed)``); the runs are independent and come back in the order of
    ``seeds``, whatever ``n_jobs``.
    """
    return _over_views(_run_task, views, seeds, settings, n_jobs)


def run_view(view: View, seeds: Sequence[int], settings: Settings = DEFAULT_SETTINGS, *,
             n_jobs: int = 1) -> list[RunResult]:
    """:func:`run_views` of one view."""
    return run_views({view.name: view}, seeds, settings, n_jobs=n_jobs)[view.name]


def _hmm_accuracy(F, y, groups, train, test, settings: Settings) -> float:
    model = make_hmm_model(settings).fit(F[train], y[train])
    return 100 * float(np.mean(model.predict(F[test]) == y[test]))


def hmm_accuracies(views: Mapping[object, View], seeds: Sequence[int], settings: Settings, *,
                   n_jobs: int = 1) -> dict[object, list[float]]:
    """Accuracy (%) of the HMM battery alone per view and seed (the ablations: e.g. ``n_states=1``)."""
    return _over_views(_hmm_accuracy, views, seeds, settings, n_jobs)


def stacked_posteriors(F_train, y_train, F_test, settings: Settings, *, groups_train: pd.DataFrame,
                       n_splits: int = 5) -> np.ndarray:
    """The 8-d stacking variant (§6.3.1): a logistic head on out-of-fold ``[P_HMM, S_RBF]`` vectors.

    The out-of-fold posteriors come from contiguous folds of each class with overlapping neighbours purged
    (:func:`bearingkit.evaluation.fusion.contiguous_folds`), not shuffled folds over overlapping windows.
    """
    cv = fusion.contiguous_folds(groups_train.reset_index(drop=True), y_train, n_splits=n_splits)
    models = {"hmm": make_hmm_model(settings), "rbf": make_rbf_model(settings)}
    stack = fusion.make_stacked_fusion(models, cv=cv)
    return stack.fit(F_train, y_train).predict_proba(F_test)


def _stacked_accuracy(F, y, groups: pd.DataFrame, train, test, settings: Settings, *, n_splits: int) -> float:
    proba = stacked_posteriors(F[train], y[train], F[test], settings, groups_train=groups.iloc[train],
                               n_splits=n_splits)
    return 100 * float(np.mean(proba.argmax(axis=1) == y[test]))


def stacked_accuracies(views: Mapping[object, View], seeds: Sequence[int],
                       settings: Settings = DEFAULT_SETTINGS, *, n_splits: int = 5,
                       n_jobs: int = 1) -> dict[object, list[float]]:
    """Accuracy (%) of the 8-d stacking variant (:func:`stacked_posteriors`, ``n_splits`` folds) per view,
    one per seed."""
    task = functools.partial(_stacked_accuracy, n_splits=n_splits)
    return _over_views(task, views, seeds, settings, n_jobs)


def paderborn_within(views: Mapping[str, View], seeds: Sequence[int],
                     settings: Settings = DEFAULT_SETTINGS, *, n_jobs: int = 1) -> dict[str, list[RunResult]]:
    """Table 10 as the paper ran it: train and test within each condition, one run per seed."""
    return run_views(views, seeds, settings, n_jobs=n_jobs)


def paderborn_cross(views: Mapping[str, View], pairs: Sequence[tuple[str, str]],
                    settings: Settings = DEFAULT_SETTINGS, *,
                    n_jobs: int = 1) -> dict[tuple[str, str], RunResult]:
    """The leakage-aware Paderborn view: train on every segment of one condition, test on another's."""
    jobs = []
    for a, b in pairs:
        train_view, test_view = views[a], views[b]
        F = np.vstack([train_view.F, test_view.F])
        y = np.concatenate([train_view.y, test_view.y])
        groups = pd.concat([train_view.windows.groups, test_view.windows.groups], ignore_index=True)
        n_train = len(train_view.y)
        jobs.append((F, y, np.arange(n_train), np.arange(n_train, len(y)), groups))
    done = Parallel(n_jobs=n_jobs)(delayed(run)(*job, settings) for job in jobs)
    return dict(zip(pairs, done, strict=True))
