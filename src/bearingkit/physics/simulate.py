r"""Physics-based vibration simulator for the rigs whose data are not public.

The signal of a localized bearing defect is a train of impacts at the defect frequency, each ringing the
structural resonances between bearing and sensor, amplitude-modulated by the load that the impacting element
carries (McFadden & Smith 1984 [1]_; Randall & Antoni 2011, Sect. 2 [2]_). For each sensor ``c``

.. math::

    x_c(t) = \sum_k A_k h_c(t - t_k) + \sum_{m=1}^{3} a_{c,m} \cos(2\pi m f_r t + \varphi_{c,m}) + n_c(t)

where

* ``t_k`` are the impact times. Successive periods ``T_k = T (1 + s xi_k)``, ``xi_k ~ N(0, 1)``, jitter
  around the kinematic period ``T = 1/f_d`` (:mod:`bearingkit.physics.kinematics`) by the random slip ``s`` of
  1-2 % that real rolling elements show (Ho & Randall 2000 [3]_). The signal is cyclostationary rather than
  periodic: the lines survive in the envelope spectrum, not in the raw spectrum.
* ``A_k = A_0 (f_r / f_ref)^p q_k (1 + v eta_k)``, with a random impact-to-impact variation ``v``, the load
  factor ``q_k`` and a speed factor: a rolling element meets the defect's edge at a velocity proportional to
  the shaft speed ``f_r``, and the impulse it delivers (its change of momentum) grows with that velocity, so
  the impacts of a faster bearing are harder (``p = 1`` by default; Sawalhi & Randall 2008 [5]_ find the
  impact force of a roller entering a spall growing with speed). ``f_ref`` is the rig's reference speed
  (its top design speed unless stated). With impacts at the defect rate ``f_d`` ∝ ``f_r``, the fault's RMS
  grows as ``(f_r / f_ref)^(p + 1/2)``. (Before issue 19 the amplitude was scaled by ``1/sqrt(f_d)`` so that
  every speed gave the same RMS: the slowest speed then had the strongest impacts. ``impact_law=
  "constant_rms"`` keeps that law for comparison.) The element load follows Stribeck's load-zone law
  :math:`q(\theta) = [1 - (1 - \cos\theta) / (2\varepsilon)]^n` (``n`` = 3/2 for balls, 10/9 for rollers;
  :math:`\varepsilon = (1 + F_a / (F_r \tan\alpha)) / 2`: 1/2 under pure radial load, larger with axial
  load; Harris & Kotzalas 2007 [4]_), ``theta`` being the angle between the defect and the load direction:

  - **outer race** (stationary): the defect sits at the load-zone centre, ``q`` is constant;
  - **inner race**: the defect turns with the shaft, ``theta = 2 pi f_r t``: modulation at the shaft rate,
    sidebands at BPFI +/- f_r;
  - **ball**: the ball travels with the cage, ``theta = 2 pi FTF t``: modulation at the cage rate; the spall
    strikes the outer and the inner race in turn (impacts at 2 x BSF, every other one weaker, which also
    puts a line at BSF);
  - **cage**: a damaged cage knocks once per cage revolution (impacts at FTF), without load-zone modulation.

  The amplitude scales with the applied load ``P`` as ``(r + q P / P_ref) / (r + 1)``: an unloaded bearing
  (PoliTo load case 1, 0 kN) has no load zone and gives weak, unmodulated impacts from the residual load
  ``r`` (shaft weight, preload, centrifugal forces). A radial load that turns with the shaft (MAFAULDA's
  added unbalance mass) turns the load direction with it.
* ``h_c`` is the sum of decaying sinusoids ``g exp(-zeta omega t) sin(omega_d t)``, one per resonance of
  sensor ``c``, convolved with the impulse train by overlap-add FFT convolution (``scipy.signal.oaconvolve``).
* ``a_{c,m}`` are the shaft harmonics 1x, 2x, 3x, growing with the square of speed (and, on MAFAULDA, with
  the added mass); ``n_c`` is white Gaussian noise.
* **Roller-pass (varying-compliance) vibration**, in every bearing, healthy or not: the stiffness of a
  loaded rolling bearing varies as the elements pass through the load zone, so the shaft centre moves at
  the roller-pass frequency ``Z f_c`` (= BPFO) and its harmonics even without a defect (Sunnersjö 1978 [6]_;
  Randall & Antoni 2011, Sect. 2). The simulator adds ``sum_m b_m cos(2 pi m BPFO t + psi_m)``, m = 1..3,
  amplitudes ``compliance x (1, 1/2, 1/4)``, proportional to the radial load (with the residual ``r``) and,
  as an acceleration, to the square of speed; the phases are random, drawn for every class before any fault
  draw, so a healthy and a faulty bearing of the same seed share it. It is deterministic, not impulsive: it
  shows in the raw spectrum at low frequency, not in the envelope of the resonance band.

**Thrust bearings.** With a 90 deg contact angle, BPFO = BPFI = n f_r / 2: the two washers give the same
line. They differ by modulation. Under a pure, centred axial load every ball carries the same load: a thrust
bearing then has no load zone, and neither washer's defect would be modulated. The simulator *assumes* a
load that is not uniform round the circumference and is fixed in space (an eccentric axial load from the
loading device, a housing seat out of square, the shaft's weight): the ball load is
``q(theta) = (1 + u cos(theta)) / (1 + u)``. A defect on the *rotating* shaft washer
("inner") crosses the heavier sector once per revolution and is modulated at the shaft rate, with sidebands
at BPFI +/- f_r; a defect on the *stationary* housing washer ("outer") stays where it is and is not. (Were
the non-uniformity to turn with the shaft, e.g. a wobbling shaft washer, the roles would swap.)

**SNR.** ``snr_db`` is the ratio of the power of an outer-race fault at the rig's reference load and
reference speed (on the sensor with the strongest fault path) to the noise power. The noise level is the
same for every class and speed, so a normal bearing is noise, shaft harmonics and roller-pass vibration;
faults at lower speeds, and faults that are load-modulated or lightly loaded, have a lower SNR, as on a
real rig.

Every rig parameter that no source publishes (resonances, gains, load-model constants, the axial rig's
conditions) is an assumption of this module, stated in the rig's ``assumptions``.

References
----------
.. [1] McFadden, P. D. & Smith, J. D. (1984). Model for the vibration produced by a single point defect in a
   rolling element bearing. *J. Sound Vib.* 96(1), 69-82.
.. [2] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
.. [3] Ho, D. & Randall, R. B. (2000). Optimisation of bearing diagnostic techniques using simulated and
   actual bearing fault signals. *Mech. Syst. Signal Process.* 14(5), 763-788.
.. [4] Harris, T. A. & Kotzalas, M. N. (2007). *Essential Concepts of Bearing Technology*, 5th ed., ch. 7.
.. [5] Sawalhi, N. & Randall, R. B. (2008). Simulating gear and bearing interactions in the presence of
   faults: Part I. *Mech. Syst. Signal Process.* 22(8), 1924-1951.
.. [6] Sunnersjö, C. S. (1978). Varying compliance vibrations of rolling bearings. *J. Sound Vib.* 58(3),
   363-373.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import scipy.signal

from bearingkit.errors import ParameterError
from bearingkit.physics.kinematics import BearingGeometry, defect_frequencies, get_bearing
from bearingkit.recording import Recording

__all__ = ["Condition", "DEFAULT_SNR_DB", "Forces", "Load", "RIGS", "Resonance", "Rig", "Sensor",
           "design_seed", "get_rig", "impact_scale", "rig_conditions", "simulate", "simulate_design"]

#: Default signal-to-noise ratio (dB) of an outer-race fault at the reference load.
DEFAULT_SNR_DB = 0.0

Load = float | tuple[float, float]


@dataclass(frozen=True)
class Resonance:
    """A structural resonance between bearing and sensor: natural frequency (Hz), damping ratio, gain."""

    freq_hz: float
    damping: float
    gain: float


@dataclass(frozen=True)
class Sensor:
    """One accelerometer channel.

    ``resonances`` shape its impulse response; ``shaft`` holds the amplitudes (g) of the 1x, 2x, 3x shaft
    harmonics at the rig's top design speed; ``location`` names the bearing it sits on (rigs with several
    test bearings) - the fault path to sensors elsewhere is attenuated by the rig's ``cross_gain``.
    """

    name: str
    resonances: tuple[Resonance, ...]
    shaft: tuple[float, float, float]
    location: str | None = None


class Forces(NamedTuple):
    """Loads on the test bearing, in the rig's force unit: radial fixed in space, radial turning with the
    shaft, axial."""

    static: float
    rotating: float
    axial: float


@dataclass(frozen=True)
class Rig:
    """A simulated test rig: bearing, sampling, sensors, design and load model.

    Parameters
    ----------
    name : str
        Registry key.
    description : str
    bearing : str
        Key of :data:`bearingkit.physics.kinematics.BEARINGS`.
    fs : float
        Sampling rate of the rig's acquisitions, Hz.
    duration : float
        Length of one acquisition, s.
    classes : tuple of str
        Health states of the rig's data set (labels of :data:`bearingkit.recording.LABELS`).
    sensors : tuple of Sensor
    load_cases : tuple of (str, load)
        Named load cases of the design; a load is a number, or ``(radial, axial)`` when ``load_pair``.
    load_unit : str
    load_pair : bool
        Whether a load is ``(radial, axial)``.
    forces : callable
        ``forces(load, shaft_hz) -> Forces``.
    reference_load : load
        Load at which an outer-race impact has unit amplitude and ``snr_db`` is defined.
    locations : tuple of str
        Bearings that can carry the fault (empty: one test bearing).
    cross_gain : float
        Gain of the fault path to sensors on another bearing.
    nonuniformity : float
        Thrust bearings: amplitude ``u`` of the stationary load non-uniformity ``1 + u cos(theta)``.
    residual : float
        Residual load ``r``, relative to the reference load, that the unloaded bearing still carries.
    slip : float
        Standard deviation of the relative period jitter.
    variation : float
        Standard deviation of the relative impact-to-impact amplitude variation.
    fault_rms : float
        RMS (g) of an outer-race fault at the reference load on the strongest sensor.
    fault_size : float or None
        Defect size, in ``fault_size_unit``; None when not published.
    fault_size_unit : str
    unbalance_gain : float
        Relative growth of the 1x shaft harmonic per unit of load (MAFAULDA: per gram of added mass).
    impact_law : {"speed", "constant_rms"}
        ``"speed"``: impact amplitude ∝ ``(rpm / reference_rpm) ** speed_exponent``, the fault's RMS growing
        with speed; ``"constant_rms"``: the law before issue 19 (amplitude ∝ 1/sqrt(defect rate), the same
        RMS at every speed), kept to measure what the change does.
    speed_exponent : float
        ``p`` of the speed law (1: impulse proportional to the impact velocity).
    reference_rpm : float or None
        Speed at which an outer-race fault at the reference load has RMS ``fault_rms`` and ``snr_db`` is
        defined; None: the top design speed.
    compliance : float
        Amplitude (g) of the roller-pass (varying-compliance) vibration at BPFO, at the reference load and
        speed, on the sensor with the largest shaft harmonic (others in proportion to theirs); 0: none.
    assumptions : str
        What this module assumes beyond the sources.
    """

    name: str
    description: str
    bearing: str
    fs: float
    duration: float
    classes: tuple[str, ...]
    sensors: tuple[Sensor, ...]
    load_cases: tuple[tuple[str, Load], ...]
    load_unit: str
    load_pair: bool
    forces: Callable[[Load, float], Forces]
    reference_load: Load
    locations: tuple[str, ...] = ()
    cross_gain: float = 0.25
    nonuniformity: float = 0.0
    residual: float = 0.2
    slip: float = 0.015
    variation: float = 0.1
    fault_rms: float = 1.0
    fault_size: float | None = None
    fault_size_unit: str = "mm"
    unbalance_gain: float = 0.0
    impact_law: str = "speed"
    speed_exponent: float = 1.0
    reference_rpm: float | None = None
    compliance: float = 0.0
    assumptions: str = ""

    @property
    def geometry(self) -> BearingGeometry:
        """The bearing's geometry from :data:`bearingkit.physics.kinematics.BEARINGS`."""
        return get_bearing(self.bearing)

    @property
    def speed_reference(self) -> float:
        """The reference speed (rpm): ``reference_rpm``, or the top design speed."""
        return float(self.reference_rpm if self.reference_rpm is not None else max(self.speeds_rpm))

    @property
    def speeds_rpm(self) -> tuple[float, ...]:
        """The design's nominal speeds (the bearing entry's ``nominal_rpm``)."""
        return self.geometry.nominal_rpm


