"""The primer's verdicts: one pure function per rule, its threshold an argument.

The notebook's sentences that judge a number ("it is the 4th shaft harmonic", "the longer the frame, the
lower the SK", "the opposite of slip", ...) are printed from these rules, and the tests check the rules, so
a sentence can only say what its numbers say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "band_follows_rule",
    "below_chance",
    "gain_left_without_overlap",
    "level_effect",
    "line_is_shaft_harmonic",
    "no_impulsive_band",
    "overlap_took_most",
    "pair_dominates",
    "race_shift_reading",
    "sk_falls_with_frame",
    "weaker_channels",
]


def line_is_shaft_harmonic(table: pd.DataFrame, *, harmonic_column: str = "bins from 4 f_r",
                           mains_column: str = "bins from 120 Hz",
                           max_bins_from_harmonic: float = 1.0, min_bins_from_mains: float = 2.0,
                           resolving_bin_hz: float = 0.15) -> bool:
    """Whether a line near a mains multiple is a shaft harmonic instead.

    True when the line lies within ``max_bins_from_harmonic`` bins of the shaft harmonic in every record,
    and at least ``min_bins_from_mains`` bins from the mains line in every record whose bins are finer than
    ``resolving_bin_hz`` (the records long enough to resolve the gap between the two).

    Examples
    --------
    >>> table = pd.DataFrame({"h": [0.2, -0.3], "m": [-3.0, -1.0], "bin (Hz)": [0.1, 0.2]})
    >>> line_is_shaft_harmonic(table, harmonic_column="h", mains_column="m")
    True
    """
    resolved = table["bin (Hz)"] < resolving_bin_hz
    return bool((table[harmonic_column].abs() <= max_bins_from_harmonic).all()
                and (table.loc[resolved, mains_column].abs() >= min_bins_from_mains).all())


def sk_falls_with_frame(largest: Mapping[str, Sequence[float]]) -> bool:
    """Whether every signal's largest spectral kurtosis is lower at the longest frame than at the shortest.

    ``largest`` maps each signal to its largest SK at every frame length, shortest frame first.

    Examples
    --------
    >>> sk_falls_with_frame({"outer": [3.0, 2.0, 1.0], "inner": [1.5, 1.6, 1.2]})
    True
    """
    return all(values[0] > values[-1] for values in largest.values())


def band_follows_rule(half_depth_width: Mapping[str, float], lines_hz: Mapping[str, float]) -> bool:
    """Whether every line reaches half its largest modulation depth only in bands wider than its frequency.

    Examples
    --------
    >>> band_follows_rule({"BPFI": 400.0, "2xBPFI": 800.0}, {"BPFI": 162.2, "2xBPFI": 324.4})
    True
    """
    return all(half_depth_width[name] > hz for name, hz in lines_hz.items())


def no_impulsive_band(best_kurtosis: float, *, threshold: float = 1.0) -> bool:
    """Whether a kurtogram has no impulsive band worth the name: its largest kurtosis below ``threshold``."""
    return bool(best_kurtosis < threshold)


def race_shift_reading(shift: Mapping[str, float]) -> str:
    """What moved the race lines off their published multiples, from the signs of their relative shifts.

    Returns ``"contact angle"`` when BPFO rose and BPFI fell (the opposite of slip: a larger effective
    contact angle does it), ``"slip"`` when BPFO fell and BPFI rose, and ``"shaft rate"`` when both moved
    the same way (neither slip nor a contact angle does that; a shaft-rate error would).

    Examples
    --------
    >>> race_shift_reading({"bpfo": 0.003, "bpfi": -0.002}), race_shift_reading({"bpfo": -0.01, "bpfi": 0.01})
    ('contact angle', 'slip')
    """
    if shift["bpfo"] > 0 > shift["bpfi"]:
        return "contact angle"
    if shift["bpfo"] < 0 < shift["bpfi"]:
        return "slip"
    return "shaft rate"


def pair_dominates(taller: Sequence[float], other: Sequence[float]) -> bool:
    """Whether the lower line of one sideband pair stands above the taller line of the other pair."""
    return bool(min(taller) > max(other))


def weaker_channels(weak: Sequence[float], strong: Sequence[float]) -> bool:
    """Whether the median peak ratio of one group of channels lies below the other group's."""
    return bool(np.median(weak) < np.median(strong))


def gain_left_without_overlap(random: float, no_overlap: float, *, chance: float) -> float:
    """The share of a random split's gain over chance that random windows *without* overlap keep.

    What the overlap takes away is ``1 -`` this share; a share below one half means most of the gain came
    from samples shared between training and test windows.

    Examples
    --------
    >>> gain_left_without_overlap(0.8, 0.5, chance=0.2)
    0.5
    """
    return (no_overlap - chance) / (random - chance)


def overlap_took_most(kept_share: float, *, threshold: float = 0.5) -> bool:
    """Whether removing the overlap took most of the gain: the share kept (:func:`gain_left_without_overlap`)
    below ``threshold``."""
    return bool(kept_share < threshold)


def below_chance(accuracy: float, *, chance: float) -> bool:
    """Whether an accuracy lies below chance (``1 / n_classes``)."""
    return bool(accuracy < chance)


def level_effect(raw: pd.Series, unit_rms: pd.Series, *, margin: float = 0.05) -> str:
    """What removing the vibration level did to every held-out group's accuracy.

    ``"worse"`` when every group lost more than ``margin``, ``"better"`` when every group gained more than
    ``margin``, ``"mixed"`` otherwise.

    Examples
    --------
    >>> level_effect(pd.Series([0.9, 0.6]), pd.Series([0.7, 0.4]))
    'worse'
    >>> level_effect(pd.Series([0.5]), pd.Series([0.52]))
    'mixed'
    """
    delta = unit_rms - raw
    if (delta < -margin).all():
        return "worse"
    if (delta > margin).all():
        return "better"
    return "mixed"
