"""The primer's data: CWRU drive-end records at one rate, and the record sets of each section.

The four records of Sect. 2 (:func:`cwru_view`, each with its own measured shaft rate), the nine 0 HP fault
records that the detection indicators are computed on (:func:`trend_records`), the 36 fault records of the
splits of Sect. 5 (:func:`split_numbers`), the outer-race records at every load (:func:`outer_race_numbers`)
and the six unlabelled records of Exercise 1 (:func:`blind_records`). 97.mat is sampled at 48 kHz (Sect. 3;
Smith & Randall 2015 [1]_): :func:`~bearingkit.dsp.sampling_rate.at_rate` brings it to 12 kHz before any
comparison with the fault files, and :func:`misread` shows what reading it at 12 kHz does.

References
----------
.. [1] Smith, W. A. & Randall, R. B. (2015). Rolling element bearing diagnostics using the Case Western
   Reserve University data: a benchmark study. *Mech. Syst. Signal Process.* 64-65, 100-131.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.data import cwru_files, load_cwru
from bearingkit.dsp.lines import measured_shaft_rate
from bearingkit.dsp.sampling_rate import at_rate
from bearingkit.physics.kinematics import BEARINGS, DefectFrequencies, defect_frequencies
from bearingkit.recording import Recording

__all__ = [
    "CWRU_RECORDS",
    "OWN_LINE",
    "CwruView",
    "blind_records",
    "cwru_records",
    "cwru_view",
    "load_cwru",
    "misread",
    "outer_race_numbers",
    "split_numbers",
    "trend_records",
]

#: The CWRU drive-end records of Sect. 2, all at 0 HP: the normal baseline and 0.007 in faults on the inner
#: race, a ball and the outer race at 6 o'clock.
CWRU_RECORDS: Mapping[str, int] = MappingProxyType({"normal": 97, "inner": 105, "ball": 118, "outer": 130})
#: The defect family each fault record's own fault produces (the ball line is 2 x BSF, the data centre's
#: "rolling element" frequency).
OWN_LINE: Mapping[str, str] = MappingProxyType({"inner": "BPFI", "outer": "BPFO", "ball": "2xBSF"})


def misread(recording: Recording, fs: float) -> Recording:
    """The same samples labelled with the rate ``fs``: what reading CWRU's 48 kHz 97.mat at 12 kHz does.

    Every frequency then reads ``fs / recording.fs`` times its true value and the record lasts
    ``recording.fs / fs`` times longer (Smith & Randall 2015).

    Examples
    --------
    >>> rec = Recording(np.zeros(4_800), fs=48_000.0, label="normal", dataset="cwru", source="demo")
    >>> misread(rec, 12_000.0).duration / rec.duration
    4.0
    """
    return dataclasses.replace(recording, fs=float(fs), source=f"{recording.source} read at {fs / 1e3:g} kHz")


def cwru_records(numbers: Mapping[str, int] = CWRU_RECORDS, *, fs: float = 12_000.0) -> dict[str, Recording]:
    """The CWRU drive-end records ``{label: file number}``, every one at ``fs``
    (:func:`~bearingkit.dsp.sampling_rate.at_rate`)."""
    return {label: at_rate(load_cwru(number), fs) for label, number in numbers.items()}


@dataclass(frozen=True)
class CwruView:
    """The four records of Sect. 2 at one rate, each with its measured shaft rate and its defect lines.

    ``lines`` are the CWRU drive-end bearing's defect frequencies at each record's header rpm
    (:func:`bearingkit.physics.kinematics.defect_frequencies`); ``shaft_hz`` the shaft rate each record's own
    spectrum shows (:func:`bearingkit.dsp.lines.measured_shaft_rate`).
    """

    numbers: Mapping[str, int]
    records: Mapping[str, Recording]
    shaft_hz: Mapping[str, float]
    lines: Mapping[str, DefectFrequencies]
    fs: float

    def overview(self) -> pd.DataFrame:
        """One row per record: file, fault size, load, header and measured rpm, file's and used rate."""
        return pd.DataFrame([
            {"label": label, "file": f"{r.extra['number']}.mat", "fault_size_in": r.fault_size,
             "load_hp": r.load, "rpm_header": r.rpm, "rpm_measured": 60 * self.shaft_hz[label],
             "fs_file_hz": r.extra.get("resampled_from_hz", r.fs), "fs_used_hz": r.fs,
             "duration_s": r.duration}
            for label, r in self.records.items()]).set_index("label")

    def signals(self) -> dict[str, np.ndarray]:
        """Every record's signal, keyed by label."""
        return {label: r.signal for label, r in self.records.items()}

    def faulty(self) -> list[Recording]:
        """The fault records, in the order of :data:`OWN_LINE`'s labels present here (inner, ball, outer)."""
        return [self.records[label] for label in self.records if label in OWN_LINE]

    def faulty_numbers(self) -> list[int]:
        """The file numbers of :meth:`faulty`."""
        return [self.numbers[label] for label in self.records if label in OWN_LINE]