@dataclass(frozen=True)
class Condition:
    """One operating condition of a rig's design: speed (rpm), load, and the faulty bearing's location."""

    name: str
    speed_rpm: float
    load: Load
    location: str | None = None


def _polito_forces(load: Load, shaft_hz: float) -> Forces:
    radial, axial = load
    return Forces(static=radial, rotating=0.0, axial=axial)


_MAFAULDA_WEIGHT_N = 22.0     # rotor and shaft weight carried by one bearing (assumed)
_MAFAULDA_RADIUS_M = 0.05     # radius at which the unbalance masses sit on the 15.24 cm rotor (assumed)


def _mafaulda_forces(load: Load, shaft_hz: float) -> Forces:
    # Centrifugal force of the added mass (g -> kg), shared by the two bearings.
    unbalance = 1e-3 * load * _MAFAULDA_RADIUS_M * (2 * math.pi * shaft_hz) ** 2 / 2
    return Forces(static=_MAFAULDA_WEIGHT_N, rotating=unbalance, axial=0.0)


def _axial_forces(load: Load, shaft_hz: float) -> Forces:
    return Forces(static=0.0, rotating=0.0, axial=load)


def _mafaulda_sensors() -> tuple[Sensor, ...]:
    sensors = []
    for location, shift in (("underhang", 1.0), ("overhang", 1.12)):
        for axis, resonances, shaft in (
                ("axial", ((3_100, 0.05, 0.5), (7_400, 0.04, 0.3)), (0.02, 0.01, 0.005)),
                ("radial", ((4_300, 0.04, 1.0), (9_600, 0.03, 0.6)), (0.08, 0.03, 0.015)),
                ("tangential", ((5_600, 0.04, 0.8), (11_800, 0.03, 0.4)), (0.06, 0.025, 0.01))):
            sensors.append(Sensor(name=f"{location}_{axis}", location=location, shaft=shaft,
                                  resonances=tuple(Resonance(f * shift, z, g) for f, z, g in resonances)))
    return tuple(sensors)


