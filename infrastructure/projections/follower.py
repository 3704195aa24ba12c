"""Following the event log: SQLite cannot push new events, so views pull them from
their tracked position, in batches, each batch and its position in one transaction.

``catch_up`` runs before every query (a caller sees what it has just written, whichever
process wrote it) and on a timer in the background (so views stay fresh for other
readers); ``rebuild`` replays the whole log into emptied tables.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import ExitStack

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from infrastructure.projections.view import SqliteView

log = logging.getLogger(__name__)

BATCH = 2000


class Follower:
    def __init__(self, app: Application, projections: Iterable[Projection[SqliteView]]):
        self.app = app
        self.projections = {projection.name: projection for projection in projections}

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def position(self, projection: Projection[SqliteView]) -> int:
        return projection.view.max_tracking_id(self.app.name) or 0

    def catch_up(self, projection: Projection[SqliteView], until: int | None = None) -> None:
        head = self.head() if until is None else until
        while self.position(projection) < head:
            with projection.view.writing():
                # Read inside the write lock: another process may have moved it.
                start = self.position(projection)
                if start < head:
                    self._apply(projection, start, min(head, start + BATCH))

    def catch_up_all(self) -> None:
        head = self.head()
        for projection in self.projections.values():
            self.catch_up(projection, until=head)

    def rebuild(self, progress: Callable[[int], None] = lambda n: None) -> None:
        """Replays the whole log into emptied tables, reading and decoding each event once
        for all views. Each view is rebuilt in one transaction: its readers keep seeing the
        old rows until the new ones are complete."""
        head = self.head()
        projections = list(self.projections.values())
        interested = {
            topic: [p for p in projections if topic in p.topics] for p in projections for topic in p.topics
        }
        with ExitStack() as transactions:
            for projection in projections:
                transactions.enter_context(projection.view.writing())
                projection.view.clear()
            after = 0
            while after < head:
                batch = self.app.recorder.select_notifications(
                    start=after + 1, limit=BATCH, stop=head, topics=list(interested)
                )
                for notification in batch:
                    event = self.app.mapper.to_domain_event(notification)
                    tracking = Tracking(self.app.name, notification.id)
                    for projection in interested[notification.topic]:
                        projection.process_event(event, tracking)
                stop = batch[-1].id if len(batch) == BATCH else head
                progress(stop - after)
                after = stop
            for projection in projections:
                projection.view.insert_tracking(Tracking(self.app.name, head))

    def _apply(self, projection: Projection[SqliteView], after: int, stop: int) -> None:
        """Applies events ``after < id <= stop`` and moves the position to ``stop``, inside
        the caller's transaction. ``stop`` is recorded even when no event of the batch
        concerns this view, so the next call starts after it."""
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=stop - after, stop=stop, topics=projection.topics
        )
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            projection.process_event(event, Tracking(self.app.name, notification.id))
        projection.view.insert_tracking(Tracking(self.app.name, stop))


class Subscriber:
    """Catches every view up as soon as the store announces new events: PostgreSQL
    pushes them (LISTEN/NOTIFY), so views follow without polling. If the subscription
    breaks it is opened again; queries catch up by themselves meanwhile."""

    def __init__(self, follower: Follower):
        self._follower = follower
        self._stopping = threading.Event()
        self._subscription = None
        self._thread = threading.Thread(target=self._run, name="view-subscriber", daemon=True)

    def start(self) -> "Subscriber":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._subscription is not None:
            self._subscription.stop()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with self._follower.app.recorder.subscribe(gt=self._follower.head()) as subscription:
                    self._subscription = subscription
                    self._follower.catch_up_all()
                    for _notification in subscription:
                        self._follower.catch_up_all()
            except Exception:
                log.exception("following the event store's pushes failed; resubscribing")
                self._stopping.wait(1)


class Poller:
    """Catches every view up on a timer, in a daemon thread of the serving process."""

    def __init__(self, follower: Follower, interval: float):
        self._follower = follower
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="view-poller", daemon=True)

    def start(self) -> "Poller":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self._follower.catch_up_all()
            except Exception:  # a query's own catch-up will retry; keep the thread alive
                log.exception("catching up the views failed")
