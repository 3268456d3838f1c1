"""Pretrained audio networks: VGGish through TF-Hub into the Keras 3 model, YAMNet through TFLite.

Only this module touches TensorFlow-specific APIs. ``hub.load`` returns a SavedModel callable (not a tf-keras
layer, which could not sit inside a Keras 3 model); its variables are copied by name into
:func:`bearingkit.models.vggish.build_vggish`, so both give the same embeddings and the Keras model trains
under any backend. YAMNet (Plakal & Ellis 2020, MobileNet-v1 on AudioSet) is read offline from the TFLite
conversion registered in ``bearingkit/registry/models.tsv`` (:func:`bearingkit.data.fetch_model`: sha256
checked, mirror ``BEARINGKIT_MODEL_MIRROR``), its 1024-d embedding taken from the interpreter's tensors.

Handles: TF-Hub models now resolve through Kaggle; ``TFHUB_CACHE_DIR`` (or ``cache_dir``) is where
``hub.load`` keeps them. Without a network, :func:`check_handle` says so within a few seconds and the caller
reports the affected numbers as not run.
"""

from __future__ import annotations

import os
import socket
import warnings
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from bearingkit.data import fetch_model
from bearingkit.dsp.logmel import patch_input_samples
from bearingkit.errors import MissingDataError, ParameterError

__all__ = ["VGG16_WEIGHTS_FILE", "VGG16_WEIGHTS_URL", "VGGISH_HANDLE", "VGGISH_SCOPES",
           "YAMNET_EMBEDDING_TENSOR", "YAMNET_HANDLE", "YAMNET_INPUT_SAMPLES", "YAMNET_PROVENANCE",
           "YAMNET_TFLITE", "YAMNET_TFLITE_SECOND", "YamnetTFLite", "check_handle", "copy_vggish_variables",
           "load_hub", "load_vggish", "saved_variables", "tflite_scores", "vgg16_imagenet_unavailable",
           "yamnet_agreement"]

VGGISH_HANDLE = "https://tfhub.dev/google/vggish/1"
YAMNET_HANDLE = "https://tfhub.dev/google/yamnet/1"
YAMNET_TFLITE = "yamnet/yamnet_scores_spectrogram.tflite"
#: A second, independent TFLite conversion (scores only), to check the first by :func:`yamnet_agreement`.
YAMNET_TFLITE_SECOND = "yamnet/yamnet_scores_only.tflite"
#: What the YAMNet files are, for the notebooks to disclose (bearingkit/registry/models.tsv).
YAMNET_PROVENANCE = ("third-party TFLite conversions of TF-Hub google/yamnet/1 with int8 (dynamic-range) "
                     "weights and float32 I/O, pinned by sha256: the primary from GitHub "
                     "Jaskaran197/Speaker-Detector@4ec29b6 (scores, log-mel, 1024-d embedding), the second "
                     "from Dhiveej/Aranyadhwani@77db24f (scores only); Google's float model (TF-Hub/Kaggle) "
                     "is not reachable offline")
YAMNET_EMBEDDING_TENSOR = "yamnet_frames/global_average_pooling2d/Mean"
YAMNET_INPUT_SAMPLES = patch_input_samples(1)      # 0.975 s at 16 kHz
VGG16_WEIGHTS_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
VGG16_WEIGHTS_URL = f"https://storage.googleapis.com/tensorflow/keras-applications/vgg16/{VGG16_WEIGHTS_FILE}"
#: Variable scope of each Keras layer in the reference VGGish (vggish_slim.py; slim.repeat nests conv3/4/fc1).
VGGISH_SCOPES = {"conv1": "vggish/conv1", "conv2": "vggish/conv2", "conv3_1": "vggish/conv3/conv3_1",
                 "conv3_2": "vggish/conv3/conv3_2", "conv4_1": "vggish/conv4/conv4_1",
                 "conv4_2": "vggish/conv4/conv4_2", "fc1_1": "vggish/fc1/fc1_1", "fc1_2": "vggish/fc1/fc1_2",
                 "fc2": "vggish/fc2"}


def check_handle(handle: str, *, timeout: float = 3.0) -> str | None:
    """Why ``handle`` cannot be loaded now, or None when it can be tried.

    A local directory must exist; a URL's host must accept a connection within ``timeout`` seconds.

    Raises
    ------
    ParameterError
        For a handle that is neither an http(s) URL nor a path.
    """
    if not isinstance(handle, str | os.PathLike) or not str(handle).strip():
        raise ParameterError(f"a model handle is an https URL or a local SavedModel folder, got {handle!r}")
    parsed = urlparse(str(handle))
    if parsed.scheme in ("http", "https"):
        try:
            socket.create_connection((parsed.hostname, parsed.port or 443), timeout=timeout).close()
        except OSError as error:
            return f"{parsed.hostname} unreachable ({type(error).__name__}: {error})"
        return None
    if parsed.scheme not in ("", "file"):
        raise ParameterError(f"unknown model handle {handle!r}: use an https TF-Hub/Kaggle URL or a folder")
    path = Path(parsed.path if parsed.scheme == "file" else str(handle))
    return None if (path / "saved_model.pb").is_file() else f"no SavedModel at {path}"


