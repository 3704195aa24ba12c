"""Networks, how many addresses each can hand out, and how many are in use."""

import json
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from domain.addresses import parse_ipv4
from domain.network import SERVICE_ADDRESS_FIELDS, Network
from infrastructure.projections.view import SqliteView


class NetworkUtilizationView(SqliteView):
    def create_tables(self) -> None:
        self.db["networks"].create(
            {
                "network_id": str, "aggregate_id": str, "ipv4_network": str, "prefix": int, "gateway": str,
                "dns_server": str, "dhcp_server": str, "metadata_server": str, "dhcp_ranges": str,
                "ip_assignment": str, "display_name": str, "created_at": str,
                # total: usable host addresses less the service addresses, so used <= total.
                "total": int, "used": int, "used_outside_dhcp": int, "seq": int,
            },
            pk="network_id", if_not_exists=True,
        )  # fmt: skip
        self.db["networks"].create_index(["aggregate_id"], unique=True, if_not_exists=True)

    def content(self) -> dict[str, Any]:
        rows = self.db.execute("SELECT network_id, used, used_outside_dhcp FROM networks")
        return {"networks": {row[0]: list(row[1:]) for row in rows}}

    def networks(self, network_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE network_id = ?", [network_id]) if network_id else ("", [])
        rows = self.rows(f"SELECT * FROM networks {where} ORDER BY seq", params)
        for row in rows:
            row["dhcp_ranges"] = json.loads(row["dhcp_ranges"])
        return rows


class NetworkUtilizationProjection(Projection[NetworkUtilizationView]):
    name = "network_utilization"
    topics = tuple(get_topic(cls) for cls in (Network.Registered, Network.IPAssigned, Network.IPReleased))

    def __init__(self, view: NetworkUtilizationView):
        super().__init__(view)
        self._ranges: dict[str, list[tuple[int, int]]] = {}  # aggregate id -> DHCP ranges, never change

    @singledispatchmethod
    def process_event(self, event: Any, tracking: Tracking) -> None:
        pass

    @process_event.register
    def _(self, event: Network.Registered, tracking: Tracking) -> None:
        services = {field: getattr(event, field) for field in SERVICE_ADDRESS_FIELDS}
        usable = (1 << (32 - event.prefix)) - 2
        self.view.insert("networks", {
            "network_id": event.network_id, "aggregate_id": event.originator_id.hex,
            "ipv4_network": event.ipv4_network, "prefix": event.prefix, **services,
            "dhcp_ranges": json.dumps(event.dhcp_ranges), "ip_assignment": event.ip_assignment,
            "display_name": event.display_name, "created_at": event.timestamp.isoformat(),
            "total": usable - len({a for a in services.values() if a is not None}),
            "used": 0, "used_outside_dhcp": 0, "seq": tracking.notification_id,
        })  # fmt: skip

    @process_event.register
    def _(self, event: Network.IPAssigned, tracking: Tracking) -> None:
        self._count(event, +1)

    @process_event.register
    def _(self, event: Network.IPReleased, tracking: Tracking) -> None:
        self._count(event, -1)

    def _count(self, event: Any, step: int) -> None:
        address = parse_ipv4(event.address, "address")
        outside = not any(
            begin <= address <= end for begin, end in self._dhcp_ranges(event.originator_id.hex)
        )
        self.view.db.execute(
            "UPDATE networks SET used = used + ?, used_outside_dhcp = used_outside_dhcp + ?"
            " WHERE aggregate_id = ?",
            [step, step if outside else 0, event.originator_id.hex],
        )

    def _dhcp_ranges(self, aggregate_id: str) -> list[tuple[int, int]]:
        if aggregate_id not in self._ranges:
            (text,) = self.view.db.execute(
                "SELECT dhcp_ranges FROM networks WHERE aggregate_id = ?", [aggregate_id]
            ).fetchone()
            self._ranges[aggregate_id] = [
                (parse_ipv4(b, "dhcp"), parse_ipv4(e, "dhcp")) for b, e in json.loads(text)
            ]
        return self._ranges[aggregate_id]
