"""Ledgers on a real SQLite file, with a small known topology."""

import pytest

from application.commands import (
    AddMacRange,
    CreateInstance,
    RegisterHostNode,
    RegisterImage,
    RegisterNetwork,
    RegisterSshKeyPair,
    VifRequest,
)
from infrastructure.bootstrap import build_services
from infrastructure.config import load_settings

ACCOUNT = "a-tester"


def open_services(data_dir, **settings):
    return build_services(load_settings(data_dir=data_dir, **settings))


def register_topology(ledger):
    ledger.register_network(
        RegisterNetwork(network_id="nw-a", ipv4_network="10.0.0.0", prefix=24, gateway="10.0.0.1")
    )
    ledger.register_network(
        RegisterNetwork(network_id="nw-nat", ipv4_network="172.16.0.0", prefix=24, gateway="172.16.0.1")
    )
    ledger.register_network(RegisterNetwork(network_id="nw-tiny", ipv4_network="10.9.0.0", prefix=30))
    ledger.add_mac_range(AddMacRange(range_id="mr-a", range_begin="000001", range_end="00ffff"))
    ledger.register_host_node(
        RegisterHostNode(host_node_id="hn-a", offering_cpu_cores=4, offering_memory_size=4096)
    )
    ledger.register_host_node(
        RegisterHostNode(host_node_id="hn-b", offering_cpu_cores=4, offering_memory_size=2048)
    )
    ledger.register_image(RegisterImage(image_id="wmi-a", arch="x86_64"))
    ledger.register_ssh_key_pair(
        RegisterSshKeyPair(ssh_key_id="ssh-a", account_id=ACCOUNT, public_key="ssh-rsa AAAA test")
    )


@pytest.fixture
def services(tmp_path):
    services = open_services(tmp_path)
    register_topology(services.ledger)
    yield services
    services.close()


@pytest.fixture
def ledger(services):
    return services.ledger


def vif(name="eth0", network_id="nw-a", **fields):
    return VifRequest(name=name, network_id=network_id, **fields)


def create(ledger, *vifs, custom=True, **fields):
    params = dict(account_id=ACCOUNT, image_id="wmi-a", cpu_cores=1, memory_size=512)
    params.update(fields)
    return ledger.create_instance(CreateInstance(custom_instance=custom, vifs=tuple(vifs), **params))
