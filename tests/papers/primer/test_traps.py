"""Sect. 5: one classifier under four splits of real CWRU windows, the overlap control and a held-out size."""

from __future__ import annotations

import numpy as np
import pytest

from bearingkit.errors import ParameterError, UnknownNameError
from bearingkit.papers.primer import traps


def test_make_classifier_refuses_unknown_names():
    assert traps.make_classifier("random_forest", n_estimators=5, seed=1).n_estimators == 5
    assert traps.make_classifier("1nn").steps[-1][1].n_neighbors == 1
    with pytest.raises(UnknownNameError, match="classifier='svm'"):
        traps.make_classifier("svm")


def test_unit_rms_keeps_the_shape_and_drops_the_level():
    x = np.vstack([np.sin(np.linspace(0, 20, 512)) * 5 + 1, np.random.default_rng(0).standard_normal(512)])
    scaled = traps.unit_rms(x)
    assert np.sqrt(np.mean(scaled**2, axis=1)) == pytest.approx([1.0, 1.0])
    assert np.corrcoef(scaled[0], x[0])[0, 1] == pytest.approx(1.0)
    with pytest.raises(ParameterError):
        traps.unit_rms(np.ones((2, 8)))


def test_split_study_scores_every_split_of_both_tasks(small_split_study, mirror):
    study = small_split_study
    assert study.X.shape == (len(study.windows), 46)
    schemes = study.scores.groupby("task")["scheme"].unique()
    assert list(schemes["location"]) == ["random", "contiguous", "load", "fault_size"]
    assert "fault_size" not in list(schemes["location x size"])       # the size is part of the class
    assert dict(study.records_per_class) == {"location": [4], "location x size": [2]}
    assert set(study.mean_accuracy()["location"]) == {"random", "contiguous", "load", "fault_size"}
    summary = study.summary_table()
    assert list(summary.index) == list(traps.SPLIT_NAMES.values())
    assert study.folds("location", "load")["held_out"].tolist() == [0.0, 1.0]


def test_overlap_control_and_held_out_size(small_split_study, mirror):
    control = traps.overlap_control(small_split_study, fs=12_000.0, window=2048, hop=2048, n_stretches=5,
                                    seed=1)
    assert list(control.table.index) == ["fault location", "fifth of the record"]
    assert set(control.table.columns) == {"random", "random_no_overlap", "contiguous"}
    assert control.overlap == 0.0 and 0 <= control.record_guess < 0.2       # below chance, as the prose says
    assert "random windows, no overlap" in control.display_table().columns
    held = traps.held_out_size(small_split_study, fs=12_000.0, band=(2_000.0, 4_000.0), sizes=(0.007, 0.021))
    folds = small_split_study.folds("location", "fault_size")
    assert held.accuracy == folds["accuracy"].min() and held.held_out in (0.007, 0.021)
    assert held.confusion.to_numpy().sum() == len(held.predictions)
    assert held.per_record["windows"].sum() == len(held.predictions)
    assert 0 < held.majority_share <= 1 and held.majority in held.confusion.columns
    assert list(held.level_test.columns) == ["raw windows", "unit-RMS windows"] and len(held.level_test) == 2
    assert len(held.outer_race) == 8 and set(held.outer_race["size_in"]) == {0.007, 0.021}
