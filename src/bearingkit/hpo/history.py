"""The History DB of Lee et al. (2026), §2.4: one database for every stage's configurations and outcomes.

It holds Optuna's studies (every trial, its parameters, intermediate values, state and user attributes) in
Optuna's RDB storage, and, beside them in the same database, a table of our own records written through
SQLAlchemy: preprocessing candidates and their CSS, the chosen preprocessing, split indices, normalisation
bounds, seeds, top-K lists, out-of-fold posteriors and fusion weights (§2.4 lists exactly these).

Any SQLAlchemy URL works: SQLite by default (``sqlite:////abs/path/history.db``, four slashes for an absolute
path), PostgreSQL (``postgresql+psycopg2://user:pw@host/db``) when several worker processes or machines share
one study. The storage is created once, by :class:`HistoryDB`, before any worker starts.
"""

from __future__ import annotations

import json
from pathlib import Path

import optuna
import pandas as pd
import sqlalchemy as sa

from bearingkit.errors import ParameterError
from bearingkit.hpo.space import plain

_METADATA = sa.MetaData()
RECORDS = sa.Table(
    "bearingkit_records", _METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("stage", sa.String(64), nullable=False, index=True),
    sa.Column("key", sa.String(128), nullable=False, index=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created", sa.DateTime, server_default=sa.func.now()),
)


def sqlite_url(path) -> str:
    """``sqlite:////abs/path``: the URL of an SQLite file, made absolute (relative URLs depend on the cwd)."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def shown_url(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparseable URL>"


def _engine_kwargs(url: str) -> dict:
    # Several processes on one SQLite file wait for each other's write lock instead of failing at once.
    return {"connect_args": {"timeout": 60}} if url.startswith("sqlite") else {"pool_pre_ping": True}


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    return plain(value)


class HistoryDB:
    """Open (creating once) the History DB at ``url``: Optuna's storage plus our records table.

    Parameters
    ----------
    url : str
        A SQLAlchemy URL (see the module docstring).

    Raises
    ------
    ParameterError
        When the database cannot be opened; the message names the URL with its password hidden.

    Examples
    --------
    >>> import tempfile
    >>> db = HistoryDB(sqlite_url(tempfile.mkdtemp() + "/h.db"))
    >>> db.put("stage1", "chosen", {"band_hz": [2000, 4000]})
    >>> db.get("stage1", "chosen")
    {'band_hz': [2000, 4000]}
    """

    def __init__(self, url: str):
        if not isinstance(url, str) or "://" not in url:
            raise ParameterError(f"History DB URL must be a SQLAlchemy URL such as sqlite:////abs/path.db, "
                                 f"got {url!r}")
        self.url = url
        try:
            self.storage = optuna.storages.RDBStorage(url, engine_kwargs=_engine_kwargs(url))
            self.engine = sa.create_engine(url, **_engine_kwargs(url))
            _METADATA.create_all(self.engine)
        except (sa.exc.SQLAlchemyError, ImportError, ValueError, RuntimeError) as error:
            raise ParameterError(f"cannot open the History DB at {shown_url(url)}: {type(error).__name__}: "
                                 f"{str(error).splitlines()[0]}; check the URL, the server and the "
                                 f"driver") from None

    def __repr__(self) -> str:
        return f"HistoryDB({shown_url(self.url)!r})"

    def put(self, stage: str, key: str, value) -> None:
        """Record ``value`` (anything JSON can hold; NumPy arrays and scalars are converted)."""
        text = json.dumps(_jsonable(value), allow_nan=True)
        with self.engine.begin() as connection:
            connection.execute(RECORDS.insert().values(stage=stage, key=key, value=text))

    def get(self, stage: str, key: str):
        """The latest value recorded under ``(stage, key)``.

        Raises
        ------
        KeyError
            Nothing recorded there.
        """
        query = (sa.select(RECORDS.c.value).where(RECORDS.c.stage == stage, RECORDS.c.key == key)
                 .order_by(RECORDS.c.id.desc()).limit(1))
        with self.engine.connect() as connection:
            text = connection.execute(query).scalar()
        if text is None:
            raise KeyError(f"the History DB holds no record {stage!r}/{key!r}")
        return json.loads(text)

    def records(self, stage: str | None = None) -> pd.DataFrame:
        """Every record (of one stage), oldest first: columns stage, key, value (decoded), created."""
        query = sa.select(RECORDS).order_by(RECORDS.c.id)
        if stage is not None:
            query = query.where(RECORDS.c.stage == stage)
        with self.engine.connect() as connection:
            table = pd.DataFrame(connection.execute(query).mappings().all(),
                                 columns=["id", "stage", "key", "value", "created"])
        table["value"] = table["value"].map(json.loads)
        return table

    def study_names(self) -> list[str]:
        """The Optuna studies held in the database."""
        return [s.study_name for s in optuna.get_all_study_summaries(self.storage)]
