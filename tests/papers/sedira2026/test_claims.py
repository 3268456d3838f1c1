"""Each claim's rule, both outcomes, and the ordering table that applies two of them to every database."""

import pytest

from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.papers.sedira2026 import claims


def test_at_least_holds_within_the_tolerance_and_not_beyond():
    assert claims.at_least(97.7, 99.66, tolerance=2.0)
    assert not claims.at_least(97.6, 99.66, tolerance=2.0)
    assert claims.at_least(99.0, 99.0, tolerance=0.0)


def test_at_least_best_single_is_the_ordering_rule_and_its_equivalent_form():
    assert claims.at_least_best_single(99.0, [91.0, 95.0])
    assert not claims.at_least_best_single(92.0, [95.0, 91.0])
    assert claims.at_least_best_single(93.5, [95.0, 91.0], tolerance=2.0)
    assert not claims.at_least_best_single(92.5, [95.0, 91.0], tolerance=2.0)


def test_strictly_increasing_needs_every_step_above_the_threshold():
    assert claims.strictly_increasing([91.0, 95.0, 99.0])
    assert not claims.strictly_increasing([99.3, 98.1, 99.0])
    assert not claims.strictly_increasing([91.0, 91.0, 99.0])
    assert not claims.strictly_increasing([91.0, 95.0, 99.0], step=5.0)


def test_rbf_beats_hmm_only_where_the_hmm_is_imperfect():
    assert claims.rbf_beats_hmm_where_imperfect({"OR": 91.0, "IR": 100.0}, {"OR": 95.0, "IR": 98.0})
    assert not claims.rbf_beats_hmm_where_imperfect({"OR": 91.0}, {"OR": 91.0})
    assert claims.rbf_beats_hmm_where_imperfect({"OR": 100.0}, {"OR": 90.0}) is None
    assert claims.rbf_beats_hmm_where_imperfect({"OR": 99.0}, {"OR": 90.0}, perfect=99.0) is None
    assert claims.rbf_beats_hmm_where_imperfect({"OR": 99.0}, {"OR": 90.0}, perfect=99.5) is False


def test_strictly_lowest_and_lowest_everywhere():
    assert claims.strictly_lowest({"OR": 91.0, "IR": 98.66, "Ball": 95.33}) == "OR"
    assert claims.strictly_lowest({"OR": 100.0, "IR": 100.0, "Ball": 100.0}) is None
    assert claims.lowest_everywhere({"HMM": "OR", "RBFNN": "OR"}, "OR")
    assert not claims.lowest_everywhere({"HMM": "OR", "RBFNN": "Ball"}, "OR")


def test_corrects_more_than_adds_needs_both_conditions():
    assert claims.corrects_more_than_adds({"corrected": 3, "added": 1, "HMM errors": 20})
    assert not claims.corrects_more_than_adds({"corrected": 1, "added": 0, "HMM errors": 20})   # a twentieth
    assert not claims.corrects_more_than_adds({"corrected": 5, "added": 5, "HMM errors": 20})
    assert claims.corrects_more_than_adds({"corrected": 1, "added": 0, "HMM errors": 20}, min_share=0.05)


def test_same_error_classes_in_every_model_and_set():
    assert claims.same_error_classes({"HMM OR": [2, 4], "RBFNN OR": []}, {"HMM OR": [2, 4], "RBFNN OR": []})
    assert not claims.same_error_classes({"HMM OR": [2, 4]}, {"HMM OR": [2]})


def test_in_every_run_mean_above_and_below():
    assert claims.in_every_run({"OR": 100.0, "IR": 100.0})
    assert not claims.in_every_run({"OR": 100.0, "IR": 80.0})
    assert claims.in_every_run({"OR": 100.0, "IR": 80.0}, required=80.0)
    assert claims.mean_above([3.0, -1.0], threshold=0.0) and not claims.mean_above([3.0, -1.0], threshold=2.0)
    assert claims.below(1.0, 2.0) and not claims.below(2.0, 2.0) and not claims.below(1.0, 2.0, margin=1.0)


def test_all_reproduced_by_share():
    assert claims.all_reproduced(["reproduced"] * 3)
    assert not claims.all_reproduced(["reproduced", "differs"])
    assert claims.all_reproduced(["reproduced", "differs"], share=0.5)
    assert not claims.all_reproduced([])


def test_a_claim_gets_a_computed_verdict_and_an_untestable_one_needs_a_reason():
    assert claims.claim("c", "p", "o", True)["verdict"] == "reproduced"
    assert claims.claim("c", "p", "o", False)["verdict"] == "not reproduced"
    assert claims.claim("c", "p", "o", None, why="no data")["verdict"] == "cannot be tested here"
    with pytest.raises(ParameterError, match="say why"):
        claims.claim("c", "p", "o", None)


def _row(model, value, dataset="CWRU", split="paper", kind="real"):
    return {"item": "Table 12", "quantity": f"overall accuracy, {model}", "dataset": dataset, "split": split,
            "data_kind": kind, "ours_mean": value}


def test_ordering_table_applies_both_rules_to_every_database_and_split():
    rows = [_row("HMM", 99.0), _row("RBFNN", 98.0), _row("Hybrid", 99.5),
            _row("HMM", 50.0, split="cross-load"), _row("RBFNN", 60.0, split="cross-load"),
            _row("Hybrid", 51.0, split="cross-load"),
            *(_row(m, v, "axial rig", kind="simulated") for m, v in (("HMM", 90.0), ("RBFNN", 97.0),
                                                                     ("Hybrid", 96.0)))]
    table = claims.ordering_table(rows, tolerance=2.0)
    assert table["hybrid ≥ max(single)"].tolist() == [True, False, False]
    assert table["best or equivalent"].tolist() == [True, False, True]
    assert table.loc[("CWRU", "cross-load"), "hybrid − best single"] == pytest.approx(-9.0)
    assert table.loc[("axial rig", "paper"), "data"] == "simulated"
    with pytest.raises(UnknownNameError):
        claims.ordering_table(rows, item="Table 7", tolerance=2.0)
