"""Sect. 4: the simulated rigs' defect lines, and MAFAULDA's lines against its shaft harmonics."""

from __future__ import annotations

import pytest

from bearingkit.papers.primer import simulated as sim_module


def test_simulated_rigs_show_their_defect_lines(simulated):
    rigs = {(rig, fault) for rig in ("polito", "axial") for fault in ("outer", "inner")}
    assert set(simulated.rigs) == rigs
    assert len(simulated.mafaulda) == 6
    for key, check in simulated.checks.items():
        assert check["line"] in ("BPFO", "BPFI")
        if not key.startswith("mafaulda/outer/overhang"):
            assert abs(check["rel_error"]) < 0.01 and check["ratio"] > 3, key
    table = simulated.rig_table()
    assert list(table.index) == ["polito/outer", "polito/inner", "axial/outer", "axial/inner"]
    assert set(simulated.mafaulda_ratios()) == set(simulated.mafaulda)
    assert simulated.mafaulda_duration_s == 5.0


def test_simulated_study_is_reproducible(short_settings, simulated):
    again = sim_module.simulated_study(short_settings, seed=0)
    assert again.checks["polito/outer"] == simulated.checks["polito/outer"]
    other = sim_module.simulated_study(short_settings, seed=1)
    assert other.checks["polito/outer"]["amplitude"] != simulated.checks["polito/outer"]["amplitude"]


def test_mafaulda_separation_puts_bpfo_within_a_bin_of_3_fr(simulated):
    separation = sim_module.mafaulda_separation(simulated)
    assert separation.loc["BPFO", "harmonic"] == 3 and separation.loc["BPFI", "harmonic"] == 5
    assert not separation.loc["BPFO", "separable"]
    assert separation.loc["BPFO", "gap_hz"] == pytest.approx(0.002 * simulated.mafaulda_speed_rpm / 60)
