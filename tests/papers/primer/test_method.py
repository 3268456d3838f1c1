"""Sect. 2.1: the envelope-analysis chain on a simulated outer-race fault."""

from __future__ import annotations

import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers.primer import method


def test_method_steps_recover_bpfo_only_after_demodulation():
    rig = method.teaching_rig(slip=0.015, resonance_hz=3_000.0)
    assert rig.slip == 0.015 and rig.sensors[0].resonances[0].freq_hz == 3_000.0
    steps = method.method_steps(rig, speed_rpm=997.0, load=(124.8, 0.0), snr_db=-10.0, duration=2.0, seed=0)
    assert steps.band[0] < 3_000.0 < steps.band[1]
    assert (steps.slip, steps.resonance_hz, steps.snr_db) == (0.015, 3_000.0, -10.0)
    ratios = steps.bpfo_ratios()
    assert ratios["envelope"] > 3 * ratios["raw"] and ratios["squared envelope"] > 3 * ratios["raw"]
    summary = steps.summary()
    assert summary["band_hz"] == list(steps.band) and summary["bpfo_ratios"] == ratios


def test_teaching_rig_refuses_a_slip_or_resonance_out_of_range():
    with pytest.raises(ParameterError, match="resonance_hz"):
        method.teaching_rig(slip=0.015, resonance_hz=20_000.0)
    with pytest.raises(ParameterError, match="slip"):
        method.teaching_rig(slip=0.3, resonance_hz=3_000.0)
