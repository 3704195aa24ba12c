"""Every MAC address in use, and the ranges the MAC scheduler draws from.

One pool for the whole service: MAC uniqueness is global (a MAC pinned outside every
range must still never be given twice), so a single aggregate guards it.
"""

import re
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.addresses import format_mac
from domain.errors import (
    DuplicateMacAddress,
    InvalidParameter,
    MacNotInRange,
    ReleaseMismatch,
    ResourceAlreadyExists,
)
from domain.identifiers import aggregate_id
from domain.snapshots import Snapshotted

_SIX_HEX = re.compile(r"[0-9a-fA-F]{6}")
DEFAULT_VENDOR_ID = "525400"


class MacRange:
    """``vendor_id`` (the OUI, 24 bits) followed by a 24-bit span of device ids."""

    def __init__(self, range_id: str, vendor_id: str, begin: str, end: str, display_name: str):
        self.range_id = range_id
        self.vendor_id = vendor_id
        self.range_begin = begin
        self.range_end = end
        self.display_name = display_name
        prefix = int(vendor_id, 16) << 24
        self.first = prefix | int(begin, 16)
        self.last = prefix | int(end, 16)

    def __contains__(self, mac: int) -> bool:
        return self.first <= mac <= self.last

    @property
    def size(self) -> int:
        return self.last - self.first + 1


class MacPool(Snapshotted):
    class Opened(Aggregate.Created):
        pass

    class RangeAdded(Aggregate.Event):
        range_id: str
        vendor_id: str
        range_begin: str
        range_end: str
        display_name: str

    class MacAssigned(Aggregate.Event):
        mac_addr: str
        instance_id: str
        vif_id: str
        scheduled: bool

    class MacReleased(Aggregate.Event):
        mac_addr: str
        instance_id: str
        vif_id: str

    @staticmethod
    def create_id(**_: object) -> UUID:
        return MAC_POOL_ID

    @event(Opened)
    def __init__(self) -> None:
        self.ranges: dict[str, MacRange] = {}
        self.holders: dict[int, str] = {}  # mac -> instance id
        self.last_scheduled: int | None = None

    def add_range(
        self,
        range_id: str,
        range_begin: str,
        range_end: str,
        vendor_id: str = DEFAULT_VENDOR_ID,
        display_name: str = "",
    ) -> MacRange:
        fields = {"vendor_id": vendor_id, "range_begin": range_begin, "range_end": range_end}
        for field, value in fields.items():
            if not _SIX_HEX.fullmatch(value):
                raise InvalidParameter(f"{field}: {value!r} must be 6 hex digits")
        if int(vendor_id, 16) & 0x010000:
            raise InvalidParameter(f"vendor_id: {vendor_id} is a multicast prefix")
        if int(range_begin, 16) > int(range_end, 16):
            raise InvalidParameter(f"range_begin: {range_begin} is after range_end {range_end}")
        if range_id in self.ranges:
            raise ResourceAlreadyExists(f"id: MAC range {range_id} exists already")
        new = MacRange(range_id, vendor_id.lower(), range_begin.lower(), range_end.lower(), display_name)
        for other in self.ranges.values():
            if new.first <= other.last and other.first <= new.last:
                raise InvalidParameter(f"range_begin: the range overlaps MAC range {other.range_id}")
        self._range_added(
            range_id=range_id,
            vendor_id=new.vendor_id,
            range_begin=new.range_begin,
            range_end=new.range_end,
            display_name=display_name,
        )
        return self.ranges[range_id]

    @event(RangeAdded)
    def _range_added(
        self, range_id: str, vendor_id: str, range_begin: str, range_end: str, display_name: str
    ) -> None:
        self.ranges[range_id] = MacRange(range_id, vendor_id, range_begin, range_end, display_name)

    def snapshot_state(self) -> dict:
        state = super().snapshot_state()
        state["holders"] = list(self.holders.items())
        state["ranges"] = [
            [r.range_id, r.vendor_id, r.range_begin, r.range_end, r.display_name]
            for r in self.ranges.values()
        ]
        return state

    @classmethod
    def from_snapshot_state(cls, state: dict) -> dict:
        state["holders"] = dict(state["holders"])
        state["ranges"] = {fields[0]: MacRange(*fields) for fields in state["ranges"]}
        return state

    def in_range(self, mac: int) -> bool:
        return any(mac in r for r in self.ranges.values())

    def is_available(self, mac: int) -> bool:
        return mac not in self.holders

    def assign(
        self,
        mac: int,
        instance_id: str,
        vif_id: str,
        *,
        scheduled: bool = False,
        field: str = "mac_addr",
        require_range: bool = False,
    ) -> None:
        if mac in self.holders:
            raise DuplicateMacAddress(f"{field}: {format_mac(mac)} is already in use")
        if require_range and not self.in_range(mac):
            raise MacNotInRange(f"{field}: {format_mac(mac)} is outside every MAC range")
        self._assigned(mac_addr=format_mac(mac), instance_id=instance_id, vif_id=vif_id, scheduled=scheduled)

    @event(MacAssigned)
    def _assigned(self, mac_addr: str, instance_id: str, vif_id: str, scheduled: bool) -> None:
        mac = int(mac_addr, 16)
        self.holders[mac] = instance_id
        if scheduled:
            self.last_scheduled = mac

    def release(self, mac: int, instance_id: str, vif_id: str) -> None:
        if self.holders.get(mac) != instance_id:
            raise ReleaseMismatch(f"MAC {format_mac(mac)} is not held by {instance_id}")
        self._released(mac_addr=format_mac(mac), instance_id=instance_id, vif_id=vif_id)

    @event(MacReleased)
    def _released(self, mac_addr: str, instance_id: str, vif_id: str) -> None:
        del self.holders[int(mac_addr, 16)]


MAC_POOL_ID = aggregate_id("mac-pools", "global")
