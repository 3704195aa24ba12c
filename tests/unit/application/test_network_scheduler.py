import pytest

from application.schedulers.cyclic import walk_after
from application.schedulers.network import Incremental
from domain.addresses import format_ipv4, parse_ipv4
from domain.errors import OutOfIpRange
from domain.network import Network


def make_network(dhcp=None, order="asc", prefix=29):
    return Network.register(
        network_id="nw-a",
        ipv4_network="10.0.0.0",
        prefix=prefix,
        gateway="10.0.0.1",
        dhcp_ranges=dhcp,
        ip_assignment=order,
    )


def schedule(network, times):
    chosen = []
    for n in range(times):
        address = Incremental().choose_address(network)
        network.assign(address, f"i-{n}", f"vif-{n}", scheduled=True)
        chosen.append(format_ipv4(address))
    return chosen


def test_ascending_skips_the_gateway_and_stops_before_broadcast():
    # /29: .0 network, .1 gateway, .7 broadcast
    assert schedule(make_network(), 5) == ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]


def test_descending_walks_down():
    assert schedule(make_network(order="desc"), 3) == ["10.0.0.6", "10.0.0.5", "10.0.0.4"]


def test_exhaustion_is_out_of_ip_range():
    network = make_network()
    schedule(network, 5)
    with pytest.raises(OutOfIpRange, match="nw-a has no free address"):
        Incremental().choose_address(network)


def test_continues_after_the_last_automatic_lease_and_wraps_round():
    network = make_network()
    schedule(network, 3)  # .2 .3 .4
    network.release(parse_ipv4("10.0.0.2", "t"), "i-0", "vif-0")
    # A released address is not reused before the walk comes round to it again.
    assert schedule(network, 3) == ["10.0.0.5", "10.0.0.6", "10.0.0.2"]


def test_pinned_addresses_are_skipped_and_do_not_move_the_walk():
    network = make_network()
    network.assign(parse_ipv4("10.0.0.3", "t"), "i-p", "vif-p")
    assert schedule(network, 2) == ["10.0.0.2", "10.0.0.4"]


def test_only_dhcp_ranges_are_handed_out():
    network = make_network(dhcp=[("10.0.0.20", "10.0.0.21"), ("10.0.0.40", "10.0.0.40")], prefix=24)
    assert schedule(network, 3) == ["10.0.0.20", "10.0.0.21", "10.0.0.40"]
    with pytest.raises(OutOfIpRange):
        Incremental().choose_address(network)


def test_service_addresses_inside_a_dhcp_range_are_skipped():
    network = Network.register(
        network_id="nw-s",
        ipv4_network="10.0.0.0",
        prefix=24,
        gateway="10.0.0.10",
        dns_server="10.0.0.11",
        dhcp_server="10.0.0.12",
        metadata_server="10.0.0.13",
        dhcp_ranges=[("10.0.0.10", "10.0.0.14")],
    )
    assert schedule(network, 1) == ["10.0.0.14"]


@pytest.mark.parametrize(
    "after, descending, expected",
    [
        (None, False, [1, 2, 3, 7, 8]),
        (2, False, [3, 7, 8, 1, 2]),
        (8, False, [1, 2, 3, 7, 8]),
        (5, False, [7, 8, 1, 2, 3]),
        (None, True, [8, 7, 3, 2, 1]),
        (7, True, [3, 2, 1, 8, 7]),
        (1, True, [8, 7, 3, 2, 1]),
    ],
)
def test_cyclic_walk(after, descending, expected):
    assert list(walk_after([(1, 3), (7, 8)], after, descending=descending)) == expected
