"""Every path of the compendium, derived from the repository root (never from the working directory).

``BEARINGKIT_ROOT`` overrides the root (an installed, non-editable package has no repository around it);
``BEARINGKIT_CACHE`` overrides the raw-data cache; ``BEARINGKIT_DATA_MIRROR`` names a read-only mirror
directory that holds the data files already (``../shared/data`` on the project's machines).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(os.environ.get("BEARINGKIT_ROOT", Path(__file__).resolve().parents[2])).resolve()
DATA_DIR = PROJ_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
FIGURES_DIR = PROJ_ROOT / "figures"
BUILD_DIR = PROJ_ROOT / "build"
RESULTS_DIR = BUILD_DIR / "results"


def cache_dir() -> Path:
    """Directory where fetched raw files live: ``$BEARINGKIT_CACHE`` or ``data/raw``."""
    return Path(os.environ.get("BEARINGKIT_CACHE", DATA_DIR / "raw")).expanduser().resolve()


def mirror_dir() -> Path | None:
    """Read-only mirror of the data sets named by ``$BEARINGKIT_DATA_MIRROR``, or None when unset."""
    value = os.environ.get("BEARINGKIT_DATA_MIRROR", "").strip()
    return Path(value).expanduser().resolve() if value else None
