"""Set-up for every test and docstring example (tests/ and src/bearingkit/): headless drawing, the mirrors and
output directories of the session's own.

The data and model mirrors default to the siblings ``../shared/data`` and ``../shared/models`` when the caller
has not named them, as the Makefile does. ``BEARINGKIT_BUILD_DIR`` and ``BEARINGKIT_FIGURES_DIR``
(:mod:`bearingkit.paths`) point into one temporary directory unless the caller set them, so that a test run
never replaces the results and figures of ``make reproduce``; they are set here, before anything imports
``bearingkit``, and every notebook kernel the tests start inherits them. The temporary directory is removed
when the session ends; set the variables to keep what the tests wrote. pytest-xdist's worker processes inherit
the variables, so one session's processes share one directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Headless runs choose their backend where they start: the library never does. Notebook kernels get the
# inline backend instead (tests/conftest.py: run_notebook), so executed notebooks keep their figures.
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent
for _variable, _default in (("BEARINGKIT_DATA_MIRROR", ROOT.parent / "shared" / "data"),
                            ("BEARINGKIT_MODEL_MIRROR", ROOT.parent / "shared" / "models")):
    if not os.environ.get(_variable) and _default.is_dir():
        os.environ[_variable] = str(_default)

#: The session's temporary output directory, made by this process (None where the caller or, under
#: pytest-xdist, the controlling process named the output directories).
SESSION_OUTPUTS: Path | None = None
_unset = {variable: folder for variable, folder in (("BEARINGKIT_BUILD_DIR", "build"),
                                                    ("BEARINGKIT_FIGURES_DIR", "figures"))
          if not os.environ.get(variable, "").strip()}
if _unset:
    SESSION_OUTPUTS = Path(tempfile.mkdtemp(prefix="bearingkit-tests-"))
    for _variable, _folder in _unset.items():
        os.environ[_variable] = str(SESSION_OUTPUTS / _folder)


def pytest_unconfigure(config) -> None:
    """Remove the session's temporary output directory (in the process that made it)."""
    if SESSION_OUTPUTS is not None:
        shutil.rmtree(SESSION_OUTPUTS, ignore_errors=True)
