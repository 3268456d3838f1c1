"""Did a run train to its plateau? Each run checked against itself at half its budget.

A model that is not trained to its plateau gives no evidence about a method. The check fuses the first half
of each branch's trials, each trained for half its epochs (``branch_search.half_budget``: a cosine schedule
over the half run's own epochs), exactly as the full run is, and compares the scores: a run whose branch
F_CV or fused score moves by more than the tolerance is not converged, and its fusion rows are not
comparable.
"""

from __future__ import annotations

from collections.abc import Mapping

from bearingkit.evaluation import fusion
from bearingkit.evaluation.metrics import macro_f1
from bearingkit.papers.lee2026.branch_search import BranchResult
from bearingkit.papers.lee2026.late_fusion import best_pair, pair_table
from bearingkit.papers.lee2026.settings import BRANCHES

__all__ = ["CONVERGENCE_TOLERANCE", "convergence_check", "not_converged_reason"]

#: The largest change of a fused score (macro-F1, 0-1) between half and full budget of a converged run.
CONVERGENCE_TOLERANCE = 0.02


def convergence_check(branches: Mapping[str, BranchResult], y_dev, y_test, folds, *, eta: int,
                      full_fused: float, full_test: float | None,
                      tolerance: float = CONVERGENCE_TOLERANCE) -> dict:
    """Does the run's fused score hold when its budget is halved? (trials and epochs).

    The half-budget run fuses its own top K (Eqs. 10-11, ``late_fusion.pair_table``) and, with a test set,
    scores the weighted average of its best pair on it. A run is converged when every fused score and each
    branch's best F_CV moves by at most ``tolerance`` (2 points of macro-F1); a run whose half budget left
    no trial at half its epochs is not converged.

    Returns
    -------
    dict
        ``full`` and ``half``: the branches' best F_CV, ``fused F_CV`` and (with a test set) ``held-out
        fused``; ``change``: half minus full of each; ``converged``: bool; ``tolerance``.
    """
    full = {f"{b} best F_CV": float(branches[b].stage.best_value) for b in BRANCHES}
    full["fused F_CV"] = float(full_fused)
    if full_test is not None:
        full["held-out fused"] = float(full_test)
    half_gru, half_cnn = branches["gru"].half, branches["cnn"].half
    if half_gru is None or half_cnn is None:
        missing = {k: float("nan") for k in full}
        return {"full": full, "half": missing, "change": missing, "converged": False, "tolerance": tolerance}
    half = {"gru best F_CV": half_gru["best"], "cnn best F_CV": half_cnn["best"]}
    pairs = pair_table(half_gru["oof"], half_cnn["oof"], y_dev, folds, eta=eta)
    pair = best_pair(pairs)
    half["fused F_CV"] = float(pair["f_cv"])
    if full_test is not None:
        fused = fusion.fuse_weighted([half_gru["test"][int(pair["k"])], half_cnn["test"][int(pair["t"])]],
                                     (pair["w_rnn"], pair["w_cnn"]))
        half["held-out fused"] = macro_f1(y_test, fused.argmax(axis=1))
    change = {k: half[k] - full[k] for k in full}
    return {"full": full, "half": half, "change": change, "tolerance": tolerance,
            "converged": bool(all(abs(v) <= tolerance + 1e-12 for v in change.values()))}


def not_converged_reason(check: Mapping) -> str:
    """Why a run's numbers are no evidence about the method, from its :func:`convergence_check` ("" if none).

    Examples
    --------
    >>> check = {"converged": False, "tolerance": 0.02, "change": {"fused F_CV": -0.05}}
    >>> reason = not_converged_reason(check)
    >>> reason.startswith("not converged"), "fused F_CV moves -0.050 (more than 0.02)" in reason
    (True, True)
    """
    if check["converged"]:
        return ""
    moved = {k: v for k, v in check["change"].items() if not abs(v) <= check["tolerance"]}
    return ("not converged: at half its budget (trials and epochs) " +
            "; ".join(f"{k} moves {v:+.3f}" for k, v in moved.items()) +
            f" (more than {check['tolerance']:.2f}): train longer before reading it as evidence")
