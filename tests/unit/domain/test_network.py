import pytest

from domain.addresses import parse_ipv4
from domain.errors import (
    DuplicateIPAddress,
    InvalidParameter,
    IPAddressNotPartOfSegment,
    IpNotInDhcpRange,
    ReleaseMismatch,
)
from domain.network import Network, parse_dhcp_ranges


def ip(text):
    return parse_ipv4(text, "test")


@pytest.fixture
def network():
    return Network.register(
        network_id="nw-a",
        ipv4_network="10.0.0.0",
        prefix=24,
        gateway="10.0.0.1",
        dns_server="10.0.0.2",
        dhcp_ranges=[("10.0.0.100", "10.0.0.199")],
    )


def test_an_address_is_held_at_most_once(network):
    network.assign(ip("10.0.0.50"), "i-1", "vif-1")
    with pytest.raises(DuplicateIPAddress, match="10.0.0.50 is already in use in nw-a"):
        network.assign(ip("10.0.0.50"), "i-2", "vif-2")


@pytest.mark.parametrize("address, role", [("10.0.0.1", "gateway"), ("10.0.0.2", "dns_server")])
def test_service_addresses_are_never_handed_out(network, address, role):
    with pytest.raises(DuplicateIPAddress, match=f"reserved for the {role}"):
        network.assign(ip(address), "i-1", "vif-1")


@pytest.mark.parametrize("address", ["10.0.1.5", "10.0.0.0", "10.0.0.255"])
def test_outside_the_segment_or_its_network_and_broadcast_addresses(network, address):
    with pytest.raises(IPAddressNotPartOfSegment, match=address):
        network.assign(ip(address), "i-1", "vif-1")


def test_a_pinned_address_may_lie_outside_the_dhcp_ranges_unless_required(network):
    network.assign(ip("10.0.0.50"), "i-1", "vif-1")
    with pytest.raises(IpNotInDhcpRange, match="10.0.0.51"):
        network.assign(ip("10.0.0.51"), "i-1", "vif-1", require_dhcp_range=True)
    network.assign(ip("10.0.0.150"), "i-1", "vif-2", require_dhcp_range=True)


def test_release_frees_the_address_for_the_next_caller(network):
    network.assign(ip("10.0.0.50"), "i-1", "vif-1")
    network.release(ip("10.0.0.50"), "i-1", "vif-1")
    network.assign(ip("10.0.0.50"), "i-2", "vif-2")
    assert network.holders == {ip("10.0.0.50"): "i-2"}


def test_a_release_must_match_the_assignment(network):
    network.assign(ip("10.0.0.50"), "i-1", "vif-1")
    with pytest.raises(ReleaseMismatch):
        network.release(ip("10.0.0.50"), "i-2", "vif-2")
    with pytest.raises(ReleaseMismatch):
        network.release(ip("10.0.0.51"), "i-1", "vif-1")


def test_the_last_scheduled_address_is_remembered_but_not_pinned_ones(network):
    network.assign(ip("10.0.0.100"), "i-1", "vif-1", scheduled=True)
    network.assign(ip("10.0.0.150"), "i-2", "vif-2")
    assert network.last_scheduled == ip("10.0.0.100")


def test_state_is_rebuilt_from_its_events(network):
    network.assign(ip("10.0.0.50"), "i-1", "vif-1", scheduled=True)
    network.assign(ip("10.0.0.51"), "i-2", "vif-2")
    network.release(ip("10.0.0.51"), "i-2", "vif-2")
    replayed = None
    for event in network.collect_events():
        replayed = event.mutate(replayed)
    assert replayed.holders == {ip("10.0.0.50"): "i-1"}
    assert replayed.last_scheduled == ip("10.0.0.50")
    assert replayed.version == 4


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ipv4_network": "10.0.0.5"}, "network"),
        ({"ipv4_network": "10.0.0"}, "network"),
        ({"prefix": 31}, "prefix"),
        ({"gateway": "10.0.1.1"}, "gateway"),
        ({"dhcp_ranges": [("10.0.0.20", "10.0.0.10")]}, "dhcp_range"),
        ({"dhcp_ranges": [("10.0.0.0", "10.0.0.10")]}, "dhcp_range"),
        ({"ip_assignment": "random"}, "ip_assignment"),
    ],
)
def test_registration_refuses_inconsistent_networks(changes, field):
    params = dict(network_id="nw-b", ipv4_network="10.0.0.0", prefix=24)
    with pytest.raises(Exception, match=f"^{field}") as raised:
        Network.register(**{**params, **changes})
    assert raised.type.__name__ in ("InvalidParameter", "InvalidIPAddress")


def test_default_dhcp_range_is_every_usable_host_and_ranges_are_merged():
    assert Network.register(network_id="nw-c", ipv4_network="10.1.0.0", prefix=29).dhcp_range_texts == [
        ["10.1.0.1", "10.1.0.6"]
    ]
    merged = Network.register(
        network_id="nw-d",
        ipv4_network="10.1.0.0",
        prefix=24,
        dhcp_ranges=parse_dhcp_ranges("10.1.0.50-10.1.0.60, 10.1.0.10-10.1.0.20,10.1.0.55-10.1.0.70"),
    )
    assert merged.dhcp_range_texts == [["10.1.0.10", "10.1.0.20"], ["10.1.0.50", "10.1.0.70"]]


def test_dhcp_range_text_must_be_pairs():
    assert parse_dhcp_ranges("default") is None
    with pytest.raises(InvalidParameter, match="dhcp_range"):
        parse_dhcp_ranges("10.0.0.1")
