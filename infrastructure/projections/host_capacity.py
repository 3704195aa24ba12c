"""Each host node's offering, what its instances have reserved and what is left."""

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.host_node import ONLINE, HostNode
from infrastructure.projections.view import SqliteView

_COLUMNS = (
    "host_node_id, node_id, arch, hypervisor, status, offering_cpu_cores, offering_memory_size,"
    " reserved_cpu_cores, reserved_memory_size,"
    " offering_cpu_cores - reserved_cpu_cores AS available_cpu_cores,"
    " offering_memory_size - reserved_memory_size AS available_memory_size, instances, created_at"
)


class HostCapacityView(SqliteView):
    def create_tables(self) -> None:
        self.db["host_nodes"].create(
            {
                "host_node_id": str, "aggregate_id": str, "node_id": str, "arch": str, "hypervisor": str,
                "status": str, "offering_cpu_cores": int, "offering_memory_size": int,
                "reserved_cpu_cores": int, "reserved_memory_size": int, "instances": int,
                "created_at": str, "seq": int,
            },
            pk="host_node_id", if_not_exists=True,
        )  # fmt: skip
        self.db["host_nodes"].create_index(["aggregate_id"], unique=True, if_not_exists=True)

    def content(self) -> dict[str, Any]:
        rows = self.db.execute(
            "SELECT host_node_id, status, reserved_cpu_cores, reserved_memory_size, instances FROM host_nodes"
        )
        return {"hosts": {row[0]: list(row[1:]) for row in rows}}

    def hosts(self, host_node_id: str | None = None) -> list[dict[str, Any]]:
        if host_node_id is None:
            return self.rows(f"SELECT {_COLUMNS} FROM host_nodes ORDER BY seq")
        return self.rows(f"SELECT {_COLUMNS} FROM host_nodes WHERE host_node_id = ?", [host_node_id])


class HostCapacityProjection(Projection[HostCapacityView]):
    name = "host_capacity"
    topics = tuple(
        get_topic(cls)
        for cls in (
            HostNode.Registered,
            HostNode.StatusChanged,
            HostNode.CapacityReserved,
            HostNode.CapacityReleased,
        )
    )

    @singledispatchmethod
    def process_event(self, event: Any, tracking: Tracking) -> None:
        pass

    @process_event.register
    def _(self, event: HostNode.Registered, tracking: Tracking) -> None:
        self.view.insert("host_nodes", {
            "host_node_id": event.host_node_id, "aggregate_id": event.originator_id.hex,
            "node_id": event.node_id, "arch": event.arch, "hypervisor": event.hypervisor, "status": ONLINE,
            "offering_cpu_cores": event.offering_cpu_cores,
            "offering_memory_size": event.offering_memory_size,
            "reserved_cpu_cores": 0, "reserved_memory_size": 0, "instances": 0,
            "created_at": event.timestamp.isoformat(), "seq": tracking.notification_id,
        })  # fmt: skip

    @process_event.register
    def _(self, event: HostNode.StatusChanged, tracking: Tracking) -> None:
        self._update(event, "status = ?", [event.status])

    @process_event.register
    def _(self, event: HostNode.CapacityReserved, tracking: Tracking) -> None:
        self._update(
            event,
            "reserved_cpu_cores = reserved_cpu_cores + ?, reserved_memory_size = reserved_memory_size + ?,"
            " instances = instances + 1",
            [event.cpu_cores, event.memory_size],
        )

    @process_event.register
    def _(self, event: HostNode.CapacityReleased, tracking: Tracking) -> None:
        self._update(
            event,
            "reserved_cpu_cores = reserved_cpu_cores - ?, reserved_memory_size = reserved_memory_size - ?,"
            " instances = instances - 1",
            [event.cpu_cores, event.memory_size],
        )

    def _update(self, event: Any, assignments: str, params: list[Any]) -> None:
        self.view.db.execute(
            f"UPDATE host_nodes SET {assignments} WHERE aggregate_id = ?", [*params, event.originator_id.hex]
        )
