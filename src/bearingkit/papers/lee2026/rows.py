"""Every results row notebook 02 records (:mod:`bearingkit.report.results`), and the details beside them.

Figs. 7a and 8b come from the main run (CWRU, paper split); Figs. 10 and 11 from every data set x split. A run
that is unfinished has its rows *not run* with the reason; a run that did not converge has them *not
comparable* (its numbers say nothing about the method yet). MAFAULDA itself is not in the data mirror: its
rows are *not run*.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pandas as pd

from bearingkit.features import separability
from bearingkit.papers.lee2026.branch_search import BranchResult
from bearingkit.papers.lee2026.claims import largest_cv_std
from bearingkit.papers.lee2026.convergence import not_converged_reason
from bearingkit.papers.lee2026.css_check import CssCheck
from bearingkit.papers.lee2026.data import Dataset
from bearingkit.papers.lee2026.late_fusion import cv_std_table, fusion_summary, heatmap_table
from bearingkit.papers.lee2026.pipeline import PipelineResult
from bearingkit.papers.lee2026.runs import NotebookRuns
from bearingkit.papers.lee2026.settings import BRANCHES, MAIN_RUN, PAPER
from bearingkit.papers.lee2026.tables import fig7a_components, fig10_cells
from bearingkit.report import reference, results

__all__ = ["TOLERANCES", "fig7a_rows", "fig8b_rows", "fusion_rows", "mafaulda_rows", "results_details",
           "results_rows", "rows_overview"]

#: Tolerances of each kind of number (ours, stated once): CSS components in points of 0-100, fANOVA
#: importance, macro-F1, and the CV standard deviation of macro-F1.
TOLERANCES = {"css": 10.0, "importance": 0.1, "macro_f1": 0.01, "cv_std": 0.005}


def fig7a_rows(result: PipelineResult | None, *, dataset: str, reason: str) -> list[dict]:
    """Fig. 7a: each normalised CSS component of each branch's chosen candidate (x 100), paper vs ours."""
    paper = reference.published(PAPER, "fig7a_css_components_cwru_pct")
    ours = None if result is None else fig7a_components(result)
    return [results.row(paper=PAPER, item="Fig. 7a", quantity=f"{metric}, chosen {branch.upper()} candidate "
                        f"(normalised x100)", dataset=dataset, data_kind="real", split="paper",
                        paper_value=paper[metric], ours=None if ours is None else float(ours[branch][metric]),
                        tolerance=TOLERANCES["css"], unit="points", reason=reason)
            for branch in BRANCHES for metric in [*separability.METRICS, "css"]]


def fig8b_rows(result: PipelineResult | None, *, dataset: str, reason: str) -> list[dict]:
    """Fig. 8b: fANOVA importance of the paper's two most important hyperparameters, per branch.

    Without ``reason``, a value fANOVA could not give (fewer than 3 complete trials) says so.
    """
    rows = []
    for branch in BRANCHES:
        trials = None if result is None else result.branches[branch].stage.trials
        n_complete = 0 if trials is None else int((trials["state"] == "COMPLETE").sum())
        for name, value in reference.published(PAPER, "fig8b_importance_cwru").items():
            ours = None if result is None else result.branches[branch].importance.get(name)
            why = reason or ("" if ours is not None else
                             f"fANOVA needs at least 3 complete trials, {n_complete} completed")
            rows.append(results.row(
                paper=PAPER, item="Fig. 8b", dataset=dataset, data_kind="real", split="paper",
                quantity=f"fANOVA importance of {name}, {branch.upper()} ({n_complete} complete trials)",
                paper_value=value, ours=None if ours is None else float(ours),
                tolerance=TOLERANCES["importance"], unit="", reason=why))
    return rows


def fusion_rows(data: Dataset, split: str, result: PipelineResult | None, *,
                unfinished: str = "") -> list[dict]:
    """Figs. 10-11 of one run: the four numbers §4.2 prints, the median CV std of concatenation and, on a
    held-out split, concatenation + LightGBM on the test set.

    ``unfinished`` is the reason of a run stopped by its deadline (its rows are not run); a run that did
    not converge has its rows not comparable, with the numbers.
    """
    paper = reference.published(PAPER, "fig10_macro_f1_mafaulda")
    reason = unfinished or ("" if result is None else not_converged_reason(result.convergence))
    common = {"paper": PAPER, "dataset": data.name, "data_kind": data.data_kind, "split": split, "unit": "",
              "reason": reason, "comparable": not reason}
    cells = fig10_cells(heatmap_table(result.scores)) if result is not None else dict.fromkeys(paper)
    rows = [results.row(item="Fig. 10", quantity=f"macro-F1 {name} (paper: MAFAULDA)",
                        paper_value=paper[name], ours=None if value is None else float(value),
                        tolerance=TOLERANCES["macro_f1"], **common)
            for name, value in cells.items()]
    concat_std = None if result is None else float(
        cv_std_table(result.scores).query("rule == 'concatenation'")["cv_std"].median())
    rows.append(results.row(
        item="Fig. 11", quantity="median CV std of macro-F1, concatenation (paper: MAFAULDA)",
        paper_value=reference.published(PAPER, "fig11_median_cv_std_concatenation_mafaulda"), ours=concat_std,
        tolerance=TOLERANCES["cv_std"], **common))
    if split != "paper":
        rows.append(results.row(
            item="Fig. 10", quantity="macro-F1 concatenation + LightGBM on the held-out test set",
            paper_value=paper["concatenation + LightGBM"], tolerance=TOLERANCES["macro_f1"],
            ours=None if result is None else result.test["concatenation + LightGBM"], **common))
    return rows


