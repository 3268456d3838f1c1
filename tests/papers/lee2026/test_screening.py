"""Stage 1: the LHS pool, CSS on band-passed windows, and successive halving over segments."""

import dataclasses

import numpy as np
import pytest

from bearingkit.errors import ParameterError
from bearingkit.papers.lee2026.screening import (
    Candidate,
    candidate_pool,
    halving_rungs,
    screen_by_halving,
    screen_pool,
    stft_frames,
    stratified_order,
)

FS = 12_000.0


def test_pool_is_drawn_by_lhs_inside_nyquist_and_repeats_with_the_seed():
    pool = candidate_pool("cnn", n=26, fs=FS, length=2048, seed=1)
    assert len(pool) == 26 and pool == candidate_pool("cnn", n=26, fs=FS, length=2048, seed=1)
    assert all(20 <= c.band[0] < c.band[1] <= 0.48 * FS for c in pool)
    assert {c.nperseg for c in pool} == {64, 128, 256}
    assert all(c.nperseg is None for c in candidate_pool("gru", n=5, fs=FS, length=2048, seed=1))


def test_stft_frames_are_durations_so_a_faster_rate_gets_longer_frames_capped_at_half_the_window():
    assert stft_frames(fs=FS, length=2048) == [64, 128, 256]
    assert stft_frames(fs=64_000.0, length=2560) == [341, 683]      # 1,365 is more than half of 2,560
    assert stft_frames(fs=64_000.0, length=400) == [200]
    pool = candidate_pool("cnn", n=12, fs=64_000.0, length=2560, seed=1)
    assert {c.nperseg for c in pool} == {341, 683}


def test_a_candidate_carries_its_band_as_numbers_and_a_label_for_tables():
    candidate = Candidate(band=(2500.0, 3500.0), nperseg=64)
    assert candidate.centre == 3000.0 and candidate.relative_width == pytest.approx(1 / 3)
    assert candidate.label == "2500-3500 Hz, STFT 64" and Candidate(band=(1.0, 2.0)).label == "1-2 Hz"


def test_css_prefers_the_resonance_band_to_an_empty_band(make_synthetic):
    pool = [Candidate(band=band) for band in ((2500.0, 3500.0), (200.0, 300.0), (4800.0, 5600.0))]
    table = screen_pool(make_synthetic(), "gru", pool)
    assert table["css"].idxmax() == 0 and table.loc[0, "css"] > table.loc[1, "css"]
    assert list(table["candidate"]) == [c.label for c in pool]


def test_css_is_blind_to_a_per_channel_gain_so_scaling_is_not_in_the_pool(make_synthetic):
    data = make_synthetic()
    gained = dataclasses.replace(data, X=data.X * np.array([[5.0], [0.2]], dtype=np.float32))
    pool = candidate_pool("gru", n=4, fs=FS, length=1024, seed=0)
    raw = [f"raw_{m}" for m in ("fisher", "mahalanobis", "bhattacharyya", "silhouette", "kl_divergence")]
    np.testing.assert_allclose(screen_pool(gained, "gru", pool)[raw], screen_pool(data, "gru", pool)[raw],
                               rtol=1e-4)


def test_a_failing_candidate_keeps_its_reason_and_the_others_are_ranked(make_synthetic):
    pool = [Candidate(band=(2500.0, 3500.0)), Candidate(band=(5000.0, 7000.0))]   # above Nyquist
    table = screen_pool(make_synthetic(), "gru", pool)
    assert np.isnan(table.loc[1, "css"]) and "band" in table.loc[1, "error"]
    assert table.loc[0, "css"] == pytest.approx(1.0)


def test_the_cnn_branch_is_screened_on_its_energy_maps(make_synthetic):
    pool = [Candidate(band=(2500.0, 3500.0), nperseg=64), Candidate(band=(200.0, 400.0), nperseg=64)]
    table = screen_pool(make_synthetic(), "cnn", pool)
    assert table["css"].idxmax() == 0


def test_stage1_halving_over_segments_keeps_a_third_and_picks_the_resonance_band(make_synthetic):
    data = make_synthetic(n_per_class=30)
    pool = [Candidate(band=(200.0 + 40 * i, 300.0 + 40 * i)) for i in range(8)]
    pool.insert(5, Candidate(band=(2500.0, 3500.0)))
    table = screen_by_halving(data, "gru", pool, eta=3, seed=0)
    per_rung = table.groupby("rung").agg(n=("candidate", "size"), segments=("segments", "max"))
    assert list(per_rung["n"]) == [9, 3] and per_rung["segments"].is_monotonic_increasing
    assert per_rung["segments"].iloc[-1] == len(data.y) and per_rung["segments"].iloc[0] < len(data.y)
    assert table.attrs["chosen"] == 5


def test_halving_rungs():
    assert halving_rungs(77, eta=3) == 4 and halving_rungs(1, eta=3) == 1 and halving_rungs(9, eta=3) == 2
    with pytest.raises(ParameterError, match="eta"):
        halving_rungs(5, eta=1)


def test_stratified_prefixes_keep_the_class_proportions():
    y = np.repeat([0, 1, 2], [20, 40, 60])
    order = stratified_order(y, seed=0)
    assert sorted(order) == list(range(len(y)))
    assert np.bincount(y[order[:12]], minlength=3).tolist() == [2, 4, 6]
