"""The data of Di Maggio (2023): simulated PoliTo chunks, real CWRU chunks, and the paper's and the
leakage-aware splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bearingkit.errors import ParameterError
from bearingkit.evaluation.splits import shares_samples
from bearingkit.papers.dimaggio2023 import data
from bearingkit.papers.dimaggio2023.settings import (
    CLASSES,
    CWRU_FAULT_SIZES,
    CWRU_FS,
    CWRU_NORMAL,
    Settings,
    settings_for,
)
from bearingkit.physics import simulate as sim

SMALL_DESIGN = [c for c in sim.rig_conditions("polito") if c.speed_rpm in (227.0, 877.0)][::3]


@pytest.fixture(scope="module")
def small_polito():
    return data.simulate_polito(n_chunks=2, seed=3, conditions=SMALL_DESIGN)


def test_simulated_chunks_are_16_second_pieces_of_one_signal_per_class_and_condition(small_polito):
    n_conditions = small_polito.groups["condition"].nunique()
    assert small_polito.X.shape == (3 * n_conditions * 2, 32_768)
    assert small_polito.X.dtype == np.float32
    per_record = small_polito.groups.groupby("record")["start"].apply(list)
    assert all(starts == [0, 32_768] for starts in per_record)
    again = data.simulate_polito(n_chunks=2, seed=3, conditions=SMALL_DESIGN[1:2])
    same = (small_polito.groups["condition"] == SMALL_DESIGN[1].name).to_numpy() & (small_polito.y == "inner")
    np.testing.assert_array_equal(again.X[again.y == "inner"], small_polito.X[same])
    with pytest.raises(ParameterError, match="n_chunks"):
        data.simulate_polito(n_chunks=19)


def test_each_condition_has_its_own_resonances_and_noise():
    light, heavy = sim.rig_conditions("polito")[0], sim.rig_conditions("polito")[-1]
    f_light = data.polito_condition_rig(light).sensors[0].resonances[0].freq_hz
    f_heavy = data.polito_condition_rig(heavy).sensors[0].resonances[0].freq_hz
    assert f_heavy > 1.05 * f_light
    assert data.polito_snr_db(heavy) < data.polito_snr_db(light)


def test_impacts_now_grow_with_speed_and_used_to_shrink():
    severity = data.impact_severity()
    now, before = severity.loc["speed (now)"], severity.loc["1/sqrt(BPFO) (before)"]
    assert now["OR impact peak (g)"].is_monotonic_increasing
    assert before.loc[127.0, "OR impact peak (g)"] > before.loc[997.0, "OR impact peak (g)"]
    assert now.loc[127.0, "OR fault SNR (dB)"] < now.loc[997.0, "OR fault SNR (dB)"]
    # the older simulator had no roller-pass vibration: a quieter healthy bearing at the same speed
    healthy = "healthy RMS without noise (g)"
    assert now.loc[997.0, healthy] > before.loc[997.0, healthy]


def test_paper_split_is_table6_per_class_and_seeded():
    y = np.repeat(CLASSES, 720)
    train, validation, test = data.stratified_split(y, seed=1)
    for label in CLASSES:
        assert [np.sum(y[part] == label) for part in (train, validation, test)] == [576, 72, 72]
    assert not set(train) & set(test) and not set(validation) & set(test)
    np.testing.assert_array_equal(test, data.stratified_split(y, seed=1)[2])
    assert not np.array_equal(test, data.stratified_split(y, seed=2)[2])
    with pytest.raises(ParameterError, match="fractions"):
        data.stratified_split(y, fractions=(0.8, 0.2))


def test_paper_split_shares_signals_but_held_out_speeds_do_not(small_polito):
    y = small_polito.y
    train, _, test = data.stratified_split(y, fractions=(0.5, 0.25, 0.25), seed=0)
    groups = small_polito.groups
    assert set(groups.loc[train, "record"]) & set(groups.loc[test, "record"])
    train, validation, test = data.held_out_speeds_split(groups, validation_speeds=(227.0,),
                                                         test_speeds=(877.0,))
    assert set(groups.loc[test, "rpm"]) == {877.0} and 877.0 not in set(groups.loc[train, "rpm"])
    assert not set(groups.loc[train, "record"]) & set(groups.loc[test, "record"])
    with pytest.raises(ParameterError, match="distinct"):
        data.held_out_speeds_split(groups, validation_speeds=(877.0,), test_speeds=(877.0,))


def test_polito_splits_follow_the_settings(small_polito):
    settings = Settings(split_fractions=(0.5, 0.25, 0.25), validation_speeds=(227.0,), test_speeds=(877.0,))
    splits = data.polito_splits(small_polito, settings=settings, seed=0)
    assert list(splits) == ["paper", "held-out speeds"]
    assert set(small_polito.groups.loc[splits["held-out speeds"][2], "rpm"]) == {877.0}
    paper = data.stratified_split(data.label_index(small_polito.y), fractions=(0.5, 0.25, 0.25), seed=0)
    for ours, expected in zip(splits["paper"], paper, strict=True):
        np.testing.assert_array_equal(ours, expected)


def _cwru_like_groups() -> pd.DataFrame:
    rows = [{"record": "97", "label": "normal", "fault_size": 0.0, "start": s, "stop": s + 100}
            for s in range(0, 600, 20)]
    for label in ("inner", "outer"):
        for size in CWRU_FAULT_SIZES:
            rows += [{"record": f"{label}{size}", "label": label, "fault_size": size, "start": s,
                      "stop": s + 100} for s in range(0, 1000, 100)]
    return pd.DataFrame(rows)


def test_held_out_size_split_tests_an_unseen_size_and_a_later_normal_span():
    groups = _cwru_like_groups()
    train, validation, test = data.held_out_size_split(groups, seed=0)
    faults = groups.loc[test][groups.loc[test, "label"] != "normal"]
    assert set(faults["fault_size"]) == {0.014}
    assert 0.014 not in set(groups.loc[train, "fault_size"])
    assert not shares_samples(groups.loc[train], groups.loc[test])
    normal_test = groups.loc[test][groups.loc[test, "label"] == "normal"]
    normal_train = groups.loc[train][groups.loc[train, "label"] == "normal"]
    assert normal_test["start"].min() >= normal_train["stop"].max()
    assert len(validation) > 0 and not set(validation) & set(train)
    with pytest.raises(ParameterError, match="no test window"):
        data.held_out_size_split(groups, test_size=0.028)
    # the training chunks are drawn once: validation comes out of them, the same for the same seed
    again = data.held_out_size_split(groups, seed=0)
    assert all(np.array_equal(a, b) for a, b in zip((train, validation, test), again, strict=True))


def test_labels_outside_the_three_classes_are_refused():
    with pytest.raises(ParameterError, match="not among"):
        data.label_index(["normal", "ball"])
    np.testing.assert_array_equal(data.label_index(["outer", "normal", "inner"]), [2, 0, 1])
    with pytest.raises(ParameterError, match="varies within record"):
        data.held_out_size_split(_cwru_like_groups().assign(record="one"), seed=0)


def test_overlap_is_the_share_of_samples_consecutive_chunks_share():
    assert data.overlap_pct(12_000) == 0.0
    assert data.overlap_pct(3_000) == 75.0


def test_the_normal_records_are_brought_from_48_khz_to_cwru_rate(mirror):
    records, missing = data.cwru_normal_records()
    baseline = records[0]
    assert baseline.extra["number"] == 97
    assert all(r.fs == CWRU_FS for r in records)
    assert baseline.extra["resampled_from_hz"] == 48_000.0
    assert baseline.n_samples == pytest.approx(243_938 / 4, abs=1)
    assert set(missing) | {97} <= set(CWRU_NORMAL) and 97 not in missing


def test_cwru_view_has_non_overlapping_chunks_and_a_small_normal_class(mirror):
    chunks, missing = data.cwru_view()
    normal = chunks.groups[chunks.y == "normal"]
    assert chunks.X.shape[1] == 12_000 and set(chunks.y) == set(CLASSES)
    assert (normal["stop"] - normal["start"] == 12_000).all()
    assert (np.diff(normal.groupby("record")["start"].apply(list).iloc[0]) == 12_000).all()
    assert 0 < len(normal) < 20 < int(np.sum(chunks.y == "inner"))
    details = data.cwru_normal_details(chunks, missing)
    assert details["cwru_normal_chunks"] == len(normal) and details["cwru_normal_missing"] == list(missing)
    # before issue 19 the normal chunks were cut to match a fault class: they overlapped by most of a chunk
    hop = data.normal_hop_before_issue_19(chunks.y)
    assert details["cwru_normal_overlap_before_pct"] == pytest.approx(data.overlap_pct(hop)) and hop < 12_000
    balanced, _ = data.cwru_view(balance_normal=True)
    assert int(np.sum(balanced.y == "normal")) > 5 * len(normal)
    splits = data.cwru_splits(chunks, settings=settings_for("quick"), seed=0)
    assert list(splits) == ["paper", "held-out fault size"]
    test_faults = chunks.groups.loc[splits["held-out fault size"][2]]
    assert set(test_faults.loc[test_faults["label"] != "normal", "fault_size"]) == {0.014}
