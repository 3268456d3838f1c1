"""The sentences of notebook 01 carry this run's numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.data import Segments
from bearingkit.papers.dimaggio2023 import prose
from bearingkit.papers.dimaggio2023.data import impact_severity
from bearingkit.papers.dimaggio2023.settings import Seeds, settings_for


def test_run_and_table1_summaries():
    text = prose.run_summary("quick", settings_for("quick"), Seeds(0, 1, (5, 6)))
    assert text.startswith("profile=quick: 4 chunks per signal, 2 runs per method (seeds [5, 6]), 216 "
                           "updates")
    assert "resampler polyphase; hardware:" in text
    assert prose.table1_summary({"counted": 72_141_184, "stated": 62_000_000}) == (
        "parameters: 72,141,184 counted from Table 1's layers; the paper states 62,000,000 (+10,141,184)")


def test_simulation_and_split_summaries():
    groups = pd.DataFrame({"record": ["a", "a", "b", "b"]})
    chunks = Segments(np.zeros((4, 8)), np.array(["normal", "normal", "inner", "inner"]), groups)
    assert prose.simulation_summary(chunks, 2.345) == "4 simulated chunks (2 signals) in 2.3 s"
    splits = {"paper": ([0, 2], [], [1, 3]), "held-out speeds": ([0, 1], [], [2, 3])}
    text = prose.split_summary(groups, splits, settings_for("quick"))
    assert text.startswith("signals with chunks in both train and test: {'paper': 2, 'held-out speeds': 0}")
    assert text.endswith("validation (607.0,) rpm, test (457.0, 877.0) rpm, all load cases")


def test_severity_summary_reads_the_table():
    severity = impact_severity()
    text = prose.severity_summary(severity)
    peak = severity.loc[("speed (now)", 127.0), "OR impact peak (g)"]
    assert text.startswith(f"At 124.8 kN the outer-race impacts now peak at {peak:.2f} g at 127 rpm")
    assert "(the slow bearing hit hardest)" in text


def test_front_end_summaries():
    assert prose.resampler_summary({"n": 24, "max": 0.4617, "mean": 0.00497, "low": -4.6, "high": 2.1}) == (
        "log-mel, polyphase vs kaiser_best resampling, 24 chunks: largest |difference| 0.462, mean 0.0050 "
        "(log units; patch values span -4.6 to 2.1)")
    agreement = {"n": 24, "top1_agreement": 0.625, "median_correlation": 0.8445, "max_abs_difference": 0.6148}
    assert "24 SIMULATED chunks: same top class on 62 %, median score correlation 0.845" in (
        prose.agreement_summary(agreement))
    assert prose.agreement_summary({"n": 0, "reason": "no file"}) == "YAMNet file not cross-checked: no file"


def test_cwru_summaries(mirror):
    from bearingkit.papers.dimaggio2023.data import cwru_view

    assert prose.cwru_missing_summary({}) == ""
    assert prose.cwru_missing_summary({98: "MissingDataError: " + "x" * 200}).startswith("98.mat not used: ")
    chunks, _ = cwru_view()
    train = np.arange(len(chunks))
    text = prose.cwru_normal_summary(chunks, train)
    assert text.startswith("normal class: 5 non-overlapping chunks from 1 record(s) at [0.0] HP")
    assert "Class weights on the paper split's training set: {'Normal':" in text
    assert text.endswith("% of their samples") and "cut every" in text


@pytest.mark.parametrize("counted", [62_000_000])
def test_table1_summary_without_a_difference(counted):
    assert prose.table1_summary({"counted": counted, "stated": 62_000_000}).endswith("(+0)")