#: The simulated rigs, keyed by name.
RIGS: Mapping[str, Rig] = MappingProxyType({
    "polito": Rig(
        name="polito",
        description="Politecnico di Torino industrial bearing rig (Brusa et al. 2022; Di Maggio et al. "
                    "2023): SKF 22240 CCK/W33 spherical roller bearing, 2 mm x 0.5 mm drilled defects, 4 "
                    "load cases x 10 speeds, 30 s at 20,480 Hz, one signal per acquisition, classes Normal / "
                    "IR / OR",
        bearing="polito", fs=20_480.0, duration=30.0, classes=("normal", "inner", "outer"),
        sensors=(Sensor(name="adapter", shaft=(0.05, 0.02, 0.01),
                        resonances=(Resonance(2_800, 0.04, 1.0), Resonance(6_100, 0.03, 0.5))),),
        load_cases=(("LC1", (0.0, 0.0)), ("LC2", (64.0, 0.0)), ("LC3", (124.8, 0.0)), ("LC4", (124.8, 49.0))),
        load_unit="kN (radial, axial)", load_pair=True, forces=_polito_forces, reference_load=(124.8, 0.0),
        fault_size=2.0, fault_size_unit="mm", compliance=0.05,
        assumptions="bearing internal geometry (see kinematics); one SKF CMS 2200T sensor on the test "
                    "bearing's adapter with resonances at 2.8 and 6.1 kHz; outer-race defect at the "
                    "load-zone centre; impact amplitude proportional to radial + axial load with a 20 % "
                    "residual and to shaft speed (reference 997 rpm); roller-pass vibration of 0.05 g at "
                    "BPFO at 124.8 kN and 997 rpm"),
    "mafaulda": Rig(
        name="mafaulda",
        description="MAFAULDA-like SpectraQuest MFS-ABVT rig: two bearings (underhang, overhang), three "
                    "accelerometer axes each, 50 kHz, 5 s; bearing classes normal / ball / cage / outer with "
                    "0, 6, 20, 35 g of added unbalance mass",
        bearing="mafaulda", fs=50_000.0, duration=5.0, classes=("normal", "ball", "cage", "outer"),
        sensors=_mafaulda_sensors(),
        load_cases=(("0g", 0.0), ("6g", 6.0), ("20g", 20.0), ("35g", 35.0)),
        load_unit="g (added unbalance mass)", load_pair=False, forces=_mafaulda_forces, reference_load=0.0,
        locations=("underhang", "overhang"), fault_size_unit="g", unbalance_gain=1 / 6, compliance=0.01,
        assumptions="resonances and gains per axis; 22 N static load per bearing; unbalance masses at 5 cm; "
                    "residual unbalance equal to 6 g of added mass; fault path to the other bearing's "
                    "sensors at 0.25; speeds a 7-point grid over 12-61 Hz; impact amplitude proportional "
                    "to shaft speed (reference: the top speed); roller-pass vibration of 0.01 g"),
    "axial": Rig(
        name="axial",
        description="Axial (thrust) bearing rig after Sedira et al. (2026), Sect. 7.2: thrust ball "
                    "bearing under axial load, two accelerometers in the axial direction; classes normal / "
                    "inner (shaft washer) / outer (housing washer) / ball. Not public: every value here is "
                    "assumed",
        bearing="axial", fs=25_600.0, duration=10.0, classes=("normal", "inner", "outer", "ball"),
        sensors=(Sensor(name="housing_axial", shaft=(0.03, 0.015, 0.008),
                        resonances=(Resonance(3_600, 0.04, 1.0), Resonance(7_900, 0.03, 0.5))),
                 Sensor(name="frame_axial", shaft=(0.05, 0.02, 0.01),
                        resonances=(Resonance(2_300, 0.05, 0.5), Resonance(5_200, 0.04, 0.3)))),
        load_cases=(("0.5kN", 0.5), ("1kN", 1.0), ("2kN", 2.0)),
        load_unit="kN (axial)", load_pair=False, forces=_axial_forces, reference_load=2.0, nonuniformity=0.3,
        reference_rpm=900.0,
        assumptions="the whole rig: bearing (SKF 51206), 25.6 kHz, 10 s, speeds, axial loads, resonances, a "
                    "stationary load non-uniformity of 30 %; impact amplitude proportional to shaft speed, "
                    "reference 900 rpm (Sedira et al.'s runs); no roller-pass vibration under a centred "
                    "axial load (every ball equally loaded)"),
})


