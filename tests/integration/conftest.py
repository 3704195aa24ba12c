"""Ledgers on a real store, SQLite file and PostgreSQL database alike, with a small
known topology."""

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
from tests.postgres import fresh_database

ACCOUNT = "a-tester"


def open_services(data_dir, config=None):
    """What another process would open: the same store and the same view files."""
    return build_services(load_settings(config, data_dir=data_dir))


def register_topology(ledger):
    ledger.register_network(RegisterNetwork(network_id="nw-a", ipv4_network="10.0.0.0", prefix=24,
                                            gateway="10.0.0.1"))  # fmt: skip
    ledger.register_network(RegisterNetwork(network_id="nw-nat", ipv4_network="172.16.0.0", prefix=24,
                                            gateway="172.16.0.1"))  # fmt: skip
    ledger.register_network(RegisterNetwork(network_id="nw-tiny", ipv4_network="10.9.0.0", prefix=30))
    ledger.add_mac_range(AddMacRange(range_id="mr-a", range_begin="000001", range_end="00ffff"))
    ledger.register_host_node(RegisterHostNode(host_node_id="hn-a", offering_cpu_cores=4,
                                               offering_memory_size=4096))  # fmt: skip
    ledger.register_host_node(RegisterHostNode(host_node_id="hn-b", offering_cpu_cores=4,
                                               offering_memory_size=2048))  # fmt: skip
    ledger.register_image(RegisterImage(image_id="wmi-a", arch="x86_64"))
    ledger.register_ssh_key_pair(RegisterSshKeyPair(ssh_key_id="ssh-a", account_id=ACCOUNT,
                                                    public_key="ssh-rsa AAAA test"))  # fmt: skip


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """The config file that selects the store (None: the default, SQLite in tmp_path)."""
    if request.param == "sqlite":
        yield None
    else:
        with fresh_database(tmp_path) as config:
            yield config


@pytest.fixture
def reopen(tmp_path, store):
    return lambda: open_services(tmp_path, store)


@pytest.fixture
def services(reopen):
    services = reopen()
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
