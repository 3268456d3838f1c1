"""The tables the notebook shows: the paper's Table 1 and Algorithm 1, and every run's numbers beside its.

Each function returns a :class:`pandas.DataFrame` (or text lines) built from the runs' results; a run is
labelled ``"<data set>, <split>"``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from bearingkit.features import separability
from bearingkit.papers.lee2026.claims import significant
from bearingkit.papers.lee2026.convergence import not_converged_reason
from bearingkit.papers.lee2026.data import Dataset
from bearingkit.papers.lee2026.feature_reference import REFERENCE_NAME
from bearingkit.papers.lee2026.late_fusion import cv_std_table, heatmap_table
from bearingkit.papers.lee2026.pipeline import PipelineResult
from bearingkit.papers.lee2026.settings import BRANCHES, PAPER, Settings
from bearingkit.report import reference

__all__ = ["algorithm1", "baselines_table", "best_pair_table", "chance_lines", "chance_table",
           "convergence_lines", "convergence_table",
           "cv_std_runs", "dataset_overview", "fig7a_components", "fig7a_table", "fig10_cells", "fig10_table",
           "fig11_medians", "figure_stand_ins", "halving_choice_lines", "halving_summary", "held_out_table",
           "importance_table", "reference_lines", "reference_table", "run_label", "settings_table", "table1",
           "timings_table", "wilcoxon_table"]


def run_label(result: PipelineResult) -> str:
    """A run's name in tables and figures: ``"<data set>, <split>"``."""
    return f"{result.dataset}, {result.split}"


def settings_table(settings: Settings, profile: str) -> pd.DataFrame:
    """Every knob of a profile, one row each."""
    return pd.Series(dataclasses.asdict(settings), name=profile).to_frame()


def table1() -> pd.DataFrame:
    """Table 1 (an image in the paper), from §2.4 and §3.2: the three stages' variables and budget axes."""
    return pd.DataFrame({
        "variables": ["θ1,RNN, θ1,CNN: band centre, bandwidth, normalisation (77 + 26 candidates)",
                      "θ2,m: depth, width, learning rate, batch size, dropout, optimizer, scheduler",
                      "ω: simplex fusion weights of each (k, t) pair"],
        "objective": ["CSS (Eq. 1), training-free", "F_CV, mean CV macro-F1 (Eq. 5)",
                      "F_CV of the fused OOF posteriors (Eq. 10–11)"],
        "budget axis (BOHB)": ["number of segments", "training epochs", "CV folds"],
        "output": ["θ1,m* frozen (Eq. 2)", "top-K configurations and their OOF posteriors", "ω*, (k*, t*)"],
        "stop": ["best improves < 1e-3 over 5 trials, or the trial cap"] * 3,
    }, index=["Stage 1 preprocessing", "Stage 2 branch HPO", "Stage 3 late fusion"])


def algorithm1() -> pd.DataFrame:
    """Algorithm 1 (an image in the paper), regenerated from the text."""
    return pd.Series([
        "1. master seed; fixed split and normalisation boundaries (fitted on training folds)",
        "2. Stage 1, per branch: LHS pool -> proxy statistics -> five metrics -> ln(1+x), min-max -> CSS, "
        "segments as budget; freeze argmax",
        "3. Stage 2, per branch: LHS -> Kriging(EI) -> BOHB on F_CV, epochs as budget; keep top-K and OOF "
        "posteriors",
        "4. Stage 3: for each (k, t) pair the simplex weight maximising F_CV, CV folds as budget; pick the "
        "best pair",
        "5. every candidate, score, split, bound, seed, trial, top-K list, posterior and weight -> "
        "History DB",
    ], name="Algorithm 1 (from the text)").to_frame()


def figure_stand_ins() -> pd.DataFrame:
    """Figs. 1-6 of the paper (drawings) and where the compendium holds what each shows."""
    return pd.DataFrame({
        "paper": ["bearing parts and defect frequencies", "GRU branch", "EfficientNetV2 branch",
                  "decision-level fusion", "optimisation container", "three-stage flowchart"],
        "here": ["notebook 00 (primer) and bearingkit.physics.kinematics",
                 "bearingkit.models.gru.build_gru", "bearingkit.models.efficientnet.build_efficientnet",
                 "lee2026.late_fusion (pair_table, fusion_scores), Figs. 10-11",
                 "bearingkit.hpo (run_stage, HistoryDB)", "Table 1 and Algorithm 1 above"],
    }, index=[f"Fig. {i}" for i in range(1, 7)])


def dataset_overview(datasets: Mapping[str, Dataset]) -> pd.DataFrame:
    """One row per data set: kind, windows, channels, rate, window length and windows per class."""
    return pd.DataFrame({key: {"data": d.data_kind, "windows": len(d.y), "channels": ", ".join(d.channels),
                               "fs (Hz)": d.fs, "window": d.X.shape[-1],
                               **{c: int((d.y == i).sum()) for i, c in enumerate(d.classes)}}
                         for key, d in datasets.items()}).T


