"""The primer's knobs: the run profiles (:data:`PROFILES`), and the notebook's checked parameters.

:class:`Settings` holds every choice of the primer's protocol with its documented value; only four differ
between the profiles (``quick`` finishes in CI on 2 CPU cores, ``full`` simulates the rigs' own acquisition
lengths, grows more trees, repeats the random splits and draws more noise records). :class:`Parameters` holds
the notebook's parameters cell (the records, the demodulation band, the classifier, the simulator's knobs),
checked once by :func:`check_parameters` so that a wrong value fails at the top of the notebook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from bearingkit.checks import check_seed, child_seeds, profile_settings
from bearingkit.dsp.kurtogram import LEVEL0_SCORES
from bearingkit.errors import ParameterError, UnknownNameError

__all__ = [
    "CLASSIFIERS",
    "PROFILES",
    "PROFILE_FIELDS",
    "RECORD_LABELS",
    "Parameters",
    "Seeds",
    "Settings",
    "SimCase",
    "check_parameters",
    "parse_band",
    "settings_for",
]

#: The labels of the four CWRU records of Sect. 2: the normal baseline and one fault at each location.
RECORD_LABELS = ("normal", "inner", "ball", "outer")
#: The fields of :class:`Settings` that differ between the profiles.
PROFILE_FIELDS = ("sim_duration", "n_estimators", "repeats", "noise_trials")
#: The classifiers of Sect. 5 (the ``classifier`` parameter).
CLASSIFIERS = ("random_forest", "1nn")


@dataclass(frozen=True)
class SimCase:
    """One simulated rig of Sect. 4: its speed (rpm), its load (in the rig's unit) and the channel shown."""

    rig: str
    speed_rpm: float
    load: float | tuple[float, float]
    channel: int = 0


@dataclass(frozen=True)
class Settings:
    """Every knob of the primer's protocol; the first four are the profile's, the rest fixed choices.

    Parameters
    ----------
    sim_duration : float or None
        Seconds simulated per rig (None: the rig's own acquisition length).
    n_estimators : int
        Trees of the random forest of Sect. 5.
    repeats : int
        Random and contiguous splits drawn per scheme in Sect. 5.
    noise_trials : int
        Gaussian-noise records behind the peak-ratio thresholds of Sect. 2.5.
    cwru_fs : float
        The rate of the CWRU 12 kHz drive-end series, to which every record is brought.
    kurtogram_levels : int
        Deepest fast-kurtogram level: bands of ``fs / 128`` (94 Hz at 12 kHz).
    test_fraction : float
        Share of the windows (random split) or of each record (contiguous split) held out in Sect. 5.
    teaching_speed_rpm, teaching_load
        Speed and load (kN radial, kN axial) of the simulated PoliTo rig of Sect. 2.1: its top speed and load
        case 3.
    sizes : tuple of float
        The CWRU fault sizes (in) of the detection records (Sect. 2.2) and the splits (Sect. 5).
    level_2_4_khz : float
        A frequency inside the level-1.585 kurtogram band read in Sect. 2.3 (the 2-4 kHz band), Hz.
    sk_frames : tuple of int
        STFT frame lengths (samples) of the spectral-kurtosis study.
    ar_order : int
        Order of the AR predictor whose residual is analysed (64 samples, 5.3 ms at 12 kHz; fixed, not tuned).
    band_widths : tuple of float
        Band widths (Hz) of the demodulation-band sweep, centred on ``band_centre_hz``.
    line_tol, floor_tol : float
        Relative half-widths of the line search and of its floor (slip moves lines 1-2 %).
    noise_targets : tuple of float
        ``(low, high, n)``: targets spread linearly over the searched range for the Gaussian-noise null.
    healthy_targets : tuple of float
        ``(low, high, n)``: targets spread geometrically for the healthy record's null.
    cpw_band : tuple of float
        The band analysed after cepstral pre-whitening, Hz.
    near_120_tol : float
        Relative half-width of the search for the line near 120 Hz.
    rate_candidates : tuple of float
        The candidate sampling rates of 97.mat, Hz.
    family_harmonics : int
        Shaft harmonics of the harmonic-family test of 97.mat.
    stump_test_fraction : float
        Share of every record held out by the rate-trap stump.
    sim_cases : tuple of SimCase
        The simulated PoliTo and axial rigs of Sect. 4.
    mafaulda_speed_rpm, mafaulda_mass_g : float
        A speed of MAFAULDA's grid (36.9 Hz) and the added unbalance mass (grams) of the six-axis simulation.
    n_stretches : int
        Stretches of a record labelled by :func:`bearingkit.evaluation.leakage.stretch_labels` (Sect. 5).
    blind_numbers : tuple of int
        The CWRU files of Exercise 1 (2 HP; 0.007 and 0.021 in; inner, ball and outer at 6 o'clock).
    """

    sim_duration: float | None
    n_estimators: int
    repeats: int
    noise_trials: int
    cwru_fs: float = 12_000.0
    kurtogram_levels: int = 6
    test_fraction: float = 0.2
    teaching_speed_rpm: float = 997.0
    teaching_load: tuple[float, float] = (124.8, 0.0)
    sizes: tuple[float, ...] = (0.007, 0.014, 0.021)
    level_2_4_khz: float = 3_000.0
    sk_frames: tuple[int, ...] = (16, 64, 256, 1024)
    ar_order: int = 64
    band_widths: tuple[float, ...] = (100.0, 200.0, 400.0, 800.0, 1_600.0, 3_200.0)
    band_centre_hz: float = 3_000.0
    line_tol: float = 0.02
    floor_tol: float = 0.1
    noise_targets: tuple[float, float, int] = (10.0, 500.0, 25)
    healthy_targets: tuple[float, float, int] = (10.0, 500.0, 200)
    cpw_band: tuple[float, float] = (500.0, 5_500.0)
    near_120_tol: float = 0.005
    rate_candidates: tuple[float, ...] = (12_000.0, 48_000.0)
    family_harmonics: int = 20
    stump_test_fraction: float = 0.3
    sim_cases: tuple[SimCase, ...] = (SimCase("polito", 997.0, (124.8, 0.0)), SimCase("axial", 1500.0, 2.0))
    mafaulda_speed_rpm: float = 60 * 36.864
    mafaulda_mass_g: float = 6.0
    n_stretches: int = 5
    blind_numbers: tuple[int, ...] = (107, 120, 132, 211, 224, 236)


#: The primer's run profiles, read-only.
PROFILES: Mapping[str, Settings] = MappingProxyType({
    "quick": Settings(sim_duration=4.0, n_estimators=100, repeats=1, noise_trials=10),
    "full": Settings(sim_duration=None, n_estimators=300, repeats=5, noise_trials=40),
})


def settings_for(profile: str) -> Settings:
    """The :class:`Settings` of ``profile``.

    Raises
    ------
    UnknownNameError
        A profile not in :data:`PROFILES`; the message lists the valid ones.

    Examples
    --------
    >>> settings_for("quick").n_estimators, settings_for("full").n_estimators
    (100, 300)
    """
    return profile_settings(profile, PROFILES)


def parse_band(band, *, fs: float) -> tuple[float, float] | str:
    """The ``band`` parameter: ``"kurtogram"``, or ``(low, high)`` in Hz inside ``(0, fs / 2)``.

    Examples
    --------
    >>> parse_band([2000, 4000], fs=12_000), parse_band("kurtogram", fs=12_000)
    ((2000.0, 4000.0), 'kurtogram')
    """
    if isinstance(band, str):
        if band != "kurtogram":
            raise ParameterError(f"band={band!r}: use 'kurtogram' or (low, high) in Hz")
        return band
    try:
        low, high = (float(edge) for edge in band)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"band={band!r}: use 'kurtogram' or (low, high) in Hz") from exc
    if not 0 < low < high < fs / 2:
        raise ParameterError(f"band={band!r} must satisfy 0 < low < high < fs / 2 = {fs / 2:g} Hz")
    return low, high