def get_rig(rig: str | Rig) -> Rig:
    """The rig named ``rig`` in :data:`RIGS` (a :class:`Rig` is returned as it is).

    Raises
    ------
    ParameterError
        For an unknown name; the message lists the valid ones.
    """
    if isinstance(rig, Rig):
        return rig
    try:
        return RIGS[rig]
    except (KeyError, TypeError):
        raise ParameterError(f"unknown rig {rig!r}; valid rigs: {', '.join(RIGS)}") from None


def rig_conditions(rig: str | Rig) -> tuple[Condition, ...]:
    """The operating conditions of a rig's design, in a fixed order.

    PoliTo: 4 load cases x 10 speeds = 40 conditions (Di Maggio et al. 2023, Table 4); MAFAULDA-like:
    2 locations x 4 masses x 7 speeds; axial: 3 loads x 4 speeds.

    Returns
    -------
    tuple of Condition
        Named ``"<load case>_<speed>rpm"`` (prefixed by the location where the rig has several).
    """
    rig = get_rig(rig)
    conditions = []
    for location in rig.locations or (None,):
        for load_name, load in rig.load_cases:
            for rpm in rig.speeds_rpm:
                prefix = "" if location is None else f"{location}_"
                conditions.append(Condition(name=f"{prefix}{load_name}_{rpm:g}rpm", speed_rpm=rpm, load=load,
                                            location=location))
    return tuple(conditions)


