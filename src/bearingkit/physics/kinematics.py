"""Bearing kinematics: the defect frequencies of a rolling bearing from its geometry.

For a bearing with ``n`` rolling elements of diameter ``d`` on a pitch circle of diameter ``D``, contact angle
``phi``, inner ring turning at ``f_r`` and outer ring fixed, rigid-body rolling without slip gives [1]_ [2]_

.. math::

    \\mathrm{FTF}  = \\tfrac{f_r}{2}\\,(1 - \\gamma), \\qquad
    \\mathrm{BPFO} = \\tfrac{n f_r}{2}(1 - \\gamma), \\qquad
    \\mathrm{BPFI} = \\tfrac{n f_r}{2}(1 + \\gamma), \\qquad
    \\mathrm{BSF}  = \\tfrac{D f_r}{2 d}(1 - \\gamma^2), \\qquad \\gamma = \\tfrac{d}{D}\\cos\\phi .

**The BSF convention is named, never implied.** ``bsf`` is the classical ball *spin* frequency (2.357 x
shaft speed for the CWRU 6205). A spall on a ball strikes both races once per spin revolution, so the line
a ball defect produces is ``bsf_2x`` = 2 x BSF (4.7135 x for the CWRU 6205): what the CWRU Bearing Data
Center lists as the "rolling element" frequency.

**Slip does not scale every line by one factor.** Real elements slip 1-2 % [3]_: the cage (and with it
every element) lags the position that rolling without slip gives, so the cage rate FTF and the outer-race
pass rate BPFO = n FTF fall by the slip, while the inner-race pass rate BPFI = n (f_r - FTF), the rate at
which the elements meet a point of the turning inner ring, *rises*. Whatever the slip and the contact angle,
``BPFO + BPFI = n f_r`` (:func:`with_cage_slip`). A measured BPFO above and BPFI below their no-slip values
is therefore the opposite of slip; a larger effective contact angle (a smaller ``gamma``) does that. And a
sum of the two that differs from ``n f_r`` says that the shaft rate used is off, not that the bearing slips.
:func:`effective_geometry` reads a measured pair of race lines back into ``gamma``, a contact angle or a slip.

Every registry entry in :data:`BEARINGS` says where its numbers come from and which of them are *assumed*
(estimated here because no source publishes them).

References
----------
.. [1] McFadden, P. D. & Smith, J. D. (1984). Model for the vibration produced by a single point defect in a
   rolling element bearing. *J. Sound Vib.* 96(1), 69-82.
.. [2] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520, eqs. (1)-(4).
.. [3] Ho, D. & Randall, R. B. (2000). Optimisation of bearing diagnostic techniques using simulated and
   actual bearing fault signals. *Mech. Syst. Signal Process.* 14(5), 763-788.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.errors import ParameterError

__all__ = [
    "BEARINGS",
    "DEFECTS",
    "BearingGeometry",
    "DefectFrequencies",
    "defect_frequencies",
    "defect_multiples",
    "effective_geometry",
    "get_bearing",
    "kinematics_table",
    "with_cage_slip",
]

#: Names of the defect frequencies, in the order tables show them.
DEFECTS = ("ftf", "bpfo", "bpfi", "bsf", "bsf_2x")


@dataclass(frozen=True)
class BearingGeometry:
    """The geometry of one bearing as mounted on one rig.

    Parameters
    ----------
    designation : str
        Bearing type as the source names it (``"SKF 6205-2RS JEM"``).
    rig : str
        Where it sits (``"CWRU drive end"``).
    n_elements : int > 0
        Rolling elements per row (the defect frequencies are per row).
    ball_diameter, pitch_diameter : float > 0
        Rolling-element and pitch-circle diameters, in ``unit``.
    contact_angle_deg : float in [0, 90]
        0 for a radially loaded deep-groove bearing, 90 for a thrust ball bearing.
    unit : str
        Unit of the two diameters (``"in"``, ``"mm"``, ``"cm"``); the frequencies depend on their ratio only.
    element : str
        ``"ball"`` or ``"roller"`` (the load-distribution exponent of :mod:`bearingkit.physics.simulate`).
    n_rows : int
        Rows of rolling elements (2 for a spherical roller bearing).
    nominal_rpm : tuple of float
        The rig's nominal shaft speeds, for :func:`kinematics_table`.
    source : str
        Where the numbers come from.
    assumed : tuple of str
        Names of the fields that no source publishes and that are estimated here; empty when all are
        published.
    published : Mapping[str, float]
        Multiples of shaft speed as the source publishes them (keys from :data:`DEFECTS`), for checking.
    """

    designation: str
    rig: str
    n_elements: int
    ball_diameter: float
    pitch_diameter: float
    contact_angle_deg: float = 0.0
    unit: str = "mm"
    element: str = "ball"
    n_rows: int = 1
    nominal_rpm: tuple[float, ...] = ()
    source: str = ""
    assumed: tuple[str, ...] = ()
    published: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        if not (isinstance(self.n_elements, int) and self.n_elements > 0):
            raise ParameterError(f"{self.designation}: n_elements must be a positive integer, "
                                 f"got {self.n_elements!r}")
        if not (0 < self.ball_diameter < self.pitch_diameter):
            raise ParameterError(f"{self.designation}: need 0 < ball_diameter < pitch_diameter, got "
                                 f"{self.ball_diameter!r} and {self.pitch_diameter!r}")
        if not 0 <= self.contact_angle_deg <= 90:
            raise ParameterError(f"{self.designation}: contact angle must lie in [0, 90] degrees, "
                                 f"got {self.contact_angle_deg!r}")
        if self.element not in ("ball", "roller"):
            raise ParameterError(f"{self.designation}: element must be 'ball' or 'roller', "
                                 f"got {self.element!r}")

    @property
    def gamma(self) -> float:
        """The ratio ``d cos(phi) / D`` that every defect frequency depends on."""
        return self.ball_diameter / self.pitch_diameter * math.cos(math.radians(self.contact_angle_deg))


@dataclass(frozen=True)
class DefectFrequencies:
    """Shaft rate and defect frequencies, all in the same unit (Hz, or orders when ``shaft == 1``).

    ``bsf`` is the ball spin frequency; ``bsf_2x`` = 2 x ``bsf`` is the ball-defect (rolling-element) line.
    """

    shaft: float
    ftf: float
    bpfo: float
    bpfi: float
    bsf: float
    bsf_2x: float

    def as_dict(self) -> dict[str, float]:
        """The six values keyed by name."""
        return {"shaft": self.shaft, **{name: getattr(self, name) for name in DEFECTS}}


def defect_multiples(geometry: BearingGeometry) -> DefectFrequencies:
    """Defect frequencies as multiples (orders) of shaft speed.

    Inner ring rotating, outer ring fixed, no slip: eqs. (1)-(4) of Randall & Antoni (2011), see the
    module docstring. For a contact angle of 90 degrees (thrust ball bearing) ``gamma = 0``, so BPFO = BPFI =
    n/2 and FTF = 1/2: the two washers give the same line.

    Parameters
    ----------
    geometry : BearingGeometry

    Returns
    -------
    DefectFrequencies
        With ``shaft == 1``.

    Examples
    --------
    >>> m = defect_multiples(get_bearing("cwru_de"))
    >>> round(m.bpfi, 4), round(m.bpfo, 4), round(m.bsf_2x, 4)
    (5.4152, 3.5848, 4.7134)
    """
    g = geometry.gamma
    n = geometry.n_elements
    bsf = geometry.pitch_diameter / (2.0 * geometry.ball_diameter) * (1.0 - g * g)
    return DefectFrequencies(shaft=1.0, ftf=0.5 * (1.0 - g), bpfo=0.5 * n * (1.0 - g),
                             bpfi=0.5 * n * (1.0 + g), bsf=bsf, bsf_2x=2.0 * bsf)


def defect_frequencies(geometry: BearingGeometry, *, rpm: float) -> DefectFrequencies:
    """Defect frequencies in Hz at a shaft speed of ``rpm`` rev/min.

    Parameters
    ----------
    geometry : BearingGeometry
    rpm : float > 0
        Shaft (inner-ring) speed in revolutions per minute; the shaft rate is ``rpm / 60`` Hz.

    Returns
    -------
    DefectFrequencies
        In Hz.

    Examples
    --------
    >>> round(defect_frequencies(get_bearing("cwru_de"), rpm=1797).bpfi, 1)
    162.2
    """
    if not (math.isfinite(rpm) and rpm > 0):
        raise ParameterError(f"rpm must be a positive number, got {rpm!r}")
    shaft = rpm / 60.0
    m = defect_multiples(geometry)
    return DefectFrequencies(**{name: value * shaft for name, value in m.as_dict().items()})


def with_cage_slip(freqs: DefectFrequencies, *, slip: float, n_elements: int) -> DefectFrequencies:
    """The defect frequencies when the cage lags by ``slip``: FTF and BPFO fall, BPFI rises.

    With the outer ring fixed the cage turns at ``FTF' = (1 - s) FTF``; the elements pass a point of the
    outer race at ``BPFO' = n FTF'`` and a point of the inner ring, which turns at ``f_r``, at
    ``BPFI' = n (f_r - FTF')`` (Ho & Randall 2000). So ``BPFO' + BPFI' = n f_r`` whatever ``s``: slip moves
    the two race lines apart in opposite directions, by ``s BPFO`` each. The ball spin under slip is not
    modelled: ``bsf`` and ``bsf_2x`` are returned unchanged.

    Parameters
    ----------
    freqs : DefectFrequencies
        No-slip frequencies (:func:`defect_frequencies` or :func:`defect_multiples`).
    slip : float in [0, 1)
        Relative lag of the cage behind rolling without slip (0.01-0.02 in practice).
    n_elements : int > 0
        Rolling elements per row (the ``n`` of the geometry that gave ``freqs``).

    Returns
    -------
    DefectFrequencies
        Same unit as ``freqs``.

    Examples
    --------
    >>> m = defect_multiples(get_bearing("cwru_de"))
    >>> s = with_cage_slip(m, slip=0.02, n_elements=9)
    >>> round(s.bpfo, 4), round(s.bpfi, 4), round(s.bpfo + s.bpfi, 6)
    (3.5131, 5.4869, 9.0)
    """
    if not (math.isfinite(slip) and 0 <= slip < 1):
        raise ParameterError(f"slip must lie in [0, 1), got {slip!r}")
    if not (isinstance(n_elements, int) and n_elements > 0):
        raise ParameterError(f"n_elements must be a positive integer, got {n_elements!r}")
    ftf = (1.0 - slip) * freqs.ftf
    return dataclasses.replace(freqs, ftf=ftf, bpfo=n_elements * ftf, bpfi=n_elements * (freqs.shaft - ftf))



def effective_geometry(bpfo_hz: float, bpfi_hz: float, *, shaft_hz: float, n_elements: int,
                       ball_over_pitch: float) -> dict[str, float]:
    """What a measured BPFO and BPFI say about the bearing: its effective ``gamma``, contact angle or slip.

    Rolling without slip gives ``BPFO = n f_r (1 - gamma) / 2`` and ``BPFI = n f_r (1 + gamma) / 2`` (eqs. 1-4
    of Randall & Antoni 2011), ``gamma = (d / D) cos phi``. Slip ``s`` makes the cage lag: FTF and BPFO
    fall by ``1 - s`` while BPFI *rises* (:func:`with_cage_slip`), and ``BPFO + BPFI = n f_r`` whatever the
    slip and the contact angle. So:

    - ``sum_ratio = (BPFO + BPFI) / (n f_r)`` is 1 for any bearing of ``n`` elements; away from 1 it says
      that ``shaft_hz`` is not the shaft rate at which the lines were measured (e.g. a header's rpm instead
      of the record's own shaft line), never that the bearing slips;
    - ``gamma = (BPFI - BPFO) / (BPFI + BPFO)``, free of any shaft-rate error, mixes contact angle and slip:
      ``1 - gamma = (1 - (d / D) cos phi) (1 - s)``. One pair of lines cannot separate the two. Read with no
      slip it gives ``contact_angle_deg``; read at the nominal contact angle of 0 degrees it gives
      ``slip_at_nominal_angle``, negative when the cage would have to *lead* (BPFO above, BPFI below their
      no-slip values), which slip cannot do.

    Parameters
    ----------
    bpfo_hz, bpfi_hz : float > 0
        Measured lines (or multiples of the shaft rate, with ``shaft_hz=1``).
    shaft_hz : float > 0
    n_elements : int >= 1
    ball_over_pitch : float in (0, 1)
        ``d / D``.

    Returns
    -------
    dict
        ``gamma``, ``contact_angle_deg`` (``arccos(gamma / (d / D))``, NaN when ``gamma > d / D``),
        ``slip_at_nominal_angle`` and ``sum_ratio``.

    Raises
    ------
    ParameterError
        A line or shaft rate that is not positive, ``n_elements < 1`` or ``d / D`` outside (0, 1).

    Examples
    --------
    >>> g = effective_geometry(3.6 * 30, 5.4 * 30, shaft_hz=30, n_elements=9, ball_over_pitch=0.2)
    >>> round(g["gamma"], 4), round(g["contact_angle_deg"], 4), round(g["sum_ratio"], 4)
    (0.2, 0.0, 1.0)
    """
    if min(bpfo_hz, bpfi_hz, shaft_hz) <= 0 or n_elements < 1 or not 0 < ball_over_pitch < 1:
        raise ParameterError("need positive line and shaft frequencies, n_elements >= 1 and "
                             "0 < ball_over_pitch < 1")
    gamma = (bpfi_hz - bpfo_hz) / (bpfi_hz + bpfo_hz)
    cosine = gamma / ball_over_pitch
    angle = float(np.degrees(np.arccos(cosine))) if abs(cosine) <= 1 else float("nan")
    return {"gamma": float(gamma), "contact_angle_deg": angle,
            "slip_at_nominal_angle": float(1 - (1 - gamma) / (1 - ball_over_pitch)),
            "sum_ratio": float((bpfo_hz + bpfi_hz) / (n_elements * shaft_hz))}


_CWRU_SOURCE = ("CWRU Bearing Data Center, 'Bearing Information' page (diameters in inches and the multiples "
                "of running speed); the page gives no ball count: 9 (6205) and 8 (6203) are the counts that "
                "reproduce its published multiples")

#: The bearings of the compendium's data sets and simulated rigs, keyed by rig.
BEARINGS: Mapping[str, BearingGeometry] = MappingProxyType({
    "cwru_de": BearingGeometry(
        designation="SKF 6205-2RS JEM", rig="CWRU drive end", n_elements=9, ball_diameter=0.3126,
        pitch_diameter=1.537, unit="in", nominal_rpm=(1797.0, 1772.0, 1750.0, 1730.0), source=_CWRU_SOURCE,
        published={"ftf": 0.39828, "bpfo": 3.5848, "bpfi": 5.4152, "bsf_2x": 4.7135}),
    "cwru_fe": BearingGeometry(
        designation="SKF 6203-2RS JEM", rig="CWRU fan end", n_elements=8, ball_diameter=0.2656,
        pitch_diameter=1.122, unit="in", nominal_rpm=(1797.0, 1772.0, 1750.0, 1730.0), source=_CWRU_SOURCE,
        published={"ftf": 0.3817, "bpfo": 3.0530, "bpfi": 4.9469, "bsf_2x": 3.9874}),
    "mfpt": BearingGeometry(
        designation="NICE bearing", rig="MFPT fault data sets", n_elements=8, ball_diameter=0.235,
        pitch_diameter=1.245, unit="in", nominal_rpm=(1500.0,),
        source="MFPT fault data sets documentation (E. Bechhoefer): 8 rollers, 0.235 in, pitch 1.245 in, "
               "0 deg; it lists 81.12 Hz (outer) and 118.875 Hz (inner) at a 25 Hz shaft",
        published={"bpfo": 81.12 / 25.0, "bpfi": 118.875 / 25.0}),
    "paderborn": BearingGeometry(
        designation="FAG 6203", rig="Paderborn KAt bearing test rig", n_elements=8, ball_diameter=6.75,
        pitch_diameter=28.55, nominal_rpm=(1500.0, 900.0),
        source="Lessmeier et al. (2016), PHM Society European Conference, Table 1; the per-bearing fact "
               "sheets give 29.05 mm pitch diameter for the bearings made by MTK (not modelled here)"),
    "mafaulda": BearingGeometry(
        designation="SpectraQuest MFS bearing", rig="MAFAULDA (SpectraQuest MFS-ABVT), both bearings",
        n_elements=8, ball_diameter=0.7145, pitch_diameter=2.8519, unit="cm",
        nominal_rpm=tuple(round(60 * hz, 2) for hz in (12.288, 20.48, 28.672, 36.864, 45.056, 53.248, 61.44)),
        source="MAFAULDA page, SMT/COPPE/UFRJ: 8 balls, ball 0.7145 cm, cage (pitch) 2.8519 cm, multiples in "
               "CPM/rpm; contact angle not published, 0 deg taken; speeds: a grid over the files' 12-61 Hz",
        assumed=("contact_angle_deg", "nominal_rpm"),
        published={"ftf": 0.375, "bpfo": 2.998, "bpfi": 5.002, "bsf": 1.871}),
    "polito": BearingGeometry(
        designation="SKF 22240 CCK/W33", rig="Politecnico di Torino industrial bearing rig", n_elements=20,
        ball_diameter=36.0, pitch_diameter=280.0, contact_angle_deg=10.0, element="roller", n_rows=2,
        nominal_rpm=(127.0, 227.0, 353.0, 457.0, 523.0, 607.0, 727.0, 877.0, 937.0, 997.0),
        source="Di Maggio et al. (2023), Sect. 3.2 and Table 4 (bearing, 200 mm tapered bore, 360 mm OD, "
               "speeds); SKF catalogue boundary dimensions 200 x 360 x 98 mm. The internal geometry is not "
               "published: pitch diameter = mean of bore and OD; roller diameter 0.45 x the 80 mm ring "
               "section; 20 rollers per row (about 80 % of the pitch circle filled); contact angle 10 deg, "
               "typical of the 222 series (calculation factor e = 1.5 tan(alpha) ~ 0.26)",
        assumed=("n_elements", "ball_diameter", "pitch_diameter", "contact_angle_deg")),
    "axial": BearingGeometry(
        designation="SKF 51206 (thrust ball bearing, assumed)",
        rig="axial bearing rig (Sedira et al. 2026, Sect. 7.2)",
        n_elements=14, ball_diameter=7.938, pitch_diameter=41.0, contact_angle_deg=90.0,
        nominal_rpm=(600.0, 900.0, 1200.0, 1500.0),
        source="The axial-bearing database is not public and its bearing is not named. Assumed: a single-"
               "direction thrust ball bearing SKF 51206 (30 x 52 x 16 mm); pitch diameter = mean of bore and "
               "OD, 14 balls of 5/16 in, contact angle 90 deg; speeds assumed",
        assumed=("designation", "n_elements", "ball_diameter", "pitch_diameter", "nominal_rpm")),
})


def get_bearing(key: str) -> BearingGeometry:
    """The registry entry ``key`` of :data:`BEARINGS`.

    Raises
    ------
    ParameterError
        When ``key`` is unknown; the message lists the valid keys.
    """
    try:
        return BEARINGS[key]
    except (KeyError, TypeError):
        raise ParameterError(f"unknown bearing {key!r}; valid keys: {', '.join(BEARINGS)}") from None


def kinematics_table(*, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Defect frequencies of the registry's bearings at their rigs' nominal speeds.

    Parameters
    ----------
    keys : iterable of str, optional
        Registry keys to include (all of :data:`BEARINGS` by default).

    Returns
    -------
    pandas.DataFrame
        One row per bearing and nominal speed: ``key``, ``rig``, ``designation``, ``rpm``, ``shaft_hz``, the
        multiples ``<defect>_x`` and the frequencies ``<defect>_hz`` for ``ftf, bpfo, bpfi, bsf, bsf_2x``, and
        ``assumed`` (the estimated geometry fields, comma-separated; empty when all are published).

    Examples
    --------
    >>> table = kinematics_table(keys=["cwru_de"])
    >>> table.loc[0, ["rpm", "bpfo_hz"]].round(1).tolist()
    [1797.0, 107.4]
    """
    rows = []
    for key in BEARINGS if keys is None else keys:
        geometry = get_bearing(key)
        multiples = defect_multiples(geometry)
        for rpm in geometry.nominal_rpm:
            hz = defect_frequencies(geometry, rpm=rpm)
            rows.append({"key": key, "rig": geometry.rig, "designation": geometry.designation, "rpm": rpm,
                         "shaft_hz": hz.shaft,
                         **{f"{name}_x": getattr(multiples, name) for name in DEFECTS},
                         **{f"{name}_hz": getattr(hz, name) for name in DEFECTS},
                         "assumed": ", ".join(geometry.assumed)})
    return pd.DataFrame(rows)
