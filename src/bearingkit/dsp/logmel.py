r"""The VGGish front end: clips to 96 x 64 log-mel patches, vectorised over clips.

Di Maggio et al. (2023), §2.3, state the steps (the paper ran MATLAB's ``vggishPreprocess``):

* signals resampled to 16 kHz and normalised to [-1, 1] (:func:`to_vggish_rate`, :func:`scale_to_unit`);
* a log-mel spectrogram of 64 bands over 125-7500 Hz from 25 ms windows every 10 ms
  (:func:`log_mel_spectrogram`);
* non-overlapping patches of 0.96 s = 96 frames (:func:`patches`).

The remaining details are those of the reference pipeline of the pretrained weights, tensorflow/models
``research/audioset/vggish`` (``vggish_input.py``, ``mel_features.py``, ``vggish_params.py``) [1]_:
resampling by resampy's ``kaiser_best`` filter, a *periodic* Hann window of 400 samples, a 512-point FFT
magnitude (not power), frames without padding (a clip gives ``1 + (n - 400) // 160`` frames), the HTK mel
scale :math:`m = 1127 \ln(1 + f / 700)` with triangles whose edges are evenly spaced in mel and a zeroed DC
bin, :math:`\log(\mathrm{mel} + 0.01)`, and patches cut from the frames without padding (frames after the
last whole patch are dropped).

A 1.6 s PoliTo chunk at 16 kHz has 25,600 samples, hence 158 frames and exactly one patch: frames 0-95
(the first 0.975 s) are kept, frames 96-157 dropped (:func:`patch_input_samples`).

References
----------
.. [1] Hershey, S. et al. (2017). CNN architectures for large-scale audio classification. *ICASSP*, 131-135;
   code: github.com/tensorflow/models, ``research/audioset/vggish``.
"""

from __future__ import annotations

import numpy as np
import scipy.fft

from bearingkit.checks import check_signal
from bearingkit.dsp.spectral import resample
from bearingkit.errors import ParameterError

__all__ = ["FMAX_HZ", "FMIN_HZ", "HOP_SAMPLES", "LOG_OFFSET", "N_FFT", "N_MELS", "PATCH_FRAMES", "RESAMPLERS",
           "SAMPLE_RATE", "WINDOW_SAMPLES", "hertz_to_mel", "log_mel_spectrogram", "mel_matrix",
           "patch_input_samples", "patches", "periodic_hann", "scale_to_unit", "to_vggish_rate",
           "vggish_patches"]

SAMPLE_RATE = 16_000
WINDOW_SAMPLES = 400            # 25 ms at 16 kHz
HOP_SAMPLES = 160               # 10 ms
N_FFT = 512                     # next power of two above the window
N_MELS = 64
FMIN_HZ = 125.0
FMAX_HZ = 7_500.0
LOG_OFFSET = 0.01
PATCH_FRAMES = 96               # 0.96 s
RESAMPLERS = ("kaiser_best", "kaiser_fast", "polyphase")
#: Clips per block of the vectorised computation (bounds memory: about 100 MB per 256 one-patch clips).
_BLOCK = 256


def patch_input_samples(n_patches: int = 1) -> int:
    """Samples at 16 kHz that give exactly ``n_patches`` patches: ``(96 n - 1) * 160 + 400``.

    Examples
    --------
    >>> patch_input_samples(1)   # 0.975 s, YAMNet's input length too
    15600
    """
    if isinstance(n_patches, bool) or not isinstance(n_patches, int | np.integer) or n_patches < 1:
        raise ParameterError(f"n_patches must be a positive integer, got {n_patches!r}")
    return (PATCH_FRAMES * int(n_patches) - 1) * HOP_SAMPLES + WINDOW_SAMPLES


def hertz_to_mel(frequencies_hz) -> np.ndarray:
    """HTK mel scale, :math:`1127 \\ln(1 + f / 700)` (the reference's ``hertz_to_mel``)."""
    return 1127.0 * np.log1p(np.asarray(frequencies_hz, dtype=float) / 700.0)


