"""The History DB of Lee et al. (2026), §2.4: one database for every stage's configurations and outcomes.

It holds Optuna's studies (every trial, its parameters, intermediate values, state and user attributes) in
Optuna's RDB storage, and, beside them in the same database, a table of our own records written through
SQLAlchemy: preprocessing candidates and their CSS, the chosen preprocessing, split indices, normalisation
bounds, seeds, top-K lists, out-of-fold posteriors and fusion weights (§2.4 lists exactly these).

Any SQLAlchemy URL works: SQLite by default (``sqlite:////abs/path/history.db``, four slashes for an absolute
path), PostgreSQL (``postgresql+psycopg2://user:pw@host/db``) when several worker processes or machines share
one study. Workers that open an empty database at the same moment race to create its tables: the loser's
failed ``CREATE TABLE`` is retried and then finds the tables in place.

Several workers on one study share three more things through the database. The trial *slots* of a stage
(:meth:`HistoryDB.claim_next_slot`): rows of a table whose primary key lets the database, not the workers,
decide who got a slot, so a stage's trial cap holds exactly. Turns at the queue of trials
(:meth:`HistoryDB.queue_turn`): Optuna's :meth:`~optuna.study.Study.ask` reads the queued trials, then takes
the first one no other worker took meanwhile, and creates a new trial when it finds none; one worker at a
time takes a trial, so the trial a worker saw queued is still there when it asks, and no trial runs twice.
And Optuna's heartbeat: a running trial records one every ``heartbeat_s`` seconds; one silent for
``grace_s`` belonged to a worker that was killed: the next worker to look marks it failed and queues its
parameters again (:func:`queue_again`), so a lost trial neither blocks the stage nor counts against its cap.
"""

from __future__ import annotations

import fcntl
import json
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
SLOTS = sa.Table(
    "bearingkit_trial_slots", _METADATA,
    sa.Column("study_name", sa.String(512), primary_key=True),
    sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
)
#: How many times a lost trial's parameters are queued again before the trial is left failed.
MAX_RERUNS = 2
#: The queue turns of a History DB neither on an SQLite file nor on PostgreSQL (one worker process only).
_PROCESS_TURN = threading.Lock()

__all__ = ["MAX_RERUNS", "RECORDS", "SLOTS", "HistoryDB", "optuna_experimental", "queue_again", "rerun_of",
           "shown_url", "sqlite_url"]


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


def _sqlite_pragmas(connection, _record) -> None:
    """Write-ahead log, synced at checkpoints: a commit costs no fsync (a trial makes about ten commits).

    A crash of the machine may lose the last commits, never corrupts the file; WAL needs a local disk.
    """
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _create_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, **_engine_kwargs(url))
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _file_lock(path: Path) -> Callable[[], None]:
    """Wait for an exclusive lock on the file ``path`` (made if absent); returns what releases it.

    The kernel releases it too when the process dies.
    """
    handle = path.open("a")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle.close


def _advisory_lock(engine: sa.Engine, name: str) -> Callable[[], None]:
    """Wait for PostgreSQL's advisory lock on ``name``; returns what releases it.

    The server releases it too when the connection holding it closes (its process died).
    """
    key = sa.func.hashtext(name)
    connection = engine.connect()
    try:
        connection.execute(sa.select(sa.func.pg_advisory_lock(key)))
        connection.commit()
    except BaseException:
        connection.close()
        raise

    def release() -> None:
        try:
            connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
            connection.commit()
        finally:
            connection.close()

    return release


def _process_lock() -> Callable[[], None]:
    _PROCESS_TURN.acquire()
    return _PROCESS_TURN.release


