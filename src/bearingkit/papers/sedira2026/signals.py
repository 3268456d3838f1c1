"""§3.2 of Sedira & Felkaoui (2026): the defect frequencies (Table 4, Eqs. 17-19) and the fast kurtogram.

The ball line is taken at 2 x BSF, the frequency a ball defect produces and the data centre's convention;
Eq. 18 as printed gives that too (:func:`eq18_as_printed_hz`), although the text names it BSF.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bearingkit.dsp import kurtogram
from bearingkit.physics import kinematics
from bearingkit.recording import Recording

from .settings import CLASS_NAMES

__all__ = ["defect_frequencies_hz", "eq18_as_printed_hz", "eq18_facts", "kurtogram_table", "kurtograms"]


def defect_frequencies_hz(*, rpm: float) -> dict[str, float]:
    """Table 4's quantities (Eqs. 17-19) for the CWRU drive-end bearing, in Hz; the ball line is 2 x BSF."""
    freqs = kinematics.defect_frequencies(kinematics.get_bearing("cwru_de"), rpm=rpm)
    return {"shaft": freqs.shaft, "inner": freqs.bpfi, "outer": freqs.bpfo, "ball": freqs.bsf_2x}


def eq18_as_printed_hz(*, rpm: float, bearing: str = "cwru_de") -> float:
    """Eq. 18 as the paper prints it, ``f_bd = f_r (D / d) (1 - (d / D cos θ)^2)``, in Hz.

    It is twice the classical ball spin frequency (``bsf_2x`` of :mod:`bearingkit.physics.kinematics`,
    4.7135 f_r for the CWRU 6205), not the single BSF (2.357 f_r) the text names it after (§3.2.2).

    Examples
    --------
    >>> round(eq18_as_printed_hz(rpm=1796), 1)
    141.1
    """
    geometry = kinematics.get_bearing(bearing)
    shaft = rpm / 60.0
    ratio = geometry.ball_diameter / geometry.pitch_diameter * np.cos(np.radians(geometry.contact_angle_deg))
    return float(shaft * geometry.pitch_diameter / geometry.ball_diameter * (1.0 - ratio ** 2))


def eq18_facts(*, rpm: float) -> dict[str, float]:
    """Eq. 18 as printed beside the single and the double ball-spin frequency at ``rpm`` (Hz, §3.2.2)."""
    freqs = kinematics.defect_frequencies(kinematics.get_bearing("cwru_de"), rpm=rpm)
    printed = eq18_as_printed_hz(rpm=rpm)
    return {"printed_hz": printed, "printed_over_fr": printed / freqs.shaft, "bsf_hz": freqs.bsf,
            "bsf_2x_hz": freqs.bsf_2x, "shaft_hz": freqs.shaft}


def kurtograms(records: Sequence[Recording], *, level0: str, seconds: float = 1.0) -> list:
    """The fast kurtogram (Antoni 2007, §3.2.3) of the first ``seconds`` of each record."""
    return [kurtogram.fast_kurtogram(r.signal[: int(seconds * r.fs)], fs=r.fs, level0=level0)
            for r in records]


def kurtogram_table(records: Sequence[Recording], results: Sequence, *,
                    class_names: Sequence[str] = CLASS_NAMES) -> pd.DataFrame:
    """The most impulsive band of each record's kurtogram (:func:`kurtograms`): level, centre, width, K."""
    return pd.DataFrame([{"record": r.source, "class": name, "best level": kg.best_level,
                          "centre (Hz)": kg.best_fc, "bandwidth (Hz)": kg.best_bandwidth,
                          "kurtosis": kg.best_kurtosis}
                         for r, kg, name in zip(records, results, class_names, strict=True)])