class Seeds(NamedTuple):
    """The child seeds of the master seed: simulation, splits, classifiers and the noise records."""

    sim: int
    split: int
    model: int
    noise: int


@dataclass(frozen=True)
class Parameters:
    """The notebook's parameters, checked by :func:`check_parameters` (``band`` by :func:`parse_band`)."""

    records: Mapping[str, int]
    band: tuple[float, float] | str
    kurtogram_level0: str
    window: int
    hop: int
    classifier: str
    sim_slip: float
    sim_snr_db: float
    sim_resonance_hz: float
    seed: int

    @property
    def seeds(self) -> Seeds:
        """Simulation, split and classifier seeds (the first three children) and the noise records' (4th)."""
        sim, split, model = child_seeds(self.seed, 3)
        return Seeds(sim=sim, split=split, model=model, noise=child_seeds(self.seed, 4)[3])

    def as_dict(self) -> dict:
        """Every parameter but the seed (the results file records it in its ``meta``)."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)
                if field.name != "seed"} | {"records": dict(self.records)}


def check_parameters(*, records: Mapping[str, int], band, kurtogram_level0: str, window: int, hop: int,
                     classifier: str, sim_slip: float, sim_snr_db: float, sim_resonance_hz: float, seed: int,
                     fs: float = Settings.cwru_fs) -> Parameters:
    """The notebook's parameters cell, checked.

    Raises
    ------
    ParameterError
        ``records`` that do not map each of :data:`RECORD_LABELS` to a file, a ``band`` that
        :func:`parse_band` refuses, a window or hop that is not a positive integer, or a negative seed.
    UnknownNameError
        A level-0 score not in :data:`bearingkit.dsp.kurtogram.LEVEL0_SCORES` or a classifier not in
        :data:`CLASSIFIERS`.
    """
    if set(records) != set(RECORD_LABELS):
        raise ParameterError(f"records must map {', '.join(map(repr, RECORD_LABELS))} to CWRU file numbers, "
                             f"got {dict(records)}")
    if kurtogram_level0 not in LEVEL0_SCORES:
        raise UnknownNameError(f"kurtogram_level0={kurtogram_level0!r}: use one of {LEVEL0_SCORES}")
    if classifier not in CLASSIFIERS:
        raise UnknownNameError(f"classifier={classifier!r}: use one of {CLASSIFIERS}")
    if not all(isinstance(n, int) and n > 0 for n in (window, hop)):
        raise ParameterError(f"window and hop must be positive integers (samples), got {window!r} and "
                             f"{hop!r}")
    return Parameters(records=MappingProxyType(dict(records)), band=parse_band(band, fs=fs),
                      kurtogram_level0=kurtogram_level0, window=window, hop=hop, classifier=classifier,
                      sim_slip=sim_slip, sim_snr_db=sim_snr_db, sim_resonance_hz=sim_resonance_hz,
                      seed=check_seed(seed))
