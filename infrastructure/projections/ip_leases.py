"""Who holds each address of each network now: address -> instance, interface, MAC, since."""

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.addresses import parse_ipv4
from domain.instance import Instance
from domain.network import Network
from infrastructure.projections.view import SqliteView


class IpLeasesView(SqliteView):
    def create_tables(self) -> None:
        # IPAssigned names its network only by aggregate id.
        self.db["networks"].create(
            {"aggregate_id": str, "network_id": str}, pk="aggregate_id", if_not_exists=True
        )
        self.db["ip_leases"].create(
            {
                "network_id": str, "address": str, "address_int": int, "instance_id": str,
                "vif_id": str, "mac_addr": str, "since": str, "scheduled": bool,
            },
            pk=("network_id", "address"), if_not_exists=True,
        )  # fmt: skip
        self.db["ip_leases"].create_index(["vif_id"], if_not_exists=True)

    def content(self) -> dict[str, Any]:
        rows = self.db.execute("SELECT network_id, address, instance_id, vif_id FROM ip_leases")
        return {"ip_leases": {f"{n} {a}": f"{i} {v}" for n, a, i, v in rows}}

    def leases(self, network_id: str | None = None) -> list[dict[str, Any]]:
        if network_id is None:
            return self.rows("SELECT * FROM ip_leases ORDER BY network_id, address_int")
        return self.rows("SELECT * FROM ip_leases WHERE network_id = ? ORDER BY address_int", [network_id])


class IpLeasesProjection(Projection[IpLeasesView]):
    name = "ip_leases"
    topics = tuple(
        get_topic(cls)
        for cls in (Network.Registered, Network.IPAssigned, Network.IPReleased, Instance.Created)
    )

    @singledispatchmethod
    def process_event(self, event: Any, tracking: Tracking) -> None:
        pass

    @process_event.register
    def _(self, event: Network.Registered, tracking: Tracking) -> None:
        self.view.insert(
            "networks", {"aggregate_id": event.originator_id.hex, "network_id": event.network_id}
        )

    @process_event.register
    def _(self, event: Network.IPAssigned, tracking: Tracking) -> None:
        self.view.insert("ip_leases", {
            "network_id": self._network_id(event), "address": event.address,
            "address_int": parse_ipv4(event.address, "address"), "instance_id": event.instance_id,
            "vif_id": event.vif_id, "mac_addr": None, "since": event.timestamp.isoformat(),
            "scheduled": event.scheduled,
        })  # fmt: skip

    @process_event.register
    def _(self, event: Network.IPReleased, tracking: Tracking) -> None:
        self.view.db.execute(
            "DELETE FROM ip_leases WHERE network_id = ? AND address = ?",
            [self._network_id(event), event.address],
        )

    @process_event.register
    def _(self, event: Instance.Created, tracking: Tracking) -> None:
        # The instance is saved after its addresses, in the same transaction: its
        # interfaces' MACs complete the leases recorded just before.
        for vif in event.vifs:
            self.view.db.execute(
                "UPDATE ip_leases SET mac_addr = ? WHERE vif_id = ?", [vif["mac_addr"], vif["vif_id"]]
            )

    def _network_id(self, event: Any) -> str:
        row = self.view.db.execute(
            "SELECT network_id FROM networks WHERE aggregate_id = ?", [event.originator_id.hex]
        ).fetchone()
        return row[0]
