"""Real, checksummed bearing data: one registry, one fetcher, one loader per data set, and segmentation.

>>> from bearingkit.data import load_cwru, cwru_files, segment
>>> recordings = [load_cwru(n) for n in cwru_files("12k_DE", location=["IR", "B"], size=0.007, load=0)]
>>> [(r.source, r.label) for r in recordings]
[('cwru/105.mat', 'inner'), ('cwru/118.mat', 'ball')]
>>> windows = segment(recordings, length=2048, hop=1024)
>>> windows.X.shape[1:], sorted(set(windows.groups["record"]))
((2048,), ['cwru/105.mat', 'cwru/118.mat'])

Pretrained model files are fetched like data: ``fetch_model("yamnet/yamnet_scores_spectrogram.tflite")``.

``python -m bearingkit.data fetch`` fetches and verifies every pinned file; ``... verify`` checks the
cache and the mirror. See :mod:`bearingkit.data.fetching` for ``BEARINGKIT_CACHE``,
``BEARINGKIT_DATA_MIRROR``, ``BEARINGKIT_MODEL_MIRROR`` and ``BEARINGKIT_ALLOW_UNPINNED``.
"""

from bearingkit.data.cwru import catalogue as cwru_catalogue
from bearingkit.data.cwru import cwru_files, load_cwru
from bearingkit.data.fetching import fetch, fetch_model, files_read
from bearingkit.data.mafaulda import read_mafaulda_csv
from bearingkit.data.mfpt import load_mfpt
from bearingkit.data.paderborn import load_paderborn_preprocessed
from bearingkit.data.registry import dataset_info, entries, list_datasets, list_models, model_entries
from bearingkit.data.segment import Segments, concat_segments, segment, spread_windows

__all__ = [
    "Segments",
    "concat_segments",
    "cwru_catalogue",
    "cwru_files",
    "dataset_info",
    "entries",
    "fetch",
    "fetch_model",
    "files_read",
    "list_datasets",
    "list_models",
    "load_cwru",
    "load_mfpt",
    "load_paderborn_preprocessed",
    "model_entries",
    "read_mafaulda_csv",
    "segment",
    "spread_windows",
]