def vgg16_imagenet_unavailable(*, timeout: float = 3.0) -> str | None:
    """Why Keras cannot load VGG16's ImageNet weights now (neither in ``$KERAS_HOME/models`` nor reachable),
    or None when it can."""
    cached = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "models" / VGG16_WEIGHTS_FILE
    return None if cached.is_file() else check_handle(VGG16_WEIGHTS_URL, timeout=timeout)


@contextmanager
def _hub_cache(cache_dir: str | os.PathLike | None):
    previous = os.environ.get("TFHUB_CACHE_DIR")
    if cache_dir is not None:
        os.environ["TFHUB_CACHE_DIR"] = str(cache_dir)
    try:
        yield
    finally:
        if cache_dir is not None:
            if previous is None:
                os.environ.pop("TFHUB_CACHE_DIR", None)
            else:
                os.environ["TFHUB_CACHE_DIR"] = previous


def load_hub(handle: str, *, cache_dir: str | os.PathLike | None = None, timeout: float = 3.0):
    """``tensorflow_hub.load(handle)`` after a short reachability check.

    Parameters
    ----------
    handle : str
        TF-Hub / Kaggle URL or a local SavedModel directory.
    cache_dir : path, optional
        Where hub keeps downloads; by default ``$TFHUB_CACHE_DIR`` (hub's own default when unset).
    timeout : float
        Seconds allowed for the reachability check.

    Raises
    ------
    MissingDataError
        The handle cannot be reached or loaded; the message says why and names ``TFHUB_CACHE_DIR``.
    """
    reason = check_handle(handle, timeout=timeout)
    if reason is None:
        import tensorflow_hub as hub

        try:
            with _hub_cache(cache_dir):
                return hub.load(str(handle))
        except Exception as error:  # hub raises OSError, ValueError, URLError, tf errors...
            reason = f"{type(error).__name__}: {error}"
    raise MissingDataError(f"cannot load {handle}: {reason}. Download it where a network is available and "
                           "point TFHUB_CACHE_DIR (or cache_dir) at the cache, or pass a local directory")


def _named_arrays(variables: Iterable | Mapping) -> dict[str, np.ndarray]:
    items = variables.items() if isinstance(variables, Mapping) else ((v.name, v) for v in variables)
    return {name.removesuffix(":0"): np.asarray(value) for name, value in items}


def copy_vggish_variables(variables: Iterable | Mapping, model) -> None:
    """Copy the reference VGGish's variables (``vggish/conv1/weights`` ...) into the Keras model, in place.

    Parameters
    ----------
    variables : iterable of tf.Variable, or mapping from name to array
        E.g. ``hub.load(VGGISH_HANDLE).variables``; a ``:0`` suffix is ignored.
    model : keras.Model
        From :func:`bearingkit.models.vggish.build_vggish` with matching sizes.

    Raises
    ------
    ParameterError
        A variable is missing or its shape differs from the layer's; nothing is copied then.
    """
    arrays = _named_arrays(variables)
    updates = []
    for layer_name, scope in VGGISH_SCOPES.items():
        layer = model.get_layer(layer_name)
        values = []
        for part, weight in zip(("weights", "biases"), layer.weights, strict=True):
            key = f"{scope}/{part}"
            if key not in arrays:
                raise ParameterError(f"the pretrained model has no variable {key!r}; it has "
                                     f"{sorted(arrays)[:6]}...: is it VGGish?")
            if arrays[key].shape != tuple(weight.shape):
                raise ParameterError(f"{key} has shape {arrays[key].shape}, layer {layer_name} expects "
                                     f"{tuple(weight.shape)}: build the Keras model with the same sizes")
            values.append(arrays[key])
        updates.append((layer, values))
    for layer, values in updates:
        layer.set_weights(values)


def saved_variables(source) -> list:
    """Every variable of a loaded SavedModel: its ``variables`` attribute (the reusable-SavedModel convention
    TF-Hub models follow) or, when absent, the variables found by walking its object graph."""
    listed = getattr(source, "variables", None)
    if listed:
        return list(listed)
    import tensorflow as tf

    return [obj for obj in tf.train.TrackableView(source).descendants() if isinstance(obj, tf.Variable)]


def load_vggish(handle: str = VGGISH_HANDLE, *, cache_dir: str | os.PathLike | None = None, **sizes):
    """The pretrained VGGish as a Keras 3 model: ``hub.load(handle)``, variables copied by name.

    ``sizes`` go to :func:`bearingkit.models.vggish.build_vggish` (defaults: the full network).

    Raises
    ------
    MissingDataError
        The weights cannot be reached (see :func:`load_hub`).
    """
    from bearingkit.models.vggish import build_vggish

    source = load_hub(handle, cache_dir=cache_dir)
    model = build_vggish(**sizes)
    copy_vggish_variables(saved_variables(source), model)
    return model


