"""Defect frequencies against the multiples the data sets' own documentation publishes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.physics.kinematics import (
    BEARINGS,
    DEFECTS,
    BearingGeometry,
    defect_frequencies,
    defect_multiples,
    effective_geometry,
    get_bearing,
    kinematics_table,
    with_cage_slip,
)


def test_cwru_drive_end_matches_the_data_center_to_four_digits():
    m = defect_multiples(get_bearing("cwru_de"))
    assert m.bpfo == pytest.approx(3.5848, rel=2e-4)
    assert m.bpfi == pytest.approx(5.4152, rel=2e-4)
    assert m.ftf == pytest.approx(0.39828, rel=2e-4)
    assert m.bsf_2x == pytest.approx(4.7135, rel=2e-4)   # the data center's "rolling element" = 2 x BSF
    assert m.bsf == pytest.approx(2.357, abs=5e-4)       # the classical ball spin frequency


def test_cwru_fan_end_has_eight_balls_to_match_the_data_center():
    fan_end = get_bearing("cwru_fe")
    m = defect_multiples(fan_end)
    assert (m.bpfo, m.bpfi, m.ftf, m.bsf_2x) == pytest.approx((3.0530, 4.9469, 0.3817, 3.9874), rel=2e-4)
    nine_balls = defect_multiples(dataclasses.replace(fan_end, n_elements=9))
    assert nine_balls.bpfo != pytest.approx(3.0530, rel=0.05)


@pytest.mark.parametrize("key", [k for k, g in BEARINGS.items() if g.published])
def test_published_multiples_are_reproduced(key):
    geometry = get_bearing(key)
    computed = defect_multiples(geometry)
    for name, value in geometry.published.items():
        assert getattr(computed, name) == pytest.approx(value, rel=1e-3), name


@pytest.mark.parametrize("key", list(BEARINGS))
def test_kinematic_identities(key):
    geometry = get_bearing(key)
    m = defect_multiples(geometry)
    assert m.bpfo + m.bpfi == pytest.approx(geometry.n_elements)
    assert m.ftf == pytest.approx(m.bpfo / geometry.n_elements)
    assert m.bsf_2x == pytest.approx(2 * m.bsf)
    assert m.shaft == 1.0


def test_thrust_bearing_washers_share_one_line():
    m = defect_multiples(get_bearing("axial"))
    assert m.bpfo == pytest.approx(m.bpfi) == pytest.approx(get_bearing("axial").n_elements / 2)
    assert m.ftf == pytest.approx(0.5)


def test_frequencies_in_hz_scale_with_speed():
    geometry = get_bearing("cwru_de")
    hz = defect_frequencies(geometry, rpm=1797)
    assert hz.shaft == pytest.approx(29.95)
    assert hz.bpfi == pytest.approx(5.4152 * 29.95, rel=2e-4)
    expected = {name: value * 29.95 for name, value in defect_multiples(geometry).as_dict().items()}
    assert hz.as_dict() == pytest.approx(expected)


@pytest.mark.parametrize("rpm", [0, -10, float("nan")])
def test_bad_speed_is_refused(rpm):
    with pytest.raises(ParameterError, match="rpm"):
        defect_frequencies(get_bearing("cwru_de"), rpm=rpm)


def test_unknown_bearing_lists_the_valid_keys():
    with pytest.raises(ParameterError, match="cwru_de.*polito"):
        get_bearing("cwru_6205")


@pytest.mark.parametrize("change", [{"ball_diameter": 2.0}, {"contact_angle_deg": 95.0}, {"n_elements": 0},
                                    {"element": "needle"}])
def test_impossible_geometry_is_refused(change):
    with pytest.raises(ParameterError):
        dataclasses.replace(get_bearing("cwru_de"), **change)


def test_assumed_values_are_flagged_where_nothing_is_published():
    fields = {f.name for f in dataclasses.fields(BearingGeometry)}
    for geometry in BEARINGS.values():
        assert set(geometry.assumed) <= fields
        assert geometry.source
    assert set(get_bearing("polito").assumed) >= {"n_elements", "ball_diameter", "pitch_diameter",
                                                   "contact_angle_deg"}
    assert get_bearing("axial").contact_angle_deg == 90
    assert get_bearing("cwru_de").assumed == ()


def test_kinematics_table_lists_every_rig_at_its_nominal_speeds():
    table = kinematics_table()
    assert len(table) == sum(len(g.nominal_rpm) for g in BEARINGS.values())
    assert set(table["key"]) == set(BEARINGS)
    assert {f"{name}_{unit}" for name in DEFECTS for unit in ("x", "hz")} <= set(table.columns)
    polito = table[table["key"] == "polito"]
    assert polito["rpm"].tolist() == [127, 227, 353, 457, 523, 607, 727, 877, 937, 997]
    assert (polito["bpfo_hz"] == polito["bpfo_x"] * polito["shaft_hz"]).all()
    assert polito["assumed"].str.contains("n_elements").all()
    assert kinematics_table(keys=["mfpt"])["bpfo_hz"].item() == pytest.approx(81.12, rel=1e-3)


def test_cage_slip_lowers_ftf_and_bpfo_and_raises_bpfi():
    lines = defect_frequencies(get_bearing("cwru_de"), rpm=1797)
    slipped = with_cage_slip(lines, slip=0.015, n_elements=9)
    assert slipped.ftf == pytest.approx(0.985 * lines.ftf)
    assert slipped.bpfo == pytest.approx(0.985 * lines.bpfo)
    assert slipped.bpfi > lines.bpfi
    assert slipped.bpfo + slipped.bpfi == pytest.approx(9 * lines.shaft)      # whatever the slip
    assert lines.bpfo + lines.bpfi == pytest.approx(9 * lines.shaft)
    with pytest.raises(ParameterError):
        with_cage_slip(lines, slip=1.0, n_elements=9)


def test_effective_geometry_tells_contact_angle_from_slip_and_from_a_wrong_shaft_rate():
    cwru = BEARINGS["cwru_de"]
    ratio = cwru.ball_diameter / cwru.pitch_diameter
    lines = defect_frequencies(cwru, rpm=1800)
    exact = effective_geometry(lines.bpfo, lines.bpfi, shaft_hz=30, n_elements=9, ball_over_pitch=ratio)
    assert exact["slip_at_nominal_angle"] == pytest.approx(0, abs=1e-9)
    assert exact["sum_ratio"] == pytest.approx(1.0)
    assert exact["contact_angle_deg"] == pytest.approx(cwru.contact_angle_deg, abs=1e-4)  # arccos near 1
    # slip: the cage lags, BPFO falls and BPFI rises, their sum stays n f_r
    slipping = with_cage_slip(lines, slip=0.02, n_elements=9)
    assert slipping.bpfo < lines.bpfo and slipping.bpfi > lines.bpfi and slipping.ftf < lines.ftf
    slipped = effective_geometry(slipping.bpfo, slipping.bpfi, shaft_hz=30, n_elements=9,
                                 ball_over_pitch=ratio)
    assert slipped["slip_at_nominal_angle"] == pytest.approx(0.02)
    assert slipped["sum_ratio"] == pytest.approx(1)
    # a larger contact angle moves the lines the other way: a negative "slip" (the cage would lead)
    tilted = defect_frequencies(dataclasses.replace(cwru, contact_angle_deg=10.0), rpm=1800)
    angled = effective_geometry(tilted.bpfo, tilted.bpfi, shaft_hz=30, n_elements=9, ball_over_pitch=ratio)
    assert angled["contact_angle_deg"] == pytest.approx(10.0) and angled["slip_at_nominal_angle"] < 0
    # a wrong shaft rate scales both lines: the sum is off, gamma is not
    wrong = effective_geometry(0.999 * lines.bpfo, 0.999 * lines.bpfi, shaft_hz=30, n_elements=9,
                               ball_over_pitch=ratio)
    assert wrong["sum_ratio"] == pytest.approx(0.999) and wrong["gamma"] == pytest.approx(exact["gamma"])
    # a gamma above d / D has no real contact angle
    steep = effective_geometry(1.0, 9.0, shaft_hz=1, n_elements=10, ball_over_pitch=0.2)
    assert steep["gamma"] == pytest.approx(0.8) and np.isnan(steep["contact_angle_deg"])
    for bad in ({"bpfo_hz": -1.0}, {"n_elements": 0}, {"ball_over_pitch": 1.0}):
        kwargs = {"bpfo_hz": lines.bpfo, "bpfi_hz": lines.bpfi, "shaft_hz": 30, "n_elements": 9,
                  "ball_over_pitch": ratio, **bad}
        with pytest.raises(ParameterError):
            effective_geometry(**kwargs)

