"""The verdict rules, each with its threshold as an argument, and the verdict text they make."""

import pandas as pd
import pytest

from bearingkit.papers.lee2026.claims import (
    cv_std_possible,
    largest_cv_std,
    pairs_can_be_significant,
    significant,
    smallest_p_value,
    verdict_lines,
)
from bearingkit.papers.lee2026.css_check import CssCheck


def test_a_std_of_0_008_cannot_belong_to_a_mean_of_0_9985_over_five_folds():
    assert largest_cv_std(0.9985, folds=5) == pytest.approx(0.0033541, abs=1e-6)
    assert not cv_std_possible(0.008, mean_f1=0.9985, folds=5)
    assert cv_std_possible(0.003, mean_f1=0.9985, folds=5)
    assert cv_std_possible(0.008, mean_f1=0.99, folds=5)          # a lower mean leaves room for the spread
    assert largest_cv_std(1.0, folds=5) == 0.0 == largest_cv_std(1.2, folds=5)


def test_five_pairs_cannot_be_significant_at_five_percent_and_six_can():
    assert smallest_p_value(5) == 0.0625 and not pairs_can_be_significant(5, alpha=0.05)
    assert pairs_can_be_significant(6, alpha=0.05) and not pairs_can_be_significant(6, alpha=0.01)
    assert significant(0.04, alpha=0.05) and not significant(0.05, alpha=0.05)


def test_a_converged_run_gets_its_numbers_and_an_unconverged_one_no_verdict(
        run_result, unconverged_result, make_synthetic):
    datasets = {"cwru": make_synthetic(n_per_class=2, length=256)}
    lines = verdict_lines({("cwru", "paper"): run_result}, datasets, fusion_folds=5)
    assert lines[0].startswith("* **Can a median CV std of 0.008 belong to a mean macro-F1 of 0.9985?** No.")
    assert "0.0034 (ddof = 1)" in lines[0]
    run_line = lines[1]
    assert run_line.startswith("* **CWRU, paper:** weighted average + LightGBM")
    assert "over 15 pairs" in run_line
    assert "held-out test" not in run_line
    assert any("synthetic: 2 channel(s) (a, b)" in line for line in lines)
    assert any("there is no inner-race class" in line for line in lines)
    other = verdict_lines({("cwru", "paper"): unconverged_result}, datasets, fusion_folds=5)
    assert other[1].startswith("* **CWRU, paper: no verdict on fusion.** not converged")


def test_the_css_check_leads_the_verdict_when_it_ran(run_result, make_synthetic):
    check = CssCheck(pd.DataFrame({"candidate": ["a", "b"], "css": [0.9, 0.1], "f_cv": [0.8, 0.5]}), 1.0, 0.0)
    lines = verdict_lines({}, {"cwru": make_synthetic(n_per_class=2)}, fusion_folds=5, css_check=check)
    assert lines[0].startswith("* **Does CSS rank candidates the way trained models do?** Spearman ρ = 1.00")
    assert "on 2 candidates" in lines[0]