class YamnetTFLite:
    """YAMNet's 1024-d embedding and 521 scores from its TFLite conversion, one 0.975 s clip at a time.

    Parameters
    ----------
    path : path, optional
        The ``.tflite`` file; by default the registered :data:`YAMNET_TFLITE` through
        :func:`bearingkit.data.fetch_model` (sha256 checked; a wrong-hash file is refused).
    num_threads : int, optional
        Interpreter threads.

    Raises
    ------
    MissingDataError, ChecksumError
        From :func:`bearingkit.data.fetch_model`.
    ParameterError
        The file has no embedding tensor :data:`YAMNET_EMBEDDING_TENSOR`.
    """

    def __init__(self, path: str | os.PathLike | None = None, *, num_threads: int | None = None):
        from ai_edge_litert.interpreter import Interpreter

        self.path = Path(path) if path is not None else fetch_model(YAMNET_TFLITE, progress=False)
        with warnings.catch_warnings():  # keeping every tensor is how the embedding is read: expected
            warnings.filterwarnings("ignore", message=".*experimental_preserve_all_tensors")
            self._interpreter = Interpreter(model_path=str(self.path), experimental_preserve_all_tensors=True,
                                            num_threads=num_threads)
        self._interpreter.allocate_tensors()
        (self._input,) = self._interpreter.get_input_details()
        tensors = {d["name"]: d["index"] for d in self._interpreter.get_tensor_details()}
        if YAMNET_EMBEDDING_TENSOR not in tensors:
            raise ParameterError(f"{self.path} has no tensor {YAMNET_EMBEDDING_TENSOR!r}: use "
                                 f"{YAMNET_TFLITE} (its internal tensor names are kept)")
        self._embedding = tensors[YAMNET_EMBEDDING_TENSOR]
        self._scores = self._interpreter.get_output_details()[0]["index"]

    def _run(self, waveforms, tensor: int) -> np.ndarray:
        waveforms = np.asarray(waveforms, dtype=np.float32)
        if waveforms.ndim != 2 or waveforms.shape[1] != YAMNET_INPUT_SAMPLES:
            raise ParameterError(f"YAMNet takes clips of shape (n, {YAMNET_INPUT_SAMPLES}) at 16 kHz in "
                                 f"[-1, 1], got {waveforms.shape}")
        if not np.isfinite(waveforms).all():
            raise ParameterError("the clips hold NaN or infinite values")
        out = []
        for clip in waveforms:
            self._interpreter.set_tensor(self._input["index"], clip[None])
            self._interpreter.invoke()
            out.append(self._interpreter.get_tensor(tensor).reshape(-1).copy())
        return np.stack(out)

    def embeddings(self, waveforms) -> np.ndarray:
        """The 1024-d embedding of each clip, ``(n, 15600)`` at 16 kHz -> ``(n, 1024)``."""
        return self._run(waveforms, self._embedding)

    def scores(self, waveforms) -> np.ndarray:
        """The 521 AudioSet class scores of each clip, ``(n, 521)``."""
        return self._run(waveforms, self._scores)


def tflite_scores(path: str | os.PathLike, waveforms, *, num_threads: int | None = None) -> np.ndarray:
    """The first output of a TFLite audio classifier for each 0.975 s clip, ``(n, classes)``.

    The model's input may be ``[1, 15600]`` or ``[15600]``: each clip is reshaped to it.
    """
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(path), num_threads=num_threads)
    interpreter.allocate_tensors()
    (given,) = interpreter.get_input_details()
    output = interpreter.get_output_details()[0]["index"]
    out = []
    for clip in np.asarray(waveforms, dtype=np.float32):
        interpreter.set_tensor(given["index"], clip.reshape(given["shape"]))
        interpreter.invoke()
        out.append(interpreter.get_tensor(output).reshape(-1).copy())
    return np.stack(out)


def yamnet_agreement(waveforms, *, first=None, second=None, num_threads: int | None = None) -> dict:
    """How far two YAMNet conversions agree on the same clips: the check of the int8 file that can be run
    offline (Google's float model cannot be reached here).

    Parameters
    ----------
    waveforms : np.ndarray [shape=(n, 15600)]
        16 kHz clips in [-1, 1].
    first, second : path, optional
        The two ``.tflite`` files (default: :data:`YAMNET_TFLITE` and :data:`YAMNET_TFLITE_SECOND`).

    Returns
    -------
    dict
        ``n``, ``top1_agreement`` (share of clips whose top class is the same), ``median_correlation`` of the
        521 scores per clip, ``max_abs_difference`` of the scores.
    """
    first = Path(first) if first is not None else fetch_model(YAMNET_TFLITE, progress=False)
    second = Path(second) if second is not None else fetch_model(YAMNET_TFLITE_SECOND, progress=False)
    a = tflite_scores(first, waveforms, num_threads=num_threads)
    b = tflite_scores(second, waveforms, num_threads=num_threads)
    correlation = [np.corrcoef(x, y)[0, 1] for x, y in zip(a, b, strict=True)]
    return {"n": len(a), "top1_agreement": float(np.mean(a.argmax(1) == b.argmax(1))),
            "median_correlation": float(np.median(correlation)),
            "max_abs_difference": float(np.abs(a - b).max())}
