"""The inputs of the two branches (§2.2): g_RNN (Eq. 3) and g_CNN (Eq. 7) under the frozen candidate.

The GRU sees the band-passed windows robust-scaled on each fold's training windows and folded into steps;
the EfficientNetV2 sees band-cropped STFT energy maps as uint8 images, one channel per sensor axis. One
segment length serves both branches: Stage 3 fuses the two branches' posteriors of the *same* windows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import keras
import numpy as np
import scipy.ndimage

from bearingkit.models.efficientnet import build_efficientnet
from bearingkit.models.gru import build_gru, frame_steps
from bearingkit.papers.lee2026.screening import Candidate, energy_maps, filtered
from bearingkit.papers.lee2026.settings import Settings

__all__ = ["BranchInputs", "cnn_inputs", "gru_frame", "gru_inputs", "robust_bounds", "robust_scale",
           "to_images", "uint8_bounds"]


def gru_frame(window: int, settings: Settings) -> int:
    """Samples per GRU step for windows of ``window`` samples: every data set gets the same number of steps.

    ``settings.length // settings.gru_frame`` steps (CWRU's), so Paderborn's 2560-sample segments and the
    simulated rig's longer windows are folded into wider steps, not longer sequences (ours).
    """
    steps = max(settings.length // settings.gru_frame, 1)
    return max(window // steps, 1)


def robust_bounds(X: np.ndarray) -> dict[str, np.ndarray]:
    """Robust scaling's per-channel normalisation bounds (median, IQR) of training windows (§2.1)."""
    flat = np.moveaxis(X, 1, 0).reshape(X.shape[1], -1)
    q25, median, q75 = np.percentile(flat, [25, 50, 75], axis=1)
    return {"median": median, "iqr": np.where(q75 > q25, q75 - q25, 1.0)}


def robust_scale(X: np.ndarray, bounds: Mapping[str, np.ndarray]) -> np.ndarray:
    """``(X - median) / IQR`` per channel of ``(n, channel, time)`` windows, float32."""
    return ((X - bounds["median"][:, None]) / bounds["iqr"][:, None]).astype(np.float32)


def uint8_bounds(maps: np.ndarray) -> dict[str, np.ndarray]:
    """Per-channel dB bounds (0.5th, 99.5th percentile) mapping energy maps onto uint8 codes."""
    flat = np.moveaxis(maps, 1, 0).reshape(maps.shape[1], -1)
    low, high = np.percentile(flat, [0.5, 99.5], axis=1)
    return {"low": low, "high": np.where(high > low, high, low + 1.0)}


def to_images(maps: np.ndarray, bounds: Mapping[str, np.ndarray], *, size: int) -> np.ndarray:
    """Energy maps as ``(n, size, size, channel)`` uint8 images (bilinear resize, per-channel bounds)."""
    n, channels, n_freq, n_frame = maps.shape
    resized = scipy.ndimage.zoom(maps, (1, 1, size / n_freq, size / n_frame), order=1)[..., :size, :size]
    low, high = bounds["low"][None, :, None, None], bounds["high"][None, :, None, None]
    unit = (resized - low) / (high - low)
    return np.moveaxis(np.round(255 * np.clip(unit, 0, 1)).astype(np.uint8), 1, -1)


@dataclasses.dataclass
class BranchInputs:
    """The inputs of one branch: per fold, the development windows as that fold's training sees them.

    ``X[i]`` holds every development window normalised on fold ``i``'s training windows (the GRU's robust
    scaling) or the same uint8 maps for every fold (the CNN's, one array, not copied); ``folds[i]`` indexes
    it. ``key(params)`` names the architecture a trial needs (its compiled network is shared by every trial
    with that key), ``build(params)`` makes it.
    """

    X: list[np.ndarray]
    y: np.ndarray
    folds: list[tuple[np.ndarray, np.ndarray]]
    test: list[np.ndarray | None]
    bounds: list[dict]
    build: Callable[[Mapping], keras.Model]
    key: Callable[[Mapping], tuple]


def gru_inputs(X_dev, y_dev, X_test, folds, *, candidate: Candidate, fs: float, frame: int,
               n_classes: int) -> BranchInputs:
    """g_RNN (Eq. 3): band-pass, robust scaling fitted per training fold, windows folded into steps."""
    dev, test = filtered(X_dev, candidate, fs=fs), filtered(X_test, candidate, fs=fs) if len(X_test) else None
    per_fold, tests, all_bounds = [], [], []
    for train, _ in folds:
        bounds = robust_bounds(dev[train])
        per_fold.append(frame_steps(robust_scale(dev, bounds), frame=frame))
        tests.append(frame_steps(robust_scale(test, bounds), frame=frame) if test is not None else None)
        all_bounds.append(bounds)
    n_steps, n_features = per_fold[0].shape[1:]

    def build(params):
        return build_gru(n_steps=n_steps, n_features=n_features, n_classes=n_classes, depth=params["depth"],
                         width=params["width"], dropout=params["dropout"])

    def key(params):
        return ("gru", n_steps, n_features, n_classes, int(params["depth"]), int(params["width"]))

    return BranchInputs(per_fold, np.asarray(y_dev), list(folds), tests, all_bounds, build, key)


def cnn_inputs(X_dev, y_dev, X_test, folds, *, candidate: Candidate, fs: float, size: int,
               n_classes: int) -> BranchInputs:
    """g_CNN (Eq. 7): band-cropped STFT energy maps as uint8 images, one channel per sensor axis.

    The uint8 bounds are the development windows' (:func:`uint8_bounds`), so the codes are stored once; the
    model's first layer maps them onto [-1, 1].
    """
    maps = energy_maps(X_dev, candidate, fs=fs)
    bounds = uint8_bounds(maps)
    images = to_images(maps, bounds, size=size)
    test = to_images(energy_maps(X_test, candidate, fs=fs), bounds, size=size) if len(X_test) else None
    channels = images.shape[-1]

    def build(params):
        return build_efficientnet(image_size=size, channels=channels, n_classes=n_classes,
                                  head_depth=params["depth"], head_width=params["width"],
                                  dropout=params["dropout"])

    def key(params):
        return ("cnn", size, channels, n_classes)

    return BranchInputs([images] * len(folds), np.asarray(y_dev), list(folds), [test] * len(folds),
                        [bounds] * len(folds), build, key)
