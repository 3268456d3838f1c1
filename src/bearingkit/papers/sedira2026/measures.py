"""What the runs of Sedira & Felkaoui (2026) measure: accuracies, confusions, log-likelihoods, the fusion.

Pure functions of :class:`~.protocol.RunResult` lists; accuracies are in %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix

from bearingkit.evaluation import fusion
from bearingkit.evaluation.metrics import accuracy_interval

from .protocol import RunResult
from .settings import CLASS_NAMES, MODELS

__all__ = [
    "accuracies", "accuracy_by_load", "alpha_curve_facts", "alpha_curves", "class_accuracies",
    "counts_with_interval", "fusion_lock", "healthy_lowest_share", "hmm_saturation", "hybrid_vs_hmm",
    "imperfect_classes", "mean_alpha_curve", "own_log_likelihoods", "per_seed_mean", "pooled_confusion",
    "prediction_shares", "rank_lowest_first", "reduction_ablation", "table8_long", "variant_agreement",
    "worst_pair",
]


def accuracies(runs: Sequence[RunResult], model: str) -> list[float]:
    """Overall accuracy (%) of ``model`` in each run."""
    return [100 * r.accuracy(model) for r in runs]


def per_seed_mean(runs_per_set: Sequence[Sequence[RunResult]], model: str) -> list[float]:
    """Accuracy (%) averaged over data sets, one value per seed (the runs of every set share the seeds)."""
    return np.mean([accuracies(runs, model) for runs in runs_per_set], axis=0).tolist()


def class_accuracies(runs: Sequence[RunResult], model: str) -> np.ndarray:
    """Per-class accuracy (%) of ``model``, one row per run (NaN where a class has no test window)."""
    return 100 * np.array([r.per_class_accuracy(model) for r in runs])


def pooled_confusion(runs: Sequence[RunResult], model: str) -> np.ndarray:
    """Confusion matrix summed over runs (rows: true class, columns: predicted; Fig. 8)."""
    n = runs[0].proba[model].shape[1]
    return sum(confusion_matrix(r.y_true, r.predictions(model), labels=np.arange(n)) for r in runs)


def table8_long(runs: Mapping[tuple[str, str], Sequence[RunResult]], published: Mapping,
                *, class_names: Sequence[str] = CLASS_NAMES) -> pd.DataFrame:
    """Table 8 as a long table: one line per model, data set, class and split, with the per-run accuracies.

    Parameters
    ----------
    runs : mapping of (data set, split) to list of RunResult
    published : mapping
        ``reference.published("sedira2026", "table8_per_class_accuracy_pct")``: model -> set -> per class.
    class_names : sequence of str

    Returns
    -------
    pd.DataFrame
        Columns ``model, data set, class, split, paper, ours`` (mean over runs) and ``runs`` (list of %).
    """
    rows = []
    for model in MODELS:
        for (name, split), result in runs.items():
            per_run = class_accuracies(result, model)
            for k, cls in enumerate(class_names):
                values = [v for v in per_run[:, k] if np.isfinite(v)]
                rows.append({"model": model, "data set": name, "class": cls, "split": split,
                             "paper": float(published[model][name][k]),
                             "ours": float(np.mean(values)) if values else np.nan, "runs": values})
    return pd.DataFrame(rows)


def own_log_likelihoods(runs: Sequence[RunResult]) -> np.ndarray:
    """Table 9 per run: mean ``log P(O | λ_k)`` of the class-k test sequences under their own class's model.

    Returns
    -------
    np.ndarray [shape=(n_runs, n_classes)]
        NaN where a run has no test sequence of class k.
    """
    per_run = []
    for r in runs:
        n_classes = r.log_likelihood.shape[1]
        per_run.append([r.log_likelihood[r.y_true == k, k].mean() if np.any(r.y_true == k) else np.nan
                        for k in range(n_classes)])
    return np.array(per_run)


def rank_lowest_first(values) -> np.ndarray:
    """Rank of each value, 1 for the lowest (Table 9's pattern: which class its own model fits worst).

    Examples
    --------
    >>> rank_lowest_first([-53129.73, -1154.20, -94.23, -1131.56]).tolist()
    [1, 2, 4, 3]
    """
    return np.argsort(np.argsort(np.asarray(values, dtype=float))) + 1


def healthy_lowest_share(runs: Sequence[RunResult]) -> float:
    """Share (%) of runs whose healthy class has the lowest own-model log-likelihood (Table 9, §6.11)."""
    per_run = own_log_likelihoods(runs)
    return 100 * float(np.mean([rank_lowest_first(v)[0] == 1 for v in per_run]))


def imperfect_classes(per_class_pct: Sequence[float]) -> list[int]:
    """The classes (numbered from 1, as the paper's) whose accuracy is below 100 % (Table 8's error pattern).

    Examples
    --------
    >>> imperfect_classes([100.0, 80.0, 100.0, 84.0])
    [2, 4]
    """
    values = np.asarray(per_class_pct, dtype=float)
    return [int(k) + 1 for k in np.flatnonzero(np.isfinite(values) & (values < 100.0 - 1e-9))]


def mean_alpha_curve(runs: Sequence[RunResult]) -> pd.Series:
    """Accuracy (%) of Eq. 33 against α, averaged over runs."""
    return 100 * pd.concat([r.alpha_curve for r in runs], axis=1).mean(axis=1)


def alpha_curves(runs: Mapping[tuple[str, str], Sequence[RunResult]]) -> dict[str, pd.Series]:
    """:func:`mean_alpha_curve` of every (data set, split), keyed ``"<data set> <split>"``."""
    return {f"{name} {split}": mean_alpha_curve(result) for (name, split), result in runs.items()}


def alpha_curve_facts(curve: pd.Series, alpha: float) -> dict[str, float | bool]:
    """What an accuracy-vs-α curve (%) shows: its value at 0 (RBFNN), ``alpha`` and 1 (HMM), and whether it
    is flat from ``alpha`` to 1 (every value within 1e-9)."""
    tail = curve[curve.index >= alpha - 1e-12]
    return {"at 0": float(curve.iloc[0]), "at alpha": float(tail.iloc[0]), "at 1": float(curve.iloc[-1]),
            "flat from alpha": bool(tail.max() - tail.min() < 1e-9)}


def accuracy_by_load(runs: Sequence[RunResult], *, model: str = "Hybrid") -> pd.DataFrame:
    """Accuracy (%) of ``model`` on the test windows of each load, one row per run and load."""
    rows = []
    for i, r in enumerate(runs):
        load = r.groups["load"].to_numpy(dtype=float)
        hit = r.predictions(model) == r.y_true
        rows += [{"run": i, "load (HP)": value, "accuracy": 100 * hit[load == value].mean()}
                 for value in np.unique(load)]
    return pd.DataFrame(rows)


def hmm_saturation(runs: Sequence[RunResult], *, threshold: float = 0.999) -> dict[str, float]:
    """How often ``P_HMM`` is practically one-hot, and how often the fused decision is the HMM's (%)."""
    return {f"P_HMM max > {threshold} (% of test windows)":
            100 * np.mean([np.mean(r.proba["HMM"].max(axis=1) > threshold) for r in runs]),
            "hybrid = HMM decision (%)":
            100 * np.mean([np.mean(r.predictions("Hybrid") == r.predictions("HMM")) for r in runs])}


def hybrid_vs_hmm(runs: Sequence[RunResult]) -> dict[str, float]:
    """How the fused decision (Eq. 33) relates to the HMM's, pooled over runs (the "correction" claim, §6.4).

    Returns
    -------
    dict
        ``test windows``; ``hybrid = HMM (%)``: share of windows whose fused class is the HMM's; ``HMM
        errors``; ``corrected``: HMM errors the fusion gets right; ``added``: windows the HMM gets right and
        the fusion wrong.
    """
    y = np.concatenate([r.y_true for r in runs])
    hmm = np.concatenate([r.predictions("HMM") for r in runs])
    hybrid = np.concatenate([r.predictions("Hybrid") for r in runs])
    return {"test windows": int(y.size), "hybrid = HMM (%)": 100 * float(np.mean(hybrid == hmm)),
            "HMM errors": int(np.sum(hmm != y)), "corrected": int(np.sum((hmm != y) & (hybrid == y))),
            "added": int(np.sum((hmm == y) & (hybrid != y)))}


def fusion_lock(runs: Sequence[RunResult], *, alpha: float) -> dict[str, float]:
    """Why Eq. 33 as printed follows the HMM: how often no RBF score vector could overturn ``P_HMM`` (%).

    ``locked``: test windows whose :func:`bearingkit.evaluation.fusion.overturn_margin` is 1 or more (at
    ``α = 0.5``: ``P_HMM`` one-hot in floating point), so the fused class is the HMM's whatever ``S_RBF``
    says; ``disagree``: windows where the HMM and the RBFNN pick different classes; ``RBFNN wins``: the
    share of those the fusion gives to the RBFNN.
    """
    margin = np.concatenate([fusion.overturn_margin(r.proba["HMM"], alpha) for r in runs])
    hmm = np.concatenate([r.predictions("HMM") for r in runs])
    rbf = np.concatenate([r.predictions("RBFNN") for r in runs])
    hybrid = np.concatenate([r.predictions("Hybrid") for r in runs])
    disagree = hmm != rbf
    return {"test windows": int(hmm.size), "locked (%)": 100 * float(np.mean(margin >= 1 - 1e-12)),
            "HMM and RBFNN disagree": int(disagree.sum()),
            "RBFNN wins (% of disagreements)": (100 * float(np.mean(hybrid[disagree] == rbf[disagree]))
                                                if disagree.any() else float("nan"))}


def variant_agreement(runs: Sequence[RunResult], variant: str) -> float:
    """Share (%) of test windows whose class under an Eq. 33 variant (:data:`HYBRID_VARIANTS`) is HMM's."""
    same = np.concatenate([r.predictions(variant) == r.predictions("HMM") for r in runs])
    return 100 * float(np.mean(same))


def reduction_ablation(reduced: Mapping[object, Sequence[RunResult]],
                       full: Mapping[object, Sequence[RunResult]]) -> pd.DataFrame:
    """Fisher + PCA against all 46 features (§3.4.2: "reduces computational time, and mitigates overfitting").

    One line per view: the hybrid's test accuracy (%), its overfitting gap (training minus test accuracy,
    pp) and the CPU seconds of fitting both single models, mean over runs, for each reduction.
    """
    lines = []
    for key in reduced:
        line = {"view": " ".join(map(str, key)) if isinstance(key, tuple) else str(key)}
        for label, runs in (("Fisher + PCA", reduced[key]), ("all 46", full[key])):
            test = np.mean(accuracies(runs, "Hybrid"))
            train = 100 * np.mean([r.train_accuracy["Hybrid"] for r in runs])
            line[f"accuracy, {label}"] = test
            line[f"overfitting gap, {label}"] = train - test
            line[f"fit CPU s, {label}"] = float(np.mean([sum(r.fit_cpu_s.values()) for r in runs]))
        lines.append(line)
    return pd.DataFrame(lines).set_index("view")


def counts_with_interval(runs: Sequence[RunResult], model: str) -> pd.DataFrame:
    """Correct test windows ``k`` of ``n`` per run, with the exact 95 % binomial interval of ``k / n`` (%)."""
    rows = []
    for i, r in enumerate(runs):
        k, n = int(np.sum(r.predictions(model) == r.y_true)), int(r.y_true.size)
        low, high = accuracy_interval(k, n)
        rows.append({"run": i, "k": k, "n": n, "accuracy": 100 * k / n, "95 % low": 100 * low,
                     "95 % high": 100 * high})
    return pd.DataFrame(rows)


def worst_pair(cross: Mapping[tuple[str, str], RunResult], *, model: str = "Hybrid") -> tuple[str, str]:
    """The condition pair on which ``model`` scores lowest (the first of equals)."""
    return min(cross, key=lambda pair: cross[pair].accuracy(model))


def prediction_shares(result: RunResult, model: str, *, labels: Sequence[str]) -> pd.DataFrame:
    """Row-normalised confusion (%) of one run: for each true class, where its test windows go."""
    n = len(labels)
    matrix = confusion_matrix(result.y_true, result.predictions(model), labels=np.arange(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = 100 * matrix / matrix.sum(axis=1, keepdims=True)
    return pd.DataFrame(shares, index=[f"true {v}" for v in labels], columns=[f"as {v}" for v in labels])
