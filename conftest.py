"""Set-up for every test and docstring example (tests/ and src/bearingkit/): headless drawing and the mirrors.

The data and model mirrors default to the siblings ``../shared/data`` and ``../shared/models`` when the caller
has not named them, as the Makefile does.
"""

from __future__ import annotations

import os
from pathlib import Path

# Headless runs choose their backend where they start: the library never does. Notebook kernels get the
# inline backend instead (tests/conftest.py: run_notebook), so executed notebooks keep their figures.
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent
for _variable, _default in (("BEARINGKIT_DATA_MIRROR", ROOT.parent / "shared" / "data"),
                            ("BEARINGKIT_MODEL_MIRROR", ROOT.parent / "shared" / "models")):
    if not os.environ.get(_variable) and _default.is_dir():
        os.environ[_variable] = str(_default)
