"""A hypervisor host and the capacity its instances have reserved on it.

Invariant: the reserved cpu cores and memory never exceed the offering.
"""

from dataclasses import astuple
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.capacity import NOTHING, Size
from domain.errors import (
    IncompatibleHostNode,
    InvalidHostNodeID,
    InvalidParameter,
    OutOfHostCapacity,
    ReleaseMismatch,
)
from domain.identifiers import aggregate_id
from domain.snapshots import Snapshotted

ONLINE, OFFLINE = "online", "offline"


class HostNode(Snapshotted):
    class Registered(Aggregate.Created):
        host_node_id: str
        node_id: str
        arch: str
        hypervisor: str
        offering_cpu_cores: int
        offering_memory_size: int

    class StatusChanged(Aggregate.Event):
        status: str

    class CapacityReserved(Aggregate.Event):
        instance_id: str
        cpu_cores: int
        memory_size: int

    class CapacityReleased(Aggregate.Event):
        instance_id: str
        cpu_cores: int
        memory_size: int

    @staticmethod
    def create_id(host_node_id: str, **_: object) -> UUID:
        return host_node_aggregate_id(host_node_id)

    @classmethod
    def register(
        cls,
        host_node_id: str,
        node_id: str,
        arch: str,
        hypervisor: str,
        offering_cpu_cores: int,
        offering_memory_size: int,
    ) -> "HostNode":
        if offering_cpu_cores < 1:
            raise InvalidParameter(f"offering_cpu_cores: {offering_cpu_cores} must be at least 1")
        if offering_memory_size < 1:
            raise InvalidParameter(f"offering_memory_size: {offering_memory_size} must be at least 1")
        return cls(
            host_node_id=host_node_id,
            node_id=node_id,
            arch=arch,
            hypervisor=hypervisor,
            offering_cpu_cores=offering_cpu_cores,
            offering_memory_size=offering_memory_size,
        )

    @event(Registered)
    def __init__(
        self,
        host_node_id: str,
        node_id: str,
        arch: str,
        hypervisor: str,
        offering_cpu_cores: int,
        offering_memory_size: int,
    ):
        self.host_node_id = host_node_id
        self.node_id = node_id
        self.arch = arch
        self.hypervisor = hypervisor
        self.offering = Size(offering_cpu_cores, offering_memory_size)
        self.status = ONLINE
        self.reservations: dict[str, Size] = {}  # instance id -> its size
        self.reserved = NOTHING

    def snapshot_state(self) -> dict:
        state = super().snapshot_state()
        state["offering"] = astuple(self.offering)
        state["reserved"] = astuple(self.reserved)
        state["reservations"] = {i: astuple(size) for i, size in self.reservations.items()}
        return state

    @classmethod
    def from_snapshot_state(cls, state: dict) -> dict:
        state["offering"] = Size(*state["offering"])
        state["reserved"] = Size(*state["reserved"])
        state["reservations"] = {i: Size(*size) for i, size in state["reservations"].items()}
        return state

    @property
    def available(self) -> Size:
        return self.offering - self.reserved

    @property
    def online(self) -> bool:
        return self.status == ONLINE

    def change_status(self, status: str) -> None:
        if status not in (ONLINE, OFFLINE):
            raise InvalidParameter(f"status: {status!r} must be 'online' or 'offline'")
        if status != self.status:
            self._status_changed(status=status)

    @event(StatusChanged)
    def _status_changed(self, status: str) -> None:
        self.status = status

    def is_compatible(self, arch: str, hypervisor: str | None) -> bool:
        return self.arch == arch and hypervisor in (None, self.hypervisor)

    def can_host(self, size: Size, arch: str, hypervisor: str | None) -> bool:
        """What a scheduler asks: online, compatible and with room for ``size``."""
        return self.online and self.is_compatible(arch, hypervisor) and size.fits_in(self.available)

    def reserve(self, instance_id: str, size: Size, arch: str, hypervisor: str | None) -> None:
        """Checked in the original's order: online, compatible, then capacity."""
        if not self.online:
            raise InvalidHostNodeID(f"host_node_id: {self.host_node_id} is {self.status}")
        if not self.is_compatible(arch, hypervisor):
            wanted = f"{hypervisor or 'any hypervisor'}/{arch}"
            raise IncompatibleHostNode(
                f"host_node_id: {self.host_node_id} is {self.hypervisor}/{self.arch}, "
                f"the instance needs {wanted}"
            )
        if not size.fits_in(self.available):
            room = self.available
            raise OutOfHostCapacity(
                f"host_node_id: {self.host_node_id} has {room.cpu_cores} cpu cores and "
                f"{room.memory_size} MB free, the instance needs {size.cpu_cores} and "
                f"{size.memory_size} MB"
            )
        self._reserved(instance_id=instance_id, cpu_cores=size.cpu_cores, memory_size=size.memory_size)

    @event(CapacityReserved)
    def _reserved(self, instance_id: str, cpu_cores: int, memory_size: int) -> None:
        size = Size(cpu_cores, memory_size)
        self.reservations[instance_id] = size
        self.reserved += size

    def release(self, instance_id: str) -> None:
        size = self.reservations.get(instance_id)
        if size is None:
            raise ReleaseMismatch(f"{self.host_node_id} holds no capacity for {instance_id}")
        self._released(instance_id=instance_id, cpu_cores=size.cpu_cores, memory_size=size.memory_size)

    @event(CapacityReleased)
    def _released(self, instance_id: str, cpu_cores: int, memory_size: int) -> None:
        self.reserved -= self.reservations.pop(instance_id)


class HostNodeIndex(Aggregate):
    """Which host nodes exist, in registration order: what a host scheduler iterates.

    Kept as an aggregate (not a read model) so that scheduling never depends on a
    projection having caught up.
    """

    class Opened(Aggregate.Created):
        pass

    class HostNodeAdded(Aggregate.Event):
        host_node_id: str

    @staticmethod
    def create_id(**_: object) -> UUID:
        return HOST_NODE_INDEX_ID

    @event(Opened)
    def __init__(self) -> None:
        self.host_node_ids: list[str] = []

    @event(HostNodeAdded)
    def add(self, host_node_id: str) -> None:
        self.host_node_ids.append(host_node_id)


def host_node_aggregate_id(host_node_id: str) -> UUID:
    return aggregate_id("host_nodes", host_node_id)


HOST_NODE_INDEX_ID = aggregate_id("host-node-indexes", "global")
