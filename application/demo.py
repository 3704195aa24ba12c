"""The demo topology loaded on the first start of an empty store, so that the spec's
own example request works as is."""

from application.commands import (
    AddMacRange,
    RegisterHostNode,
    RegisterImage,
    RegisterNetwork,
    RegisterSshKeyPair,
)
from application.ledger import Ledger

DEMO_ACCOUNT = "a-shpoolxx"


def load_demo_topology(ledger: Ledger) -> None:
    ledger.register_network(
        RegisterNetwork(
            network_id="nw-demo1",
            ipv4_network="192.168.2.0",
            prefix=24,
            gateway="192.168.2.1",
            display_name="demo network",
        )
    )
    ledger.register_network(
        RegisterNetwork(
            network_id="nw-demo2",
            ipv4_network="192.168.3.0",
            prefix=24,
            gateway="192.168.3.1",
            display_name="demo NAT network",
        )
    )
    ledger.add_mac_range(
        AddMacRange(
            range_id="mr-demomacs",
            vendor_id="525400",
            range_begin="000001",
            range_end="ffffff",
            display_name="demo MAC range",
        )
    )
    for host_node_id, node_id in (("hn-demo1", "hva.demo1"), ("hn-demo2", "hva.demo2")):
        ledger.register_host_node(
            RegisterHostNode(
                host_node_id=host_node_id,
                node_id=node_id,
                arch="x86_64",
                hypervisor="kvm",
                offering_cpu_cores=16,
                offering_memory_size=32768,
            )
        )
    ledger.register_image(RegisterImage(image_id="wmi-demo1", arch="x86_64", display_name="demo image"))
    ledger.register_ssh_key_pair(
        RegisterSshKeyPair(
            ssh_key_id="ssh-demo1",
            account_id=DEMO_ACCOUNT,
            display_name="demo key",
            public_key="ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDdemo demo@vdc-ledger",
        )
    )
