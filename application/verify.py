"""``verify``: replays the whole log from the start, checking the allocation invariants
at every event, then compares the replayed state with the aggregates and every view.

It reads what the store holds, not what the aggregates would allow, so it also catches an
event written by anything that bypassed them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from application.ledger import Ledger
from application.workspace import project
from domain.addresses import format_ipv4, format_mac, parse_ipv4
from domain.host_node import HostNode
from domain.instance import Instance
from domain.mac_pool import MAC_POOL_ID, MacPool
from domain.network import SERVICE_ADDRESS_FIELDS, Network

BATCH = 5000
Facts = dict[str, Any]


class ViewFacts(Protocol):
    def facts(self) -> dict[str, tuple[int, Facts]]:
        """Per view: its position in the log and its content in the shape ``Replay.facts``
        gives, read in one transaction."""


@dataclass(frozen=True)
class Violation:
    notification_id: int | None
    event: str
    message: str

    def __str__(self) -> str:
        where = f"event #{self.notification_id} {self.event}" if self.notification_id else self.event
        return f"{where}: {self.message}"


@dataclass
class Report:
    events: int = 0
    violations: list[Violation] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


class _Network:
    def __init__(self, event: Network.Registered):
        self.network_id = event.network_id
        base = parse_ipv4(event.ipv4_network, "network")
        self.first, self.last = base + 1, base + (1 << (32 - event.prefix)) - 2
        self.reserved = {parse_ipv4(a, "s") for f in SERVICE_ADDRESS_FIELDS if (a := getattr(event, f))}
        self.ranges = [(parse_ipv4(b, "r"), parse_ipv4(e, "r")) for b, e in event.dhcp_ranges]
        self.holders: dict[str, tuple[str, str]] = {}  # address -> (instance, vif)


class Replay:
    """The allocation state rebuilt event by event, with every invariant checked."""

    def __init__(self) -> None:
        self.networks: dict[UUID, _Network] = {}
        self.macs: dict[str, tuple[str, str]] = {}
        self.mac_ranges: list[str] = []
        self.hosts: dict[UUID, dict[str, Any]] = {}
        self.instances: dict[str, dict[str, Any]] = {}  # instance id -> state, vifs, host
        self.instance_ids: dict[UUID, str] = {}
        self.images: list[str] = []
        self.ssh_key_pairs: list[str] = []
        self.versions: dict[UUID, int] = {}

    def apply(self, event: Any) -> list[str]:
        """Returns what the event broke (empty when it broke nothing)."""
        self.versions[event.originator_id] = event.originator_version
        handler = getattr(self, f"_{type(event).__qualname__.replace('.', '_')}", None)
        return handler(event) or [] if handler else []

    def _Network_Registered(self, e: Any) -> None:
        self.networks[e.originator_id] = _Network(e)

    def _Network_IPAssigned(self, e: Any) -> list[str]:
        net, address = self.networks[e.originator_id], parse_ipv4(e.address, "address")
        broken = []
        if not net.first <= address <= net.last:
            broken.append(f"{e.address} is not a host address of {net.network_id}")
        if address in net.reserved:
            broken.append(f"{e.address} is a service address of {net.network_id}")
        if e.address in net.holders:
            broken.append(f"{e.address} of {net.network_id} is already held by {net.holders[e.address][0]}")
        net.holders[e.address] = (e.instance_id, e.vif_id)
        return broken

    def _Network_IPReleased(self, e: Any) -> list[str]:
        net = self.networks[e.originator_id]
        holder = net.holders.pop(e.address, None)
        if holder is None or holder[0] != e.instance_id:
            return [f"{e.address} of {net.network_id} released for {e.instance_id} but held by {holder}"]
        return []

    def _MacPool_RangeAdded(self, e: Any) -> None:
        self.mac_ranges.append(e.range_id)

    def _MacPool_MacAssigned(self, e: Any) -> list[str]:
        broken = (
            [f"MAC {e.mac_addr} is already held by {self.macs[e.mac_addr][0]}"]
            if e.mac_addr in self.macs
            else []
        )
        self.macs[e.mac_addr] = (e.instance_id, e.vif_id)
        return broken

    def _MacPool_MacReleased(self, e: Any) -> list[str]:
        holder = self.macs.pop(e.mac_addr, None)
        if holder is None or holder[0] != e.instance_id:
            return [f"MAC {e.mac_addr} released for {e.instance_id} but held by {holder}"]
        return []

    def _HostNode_Registered(self, e: Any) -> None:
        self.hosts[e.originator_id] = {
            "id": e.host_node_id, "status": "online", "reservations": {},
            "offering": (e.offering_cpu_cores, e.offering_memory_size),
        }  # fmt: skip

    def _HostNode_StatusChanged(self, e: Any) -> None:
        self.hosts[e.originator_id]["status"] = e.status

    def _HostNode_CapacityReserved(self, e: Any) -> list[str]:
        host, broken = self.hosts[e.originator_id], []
        if host["status"] != "online":
            broken.append(f"{host['id']} is {host['status']} but took {e.instance_id}")
        if e.instance_id in host["reservations"]:
            broken.append(f"{host['id']} already holds capacity for {e.instance_id}")
        host["reservations"][e.instance_id] = (e.cpu_cores, e.memory_size)
        cpu, memory = _reserved(host)
        if cpu > host["offering"][0] or memory > host["offering"][1]:
            broken.append(f"{host['id']} reserves {cpu} cores and {memory} MB of {host['offering']}")
        return broken

    def _HostNode_CapacityReleased(self, e: Any) -> list[str]:
        host = self.hosts[e.originator_id]
        held = host["reservations"].pop(e.instance_id, None)
        if held != (e.cpu_cores, e.memory_size):
            return [
                f"{host['id']} released {e.cpu_cores}/{e.memory_size} for {e.instance_id} but held {held}"
            ]
        return []

    def _Instance_Created(self, e: Any) -> list[str]:
        self.instance_ids[e.originator_id] = e.instance_id
        self.instances[e.instance_id] = {"state": "pending", "vifs": e.vifs, "host": e.host_node_id}
        return [
            f"{e.instance_id} was created without {what}" for what in self._missing_allocations(e.instance_id)
        ]

    def _Instance_Terminated(self, e: Any) -> list[str]:
        instance = self.instances[self.instance_ids[e.originator_id]]
        if instance["state"] == "terminated":
            return [f"{self.instance_ids[e.originator_id]} was terminated twice"]
        instance["state"] = "terminated"
        return []

    def _Image_Registered(self, e: Any) -> None:
        self.images.append(e.image_id)

    def _SshKeyPair_Registered(self, e: Any) -> None:
        self.ssh_key_pairs.append(e.ssh_key_id)

    # Whole-state checks -----------------------------------------------------------------

    def _missing_allocations(self, instance_id: str) -> list[str]:
        instance, missing = self.instances[instance_id], []
        by_id = {net.network_id: net for net in self.networks.values()}
        for vif in instance["vifs"]:
            for network_id, address in (
                (vif["network_id"], vif["ipv4_addr"]),
                (vif["nat_network_id"], vif["nat_ipv4_addr"]),
            ):
                if network_id and by_id[network_id].holders.get(address, (None,))[0] != instance_id:
                    missing.append(f"its address {address} in {network_id}")
            if self.macs.get(vif["mac_addr"], (None,))[0] != instance_id:
                missing.append(f"its MAC {vif['mac_addr']}")
        hosts = [h for h in self.hosts.values() if h["id"] == instance["host"]]
        if not hosts or instance_id not in hosts[0]["reservations"]:
            missing.append(f"its capacity on {instance['host']}")
        return missing

    def half_applied(self) -> list[str]:
        """Allocations no live instance explains, and live instances missing theirs."""
        broken = []
        alive = {i for i, instance in self.instances.items() if instance["state"] != "terminated"}
        for net in self.networks.values():
            broken += [
                f"{a} of {net.network_id} is held by {h[0]}, which is not alive"
                for a, h in net.holders.items()
                if h[0] not in alive
            ]
        broken += [
            f"MAC {m} is held by {h[0]}, which is not alive"
            for m, h in self.macs.items()
            if h[0] not in alive
        ]
        for host in self.hosts.values():
            broken += [
                f"{host['id']} holds capacity for {i}, which is not alive"
                for i in host["reservations"]
                if i not in alive
            ]
        for instance_id in sorted(alive):
            broken += [
                f"{instance_id} is alive without {what}" for what in self._missing_allocations(instance_id)
            ]
        return broken

    def facts(self, view: str) -> Facts:
        """The replayed state in the shape each view reports (see ``ViewFacts``)."""
        if view == "instances":
            return {"instances": {i: instance["state"] for i, instance in self.instances.items()}}
        if view == "catalog":
            return {"images": sorted(self.images), "ssh_key_pairs": sorted(self.ssh_key_pairs)}
        if view == "ip_leases":
            return {
                "ip_leases": {
                    f"{n.network_id} {a}": " ".join(h)
                    for n in self.networks.values()
                    for a, h in n.holders.items()
                }
            }
        if view == "mac_leases":
            return {
                "mac_leases": {m: " ".join(h) for m, h in self.macs.items()},
                "mac_ranges": sorted(self.mac_ranges),
            }
        if view == "host_capacity":
            return {
                "hosts": {
                    h["id"]: [h["status"], *_reserved(h), len(h["reservations"])] for h in self.hosts.values()
                }
            }
        if view == "network_utilization":
            return {
                "networks": {n.network_id: [len(n.holders), _outside_dhcp(n)] for n in self.networks.values()}
            }
        raise KeyError(f"verify knows no view named {view!r}")


def _reserved(host: dict[str, Any]) -> tuple[int, int]:
    sizes = host["reservations"].values()
    return sum(cpu for cpu, _ in sizes), sum(memory for _, memory in sizes)


def _outside_dhcp(net: _Network) -> int:
    addresses = (parse_ipv4(a, "a") for a in net.holders)
    return sum(1 for a in addresses if not any(b <= a <= e for b, e in net.ranges))


class Verifier:
    def __init__(self, ledger: Ledger, views: ViewFacts | None = None):
        self._ledger = ledger
        self._views = views

    def run(self, progress: Callable[[int], None] = lambda n: None) -> Report:
        report, replay = Report(), Replay()
        head = self._ledger.recorder.max_notification_id() or 0
        view_facts = self._views.facts() if self._views else {}
        # Views may be ahead of the head read above: replay to each view's own position.
        stops = sorted({head, *(position for position, _ in view_facts.values())})
        position = 0
        for stop in stops:
            position = self._replay(replay, position, stop, report, progress)
            for name, (view_position, facts) in view_facts.items():
                if view_position == stop:
                    report.violations += _differences(f"view {name}", replay.facts(name), facts)
                    report.checked.append(f"view {name}")
        report.violations += [Violation(None, "end state", message) for message in replay.half_applied()]
        report.checked.append("end state")
        report.violations += self._compare_aggregates(replay)
        report.checked.append("aggregates")
        return report

    def _replay(self, replay: Replay, after: int, stop: int, report: Report, progress) -> int:
        recorder, mapper = self._ledger.recorder, self._ledger.mapper
        while after < stop:
            batch = recorder.select_notifications(start=after + 1, limit=BATCH, stop=stop)
            for notification in batch:
                event = mapper.to_domain_event(notification)
                for message in replay.apply(event):
                    name = f"{notification.topic} of {event.originator_id} v{event.originator_version}"
                    report.violations.append(Violation(notification.id, name, message))
            report.events += len(batch)
            progress(len(batch))
            after = batch[-1].id if len(batch) == BATCH else stop
        return stop

    def _compare_aggregates(self, replay: Replay) -> list[Violation]:
        """Each aggregate, loaded at the version the replay reached, must agree with it."""

        def get(aggregate_id: UUID, version: int) -> Any:
            return self._ledger.repository.get(aggregate_id, version=version, projector_func=project)

        found = []
        for aggregate_id, net in replay.networks.items():
            aggregate: Network = get(aggregate_id, version=replay.versions[aggregate_id])
            if {format_ipv4(a): i for a, i in aggregate.holders.items()} != _instances(net.holders):
                found.append(Violation(None, f"aggregate {net.network_id}", "holders differ from the replay"))
        for aggregate_id, host in replay.hosts.items():
            aggregate: HostNode = get(aggregate_id, version=replay.versions[aggregate_id])
            mine = {i: (s.cpu_cores, s.memory_size) for i, s in aggregate.reservations.items()}
            if mine != host["reservations"] or aggregate.status != host["status"]:
                found.append(
                    Violation(None, f"aggregate {host['id']}", "reservations differ from the replay")
                )
        for aggregate_id, instance_id in replay.instance_ids.items():
            aggregate: Instance = get(aggregate_id, version=replay.versions[aggregate_id])
            if aggregate.state != replay.instances[instance_id]["state"]:
                found.append(Violation(None, f"aggregate {instance_id}", "state differs from the replay"))
        if MAC_POOL_ID in replay.versions:
            pool: MacPool = get(MAC_POOL_ID, version=replay.versions[MAC_POOL_ID])
            if {format_mac(m): i for m, i in pool.holders.items()} != _instances(replay.macs):
                found.append(Violation(None, "aggregate MAC pool", "holders differ from the replay"))
        return found


def _instances(holders: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {key: instance_id for key, (instance_id, _vif) in holders.items()}


def _differences(where: str, expected: Facts, actual: Facts, most: int = 5) -> list[Violation]:
    found = []
    for key in sorted(set(expected) | set(actual)):
        want, have = expected.get(key), actual.get(key)
        if want == have:
            continue
        if isinstance(want, dict) and isinstance(have, dict):
            for item in sorted(set(want) | set(have))[: most * 10]:
                if want.get(item) != have.get(item):
                    found.append(
                        Violation(
                            None, where, f"{key} {item}: replay {want.get(item)!r}, view {have.get(item)!r}"
                        )
                    )
        else:
            found.append(Violation(None, where, f"{key}: replay {want!r}, view {have!r}"))
    return found[:most]
