"""Fixtures shared by the tests: the data mirror and notebook runs (mirrors are set in ../conftest.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: No notebook cell may run longer than this in a test (papermill's execution_timeout).
NOTEBOOK_CELL_TIMEOUT_S = 600


@pytest.fixture
def mirror() -> Path:
    """The data mirror; the tests that read real data fail loudly (never skip) when it is absent."""
    value = os.environ.get("BEARINGKIT_DATA_MIRROR")
    assert value and Path(value).is_dir(), (
        "these tests read the real data sets: set BEARINGKIT_DATA_MIRROR to a mirror such as ../shared/data"
    )
    return Path(value)


@dataclass(frozen=True)
class NotebookRun:
    """One papermill execution: the results file it wrote and what the executed notebook holds."""

    results: dict
    executed: Path
    images: int
    error_outputs: int


def count_outputs(executed: Path) -> tuple[int, int]:
    """``(image outputs, error outputs)`` of an executed notebook."""
    import nbformat

    cells = [c for c in nbformat.read(executed, as_version=4).cells if c.cell_type == "code"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    return images, sum(o.get("output_type") == "error" for o in outputs)


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory):
    """Execute ``notebooks/<stem>.ipynb`` with papermill (quick profile unless given); a NotebookRun.

    The executed copy goes to a temporary folder; figures and ``build/results/<stem>.json`` are written where
    the notebook writes them, as in ``make reproduce``. A results file left by an earlier run is removed
    first, so the test can only read what this run wrote; the run's profile is checked against the one asked.
    Each notebook runs once per session and parameter set: the notebook's tests and the site's share it.
    Notebook 02 gets a History DB of the session's own (a concurrent ``make reproduce`` of the same seed
    cannot clash with it), the same for every caller, so that its run is shared too.
    """
    import papermill as pm

    from bearingkit import paths
    from bearingkit.hpo.history import sqlite_url
    from bearingkit.report import results

    done: dict[tuple, NotebookRun] = {}
    own_history = {"02_lee2026_hybrid_cnn_rnn_hpo": {
        "history_url": sqlite_url(tmp_path_factory.mktemp("history") / "history.db")}}

    def run(stem: str, **parameters) -> NotebookRun:
        parameters = {"profile": "quick", **own_history.get(stem, {}), **parameters}
        key = (stem, *sorted(parameters.items()))
        if key not in done:
            done[key] = _execute(stem, parameters)
        return done[key]

    def _execute(stem: str, parameters: dict) -> NotebookRun:
        results.results_path(stem).unlink(missing_ok=True)
        executed = tmp_path_factory.mktemp("executed") / f"{stem}.ipynb"
        headless = os.environ.get("MPLBACKEND")
        os.environ["MPLBACKEND"] = INLINE_BACKEND  # the kernel inherits it: figures stay in the notebook
        try:
            pm.execute_notebook(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", executed, parameters=parameters,
                                kernel_name="python3", cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False,
                                execution_timeout=NOTEBOOK_CELL_TIMEOUT_S)
        finally:
            os.environ["MPLBACKEND"] = headless or "Agg"
        payload = results.read_results(stem)
        assert payload["meta"]["profile"] == parameters["profile"], "the results file is not this run's"
        images, errors = count_outputs(executed)
        return NotebookRun(payload, executed, images, errors)

    return run
