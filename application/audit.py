"""Audit questions answered by replaying the events themselves (never the views):
who held an address, MAC or host capacity, and when; what an instance or a request did.

Every answer is ``{"subject", "history", "holder"}``: the history oldest first, each entry
naming the event, its time, the instance and interface, and its cause (account, request
id, command); the holder as of ``at`` (or now). With ``at``, history stops at ``at``.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from application.causes import cause_of
from application.ledger import Ledger
from domain.addresses import format_ipv4, format_mac, parse_ipv4, parse_mac
from domain.errors import (
    InvalidParameter,
    UnknownHostNode,
    UnknownInstance,
    UnknownNetwork,
    UnknownUUIDResource,
)
from domain.host_node import HostNode, host_node_aggregate_id
from domain.instance import Instance, instance_aggregate_id
from domain.mac_pool import MAC_POOL_ID, MacPool
from domain.network import Network, network_aggregate_id

Answer = dict[str, Any]

# What each kind of event adds to a history entry, beyond time, holder and cause.
_DETAILS = ("address", "mac_addr", "cpu_cores", "memory_size", "status", "host_node_id")


def parse_time(text: str | None) -> datetime | None:
    """ISO-8601; a time without a zone is taken as UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(f"at: {text!r} is not an ISO-8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Audit:
    def __init__(self, ledger: Ledger):
        self._ledger = ledger

    def ip_address(self, network_id: str, address: str, at: datetime | None = None) -> Answer:
        value = format_ipv4(parse_ipv4(address, "address"))
        events = self._stream(
            network_aggregate_id(network_id), lambda: UnknownNetwork(f"network {network_id!r} does not exist")
        )
        history = [
            _entry(e, network_id=network_id)
            for e in _until(events, at)
            if isinstance(e, Network.IPAssigned | Network.IPReleased) and e.address == value
        ]
        subject = {"type": "ip_address", "network_id": network_id, "address": value}
        return _answer(subject, history, _lease_holder(history, "IPAssigned"))

    def mac_address(self, mac: str, at: datetime | None = None) -> Answer:
        value = format_mac(parse_mac(mac, "mac_addr"))
        history = [
            _entry(e)
            for e in _until(self._stream(MAC_POOL_ID), at)
            if isinstance(e, MacPool.MacAssigned | MacPool.MacReleased) and e.mac_addr == value
        ]
        return _answer(
            {"type": "mac_address", "mac_addr": value}, history, _lease_holder(history, "MacAssigned")
        )

    def host_node(self, host_node_id: str, at: datetime | None = None) -> Answer:
        events = self._stream(
            host_node_aggregate_id(host_node_id),
            lambda: UnknownHostNode(f"host node {host_node_id!r} does not exist"),
        )
        history, reservations, status = [], {}, None
        for event in _until(events, at):
            history.append(_entry(event))
            if isinstance(event, HostNode.Registered):
                status = "online"
            elif isinstance(event, HostNode.StatusChanged):
                status = event.status
            elif isinstance(event, HostNode.CapacityReserved):
                reservations[event.instance_id] = history[-1]
            elif isinstance(event, HostNode.CapacityReleased):
                reservations.pop(event.instance_id, None)
        holder = None
        if status is not None:
            holder = {
                "status": status,
                "reserved_cpu_cores": sum(r["cpu_cores"] for r in reservations.values()),
                "reserved_memory_size": sum(r["memory_size"] for r in reservations.values()),
                "reservations": [
                    {key: r[key] for key in ("instance_id", "cpu_cores", "memory_size", "at", "request_id")}
                    for r in reservations.values()
                ],
            }
        return _answer({"type": "host_node", "host_node_id": host_node_id}, history, holder)

    def instance(self, instance_id: str, at: datetime | None = None) -> Answer:
        """The instance's own events and every allocation made or released for it."""
        own = self._stream(
            instance_aggregate_id(instance_id),
            lambda: UnknownInstance(f"instance {instance_id!r} does not exist"),
        )
        created = own[0]
        streams: list[tuple[Any, dict[str, Any]]] = [
            (MAC_POOL_ID, {}),
            (host_node_aggregate_id(created.host_node_id), {}),
        ]
        networks = {v["network_id"] for v in created.vifs} | {v["nat_network_id"] for v in created.vifs}
        for network_id in sorted(networks - {None}):
            streams.append((network_aggregate_id(network_id), {"network_id": network_id}))
        mine = [(event, {}) for event in own]
        for aggregate_id, extra in streams:
            mine += [
                (e, extra)
                for e in self._stream(aggregate_id)
                if getattr(e, "instance_id", None) == instance_id
            ]
        mine = sorted(
            (pair for pair in mine if at is None or pair[0].timestamp <= at), key=lambda p: p[0].timestamp
        )
        history = [_entry(event, instance_id=instance_id, **extra) for event, extra in mine]
        holder = None
        if at is None or created.timestamp <= at:
            terminated = any(isinstance(event, Instance.Terminated) for event, _ in mine)
            holder = {
                "account_id": created.account_id,
                "state": "terminated" if terminated else "pending",
                "host_node_id": created.host_node_id,
            }
        return _answer({"type": "instance", "instance_id": instance_id}, history, holder)

    def request(self, request_id: str) -> Answer:
        """Everything one request caused, found by scanning the whole log."""
        needle = request_id.encode()
        history = []
        recorder, mapper = self._ledger.recorder, self._ledger.mapper
        start = 1
        while True:
            batch = recorder.select_notifications(start=start, limit=5000)
            for notification in batch:
                if needle in notification.state:  # cheap test before decoding
                    event = mapper.to_domain_event(notification)
                    if cause_of(event).get("request_id") == request_id:
                        history.append(_entry(event))
            if len(batch) < 5000:
                break
            start = batch[-1].id + 1
        if not history:
            raise UnknownUUIDResource(f"request {request_id!r} caused no event")
        return _answer({"type": "request", "request_id": request_id}, history, None)

    def _stream(self, aggregate_id: UUID, missing: Callable[[], Exception] | None = None) -> list[Any]:
        events = list(self._ledger.events.get(aggregate_id))
        if not events and missing is not None:
            raise missing()
        return events


def _until(events: Iterable[Any], at: datetime | None) -> list[Any]:
    return [event for event in events if at is None or event.timestamp <= at]


def _entry(event: Any, **known: Any) -> dict[str, Any]:
    cause = cause_of(event)
    entry = {
        "event": type(event).__name__,
        "at": event.timestamp.isoformat(),
        "instance_id": getattr(event, "instance_id", None),
        "vif_id": getattr(event, "vif_id", None),
        "account_id": cause.get("account_id"),
        "request_id": cause.get("request_id"),
        "command": cause.get("command"),
        **known,
    }
    entry.update({name: getattr(event, name) for name in _DETAILS if hasattr(event, name)})
    return entry


def _lease_holder(history: list[dict[str, Any]], assigned: str) -> dict[str, Any] | None:
    """The holder is whoever the last assignment named, unless a release followed it."""
    if not history or history[-1]["event"] != assigned:
        return None
    last = history[-1]
    return {
        "instance_id": last["instance_id"], "vif_id": last["vif_id"], "since": last["at"],
        "account_id": last["account_id"], "request_id": last["request_id"],
    }  # fmt: skip


def _answer(subject: dict[str, Any], history: list[dict[str, Any]], holder: Any) -> Answer:
    return {"subject": subject, "history": history, "holder": holder}
