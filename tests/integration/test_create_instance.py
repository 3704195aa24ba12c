"""The custom-instance command on a real SQLite store: each pinned field bypasses its
own scheduler, and a failed request leaves nothing allocated."""

import pytest

from domain.addresses import parse_ipv4
from domain.capacity import Size
from domain.errors import (
    DuplicateIPAddress,
    DuplicateMacAddress,
    IncompatibleHostNode,
    InvalidParameter,
    OutOfHostCapacity,
    OutOfIpRange,
    UnknownNetwork,
)
from tests.integration.conftest import ACCOUNT, create, vif


def held(ledger, network_id):
    return {address for address in ledger.network(network_id).holders}


def ip(text):
    return parse_ipv4(text, "t")


def test_ip_pinned_and_mac_scheduled(ledger):
    eth0 = create(ledger, vif(ipv4_addr="10.0.0.50")).vifs[0]
    assert eth0.ipv4_addr == "10.0.0.50"
    assert 0x525400000001 <= int(eth0.mac_addr, 16) <= 0x52540000FFFF


def test_mac_pinned_and_ip_scheduled(ledger):
    eth0 = create(ledger, vif(mac_addr="52:54:00:aa:bb:cc")).vifs[0]
    assert eth0.mac_addr == "525400aabbcc"
    assert eth0.ipv4_addr == "10.0.0.2"  # first free after network and gateway


def test_one_vif_pinned_and_another_scheduled(ledger):
    instance = create(
        ledger,
        vif("eth0", ipv4_addr="10.0.0.2", mac_addr="525400000001", index=0),
        vif("eth1", index=1),
    )
    eth0, eth1 = instance.vifs
    assert (eth0.ipv4_addr, eth0.mac_addr) == ("10.0.0.2", "525400000001")
    # The scheduler steers round the address the other interface pinned.
    assert eth1.ipv4_addr == "10.0.0.3"
    assert eth1.mac_addr != "525400000001"


def test_nat_pinned_and_nat_scheduled(ledger):
    instance = create(
        ledger,
        vif("eth0", nat_network_id="nw-nat", nat_ipv4_addr="172.16.0.64"),
        vif("eth1", nat_network_id="nw-nat"),
    )
    assert [v.nat_ipv4_addr for v in instance.vifs] == ["172.16.0.64", "172.16.0.2"]
    assert held(ledger, "nw-nat") == {ip("172.16.0.64"), ip("172.16.0.2")}


def test_host_pinned_and_host_scheduled(ledger):
    assert create(ledger, vif(), host_node_id="hn-b").host_node_id == "hn-b"
    # LeastUsage by memory: hn-a has 4096 MB free against hn-b's 1536.
    assert create(ledger, vif()).host_node_id == "hn-a"


def test_without_the_custom_flag_only_scheduling_is_allowed(ledger):
    assert create(ledger, vif(), custom=False).vifs[0].ipv4_addr == "10.0.0.2"
    for pinned in ({"ipv4_addr": "10.0.0.9"}, {"mac_addr": "525400000009"}, {"nat_ipv4_addr": "172.16.0.9"}):
        with pytest.raises(InvalidParameter, match="custom_instance=true is required"):
            create(ledger, vif(nat_network_id="nw-nat", **pinned), custom=False)
    with pytest.raises(InvalidParameter, match="host_node_id: custom_instance=true"):
        create(ledger, vif(), custom=False, host_node_id="hn-a")


def test_a_failing_second_vif_leaves_the_first_vifs_addresses_free(ledger):
    create(ledger, vif(ipv4_addr="10.0.0.77"))
    before = (held(ledger, "nw-a"), dict(ledger.mac_pool().holders), ledger.host_node("hn-a").available)
    with pytest.raises(DuplicateIPAddress):
        create(
            ledger,
            vif("eth0", ipv4_addr="10.0.0.20", mac_addr="525400001111", index=0),
            vif("eth1", ipv4_addr="10.0.0.77", index=1),
        )
    after = (held(ledger, "nw-a"), dict(ledger.mac_pool().holders), ledger.host_node("hn-a").available)
    assert after == before
    # And the addresses really are free: the same first vif now succeeds.
    create(ledger, vif(ipv4_addr="10.0.0.20", mac_addr="525400001111"))


