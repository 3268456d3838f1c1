"""The sentences of notebook 03 state the numbers they are given."""

from types import SimpleNamespace

import numpy as np
import pandas as pd

from bearingkit.papers.sedira2026 import prose
from bearingkit.papers.sedira2026.settings import Settings
from bearingkit.papers.sedira2026.signals import defect_frequencies_hz, eq18_facts

T7 = {"HMM": {"OR": 91.0, "IR": 98.66, "Ball": 95.33}, "RBFNN": {"OR": 95.0, "IR": 99.0, "Ball": 97.0},
      "Hybrid": {"OR": 99.0, "IR": 100.0, "Ball": 100.0}}
T8 = {"HMM": {"IR": [100.0, 100.0, 100.0, 94.7], "Ball": [100.0, 100.0, 86.8, 94.7]}}


def test_choices_state_the_settings():
    text = prose.choices(Settings(window=2048, max_neurons=40))
    assert "windows of 2048 samples" in text and "**40 units**" in text


def test_eq18_note_says_which_printed_lines_match():
    published = {"rpm": 1796, "inner": 151, "outer": 119, "ball": 126}
    index = pd.MultiIndex.from_tuples([("CWRU", f"{n} frequency") for n in ("inner", "outer", "ball")])
    table4 = pd.DataFrame({"status (paper)": ["differs", "reproduced", "differs"]}, index=index)
    text = prose.eq18_note(eq18_facts(rpm=1796), defect_frequencies_hz(rpm=1796), published, table4,
                           tolerance=1.0)
    assert "**141.1 Hz**" in text and "match only outer within ±1.0 Hz" in text


def test_test_counts_note_adds_up_the_errors():
    counts = pd.DataFrame({"k of 150": ["148/150", "143/150", "", "", ""],
                           "k of 38": ["", "", "36/38", "33/38", "36/38"]})
    text = prose.test_counts_note(counts, T7, T8)
    assert "the IR HMM's 2 errors of class 4 are Table 7's 2 of 150" in text
    assert "the Ball HMM's 5 + 2 errors its 7 of 150" in text


def test_kurtogram_rbf_and_cross_load_notes():
    table = pd.DataFrame({"best level": [0.0, 1.5, 0.0]})
    assert "in 2 of 3 records" in prose.kurtogram_note(table, level0="envelope")
    network = SimpleNamespace(n_features_in_=5, centers_=[0] * 7, spread=2.0, training_mse_=[0.5, 0.02],
                              classes_=[0, 1, 2, 3])
    assert "7 hidden units of spread 2.0" in prose.rbf_note(network, Settings())
    assert "(n = 5 runs)" in prose.cross_load_note({"OR": True}, 5)


def test_fusion_lock_note_reports_the_lock_and_the_flat_curves():
    facts = pd.DataFrame({"flat from alpha": [True, False], "at alpha": [99.0, 60.0], "at 1": [99.0, 55.0]},
                         index=["OR paper", "OR cross-load"])
    versus = pd.DataFrame({"hybrid = HMM (%)": [100.0, 95.0], "HMM errors": [3, 4], "corrected": [0, 1],
                           "added": [0, 0]})
    lock = {"locked (%)": 97.5, "test windows": 200, "HMM and RBFNN disagree": 10,
            "RBFNN wins (% of disagreements)": 10.0}
    t9 = {"OR": [-53129.73, -1154.2, -94.23, -1131.56]}
    text = prose.fusion_lock_note(facts, versus, lock, T7, t9, alpha=0.5)
    assert "**97.5 %** of all 200" in text and "Of 7 HMM errors it corrects 1 and adds 0" in text
    assert "flat from α = 0.5 to 1 for 1 of 2 curves; it still moves for OR cross-load" in text
    assert "no RBF score vector can change the decision" in text


def test_sensitivity_note_gives_the_range_of_each_reading():
    sensitivity = pd.DataFrame({
        "Hybrid (Eq. 33 as printed)": [90.0], "log-likelihoods scaled to [0, 1]": [92.0],
        "softmax at temperature T": [95.0], "= HMM (%), log-likelihoods scaled to [0, 1]": [80.0],
        "= HMM (%), softmax at temperature T": [70.0], "T (nats, median over seeds)": [12.0]},
        index=pd.MultiIndex.from_tuples([("OR", "paper")]))
    text = prose.sensitivity_note(sensitivity, T7, ["OR"])
    assert "moves by +2.00 to +2.00 pp" in text and "OR 92.00 / 95.00 % (paper 99.00 %)" in text


def test_table9_and_paderborn_notes():
    table9 = pd.DataFrame({("OR", "paper"): [-5.0, -1.0], ("OR", "ours"): [-50.0, -2.0]}, index=["h", "f"])
    text = prose.table9_note(table9, {"OR": 100.0}, class_names=["h", "f"])
    assert "{'OR': 'h'}" in text and "{'OR': 100.0}" in text
    levels = pd.DataFrame({("median RMS", "normal"): [2.0, 0.5], ("median RMS", "inner"): [3.0, 0.6],
                           ("mean", "normal"): [0.4, 0.0], ("mean", "inner"): [0.0, 0.01]},
                          index=["N09_M07_F10", "N15_M07_F10"])
    levels.columns = pd.MultiIndex.from_tuples(levels.columns)
    text = prose.paderborn_level_note(levels)
    assert "the slower shaft gives the *larger* signal (its quietest class 3.33 ×" in text
    assert "Its normal segments also carry an offset (median mean +0.400" in text


def test_worst_pair_note_names_what_changed():
    shares = pd.DataFrame([[0.0, 100.0, 0.0], [0.0, 100.0, 0.0], [100.0, 0.0, 0.0]],
                          columns=["as h", "as i", "as o"])
    shift = pd.DataFrame({"rms": [2.0, 1.0, 0.5], "kurtosis": [1.0, 1.0, 1.0]})
    summary = {"pair": ["N15_M07_F10", "N09_M07_F10"], "k": 1, "n": 3}
    text = prose.worst_pair_note(summary, shares, shift, class_names=["h", "i", "o"])
    assert "**N15_M07_F10 → N09_M07_F10**" in text and "speed (N, x100 rpm): N15 → N09" in text
    assert "h → i (100 %)" in text and "(33.3 %)" in text


def test_verdict_lines_and_bullets():
    table12 = pd.DataFrame({"published": [99.0, 99.3], "ours (paper)": [98.0, 97.0],
                            "ours (contiguous-block)": [90.0, np.nan], "ours (cross-load)": [50.0, np.nan],
                            "ours (cross-condition)": [np.nan, 60.0]},
                           index=pd.MultiIndex.from_tuples([("CWRU", "overall accuracy, Hybrid"),
                                                            ("Paderborn", "overall accuracy, Hybrid")],
                                                           names=["data set", "quantity"]))
    ordering = pd.DataFrame({"HMM": [97.0], "RBFNN": [96.0], "Hybrid": [98.0], "hybrid ≥ max(single)": [True],
                             "data": ["simulated"]},
                            index=pd.MultiIndex.from_tuples([("axial rig", "paper")]))
    lines = prose.verdict_lines(table12, ordering, {"locked (%)": 97.5})
    assert lines["CWRU paper split, hybrid"] == "98.00 % vs paper 99.00 %"
    assert lines["hybrid ≥ max(single), axial rig paper (simulated)"] == "True (98.00 vs 97.00 %)"
    assert prose.bullet_list({"a": "1", "b": "2"}) == "- a: 1\n- b: 2"