def _check_load(rig: Rig, load) -> Load:
    if rig.load_pair:
        pair = isinstance(load, tuple | list) and len(load) == 2
        if not (pair and all(np.isscalar(v) and np.isfinite(v) and v >= 0 for v in load)):
            raise ParameterError(f"rig {rig.name!r} takes load=(radial, axial) in {rig.load_unit}, both "
                                 f">= 0, e.g. {rig.load_cases[-1][1]}; got {load!r}")
        return float(load[0]), float(load[1])
    if not (np.isscalar(load) and np.isfinite(load) and load >= 0):
        raise ParameterError(f"rig {rig.name!r} takes a load >= 0 in {rig.load_unit}, e.g. "
                             f"{rig.load_cases[-1][1]}; got {load!r}")
    return float(load)


def _check_args(rig: Rig, *, fault, speed, duration, fs, location) -> None:
    if fault not in rig.classes:
        raise ParameterError(f"rig {rig.name!r} has no fault class {fault!r}; valid classes: "
                             f"{', '.join(rig.classes)}")
    if not (np.isscalar(speed) and np.isfinite(speed) and speed > 0):
        raise ParameterError(f"speed must be a positive shaft speed in rpm, got {speed!r}")
    if not (np.isscalar(duration) and np.isfinite(duration) and duration > 0):
        raise ParameterError(f"duration must be a positive number of seconds, got {duration!r}")
    if not (np.isscalar(fs) and np.isfinite(fs) and fs > 0):
        raise ParameterError(f"fs must be a positive sampling rate in Hz, got {fs!r}")
    if rig.locations and location not in rig.locations:
        raise ParameterError(f"rig {rig.name!r} needs location, one of {', '.join(rig.locations)}; "
                             f"got {location!r}")
    if not rig.locations and location is not None:
        raise ParameterError(f"rig {rig.name!r} has a single test bearing: leave location=None, "
                             f"got {location!r}")


def _impulse_responses(rig: Rig, *, fs: float, location: str | None) -> np.ndarray:
    """Impulse responses ``h_c`` of the sensors, shape (channel, taps), cut where they decay to 1e-3."""
    kept = [[r for r in s.resonances if r.freq_hz < 0.45 * fs] for s in rig.sensors]
    if not any(kept):
        lowest = min(r.freq_hz for s in rig.sensors for r in s.resonances)
        raise ParameterError(f"fs={fs:g} Hz leaves every resonance of rig {rig.name!r} above 0.45 fs; "
                             f"use fs > {lowest / 0.45:.0f} Hz (the rig records at {rig.fs:g} Hz)")
    decay = max(math.log(1e3) / (r.damping * 2 * math.pi * r.freq_hz) for rs in kept for r in rs)
    t = np.arange(math.ceil(decay * fs)) / fs
    responses = np.zeros((len(rig.sensors), t.size))
    for c, (sensor, resonances) in enumerate(zip(rig.sensors, kept, strict=True)):
        path = 1.0 if location is None or sensor.location == location else rig.cross_gain
        for r in resonances:
            omega = 2 * math.pi * r.freq_hz
            damped = omega * math.sqrt(1 - r.damping**2)
            responses[c] += path * r.gain * np.exp(-r.damping * omega * t) * np.sin(damped * t)
    return responses


def _impact_times(rng: np.random.Generator, *, rate: float, duration: float, slip: float) -> np.ndarray:
    """Impact times with random slip: periods ``T (1 + slip * N(0, 1))`` from a random start in [0, T)."""
    period = 1.0 / rate
    n = math.ceil(duration * rate * (1 + 5 * slip)) + 2
    periods = period * np.maximum(1.0 + slip * rng.standard_normal(n), 0.5)
    times = rng.uniform(0.0, period) + np.concatenate(([0.0], np.cumsum(periods[:-1])))
    return times[times < duration]


def _load_factors(rig: Rig, *, fault: str, times: np.ndarray, shaft_hz: float, ftf_hz: float, load: Load,
                  rng: np.random.Generator) -> np.ndarray:
    """Load factor ``q_k`` of each impact, 1 for an outer-race impact at the reference load."""
    geometry = rig.geometry
    forces = rig.forces(load, shaft_hz)
    shaft_angle = 2 * math.pi * shaft_hz * times + rng.uniform(0, 2 * math.pi)
    # Radial load vector: fixed part along 0 rad plus the part turning with the shaft.
    fx = forces.static + forces.rotating * np.cos(shaft_angle)
    fy = forces.rotating * np.sin(shaft_angle)
    radial = np.hypot(fx, fy)
    load_angle = np.arctan2(fy, fx)
    element_angle = {"outer": np.zeros_like(times),
                     "inner": shaft_angle,
                     "ball": 2 * math.pi * ftf_hz * times + rng.uniform(0, 2 * math.pi),
                     "cage": None}[fault]
    if element_angle is None:
        zone = np.ones_like(times)
    elif geometry.contact_angle_deg == 90:
        u = rig.nonuniformity
        zone = (1 + u * np.cos(element_angle)) / (1 + u)
    else:
        # Load-distribution factor: 1/2 under pure radial load, infinite (uniform load) without radial load.
        tan_alpha = math.tan(math.radians(geometry.contact_angle_deg))
        axial_share = forces.axial / tan_alpha if forces.axial else 0.0
        ratio = np.divide(axial_share, radial, out=np.full_like(radial, np.inf), where=radial > 0)
        epsilon = 0.5 * (1 + ratio)
        exponent = 1.5 if geometry.element == "ball" else 10 / 9
        zone = np.clip(1 - (1 - np.cos(element_angle - load_angle)) / (2 * epsilon), 0, None) ** exponent
    reference = rig.forces(rig.reference_load, shaft_hz)
    total = (radial + forces.axial) / (reference.static + reference.rotating + reference.axial)
    return (rig.residual + total * zone) / (rig.residual + 1)


