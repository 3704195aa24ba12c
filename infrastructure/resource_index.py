"""A read model of which resources exist, for listings: one SQLite file, kept by
following the event log from a tracked position.

SQLite cannot push new events, so the index pulls: every query first applies whatever
was recorded since its position, rows and new position in one transaction. Several
processes share the file; ``BEGIN IMMEDIATE`` makes them take turns, so an event is
applied exactly once.
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from domain.catalog import Image, SshKeyPair
from domain.instance import Instance
from domain.network import Network

BATCH = 1000


class SqliteResourceIndex:
    def __init__(self, path: Path, app: Application):
        self._app = app
        self._lock = threading.Lock()  # one connection, shared by the server's threads
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        self._db = sqlite_utils.Database(connection)
        self._create_tables()
        self._appliers = {
            get_topic(Instance.Created): self._instance_created,
            get_topic(Instance.Terminated): self._instance_terminated,
            get_topic(Network.Registered): self._network_registered,
            get_topic(Image.Registered): self._image_registered,
            get_topic(SshKeyPair.Registered): self._ssh_key_pair_registered,
        }

    def _create_tables(self) -> None:
        db = self._db
        db["position"].create({"name": str, "position": int}, pk="name", if_not_exists=True)
        db["instances"].create(
            {
                "instance_id": str,
                "aggregate_id": str,
                "account_id": str,
                "state": str,
                "host_node_id": str,
                "display_name": str,
                "seq": int,
            },
            pk="instance_id",
            if_not_exists=True,
        )
        db["instances"].create_index(["account_id", "seq"], if_not_exists=True)
        db["instances"].create_index(["aggregate_id"], unique=True, if_not_exists=True)
        for table, key in (("networks", "network_id"), ("images", "image_id")):
            db[table].create({key: str, "seq": int}, pk=key, if_not_exists=True)
        db["ssh_key_pairs"].create(
            {"ssh_key_id": str, "account_id": str, "seq": int}, pk="ssh_key_id", if_not_exists=True
        )

    # Queries ---------------------------------------------------------------------------

    def instance_ids(self, account_id, *, state, host_node_id, display_name, start, limit):
        where, params = ["account_id = ?"], [account_id]
        if state == "alive":
            where.append("state != 'terminated'")
        elif state is not None:
            where.append("state = ?")
            params.append(state)
        for column, value in (("host_node_id", host_node_id), ("display_name", display_name)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = " AND ".join(where)
        with self._caught_up():
            total = self._db.execute(f"SELECT count(*) FROM instances WHERE {clause}", params).fetchone()[0]
            rows = self._db.execute(
                f"SELECT instance_id FROM instances WHERE {clause} ORDER BY seq LIMIT ? OFFSET ?",
                [*params, limit, start],
            ).fetchall()
        return total, [row[0] for row in rows]

    def network_ids(self) -> list[str]:
        return self._ids("SELECT network_id FROM networks ORDER BY seq")

    def image_ids(self) -> list[str]:
        return self._ids("SELECT image_id FROM images ORDER BY seq")

    def ssh_key_pair_ids(self, account_id: str) -> list[str]:
        return self._ids(
            "SELECT ssh_key_id FROM ssh_key_pairs WHERE account_id = ? ORDER BY seq", [account_id]
        )

    def _ids(self, sql: str, params: list | None = None) -> list[str]:
        with self._caught_up():
            return [row[0] for row in self._db.execute(sql, params or []).fetchall()]

    # Following the log -----------------------------------------------------------------

    @contextmanager
    def _caught_up(self) -> Iterator[None]:
        with self._lock:
            self.catch_up()
            yield

    def catch_up(self) -> None:
        """Applies every event recorded since the tracked position (callers hold the lock)."""
        recorder = self._app.recorder
        head = recorder.max_notification_id() or 0
        if head <= self._position():
            return
        conn = self._db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            position = self._position()  # another process may have moved it meanwhile
            topics = list(self._appliers)
            while position < head:
                batch = recorder.select_notifications(
                    start=position + 1, limit=BATCH, stop=head, topics=topics
                )
                for notification in batch:
                    event = self._app.mapper.to_domain_event(notification)
                    self._appliers[notification.topic](event, notification.id)
                position = batch[-1].id if len(batch) == BATCH else head
            self._db["position"].upsert({"name": "log", "position": head}, pk="name")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _position(self) -> int:
        row = self._db.execute("SELECT position FROM position WHERE name = 'log'").fetchone()
        return row[0] if row else 0

    def _instance_created(self, event: Instance.Created, seq: int) -> None:
        self._db["instances"].upsert(
            {
                "instance_id": event.instance_id,
                "aggregate_id": event.originator_id.hex,
                "account_id": event.account_id,
                "state": "pending",
                "host_node_id": event.host_node_id,
                "display_name": event.display_name,
                "seq": seq,
            },
            pk="instance_id",
        )

    def _instance_terminated(self, event: Instance.Terminated, seq: int) -> None:
        self._db.execute(
            "UPDATE instances SET state = 'terminated' WHERE aggregate_id = ?",
            [event.originator_id.hex],
        )

    def _network_registered(self, event: Network.Registered, seq: int) -> None:
        self._db["networks"].upsert({"network_id": event.network_id, "seq": seq}, pk="network_id")

    def _image_registered(self, event: Image.Registered, seq: int) -> None:
        self._db["images"].upsert({"image_id": event.image_id, "seq": seq}, pk="image_id")

    def _ssh_key_pair_registered(self, event: SshKeyPair.Registered, seq: int) -> None:
        self._db["ssh_key_pairs"].upsert(
            {"ssh_key_id": event.ssh_key_id, "account_id": event.account_id, "seq": seq}, pk="ssh_key_id"
        )
