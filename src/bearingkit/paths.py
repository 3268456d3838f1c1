"""Every path of the compendium, derived from the repository root (never from the working directory).

Environment variables:

``BEARINGKIT_ROOT``
    The repository root (an installed, non-editable package has no repository around it); a relative value is
    taken from the working directory.
``BEARINGKIT_BUILD_DIR``
    Where runs write (default ``<root>/build``): the executed notebooks, ``results/<notebook>.json``
    (:data:`RESULTS_DIR`), the site. The tests set it to a temporary directory (``conftest.py``), so that
    ``make test`` never replaces what ``make reproduce`` wrote.
``BEARINGKIT_FIGURES_DIR``
    Where figures go (default ``<root>/figures``); the tests move it as they move the build directory.
``BEARINGKIT_CACHE``
    The raw-data cache (default ``<root>/data/raw``); pretrained models are cached in its ``models/`` folder.
``BEARINGKIT_DATA_MIRROR``, ``BEARINGKIT_MODEL_MIRROR``
    Read-only mirror directories that hold the data files (``../shared/data`` on the project's machines) and
    the pretrained model files (``../shared/models``) already.

A relative build or figures directory is taken from the root, whatever the working directory (a notebook's
kernel runs in ``notebooks/``). The root, the build and the figures directories are read once, at import (a
notebook's kernel inherits them from the process that starts it); the cache and the mirrors are read at every
call, so a test or a notebook can change them.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["BUILD_DIR", "DATA_DIR", "FIGURES_DIR", "NOTEBOOKS_DIR", "PROJ_ROOT", "REFERENCE_DIR",
           "RESULTS_DIR", "cache_dir", "mirror_dir", "model_cache_dir", "model_mirror_dir"]


def _directory_from(variable: str, *, relative_to: Path | None = None) -> Path | None:
    """The directory named by ``$variable`` (``~`` expanded, made absolute), or None when unset or blank."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    directory = Path(value).expanduser()
    return (relative_to / directory if relative_to else directory).resolve()


PROJ_ROOT = Path(os.environ.get("BEARINGKIT_ROOT", Path(__file__).resolve().parents[2])).resolve()
DATA_DIR = PROJ_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
FIGURES_DIR = _directory_from("BEARINGKIT_FIGURES_DIR", relative_to=PROJ_ROOT) or PROJ_ROOT / "figures"
BUILD_DIR = _directory_from("BEARINGKIT_BUILD_DIR", relative_to=PROJ_ROOT) or PROJ_ROOT / "build"
RESULTS_DIR = BUILD_DIR / "results"


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
