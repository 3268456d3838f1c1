"""The registries of data and model files (file id -> public URL, sha256, size) and what each data set is.

The tables live in package data, one row per file: ``bearingkit/registry/files.tsv`` for data, keyed by the
file id ``<dataset>/<file>`` (``"cwru/105.mat"``), and ``bearingkit/registry/models.tsv`` for pretrained
models, keyed by ``<model>/<file>`` (``"yamnet/yamnet_scores_spectrogram.tflite"``). Pinned rows carry the
sha256 and size of a verified copy; rows whose hash is not yet pinned say ``unpinned`` and are fetched only on
request (see :mod:`bearingkit.data.fetching`).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

from bearingkit.errors import UnknownNameError

__all__ = ["DATASETS", "DatasetInfo", "Entry", "KINDS", "UNPINNED", "dataset_info", "entries", "entry",
           "list_datasets", "list_models", "model_entries", "model_entry"]

UNPINNED = "unpinned"
#: The two kinds of registered file: a data set's file, or a pretrained model's.
KINDS = ("data", "model")


@dataclass(frozen=True)
class Entry:
    """One registered file.

    Parameters
    ----------
    dataset : str
        Data-set key (``"cwru"``, ``"paderborn"``, ``"mfpt"``, ``"mafaulda"``), or the model's name
        (``"yamnet"``) for a model file.
    file : str
        File name, as the mirror and the cache store it (``<dataset>/<file>``).
    url : str
        Public URL the file is downloaded from.
    sha256 : str or None
        Pinned SHA-256 (hex); None when not yet pinned.
    size : int or None
        Size in bytes of the pinned copy; None when unknown.
    git_sha1 : str or None
        Git blob id of a known-good copy, when one is documented (checked as well as the sha256).
    note : str
        Where the pin came from, or what the file is.
    kind : str
        ``"data"`` (from ``files.tsv``) or ``"model"`` (from ``models.tsv``): decides the cache folder and the
        mirror variable.
    """

    dataset: str
    file: str
    url: str
    sha256: str | None
    size: int | None
    git_sha1: str | None
    note: str
    kind: str = "data"

    @property
    def key(self) -> str:
        """File id, ``<dataset>/<file>``."""
        return f"{self.dataset}/{self.file}"

    @property
    def pinned(self) -> bool:
        """True when the registry holds the file's sha256."""
        return self.sha256 is not None


@dataclass(frozen=True)
class DatasetInfo:
    """What a data set is, who publishes it, under which licence, and how to cite it."""

    key: str
    name: str
    publisher: str
    url: str
    licence: str
    citation: str
    notes: str


DATASETS: dict[str, DatasetInfo] = {
    "cwru": DatasetInfo(
        key="cwru",
        name="Case Western Reserve University bearing data",
        publisher="CWRU Bearing Data Center, Case School of Engineering",
        url="https://engineering.case.edu/bearingdatacenter",
        licence="none stated; offered for free download by the data center, which asks to be cited",
        citation=("Case Western Reserve University Bearing Data Center, "
                  "https://engineering.case.edu/bearingdatacenter. W. A. Smith and R. B. Randall, Rolling "
                  "element bearing diagnostics using the Case Western Reserve University data: a benchmark "
                  "study, Mech. Syst. Signal Process. 64-65 (2015) 100-131, "
                  "doi:10.1016/j.ymssp.2015.04.021."),
        notes=("SKF 6205-2RS JEM drive-end bearing, EDM seeded faults, loads 0-3 HP. Metadata come from the "
               "data center's numbering (bearingkit/registry/cwru_catalogue.csv). The normal baseline files "
               "are read at 48 kHz: see bearingkit.dsp.sampling_rate."),
    ),
    "paderborn": DatasetInfo(
        key="paderborn",
        name="Paderborn University (KAt) bearing data",
        publisher="KAt-DataCenter, Chair of Design and Drive Technology, Paderborn University",
        url="https://mb.uni-paderborn.de/en/kat/main-research/datacenter/bearing-datacenter",
        licence="CC BY-NC 4.0 (as quoted by public loaders); citation required",
        citation=("C. Lessmeier, J. K. Kimotho, D. Zimmer and W. Sextro, Condition monitoring of bearing "
                  "damage in electromechanical drive systems by using motor current signals of electric "
                  "motors: a benchmark data set for data-driven classification, PHM Society European "
                  "Conference 3(1), 2016. Preprocessed KATData0-3.mat: C. Yang, K. Zhou and J. Liu, "
                  "SuperGraph: spatial-temporal graph-based feature extraction for rotating machinery "
                  "diagnosis, IEEE Trans. Ind. Electron., 2022 (github.com/ChaoyingYang/SuperGraph)."),
        notes=("Registered: the four preprocessed SuperGraph files (300 x 2560 segments at 64 kHz, one file "
               "per operating condition, bearing codes undocumented) and the 32 original per-bearing "
               ".rar archives (pinned from the bearing-datasets 0.3.0 lock; not mirrored)."),
    ),
    "mfpt": DatasetInfo(
        key="mfpt",
        name="MFPT bearing fault data",
        publisher="Society for Machinery Failure Prevention Technology (data prepared by E. Bechhoefer)",
        url="http://data-acoustics.com/measurements/bearing-faults/bearing-2/",
        licence=("CC BY-NC-SA 4.0 (github.com/mathworks/RollingElementBearingFaultDiagnosis-Data); other "
                 "commercial use needs the owner's permission"),
        citation=("E. Bechhoefer, Condition based maintenance fault database for testing diagnostics and "
                  "prognostic algorithms, MFPT data, 2013. Files as reorganised by MathWorks in "
                  "mathworks/RollingElementBearingFaultDiagnosis-Data."),
        notes=("7 inner-race and 7 outer-race files at variable load, 48828 Hz, 25 Hz shaft; no baseline. "
               "The complete original archive (baselines included) is registered too, pinned from the "
               "bearing-datasets 0.3.0 lock, not mirrored."),
    ),
    "mafaulda": DatasetInfo(
        key="mafaulda",
        name="MAFAULDA machinery fault database",
        publisher="Signal, Multimedia and Telecommunications Lab (SMT), COPPE/UFRJ",
        url="http://www02.smt.ufrj.br/~offshore/mfs/page_01.html",
        licence="none stated",
        citation=("D. R. Marins, F. M. L. Ribeiro, S. L. Netto and E. A. B. da Silva, Improved "
                  "similarity-based modeling for the classification of rotating-machine failures, Journal of "
                  "the Franklin Institute 355 (2018)."),
        notes=("1951 CSV files of 5 s, 8 columns, documented at 50 kHz (the acquisition modules run at "
               "51.2 kHz: read_mafaulda_csv takes fs). Bearing classes are ball, cage and outer race faults "
               "under- and overhang, with 0/6/20/35 g added mass. Archives only, none mirrored: the six "
               "part archives are pinned from the bearing-datasets 0.3.0 lock, full.zip is unpinned."),
    ),
}


