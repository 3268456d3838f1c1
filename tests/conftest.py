"""Fixtures shared by the tests: the data mirror and notebook runs (../conftest.py sets mirrors and outputs).

``make test`` runs the notebook and slow tests in two processes (``-n 2 --dist loadfile
--no-loadscope-reorder``): file by file, longest first (:data:`SCHEDULE`), each to whichever process is free.
The site's test needs every notebook's run: :func:`run_notebook` executes a notebook once per session
whichever process asks first, and a process that asks while the other one runs it waits for that run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pytest

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: The profile each notebook's tests run (quick unless named): notebook 02's quick profile takes about 17
#: minutes on 2 cores (`make reproduce`; its convergence check says which runs reached a plateau); its tests
#: run every stage, run and figure in the smoke profile, whose numbers are no evidence and whose rows say so.
TEST_PROFILES = {"02_lee2026_hybrid_cnn_rnn_hpo": "smoke"}
#: No notebook cell may run longer than this in a test (papermill's execution_timeout). Under `make test`
#: the notebooks' kernels (and notebook 02's worker) share the 2 cores with the other tests: notebook 02's
#: main-run cell once ran past 600 s in a CI check, in the quick profile the tests ran then.
NOTEBOOK_CELL_TIMEOUT_S = 1200
#: The order in which ``make test`` hands its files to the two processes: the notebooks longest first (their
#: runs in a CI check, two at a time: 02's smoke profile 254 s, 01 240 s, 03 155 s, 00 91 s), then the site's
#: (which waits for any notebook still running), then the slow tests, longest first (Lee's worker process
#: 69 s, the History DB's workers about 40 s), which fill whichever process is free.
SCHEDULE = ("test_notebook_02.py", "test_notebook_01.py", "test_notebook_03.py", "test_notebook_00.py",
            "test_site_browser.py", "test_pipeline.py", "test_workers.py")
#: Where a failed run's message is cut in the record another process reads.
ERROR_CHARS = 4_000


def schedule_rank(nodeid: str) -> int:
    """A test file's place in :data:`SCHEDULE` (files not named come after those named)."""
    name = PurePosixPath(nodeid.split("::", 1)[0]).name
    return SCHEDULE.index(name) if name in SCHEDULE else len(SCHEDULE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the collected tests file by file as :data:`SCHEDULE` says (a stable sort: within a file, as
    written). pytest-xdist's ``loadfile`` hands a process the next file when it is almost done with its last,
    in this order under ``--no-loadscope-reorder`` (by number of tests otherwise)."""
    items.sort(key=lambda item: schedule_rank(item.nodeid))


@pytest.fixture
def level_zero_kurtogram():
    """The fast kurtogram (4 levels, 12 kHz) of pure impulses: the raw signal is the most impulsive "band"."""
    from bearingkit.dsp.kurtogram import fast_kurtogram

    x = np.zeros(2**13)
    x[::400] = 1.0
    x += 1e-3 * np.random.default_rng(0).standard_normal(x.size)
    return fast_kurtogram(x, fs=12_000, nlevel=4)


@pytest.fixture
def figures_unlaid(monkeypatch) -> Iterator[None]:
    """Figures drawn without their layout pass, and closed after the test.

    The figure tests check what a figure draws (panels, lines, labels, titles), never where it sits:
    ``Figure.tight_layout``, which measures every tick label of every panel (about a second for a grid of
    panels on two shared cores), does nothing in them. The notebooks' runs lay their figures out.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    monkeypatch.setattr(Figure, "tight_layout", lambda self, *args, **kwargs: None)
    yield
    plt.close("all")


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


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file ``lock`` (made if absent); wait while another process holds it."""
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_name(stem: str, parameters: dict) -> str:
    """``<stem>-<digest of the parameters>``: the name of one run's record and executed notebook."""
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:12]
    return f"{stem}-{digest}"


@pytest.fixture(scope="session")
def run_notebook(testrun_uid):
    """Execute ``notebooks/<stem>.ipynb`` with papermill (:data:`TEST_PROFILES`' profile unless given).

    Each notebook runs once per session and parameter set, in whichever of the session's processes asks
    first: the notebook's tests and the site's share it. The run's record (its results, or its error) and the
    executed copy go to ``test-runs/<session>/`` under the build directory, which ../conftest.py makes the
    session's own; a process that asks for a run another one is executing waits for it (a lock per notebook,
    which also keeps two runs of one notebook from writing its results file and figures at once). Figures and
    ``results/<stem>.json`` are written where the notebook writes them, as in ``make reproduce``; a results
    file left by an earlier run is removed first, so the record can only hold what this run wrote, and the
    run's profile is checked against the one asked. Notebook 02 gets a History DB of the session's own (a
    concurrent ``make reproduce`` of the same seed cannot clash with it), the same for every caller.
    """
    from bearingkit import paths
    from bearingkit.hpo.history import sqlite_url

    runs = paths.BUILD_DIR / "test-runs" / testrun_uid
    runs.mkdir(parents=True, exist_ok=True)
    own_history = {"02_lee2026_hybrid_cnn_rnn_hpo": {"history_url": sqlite_url(runs / "history.db")}}
    done: dict[str, NotebookRun] = {}

    def run(stem: str, **parameters) -> NotebookRun:
        parameters = {"profile": TEST_PROFILES.get(stem, "quick"), **own_history.get(stem, {}), **parameters}
        name = run_name(stem, parameters)
        if name not in done:
            done[name] = _run_once(stem, parameters, runs / f"{name}.json", runs / f"{name}.ipynb")
        return done[name]

    def _run_once(stem: str, parameters: dict, record: Path, executed: Path) -> NotebookRun:
        with exclusive(runs / f"{stem}.lock"):
            if not record.exists():
                try:
                    payload = {"results": _execute(stem, parameters, executed)}
                except BaseException as error:  # a timeout too: no other test may wait for it again
                    record.write_text(json.dumps({"error": f"{type(error).__name__}: {error}"[:ERROR_CHARS]}))
                    raise
                record.write_text(json.dumps(payload))
            saved = json.loads(record.read_text())
        if "error" in saved:
            pytest.fail(f"notebook {stem} failed earlier in this session: {saved['error']}")
        return NotebookRun(saved["results"], executed, *count_outputs(executed))

    return run


def _execute(stem: str, parameters: dict, executed: Path) -> dict:
    """Run the notebook into ``executed``; the results it wrote (checked to be this run's)."""
    import papermill as pm

    from bearingkit import paths
    from bearingkit.report import results

    results.results_path(stem).unlink(missing_ok=True)
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
    return payload
