"""The verdict on each of the paper's claims: one pure rule per verdict, and the verdict text of a run.

Each rule takes its threshold as an argument (the published value it tests, a significance level), so that
the notebook's verdict follows from the numbers and the rule, never from a sentence typed beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from bearingkit.papers.lee2026.convergence import not_converged_reason
from bearingkit.papers.lee2026.css_check import CssCheck
from bearingkit.papers.lee2026.data import MAFAULDA_CLASSES, Dataset
from bearingkit.papers.lee2026.late_fusion import fusion_summary
from bearingkit.papers.lee2026.pipeline import PipelineResult
from bearingkit.papers.lee2026.settings import PAPER
from bearingkit.report import reference

__all__ = ["cv_std_possible", "largest_cv_std", "pairs_can_be_significant", "significant", "smallest_p_value",
           "verdict_lines"]


def largest_cv_std(mean_f1: float, *, folds: int) -> float:
    """The largest standard deviation (ddof = 1) of ``folds`` fold scores <= 1 whose mean is ``mean_f1``.

    The scores fall short of 1 by ``folds * (1 - mean_f1)`` in total; their spread is largest when one fold
    carries all of it: ``(1, ..., 1, 1 - folds * (1 - mean_f1))``.

    Examples
    --------
    >>> round(largest_cv_std(0.9985, folds=5), 4)
    0.0034
    """
    shortfall = folds * (1.0 - min(mean_f1, 1.0))
    return float(np.std([1.0] * (folds - 1) + [1.0 - shortfall], ddof=1))


def cv_std_possible(std: float, *, mean_f1: float, folds: int) -> bool:
    """Can a CV standard deviation ``std`` belong to a mean macro-F1 ``mean_f1`` over ``folds`` folds?

    The rule behind the verdict on Figs. 10-11 (median CV std 0.008 at mean 0.9985): only if ``std`` is at
    most :func:`largest_cv_std`.
    """
    return std <= largest_cv_std(mean_f1, folds=folds) + 1e-12


def significant(p: float, *, alpha: float) -> bool:
    """A Wilcoxon signed-rank test rejects equality at level ``alpha`` (§4.1: 0.05)."""
    return p < alpha


def smallest_p_value(n_pairs: int) -> float:
    """The smallest two-sided p of an exact Wilcoxon signed-rank test on ``n_pairs`` pairs: 2 / 2**n.

    Examples
    --------
    >>> smallest_p_value(5)
    0.0625
    """
    return 2.0 / 2 ** n_pairs


def pairs_can_be_significant(n_pairs: int, *, alpha: float) -> bool:
    """Can any difference on ``n_pairs`` pairs reach ``alpha``? (5 pairs, one seed's folds: never at 0.05)."""
    return significant(smallest_p_value(n_pairs), alpha=alpha)


def _std_line(std: float, mean_f1: float, folds: int) -> str:
    largest = largest_cv_std(mean_f1, folds=folds)
    shortfall = folds * (1 - mean_f1)
    worst = ", ".join(["1"] * (folds - 1) + [f"{1 - shortfall:.4g}"])
    question = f"* **Can a median CV std of {std:g} belong to a mean macro-F1 of {mean_f1:g}?**"
    fact = (f"{folds} fold scores ≤ 1 with mean {mean_f1:g} fall short of 1 by {shortfall:.4g} in total; the "
            f"std is largest when one fold carries all of it, ({worst}): {largest:.4f} (ddof = 1)")
    if cv_std_possible(std, mean_f1=mean_f1, folds=folds):
        return f"{question} Yes. {fact}, at least the paper's {std:g}."
    return (f"{question} No. {fact}, below the paper's {std:g}. The box plot must pool other heads or "
            f"seeds, or the two figures describe different runs.")


def _run_line(result: PipelineResult, *, folds: int) -> str:
    name = f"{result.dataset}, {result.split}"
    if not result.convergence["converged"]:
        return f"* **{name}: no verdict on fusion.** {not_converged_reason(result.convergence)}."
    mean = fusion_summary(result.scores)["macro_f1"]["mean"]
    std = fusion_summary(result.scores)["macro_f1"]["std"]
    test = result.wilcoxon["weighted average + LightGBM vs weighted average + argmax"]
    concat = mean[("concatenation", "LightGBM")]
    held_out = (f", and on the held-out test concatenation + LightGBM "
                f"{result.test['concatenation + LightGBM']:.4f} vs weighted average + argmax "
                f"{result.test['weighted average + argmax']:.4f}" if result.test else "")
    return (f"* **{name}:** weighted average + LightGBM {mean[('weighted average', 'LightGBM')]:.4f} vs "
            f"weighted average + argmax {mean[('weighted average', 'argmax')]:.4f} (mean ΔF1 "
            f"{test['mean_difference']:+.4f}, Wilcoxon p = {test['all_pairs']['p']:.3g} over "
            f"{test['all_pairs']['n']} pairs); concatenation + LightGBM {concat:.4f} ± "
            f"{std[('concatenation', 'LightGBM')]:.4f}, whose largest possible CV std is "
            f"{largest_cv_std(concat, folds=folds):.4f}; the simplex fusion of Eq. 10–11 (w_RNN = "
            f"{result.best_pair['w_rnn']:.2f}) scores {result.baselines['simplex fusion (Eq. 10-11)']:.4f} "
            f"out of fold{held_out}.")


def verdict_lines(results: Mapping[tuple[str, str], PipelineResult], datasets: Mapping[str, Dataset], *,
                  fusion_folds: int, css_check: CssCheck | None = None) -> list[str]:
    """The verdict on each claim, as Markdown bullets, from the runs' numbers.

    Parameters
    ----------
    results : mapping
        The finished runs (``NotebookRuns.results``); a run that did not converge gets no fusion verdict.
    datasets : mapping
        The data sets, for their channels.
    fusion_folds : int
        Folds of the fusion comparison (§4.1), for the largest CV std a run's mean allows.
    css_check : CssCheck, optional
        The CSS-versus-training check, when it ran.
    """
    published = reference.published(PAPER, "fig10_macro_f1_mafaulda")["concatenation + LightGBM"]
    lines = [_std_line(reference.published(PAPER, "fig11_median_cv_std_concatenation_mafaulda"), published,
                       reference.published(PAPER, "cv")["folds"])]
    if css_check is not None:
        lines.insert(0, f"* **Does CSS rank candidates the way trained models do?** Spearman ρ = "
                        f"{css_check.rho:.2f} (p = {css_check.p:.2f}) between CSS and the CV macro-F1 of one "
                        f"fixed GRU on {len(css_check.table)} candidates of CWRU's GRU pool.")
    lines += [_run_line(result, folds=fusion_folds) for result in results.values()]
    stated = reference.published(PAPER, "classes")["mafaulda_as_stated"]
    lines += [
        "* **Why can a learned head on weighted-average posteriors score below argmax?** The head sees the "
        "same C numbers argmax sees and could learn argmax itself; where it loses (rows above with a "
        "negative ΔF1) it has to learn a decision rule from a few hundred near-one-hot rows, trained on 4/5 "
        "of them; argmax needs no training. A gap of 0.09, as the paper's 0.9039 vs 0.9926, points to such a "
        "fitting problem, not to the rule.",
        "* **Which fusion is \"the proposed method\"?** §2.3 and §3.2.3 propose simplex weights (Eq. 10–11), "
        "never reported; §4.2 reports concatenation + LightGBM as best and calls the weighting the "
        "\"cost-effective alternative\". Both are computed above, per run.",
        f"* **MAFAULDA's classes.** The paper lists {', '.join(stated)}; MAFAULDA's bearing faults are "
        f"{', '.join(MAFAULDA_CLASSES[1:])}: there is no inner-race class (the simulated rig has "
        f"{', '.join(MAFAULDA_CLASSES)}).",
        "* **\"Six-axis\" input.** " + _channels(datasets.values()) + " — both branches of a data set get "
        "the same channels.",
        "* **Selection on the evaluation data.** Top-K, the fusion weights and the reported F1 come from the "
        "same out-of-fold predictions, with no held-out test (§3.3, §4.1); the held-out rows above show what "
        "a test set that none of these choices saw gives.",
    ]
    return lines


def _channels(datasets: Iterable[Dataset]) -> str:
    return "; ".join(f"{d.name}: {len(d.channels)} channel(s) ({', '.join(d.channels)})" for d in datasets)
