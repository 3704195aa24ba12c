"""Host node schedulers: where an instance runs when the caller pins no host."""

from collections.abc import Sequence
from typing import Protocol

from domain.capacity import Size
from domain.errors import OutOfHostCapacity
from domain.host_node import HostNode


class HostNodeScheduler(Protocol):
    def choose_host(
        self, hosts: Sequence[HostNode], size: Size, arch: str, hypervisor: str | None
    ) -> HostNode:
        """An online, compatible host with room; raises ``OutOfHostCapacity`` otherwise."""


def _candidates(hosts: Sequence[HostNode], size: Size, arch: str, hypervisor: str | None) -> list[HostNode]:
    fitting = [host for host in hosts if host.can_host(size, arch, hypervisor)]
    if not fitting:
        raise OutOfHostCapacity(
            f"no online {hypervisor or 'any-hypervisor'}/{arch} host node has "
            f"{size.cpu_cores} cpu cores and {size.memory_size} MB free"
        )
    return fitting


class LeastUsage:
    """The host with the most free memory (or cpu cores), ties to the earliest registered."""

    def __init__(self, sort_by: str = "memory"):
        if sort_by not in ("memory", "cpu"):
            raise ValueError(f"LeastUsage sorts by 'memory' or 'cpu', not {sort_by!r}")
        self.sort_by = sort_by

    def choose_host(self, hosts, size, arch, hypervisor):
        def free(host: HostNode) -> tuple[int, int]:
            room = host.available
            if self.sort_by == "cpu":
                return room.cpu_cores, room.memory_size
            return room.memory_size, room.cpu_cores

        # max() keeps the first of equals, i.e. the earliest registered host.
        return max(_candidates(hosts, size, arch, hypervisor), key=free)


class FindFirst:
    """The earliest registered host that fits."""

    def choose_host(self, hosts, size, arch, hypervisor):
        return _candidates(hosts, size, arch, hypervisor)[0]
