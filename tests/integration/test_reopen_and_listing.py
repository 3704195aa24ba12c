"""What a later process sees: allocations survive reopening the store, and listings
follow writes made through another process's ledger."""

import pytest

from domain.errors import DuplicateIPAddress, InvalidInstanceState
from tests.integration.conftest import ACCOUNT, create, vif


def test_allocations_survive_reopening_the_store(services, reopen):
    instance = create(services.ledger, vif(ipv4_addr="10.0.0.60"), host_node_id="hn-a", cpu_cores=2)
    services.close()

    reopened = reopen()
    try:
        with pytest.raises(DuplicateIPAddress):
            create(reopened.ledger, vif(ipv4_addr="10.0.0.60"))
        assert reopened.ledger.host_node("hn-a").available.cpu_cores == 2
        reopened.ledger.terminate_instance(ACCOUNT, instance.instance_id)
        with pytest.raises(InvalidInstanceState):
            reopened.ledger.terminate_instance(ACCOUNT, instance.instance_id)
    finally:
        reopened.close()


def test_listings_see_writes_of_another_ledger_at_once(services, reopen):
    other = reopen()
    try:
        assert services.queries.instances(ACCOUNT).total == 0
        made = [create(other.ledger, vif(), display_name=f"web{n}") for n in range(3)]
        other.ledger.terminate_instance(ACCOUNT, made[1].instance_id)

        page = services.queries.instances(ACCOUNT)
        assert [i["instance_id"] for i in page.results] == [i.instance_id for i in made]
        alive = services.queries.instances(ACCOUNT, state="alive")
        assert [i["display_name"] for i in alive.results] == ["web0", "web2"]
        assert services.queries.instances(ACCOUNT, state="terminated").total == 1
        assert services.queries.instances(ACCOUNT, display_name="web2").total == 1
        assert services.queries.instances("a-other").total == 0
        paged = services.queries.instances(ACCOUNT, start=1, limit=1)
        assert (paged.total, [i["display_name"] for i in paged.results]) == (3, ["web1"])
        assert [n["network_id"] for n in services.queries.networks()] == ["nw-a", "nw-nat", "nw-tiny"]
        assert [k["ssh_key_id"] for k in services.queries.ssh_key_pairs(ACCOUNT)] == ["ssh-a"]
        assert services.queries.ssh_key_pairs("a-other") == []
    finally:
        other.close()


def test_a_cold_process_loads_large_aggregates_from_their_snapshots(services, reopen):
    kept = create(services.ledger, vif(network_id="nw-nat"), memory_size=128)
    for _ in range(260):  # past the snapshot interval of 500 events on nw-a
        made = create(services.ledger, vif(), memory_size=128)
        services.ledger.terminate_instance(ACCOUNT, made.instance_id)
    network = services.ledger.network("nw-a")
    services.ledger.flush_snapshots()  # they are taken in the background
    snapshots = list(services.ledger.snapshots.get(network.id, desc=True, limit=1))
    assert snapshots and snapshots[0].originator_version == 500

    cold = reopen()
    try:
        loaded = cold.ledger.network("nw-a")
        assert vars(loaded) == vars(network)
        assert cold.ledger.host_node("hn-a").reservations == services.ledger.host_node("hn-a").reservations
        with pytest.raises(DuplicateIPAddress):
            create(cold.ledger, vif(network_id="nw-nat", ipv4_addr=kept.vifs[0].ipv4_addr))
    finally:
        cold.close()
