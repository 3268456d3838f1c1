"""The time-domain branch of Lee et al. (2026), §2.2.1: a GRU stack over multi-axis vibration segments.

Eq. 3 turns a raw segment into ``x_n in R^{T x ch}`` (segmentation, band-pass filtering, robust scaling: done
by the caller); Eq. 4 maps it through a multi-layer GRU (Chung et al. 2014) and a fully connected head to
the class posterior ``softmax(f_RNN(x_n))``, read from the final hidden state ``h_T``.

A GRU over every sample of a 2048-sample segment is slow on a CPU (about 50-65 sequences/s on 2 cores) and
has to carry an impulse across thousands of steps. :func:`frame_steps` therefore folds ``frame`` consecutive
samples of every channel into one time step (``T = length / frame`` steps of ``frame * ch`` values): the
paper gives neither ``T`` nor the step content, so this is our choice, and ``frame=1`` is the literal reading.

Written with Keras 3 layers and ``keras.ops`` only: the same code trains under TensorFlow on a CPU and under
JAX or PyTorch on a GPU (``KERAS_BACKEND``).
"""

from __future__ import annotations

from numbers import Integral

import keras
import numpy as np

from bearingkit.errors import ParameterError
from bearingkit.models.training import VariableDropout

__all__ = ["build_gru", "frame_steps"]


def frame_steps(X, *, frame: int) -> np.ndarray:
    """Fold ``frame`` consecutive samples of every channel into one GRU time step.

    Parameters
    ----------
    X : array_like [shape=(n, channel, time) or (n, time)]
        Preprocessed segments.
    frame : int >= 1
        Samples per time step; must divide ``time``.

    Returns
    -------
    np.ndarray [shape=(n, time // frame, channel * frame)], float32
        Step ``t`` holds samples ``t*frame ... (t+1)*frame - 1`` of channel 0, then of channel 1, ...

    Examples
    --------
    >>> frame_steps(np.arange(8.0).reshape(1, 2, 4), frame=2)[0]
    array([[0., 1., 4., 5.],
           [2., 3., 6., 7.]], dtype=float32)
    """
    X = np.asarray(X, dtype=np.float32)
    if X.ndim == 2:
        X = X[:, None, :]
    if X.ndim != 3:
        raise ParameterError(f"X must be (n, channel, time) or (n, time), got shape {X.shape}")
    if isinstance(frame, bool) or not isinstance(frame, Integral) or frame < 1 or X.shape[-1] % frame:
        raise ParameterError(f"frame must be a positive integer dividing the segment length {X.shape[-1]}, "
                             f"got {frame!r}")
    n, channels, length = X.shape
    steps = X.reshape(n, channels, length // frame, frame)
    return np.ascontiguousarray(steps.transpose(0, 2, 1, 3).reshape(n, length // frame, channels * frame))


def build_gru(*, n_steps: int, n_features: int, n_classes: int, depth: int = 2, width: int = 64,
              dropout: float = 0.2) -> keras.Model:
    """The GRU branch ``f_RNN`` of Eq. 4, uncompiled.

    Parameters
    ----------
    n_steps, n_features : int
        ``T`` and the values per step (``ch`` times the frame of :func:`frame_steps`).
    n_classes : int >= 2
        Size of the softmax output (the probability simplex Delta^{C-1}).
    depth : int >= 1
        Stacked GRU layers; all but the last return sequences, the last returns ``h_T``.
    width : int >= 1
        Units of every GRU layer and of the dense layer of the head.
    dropout : float in [0, 1)
        Dropout after every GRU layer and before the output layer; the rate is a variable
        (:class:`~bearingkit.models.training.VariableDropout`), so networks that differ only in it share
        one traced training step.

    Returns
    -------
    keras.Model
        Input ``(T, n_features)`` float, output ``(n_classes,)`` posteriors.

    Examples
    --------
    >>> model = build_gru(n_steps=16, n_features=4, n_classes=3, depth=1, width=8)
    >>> model.output_shape
    (None, 3)
    """
    for name, value, low in (("n_steps", n_steps, 1), ("n_features", n_features, 1),
                             ("n_classes", n_classes, 2), ("depth", depth, 1), ("width", width, 1)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
            raise ParameterError(f"{name} must be an integer >= {low}, got {value!r}")
    if not 0 <= dropout < 1:
        raise ParameterError(f"dropout must lie in [0, 1), got {dropout!r}")
    inputs = keras.Input(shape=(int(n_steps), int(n_features)), name="segment")
    h = inputs
    for layer in range(int(depth)):
        h = keras.layers.GRU(int(width), return_sequences=layer < depth - 1, name=f"gru_{layer}")(h)
        h = VariableDropout(dropout)(h)
    h = keras.layers.Dense(int(width), activation="relu", name="head")(h)
    h = VariableDropout(dropout)(h)
    outputs = keras.layers.Dense(int(n_classes), activation="softmax", name="posterior")(h)
    return keras.Model(inputs, outputs, name="gru_branch")
