"""The vectorised VGGish front end against a plain per-frame implementation of the reference's steps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bearingkit.dsp import logmel
from bearingkit.errors import ParameterError


def reference_log_mel(clip: np.ndarray) -> np.ndarray:
    """One clip at 16 kHz, frame by frame and band by band, as research/audioset/vggish documents it."""
    window = [0.5 - 0.5 * math.cos(2 * math.pi * k / 400) for k in range(400)]
    nyquist_bins = np.linspace(0.0, 8000.0, 257)
    bins_mel = [1127.0 * math.log(1 + f / 700.0) for f in nyquist_bins]
    lo, hi = 1127.0 * math.log(1 + 125 / 700.0), 1127.0 * math.log(1 + 7500 / 700.0)
    edges = [lo + (hi - lo) * i / 65 for i in range(66)]
    rows = []
    for start in range(0, len(clip) - 400 + 1, 160):
        frame = np.zeros(512)
        frame[:400] = [clip[start + k] * window[k] for k in range(400)]
        magnitude = np.abs(np.fft.rfft(frame))
        bands = []
        for i in range(64):
            total = 0.0
            for j in range(1, 257):                 # the DC bin carries no weight
                up = (bins_mel[j] - edges[i]) / (edges[i + 1] - edges[i])
                down = (edges[i + 2] - bins_mel[j]) / (edges[i + 2] - edges[i + 1])
                total += magnitude[j] * max(0.0, min(up, down))
            bands.append(math.log(total + 0.01))
        rows.append(bands)
    return np.array(rows)


@pytest.fixture(scope="module")
def clips():
    rng = np.random.default_rng(0)
    t = np.arange(logmel.patch_input_samples(1) + 333) / 16_000
    tone = np.sin(2 * np.pi * 1_000 * t) * (1 + 0.5 * np.sin(2 * np.pi * 7 * t))
    return np.stack([0.5 * tone, rng.uniform(-1, 1, t.size)])


def test_log_mel_agrees_with_the_reference_steps_to_1e_5(clips):
    ours = logmel.log_mel_spectrogram(clips)
    for clip, got in zip(clips[:, :3_000], logmel.log_mel_spectrogram(clips[:, :3_000]), strict=True):
        np.testing.assert_allclose(got, reference_log_mel(clip), atol=1e-5, rtol=0)
    assert ours.shape == (2, 1 + (clips.shape[1] - 400) // 160, 64)


def test_a_1_khz_tone_peaks_in_the_band_whose_centre_is_1_khz(clips):
    spectrum = logmel.log_mel_spectrogram(clips[:1]).mean(axis=(0, 1))
    edges = np.linspace(logmel.hertz_to_mel(125), logmel.hertz_to_mel(7500), 66)
    centres_hz = 700 * np.expm1(edges[1:-1] / 1127)
    assert abs(centres_hz[np.argmax(spectrum)] - 1_000) < 60


def test_one_patch_per_16_second_chunk_keeps_frames_0_to_95():
    chunk = np.random.default_rng(1).standard_normal(25_600)          # 1.6 s at 16 kHz: 158 frames
    frames = logmel.log_mel_spectrogram(chunk)
    assert frames.shape[0] == 158
    patch = logmel.patches(frames)
    assert patch.shape == (1, 96, 64)
    np.testing.assert_array_equal(patch[0], frames[:96])


def test_mel_matrix_rows_are_triangles_with_no_dc_weight():
    weights = logmel.mel_matrix()
    assert weights.shape == (257, 64)
    assert not weights[0].any()
    assert weights.max() <= 1.0
    assert (np.count_nonzero(weights, axis=0) >= 1).all()


def test_patches_are_float32_and_scaled_clips_span_unit_range(clips):
    scaled = logmel.scale_to_unit(3.0 * clips)
    np.testing.assert_allclose(np.abs(scaled).max(axis=1), 1.0)
    out = logmel.vggish_patches(clips, fs=16_000)
    assert out.shape == (2, 1, 96, 64) and out.dtype == np.float32


def test_kaiser_best_resampling_matches_resampy_and_polyphase_is_close():
    resampy = pytest.importorskip("resampy")
    x = np.random.default_rng(2).standard_normal((2, 20_480))
    ours = logmel.to_vggish_rate(x, fs=20_480)
    np.testing.assert_allclose(ours[1], resampy.resample(x[1], 20_480, 16_000, filter="kaiser_best"))
    best = logmel.vggish_patches(x, fs=20_480)
    poly = logmel.vggish_patches(x, fs=20_480, resampler="polyphase")
    assert 0 < np.abs(best - poly).max() < 0.5


@pytest.mark.parametrize(("clips", "fs", "match"), [
    (np.zeros((1, 15_599)), 16_000, "shorter than one 0.96 s patch"),
    (np.full((1, 16_000), np.nan), 16_000, "NaN"),
    (np.zeros(16_000), 16_000, "shape"),
])
def test_bad_clips_are_refused_with_a_clear_message(clips, fs, match):
    with pytest.raises(ParameterError, match=match):
        logmel.vggish_patches(clips, fs=fs)


def test_log_mel_at_the_wrong_rate_says_to_resample():
    with pytest.raises(ParameterError, match="to_vggish_rate"):
        logmel.log_mel_spectrogram(np.zeros(16_000), fs=20_480)
    with pytest.raises(ParameterError, match="unknown resampler"):
        logmel.to_vggish_rate(np.zeros(16_000), fs=20_480, resampler="linear")