def test_a_failing_host_leaves_every_address_free(ledger):
    with pytest.raises(OutOfHostCapacity):
        create(
            ledger, vif(ipv4_addr="10.0.0.30", nat_network_id="nw-nat"), host_node_id="hn-b", memory_size=4096
        )
    assert ip("10.0.0.30") not in held(ledger, "nw-a")
    assert held(ledger, "nw-nat") == set()
    assert ledger.mac_pool().holders == {}


def test_duplicates_within_one_request(ledger):
    with pytest.raises(DuplicateIPAddress, match="vifs.eth1.ipv4_addr"):
        create(ledger, vif("eth0", ipv4_addr="10.0.0.8", index=0), vif("eth1", ipv4_addr="10.0.0.8", index=1))
    with pytest.raises(DuplicateMacAddress, match="vifs.eth1.mac_addr"):
        create(
            ledger,
            vif("eth0", mac_addr="525400000008", index=0),
            vif("eth1", mac_addr="52-54-00-00-00-08", index=1),
        )
    with pytest.raises(DuplicateIPAddress, match="nat_ipv4_addr"):
        create(
            ledger,
            vif(
                "eth0",
                network_id="nw-nat",
                ipv4_addr="172.16.0.8",
                nat_network_id="nw-nat",
                nat_ipv4_addr="172.16.0.8",
            ),
        )


def test_unknown_nat_network(ledger):
    with pytest.raises(UnknownNetwork, match="vifs.eth0.nat_network_id: network 'nw-nope'"):
        create(ledger, vif(nat_network_id="nw-nope"))


def test_nat_address_without_nat_network(ledger):
    with pytest.raises(InvalidParameter, match="vifs.eth0.nat_network_id: is required"):
        create(ledger, vif(nat_ipv4_addr="172.16.0.9"))


def test_terminate_releases_everything_for_the_next_request(ledger):
    pinned = dict(
        ipv4_addr="10.0.0.40", mac_addr="525400000040", nat_network_id="nw-nat", nat_ipv4_addr="172.16.0.40"
    )
    first = create(ledger, vif(**pinned), host_node_id="hn-a", cpu_cores=4, memory_size=4096)
    assert ledger.host_node("hn-a").available == Size(0, 0)
    with pytest.raises(DuplicateMacAddress):  # the MAC is checked first, as in the original
        create(ledger, vif(**pinned))
    ledger.terminate_instance(ACCOUNT, first.instance_id)
    assert ledger.host_node("hn-a").available == Size(4, 4096)
    second = create(ledger, vif(**pinned), host_node_id="hn-a", cpu_cores=4, memory_size=4096)
    assert second.vifs[0].ipv4_addr == "10.0.0.40"


def test_capacity_fills_and_comes_back(ledger):
    created = [create(ledger, vif(), host_node_id="hn-b", memory_size=512) for _ in range(4)]
    with pytest.raises(OutOfHostCapacity, match="hn-b has 0 cpu cores"):
        create(ledger, vif(), host_node_id="hn-b", memory_size=512)
    ledger.terminate_instance(ACCOUNT, created[0].instance_id)
    assert create(ledger, vif(), host_node_id="hn-b", memory_size=512).host_node_id == "hn-b"


def test_scheduled_addresses_run_out(ledger):
    # /30: two usable hosts, no gateway.
    create(ledger, vif(network_id="nw-tiny"))
    create(ledger, vif(network_id="nw-tiny"))
    with pytest.raises(OutOfIpRange):
        create(ledger, vif(network_id="nw-tiny"))


def test_image_arch_must_match_the_pinned_host(ledger):
    from application.commands import RegisterImage

    ledger.register_image(RegisterImage(image_id="wmi-arm", arch="arm64"))
    with pytest.raises(IncompatibleHostNode, match="hn-a is kvm/x86_64"):
        create(ledger, vif(), host_node_id="hn-a", image_id="wmi-arm")
    with pytest.raises(OutOfHostCapacity, match="arm64"):
        create(ledger, vif(), image_id="wmi-arm")


def test_an_instance_of_another_account_is_invisible(services):
    from domain.errors import UnknownInstance

    instance = create(services.ledger, vif())
    assert services.queries.instance(ACCOUNT, instance.instance_id)["host_node_id"] == instance.host_node_id
    with pytest.raises(UnknownInstance):
        services.queries.instance("a-other", instance.instance_id)
    with pytest.raises(UnknownInstance):
        services.ledger.terminate_instance("a-other", instance.instance_id)
