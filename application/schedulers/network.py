"""Network schedulers: which address an interface gets when the caller pins none."""

from typing import Protocol

from application.schedulers.cyclic import walk_after
from domain.errors import OutOfIpRange
from domain.network import DESCENDING, Network


class NetworkScheduler(Protocol):
    def choose_address(self, network: Network) -> int:
        """A free address of ``network``; raises ``OutOfIpRange`` when there is none."""


class Incremental:
    """Wakame's default: the next free address of the DHCP ranges after the most recent
    automatic lease, ascending or descending as the network's ``ip_assignment`` says,
    wrapping round at the end. Released addresses are therefore not reused before the
    walk comes round to them again. Service addresses and pinned ones are skipped.
    """

    def choose_address(self, network: Network) -> int:
        walk = walk_after(
            network.dhcp_ranges,
            network.last_scheduled,
            descending=network.ip_assignment == DESCENDING,
        )
        for address in walk:
            if network.is_available(address):
                return address
        raise OutOfIpRange(f"network_id: {network.network_id} has no free address in its DHCP ranges")
