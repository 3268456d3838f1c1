"""Whole-notebook run times (papermill), against the issue's targets on 2 CPU cores.

Notebook 03 (Sedira & Felkaoui 2026): <= 2 min in the quick profile, <= 5 min in the full profile.
Notebook 02 (Lee et al. 2026): <= 10 min in the quick profile (issue 9). Notebook 01's cases live in
``bench_dimaggio2023.py``.
Each run writes into a throw-away project root (``BEARINGKIT_ROOT``, its ``build/`` and ``figures/`` named by
``BEARINGKIT_BUILD_DIR`` and ``BEARINGKIT_FIGURES_DIR`` as well) whose ``data/`` and ``notebooks/`` are the
repository's and whose ``build/`` and ``figures/`` are empty, so a benchmark never touches what
``make reproduce`` wrote (``build/results``, ``build/notebooks``, ``figures``). The kernel draws with the
inline backend, as in ``make reproduce``.
The peak-memory column is the papermill client's only: the kernel runs in a process of its own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from harness import case

from bearingkit import paths

#: The backend ``make reproduce`` gives the kernels (the executed notebook keeps its figures).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: What a scratch root borrows from the repository, read-only in spirit; everything else starts empty.
SHARED_WITH_REPOSITORY = ("data", "notebooks")


def scratch_root(parent: Path) -> Path:
    """A project root under ``parent`` that shares :data:`SHARED_WITH_REPOSITORY` with the repository.

    Parameters
    ----------
    parent : Path
        An empty, writable directory (a temporary one); the root's ``build/`` and ``figures/`` land there.

    Returns
    -------
    Path
        The root to pass as ``BEARINGKIT_ROOT`` (see :mod:`bearingkit.paths`).
    """
    root = parent / "root"
    root.mkdir()
    for name in SHARED_WITH_REPOSITORY:
        (root / name).symlink_to(paths.PROJ_ROOT / name, target_is_directory=True)
    return root


def _notebook_runner(stem: str, profile: str):
    import papermill as pm

    def execute():
        with tempfile.TemporaryDirectory(prefix="bearingkit-bench-") as tmp:
            root = scratch_root(Path(tmp))
            # the kernel papermill starts inherits this process's environment (one process per case); the
            # output directories are named too, in case the caller's environment moves them elsewhere
            os.environ.update(BEARINGKIT_ROOT=str(root), BEARINGKIT_BUILD_DIR=str(root / "build"),
                              BEARINGKIT_FIGURES_DIR=str(root / "figures"), MPLBACKEND=INLINE_BACKEND)
            pm.execute_notebook(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", Path(tmp) / f"{stem}.ipynb",
                                parameters={"profile": profile}, kernel_name="python3",
                                cwd=str(root / "notebooks"), progress_bar=False)

    return execute


@case("notebook 03 (Sedira 2026), quick profile", target_s=120)
def notebook_03_quick():
    return _notebook_runner("03_sedira2026_hmm_rbfnn", "quick")


@case("notebook 03 (Sedira 2026), full profile", target_s=300)
def notebook_03_full():
    return _notebook_runner("03_sedira2026_hmm_rbfnn", "full")


@case("notebook 02 (Lee 2026), quick profile", target_s=600)
def notebook_02_quick():
    return _notebook_runner("02_lee2026_hybrid_cnn_rnn_hpo", "quick")
