"""Reads: every listing and resource comes from views the event log keeps, never from
aggregates. The views are plain rows (dicts); the HTTP schemas and CLI tables shape them.

Each view port method first catches the view up with the log, so a caller sees the
effect of every command that has answered before it asked, whichever process ran it.
"""

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from domain.errors import (
    UnknownHostNode,
    UnknownImage,
    UnknownInstance,
    UnknownNetwork,
    UnknownSshKeyPair,
    UnknownUUIDResource,
)
from domain.instance import Instance

Row = dict[str, Any]


class Views(Protocol):
    def instances(
        self,
        account_id: str,
        *,
        instance_id: str | None = None,
        state: str | None = None,
        host_node_id: str | None = None,
        display_name: str | None = None,
        start: int = 0,
        limit: int = 250,
    ) -> tuple[int, list[Row]]:
        """Total matching, and one page oldest first, each with its ``vifs``;
        ``state`` 'alive' means any state but terminated."""  # fmt: skip

    def networks(self, network_id: str | None = None) -> list[Row]: ...

    def host_nodes(self, host_node_id: str | None = None) -> list[Row]: ...

    def mac_ranges(self, range_id: str | None = None) -> list[Row]:
        """With ``used``: how many MACs of the range are held."""

    def images(self, image_id: str | None = None) -> list[Row]: ...

    def ssh_key_pairs(self, account_id: str, ssh_key_id: str | None = None) -> list[Row]: ...


@dataclass(frozen=True)
class Page:
    total: int
    start: int
    limit: int
    results: list[Row]


class Queries:
    def __init__(self, views: Views):
        self.views = views

    def instances(self, account_id: str, **filters: Any) -> Page:
        total, rows = self.views.instances(account_id, **filters)
        return Page(total, filters.get("start", 0), filters.get("limit", 250), rows)

    def instance(self, account_id: str, instance_id: str) -> Row:
        """Another account's instance is as unknown as a missing one."""
        _, rows = self.views.instances(account_id, instance_id=instance_id)
        return _one(rows, lambda: UnknownInstance(f"instance {instance_id!r} does not exist"))

    def networks(self) -> list[Row]:
        return self.views.networks()

    def network(self, network_id: str) -> Row:
        return _one(
            self.views.networks(network_id),
            lambda: UnknownNetwork(f"id: network {network_id!r} does not exist"),
        )

    def host_nodes(self) -> list[Row]:
        return self.views.host_nodes()

    def host_node(self, host_node_id: str) -> Row:
        return _one(
            self.views.host_nodes(host_node_id),
            lambda: UnknownHostNode(f"id: host node {host_node_id!r} does not exist"),
        )

    def mac_ranges(self) -> list[Row]:
        return self.views.mac_ranges()

    def mac_range(self, range_id: str) -> Row:
        return _one(
            self.views.mac_ranges(range_id),
            lambda: UnknownUUIDResource(f"id: MAC range {range_id!r} does not exist"),
        )

    def images(self) -> list[Row]:
        return self.views.images()

    def image(self, image_id: str) -> Row:
        return _one(
            self.views.images(image_id), lambda: UnknownImage(f"id: image {image_id!r} does not exist")
        )

    def ssh_key_pairs(self, account_id: str) -> list[Row]:
        return self.views.ssh_key_pairs(account_id)

    def ssh_key_pair(self, account_id: str, ssh_key_id: str) -> Row:
        return _one(
            self.views.ssh_key_pairs(account_id, ssh_key_id),
            lambda: UnknownSshKeyPair(f"id: ssh key pair {ssh_key_id!r} does not exist"),
        )

    # Reports ----------------------------------------------------------------------------

    def network_report(self) -> list[Row]:
        return [
            {
                "network_id": n["network_id"], "ipv4_network": n["ipv4_network"], "prefix": n["prefix"],
                "total": n["total"], "used": n["used"], "free": n["total"] - n["used"],
                "utilization": _ratio(n["used"], n["total"]), "used_outside_dhcp": n["used_outside_dhcp"],
            }
            for n in self.views.networks()
        ]  # fmt: skip

    def host_report(self) -> list[Row]:
        keys = (
            "host_node_id", "status", "offering_cpu_cores", "reserved_cpu_cores", "available_cpu_cores",
            "offering_memory_size", "reserved_memory_size", "available_memory_size", "instances",
        )  # fmt: skip
        return [{key: host[key] for key in keys} for host in self.views.host_nodes()]

    def mac_report(self) -> list[Row]:
        rows = []
        for r in self.views.mac_ranges():
            total = r["last_int"] - r["first_int"] + 1
            rows.append({
                "range_id": r["range_id"], "vendor_id": r["vendor_id"], "range_begin": r["range_begin"],
                "range_end": r["range_end"], "total": total, "used": r["used"], "free": total - r["used"],
                "utilization": _ratio(r["used"], total),
            })  # fmt: skip
        return rows


def instance_row(instance: Instance) -> Row:
    """The row the instances view will hold for a just-created instance: a create answers
    from the instance in hand instead of taking the view's write lock to catch it up."""
    at = instance.created_on.isoformat()
    return {
        "instance_id": instance.instance_id, "account_id": instance.account_id, "state": instance.state,
        "host_node_id": instance.host_node_id, "cpu_cores": instance.size.cpu_cores,
        "memory_size": instance.size.memory_size, "arch": instance.arch, "hypervisor": instance.hypervisor,
        "image_id": instance.image_id, "ssh_key_id": instance.ssh_key_id,
        "display_name": instance.display_name, "hostname": instance.hostname,
        "user_data": instance.user_data, "ha_enabled": instance.ha_enabled,
        "custom_instance": instance.custom_instance, "created_at": at, "updated_at": at,
        "terminated_at": instance.terminated_at.isoformat() if instance.terminated_at else None,
        "vifs": [{**asdict(vif), "idx": vif.index} for vif in instance.vifs],
    }  # fmt: skip


def _one(rows: list[Row], missing) -> Row:
    if not rows:
        raise missing()
    return rows[0]


def _ratio(used: int, total: int) -> float:
    """0..1. ``used`` cannot pass ``total`` (service addresses are never handed out and
    are not counted in it), but a report must never show more than 100% whatever happens."""
    return round(min(1.0, used / total), 4) if total else 0.0
