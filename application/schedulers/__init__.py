"""Schedulers choose what a request leaves unpinned; each kind sits behind a small
interface and is picked by name in the configuration file."""

from dataclasses import dataclass, field

from application.schedulers.host_node import FindFirst, HostNodeScheduler, LeastUsage
from application.schedulers.mac_address import Default, MacAddressScheduler, Sequential
from application.schedulers.network import Incremental, NetworkScheduler

NETWORK_SCHEDULERS = {"Incremental": Incremental}
MAC_ADDRESS_SCHEDULERS = {"Default": Default, "Sequential": Sequential}
HOST_NODE_SCHEDULERS = {"LeastUsage": LeastUsage, "FindFirst": FindFirst}


@dataclass
class Schedulers:
    network: NetworkScheduler = field(default_factory=Incremental)
    mac_address: MacAddressScheduler = field(default_factory=Default)
    host_node: HostNodeScheduler = field(default_factory=LeastUsage)

    @classmethod
    def by_name(
        cls, network: str, mac_address: str, host_node: str, host_node_sort_by: str = "memory"
    ) -> "Schedulers":
        """Raises ``ValueError`` naming the setting when a name is unknown."""
        choices = (
            ("network", network, NETWORK_SCHEDULERS),
            ("mac_address", mac_address, MAC_ADDRESS_SCHEDULERS),
            ("host_node", host_node, HOST_NODE_SCHEDULERS),
        )
        for setting, name, known in choices:
            if name not in known:
                raise ValueError(f"schedulers.{setting}: {name!r} is not one of {', '.join(sorted(known))}")
        host_scheduler = (
            LeastUsage(host_node_sort_by) if host_node == "LeastUsage" else HOST_NODE_SCHEDULERS[host_node]()
        )
        return cls(NETWORK_SCHEDULERS[network](), MAC_ADDRESS_SCHEDULERS[mac_address](), host_scheduler)
