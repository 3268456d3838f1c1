"""Every path of the compendium, derived from the repository root (never from the working directory).

``BEARINGKIT_ROOT`` overrides the root (an installed, non-editable package has no repository around it);
``BEARINGKIT_CACHE`` overrides the raw-data cache (pretrained models are cached in its ``models/`` folder);
``BEARINGKIT_DATA_MIRROR`` names a read-only mirror directory that holds the data files already
(``../shared/data`` on the project's machines), ``BEARINGKIT_MODEL_MIRROR`` one that holds the pretrained
model files (``../shared/models``). The root is read once, at import; the cache and the mirrors are read at
every call, so a test or a notebook can change them.
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


def _directory_from(variable: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser().resolve() if value else None


def cache_dir() -> Path:
    """Directory where fetched raw data files live: ``$BEARINGKIT_CACHE`` or ``data/raw``."""
    return _directory_from("BEARINGKIT_CACHE") or DATA_DIR / "raw"


def model_cache_dir() -> Path:
    """Directory where fetched pretrained model files live: the ``models`` folder of :func:`cache_dir`."""
    return cache_dir() / "models"


def mirror_dir() -> Path | None:
    """Read-only mirror of the data sets named by ``$BEARINGKIT_DATA_MIRROR``, or None when unset."""
    return _directory_from("BEARINGKIT_DATA_MIRROR")


def model_mirror_dir() -> Path | None:
    """Read-only mirror of the pretrained models named by ``$BEARINGKIT_MODEL_MIRROR``, or None when unset."""
    return _directory_from("BEARINGKIT_MODEL_MIRROR")
