"""Snapshots of large aggregates, so that a freshly started process loads a network with
100,000 past events from its latest snapshot plus the events after it.

The library's snapshot stores the aggregate's attributes as they are, through JSON; but
these aggregates keep addresses as int keys and sizes as value objects, which JSON would
turn into strings and dicts. Each aggregate here says how its state becomes JSON types
and back (``snapshot_state`` / ``from_snapshot_state``), and a snapshot records that
explicitly, with a ``class_version`` of its own for when the shape has to change.
"""

from typing import Any

from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.utils import get_topic, resolve_topic

_BASE = ("_id", "_version", "_pending_events")


class StateSnapshot(Snapshot):
    class_version = 1

    @classmethod
    def take(cls, aggregate: "Snapshotted") -> "StateSnapshot":
        return cls(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(type(aggregate)),
            state=aggregate.snapshot_state(),
        )

    def mutate(self, _: None) -> "Snapshotted":
        cls: type[Snapshotted] = resolve_topic(self.topic)
        aggregate = object.__new__(cls)
        state = cls.from_snapshot_state(dict(self.state))
        state.update(_id=self.originator_id, _version=self.originator_version, _pending_events=[])
        object.__setattr__(aggregate, "__dict__", state)
        return aggregate


class Snapshotted(Aggregate):
    """Mixed into aggregates worth snapshotting. Override the two conversions for
    attributes that are not plain JSON types; the rest are kept as they are."""

    # The library takes an aggregate's nested ``Snapshot`` class before the application's.
    Snapshot = StateSnapshot

    def snapshot_state(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if key not in _BASE}

    @classmethod
    def from_snapshot_state(cls, state: dict[str, Any]) -> dict[str, Any]:
        return state
