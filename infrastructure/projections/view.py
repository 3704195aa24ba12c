"""A materialised view in its own SQLite file: tables kept with sqlite-utils, and the
position in the event log it has applied, written in the same transaction as the rows.

Several processes may share one view file. A writer takes the file's write lock first
(``BEGIN IMMEDIATE``) and then reads the position, so two processes never apply the same
events; the position only ever moves forward, so an event is applied exactly once.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils
from eventsourcing.persistence import Tracking, TrackingRecorder


class SqliteView(TrackingRecorder):
    """Subclasses declare their tables in ``create_tables`` and their queries."""

    def __init__(self, path: Path, lock_timeout: float = 30):
        self.path = path
        self._lock = threading.RLock()  # one connection, shared by the server's threads
        connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=lock_timeout
        )
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        # Rows can always be rebuilt from the event log: no need to wait for the disk.
        connection.execute("PRAGMA synchronous=NORMAL")
        self.db = sqlite_utils.Database(connection)
        self._inserts: dict[tuple[str, tuple[str, ...]], str] = {}
        with self.writing():
            self.db["tracking"].create(
                {"application_name": str, "notification_id": int}, pk="application_name", if_not_exists=True
            )
            self.create_tables()

    def create_tables(self) -> None:
        raise NotImplementedError

    def table_names(self) -> list[str]:
        return [name for name in self.db.table_names() if name != "tracking"]

    # The library's TrackingRecorder interface -------------------------------------------

    def max_tracking_id(self, application_name: str) -> int | None:
        with self._lock:
            row = self.db.execute(
                "SELECT notification_id FROM tracking WHERE application_name = ?", [application_name]
            ).fetchone()
        return row[0] if row else None

    def insert_tracking(self, tracking: Tracking) -> None:
        """Moves the position forward; called inside ``writing()`` with the rows."""
        updated = self.db.execute(
            "INSERT INTO tracking VALUES (?, ?) ON CONFLICT (application_name) DO UPDATE "
            "SET notification_id = excluded.notification_id "
            "WHERE tracking.notification_id < excluded.notification_id RETURNING notification_id",
            [tracking.application_name, tracking.notification_id],
        ).fetchone()
        if updated is None:
            raise RuntimeError(f"{self.path.name}: position would not advance to {tracking.notification_id}")

    # Transactions -----------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, holding the file's write lock from its first statement."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite_utils.Database]:
        with self._lock:
            yield self.db

    def facts(self, application_name: str) -> tuple[int, dict[str, Any]]:
        """The position and the content ``verify`` compares with its replay, read in one
        transaction so that they match."""
        with self._lock:
            self.db.execute("BEGIN")
            try:
                return self.max_tracking_id(application_name) or 0, self.content()
            finally:
                self.db.execute("COMMIT")

    def content(self) -> dict[str, Any]:
        raise NotImplementedError

    def insert(self, table: str, row: dict[str, Any]) -> None:
        """A plain INSERT inside ``writing()``: sqlite-utils' ``insert`` inspects the table
        on every call, which made rebuilds three times slower."""
        columns = tuple(row)
        statement = self._inserts.get((table, columns))
        if statement is None:
            names = ", ".join(f"[{column}]" for column in columns)
            statement = f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})"
            self._inserts[(table, columns)] = statement
        self.db.conn.execute(statement, list(row.values()))

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(row) for row in self.db.execute(sql, params).fetchall()]

    def clear(self) -> None:
        """Empties every table and the position: called inside ``writing()`` to rebuild."""
        for name in self.table_names():
            self.db.execute(f"DELETE FROM [{name}]")
        self.db.execute("DELETE FROM tracking")

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()
