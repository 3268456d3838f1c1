"""What each method of Di Maggio (2023) reads from a chunk: log-mel patches (§2.3, §4), the frozen networks'
embeddings, CWT scalograms for VGG16, and the 46 hand-made features of the baseline.

:func:`prepare_inputs` computes all of them once per data set, each step timed; the methods
(:mod:`~bearingkit.papers.dimaggio2023.training`) only train on them.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from bearingkit.checks import check_seed
from bearingkit.data import Segments
from bearingkit.data.segment import evenly_spaced
from bearingkit.dsp import logmel
from bearingkit.errors import MissingDataError, ParameterError
from bearingkit.features.handcrafted import extract_features
from bearingkit.models import pretrained
from bearingkit.papers.dimaggio2023.backbones import Backbones
from bearingkit.papers.dimaggio2023.data import label_index
from bearingkit.papers.dimaggio2023.settings import DEFAULT_SETTINGS, Settings

__all__ = [
    "Inputs", "handcrafted_features", "prepare_inputs", "resampler_difference", "scalograms",
    "vgg16_features", "vggish_inputs", "waveforms_16k", "yamnet_cross_check",
]


def _one_patch_prefix(X: np.ndarray, fs: float) -> np.ndarray:
    """The start of each chunk that one patch needs, plus 25 ms for the resampling filter's reach."""
    needed = math.ceil((logmel.patch_input_samples(1) + logmel.WINDOW_SAMPLES) * fs / logmel.SAMPLE_RATE)
    if X.shape[-1] < needed:
        raise ParameterError(f"chunks of {X.shape[-1]} samples at {fs:g} Hz are shorter than one 0.96 s "
                             f"patch ({needed} samples with the resampler's margin)")
    return X[..., :needed]


def waveforms_16k(X, *, fs: float, settings: Settings = DEFAULT_SETTINGS) -> np.ndarray:
    """Each chunk scaled to [-1, 1] (§2.3), its first 0.975 s resampled to 16 kHz: ``(n, 15600)`` float32.

    Only the samples the first patch uses are resampled (frames 0-95 of a 1.6 s chunk's 158; the rest are
    dropped by the front end anyway); the kaiser_best filter reaches 4 ms, the margin kept is 25 ms, so the
    result equals resampling the whole chunk.
    """
    X = logmel.scale_to_unit(np.asarray(X))
    at_16k = logmel.to_vggish_rate(_one_patch_prefix(X, fs), fs=fs, resampler=settings.resampler)
    return at_16k[..., :logmel.patch_input_samples(1)].astype(np.float32)


def vggish_inputs(waveforms) -> np.ndarray:
    """One 96 x 64 log-mel patch per 16 kHz chunk of :func:`waveforms_16k`, ``(n, 96, 64)`` float32 (§2.3)."""
    return logmel.vggish_patches(waveforms, fs=logmel.SAMPLE_RATE, normalise=False)[:, 0]


def resampler_difference(X, *, fs: float, settings: Settings = DEFAULT_SETTINGS, count: int = 24) -> dict:
    """How far the log-mel patches move when scipy's polyphase filter replaces resampy's ``kaiser_best``.

    Computed on ``count`` chunks spread evenly over ``X``, the first and the last included (all of them when
    ``X`` has fewer; :func:`bearingkit.data.segment.evenly_spaced`).

    Returns
    -------
    dict
        ``n`` chunks, ``max`` and ``mean`` absolute difference (log units), ``low`` and ``high`` of the
        ``kaiser_best`` patches' values.
    """
    subset = np.asarray(X)[evenly_spaced(len(X), count)]
    best, fast = (vggish_inputs(waveforms_16k(subset, fs=fs, settings=dataclasses.replace(settings,
                                                                                           resampler=name)))
                  for name in ("kaiser_best", "polyphase"))
    difference = np.abs(best - fast)
    return {"n": len(subset), "max": float(difference.max()), "mean": float(difference.mean()),
            "low": float(best.min()), "high": float(best.max())}


def yamnet_cross_check(X, *, fs: float, settings: Settings = DEFAULT_SETTINGS, count: int = 24,
                       num_threads: int = 2) -> dict:
    """The YAMNet int8 file against a second, independent conversion
    (:func:`bearingkit.models.pretrained.yamnet_agreement`) on ``count`` chunks spread evenly over ``X``
    (polyphase front end); ``{"n": 0, "reason": ...}`` when the second file cannot be had."""
    subset = np.asarray(X)[evenly_spaced(len(X), count)]
    waveforms = waveforms_16k(subset, fs=fs, settings=dataclasses.replace(settings, resampler="polyphase"))
    try:
        return pretrained.yamnet_agreement(waveforms, num_threads=num_threads)
    except MissingDataError as error:
        return {"n": 0, "reason": f"second conversion unavailable: {str(error).split('. ')[0]}"}


