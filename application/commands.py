"""What callers ask for, as plain data; the HTTP adapter and the CLI build these."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VifRequest:
    """One interface of a create request; every address left None is scheduled."""

    name: str
    network_id: str | None
    index: int | None = None
    ipv4_addr: str | None = None
    nat_network_id: str | None = None
    nat_ipv4_addr: str | None = None
    mac_addr: str | None = None


@dataclass(frozen=True)
class CreateInstance:
    account_id: str
    image_id: str
    cpu_cores: int = 1
    memory_size: int = 1024
    hypervisor: str | None = None
    ssh_key_id: str | None = None
    user_data: str = ""
    ha_enabled: bool = False
    display_name: str = ""
    hostname: str = ""
    custom_instance: bool = False
    host_node_id: str | None = None
    vifs: tuple[VifRequest, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RegisterNetwork:
    ipv4_network: str
    prefix: int = 24
    network_id: str | None = None
    gateway: str | None = None
    dns_server: str | None = None
    dhcp_server: str | None = None
    metadata_server: str | None = None
    dhcp_range: str = "default"
    ip_assignment: str = "asc"
    display_name: str = ""


@dataclass(frozen=True)
class AddMacRange:
    range_begin: str
    range_end: str
    range_id: str | None = None
    vendor_id: str = "525400"
    display_name: str = ""


@dataclass(frozen=True)
class RegisterHostNode:
    offering_cpu_cores: int
    offering_memory_size: int
    host_node_id: str | None = None
    node_id: str | None = None
    arch: str = "x86_64"
    hypervisor: str = "kvm"


@dataclass(frozen=True)
class RegisterImage:
    arch: str = "x86_64"
    image_id: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class RegisterSshKeyPair:
    account_id: str
    public_key: str
    ssh_key_id: str | None = None
    display_name: str = ""
