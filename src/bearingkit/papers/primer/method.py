"""Sect. 2.1 of the primer: envelope analysis step by step, on a simulated outer-race fault.

The chain of Randall & Antoni (2011, Sect. 3) [1]_: impacts ring a resonance, noise buries them, the raw
spectrum shows the resonance rather than the defect line; band-pass around the resonance, take the
envelope, and its spectrum (better the squared envelope's) has lines at BPFO and its harmonics.
:func:`teaching_rig` gives the simulator one sensor, one resonance and the slip the reader chooses;
:func:`method_steps` keeps every stage for the figure.

References
----------
.. [1] Randall, R. B. & Antoni, J. (2011). Rolling element bearing diagnostics - a tutorial. *Mech. Syst.
   Signal Process.* 25(2), 485-520.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from bearingkit.dsp.lines import line_table
from bearingkit.dsp.spectral import bandpass, envelope, envelope_spectrum
from bearingkit.errors import ParameterError
from bearingkit.physics import simulate
from bearingkit.physics.kinematics import DefectFrequencies, defect_frequencies

__all__ = ["MethodSteps", "method_steps", "teaching_rig"]


def teaching_rig(*, slip: float, resonance_hz: float, damping: float = 0.04, rig: str = "polito"
                 ) -> simulate.Rig:
    """A simulator rig with one sensor, one resonance and the given slip: the knobs of the primer's Sect. 2.

    A copy of ``rig`` (:data:`bearingkit.physics.simulate.RIGS`) whose only sensor rings one resonance at
    ``resonance_hz`` (damping ratio ``damping``) and whose impact periods jitter by ``slip``; the rigs of the
    later notebooks are not touched.

    Raises
    ------
    ParameterError
        A slip outside [0, 0.2) or a resonance outside (0, 0.45 fs).
    """
    base = simulate.get_rig(rig)
    if not 0 <= slip < 0.2:
        raise ParameterError(f"slip={slip!r}: use a relative jitter in [0, 0.2) (real bearings: 0.01-0.02)")
    if not 0 < resonance_hz < 0.45 * base.fs:
        raise ParameterError(f"resonance_hz={resonance_hz!r} must lie in (0, {0.45 * base.fs:g}) Hz")
    resonance = simulate.Resonance(resonance_hz, damping, 1.0)
    sensor = dataclasses.replace(base.sensors[0], resonances=(resonance,))
    return dataclasses.replace(base, name=f"{base.name} (teaching)", slip=slip, sensors=(sensor,))


@dataclass(frozen=True)
class MethodSteps:
    """Every stage of envelope analysis on one simulated outer-race signal (the primer's Sect. 2.1).

    ``slip``, ``resonance_hz`` and ``snr_db`` are the simulator's knobs; ``clean`` the impacts without
    noise, ``measured`` with it; the spectra are ``(freqs, amplitude)`` pairs.
    """

    fs: float
    lines: DefectFrequencies
    slip: float
    resonance_hz: float
    snr_db: float
    clean: np.ndarray
    measured: np.ndarray
    band: tuple[float, float]
    bandpassed: np.ndarray
    envelope: np.ndarray
    raw_spectrum: tuple[np.ndarray, np.ndarray]
    envelope_spectrum: tuple[np.ndarray, np.ndarray]
    squared_envelope_spectrum: tuple[np.ndarray, np.ndarray]

    def bpfo_ratios(self, *, tol: float = 0.02) -> dict[str, float]:
        """BPFO's peak ratio (:func:`bearingkit.dsp.lines.line_table`) in the raw, envelope and
        squared-envelope spectra."""
        spectra = {"raw": self.raw_spectrum, "envelope": self.envelope_spectrum,
                   "squared envelope": self.squared_envelope_spectrum}
        return {name: float(line_table(f, a, {"BPFO": self.lines.bpfo}, tol=tol).loc["BPFO", "ratio"])
                for name, (f, a) in spectra.items()}

    def summary(self) -> dict:
        """BPFO in Hz, the band and BPFO's peak ratios, for the results file."""
        return {"bpfo_hz": self.lines.bpfo, "band_hz": list(self.band), "bpfo_ratios": self.bpfo_ratios()}


def method_steps(rig: simulate.Rig, *, speed_rpm: float, load, snr_db: float, duration: float | None,
                 seed: int = 0, band_width: float | None = None) -> MethodSteps:
    """Simulate an outer-race fault on ``rig`` (:func:`teaching_rig`) and take it through envelope analysis.

    The clean signal (impacts ringing the resonance, no noise) and the measured one (``snr_db``) come from
    the same seed; the band is centred on the rig's first resonance, ``band_width`` wide (default: 0.4 times
    the resonance frequency, wide enough for several BPFO harmonics); the raw spectrum is the Hann-windowed
    magnitude spectrum of the measured signal.
    """
    clean = simulate.simulate(rig, fault="outer", speed=speed_rpm, load=load, duration=duration, seed=seed,
                              snr_db=None)
    measured = simulate.simulate(rig, fault="outer", speed=speed_rpm, load=load, duration=duration,
                                 seed=seed, snr_db=snr_db)
    x = measured.signal if measured.signal.ndim == 1 else measured.signal[0]
    fs = measured.fs
    centre = rig.sensors[0].resonances[0].freq_hz
    half = (0.4 * centre if band_width is None else band_width) / 2
    band = (max(centre - half, fs / 64), min(centre + half, 0.49 * fs))
    raw = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size))) * 2 / np.hanning(x.size).sum()
    return MethodSteps(
        fs=fs, lines=defect_frequencies(rig.geometry, rpm=speed_rpm), slip=rig.slip, resonance_hz=centre,
        snr_db=snr_db, clean=clean.signal if clean.signal.ndim == 1 else clean.signal[0], measured=x,
        band=band, bandpassed=bandpass(x, fs=fs, band=band), envelope=envelope(x, fs=fs, band=band),
        raw_spectrum=(np.fft.rfftfreq(x.size, 1 / fs), raw),
        envelope_spectrum=envelope_spectrum(x, fs=fs, band=band),
        squared_envelope_spectrum=envelope_spectrum(x, fs=fs, band=band, squared=True))
