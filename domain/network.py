"""A network segment and the addresses held in it.

Invariant: an address of the segment is held by at most one interface at a time, and the
network, broadcast and service addresses (gateway, DNS, DHCP, metadata) are never handed
out. Uniqueness is per network: overlapping tenant networks are legal.
"""

from collections.abc import Iterable, Iterator
from uuid import UUID

import netaddr
from eventsourcing.domain import Aggregate, event

from domain.addresses import format_ipv4, parse_ipv4
from domain.errors import (
    DuplicateIPAddress,
    InvalidParameter,
    IPAddressNotPartOfSegment,
    IpNotInDhcpRange,
    ReleaseMismatch,
)
from domain.identifiers import aggregate_id
from domain.snapshots import Snapshotted

ASCENDING, DESCENDING = "asc", "desc"
SERVICE_ADDRESS_FIELDS = ("gateway", "dns_server", "dhcp_server", "metadata_server")


class Network(Snapshotted):
    class Registered(Aggregate.Created):
        network_id: str
        ipv4_network: str
        prefix: int
        gateway: str | None
        dns_server: str | None
        dhcp_server: str | None
        metadata_server: str | None
        dhcp_ranges: list[list[str]]  # [[begin, end], ...], inclusive
        ip_assignment: str
        display_name: str

    class IPAssigned(Aggregate.Event):
        address: str
        instance_id: str
        vif_id: str
        scheduled: bool  # chosen by the scheduler, as opposed to pinned by the caller

    class IPReleased(Aggregate.Event):
        address: str
        instance_id: str
        vif_id: str

    @staticmethod
    def create_id(network_id: str, **_: object) -> UUID:
        return network_aggregate_id(network_id)

    @classmethod
    def register(
        cls,
        network_id: str,
        ipv4_network: str,
        prefix: int,
        gateway: str | None = None,
        dns_server: str | None = None,
        dhcp_server: str | None = None,
        metadata_server: str | None = None,
        dhcp_ranges: list[tuple[str, str]] | None = None,
        ip_assignment: str = ASCENDING,
        display_name: str = "",
    ) -> "Network":
        """Validates a new network; ``dhcp_ranges=None`` means every usable host address."""
        base = parse_ipv4(ipv4_network, "network")
        if not 1 <= prefix <= 30:
            raise InvalidParameter(f"prefix: {prefix} must be between 1 and 30")
        segment = netaddr.IPNetwork(f"{format_ipv4(base)}/{prefix}")
        if int(segment.network) != base:
            raise InvalidParameter(
                f"network: {ipv4_network} is not the first address of a /{prefix} "
                f"(did you mean {segment.network}?)"
            )
        first_host, last_host = int(segment.network) + 1, int(segment.broadcast) - 1
        services = dict(
            gateway=gateway,
            dns_server=dns_server,
            dhcp_server=dhcp_server,
            metadata_server=metadata_server,
        )
        for field, text in services.items():
            if text is not None and not first_host <= parse_ipv4(text, field) <= last_host:
                raise InvalidParameter(f"{field}: {text} is not a host address of {segment}")
        if ip_assignment not in (ASCENDING, DESCENDING):
            raise InvalidParameter(f"ip_assignment: {ip_assignment!r} must be 'asc' or 'desc'")
        ranges = []
        for begin_text, end_text in dhcp_ranges or [(format_ipv4(first_host), format_ipv4(last_host))]:
            begin, end = parse_ipv4(begin_text, "dhcp_range"), parse_ipv4(end_text, "dhcp_range")
            if not first_host <= begin <= end <= last_host:
                raise InvalidParameter(
                    f"dhcp_range: {begin_text}-{end_text} must be an ascending range of host "
                    f"addresses of {segment}"
                )
            ranges.append((begin, end))
        return cls(
            network_id=network_id,
            ipv4_network=format_ipv4(base),
            prefix=prefix,
            **services,
            dhcp_ranges=[[format_ipv4(b), format_ipv4(e)] for b, e in _merge(ranges)],
            ip_assignment=ip_assignment,
            display_name=display_name,
        )

    @event(Registered)
    def __init__(
        self,
        network_id: str,
        ipv4_network: str,
        prefix: int,
        gateway: str | None,
        dns_server: str | None,
        dhcp_server: str | None,
        metadata_server: str | None,
        dhcp_ranges: list[list[str]],
        ip_assignment: str,
        display_name: str,
    ):
        self.network_id = network_id
        self.ipv4_network = ipv4_network
        self.prefix = prefix
        self.gateway = gateway
        self.dns_server = dns_server
        self.dhcp_server = dhcp_server
        self.metadata_server = metadata_server
        self.dhcp_range_texts = dhcp_ranges
        self.ip_assignment = ip_assignment
        self.display_name = display_name
        # Derived once, as ints, so that the per-request checks are integer compares.
        base = parse_ipv4(ipv4_network, "network")
        self.first_host = base + 1
        self.last_host = base + (1 << (32 - prefix)) - 2
        self.dhcp_ranges = [
            (parse_ipv4(begin, "dhcp_range"), parse_ipv4(end, "dhcp_range")) for begin, end in dhcp_ranges
        ]
        self.reserved = {
            parse_ipv4(text, "service address"): field
            for field in SERVICE_ADDRESS_FIELDS
            if (text := getattr(self, field)) is not None
        }
        self.holders: dict[int, str] = {}  # address -> instance id
        self.last_scheduled: int | None = None

    def snapshot_state(self) -> dict:
        state = super().snapshot_state()
        state["holders"] = list(self.holders.items())  # int keys: pairs survive JSON
        state["reserved"] = list(self.reserved.items())
        return state

    @classmethod
    def from_snapshot_state(cls, state: dict) -> dict:
        state["holders"] = dict(state["holders"])
        state["reserved"] = dict(state["reserved"])
        state["dhcp_ranges"] = [tuple(pair) for pair in state["dhcp_ranges"]]
        return state

    @property
    def cidr(self) -> str:
        return f"{self.ipv4_network}/{self.prefix}"

    def in_dhcp_range(self, address: int) -> bool:
        return any(begin <= address <= end for begin, end in self.dhcp_ranges)

    def is_available(self, address: int) -> bool:
        return (
            self.first_host <= address <= self.last_host
            and address not in self.reserved
            and address not in self.holders
        )

    def assign(
        self,
        address: int,
        instance_id: str,
        vif_id: str,
        *,
        scheduled: bool = False,
        field: str = "ipv4_addr",
        require_dhcp_range: bool = False,
    ) -> None:
        text = format_ipv4(address)
        if not self.first_host <= address <= self.last_host:
            raise IPAddressNotPartOfSegment(
                f"{field}: {text} is not a host address of {self.network_id} ({self.cidr})"
            )
        if address in self.reserved:
            raise DuplicateIPAddress(
                f"{field}: {text} is reserved for the {self.reserved[address]} of {self.network_id}"
            )
        if address in self.holders:
            raise DuplicateIPAddress(f"{field}: {text} is already in use in {self.network_id}")
        if require_dhcp_range and not self.in_dhcp_range(address):
            raise IpNotInDhcpRange(f"{field}: {text} is outside the DHCP ranges of {self.network_id}")
        self._assigned(address=text, instance_id=instance_id, vif_id=vif_id, scheduled=scheduled)

    @event(IPAssigned)
    def _assigned(self, address: str, instance_id: str, vif_id: str, scheduled: bool) -> None:
        value = parse_ipv4(address, "address")
        self.holders[value] = instance_id
        if scheduled:
            self.last_scheduled = value

    def release(self, address: int, instance_id: str, vif_id: str) -> None:
        if self.holders.get(address) != instance_id:
            raise ReleaseMismatch(f"{format_ipv4(address)} of {self.network_id} is not held by {instance_id}")
        self._released(address=format_ipv4(address), instance_id=instance_id, vif_id=vif_id)

    @event(IPReleased)
    def _released(self, address: str, instance_id: str, vif_id: str) -> None:
        del self.holders[parse_ipv4(address, "address")]


def network_aggregate_id(network_id: str) -> UUID:
    return aggregate_id("networks", network_id)


def parse_dhcp_ranges(text: str) -> list[tuple[str, str]] | None:
    """``default`` (None: every usable host) or ``A-B[,C-D...]``."""
    if text.strip() == "default":
        return None
    ranges = []
    for part in text.split(","):
        begin, sep, end = part.strip().partition("-")
        if not sep:
            raise InvalidParameter(f"dhcp_range: {part.strip()!r} must look like A-B")
        ranges.append((begin.strip(), end.strip()))
    return ranges


def _merge(ranges: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Sorted, with overlapping or touching ranges joined, so each address counts once."""
    current: tuple[int, int] | None = None
    for begin, end in sorted(ranges):
        if current and begin <= current[1] + 1:
            current = (current[0], max(current[1], end))
            continue
        if current:
            yield current
        current = (begin, end)
    if current:
        yield current
