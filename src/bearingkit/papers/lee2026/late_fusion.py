"""Stage 3 (§2.3, §4.2): late fusion of the two branches' out-of-fold posteriors.

Simplex-weighted fusion of each (k, t) pair of the branches' top K (Eqs. 10-11; with two models the simplex is
a segment, searched on a 0.01 grid), the pairs halved over CV folds (the budget axis of Table 1,
:func:`pair_table`); then fusion rules x meta-classifier heads on the same out-of-fold posteriors, scored by
5-fold CV x 3 seeds (§4.1, :func:`fusion_scores`), and Wilcoxon signed-rank tests (:func:`wilcoxon`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import lightgbm
import numpy as np
import pandas as pd
import scipy.stats
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from bearingkit.errors import UnknownNameError
from bearingkit.evaluation import fusion
from bearingkit.evaluation.metrics import macro_f1
from bearingkit.papers.lee2026.branch_search import BranchResult
from bearingkit.papers.lee2026.data import random_folds
from bearingkit.papers.lee2026.screening import halving_rungs

__all__ = ["COMPARISONS", "HEADS", "RULES", "best_pair", "best_simplex_weight", "cv_std_table",
           "fusion_scores", "fusion_summary", "heatmap_table", "held_out_scores", "make_head", "pair_table",
           "rule_inputs", "wilcoxon"]

#: Fusion rules of §4.2 (the paper announces five and names four) and the meta-classifier heads.
RULES = ("simple average", "weighted average", "PCA projection", "concatenation")
HEADS = ("argmax", "logistic regression", "SVM", "random forest", "LightGBM")
#: The paired comparisons tested by Wilcoxon's signed-rank test in every run (§4.1), as (a, b) cells.
COMPARISONS = ((("concatenation", "LightGBM"), ("simple average", "argmax")),
               (("weighted average", "LightGBM"), ("weighted average", "argmax")))


def best_simplex_weight(p_rnn, p_cnn, y, folds, *, grid: int = 101) -> tuple[float, float]:
    """Eq. 10 for one pair: the weight of the RNN posterior maximising mean per-fold macro-F1.

    Returns ``(w_RNN, F_CV)``; ``w_CNN = 1 - w_RNN``. Ties go to the weight nearest 0.5.
    """
    weights = np.linspace(0.0, 1.0, grid)
    scores = []
    for w in weights:
        pred = fusion.fuse_weighted([p_rnn, p_cnn], (w, 1.0 - w)).argmax(axis=1)
        scores.append(np.mean([macro_f1(y[val], pred[val]) for _, val in folds]))
    scores = np.array(scores)
    best = np.flatnonzero(scores >= scores.max() - 1e-12)
    w = weights[best[np.argmin(np.abs(weights[best] - 0.5))]]
    return float(w), float(scores.max())


def pair_table(p_rnn: Sequence[np.ndarray], p_cnn: Sequence[np.ndarray], y, folds, *,
               eta: int) -> pd.DataFrame:
    """Eqs. 10-11 with the CV folds as the budget (Table 1): successive halving over the (k, t) pairs.

    Rung r fits every surviving pair's simplex weight (:func:`best_simplex_weight`) on the first
    ``max(1, round(F * eta**(r - R + 1)))`` of the ``F`` folds (all of them at the last rung) and keeps
    the best ``ceil(n / eta)``. The schedule is ours (the paper names the axis only). With one pair the
    only rung uses every fold.

    Returns
    -------
    pd.DataFrame
        One row per pair and rung reached: ``k``, ``t``, ``rung``, ``folds``, ``w_rnn``, ``w_cnn``,
        ``f_cv`` (mean macro-F1 over that rung's folds). The pairs of the last rung have seen every fold.
    """
    survivors = [(k, t) for k in range(len(p_rnn)) for t in range(len(p_cnn))]
    n_rungs = halving_rungs(len(survivors), eta=eta)
    rows = []
    for rung in range(n_rungs):
        share = eta ** (rung - n_rungs + 1)
        n_folds = len(folds) if rung == n_rungs - 1 else max(1, round(len(folds) * share))
        scored = {}
        for k, t in survivors:
            w, score = best_simplex_weight(p_rnn[k], p_cnn[t], y, folds[:n_folds])
            scored[k, t] = score
            rows.append({"k": k, "t": t, "rung": rung, "folds": n_folds, "w_rnn": w, "w_cnn": 1.0 - w,
                         "f_cv": score})
        survivors = sorted(survivors, key=lambda pair: -scored[pair])[:max(-(-len(survivors) // eta), 1)]
    return pd.DataFrame(rows)


def best_pair(pairs: pd.DataFrame) -> dict:
    """Eq. 11: the pair with the largest F_CV among those scored on every fold (the last rung)."""
    last = pairs[pairs["rung"] == pairs["rung"].max()]
    return last.loc[last["f_cv"].idxmax()].to_dict()


def rule_inputs(gru: BranchResult, cnn: BranchResult, pair: Mapping, *, which: str = "oof") -> dict:
    """The inputs of each fusion rule (§4.2) from the top-K posteriors of both branches."""
    g, c = (gru.oof, cnn.oof) if which == "oof" else (gru.test, cnn.test)
    stacked = np.concatenate([*g, *c], axis=1)
    return {"simple average": fusion.fuse_weighted([*g, *c]),
            "weighted average": fusion.fuse_weighted([g[int(pair["k"])], c[int(pair["t"])]],
                                                     (pair["w_rnn"], pair["w_cnn"])),
            "PCA projection": stacked, "concatenation": stacked}


def make_head(head: str, *, rule: str, n_classes: int, seed: int, trees: int = 200):
    """A meta-classifier (None for argmax); the PCA rule puts PCA to n_classes components in front.

    ``trees``: the random forest's trees and LightGBM's boosting rounds (ours; the paper gives none).
    """
    models = {
        "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "SVM": lambda: make_pipeline(StandardScaler(), SVC(C=1.0, random_state=seed)),
        "random forest": lambda: RandomForestClassifier(n_estimators=trees, random_state=seed, n_jobs=1),
        "LightGBM": lambda: lightgbm.LGBMClassifier(n_estimators=trees, learning_rate=0.05, num_leaves=15,
                                                    min_child_samples=5, random_state=seed, n_jobs=1,
                                                    verbose=-1),
    }
    if head not in HEADS:
        raise UnknownNameError(f"unknown head {head!r}; valid: {HEADS}")
    if head == "argmax":
        return None
    model = models[head]()
    return make_pipeline(StandardScaler(), PCA(n_components=n_classes, random_state=seed), model) \
        if rule == "PCA projection" else model


def fusion_scores(inputs: Mapping[str, np.ndarray], y: np.ndarray, *, n_classes: int, folds: int,
                  seeds: Sequence[int], trees: int = 200) -> pd.DataFrame:
    """§4.1-4.2: every rule x head scored by ``folds``-fold stratified CV, once per seed.

    argmax is defined for the averaging rules only (the arg-max of a concatenation or a projection is not a
    class); those cells are NaN. Returns one row per (rule, head, seed, fold): macro-F1 and accuracy.
    """
    rows = []
    for seed in seeds:
        for fold, (train, test) in enumerate(random_folds(y, n_splits=folds, seed=seed)):
            for rule, Z in inputs.items():
                for head in HEADS:
                    if head == "argmax":
                        if rule not in ("simple average", "weighted average"):
                            continue
                        pred = Z[test].argmax(axis=1)
                    else:
                        model = make_head(head, rule=rule, n_classes=n_classes, seed=seed, trees=trees)
                        pred = model.fit(Z[train], y[train]).predict(Z[test])
                    rows.append({"rule": rule, "head": head, "seed": seed, "fold": fold,
                                 "macro_f1": macro_f1(y[test], pred),
                                 "accuracy": float(accuracy_score(y[test], pred))})
    return pd.DataFrame(rows)


def fusion_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over seed x fold of macro-F1 and accuracy per (rule, head)."""
    return scores.groupby(["rule", "head"], sort=False)[["macro_f1", "accuracy"]].agg(["mean", "std"])


def heatmap_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Fig. 10's matrix: mean macro-F1, rules x heads (NaN where a head does not apply)."""
    table = scores.groupby(["rule", "head"])["macro_f1"].mean().unstack("head")
    return table.reindex(index=list(RULES), columns=list(HEADS))


def cv_std_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Fig. 11's data: the std of macro-F1 over the folds of one seed, per rule, head and seed."""
    return scores.groupby(["rule", "head", "seed"])["macro_f1"].std(ddof=1).rename("cv_std").reset_index()


def wilcoxon(scores: pd.DataFrame, a: tuple[str, str], b: tuple[str, str]) -> dict:
    """Wilcoxon signed-rank test (§4.1) on paired macro-F1 of two (rule, head) cells, same seed and fold.

    Returns the test on all seed x fold pairs and on the 5 folds of the first seed. With 5 pairs the
    smallest two-sided p is 2/32 = 0.0625, so no difference can reach alpha = 0.05; the 15 seed x fold pairs
    are not independent (folds of one seed share training data), so their p is optimistic.
    """
    key = ["seed", "fold"]
    left = scores[(scores["rule"] == a[0]) & (scores["head"] == a[1])].set_index(key)["macro_f1"]
    right = scores[(scores["rule"] == b[0]) & (scores["head"] == b[1])].set_index(key)["macro_f1"]
    diff = (left - right).dropna()
    first_seed = diff.xs(diff.index.get_level_values("seed")[0], level="seed")

    def test(d):
        if np.allclose(d, 0):
            return {"n": len(d), "statistic": None, "p": 1.0, "note": "all pairs tie"}
        result = scipy.stats.wilcoxon(d, zero_method="zsplit")
        return {"n": len(d), "statistic": float(result.statistic), "p": float(result.pvalue)}

    return {"a": " + ".join(a), "b": " + ".join(b), "mean_difference": float(diff.mean()),
            "all_pairs": test(diff.to_numpy()), "one_seed": test(first_seed.to_numpy())}


def held_out_scores(gru: BranchResult, cnn: BranchResult, pair: Mapping, y_dev, y_test, *, n_classes: int,
                    seed: int, trees: int = 200) -> dict[str, float]:
    """The held-out test macro-F1 of the branches, the simplex fusion and concatenation + LightGBM.

    Every choice (candidates, top-K, weights, the head's training) was made on the development windows.
    """
    if not gru.test or len(y_test) == 0:
        return {}
    out = {"GRU only": macro_f1(y_test, gru.test[0].argmax(axis=1)),
           "EfficientNetV2 only": macro_f1(y_test, cnn.test[0].argmax(axis=1))}
    test_inputs = rule_inputs(gru, cnn, pair, which="test")
    out["weighted average + argmax"] = macro_f1(y_test, test_inputs["weighted average"].argmax(axis=1))
    head = make_head("LightGBM", rule="concatenation", n_classes=n_classes, seed=seed, trees=trees)
    head.fit(rule_inputs(gru, cnn, pair)["concatenation"], y_dev)
    out["concatenation + LightGBM"] = macro_f1(y_test, head.predict(test_inputs["concatenation"]))
    return out
