"""The History DB of Lee et al. (2026), §2.4: one database for every stage's configurations and outcomes.

It holds Optuna's studies (every trial, its parameters, intermediate values, state and user attributes) in
Optuna's RDB storage, and, beside them in the same database, a table of our own records written through
SQLAlchemy: preprocessing candidates and their CSS, the chosen preprocessing, split indices, normalisation
bounds, seeds, top-K lists, out-of-fold posteriors and fusion weights (§2.4 lists exactly these).

Any SQLAlchemy URL works: SQLite by default (``sqlite:////abs/path/history.db``, four slashes for an absolute
path), PostgreSQL (``postgresql+psycopg2://user:pw@host/db``) when several worker processes or machines share
one study. Workers that open an empty database at the same moment race to create its tables: the loser's
failed ``CREATE TABLE`` is retried and then finds the tables in place.

Several workers on one study share two more things through the database. The trial *slots* of a stage
(:meth:`HistoryDB.claim_slots`, :meth:`HistoryDB.claim_next_slot`) and its queued trials
(:meth:`HistoryDB.take_trial`): rows of tables whose primary key lets the database, not the workers, decide
who got a slot or a trial, so a stage's trial cap holds exactly and no trial runs twice. And Optuna's
heartbeat: a running trial records one every ``heartbeat_s`` seconds; one silent for ``grace_s`` belonged to
a worker that was killed: the next worker to look marks it failed and queues its parameters again
(:func:`rerun_lost_trial`), so a lost trial neither blocks the stage nor counts against its cap.
"""

from __future__ import annotations

import json
import time
import warnings
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
TAKEN = sa.Table(
    "bearingkit_taken_trials", _METADATA,
    sa.Column("trial_id", sa.Integer, primary_key=True, autoincrement=False),
)
#: How many times a lost trial's parameters are queued again before the trial is left failed.
MAX_RERUNS = 2


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


def rerun_lost_trial(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
    """Queue a lost trial's parameters again (Optuna's stale-trial callback), up to :data:`MAX_RERUNS` times.

    The new trial keeps the lost one's user attributes (phase, slot, LHS index) and names it in ``rerun_of``;
    the lost trial stays in the study as FAIL.
    """
    reruns = trial.user_attrs.get("reruns", 0)
    if reruns >= MAX_RERUNS:
        return
    params = {**trial.system_attrs.get("fixed_params", {}), **trial.params}      # lost before all were set
    kept = {k: v for k, v in trial.user_attrs.items() if k not in ("error", "worker")}
    study.enqueue_trial(params, user_attrs={**kept, "rerun_of": trial.number, "reruns": reruns + 1})


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
                with warnings.catch_warnings():          # heartbeats are "experimental" in Optuna 5
                    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                    self.storage = optuna.storages.RDBStorage(
                        url, engine_kwargs=_engine_kwargs(url), heartbeat_interval=heartbeat_s,
                        grace_period=grace_s, heartbeat_stale_trial_callback=rerun_lost_trial)
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

    def claim_slots(self, study_name: str, slots: range) -> bool:
        """Claim all of ``slots`` of a study at once; False when another worker holds any of them."""
        rows = [{"study_name": study_name, "slot": slot} for slot in slots]
        try:
            with self.engine.begin() as connection:
                connection.execute(SLOTS.insert(), rows)
        except sa.exc.IntegrityError:
            return False
        return True

    def claim_next_slot(self, study_name: str, limit: int) -> int | None:
        """Claim the study's next free slot below ``limit``; None when all are taken."""
        query = sa.select(sa.func.max(SLOTS.c.slot)).where(SLOTS.c.study_name == study_name)
        while True:
            with self.engine.connect() as connection:
                top = connection.execute(query).scalar()
            slot = 0 if top is None else top + 1
            if slot >= limit:
                return None
            if self.claim_slots(study_name, range(slot, slot + 1)):
                return slot

    def n_slots(self, study_name: str) -> int:
        """How many trial slots of the study are claimed."""
        query = sa.select(sa.func.count()).select_from(SLOTS).where(SLOTS.c.study_name == study_name)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar())

    def take_trial(self, trial_id: int) -> bool:
        """Claim a queued Optuna trial for this worker; False when another worker took it first.

        Optuna's own check-then-set of the WAITING state is not atomic on SQLite (its driver reads outside
        the write transaction), so two workers could both run one queued trial: an insert under a primary key
        is atomic on every database.
        """
        try:
            with self.engine.begin() as connection:
                connection.execute(TAKEN.insert().values(trial_id=trial_id))
        except sa.exc.IntegrityError:
            return False
        return True

    def study_names(self) -> list[str]:
        """The Optuna studies held in the database."""
        return [s.study_name for s in optuna.get_all_study_summaries(self.storage)]