def convergence_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """One row per run: each score at full and at half budget, its change, and the verdict."""
    rows = []
    for result in results.values():
        check = result.convergence
        row = {"run": run_label(result)}
        for name in check["full"]:
            row[f"{name}, full"] = check["full"][name]
            row[f"{name}, half"] = check["half"][name]
        row["largest change"] = max((abs(v) for v in check["change"].values()), default=float("nan"))
        row["converged"] = check["converged"]
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else ["run", "converged"]).set_index("run")


def convergence_lines(results: Mapping[tuple[str, str], PipelineResult]) -> list[str]:
    """One line per run: converged, or why its numbers are no evidence."""
    return [f"{run_label(r)}: " + (not_converged_reason(r.convergence) or "converged")
            for r in results.values()]


def chance_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """One row per run, model and data scored on: macro-F1, its 95 % interval, chance, above chance or not.

    From each run's :func:`bearingkit.papers.lee2026.chance.chance_rows`.
    """
    rows = [{"run": run_label(result), **row} for result in results.values() for row in result.chance]
    index = ["run", "model", "scored on"]
    return pd.DataFrame(rows, columns=None if rows else index).set_index(index)


def chance_lines(results: Mapping[tuple[str, str], PipelineResult]) -> list[str]:
    """One line per model whose interval does not clear chance: its score says nothing about the method."""
    return [f"{run_label(result)}, {row['model']}, {row['scored on']}: {row['macro-F1']:.3f} (95 % interval "
            f"{row['low']:.3f}-{row['high']:.3f}), chance {row['chance']:.3f}: not above chance"
            for result in results.values() for row in result.chance if not row["above chance"]]


def reference_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """One row per run: each branch's best F_CV and the fused F_CV beside the features + SVM reference's.

    With a test set, the fused weighted average's held-out macro-F1 beside the reference's
    (:mod:`bearingkit.papers.lee2026.feature_reference`).
    """
    rows = []
    for result in results.values():
        row = {"run": run_label(result), "GRU best F_CV": float(result.branches["gru"].stage.best_value),
               "EfficientNetV2 best F_CV": float(result.branches["cnn"].stage.best_value),
               "fused F_CV": float(result.best_pair["f_cv"]),
               f"{REFERENCE_NAME} F_CV": result.reference["F_CV"]}
        if "held-out" in result.reference:
            row["fused, held-out"] = result.test.get("weighted average + argmax", float("nan"))
            row[f"{REFERENCE_NAME}, held-out"] = result.reference["held-out"]
        rows.append(row)
    return pd.DataFrame(rows, columns=None if rows else ["run"]).set_index("run")


def reference_lines(results: Mapping[tuple[str, str], PipelineResult], *, margin: float = 0.05) -> list[str]:
    """One line per run whose best branch scores more than ``margin`` (macro-F1) below the reference.

    Such a run's branches have not learnt what its windows carry, so its numbers say little about the method
    at the paper's scale.
    """
    lines = []
    for result in results.values():
        best = max(float(result.branches[b].stage.best_value) for b in BRANCHES)
        ours = result.reference["F_CV"]
        if ours - best > margin:
            lines.append(f"{run_label(result)}: the best branch reaches F_CV {best:.3f}, {ours - best:.3f} "
                         f"below {REFERENCE_NAME} on the same windows and folds ({ours:.3f}): the windows "
                         "carry the classes, the branches have not learnt them at this profile's size")
    return lines


def fig7a_components(result: PipelineResult) -> dict[str, pd.Series]:
    """Fig. 7a: the normalised CSS components and CSS (x 100) of each branch's chosen candidate."""
    return {branch: (100 * result.stage1[branch].loc[result.chosen[branch], [*separability.METRICS, "css"]]
                     ).astype(float) for branch in BRANCHES}


def fig7a_table(result: PipelineResult) -> pd.DataFrame:
    """Fig. 7a's numbers: the paper's, our GRU candidate's (with the difference) and our CNN candidate's."""
    ours = fig7a_components(result)
    table = reference.paper_vs_ours(reference.published(PAPER, "fig7a_css_components_cwru_pct"),
                                    ours["gru"].to_dict())
    table["ours, CNN branch"] = ours["cnn"].reindex(table.index).to_numpy()
    return table


def importance_table(result: PipelineResult) -> pd.DataFrame:
    """Fig. 8b's numbers: fANOVA importance per hyperparameter (rows) and branch (columns)."""
    return pd.DataFrame({b: pd.Series(result.branches[b].importance, dtype=float) for b in BRANCHES})