def scalograms(X, *, fs: float, size: int = 64, samples: int = 4096, block: int = 128) -> np.ndarray:
    """Morlet CWT magnitude of each chunk's first ``samples`` as a ``size x size`` image, 3 channels, 0-255.

    Scales are geometric from 2 to 128 samples (Morlet centre frequencies 0.81 fs/2 down to fs/158); the
    time axis is averaged into ``size`` bins, the magnitude taken in log and stretched to 0-255 per image (the
    form of Shao et al.'s wavelet time-frequency images for an ImageNet network).

    Returns
    -------
    np.ndarray [shape=(n, size, size, 3), dtype=float32]
    """
    import pywt

    X = np.asarray(X)
    if X.shape[-1] < samples or samples % size:
        raise ParameterError(f"need chunks of at least {samples} samples and samples divisible by size; got "
                             f"{X.shape[-1]}, samples={samples}, size={size}")
    scales = np.geomspace(2, 128, size)
    images = np.empty((len(X), size, size), np.float32)
    for start in range(0, len(X), block):
        coefficients, _ = pywt.cwt(X[start:start + block, :samples], scales, "morl", method="fft", axis=-1)
        pooled = np.abs(coefficients).reshape(size, -1, size, samples // size).mean(axis=-1)
        images[start:start + block] = np.log(pooled + 1e-12).transpose(1, 0, 2)
    low = images.min(axis=(1, 2), keepdims=True)
    high = images.max(axis=(1, 2), keepdims=True)
    images = 255 * (images - low) / np.where(high > low, high - low, 1)
    return np.repeat(images[..., None], 3, axis=-1)


def handcrafted_features(X, *, fs: float) -> np.ndarray:
    """The 46 features of notebook 03 (Sedira & Felkaoui 2026, Table 5) of each chunk."""
    return extract_features(np.asarray(X, dtype=float), fs=fs)


def vgg16_features(images, *, weights: str | None, seed: int = 0, batch_size: int = 64) -> np.ndarray:
    """Global-average-pooled output of VGG16's convolutional base (frozen), ``(n, 512)``.

    ``weights="imagenet"`` needs Keras' download of the ImageNet weights; None gives the randomly initialised
    network (seeded), whose row is labelled as such.
    """
    import keras

    keras.utils.set_random_seed(check_seed(seed))
    base = keras.applications.VGG16(include_top=False, weights=weights, input_shape=images.shape[1:],
                                    pooling="avg")
    inputs = keras.applications.vgg16.preprocess_input(np.array(images, dtype=np.float32))
    return np.asarray(base.predict(inputs, batch_size=batch_size, verbose=0))


@dataclasses.dataclass
class Inputs:
    """Everything the methods read, computed once per data set: labels, VGGish patches, frozen embeddings
    (None where the network is unavailable), VGG16 features per weight source, the 46 features, timings."""

    y: np.ndarray
    patches: np.ndarray
    embeddings: dict[str, np.ndarray | None]
    features: np.ndarray
    seconds: dict[str, float]
    images: np.ndarray | None = None


def prepare_inputs(chunks: Segments, *, fs: float, settings: Settings, backbones: Backbones, seed: int = 0,
                   ) -> Inputs:
    """Front end, frozen embeddings and hand-made features of every chunk, each step timed.

    Parameters
    ----------
    chunks : Segments
        Chunks ``X`` at ``fs`` and their labels ``y``
        (:data:`~bearingkit.papers.dimaggio2023.settings.CLASSES`).
    backbones : Backbones
        The networks this run has (:func:`~bearingkit.papers.dimaggio2023.backbones.load_backbones`); a
        missing VGGish or YAMNet leaves its embeddings None.
    seed : int
        Seed of the randomly initialised VGG16 (each variant of ``backbones.vgg16_weights`` is run on the
        chunks' scalograms).
    """
    X = chunks.X
    seconds = {}
    clock = time.perf_counter()
    waveforms = waveforms_16k(X, fs=fs, settings=settings)
    patches = vggish_inputs(waveforms)
    seconds["front end"] = time.perf_counter() - clock
    embeddings: dict[str, np.ndarray | None] = dict.fromkeys(
        ("VGGish transfer", "VGGish transfer (ReLU on fc2)", "YAMNet transfer"))
    if backbones.vggish is not None:
        clock = time.perf_counter()
        vggish = backbones.vggish.predict(patches, batch_size=128, verbose=0)
        embeddings["VGGish transfer"] = np.asarray(vggish)
        # Table 1 / MATLAB's 24-layer vggish: a ReLU after fc2; ReLU of the linear fc2 output is exactly that
        embeddings["VGGish transfer (ReLU on fc2)"] = np.maximum(embeddings["VGGish transfer"], 0)
        seconds["VGGish embeddings"] = time.perf_counter() - clock
    if backbones.yamnet is not None:
        clock = time.perf_counter()
        embeddings["YAMNet transfer"] = backbones.yamnet.embeddings(waveforms)
        seconds["YAMNet embeddings"] = time.perf_counter() - clock
    images = None
    if backbones.vgg16_weights:
        clock = time.perf_counter()
        images = scalograms(X, fs=fs, size=settings.scalogram_size, samples=settings.scalogram_samples)
        for method, weights in backbones.vgg16_weights.items():
            embeddings[method] = vgg16_features(images, weights=weights, seed=seed)
        seconds["scalograms + VGG16 features"] = time.perf_counter() - clock
    clock = time.perf_counter()
    features = handcrafted_features(X, fs=fs)
    seconds["46 features"] = time.perf_counter() - clock
    return Inputs(y=label_index(chunks.y), patches=patches, embeddings=embeddings, features=features,
                  seconds=seconds, images=images)
