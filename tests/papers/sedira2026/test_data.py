"""Records, windows, the paper split and the leakage-aware splits of notebook 03."""

import numpy as np
import pandas as pd
import pytest

from bearingkit.data import segment
from bearingkit.errors import ParameterError
from bearingkit.evaluation import splits
from bearingkit.papers.sedira2026 import data
from bearingkit.papers.sedira2026.settings import AXIAL_SEVERITIES, PAPER_TEST_PER_CLASS


def test_class_of_orders_healthy_then_fault_sizes():
    groups = pd.DataFrame({"label": ["normal", "outer", "outer", "outer"],
                           "fault_size": [0.0, 0.021, 0.007, 0.014]})
    assert data.class_of(groups).tolist() == [0, 3, 1, 2]


def test_class_of_rejects_a_size_that_is_no_class():
    groups = pd.DataFrame({"label": ["inner"], "fault_size": [0.028]})
    with pytest.raises(ParameterError, match="0.028"):
        data.class_of(groups)


def test_label_index_follows_the_given_order_and_refuses_an_unknown_label():
    groups = pd.DataFrame({"label": ["outer", "normal", "inner"]})
    assert data.label_index(groups, labels=("normal", "inner", "outer")).tolist() == [2, 0, 1]
    with pytest.raises(ParameterError, match="cage"):
        data.label_index(pd.DataFrame({"label": ["cage"]}), labels=("normal",))


def test_paper_split_puts_exactly_the_requested_windows_of_each_class_in_test():
    y = np.repeat(np.arange(4), 100)
    train, test = data.paper_split(y, test_per_class=25, seed=1)
    assert np.bincount(y[test]).tolist() == [25] * 4
    assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 400
    assert np.array_equal(test, data.paper_split(y, test_per_class=25, seed=1)[1])
    assert not np.array_equal(test, data.paper_split(y, test_per_class=25, seed=2)[1])


def test_paper_split_takes_one_test_count_per_class():
    y = np.repeat(np.arange(4), 150)
    train, test = data.paper_split(y, test_per_class=(37, 37, 38, 38), seed=0)
    assert np.bincount(y[test]).tolist() == [37, 37, 38, 38] and len(train) == 450
    with pytest.raises(ParameterError, match="one per class"):
        data.paper_split(y, test_per_class=(37, 38), seed=0)


def test_paper_split_with_too_few_windows_is_a_parameter_error_naming_the_class():
    y = np.array([0] * 30 + [1] * 20)
    with pytest.raises(ParameterError, match=r"\{1: 20\}"):
        data.paper_split(y, test_per_class=25, seed=0)
    with pytest.raises(ParameterError, match="positive integer"):
        data.paper_split(y, test_per_class=0, seed=0)


def test_block_split_shares_no_sample(make_recording):
    windows = segment([make_recording("normal", 0.0, seed=1), make_recording("outer", 0.007, seed=2)],
                      length=4096, hop=2048)
    train, test = data.block_split(windows, seed=0)
    splits.assert_disjoint(windows.groups.iloc[train], windows.groups.iloc[test])
    assert len(test) > 0


def test_normal_baseline_is_resampled_to_12khz(mirror):
    rec = data.normal_baseline()
    assert rec.fs == 12_000 and rec.extra["resampled_from_hz"] == 48_000
    assert rec.n_samples == pytest.approx(243_938 / 4, abs=1)
    misread = data.normal_baseline(read_as_fs=True)
    assert misread.fs == 12_000 and misread.n_samples == 243_938


def test_unknown_cwru_set_is_a_clear_error():
    with pytest.raises(ParameterError, match="Ball"):
        data.cwru_records("Cage")


def test_axial_recordings_are_the_healthy_record_then_each_severity_reproducibly():
    healthy = data.axial_healthy(1, duration=0.5)
    records = data.axial_recordings("ball", [2, 3, 4], healthy=healthy, duration=0.5)
    assert [r.label for r in records] == ["normal", "ball", "ball", "ball"]
    assert records[0] is healthy and all(r.signal.ndim == 1 for r in records)
    groups = pd.DataFrame({"label": [r.label for r in records],
                           "fault_size": [r.fault_size for r in records]})
    assert data.class_of(groups, sizes=AXIAL_SEVERITIES).tolist() == [0, 1, 2, 3]
    again = data.axial_recordings("ball", [2, 3, 4], healthy=healthy, duration=0.5)
    assert all(np.array_equal(a.signal, b.signal) for a, b in zip(records, again, strict=True))
    with pytest.raises(ParameterError, match="one seed per severity"):
        data.axial_recordings("ball", [2, 3], healthy=healthy, duration=0.5)


def test_counts_matching_reads_tables_7_and_8_as_150_test_windows_not_152():
    assert data.counts_matching(98.66, [150, 152]) == {150: 148, 152: None}
    assert data.counts_matching(95.33, [150, 152]) == {150: 143, 152: None}
    assert data.counts_matching(94.7, [37, 38], decimals=1) == {37: None, 38: 36}
    assert sum(PAPER_TEST_PER_CLASS["IR"]) == 150 == sum(PAPER_TEST_PER_CLASS["Ball"])


def test_published_holds_every_table_the_notebook_reads():
    tables = data.published()
    assert list(tables) == ["table1", "table4", "table7", "table8", "table9", "table10", "table11", "table12",
                            "table13"]
    assert tables["table7"]["HMM"]["OR"] == pytest.approx(91.0)
    assert tables["table1"]["ball_diameter"] == "312.6 mm"
