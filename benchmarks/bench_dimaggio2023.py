"""Di Maggio (2023), notebook 01: the front end, VGGish's forward pass and the transfer pipeline on the
paper's 2,160 chunks, and the notebook's quick profile, against the issue's targets on 2 CPU cores.

The paper's own figure for the transfer pipeline is 936 s of training (MATLAB, Intel i7-10510U). VGGish's
pretrained weights are not needed to time it: a randomly initialised VGGish does the same arithmetic.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from bench_notebooks import INLINE_BACKEND, scratch_root
from harness import case

from bearingkit import paths
from bearingkit.dsp import logmel

N_CHUNKS = 2_160


def _chunks(n: int = N_CHUNKS) -> np.ndarray:
    return np.random.default_rng(0).standard_normal((n, 32_768)).astype(np.float32)


@case("log-mel patches, 2,160 one-patch clips at 16 kHz", target_s=2.0, target_mib=1_500)
def logmel_patches():
    clips = np.random.default_rng(0).uniform(-1, 1, (N_CHUNKS, logmel.patch_input_samples(1)))
    return lambda: logmel.patches(logmel.log_mel_spectrogram(clips))


@case("VGGish forward pass, 2,160 patches (72 M parameters)", target_s=30.0, target_mib=4_096)
def vggish_forward():
    from bearingkit.models.vggish import build_vggish

    model = build_vggish()
    patches = np.random.default_rng(0).standard_normal((N_CHUNKS, 96, 64)).astype(np.float32)
    model.predict(patches[:128], batch_size=128, verbose=0)   # builds the graph outside the timing
    return lambda: model.predict(patches, batch_size=128, verbose=0)


@case("transfer pipeline, 2,160 chunks: front end (polyphase), embeddings, head, evaluation", target_s=60.0,
      target_mib=4_096)
def transfer_pipeline():
    from bearingkit.models.vggish import build_vggish
    from bearingkit.papers.dimaggio2023.data import label_index, stratified_split
    from bearingkit.papers.dimaggio2023.frontend import vggish_inputs, waveforms_16k
    from bearingkit.papers.dimaggio2023.settings import CLASSES, POLITO_FS, Settings
    from bearingkit.papers.dimaggio2023.training import run_head

    X = _chunks()
    y = np.repeat(np.array(CLASSES), N_CHUNKS // 3)
    split = stratified_split(y, seed=0)
    settings = Settings(resampler="polyphase")
    model = build_vggish()

    def run():
        patches = vggish_inputs(waveforms_16k(X, fs=POLITO_FS, settings=settings))
        embeddings = model.predict(patches, batch_size=128, verbose=0)
        return run_head(embeddings, label_index(y), split, settings=settings, method="VGGish transfer",
                        split_name="paper")

    return run


@case("notebook 01 (Di Maggio 2023), quick profile", target_s=300)
def notebook_01_quick():
    import papermill as pm

    stem = "01_dimaggio2023_vggish_transfer"

    def execute():
        with tempfile.TemporaryDirectory(prefix="bearingkit-bench-") as tmp:
            root = scratch_root(Path(tmp))
            os.environ.update(BEARINGKIT_ROOT=str(root), MPLBACKEND=INLINE_BACKEND)
            pm.execute_notebook(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", Path(tmp) / f"{stem}.ipynb",
                                parameters={"profile": "quick"}, kernel_name="python3",
                                cwd=str(root / "notebooks"), progress_bar=False)

    return execute