def cwru_view(numbers: Mapping[str, int] = CWRU_RECORDS, *, fs: float = 12_000.0) -> CwruView:
    """:func:`cwru_records` with each record's measured shaft rate and its defect lines at its header rpm."""
    records = cwru_records(numbers, fs=fs)
    return CwruView(
        numbers=MappingProxyType(dict(numbers)), records=MappingProxyType(records), fs=fs,
        shaft_hz=MappingProxyType({label: measured_shaft_rate(r.signal, fs=fs, rpm=r.rpm)
                                   for label, r in records.items()}),
        lines=MappingProxyType({label: defect_frequencies(BEARINGS["cwru_de"], rpm=r.rpm)
                                for label, r in records.items()}))


def trend_records(normal: Recording, numbers: Mapping[str, int] = CWRU_RECORDS, *,
                  sizes: Sequence[float] = (0.007, 0.014, 0.021)) -> dict[str, Recording]:
    """The normal record and the 0 HP drive-end faults of every size (outer race at 6 o'clock), by file name.

    ``normal`` is passed at the rate of the fault files (:func:`~bearingkit.dsp.sampling_rate.at_rate`).
    """
    faults = sorted(cwru_files("12k_DE", location=["IR", "B"], size=list(sizes), load=0)
                    + cwru_files("12k_DE", location="OR", or_position=6, size=list(sizes), load=0))
    return {f"{numbers['normal']}.mat": normal, **{f"{n}.mat": load_cwru(n) for n in faults}}


def split_numbers(sizes: Sequence[float] = (0.007, 0.014, 0.021)) -> list[int]:
    """The 12 kHz drive-end fault files of Sect. 5: inner, ball and outer (6 o'clock), every size and load."""
    return sorted(cwru_files("12k_DE", location=["IR", "B"], size=list(sizes))
                  + cwru_files("12k_DE", location="OR", or_position=6, size=list(sizes)))


def outer_race_numbers(sizes: Sequence[float] = (0.007, 0.014, 0.021)) -> list[int]:
    """The 12 kHz drive-end outer-race (6 o'clock) files of every size and load, in the catalogue's order."""
    return cwru_files("12k_DE", location="OR", or_position=6, size=list(sizes))


def blind_records(numbers: Sequence[int], *, seed: int, names: str = "ABCDEF") -> dict[str, Recording]:
    """The records ``numbers`` under the names ``A, B, ...`` in a seeded random order, labels hidden in name.

    Examples
    --------
    >>> records = blind_records([105, 118], seed=0, names="AB")
    >>> sorted(records), sorted(r.extra["number"] for r in records.values())
    (['A', 'B'], [105, 118])
    """
    order = np.random.default_rng(seed).permutation(len(numbers))
    return {name: load_cwru(numbers[i]) for name, i in zip(names, order, strict=True)}
