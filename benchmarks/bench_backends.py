"""Keras backends on the CPU: the GRU and EfficientNetV2-B0 training steps of notebook 02 (2 CPU cores).

Each case runs in its own process with ``KERAS_BACKEND`` set before Keras is imported, on the quick profile's
shapes (a GRU of 128 steps x 16 values, width 64; EfficientNetV2-B0 on 32 px x 2-channel uint8 maps, a
64-unit head), batches of 16, through the training engine of ``bearingkit.models.training``. Reported: the
first step (the trace or compile), training windows/s after it, and a second trial on the same network (no
new trace). A backend that is not installed is reported as such (the lock installs TensorFlow only; JAX
and PyTorch can be added with pip to compare). No target: the table says which backend is fastest.

Nothing here imports Keras at module level: the backend is chosen in the case's own process.
"""

from __future__ import annotations

import importlib.util
import os

from harness import case

BACKENDS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
WINDOWS, EPOCHS, BATCH = 128, 3, 16


def _trial_work(backend: str, branch: str):
    if importlib.util.find_spec(BACKENDS[backend]) is None:
        return lambda: {"backend": "not installed"}
    os.environ["KERAS_BACKEND"] = backend
    import numpy as np

    from bearingkit.models import training
    from bearingkit.models.efficientnet import build_efficientnet
    from bearingkit.models.gru import build_gru

    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, WINDOWS)
    if branch == "gru":
        X = rng.normal(size=(WINDOWS, 128, 16)).astype("float32")

        def build():
            return build_gru(n_steps=128, n_features=16, n_classes=4, depth=1, width=64, dropout=0.1)
    else:
        X = rng.integers(0, 256, size=(WINDOWS, 32, 32, 2), dtype=np.uint8)

        def build():
            return build_efficientnet(image_size=32, channels=2, n_classes=4, head_depth=1, head_width=64,
                                      dropout=0.1)

    def work():
        engine = training.Engine()
        for seed in (0, 1):                       # the second trial reuses the first one's network
            network = engine.start(branch, build, seed=seed, optimizer="adam")
            engine.restore(network, engine.initial_state(network))
            for _ in range(EPOCHS):
                engine.train_epoch(network, X, y, np.arange(WINDOWS), batch=BATCH,
                                   rng=np.random.default_rng(seed), learning_rate=lambda step: 1e-3)
        t = engine.timings
        return {"first step (trace) s": t.trace, "windows/s": t.samples / t.train,
                "networks compiled": t.compiled}

    return work


for _backend in BACKENDS:
    for _branch, _what in (("gru", "GRU 128 x 16, width 64"), ("cnn", "EfficientNetV2-B0, 32 px x 2")):
        case(f"backend {_backend}: {_what}, 2 trials x {EPOCHS} epochs x {WINDOWS}")(
            lambda b=_backend, br=_branch: _trial_work(b, br))