def mafaulda_rows() -> list[dict]:
    """Fig. 10 on MAFAULDA itself: not run, its files are not in the data mirror."""
    reason = ("MAFAULDA's files are not in the data mirror; the simulated MAFAULDA-like rig stands in (full "
              "profile)")
    return [results.row(paper=PAPER, item="Fig. 10", quantity=f"macro-F1 {name}", dataset="MAFAULDA",
                        data_kind="real", split="paper", paper_value=value, ours=None,
                        tolerance=TOLERANCES["macro_f1"], unit="", reason=reason)
            for name, value in reference.published(PAPER, "fig10_macro_f1_mafaulda").items()]


def results_rows(datasets: Mapping[str, Dataset], done: Mapping[tuple[str, str], PipelineResult],
                 unfinished: Mapping[tuple[str, str], str]) -> list[dict]:
    """Every row of the notebook: Figs. 7a and 8b (main run), Figs. 10-11 per data set x split, MAFAULDA."""
    main, main_reason = done.get(MAIN_RUN), unfinished.get(MAIN_RUN, "")
    name = datasets[MAIN_RUN[0]].name
    rows = fig7a_rows(main, dataset=name, reason=main_reason)
    rows += fig8b_rows(main, dataset=name, reason=main_reason)
    for key, data in datasets.items():
        for split in ("paper", data.held_out_split):
            rows += fusion_rows(data, split, done.get((key, split)),
                                unfinished=unfinished.get((key, split), ""))
    return rows + mafaulda_rows()


def rows_overview(rows: list[dict]) -> pd.DataFrame:
    """The rows as a table of what a reader compares: item, quantity, data, paper vs ours, status, reason."""
    columns = ["item", "quantity", "dataset", "data_kind", "split", "paper_value", "ours_mean", "status",
               "reason"]
    return pd.DataFrame(rows)[columns]


def _trials(branch: BranchResult) -> dict:
    trials = branch.stage.trials
    return {"n": len(trials), "stopped_by": branch.stage.stopped_by, "best": branch.stage.best_value,
            "complete": int((trials["state"] == "COMPLETE").sum())}


def results_details(runs: NotebookRuns, *, css_check: CssCheck | None) -> dict:
    """The numbers beside the rows that the tests and the site read: every run's tables, by ``key|split``."""
    done = {f"{k}|{s}": r for (k, s), r in runs.results.items()}
    main = runs.results.get(MAIN_RUN)
    published_mean = reference.published(PAPER, "fig10_macro_f1_mafaulda")["concatenation + LightGBM"]
    paper_folds = reference.published(PAPER, "cv")["folds"]
    css = {} if css_check is None else {"rho": css_check.rho, "p": css_check.p,
                                        "table": css_check.table.to_dict("records")}
    return {
        "settings": dataclasses.asdict(runs.settings), "datasets": list(runs.datasets),
        "piece_seconds": runs.piece_seconds,
        "unfinished": {f"{k}|{s}": reason for (k, s), reason in runs.unfinished.items()},
        "fig7a": {} if main is None else {b: v.to_dict() for b, v in fig7a_components(main).items()},
        "fig8b": {} if main is None else {b: dict(main.branches[b].importance) for b in BRANCHES},
        "fig10": {key: heatmap_table(r.scores).to_dict() for key, r in done.items()},
        "fusion_summary": {key: fusion_summary(r.scores).reset_index().to_dict("records")
                           for key, r in done.items()},
        "wilcoxon": {key: r.wilcoxon for key, r in done.items()},
        "held_out_test": {key: r.test for key, r in done.items()},
        "baselines_oof": {key: r.baselines for key, r in done.items()},
        "best_pair": {key: r.best_pair for key, r in done.items()},
        "stage1_halving": {f"{key}|{b}": r.halving[b].to_dict("records")
                           for key, r in done.items() for b in BRANCHES},
        "stage3_pairs": {key: r.pairs.to_dict("records") for key, r in done.items()},
        "timings_s": {key: r.seconds for key, r in done.items()},
        "convergence": {key: r.convergence for key, r in done.items()},
        "above_chance": {key: r.chance for key, r in done.items()},
        "feature_reference": {key: r.reference for key, r in done.items()},
        "wall_s_every_piece": {f"{k}|{s}": w for (k, s), w in runs.wall_s.items()},
        "trials": {f"{key}|{b}": _trials(r.branches[b]) for key, r in done.items() for b in BRANCHES},
        "css_vs_training": css,
        "fig11_bound_for_0_9985": largest_cv_std(published_mean, folds=paper_folds),
        "history_db": runs.history.url, "history_studies": runs.history.study_names(),
    }