def halving_summary(result: PipelineResult) -> pd.DataFrame:
    """Stage 1's successive halving per branch and rung: candidates, segments and the best CSS."""
    return pd.concat({b: result.halving[b].groupby("rung").agg(candidates=("candidate", "size"),
                                                               segments=("segments", "max"),
                                                               best_css=("css", "max"))
                      for b in BRANCHES})


def halving_choice_lines(result: PipelineResult) -> list[str]:
    """Where each branch's chosen candidate ranks by CSS of the whole pool on every segment."""
    lines = []
    for b in BRANCHES:
        css = result.stage1[b]["css"]
        rank = int((css > css.iloc[result.chosen[b]]).sum()) + 1
        lines.append(f"{b.upper()}: halving chose candidate {result.chosen[b]}, ranked {rank} of {len(css)} "
                     f"by CSS of the whole pool on every segment")
    return lines


def baselines_table(result: PipelineResult) -> pd.DataFrame:
    """Out-of-fold macro-F1 of each branch's best trial and of the simplex fusion of the best pair."""
    return pd.Series(result.baselines, name=f"OOF macro-F1, {run_label(result)}").to_frame()


def best_pair_table(result: PipelineResult) -> pd.DataFrame:
    """The best (k, t) pair of Eq. 11: its indices, rung, folds, simplex weights and F_CV."""
    return pd.Series(result.best_pair, name="best (k, t) pair (Eq. 11)").to_frame()


def fig10_cells(table: pd.DataFrame) -> dict[str, float]:
    """The four numbers §4.2 prints, read from one Fig. 10 matrix (``late_fusion.heatmap_table``)."""
    return {"concatenation + LightGBM": table.loc["concatenation", "LightGBM"],
            "simple average + argmax": table.loc["simple average", "argmax"],
            "delta_concatenation_lightgbm_vs_argmax": table.loc["concatenation", "LightGBM"]
            - table.loc["simple average", "argmax"],
            "weighted average + LightGBM": table.loc["weighted average", "LightGBM"]}


def fig10_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """Fig. 10's printed numbers: the paper's (MAFAULDA) beside every run's."""
    paper = reference.published(PAPER, "fig10_macro_f1_mafaulda")
    ours = {run_label(r): fig10_cells(heatmap_table(r.scores)) for r in results.values()}
    table = pd.concat({run: reference.paper_vs_ours(paper, cells)["ours"] for run, cells in ours.items()},
                      axis=1)
    table.insert(0, "paper (MAFAULDA)", pd.Series(paper))
    return table


def cv_std_runs(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """Fig. 11's data of every run: the CV std of macro-F1 per rule, head and seed, with a ``run`` column."""
    return pd.concat([cv_std_table(r.scores).assign(run=run_label(r)) for r in results.values()])


def fig11_medians(stds: pd.DataFrame) -> pd.DataFrame:
    """The median CV std per run (rows) and fusion rule (columns) of :func:`cv_std_runs`."""
    return stds.groupby(["run", "rule"])["cv_std"].median().unstack()


def wilcoxon_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """Every run's Wilcoxon signed-rank tests: on one seed's 5 folds, and on all seed x fold pairs.

    Significance is at the paper's level (§4.1: alpha = 0.05).
    """
    alpha = reference.published(PAPER, "cv")["wilcoxon_alpha"]
    rows = []
    for r in results.values():
        for comparison, test in r.wilcoxon.items():
            rows.append({"run": run_label(r), "comparison": comparison, "mean ΔF1": test["mean_difference"],
                         "W, 5 pairs": test["one_seed"]["statistic"],
                         "p, 5 pairs (one seed)": test["one_seed"]["p"],
                         "W, 15 pairs": test["all_pairs"]["statistic"],
                         "p, 15 pairs (3 seeds x 5 folds)": test["all_pairs"]["p"],
                         f"significant at {alpha:g} (15 pairs, optimistic)":
                             significant(test["all_pairs"]["p"], alpha=alpha),
                         "converged": r.convergence["converged"]})
    return pd.DataFrame(rows)


def held_out_table(results: Mapping[tuple[str, str], PipelineResult]) -> pd.DataFrame:
    """Macro-F1 on the held-out test set of every run that has one (no choice was made on it)."""
    return pd.DataFrame({run_label(r): r.test for r in results.values() if r.test}).T


def timings_table(results: Mapping[tuple[str, str], PipelineResult],
                  wall_s: Mapping[tuple[str, str], float]) -> pd.DataFrame:
    """Every run's stage timings (s), its trials per branch and its wall time over every piece."""
    table = pd.DataFrame({run_label(r): r.seconds for r in results.values()}).T
    table["trials GRU / CNN"] = [" / ".join(str(len(r.branches[b].stage.trials)) for b in BRANCHES)
                                 for r in results.values()]
    table["wall, every piece (s)"] = [wall_s[k] for k in results]
    return table
