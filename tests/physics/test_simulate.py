"""The simulator's physics, read back through envelope analysis, plus its design, seeds and errors."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bearingkit.dsp.spectral import envelope_spectrum, peak_near
from bearingkit.errors import ParameterError
from bearingkit.physics.kinematics import defect_frequencies, get_bearing
from bearingkit.physics.simulate import (
    RIGS,
    Condition,
    design_seed,
    rig_conditions,
    simulate,
    simulate_design,
)
from bearingkit.recording import Recording

POLITO = {"speed": 997.0, "load": (124.8, 0.0), "duration": 4.0}
POLITO_HZ = defect_frequencies(get_bearing("polito"), rpm=997.0)
AXIAL = {"speed": 1200.0, "load": 2.0, "duration": 4.0}
AXIAL_HZ = defect_frequencies(get_bearing("axial"), rpm=1200.0)


def spectrum(recording: Recording, channel: int = 0):
    return envelope_spectrum(recording.channel(channel), fs=recording.fs)


def fault_part(rig: str, **kwargs) -> np.ndarray:
    """The noise-free fault response: same seed, so the shaft harmonics cancel against the normal class."""
    clean = simulate(rig, snr_db=None, **kwargs).signal
    return clean - simulate(rig, snr_db=None, **{**kwargs, "fault": "normal"}).signal


def line(recording: Recording, target: float, *, tol: float = 0.01, channel: int = 0):
    return peak_near(*spectrum(recording, channel), target=target, tol=tol)


def test_outer_race_fault_peaks_at_bpfo():
    f, a = spectrum(simulate("polito", fault="outer", **POLITO))
    band = f > 5
    assert f[band][np.argmax(a[band])] == pytest.approx(POLITO_HZ.bpfo, rel=0.01)
    assert peak_near(f, a, target=POLITO_HZ.bpfo, tol=0.01).ratio > 10


def test_inner_race_fault_peaks_at_bpfi_with_shaft_sidebands():
    rec = simulate("polito", fault="inner", **POLITO)
    peak = line(rec, POLITO_HZ.bpfi)
    assert peak.frequency == pytest.approx(POLITO_HZ.bpfi, rel=0.01)
    assert peak.ratio > 8
    for side in (-1, 1):
        assert line(rec, POLITO_HZ.bpfi + side * POLITO_HZ.shaft, tol=0.005).ratio > 4


def test_no_load_zone_without_load_means_no_sidebands():
    kwargs = {**POLITO, "fault": "inner", "seed": 5}

    def sideband_ratio(load):
        f, a = envelope_spectrum(fault_part("polito", **{**kwargs, "load": load}), fs=20_480)
        centre = peak_near(f, a, target=POLITO_HZ.bpfi, tol=0.01).amplitude
        upper = peak_near(f, a, target=POLITO_HZ.bpfi + POLITO_HZ.shaft, tol=0.005).amplitude
        return upper / centre

    assert sideband_ratio((124.8, 0.0)) > 0.3     # half the circumference loaded: deep modulation
    assert sideband_ratio((0.0, 0.0)) < 0.1       # load case 1: no load zone


def test_fault_amplitude_grows_with_load():
    rms = [np.std(fault_part("polito", fault="outer", speed=997.0, load=load, duration=2.0))
           for _, load in RIGS["polito"].load_cases]
    assert rms == sorted(rms)
    assert rms[2] == pytest.approx(RIGS["polito"].fault_rms, rel=0.05)   # reference load
    assert rms[0] < 0.25 * rms[2]


@pytest.mark.parametrize(("rig", "kwargs", "channel"), [
    ("axial", AXIAL, 0),
    ("mafaulda", {"speed": 3686.4, "load": 0.0, "duration": 4.0, "location": "underhang"}, 1)])
def test_ball_fault_peaks_at_twice_bsf_with_cage_sidebands(rig, kwargs, channel):
    rec = simulate(rig, fault="ball", **kwargs)
    hz = defect_frequencies(RIGS[rig].geometry, rpm=kwargs["speed"])
    peak = line(rec, hz.bsf_2x, channel=channel)
    assert peak.frequency == pytest.approx(hz.bsf_2x, rel=0.01)
    assert peak.ratio > 5
    assert line(rec, hz.bsf, channel=channel).ratio > 3          # alternate outer/inner race strikes
    sidebands = [line(rec, hz.bsf_2x + side * hz.ftf, tol=0.005, channel=channel).ratio for side in (-1, 1)]
    assert max(sidebands) > 3


def test_cage_fault_shows_the_cage_frequency():
    speed = 3686.4
    rec = simulate("mafaulda", fault="cage", speed=speed, load=0.0, duration=4.0, location="overhang")
    ftf = defect_frequencies(get_bearing("mafaulda"), rpm=speed).ftf
    assert line(rec, ftf, channel=4).ratio > 5        # overhang_radial


def test_thrust_washers_share_a_line_but_only_the_rotating_one_is_shaft_modulated():
    def spectrum_of(fault):
        return envelope_spectrum(fault_part("axial", fault=fault, seed=2, **AXIAL)[0], fs=25_600)

    for fault in ("inner", "outer"):
        f, a = spectrum_of(fault)
        found = peak_near(f, a, target=AXIAL_HZ.bpfi, tol=0.01).frequency
        assert found == pytest.approx(AXIAL_HZ.bpfo, rel=0.01)
    modulation = {}
    for fault in ("inner", "outer"):
        f, a = spectrum_of(fault)
        centre = peak_near(f, a, target=AXIAL_HZ.bpfo, tol=0.01).amplitude
        sideband = peak_near(f, a, target=AXIAL_HZ.bpfo + AXIAL_HZ.shaft, tol=0.005).amplitude
        modulation[fault] = sideband / centre
    assert modulation["inner"] > 0.1
    assert modulation["outer"] < 0.02


def test_normal_bearing_has_no_defect_line():
    rec = simulate("polito", fault="normal", **POLITO)
    for target in (POLITO_HZ.bpfo, POLITO_HZ.bpfi):
        assert line(rec, target).ratio < 5
    assert line(simulate("polito", fault="outer", **POLITO), POLITO_HZ.bpfo).ratio > 10


@pytest.mark.parametrize(("rig", "kwargs"), [
    ("polito", {"speed": 997.0, "duration": 4.0}),          # the SNR is defined at the reference speed
    ("mafaulda", {"speed": 3686.4, "duration": 2.0, "location": "overhang"}),
    ("axial", {"speed": 900.0, "duration": 4.0})])
@pytest.mark.parametrize("snr_db", [-5.0, 0.0, 10.0])
def test_snr_is_respected(rig, kwargs, snr_db):
    kwargs = {**kwargs, "fault": "outer", "seed": 11, "load": RIGS[rig].reference_load}
    fault = np.atleast_2d(fault_part(rig, **kwargs))
    noisy = simulate(rig, snr_db=snr_db, **kwargs).signal
    noise = np.atleast_2d(noisy - simulate(rig, snr_db=None, **kwargs).signal)
    best = np.argmax(fault.var(axis=1))
    measured = 10 * np.log10(fault[best].var() / noise[best].var())
    assert measured == pytest.approx(snr_db, abs=0.5)
    assert noise.std(axis=1) == pytest.approx(np.full(noise.shape[0], noise[best].std()), rel=0.05)


def test_impacts_grow_with_rolling_speed():
    """Issue 19: the slowest speed no longer has the strongest impacts; RMS grows as speed^1.5 (p = 1)."""
    rig = RIGS["polito"]
    parts = {rpm: fault_part("polito", fault="outer", speed=rpm, load=(124.8, 0.0), duration=2.0, seed=4)
             for rpm in (127.0, 457.0, 997.0)}
    peaks = [np.abs(parts[rpm]).max() for rpm in sorted(parts)]
    assert peaks == sorted(peaks) and peaks[-1] > 5 * peaks[0]
    rms = {rpm: np.std(part) for rpm, part in parts.items()}
    assert rms[997.0] == pytest.approx(rig.fault_rms, rel=0.05)
    assert rms[127.0] / rms[997.0] == pytest.approx((127 / 997) ** 1.5, rel=0.15)
    old = replace(rig, impact_law="constant_rms")
    flat = [np.std(fault_part(old, fault="outer", speed=rpm, load=(124.8, 0.0), duration=2.0, seed=4))
            for rpm in (127.0, 997.0)]
    assert flat[0] == pytest.approx(flat[1], rel=0.1)     # the law before issue 19: equal RMS
    with pytest.raises(ParameterError, match="impact_law"):
        simulate(replace(rig, impact_law="loud"), fault="outer", speed=997.0, load=(124.8, 0.0), duration=1.0)


def test_healthy_bearing_vibrates_at_the_roller_pass_frequency():
    """Varying compliance: lines at BPFO and 2 BPFO in the raw spectrum of a noise-free healthy bearing,
    growing with load and speed; none on a rig without it."""
    def raw_line(rig, speed, load, harmonic=1):
        x = simulate(rig, fault="normal", speed=speed, load=load, duration=4.0, snr_db=None, seed=2).signal
        x = np.atleast_2d(x)[0]
        bpfo = defect_frequencies(get_bearing("polito"), rpm=speed).bpfo
        phasor = np.exp(-2j * np.pi * harmonic * bpfo * np.arange(x.size) / 20_480)
        return 2 * abs(np.mean(x * phasor))       # amplitude of the line at exactly m x BPFO

    full = raw_line("polito", 997.0, (124.8, 0.0))
    assert full == pytest.approx(RIGS["polito"].compliance, rel=0.05)
    assert raw_line("polito", 997.0, (124.8, 0.0), harmonic=2) == pytest.approx(full / 2, rel=0.05)
    assert raw_line("polito", 997.0, (0.0, 0.0)) < 0.25 * full
    assert raw_line("polito", 457.0, (124.8, 0.0)) == pytest.approx(full * (457 / 997) ** 2, rel=0.05)
    assert raw_line(replace(RIGS["polito"], compliance=0.0), 997.0, (124.8, 0.0)) < 1e-3 * full


def test_same_seed_same_signal_other_seed_other_signal():
    first = simulate("polito", fault="inner", seed=7, **POLITO)
    assert np.array_equal(first.signal, simulate("polito", fault="inner", seed=7, **POLITO).signal)
    assert not np.allclose(first.signal, simulate("polito", fault="inner", seed=8, **POLITO).signal)
    sequence = np.random.SeedSequence(3)
    again = [simulate("axial", fault="ball", seed=sequence, **AXIAL).signal for _ in range(2)]
    assert np.array_equal(*again)


def test_recording_metadata():
    rec = simulate("mafaulda", fault="outer", speed=1228.8, load=20.0, duration=0.5, location="overhang")
    assert rec.simulated and rec.dataset == "simulated:mafaulda"
    assert rec.signal.shape == (6, 25_000) and rec.fs == 50_000
    assert rec.sensor[:3] == ("underhang_axial", "underhang_radial", "underhang_tangential")
    assert (rec.label, rec.rpm, rec.load) == ("outer", 1228.8, 20.0)
    assert rec.load_unit == "g (added unbalance mass)"
    assert (rec.fault_size, rec.fault_size_unit) == (20.0, "g")
    assert rec.extra["defect_hz"]["bpfo"] == pytest.approx(2.998 * 1228.8 / 60, rel=1e-3)
    polito = simulate("polito", fault="normal", speed=127.0, load=(124.8, 49.0), duration=0.5)
    assert polito.signal.ndim == 1 and polito.fs == 20_480
    assert (polito.load, polito.extra["axial_load"], polito.fault_size) == (124.8, 49.0, 0.0)


def test_polito_design_follows_the_paper():
    rig = RIGS["polito"]
    conditions = rig_conditions("polito")
    assert rig.fs == 20_480 and rig.duration == 30 and rig.classes == ("normal", "inner", "outer")
    assert len(conditions) == 40
    assert sorted({c.load for c in conditions}) == [(0.0, 0.0), (64.0, 0.0), (124.8, 0.0), (124.8, 49.0)]
    assert sorted({c.speed_rpm for c in conditions}) == [127, 227, 353, 457, 523, 607, 727, 877, 937, 997]
    assert len(rig_conditions("mafaulda")) == 2 * 4 * 7
    assert {c.location for c in rig_conditions("mafaulda")} == {"underhang", "overhang"}


def test_design_seeds_are_keyed_by_class_and_condition():
    conditions = rig_conditions("polito")
    subset = conditions[3:5]
    full = list(simulate_design("polito", conditions=conditions[:5], duration=0.25, seed=4))
    part = list(simulate_design("polito", classes=["outer"], conditions=subset[::-1], duration=0.25, seed=4))
    assert [(r.label, r.extra["condition"]) for r in full[:2]] == [("normal", "LC1_127rpm"),
                                                                    ("normal", "LC1_227rpm")]
    assert len(full) == 15
    by_key = {(r.label, r.extra["condition"]): r.signal for r in full}
    for rec in part:
        assert np.array_equal(rec.signal, by_key[(rec.label, rec.extra["condition"])])
    assert design_seed("polito", seed=4, fault="outer", condition=subset[0]).spawn_key == (2 * 40 + 3,)
    other = list(simulate_design("polito", classes=["outer"], conditions=subset[:1], duration=0.25, seed=5))
    assert not np.allclose(other[0].signal, by_key[("outer", subset[0].name)])


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ParameterError, match="polito, mafaulda, axial"):
        simulate("cwru", fault="outer", **POLITO)
    with pytest.raises(ParameterError, match="normal, inner, outer"):
        simulate("polito", fault="ball", **POLITO)
    with pytest.raises(ParameterError, match="underhang, overhang"):
        simulate("mafaulda", fault="outer", speed=1200.0, load=0.0, duration=1.0)
    with pytest.raises(ParameterError, match="location=None"):
        simulate("polito", fault="outer", location="overhang", **POLITO)
    with pytest.raises(ParameterError, match="not a condition"):
        design_seed("polito", seed=0, fault="outer", condition=Condition("x", 1000.0, (1.0, 0.0)))


@pytest.mark.parametrize("change", [
    {"load": 64.0}, {"load": (-1.0, 0.0)}, {"speed": 0.0}, {"speed": float("nan")}, {"duration": -1.0},
    {"duration": 1e-4}, {"fs": 4_000.0}, {"snr_db": float("inf")}])
def test_bad_parameters_are_refused(change):
    with pytest.raises(ParameterError):
        simulate("polito", fault="outer", **{**POLITO, **change})


def test_other_sampling_rate_keeps_the_physics():
    rec = simulate("polito", fault="outer", fs=12_000.0, **POLITO)
    assert rec.fs == 12_000 and rec.n_samples == 48_000
    assert line(rec, POLITO_HZ.bpfo).ratio > 10


def test_severity_scales_the_fault_and_is_recorded_as_the_fault_size():
    mild = simulate("axial", fault="outer", speed=900, load=1.0, duration=1.0, seed=3, snr_db=None,
                    severity=0.5)
    strong = simulate("axial", fault="outer", speed=900, load=1.0, duration=1.0, seed=3, snr_db=None,
                      severity=2.0)
    healthy = simulate("axial", fault="normal", speed=900, load=1.0, duration=1.0, seed=3, snr_db=None)
    fault_rms = [np.std(r.signal - healthy.signal) for r in (mild, strong)]
    assert fault_rms[1] / fault_rms[0] == pytest.approx(4.0, rel=1e-6)
    assert (mild.fault_size, mild.fault_size_unit) == (0.5, "relative")


def test_severity_must_be_positive():
    with pytest.raises(ParameterError, match="severity"):
        simulate("axial", fault="outer", speed=900, load=1.0, duration=0.1, severity=0.0)