def impact_scale(rig: Rig, *, rpm: float, fs: float, energy: float) -> float:
    """Amplitude ``A_0 (f_r / f_ref)^p`` of a unit-load impact at ``rpm`` (see the module docstring).

    ``A_0`` makes an outer-race fault at the reference load and the reference speed have RMS
    ``rig.fault_rms`` on the sensor whose impulse response has the largest energy ``energy`` (sum of
    squares of its taps): impacts at rate ``BPFO_ref`` give mean power
    ``A_0^2 (1 + v^2) energy BPFO_ref / fs``.

    Parameters
    ----------
    rig : Rig
    rpm : float > 0
        Shaft speed.
    fs : float > 0
        Sampling rate, Hz.
    energy : float > 0
        Energy of the strongest sensor's impulse response.

    Returns
    -------
    float
        ``impact_law="speed"``: ``A_0 (rpm / f_ref)^p``; ``"constant_rms"``: the old law, the same fault RMS
        at every speed (amplitude ∝ ``1 / sqrt(BPFO(rpm))``).

    Examples
    --------
    >>> rig = get_rig("polito")
    >>> round(impact_scale(rig, rpm=997, fs=20480, energy=1.0) / impact_scale(rig, rpm=127, fs=20480,
    ...                                                                        energy=1.0), 2)
    7.85
    """
    if rig.impact_law not in ("speed", "constant_rms"):
        raise ParameterError(f"impact_law must be 'speed' or 'constant_rms', got {rig.impact_law!r}")
    if rig.impact_law == "constant_rms":
        bpfo = defect_frequencies(rig.geometry, rpm=rpm).bpfo
        return rig.fault_rms / math.sqrt(bpfo / fs * (1 + rig.variation**2) * energy)
    reference = rig.speed_reference
    bpfo_ref = defect_frequencies(rig.geometry, rpm=reference).bpfo
    a0 = rig.fault_rms / math.sqrt(bpfo_ref / fs * (1 + rig.variation**2) * energy)
    return a0 * (rpm / reference) ** rig.speed_exponent


def _compliance_signal(rig: Rig, *, rpm: float, load: Load, n: int, fs: float,
                       rng: np.random.Generator) -> np.ndarray:
    """Roller-pass (varying-compliance) vibration at BPFO, 2 BPFO, 3 BPFO on every sensor (Sunnersjö 1978).

    Amplitude ``compliance x (1, 1/2, 1/4)`` at the reference load and speed, in proportion to the radial
    load (with the residual) and to the square of speed; the sensors share it in proportion to their 1x
    shaft harmonic. The three phases are drawn whatever ``compliance`` is, so the random stream does not
    depend on it.
    """
    phase = rng.uniform(0, 2 * math.pi, size=3)
    if rig.compliance == 0:
        return np.zeros((len(rig.sensors), n))
    bpfo = defect_frequencies(rig.geometry, rpm=rpm).bpfo
    forces, reference = rig.forces(load, rpm / 60.0), rig.forces(rig.reference_load, rpm / 60.0)
    radial_ref = reference.static + reference.rotating
    radial = (forces.static + forces.rotating) / radial_ref if radial_ref > 0 else 0.0
    scale = rig.compliance * (rig.residual + radial) / (rig.residual + 1) * (rpm / rig.speed_reference) ** 2
    shaft = np.array([s.shaft[0] for s in rig.sensors])
    t = np.arange(n) / fs
    tone = sum(0.5 ** (m - 1) * np.cos(2 * math.pi * m * bpfo * t + phase[m - 1]) for m in (1, 2, 3))
    return scale * (shaft / shaft.max())[:, np.newaxis] * tone[np.newaxis, :]


def _fault_signal(rig: Rig, *, fault: str, rpm: float, load: Load, duration: float, fs: float,
                  location: str | None, rng: np.random.Generator) -> np.ndarray:
    """The impact-train response on every sensor, shape (channel, time), scaled to ``rig.fault_rms``."""
    n = round(duration * fs)
    freqs = defect_frequencies(rig.geometry, rpm=rpm)
    rate = {"inner": freqs.bpfi, "outer": freqs.bpfo, "ball": freqs.bsf_2x, "cage": freqs.ftf}[fault]
    times = _impact_times(rng, rate=rate, duration=duration, slip=rig.slip)
    q = _load_factors(rig, fault=fault, times=times, shaft_hz=freqs.shaft, ftf_hz=freqs.ftf, load=load,
                      rng=rng)
    amplitude = q * np.maximum(1 + rig.variation * rng.standard_normal(times.size), 0)
    if fault == "ball":
        amplitude[1::2] *= 0.6   # the spall alternately strikes the outer and the (smaller-radius) inner race
    responses = _impulse_responses(rig, fs=fs, location=location)
    energy = (responses**2).sum(axis=1).max()
    a0 = impact_scale(rig, rpm=rpm, fs=fs, energy=energy)
    train = np.bincount(np.minimum(np.rint(times * fs).astype(np.int64), n - 1), weights=a0 * amplitude,
                        minlength=n)
    return scipy.signal.oaconvolve(train[np.newaxis, :], responses, mode="full", axes=-1)[:, :n]


