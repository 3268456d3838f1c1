"""The primer's verdict rules, each at its threshold."""

from __future__ import annotations

import pandas as pd
import pytest

from bearingkit.papers.primer import claims


def _near_120(from_harmonic, from_mains, bins):
    return pd.DataFrame({"bins from 4 f_r": from_harmonic, "bins from 120 Hz": from_mains, "bin (Hz)": bins})


def test_line_is_shaft_harmonic_needs_both_conditions():
    assert claims.line_is_shaft_harmonic(_near_120([0.2, -0.9], [-3.0, -1.0], [0.1, 0.2]))
    # too far from the shaft harmonic in one record
    assert not claims.line_is_shaft_harmonic(_near_120([0.2, -1.1], [-3.0, -1.0], [0.1, 0.2]))
    # a resolving record that puts the line on the mains
    assert not claims.line_is_shaft_harmonic(_near_120([0.2, 0.3], [-1.5, -1.0], [0.1, 0.2]))
    # the same record does not resolve the gap at a coarser bin: it is not asked to
    coarse = _near_120([0.2, 0.3], [-1.5, -1.0], [0.1, 0.2])
    assert claims.line_is_shaft_harmonic(coarse, resolving_bin_hz=0.05)


def test_sk_falls_only_when_every_signal_falls():
    assert claims.sk_falls_with_frame({"a": [3.0, 2.0, 1.0], "b": [1.5, 1.6, 1.2]})
    assert not claims.sk_falls_with_frame({"a": [3.0, 1.0], "b": [1.0, 1.0]})


def test_band_follows_rule_and_no_impulsive_band():
    assert claims.band_follows_rule({"BPFI": 400.0}, {"BPFI": 162.2})
    assert not claims.band_follows_rule({"BPFI": 400.0, "3xBPFI": 400.0}, {"BPFI": 162.2, "3xBPFI": 486.6})
    assert claims.no_impulsive_band(0.99) and not claims.no_impulsive_band(1.0)
    assert not claims.no_impulsive_band(0.99, threshold=0.5)


@pytest.mark.parametrize(("shift", "reading"), [
    ({"bpfo": 0.003, "bpfi": -0.002}, "contact angle"),
    ({"bpfo": -0.01, "bpfi": 0.01}, "slip"),
    ({"bpfo": 0.01, "bpfi": 0.01}, "shaft rate"),
    ({"bpfo": -0.01, "bpfi": -0.02}, "shaft rate"),
])
def test_race_shift_reading(shift, reading):
    assert claims.race_shift_reading(shift) == reading


def test_pairs_channels_and_chance():
    assert claims.pair_dominates([110.0, 65.0], [26.0, 22.0])
    assert not claims.pair_dominates([110.0, 20.0], [26.0, 22.0])
    assert claims.weaker_channels([2.0, 3.0, 1.0], [50.0, 40.0, 30.0])
    assert not claims.weaker_channels([50.0], [2.0])
    assert claims.below_chance(0.19, chance=0.2) and not claims.below_chance(0.2, chance=0.2)


def test_overlap_share_and_its_threshold():
    kept = claims.gain_left_without_overlap(0.9, 0.6, chance=0.2)
    assert kept == pytest.approx(4 / 7)
    assert not claims.overlap_took_most(kept) and claims.overlap_took_most(0.49)
    assert claims.overlap_took_most(0.6, threshold=0.7)


def test_level_effect_needs_every_group_beyond_the_margin():
    raw = pd.Series([0.9, 0.6, 0.5])
    assert claims.level_effect(raw, raw - 0.1) == "worse"
    assert claims.level_effect(raw, raw + 0.1) == "better"
    assert claims.level_effect(raw, raw + pd.Series([0.1, -0.1, 0.1])) == "mixed"
    assert claims.level_effect(raw, raw - 0.1, margin=0.2) == "mixed"