@contextmanager
def optuna_experimental() -> Iterator[None]:
    """Use what Optuna still calls experimental (heartbeats, their callbacks) without its warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        yield


def queue_again(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
    """Queue a failed trial's parameters again as a new trial, at most :data:`MAX_RERUNS` times in a row.

    Optuna's :class:`~optuna.storages.RetryHeartbeatStaleTrialCallback`: the new trial keeps the failed one's
    parameters and user attributes (phase, slot, LHS index) and records which trial it runs again
    (:func:`rerun_of`); the failed trial stays in the study as FAIL.
    """
    with optuna_experimental():
        optuna.storages.RetryHeartbeatStaleTrialCallback(max_retry=MAX_RERUNS)(study, trial)


def rerun_of(trial: optuna.trial.FrozenTrial) -> int | None:
    """The number of the failed trial that ``trial`` runs again (:func:`queue_again`), or None."""
    with optuna_experimental():
        retried = optuna.storages.RetryHeartbeatStaleTrialCallback.retry_history(trial)
    return retried[-1] if retried else None


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
    heartbeat_s, grace_s : int
        A running trial records a heartbeat every ``heartbeat_s`` seconds; one silent for ``grace_s`` seconds
        is failed and re-run by the next worker (Optuna's ``heartbeat_interval`` and ``grace_period``).

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

    def __init__(self, url: str, *, heartbeat_s: int = 10, grace_s: int = 60):
        if not isinstance(url, str) or "://" not in url:
            raise ParameterError(f"History DB URL must be a SQLAlchemy URL such as sqlite:////abs/path.db, "
                                 f"got {url!r}")
        if not 1 <= heartbeat_s < grace_s:
            raise ParameterError(f"need 1 <= heartbeat_s < grace_s, got {heartbeat_s}, {grace_s}")
        self.url, self.heartbeat_s, self.grace_s = url, heartbeat_s, grace_s
        for attempt in range(3):
            try:
                self.engine = _create_engine(url)
                _METADATA.create_all(self.engine)
                with optuna_experimental():
                    self.storage = optuna.storages.RDBStorage(
                        url, engine_kwargs=_engine_kwargs(url), heartbeat_interval=heartbeat_s,
                        grace_period=grace_s, heartbeat_stale_trial_callback=queue_again)
                if self.engine.dialect.name == "sqlite":    # Optuna's connections too, from now on
                    sa.event.listen(self.storage.engine, "connect", _sqlite_pragmas)
                    self.storage.engine.dispose()
                break
            except sa.exc.SQLAlchemyError as error:     # a worker creating the same tables, or no server
                if attempt == 2:
                    raise self._unreachable(error) from None
                time.sleep(0.2 * (attempt + 1))
            except (ImportError, ValueError, RuntimeError) as error:
                raise self._unreachable(error) from None

    def _unreachable(self, error: Exception) -> ParameterError:
        return ParameterError(f"cannot open the History DB at {shown_url(self.url)}: {type(error).__name__}: "
                              f"{str(error).strip().splitlines()[0]}; check the URL, the server and the "
                              f"driver")

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

    def claim_next_slot(self, study_name: str, limit: int) -> int | None:
        """Claim the study's next free trial slot below ``limit``; None when all are taken.

        Two workers claiming the same slot: the primary key lets one in, the other tries the next slot.
        """
        query = sa.select(sa.func.max(SLOTS.c.slot)).where(SLOTS.c.study_name == study_name)
        while True:
            with self.engine.connect() as connection:
                top = connection.execute(query).scalar()
            slot = 0 if top is None else top + 1
            if slot >= limit:
                return None
            try:
                with self.engine.begin() as connection:
                    connection.execute(SLOTS.insert().values(study_name=study_name, slot=slot))
            except sa.exc.IntegrityError:
                continue
            return slot

    def n_slots(self, study_name: str) -> int:
        """How many trial slots of the study are claimed."""
        query = sa.select(sa.func.count()).select_from(SLOTS).where(SLOTS.c.study_name == study_name)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar())

    @contextmanager
    def queue_turn(self, study_name: str) -> Iterator[Callable[[], None]]:
        """This worker's turn at the study's queue of trials: no other worker takes one until it ends.

        Waits for the turn, then yields a function that ends it early (the container ends it as soon as
        Optuna has handed it a trial); the turn ends at the latest with the ``with`` block. A lock held by one
        process at a time: on SQLite a lock on the file ``<database>-queue.lock`` beside the database (SQLite
        needs its workers on one machine), on PostgreSQL an advisory lock on the study's name; on any other
        database a lock of this process only (run one worker process there). A killed worker's turn ends
        with its process.
        """
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database not in (None, "", ":memory:"):
            release = _file_lock(Path(f"{database}-queue.lock"))
        elif self.engine.dialect.name == "postgresql":
            release = _advisory_lock(self.engine, study_name)
        else:
            release = _process_lock()
        ended = False

        def end_turn() -> None:
            nonlocal ended
            if not ended:
                ended = True
                release()

        try:
            yield end_turn
        finally:
            end_turn()

    def study_names(self) -> list[str]:
        """The Optuna studies held in the database."""
        return [s.study_name for s in optuna.get_all_study_summaries(self.storage)]
