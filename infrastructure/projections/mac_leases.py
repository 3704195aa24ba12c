"""MAC ranges and who holds each MAC now."""

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.mac_pool import MacPool, MacRange
from infrastructure.projections.view import SqliteView


class MacLeasesView(SqliteView):
    def create_tables(self) -> None:
        self.db["mac_ranges"].create(
            {
                "range_id": str, "vendor_id": str, "range_begin": str, "range_end": str,
                "first_int": int, "last_int": int, "display_name": str, "created_at": str, "seq": int,
            },
            pk="range_id", if_not_exists=True,
        )  # fmt: skip
        self.db["mac_leases"].create(
            {"mac_addr": str, "mac_int": int, "instance_id": str, "vif_id": str, "since": str,
             "scheduled": bool},
            pk="mac_addr", if_not_exists=True,
        )  # fmt: skip
        self.db["mac_leases"].create_index(["mac_int"], if_not_exists=True)

    def content(self) -> dict[str, Any]:
        leases = self.db.execute("SELECT mac_addr, instance_id, vif_id FROM mac_leases")
        ranges = self.db.execute("SELECT range_id FROM mac_ranges ORDER BY range_id")
        return {"mac_leases": {m: f"{i} {v}" for m, i, v in leases}, "mac_ranges": [r[0] for r in ranges]}

    def report(self, range_id: str | None = None) -> list[dict[str, Any]]:
        """The ranges, each with ``used``: how many of its MACs are held."""
        where, params = ("WHERE r.range_id = ?", [range_id]) if range_id else ("", [])
        return self.rows(
            "SELECT r.*, (SELECT count(*) FROM mac_leases l"
            f" WHERE l.mac_int BETWEEN r.first_int AND r.last_int) AS used FROM mac_ranges r {where}"
            " ORDER BY r.seq",
            params,
        )


class MacLeasesProjection(Projection[MacLeasesView]):
    name = "mac_leases"
    topics = tuple(get_topic(cls) for cls in (MacPool.RangeAdded, MacPool.MacAssigned, MacPool.MacReleased))

    @singledispatchmethod
    def process_event(self, event: Any, tracking: Tracking) -> None:
        pass

    @process_event.register
    def _(self, event: MacPool.RangeAdded, tracking: Tracking) -> None:
        mac_range = MacRange(
            event.range_id, event.vendor_id, event.range_begin, event.range_end, event.display_name
        )
        self.view.insert("mac_ranges", {
            "range_id": event.range_id, "vendor_id": event.vendor_id, "range_begin": event.range_begin,
            "range_end": event.range_end, "first_int": mac_range.first, "last_int": mac_range.last,
            "display_name": event.display_name, "created_at": event.timestamp.isoformat(),
            "seq": tracking.notification_id,
        })  # fmt: skip

    @process_event.register
    def _(self, event: MacPool.MacAssigned, tracking: Tracking) -> None:
        self.view.insert("mac_leases", {
            "mac_addr": event.mac_addr, "mac_int": int(event.mac_addr, 16), "instance_id": event.instance_id,
            "vif_id": event.vif_id, "since": event.timestamp.isoformat(), "scheduled": event.scheduled,
        })  # fmt: skip

    @process_event.register
    def _(self, event: MacPool.MacReleased, tracking: Tracking) -> None:
        self.view.db.execute("DELETE FROM mac_leases WHERE mac_addr = ?", [event.mac_addr])