def _shaft_signal(rig: Rig, *, rpm: float, load: Load, n: int, fs: float,
                  rng: np.random.Generator) -> np.ndarray:
    """Shaft harmonics 1x-3x, amplitudes growing with the square of speed (and unbalance).

    ``a cos(m theta + phi) = a cos(phi) cos(m theta) - a sin(phi) sin(m theta)``: the six harmonic functions
    are built from one cosine and one sine by the multiple-angle formulas, and mixed for every sensor at once.
    """
    scale = (rpm / max(rig.speeds_rpm)) ** 2
    unbalance = 1.0 if rig.load_pair else 1.0 + rig.unbalance_gain * load
    amplitude = np.array([s.shaft for s in rig.sensors]) * scale * np.array([unbalance, 1.0, 1.0])
    phase = rng.uniform(0, 2 * math.pi, size=amplitude.shape)
    mixing = np.empty((len(rig.sensors), 6))
    mixing[:, 0::2] = amplitude * np.cos(phase)
    mixing[:, 1::2] = -amplitude * np.sin(phase)
    angle = (2 * math.pi * rpm / 60.0 / fs) * np.arange(n)
    basis = np.empty((6, n))
    cos1, sin1, cos2, sin2, cos3, sin3 = basis
    np.cos(angle, out=cos1)
    np.sin(angle, out=sin1)
    np.multiply(2 * cos1, cos1, out=cos2)
    cos2 -= 1                                  # cos 2t = 2 cos^2 t - 1
    np.multiply(2 * sin1, cos1, out=sin2)      # sin 2t = 2 sin t cos t
    np.multiply(cos1, 2 * cos2 - 1, out=cos3)  # cos 3t = cos t (2 cos 2t - 1)
    np.multiply(sin1, 2 * cos2 + 1, out=sin3)  # sin 3t = sin t (2 cos 2t + 1)
    return mixing @ basis


def simulate(rig: str | Rig, *, fault: str, speed: float, load: Load, duration: float | None = None,
             fs: float | None = None, seed: int | np.random.SeedSequence = 0,
             snr_db: float | None = DEFAULT_SNR_DB, location: str | None = None,
             severity: float = 1.0) -> Recording:
    """Simulate one acquisition of a rig.

    Parameters
    ----------
    rig : str or Rig
        Key of :data:`RIGS` (``"polito"``, ``"mafaulda"``, ``"axial"``) or a :class:`Rig`.
    fault : str
        Health state, one of the rig's ``classes``.
    speed : float > 0
        Shaft speed, rpm.
    load : float or (float, float)
        In the rig's ``load_unit``: ``(radial_kN, axial_kN)`` for ``"polito"``, the added mass in g for
        ``"mafaulda"``, the axial load in kN for ``"axial"``.
    duration : float > 0, optional
        Seconds; the rig's acquisition length when omitted.
    fs : float > 0, optional
        Sampling rate, Hz; the rig's when omitted. Resonances above 0.45 fs are left out.
    seed : int or numpy.random.SeedSequence
        Same seed, same signal.
    snr_db : float or None
        Outer-race-fault-at-reference-load-and-speed to noise power ratio, dB (see the module docstring);
        None for no noise.
    location : str, optional
        Faulty bearing, for rigs with several (``"underhang"`` or ``"overhang"`` on ``"mafaulda"``).
    severity : float > 0
        Relative defect severity: the impact amplitudes scale with it (a larger spall gives a deeper entry
        and a harder impact; McFadden & Smith 1984 model the impulse magnitude as proportional to the defect
        excitation). ``fault_size`` of the result is ``severity`` times the rig's fault size, or
        ``severity`` itself (unit ``"relative"``) for rigs with no published size.

    Returns
    -------
    Recording
        ``signal`` of shape (time,) for a one-sensor rig, else (sensor, time); ``simulated=True``,
        ``dataset="simulated:<rig>"``; ``extra`` holds the axial load, location, SNR, seed, and the
        kinematic defect frequencies in Hz.

    Raises
    ------
    ParameterError
        For an unknown rig, fault or location, or a malformed speed, load, duration or rate; the message
        lists the valid values.

    Examples
    --------
    >>> rec = simulate("polito", fault="outer", speed=997, load=(124.8, 0.0), duration=1.0)
    >>> rec.signal.shape, rec.fs, rec.label
    ((20480,), 20480.0, 'outer')
    """
    rig = get_rig(rig)
    duration = rig.duration if duration is None else duration
    fs = rig.fs if fs is None else fs
    _check_args(rig, fault=fault, speed=speed, duration=duration, fs=fs, location=location)
    load = _check_load(rig, load)
    if not (np.isfinite(severity) and severity > 0):
        raise ParameterError(f"severity must be a positive number, got {severity!r}")
    if snr_db is not None and not np.isfinite(snr_db):
        raise ParameterError(f"snr_db must be a finite number of dB, or None for no noise; got {snr_db!r}")
    n = round(duration * fs)
    if n < 16:
        raise ParameterError(f"duration * fs = {duration * fs:g} samples; need at least 16")
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng = np.random.default_rng(sequence)
    signal = _shaft_signal(rig, rpm=speed, load=load, n=n, fs=fs, rng=rng)
    signal += _compliance_signal(rig, rpm=speed, load=load, n=n, fs=fs, rng=rng)
    if fault != "normal":
        signal += severity * _fault_signal(rig, fault=fault, rpm=speed, load=load, duration=duration, fs=fs,
                                           location=location, rng=rng)
    if snr_db is not None:
        signal += rig.fault_rms * 10 ** (-snr_db / 20) * rng.standard_normal(signal.shape)
    main_load, axial = load if rig.load_pair else (load, None)
    extra = {"snr_db": snr_db, "location": location,
             "seed": {"entropy": sequence.entropy, "spawn_key": sequence.spawn_key},
             "defect_hz": defect_frequencies(rig.geometry, rpm=speed).as_dict()}
    if rig.load_pair:
        extra["axial_load"] = axial
    fault_size, fault_size_unit = rig.fault_size, rig.fault_size_unit
    if rig.fault_size_unit == "g":
        fault_size = main_load       # MAFAULDA grades its bearing faults by the added mass
    elif fault_size is None:
        fault_size, fault_size_unit = severity, "relative"
    else:
        fault_size = severity * fault_size
    return Recording(
        signal=signal[0] if len(rig.sensors) == 1 else signal, fs=fs, label=fault,
        dataset=f"simulated:{rig.name}",
        source=f"simulate({rig.name!r}, fault={fault!r}, speed={speed:g}, load={load!r}, "
               f"location={location!r})",
        rpm=float(speed), fault_size=0.0 if fault == "normal" else fault_size,
        fault_size_unit=fault_size_unit, load=main_load, load_unit=rig.load_unit,
        sensor=tuple(s.name for s in rig.sensors), simulated=True, extra=extra)


