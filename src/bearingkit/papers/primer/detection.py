"""Sect. 2.2 of the primer: detection before diagnosis, on the normal record and nine 0 HP faults.

Condition monitoring first asks whether a machine has *changed* (Randall & Antoni 2011 [1]_): it trends a
few overall numbers (RMS, kurtosis, crest factor) against the machine's own past, and ISO 20816-3 judges the
broadband r.m.s. velocity in zones A-D. CWRU has no run-to-failure history: the stand-in for a history is
the healthy record cut into 1 s segments (:func:`bearingkit.dsp.condition.segment_indicators`), whose
largest value of each indicator is the baseline a fault record must clear (:class:`Detection`).

References
----------
.. [1] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from bearingkit.dsp.condition import condition_table, segment_indicators
from bearingkit.recording import Recording

__all__ = ["INDICATORS", "Detection", "detection_study"]

#: The indicators compared with the healthy baseline, columns of
#: :func:`bearingkit.dsp.condition.condition_table`.
INDICATORS = ("rms_g", "crest_factor", "kurtosis", "velocity_mm_s")


@dataclass(frozen=True)
class Detection:
    """The indicators of every record (:func:`condition_table`) and of the healthy record's segments."""

    table: pd.DataFrame
    healthy_segments: pd.DataFrame

    @property
    def baseline(self) -> pd.Series:
        """The largest value of each indicator among the healthy record's segments."""
        return self.healthy_segments[list(INDICATORS)].max()

    @property
    def above(self) -> pd.DataFrame:
        """Whether each fault record's indicator exceeds the healthy baseline (False for the normal one)."""
        faulty = (self.table["label"] != "normal").to_numpy()[:, None]
        return self.table[list(INDICATORS)].gt(self.baseline) & faulty

    @property
    def faulty(self) -> pd.DataFrame:
        """The fault records' rows of :attr:`table`."""
        return self.table[self.table["label"] != "normal"]

    def flagged(self) -> dict[str, int]:
        """How many fault records each indicator flags."""
        above = self.above
        return {name: int(above.loc[self.faulty.index, name].sum()) for name in INDICATORS}

    def missed(self) -> list[str]:
        """The fault records that neither impulsiveness indicator (crest factor, kurtosis) flags."""
        above = self.above
        return [f"{key} ({row['label']} {row['fault_size_in']:.3f} in)" for key, row in self.faulty.iterrows()
                if not above.loc[key, ["crest_factor", "kurtosis"]].any()]

    def flagged_table(self) -> pd.DataFrame:
        """:attr:`table` with one ``<indicator> > healthy`` column per indicator."""
        return self.table.join(self.above.add_suffix(" > healthy"))

    def healthy_range(self) -> pd.DataFrame:
        """The smallest and largest value of each indicator among the healthy segments."""
        return self.healthy_segments[list(INDICATORS)].agg(["min", "max"]).rename_axis("healthy 1 s segments")


def detection_study(normal: Recording, recordings: Mapping[str, Recording], *, seconds: float = 1.0
                    ) -> Detection:
    """:func:`condition_table` of ``recordings`` and :func:`segment_indicators` of the ``normal`` record."""
    return Detection(table=condition_table(recordings),
                     healthy_segments=segment_indicators(normal.signal, fs=normal.fs, seconds=seconds))
