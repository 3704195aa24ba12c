"""A virtual machine: where it runs, how big it is, and its network interfaces.

The instance records what it was given; the Network, MacPool and HostNode aggregates
hold the allocations themselves. Terminating it is what lets those be released.
"""

from dataclasses import asdict, dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.capacity import Size
from domain.errors import InvalidInstanceState
from domain.identifiers import aggregate_id

PENDING, TERMINATED = "pending", "terminated"


@dataclass(frozen=True)
class Vif:
    """One network interface as it was allocated."""

    vif_id: str
    name: str  # the caller's key, e.g. "eth0"
    index: int
    network_id: str
    ipv4_addr: str
    mac_addr: str
    nat_network_id: str | None = None
    nat_ipv4_addr: str | None = None


class Instance(Aggregate):
    class Created(Aggregate.Created):
        instance_id: str
        account_id: str
        host_node_id: str
        cpu_cores: int
        memory_size: int
        arch: str
        hypervisor: str
        image_id: str
        ssh_key_id: str | None
        display_name: str
        hostname: str
        user_data: str
        ha_enabled: bool
        custom_instance: bool
        vifs: list[dict]

    class Terminated(Aggregate.Event):
        pass

    @staticmethod
    def create_id(instance_id: str, **_: object) -> UUID:
        return instance_aggregate_id(instance_id)

    @classmethod
    def launch(
        cls,
        *,
        instance_id: str,
        account_id: str,
        host_node_id: str,
        size: Size,
        arch: str,
        hypervisor: str,
        image_id: str,
        ssh_key_id: str | None,
        display_name: str,
        hostname: str,
        user_data: str,
        ha_enabled: bool,
        custom_instance: bool,
        vifs: list[Vif],
    ) -> "Instance":
        return cls(
            instance_id=instance_id,
            account_id=account_id,
            host_node_id=host_node_id,
            cpu_cores=size.cpu_cores,
            memory_size=size.memory_size,
            arch=arch,
            hypervisor=hypervisor,
            image_id=image_id,
            ssh_key_id=ssh_key_id,
            display_name=display_name,
            hostname=hostname,
            user_data=user_data,
            ha_enabled=ha_enabled,
            custom_instance=custom_instance,
            vifs=[asdict(vif) for vif in vifs],
        )

    @event(Created)
    def __init__(
        self,
        instance_id: str,
        account_id: str,
        host_node_id: str,
        cpu_cores: int,
        memory_size: int,
        arch: str,
        hypervisor: str,
        image_id: str,
        ssh_key_id: str | None,
        display_name: str,
        hostname: str,
        user_data: str,
        ha_enabled: bool,
        custom_instance: bool,
        vifs: list[dict],
    ):
        self.instance_id = instance_id
        self.account_id = account_id
        self.host_node_id = host_node_id
        self.size = Size(cpu_cores, memory_size)
        self.arch = arch
        self.hypervisor = hypervisor
        self.image_id = image_id
        self.ssh_key_id = ssh_key_id
        self.display_name = display_name
        self.hostname = hostname
        self.user_data = user_data
        self.ha_enabled = ha_enabled
        self.custom_instance = custom_instance
        self.vifs = [Vif(**vif) for vif in vifs]
        self.state = PENDING
        self.terminated_at: datetime | None = None

    @property
    def alive(self) -> bool:
        return self.state != TERMINATED

    def terminate(self) -> None:
        if not self.alive:
            raise InvalidInstanceState(f"{self.instance_id} is terminated already")
        self._terminated()

    @event(Terminated)
    def _terminated(self) -> None:
        self.state = TERMINATED
        self.terminated_at = self.modified_on


def instance_aggregate_id(instance_id: str) -> UUID:
    return aggregate_id("instances", instance_id)