def design_seed(rig: str | Rig, *, seed: int, fault: str, condition: Condition) -> np.random.SeedSequence:
    """The child seed of one (class, condition) cell of a rig's design.

    The master ``SeedSequence(seed)`` is spawned into one child per cell of the full design (every class x
    every condition of :func:`rig_conditions`, class-major) and the cell's child is returned, so a cell gets
    the same signal whichever subset of the design is simulated, and in whatever order.

    Raises
    ------
    ParameterError
        When ``fault`` or ``condition`` is not part of the rig's design.
    """
    rig = get_rig(rig)
    design = rig_conditions(rig)
    if fault not in rig.classes:
        raise ParameterError(f"rig {rig.name!r} has no class {fault!r}; valid classes: "
                             f"{', '.join(rig.classes)}")
    if condition not in design:
        raise ParameterError(f"{condition!r} is not a condition of rig {rig.name!r}; take them from "
                             "rig_conditions(rig), or call simulate() with a seed of your own")
    children = np.random.SeedSequence(seed).spawn(len(rig.classes) * len(design))
    return children[rig.classes.index(fault) * len(design) + design.index(condition)]


def simulate_design(rig: str | Rig, *, classes: Iterable[str] | None = None,
                    conditions: Iterable[Condition] | None = None, duration: float | None = None,
                    seed: int = 0, snr_db: float | None = DEFAULT_SNR_DB,
                    fs: float | None = None) -> Iterator[Recording]:
    """Simulate a rig's design, one recording at a time (class-major).

    Parameters
    ----------
    rig : str or Rig
    classes : iterable of str, optional
        Subset of the rig's classes (all by default).
    conditions : iterable of Condition, optional
        Subset of :func:`rig_conditions` (all by default).
    duration, fs, snr_db
        As in :func:`simulate`.
    seed : int
        Master seed; each (class, condition) gets its child from :func:`design_seed`.

    Yields
    ------
    Recording
        With ``extra["condition"]`` naming the condition. Generated one by one, so a design larger than memory
        can be streamed.

    Examples
    --------
    >>> recs = simulate_design("polito", conditions=rig_conditions("polito")[:2], duration=0.5)
    >>> [(r.label, r.extra["condition"]) for r in recs][:3]
    [('normal', 'LC1_127rpm'), ('normal', 'LC1_227rpm'), ('inner', 'LC1_127rpm')]
    """
    rig = get_rig(rig)
    classes = rig.classes if classes is None else tuple(classes)
    conditions = rig_conditions(rig) if conditions is None else tuple(conditions)
    for fault in classes:
        for condition in conditions:
            child = design_seed(rig, seed=seed, fault=fault, condition=condition)
            recording = simulate(rig, fault=fault, speed=condition.speed_rpm, load=condition.load,
                                 duration=duration, fs=fs, seed=child, snr_db=snr_db,
                                 location=condition.location)
            yield replace(recording, extra={**recording.extra, "condition": condition.name})
