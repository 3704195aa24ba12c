"""Instances with their interfaces: what ``GET /instances`` lists and shows."""

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.instance import TERMINATED, Instance
from infrastructure.projections.view import SqliteView


class InstancesView(SqliteView):
    def create_tables(self) -> None:
        self.db["instances"].create(
            {
                "instance_id": str, "aggregate_id": str, "account_id": str, "state": str,
                "host_node_id": str, "cpu_cores": int, "memory_size": int, "arch": str,
                "hypervisor": str, "image_id": str, "ssh_key_id": str, "display_name": str,
                "hostname": str, "user_data": str, "ha_enabled": bool, "custom_instance": bool,
                "created_at": str, "updated_at": str, "terminated_at": str, "seq": int,
            },
            pk="instance_id", if_not_exists=True,
        )  # fmt: skip
        self.db["instances"].create_index(["aggregate_id"], unique=True, if_not_exists=True)
        self.db["instances"].create_index(["account_id", "seq"], if_not_exists=True)
        self.db["vifs"].create(
            {
                "vif_id": str, "instance_id": str, "name": str, "idx": int, "network_id": str,
                "ipv4_addr": str, "mac_addr": str, "nat_network_id": str, "nat_ipv4_addr": str,
            },
            pk="vif_id", if_not_exists=True,
        )  # fmt: skip
        self.db["vifs"].create_index(["instance_id"], if_not_exists=True)

    def content(self) -> dict[str, Any]:
        return {"instances": dict(self.db.execute("SELECT instance_id, state FROM instances").fetchall())}

    def find(
        self, account_id: str, *, instance_id: str | None = None, state: str | None = None,
        host_node_id: str | None = None, display_name: str | None = None, start: int = 0, limit: int = 250,
    ) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
        where, params = ["account_id = ?"], [account_id]
        if state == "alive":
            where.append("state != ?")
            params.append(TERMINATED)
        filters = {"instance_id": instance_id, "host_node_id": host_node_id, "display_name": display_name}
        if state not in (None, "alive"):
            filters["state"] = state
        for column, value in filters.items():
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = " AND ".join(where)
        with self.reading():
            total = self.db.execute(f"SELECT count(*) FROM instances WHERE {clause}", params).fetchone()[0]
            rows = self.rows(
                f"SELECT * FROM instances WHERE {clause} ORDER BY seq LIMIT ? OFFSET ?",
                [*params, limit, start],
            )
            for row in rows:
                row["vifs"] = self.rows(
                    "SELECT * FROM vifs WHERE instance_id = ? ORDER BY idx", [row["instance_id"]]
                )
        return total, rows


class InstancesProjection(Projection[InstancesView]):
    name = "instances"
    topics = (get_topic(Instance.Created), get_topic(Instance.Terminated))

    @singledispatchmethod
    def process_event(self, event: Any, tracking: Tracking) -> None:
        pass

    @process_event.register
    def _(self, event: Instance.Created, tracking: Tracking) -> None:
        at = event.timestamp.isoformat()
        self.view.insert("instances", {
            "instance_id": event.instance_id, "aggregate_id": event.originator_id.hex,
            "account_id": event.account_id, "state": "pending", "host_node_id": event.host_node_id,
            "cpu_cores": event.cpu_cores, "memory_size": event.memory_size, "arch": event.arch,
            "hypervisor": event.hypervisor, "image_id": event.image_id, "ssh_key_id": event.ssh_key_id,
            "display_name": event.display_name, "hostname": event.hostname, "user_data": event.user_data,
            "ha_enabled": event.ha_enabled, "custom_instance": event.custom_instance,
            "created_at": at, "updated_at": at, "terminated_at": None, "seq": tracking.notification_id,
        })  # fmt: skip
        for vif in event.vifs:
            self.view.insert("vifs", {
                "vif_id": vif["vif_id"], "instance_id": event.instance_id, "name": vif["name"],
                "idx": vif["index"], "network_id": vif["network_id"], "ipv4_addr": vif["ipv4_addr"],
                "mac_addr": vif["mac_addr"], "nat_network_id": vif["nat_network_id"],
                "nat_ipv4_addr": vif["nat_ipv4_addr"],
            })  # fmt: skip

    @process_event.register
    def _(self, event: Instance.Terminated, tracking: Tracking) -> None:
        at = event.timestamp.isoformat()
        self.view.db.execute(
            "UPDATE instances SET state = ?, updated_at = ?, terminated_at = ? WHERE aggregate_id = ?",
            [TERMINATED, at, at, event.originator_id.hex],
        )
