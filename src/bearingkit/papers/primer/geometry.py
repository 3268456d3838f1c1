"""Sect. 1 of the primer, bearing kinematics: every rig's geometry, its defect lines, the published multiples.

The geometries and the published multiples are typed once, in
:data:`bearingkit.physics.kinematics.BEARINGS`; eqs. 1-4 of Randall & Antoni (2011) [1]_ give the multiples
from the geometry alone, and :func:`published_multiples` sets them beside the published ones.

References
----------
.. [1] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from bearingkit.physics.kinematics import (
    BEARINGS,
    DEFECTS,
    BearingGeometry,
    defect_multiples,
    kinematics_table,
)
from bearingkit.report import reference

__all__ = ["geometry_table", "published_multiples", "published_multiples_table", "speed_table"]

_SPEED_COLUMNS = ["key", "rpm", "shaft_hz", "ftf_hz", "bpfo_hz", "bpfi_hz", "bsf_hz", "bsf_2x_hz", "assumed"]


def geometry_table(bearings: Mapping[str, BearingGeometry] = BEARINGS) -> pd.DataFrame:
    """One row per bearing: rig, elements, diameters, contact angle, defect multiples, assumed fields."""
    return pd.DataFrame([
        {"key": key, "bearing": b.designation, "rig": b.rig, "n": b.n_elements, "rows": b.n_rows,
         "d": b.ball_diameter, "D": b.pitch_diameter, "unit": b.unit, "contact_deg": b.contact_angle_deg,
         **{f"{name}_x": getattr(defect_multiples(b), name) for name in DEFECTS},
         "assumed": ", ".join(b.assumed) or "-"}
        for key, b in bearings.items()]).set_index("key")


def speed_table() -> pd.DataFrame:
    """The defect frequencies in Hz at every nominal speed of every rig (:func:`kinematics_table`)."""
    return kinematics_table()[_SPEED_COLUMNS]


def published_multiples(bearings: Mapping[str, BearingGeometry] = BEARINGS) -> dict[str, pd.DataFrame]:
    """Our defect multiples beside the published ones, for every bearing that has published multiples.

    Returns
    -------
    dict of pd.DataFrame
        Keyed by bearing (``"cwru_de"``, ...): one row per published defect (``ftf``, ``bpfo``, ``bpfi``,
        ``bsf_2x`` or ``bsf``) with ``paper`` (published), ``ours`` (eqs. 1-4 of Randall & Antoni 2011
        from the geometry), ``difference`` and ``rel_difference`` (difference / published).
    """
    checks = {}
    for key, bearing in bearings.items():
        if not bearing.published:
            continue
        ours = defect_multiples(bearing).as_dict()
        check = reference.paper_vs_ours(dict(bearing.published), {k: ours[k] for k in bearing.published})
        checks[key] = check.drop(columns="note").assign(rel_difference=check["difference"] / check["paper"])
    return checks


def published_multiples_table(checks: Mapping[str, pd.DataFrame],
                              bearings: Mapping[str, BearingGeometry] = BEARINGS) -> pd.DataFrame:
    """The checks of :func:`published_multiples` in one table, indexed by bearing and defect."""
    return pd.concat({f"{key}: {bearings[key].designation} ({bearings[key].rig})":
                      check.rename(columns={"paper": "published"}) for key, check in checks.items()},
                     names=["bearing", "defect"])
