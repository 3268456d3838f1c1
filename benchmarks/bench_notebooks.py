"""Whole-notebook run times (papermill), against the issue's targets on 2 CPU cores.

Notebook 03 (Sedira & Felkaoui 2026): <= 2 min in the quick profile, <= 5 min in the full profile.
The executed copies go to a temporary folder; figures and results are written as in ``make reproduce``.
The peak-memory column is the papermill client's only: the kernel runs in a process of its own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness import case

from bearingkit import paths


def _notebook_runner(stem: str, profile: str):
    import papermill as pm

    def execute():
        with tempfile.TemporaryDirectory() as tmp:
            pm.execute_notebook(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", Path(tmp) / f"{stem}.ipynb",
                                parameters={"profile": profile}, kernel_name="python3",
                                cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False)

    return execute


@case("notebook 03 (Sedira 2026), quick profile", target_s=120)
def notebook_03_quick():
    return _notebook_runner("03_sedira2026_hmm_rbfnn", "quick")


@case("notebook 03 (Sedira 2026), full profile", target_s=300)
def notebook_03_full():
    return _notebook_runner("03_sedira2026_hmm_rbfnn", "full")
