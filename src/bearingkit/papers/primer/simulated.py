"""Sect. 4 of the primer: the simulated rigs next to the real CWRU records.

The rigs of the later papers that have no public data (the Politecnico di Torino rig, the axial rig) and
MAFAULDA's six accelerometer axes are simulated from physics (:mod:`bearingkit.physics.simulate`); each
simulated signal is demodulated in its own fast-kurtogram band and its defect line is searched where the
kinematics puts it (:func:`simulated_study`). On MAFAULDA's 5 s records the defect lines lie within a bin of
shaft harmonics (:func:`mafaulda_separation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from bearingkit.checks import child_seeds
from bearingkit.dsp.lines import harmonic_separation, line_table
from bearingkit.papers.primer.bands import envelope_by_kurtogram
from bearingkit.papers.primer.settings import Settings
from bearingkit.physics import simulate
from bearingkit.physics.kinematics import BEARINGS, DefectFrequencies, defect_frequencies
from bearingkit.recording import Recording

__all__ = ["SimulatedSpectrum", "SimulatedStudy", "mafaulda_separation", "simulated_study"]

_FAULT_LINE = MappingProxyType({"outer": "BPFO", "inner": "BPFI"})


@dataclass(frozen=True)
class SimulatedSpectrum:
    """One simulated channel's squared-envelope spectrum in its kurtogram band, and its defect lines."""

    recording: Recording
    freqs: np.ndarray
    amplitude: np.ndarray
    band: tuple[float, float]
    lines: DefectFrequencies
    channel: int = 0


@dataclass(frozen=True)
class SimulatedStudy:
    """The simulated rigs of Sect. 4 and MAFAULDA's six axes.

    ``rigs`` is keyed by ``(rig, fault)``; ``mafaulda`` by sensor; ``checks`` by ``"<rig>/<fault>"`` and
    ``"mafaulda/outer/<sensor>"``: the line searched, the band, the channel and the row of
    :func:`bearingkit.dsp.lines.line_table`.
    """

    rigs: Mapping[tuple[str, str], SimulatedSpectrum]
    mafaulda: Mapping[str, SimulatedSpectrum]
    checks: Mapping[str, dict]
    mafaulda_speed_rpm: float
    mafaulda_mass_g: float
    mafaulda_duration_s: float

    def rig_table(self) -> pd.DataFrame:
        """The checks of the PoliTo and axial rigs."""
        keys = [f"{rig}/{fault}" for rig, fault in self.rigs]
        return pd.DataFrame({key: self.checks[key] for key in keys}).T[
            ["line", "channel", "band_hz", "expected_hz", "found_hz", "rel_error", "ratio"]]

    def mafaulda_ratios(self) -> dict[str, float]:
        """BPFO's peak ratio in every MAFAULDA channel."""
        return {sensor: self.checks[f"mafaulda/outer/{sensor}"]["ratio"] for sensor in self.mafaulda}


def _check(spectrum: SimulatedSpectrum, name: str, target: float) -> dict:
    row = line_table(spectrum.freqs, spectrum.amplitude, {name: target}).iloc[0]
    return {"line": name, "band_hz": spectrum.band, "channel": spectrum.recording.sensor[spectrum.channel],
            **row.to_dict()}


def simulated_study(settings: Settings, *, seed: int) -> SimulatedStudy:
    """Simulate an outer- and an inner-race fault on each rig of ``settings.sim_cases``, then MAFAULDA's axes.

    Each signal lasts ``settings.sim_duration`` (the rig's own length when None) and is demodulated in its
    kurtogram band (``settings.kurtogram_levels``). Each case, and then MAFAULDA, draws the next of 16 child
    seeds of ``seed`` (:func:`bearingkit.checks.child_seeds`). MAFAULDA's fault sits on the underhang
    bearing's outer race, at ``settings.mafaulda_speed_rpm`` with ``settings.mafaulda_mass_g`` grams of added
    unbalance mass.
    """
    duration, nlevel = settings.sim_duration, settings.kurtogram_levels
    mafaulda_speed_rpm, mafaulda_mass_g = settings.mafaulda_speed_rpm, settings.mafaulda_mass_g
    seeds = iter(child_seeds(seed, 16))
    rigs, checks = {}, {}
    for case in settings.sim_cases:
        lines = defect_frequencies(simulate.get_rig(case.rig).geometry, rpm=case.speed_rpm)
        for fault, name in _FAULT_LINE.items():
            rec = simulate.simulate(case.rig, fault=fault, speed=case.speed_rpm, load=case.load,
                                    duration=duration, seed=next(seeds))
            x = rec.signal if rec.signal.ndim == 1 else rec.signal[case.channel]
            f, a, band = envelope_by_kurtogram(x, fs=rec.fs, nlevel=nlevel)
            rigs[(case.rig, fault)] = SimulatedSpectrum(rec, f, a, band, lines, case.channel)
            checks[f"{case.rig}/{fault}"] = _check(rigs[(case.rig, fault)], name,
                                                   getattr(lines, name.lower()))
    maf = simulate.simulate("mafaulda", fault="outer", speed=mafaulda_speed_rpm, load=mafaulda_mass_g,
                            location="underhang", duration=duration, seed=next(seeds))
    maf_lines = defect_frequencies(simulate.get_rig("mafaulda").geometry, rpm=mafaulda_speed_rpm)
    axes = {}
    for c, sensor in enumerate(maf.sensor):
        f, a, band = envelope_by_kurtogram(maf.signal[c], fs=maf.fs, nlevel=nlevel)
        axes[sensor] = SimulatedSpectrum(maf, f, a, band, maf_lines, c)
        checks[f"mafaulda/outer/{sensor}"] = _check(axes[sensor], "BPFO", maf_lines.bpfo)
    return SimulatedStudy(rigs=MappingProxyType(rigs), mafaulda=MappingProxyType(axes),
                          checks=MappingProxyType(checks), mafaulda_speed_rpm=mafaulda_speed_rpm,
                          mafaulda_mass_g=mafaulda_mass_g,
                          mafaulda_duration_s=simulate.get_rig("mafaulda").duration)


def mafaulda_separation(study: SimulatedStudy, *,
                        published: Mapping[str, float] = BEARINGS["mafaulda"].published) -> pd.DataFrame:
    """How far MAFAULDA's published BPFO and BPFI lie from the nearest shaft harmonic, in Hz and in bins.

    :func:`bearingkit.dsp.lines.harmonic_separation` of each published multiple at the study's MAFAULDA speed
    on records of MAFAULDA's length (the rig's acquisition length); indexed by line.
    """
    return pd.DataFrame({name: harmonic_separation(published[key], shaft_hz=study.mafaulda_speed_rpm / 60,
                                                   duration_s=study.mafaulda_duration_s)
                         for name, key in (("BPFO", "bpfo"), ("BPFI", "bpfi"))}).T
