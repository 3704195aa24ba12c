"""Utilization and capacity reports from the views."""

import pytest

from application.commands import AddMacRange, RegisterNetwork
from tests.integration.conftest import create, vif


@pytest.fixture
def small(ledger):
    """A /29 with a gateway: 6 usable hosts, 5 it can hand out; DHCP .2-.4 only."""
    ledger.register_network(RegisterNetwork(
        network_id="nw-small", ipv4_network="10.5.0.0", prefix=29, gateway="10.5.0.1",
        dhcp_range="10.5.0.2-10.5.0.4",
    ))  # fmt: skip
    return "nw-small"


def row(queries, network_id):
    return next(r for r in queries.network_report() if r["network_id"] == network_id)


def test_an_empty_network(services, small):
    assert row(services.queries, small) == {
        "network_id": "nw-small", "ipv4_network": "10.5.0.0", "prefix": 29, "total": 5, "used": 0, "free": 5,
        "utilization": 0.0, "used_outside_dhcp": 0,
    }  # fmt: skip


def test_half_full_and_full_with_manual_addresses_outside_the_dhcp_ranges(services, small):
    ledger = services.ledger
    create(ledger, vif(network_id=small, ipv4_addr="10.5.0.5"))  # pinned outside the DHCP range
    create(ledger, vif(network_id=small))
    half = row(services.queries, small)
    assert (half["used"], half["free"], half["utilization"], half["used_outside_dhcp"]) == (2, 3, 0.4, 1)

    create(ledger, vif(network_id=small, ipv4_addr="10.5.0.6"))
    create(ledger, vif(network_id=small))
    create(ledger, vif(network_id=small))
    full = row(services.queries, small)
    assert (full["used"], full["free"], full["utilization"], full["used_outside_dhcp"]) == (5, 0, 1.0, 2)


def test_host_and_mac_reports(services):
    create(services.ledger, vif(), host_node_id="hn-b", cpu_cores=3, memory_size=1024)
    host = next(r for r in services.queries.host_report() if r["host_node_id"] == "hn-b")
    assert (host["reserved_cpu_cores"], host["available_cpu_cores"], host["available_memory_size"]) == (
        3,
        1,
        1024,
    )
    assert host["instances"] == 1

    services.ledger.add_mac_range(
        AddMacRange(range_id="mr-b", vendor_id="0200aa", range_begin="000000", range_end="000003")
    )
    create(services.ledger, vif(mac_addr="0200aa000001"))
    macs = {r["range_id"]: r for r in services.queries.mac_report()}
    assert (macs["mr-b"]["total"], macs["mr-b"]["used"], macs["mr-b"]["utilization"]) == (4, 1, 0.25)
    assert (macs["mr-a"]["used"], macs["mr-a"]["total"]) == (1, 0xFFFF)