def _parse(text: str, *, kind: str) -> dict[str, Entry]:
    """Rows of a registry table; the first column names the data set (``dataset``) or model (``model``)."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    group = "dataset" if kind == "data" else "model"
    table: dict[str, Entry] = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
        entry = Entry(
            dataset=row[group],
            file=row["file"],
            url=row["url"],
            sha256=None if row["sha256"] == UNPINNED else row["sha256"].lower(),
            size=int(row["bytes"]) if row["bytes"] else None,
            git_sha1=row["git_sha1"] or None,
            note=row["note"],
            kind=kind,
        )
        table[entry.key] = entry
    return table


def _read_table(name: str, *, kind: str) -> dict[str, Entry]:
    text = resources.files("bearingkit").joinpath("registry", name).read_text(encoding="utf-8")
    return _parse(text, kind=kind)


@functools.cache
def _registry() -> dict[str, Entry]:
    return _read_table("files.tsv", kind="data")


@functools.cache
def _model_registry() -> dict[str, Entry]:
    return _read_table("models.tsv", kind="model")


def list_datasets() -> tuple[str, ...]:
    """Keys of the registered data sets, sorted."""
    return tuple(sorted(DATASETS))


def dataset_info(key: str) -> DatasetInfo:
    """Licence, citation, URL and notes of a data set.

    Raises
    ------
    UnknownNameError
        ``key`` is not a registered data set (the message lists the valid ones).
    """
    if key not in DATASETS:
        raise UnknownNameError(f"unknown data set {key!r}; valid data sets: {', '.join(list_datasets())}")
    return DATASETS[key]


def entries(dataset: str | None = None, *, pinned: bool | None = None) -> list[Entry]:
    """Registered files, optionally of one data set and only pinned (True) or unpinned (False) ones."""
    if dataset is not None:
        dataset_info(dataset)
    return [e for e in _registry().values()
            if (dataset is None or e.dataset == dataset) and (pinned is None or e.pinned == pinned)]


def entry(key: str) -> Entry:
    """The registry row of file id ``key`` (``"cwru/105.mat"``).

    Raises
    ------
    UnknownNameError
        Unknown data set or unknown file; the message lists the valid ones.
    """
    dataset, _, name = key.partition("/")
    dataset_info(dataset)
    table = _registry()
    if key not in table:
        valid = ", ".join(e.file for e in entries(dataset))
        raise UnknownNameError(f"unknown file {name!r} in data set {dataset!r}; valid files: {valid}")
    return table[key]


def list_models() -> tuple[str, ...]:
    """Names of the models with registered files, sorted."""
    return tuple(sorted({e.dataset for e in _model_registry().values()}))


def model_entries(model: str | None = None) -> list[Entry]:
    """Registered model files, optionally of one model (``"yamnet"``).

    Raises
    ------
    UnknownNameError
        ``model`` has no registered file (the message lists the models that have).
    """
    if model is not None and model not in list_models():
        raise UnknownNameError(f"unknown model {model!r}; registered models: {', '.join(list_models())}")
    return [e for e in _model_registry().values() if model is None or e.dataset == model]


def model_entry(key: str) -> Entry:
    """The registry row of model file ``key`` (``"yamnet/yamnet_scores_spectrogram.tflite"``).

    Raises
    ------
    UnknownNameError
        Unknown model or unknown file; the message lists the valid ones.
    """
    model, _, name = key.partition("/")
    valid = ", ".join(e.key for e in model_entries(model))
    table = _model_registry()
    if key not in table:
        raise UnknownNameError(f"unknown file {name!r} of model {model!r}; valid files: {valid}")
    return table[key]