def mel_matrix(*, fs: float = SAMPLE_RATE, n_fft: int = N_FFT, n_mels: int = N_MELS, fmin: float = FMIN_HZ,
               fmax: float = FMAX_HZ) -> np.ndarray:
    """Triangular mel filters as a matrix from FFT-magnitude bins to mel bands.

    Band ``i`` rises from mel edge ``i`` to edge ``i + 1`` and falls to edge ``i + 2``; the ``n_mels + 2``
    edges are evenly spaced in HTK mel between ``fmin`` and ``fmax``; the DC bin gets no weight.

    Returns
    -------
    np.ndarray [shape=(n_fft // 2 + 1, n_mels)]
    """
    if not 0.0 <= fmin < fmax <= fs / 2:
        raise ParameterError(f"need 0 <= fmin < fmax <= fs/2 = {fs / 2:g} Hz, "
                             f"got fmin={fmin!r}, fmax={fmax!r}")
    bins_mel = hertz_to_mel(np.linspace(0.0, fs / 2, n_fft // 2 + 1))[:, None]
    edges = np.linspace(hertz_to_mel(fmin), hertz_to_mel(fmax), n_mels + 2)
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (bins_mel - lower) / (centre - lower)
    falling = (upper - bins_mel) / (upper - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights[0] = 0.0
    return weights


def periodic_hann(n: int) -> np.ndarray:
    """Periodic Hann window :math:`0.5 - 0.5 \\cos(2 \\pi k / n)`, ``k = 0 .. n-1`` (as the reference)."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)


def _check_clips(clips, *, fs: float, n_min: int) -> np.ndarray:
    clips = check_signal(clips, fs=fs, name="clips")
    if clips.shape[-1] < n_min:
        raise ParameterError(f"clips of {clips.shape[-1]} samples at {fs:g} Hz are shorter than one "
                             f"{PATCH_FRAMES / 100:.2f} s patch ({n_min} samples); use longer clips")
    return clips


def log_mel_spectrogram(clips, *, fs: float = SAMPLE_RATE) -> np.ndarray:
    """Log-mel spectrogram of each clip: 25 ms periodic-Hann frames every 10 ms, ``|FFT_512|``, 64 HTK bands.

    Parameters
    ----------
    clips : array_like [shape=(..., time)]
        Clips at 16 kHz, scaled to [-1, 1].
    fs : float
        Must be 16 kHz: resample with :func:`to_vggish_rate` first.

    Returns
    -------
    np.ndarray [shape=(..., n_frames, 64), dtype=float32]
        :math:`\\log(\\mathrm{mel} + 0.01)`, ``n_frames = 1 + (time - 400) // 160``; computed in float64 (a
        float32 FFT would err by 4e-4 in the quiet bands), returned in float32.

    Raises
    ------
    ParameterError
        For a rate other than 16 kHz, NaN, or clips shorter than one 25 ms frame.
    """
    if fs != SAMPLE_RATE:
        raise ParameterError(f"the VGGish front end works at {SAMPLE_RATE} Hz, got fs={fs!r}: call "
                             "to_vggish_rate(clips, fs=fs) first")
    clips = _check_clips(clips, fs=fs, n_min=WINDOW_SAMPLES)
    lead, n = clips.shape[:-1], clips.shape[-1]
    flat = clips.reshape(-1, n)
    window, weights = periodic_hann(WINDOW_SAMPLES), mel_matrix()
    n_frames = 1 + (n - WINDOW_SAMPLES) // HOP_SAMPLES
    out = np.empty((len(flat), n_frames, N_MELS), np.float32)
    for start in range(0, len(flat), _BLOCK):
        block = flat[start:start + _BLOCK]
        frames = np.lib.stride_tricks.sliding_window_view(block, WINDOW_SAMPLES, axis=-1)
        frames = frames[:, ::HOP_SAMPLES][:, :n_frames]
        magnitude = np.abs(scipy.fft.rfft(frames * window, n=N_FFT, axis=-1)).reshape(-1, N_FFT // 2 + 1)
        mel = (magnitude @ weights).reshape(len(block), n_frames, N_MELS)
        out[start:start + _BLOCK] = np.log(mel + LOG_OFFSET)
    return out.reshape(*lead, n_frames, N_MELS)


def patches(log_mel: np.ndarray, *, n_frames: int = PATCH_FRAMES) -> np.ndarray:
    """Non-overlapping patches of ``n_frames`` frames; frames after the last whole patch are dropped.

    Parameters
    ----------
    log_mel : np.ndarray [shape=(..., frames, bands)]

    Returns
    -------
    np.ndarray [shape=(..., frames // n_frames, n_frames, bands)]
    """
    log_mel = np.asarray(log_mel)
    total = log_mel.shape[-2]
    if total < n_frames:
        raise ParameterError(f"{total} frames are fewer than one patch of {n_frames}; use longer clips")
    kept = (total // n_frames) * n_frames
    return log_mel[..., :kept, :].reshape(*log_mel.shape[:-2], total // n_frames, n_frames, log_mel.shape[-1])


def scale_to_unit(clips) -> np.ndarray:
    """Each clip divided by its largest absolute value, so it spans [-1, 1] (§2.3); an all-zero clip stays 0.

    Parameters
    ----------
    clips : array_like [shape=(..., time)]
    """
    clips = np.asarray(clips, dtype=float)
    peak = np.max(np.abs(clips), axis=-1, keepdims=True)
    return clips / np.where(peak > 0, peak, 1.0)


def to_vggish_rate(clips, *, fs: float, resampler: str = "kaiser_best") -> np.ndarray:
    """Resample clips to 16 kHz along the last axis.

    Parameters
    ----------
    clips : array_like [shape=(..., time)]
    fs : float
        Their sampling rate, Hz.
    resampler : {"kaiser_best", "kaiser_fast", "polyphase"}
        ``"kaiser_best"`` is the reference's (``resampy.resample``, band-limited sinc interpolation, Smith
        2002); ``"kaiser_fast"`` its cheaper filter; ``"polyphase"`` scipy's ``resample_poly`` through
        :func:`bearingkit.dsp.spectral.resample`, much faster; the notebook measures what the alternatives
        change in the log-mel patches.
    """
    if resampler not in RESAMPLERS:
        raise ParameterError(f"unknown resampler {resampler!r}; use one of {RESAMPLERS}")
    clips = check_signal(clips, fs=fs, name="clips")
    if fs == SAMPLE_RATE:
        return clips
    if resampler == "polyphase":
        return resample(clips, fs_in=fs, fs_out=SAMPLE_RATE)
    import resampy  # imported here: numba compiles it on first use

    return resampy.resample(clips, fs, SAMPLE_RATE, filter=resampler, axis=-1)


def vggish_patches(clips, *, fs: float, resampler: str = "kaiser_best", normalise: bool = True) -> np.ndarray:
    """Clips at any rate to VGGish input patches: resample, scale to [-1, 1], log-mel, patch (§2.3).

    Parameters
    ----------
    clips : array_like [shape=(n_clips, time)]
    fs : float
        Sampling rate of ``clips``, Hz.
    resampler : str
        See :func:`to_vggish_rate`.
    normalise : bool
        Scale each clip to [-1, 1] after resampling, as the paper does (the reference leaves the scale to
        the caller, whose audio already lies in [-1, 1]).

    Returns
    -------
    np.ndarray [shape=(n_clips, n_patches, 96, 64), dtype=float32]

    Raises
    ------
    ParameterError
        For NaN, a wrong rate, or clips shorter than one patch (0.975 s).

    Examples
    --------
    >>> x = np.random.default_rng(0).standard_normal((2, 32_768))   # two 1.6 s PoliTo chunks
    >>> vggish_patches(x, fs=20_480, resampler="polyphase").shape
    (2, 1, 96, 64)
    """
    clips = check_signal(clips, fs=fs, name="clips")
    if clips.ndim != 2:
        raise ParameterError(f"clips must have shape (n_clips, time), got {clips.shape}")
    _check_clips(clips, fs=fs, n_min=int(np.ceil(patch_input_samples(1) * fs / SAMPLE_RATE)))
    at_16k = to_vggish_rate(clips, fs=fs, resampler=resampler)
    if normalise:
        at_16k = scale_to_unit(at_16k)
    return patches(log_mel_spectrogram(at_16k)).astype(np.float32)
