"""The views, wired to the event log: the application's ``Views`` port."""

from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.projection import Projection

from infrastructure.projections.catalog import CatalogProjection, CatalogView
from infrastructure.projections.follower import Follower, Poller, Subscriber
from infrastructure.projections.host_capacity import HostCapacityProjection, HostCapacityView
from infrastructure.projections.instances import InstancesProjection, InstancesView
from infrastructure.projections.ip_leases import IpLeasesProjection, IpLeasesView
from infrastructure.projections.mac_leases import MacLeasesProjection, MacLeasesView
from infrastructure.projections.network_utilization import (
    NetworkUtilizationProjection,
    NetworkUtilizationView,
)

PROJECTIONS = (
    (InstancesProjection, InstancesView),
    (CatalogProjection, CatalogView),
    (IpLeasesProjection, IpLeasesView),
    (MacLeasesProjection, MacLeasesView),
    (HostCapacityProjection, HostCapacityView),
    (NetworkUtilizationProjection, NetworkUtilizationView),
)


class SqliteViews:
    """Every view in its own file under ``directory``, named after its projection."""

    def __init__(self, app: Application, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        projections: list[Projection[Any]] = [
            projection(view(directory / f"{projection.name}.sqlite")) for projection, view in PROJECTIONS
        ]
        self.follower = Follower(app, projections)
        self.by_name = self.follower.projections
        self._follower_thread: Poller | Subscriber | None = None

    def _view(self, name: str) -> Any:
        projection = self.by_name[name]
        self.follower.catch_up(projection)
        return projection.view

    def instances(self, account_id: str, **filters: Any):
        return self._view("instances").find(account_id, **filters)

    def networks(self, network_id: str | None = None):
        return self._view("network_utilization").networks(network_id)

    def host_nodes(self, host_node_id: str | None = None):
        return self._view("host_capacity").hosts(host_node_id)

    def mac_ranges(self, range_id: str | None = None):
        return self._view("mac_leases").report(range_id)

    def images(self, image_id: str | None = None):
        where, params = ("WHERE image_id = ?", [image_id]) if image_id else ("", [])
        return self._view("catalog").rows(f"SELECT * FROM images {where} ORDER BY seq", params)

    def ssh_key_pairs(self, account_id: str, ssh_key_id: str | None = None):
        where, params = "WHERE account_id = ?", [account_id]
        if ssh_key_id is not None:
            where, params = where + " AND ssh_key_id = ?", [*params, ssh_key_id]
        return self._view("catalog").rows(f"SELECT * FROM ssh_key_pairs {where} ORDER BY seq", params)

    def facts(self) -> dict[str, tuple[int, dict[str, Any]]]:
        return {name: p.view.facts(self.follower.app.name) for name, p in self.by_name.items()}

    def rebuild(self, progress=lambda n: None) -> None:
        self.follower.rebuild(progress)

    def start_following(self, push: bool, interval: float) -> None:
        """In the background: on the store's pushes where it can (PostgreSQL), else on a timer."""
        self._follower_thread = (
            Subscriber(self.follower) if push else Poller(self.follower, interval)
        ).start()

    def close(self) -> None:
        if self._follower_thread:
            self._follower_thread.stop()
        for projection in self.by_name.values():
            projection.view.close()
