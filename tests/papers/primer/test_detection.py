"""Sect. 2.2: overall indicators against a healthy record's own baseline."""

from __future__ import annotations

import numpy as np

from bearingkit.papers.primer import detection
from bearingkit.recording import Recording


def _records():
    fs = 12_000.0
    rng = np.random.default_rng(0)
    quiet = rng.standard_normal(int(2 * fs)) * 0.1
    impacts = quiet.copy()
    impacts[::1_200] += 3.0
    return {name: Recording(signal=x, fs=fs, label=label, dataset="simulated:test", source="test",
                            fault_size=size, load=0.0, rpm=1797.0, extra={"number": n})
            for name, x, label, size, n in (("a", quiet, "normal", 0.0, 1),
                                            ("b", impacts, "outer", 0.007, 2))}


def test_detection_flags_what_clears_the_healthy_baseline():
    recs = _records()
    study = detection.detection_study(recs["a"], recs)
    assert list(study.baseline.index) == list(detection.INDICATORS)
    flagged = study.flagged()
    assert flagged["kurtosis"] == flagged["crest_factor"] == 1          # the impacts
    assert not study.above.loc["a"].any()                               # the normal record is never flagged
    assert study.missed() == []
    assert {f"{name} > healthy" for name in detection.INDICATORS} <= set(study.flagged_table().columns)
    assert list(study.healthy_range().index) == ["min", "max"]
