"""Sect. 1: every rig's geometry and the published multiples beside ours."""

from __future__ import annotations

import dataclasses

from bearingkit.papers.primer import geometry
from bearingkit.physics.kinematics import BEARINGS


def test_geometry_table_has_a_row_per_bearing_and_its_multiples():
    table = geometry.geometry_table()
    assert list(table.index) == list(BEARINGS)
    assert abs(table.loc["cwru_de", "bpfi_x"] + table.loc["cwru_de", "bpfo_x"] - 9) < 1e-12   # n f_r
    assert table.loc["axial", "bpfo_x"] == table.loc["axial", "bpfi_x"]          # a thrust bearing
    assert table.loc["cwru_de", "assumed"] == "-" and "n_elements" in table.loc["polito", "assumed"]


def test_speed_table_lists_every_nominal_speed():
    table = geometry.speed_table()
    assert len(table) == sum(len(b.nominal_rpm) for b in BEARINGS.values())
    assert list(table.columns)[:3] == ["key", "rpm", "shaft_hz"]


def test_published_multiples_catch_a_wrong_geometry():
    checks = geometry.published_multiples()
    assert set(checks) == {key for key, bearing in BEARINGS.items() if bearing.published}
    assert set(checks["cwru_de"].index) == {"ftf", "bpfo", "bpfi", "bsf_2x"}
    assert checks["cwru_de"]["rel_difference"].abs().max() < 1e-3
    eight_balls = dataclasses.replace(BEARINGS["cwru_de"], n_elements=8)
    wrong = geometry.published_multiples({"cwru_de": eight_balls})["cwru_de"]["rel_difference"].abs()
    assert wrong["bpfo"] > 0.1 and wrong["ftf"] < 1e-3          # the cage rate does not depend on n
    table = geometry.published_multiples_table(checks)
    assert len(table) == sum(len(check) for check in checks.values())
    assert table.index.names == ["bearing", "defect"] and "published" in table.columns
