"""Shared test set-up: point the data layer at the project's mirror when the caller has not."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "data"

if not os.environ.get("BEARINGKIT_DATA_MIRROR") and DEFAULT_MIRROR.is_dir():
    os.environ["BEARINGKIT_DATA_MIRROR"] = str(DEFAULT_MIRROR)


@pytest.fixture
def mirror() -> Path:
    """The data mirror; the tests that read real data fail loudly (never skip) when it is absent."""
    value = os.environ.get("BEARINGKIT_DATA_MIRROR")
    assert value and Path(value).is_dir(), (
        "these tests read the real data sets: set BEARINGKIT_DATA_MIRROR to a mirror such as ../shared/data"
    )
    return Path(value)


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory):
    """Execute ``notebooks/<stem>.ipynb`` with papermill (quick profile) and return its results JSON.

    The executed copy goes to a temporary folder; figures and ``build/results/<stem>.json`` are written where
    the notebook writes them, as in ``make reproduce``.
    """
    import papermill as pm

    from bearingkit import paths, results

    def run(stem: str, **parameters) -> dict:
        pm.execute_notebook(
            paths.NOTEBOOKS_DIR / f"{stem}.ipynb",
            tmp_path_factory.mktemp("executed") / f"{stem}.ipynb",
            parameters={"profile": "quick", **parameters},
            kernel_name="python3",
            cwd=str(paths.NOTEBOOKS_DIR),
            progress_bar=False,
        )
        return results.read_results(stem)

    return run
